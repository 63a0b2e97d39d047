"""The leaders' dashboard in the Mini App: only for leaders, the report's own figures, and the
Sekretaris's and the Kepala Dinas's decisions as in chat."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.services.files.reporting import analysis_text, report_data
from bot.texts.web import plain
from bot.workflow import PeriodState
from storage import periods
from tests.integration.webfront import URL, Front, open_front


@pytest.fixture
async def front(tmp_path: Path) -> AsyncIterator[Front]:
    """Every unit's report approved (step 4), the draft sent to the Sekretaris (step 5)."""
    async with open_front(tmp_path) as opened:
        p = opened.people
        # open_front opened the period and the Sekretaris approved it: go on from there
        for op in ("op_sek", "op_pel", "op_pen"):
            await p[op].send("/isi")
            await p[op].send("1. 20\n2. 5\n3. 1.000.000\n4. -\n5. -\n6. -\n7. -\n8. -")
            await p[op].tap("Kirim ke Sekretaris" if op == "op_sek" else "Kirim ke Kepala Bidang")
        for head in ("sekretaris", "kabid_pel", "kabid_pen"):
            await p[head].tap("Setujui")
        await p["kasubag"].tap("✔️ Pakai draf")  # step 4 asks for the narrative first
        await p["kasubag"].tap("Kirim ke Sekretaris")
        yield opened


async def _period(front: Front) -> periods.Period:
    async with front.office.core.db.reading() as conn:
        period = await periods.current_period(conn)
    assert period is not None
    return period


async def test_only_leaders_see_it_and_others_get_403(front: Front) -> None:
    for leader in ("kasubag", "sekretaris", "kadin"):
        status, page = await front.call("GET", "/api/dashboard", leader)
        assert status == 200 and page["title"].startswith("Dasbor pimpinan"), leader
    for other in ("op_pel", "kabid_pel", "kabid_pen", "op_sek"):
        status, refused = await front.call("GET", "/api/dashboard", other)
        assert status == 403 and "hanya untuk" in refused["message"], other
        status, _ = await front.call(
            "POST", "/api/lead_decide", other, {"request": "x", "version": 1, "decision": "approve"}
        )
        assert status == 403, other
    assert (await front.call("GET", "/api/dashboard", 999_999))[0] == 403  # not registered


async def test_the_figures_are_the_reports(front: Front) -> None:
    core = front.office.core
    period = await _period(front)
    async with core.db.reading() as conn:
        data = await report_data(core, conn, period)
    chat = html.unescape(plain(analysis_text(data)))  # the analysis the kasubag got in chat
    _, page = await front.call("GET", "/api/dashboard", "kasubag")
    assert [u["name"] for u in page["units"]] == [u.name for u in data.units]
    for unit in page["units"]:
        line = next(x for x in chat.splitlines() if x.startswith(f"• {unit['name']}"))
        assert f"capaian {unit['capaian']['text']} ({unit['predikat']})" in line
        assert f"penyerapan anggaran {unit['absorption']['text']}" in line
    agency = page["agency"]
    assert f"{agency['capaian']['text']} ({agency['predikat']})" in chat
    below = [b for b in page["below"]]
    assert all(b["capaian"]["value"] < 76 for b in below)
    assert all(b["name"][:20] in chat for b in below)
    # the period per unit and per step against the standards
    assert {s["step"] for s in page["steps"]} >= {1, 2, 3, 4, 5}
    assert page["steps"][-1]["status"] in ("running", "late")
    assert sum(
        t["improved"] + t["worsened"] + t["steady"] + t["no_base"] for t in page["trend"]
    ) == len(data.indicators)
    assert [p["label"] for p in page["series"]] == ["I"]


def decision(version: int, what: str, request: str, reason: str = "") -> dict[str, Any]:
    return {"request": request, "version": version, "decision": what, "reason": reason}


async def test_the_secretary_approves_and_the_head_returns_as_in_chat(front: Front) -> None:
    p = front.people
    period = await _period(front)
    assert period.state is PeriodState.SECRETARY_REVIEW
    _, page = await front.call("GET", "/api/dashboard", "sekretaris")
    assert page["decision"]["version"] == period.version
    assert (await front.call("GET", "/api/dashboard", "kadin"))[1]["decision"] is None
    inbox = await p["sekretaris"].inbox()
    request = next(m for m in reversed(inbox) if "Setujui" in str(m.buttons))
    assert ["Buka dasbor", f"{URL}?view=dashboard"] in [list(b) for r in request.buttons for b in r]

    body = decision(period.version, "approve", "s-1")
    status, reply = await front.call("POST", "/api/lead_decide", "sekretaris", body)
    assert status == 200 and reply["status"] == "decided"
    assert await front.call("POST", "/api/lead_decide", "sekretaris", body) == (status, reply)
    assert (await _period(front)).state is PeriodState.HEAD_REVIEW
    assert any(m.method == "clearButtons" for m in await p["sekretaris"].inbox())
    assert (await p["sekretaris"].tap("Setujui")).toast == "Sudah diproses."
    # the Kepala Dinas's turn: a return needs its reason, which reaches the coordinator
    period = await _period(front)
    _, page = await front.call("GET", "/api/dashboard", "kadin")
    assert page["decision"]["version"] == period.version
    status, refused = await front.call(
        "POST", "/api/lead_decide", "kadin", decision(period.version, "return", "k-0", " ")
    )
    assert status == 422 and "wajib" in refused["message"]
    assert (await _period(front)).state is PeriodState.HEAD_REVIEW
    status, _ = await front.call(
        "POST", "/api/lead_decide", "kadin", decision(period.version, "return", "k-1", "Perjelas")
    )
    assert status == 200 and (await _period(front)).state is PeriodState.COMPILING
    assert await p["kasubag"].saw("Perjelas")
    status, late = await front.call(
        "POST", "/api/lead_decide", "kadin", decision(period.version, "approve", "k-2")
    )
    assert status == 409 and late["status"] == "refused"


async def test_status_offers_the_dashboard_to_leaders_only(front: Front) -> None:
    for who, offered in (("kadin", True), ("kasubag", True), ("op_pel", False)):
        await front.people[who].send("/status")
        buttons = [b for m in await front.people[who].new() for r in m.buttons for b in r]
        assert (("Buka dasbor", f"{URL}?view=dashboard") in buttons) is offered, who


async def test_the_head_approves_in_the_dashboard_and_step_7_begins(front: Front) -> None:
    p = front.people
    await p["sekretaris"].tap("Setujui")
    period = await _period(front)
    assert period.state is PeriodState.HEAD_REVIEW
    status, reply = await front.call(
        "POST", "/api/lead_decide", "kadin", decision(period.version, "approve", "h-1")
    )
    assert status == 200 and reply["status"] == "decided"
    assert (await _period(front)).state is PeriodState.FORWARDING
    assert any(m.method == "clearButtons" for m in await p["kadin"].inbox())
    await p["sekretaris"].tap("Serahkan laporan")  # the chat goes on (no recommendations)
    assert (await _period(front)).state is PeriodState.DISTRIBUTING
