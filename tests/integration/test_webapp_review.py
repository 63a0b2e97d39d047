"""The head's review in the Mini App (step 3): the chat's brief as a page, and the same
decisions as the chat's buttons, each removing the other's."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from storage import periods
from tests.integration.webfront import URL, Front, answer, open_front


@pytest.fixture
async def front(tmp_path: Path) -> AsyncIterator[Front]:
    """Bidang Pelatihan's report filled in the page and sent to its Kepala Bidang."""
    async with open_front(tmp_path) as opened:
        for n, value in ((1, "20"), (2, "5"), (3, "1.000.000"), (4, "Kendala cuaca")):
            await opened.call("POST", "/api/answer", "op_pel", answer(n, value, f"a{n}"))
        _, form = await opened.call("GET", "/api/form", "op_pel")
        sent = {"request": "send", "version": form["version"]}
        assert (await opened.call("POST", "/api/submit", "op_pel", sent))[0] == 200
        yield opened


async def _report(front: Front) -> periods.UnitReport:
    async with front.office.core.db.reading() as conn:
        period = await periods.current_period(conn)
        assert period is not None
        report = await periods.unit_report_for(conn, period.id, "pelatihan")
    assert report is not None
    return report


def decision(report: periods.UnitReport, what: str, request: str, reason: str = "") -> Any:
    return {
        "request": request,
        "report": report.id,
        "version": report.version,
        "decision": what,
        "reason": reason,
    }


async def test_the_request_opens_the_page_which_leads_with_the_chat_brief(front: Front) -> None:
    report = await _report(front)
    head = front.people["kabid_pel"]
    request = next(m for m in await head.inbox() if "Pemeriksaan laporan" in m.text)
    assert request.buttons[-1] == [("Buka di aplikasi", f"{URL}?review={report.id}")]
    status, page = await front.call("GET", f"/api/review?report={report.id}", "kabid_pel")
    assert status == 200 and page["decide"] is True and page["editable"] is False
    # the same brief as the chat request, line for line, as text
    assert page["brief"] == html.unescape(request.text).strip()
    assert page["version"] == report.version
    values = {q["n"]: q["value"] for g in page["groups"] for q in g["questions"]}
    assert values[1] == "20" and values[3] == "1.000.000" and values[4] == "Kendala cuaca"
    # a leader reads it without the buttons; others get 403
    status, seen = await front.call("GET", f"/api/review?report={report.id}", "kadin")
    assert status == 200 and seen["decide"] is False
    for stranger in ("kabid_pen", "op_pen"):
        assert (await front.call("GET", f"/api/review?report={report.id}", stranger))[0] == 403
    assert (await front.call("GET", "/api/review?report=999", "kabid_pel"))[0] == 404
    assert (await front.call("GET", "/api/review?report=x", "kabid_pel"))[0] == 400


async def test_approving_in_the_page_removes_the_chat_buttons(front: Front) -> None:
    report = await _report(front)
    head, operator = front.people["kabid_pel"], front.people["op_pel"]
    body = decision(report, "approve", "ok-1")
    status, reply = await front.call("POST", "/api/decide", "kabid_pel", body)
    assert status == 200 and reply["status"] == "decided"
    assert await front.call("POST", "/api/decide", "kabid_pel", body) == (status, reply)
    assert (await _report(front)).state == "disetujui"
    cleared = [m for m in await head.inbox() if m.method == "clearButtons"]
    assert len(cleared) == 1
    # the chat request's buttons are removed (the browser test sees them go); a tap that
    # raced the removal is stale
    assert (await head.tap("Setujui")).toast == "Sudah diproses."
    assert any("disetujui" in m.text for m in await operator.inbox())  # ... the operator told
    status, page = await front.call("GET", f"/api/review?report={report.id}", "kabid_pel")
    assert page["decide"] is False and "disetujui" in page["notice"]
    # a second decision on the same version is stale, as a second tap is
    status, again = await front.call(
        "POST", "/api/decide", "kabid_pel", decision(report, "return", "late", "Cek lagi")
    )
    assert status == 409 and again["message"] == "Sudah diproses."


async def test_returning_needs_a_reason_which_reaches_the_operator(front: Front) -> None:
    report = await _report(front)
    operator = front.people["op_pel"]
    before = await front.office.outbox_size()
    for empty in ("", "   "):
        status, refused = await front.call(
            "POST", "/api/decide", "kabid_pel", decision(report, "return", f"e{empty}", empty)
        )
        assert status == 422 and "wajib" in refused["message"]
    assert await front.office.outbox_size() == before
    assert (await _report(front)).state == "menunggu_persetujuan"
    reason = "Periksa <b>no. 1</b> & anggaran"
    status, reply = await front.call(
        "POST", "/api/decide", "kabid_pel", decision(report, "return", "r-1", reason)
    )
    assert status == 200 and "dikembalikan" in reply["message"]
    returned = await _report(front)
    assert returned.state == "dikembalikan" and returned.return_reason == reason
    assert any(reason in html.unescape(m.text) for m in await operator.inbox())
    _, form = await front.call("GET", "/api/form", "op_pel")
    assert form["editable"] is True and reason in form["notice"]


async def test_a_decision_in_chat_takes_the_page_buttons_away(front: Front) -> None:
    report = await _report(front)
    await front.people["kabid_pel"].tap("Setujui")
    status, page = await front.call("GET", f"/api/review?report={report.id}", "kabid_pel")
    assert status == 200 and page["decide"] is False
    status, reply = await front.call(
        "POST", "/api/decide", "kabid_pel", decision(report, "approve", "after-chat")
    )
    assert status == 409 and reply["status"] == "refused"


async def test_only_the_head_decides_and_bad_bodies_change_nothing(front: Front) -> None:
    report = await _report(front)
    before = await front.office.outbox_size()
    status, refused = await front.call(
        "POST", "/api/decide", "kabid_pen", decision(report, "approve", "x")
    )
    assert status == 403 and "bukan untuk Anda" in refused["message"]
    for bad in (
        {**decision(report, "approve", "b"), "decision": "delete"},
        {**decision(report, "approve", "b"), "version": "1"},
        {**decision(report, "approve", "b"), "report": None},
    ):
        assert (await front.call("POST", "/api/decide", "kabid_pel", bad))[0] == 400
    assert (await _report(front)).state == "menunggu_persetujuan"
    assert await front.office.outbox_size() == before


async def test_an_explanation_is_whole_in_the_brief_and_on_its_value(tmp_path: Path) -> None:
    long = "Pelatihan tambahan dari APBN " + "karena permintaan industri meningkat " * 4
    async with open_front(tmp_path) as front:
        _, asked = await front.call("POST", "/api/answer", "op_pel", answer(1, "60", "s"))
        assert asked["status"] == "explain"
        await front.call("POST", "/api/answer", "op_pel", answer(1, "60", "s2", long))
        for n, value in ((2, "5"), (3, "1.000.000")):
            await front.call("POST", "/api/answer", "op_pel", answer(n, value, f"a{n}"))
        _, form = await front.call("GET", "/api/form", "op_pel")
        await front.call(
            "POST", "/api/submit", "op_pel", {"request": "k", "version": form["version"]}
        )
        report = await _report(front)
        _, page = await front.call("GET", f"/api/review?report={report.id}", "kabid_pel")
    first = page["groups"][0]["questions"][0]
    assert first["soft"] is True and first["explanation"] == long.strip()
    assert long.strip() in page["brief"]
