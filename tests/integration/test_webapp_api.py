"""The Mini App's JSON API over HTTP, against the same services and database as chat."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest

from bot.numbers_format import format_rupiah
from bot.web.server import CSP, RateLimit
from tests.integration.webfront import URL, Front, answer, open_front


@pytest.fixture
async def front(tmp_path: Path) -> AsyncIterator[Front]:
    async with open_front(tmp_path) as opened:
        yield opened


async def test_the_form_has_every_question_numbered_as_in_chat(front: Front) -> None:
    status, form = await front.call("GET", "/api/form", "op_pel")
    assert status == 200
    questions = [q for g in form["groups"] for q in g["questions"]]
    assert [q["n"] for q in questions] == list(range(1, 9))
    assert questions[0]["label"] == "1. Jumlah layanan Bidang Pelatihan"
    assert questions[0]["unit"] == "orang"
    assert "Target triwulan ini: 25" in questions[0]["hint"]
    assert "makin rendah makin baik" in questions[1]["hint"]
    assert [g["title"] for g in form["groups"]][-2:] == ["Realisasi anggaran", "Catatan"]
    # Formatted as chat formats money (bot/numbers_format.py), whatever that style is.
    assert f"Pagu: {format_rupiah(Decimal(100_000_000))}" in questions[2]["hint"]
    assert form["send"] == "Kirim ke Kepala Bidang" and form["editable"] is True
    status, sek = await front.call("GET", "/api/form", "op_sek")
    assert status == 200 and sek["send"] == "Kirim ke Sekretaris"


async def test_forged_expired_and_foreign_launch_data_get_401_and_change_nothing(
    front: Front,
) -> None:
    before = await front.rows()
    body = answer(1, "20", "r-1")
    genuine = dict(parse_qsl(front.init_data("op_pel")))
    forged = urlencode({**genuine, "user": genuine["user"].replace("Nama", "Lain")})
    old = front.init_data("op_pel", at=front.office.clock.now() - timedelta(days=1, seconds=1))
    foreign = front.init_data("op_pel", token="654321:OTHER-TOKEN-abcdefghijklmnopqrstuvwxyz")
    for init_data in (forged, old, foreign, "garbage"):
        for method, path, sent in (
            ("GET", "/api/form", None),
            ("POST", "/api/answer", body),
            ("POST", "/api/submit", {"request": "s-1", "version": 0}),
        ):
            status, reply = await front.call(method, path, "op_pel", sent, init_data)
            assert status == 401, (init_data, path)
            assert "tidak sah" in reply["message"]
    async with front.http.get(front.web.base_url + "/api/form") as response:
        assert response.status == 401  # no Authorization at all
    assert await front.rows() == before


async def test_people_outside_the_unit_get_403(front: Front) -> None:
    before = await front.rows()
    for who in ("kabid_pel", "kadin", 999_999):  # a head, a leader, a stranger
        status, _ = await front.call("GET", "/api/form", who)
        assert status == 403
        status, _ = await front.call("POST", "/api/answer", who, answer(1, "20", f"x-{who}"))
        assert status == 403
    assert await front.rows() == before


async def test_checks_as_typed_and_a_soft_value_saved_with_its_explanation(front: Front) -> None:
    status, checked = await front.call("POST", "/api/check", "op_pel", {"n": 2, "value": "120"})
    assert status == 200 and checked["status"] == "refused"
    assert "persentase tidak boleh lebih dari 100" in checked["message"]
    status, checked = await front.call("POST", "/api/check", "op_pel", {"n": 1, "value": "60"})
    assert status == 200 and checked["status"] == "explain"
    before = await front.rows()
    status, refused = await front.call("POST", "/api/answer", "op_pel", answer(2, "lima", "a"))
    assert status == 422 and "Tidak disimpan" in refused["message"]
    status, asked = await front.call("POST", "/api/answer", "op_pel", answer(1, "60", "b"))
    assert status == 200 and asked["status"] == "explain"
    assert "lebih dari 150% target triwulan" in asked["message"]
    assert await front.rows() == before  # asked back: nothing saved yet
    body = answer(1, "60", "c", "Pelatihan tambahan dari APBN")
    status, saved = await front.call("POST", "/api/answer", "op_pel", body)
    assert status == 200 and saved["status"] == "saved"
    assert saved["question"]["value"] == "60" and saved["question"]["soft"] is True
    async with front.office.core.db.reading() as conn:
        async with conn.execute(
            "SELECT value, explanation, soft, entered_by FROM realisations"
            " WHERE superseded_by IS NULL"
        ) as cur:
            rows = [tuple(r) for r in await cur.fetchall()]
        async with conn.execute(
            "SELECT detail FROM audit_log WHERE action = 'value_entered'"
        ) as cur:
            audited = [json.loads(r[0]) for r in await cur.fetchall()]
    assert rows == [
        ("60", "Pelatihan tambahan dari APBN", "far_above_target", rows[0][3]),
    ]
    # the audit log tells a value saved from the page from one typed in chat
    assert audited == [{"kind": "i", "key": audited[0]["key"], "value": "60", "via": "webapp"}]


async def test_a_repeated_write_is_applied_once_and_answered_alike(front: Front) -> None:
    first = await front.call("POST", "/api/answer", "op_pel", answer(3, "Rp 30.000.000", "same"))
    after_first = await front.rows()
    again = await front.call("POST", "/api/answer", "op_pel", answer(3, "Rp 40.000.000", "same"))
    assert again == first and first[0] == 200
    assert await front.rows() == after_first
    async with (
        front.office.core.db.reading() as conn,
        conn.execute("SELECT value FROM budget_realisations") as cur,
    ):
        assert [r[0] for r in await cur.fetchall()] == ["30000000"]


async def test_chat_and_page_show_the_same_answers(front: Front) -> None:
    op = front.people["op_pel"]
    await front.call("POST", "/api/answer", "op_pel", answer(1, "20", "p-1"))
    await op.send("/isi")
    assert await op.saw("Buka formulir")  # the button that opens the page
    await op.send("2. 7,5")  # typed in chat
    _, form = await front.call("GET", "/api/form", "op_pel")
    values = {q["n"]: q["value"] for g in form["groups"] for q in g["questions"]}
    assert values[1] == "20" and values[2] == "7,5"
    async with (
        front.office.core.db.reading() as conn,
        conn.execute("SELECT detail FROM audit_log WHERE action = 'value_entered'") as cur,
    ):
        vias = [json.loads(r[0]).get("via") for r in await cur.fetchall()]
    assert vias == ["webapp", None]
    await op.tap("Ringkasan")
    assert "1. Jumlah layanan Bidang Pelatihan: 20" in await op.last_text()


async def test_the_opening_message_and_isi_carry_the_form_button(front: Front) -> None:
    inbox = await front.people["op_pel"].inbox()
    opened = next(m for m in inbox if "dibuka" in m.text)
    assert opened.buttons == [[("Buka formulir", URL)]]


async def test_submit_lists_what_is_missing_then_sends_to_the_head(front: Front) -> None:
    _, form = await front.call("GET", "/api/form", "op_pel")
    submit = {"request": "k-1", "version": form["version"]}
    status, refused = await front.call("POST", "/api/submit", "op_pel", submit)
    assert status == 409 and "no. 1, 2, 3 belum diisi" in refused["message"]
    for n, value in ((1, "20"), (2, "5"), (3, "1.000.000"), (4, "Kendala cuaca")):
        status, _ = await front.call("POST", "/api/answer", "op_pel", answer(n, value, f"v{n}"))
        assert status == 200
    submit = {"request": "k-2", "version": form["version"]}
    status, sent = await front.call("POST", "/api/submit", "op_pel", submit)
    assert status == 200 and "Kepala Bidang" in sent["message"]
    assert await front.call("POST", "/api/submit", "op_pel", submit) == (status, sent)
    head = front.people["kabid_pel"]
    assert any("Pemeriksaan laporan Bidang Pelatihan" in m.text for m in await head.inbox())
    await head.tap("Lihat semua isian")
    listed = "\n".join(m.text for m in await head.new())
    for value in ("Bidang Pelatihan: 20", "Bidang Pelatihan: 5", "1.000.000", "Kendala cuaca"):
        assert value in listed
    _, form = await front.call("GET", "/api/form", "op_pel")
    assert form["editable"] is False and "tidak dapat diubah" in form["notice"]
    status, _ = await front.call("POST", "/api/answer", "op_pel", answer(1, "21", "late"))
    assert status == 409


async def test_headers_bodies_and_rate_limit(front: Front) -> None:
    async with front.http.get(front.web.base_url + "/") as page:
        assert page.status == 200
        assert page.headers["Content-Security-Policy"] == CSP
        assert "Access-Control-Allow-Origin" not in page.headers
        html = await page.text()
        assert '<script src="app.js"></script>' in html and "{{" not in html
    headers = {"Authorization": "tma " + front.init_data("op_pel"), "Origin": "https://evil.test"}
    async with front.http.options(front.web.base_url + "/api/answer", headers=headers) as pre:
        assert "Access-Control-Allow-Origin" not in pre.headers
    async with front.http.post(
        front.web.base_url + "/api/answer", data="n=1&value=2", headers=headers
    ) as form_post:
        assert form_post.status == 415
    big = answer(4, "x" * 20_000, "big")
    status, reply = await front.call("POST", "/api/answer", "op_pel", big)
    assert status == 413 and "terlalu besar" in reply["message"]
    front.web.limit = RateLimit(burst=2, per_second=0.001)
    statuses = [(await front.call("GET", "/api/form", "op_pel"))[0] for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert (await front.call("GET", "/api/form", "op_pen"))[0] == 200  # per person


async def test_request_ids_are_forgotten_once_no_launch_data_could_repeat_them(
    front: Front,
) -> None:
    from bot.services import housekeeping
    from bot.web.initdata import MAX_AGE

    assert housekeeping.KEEP_REQUEST_IDS > MAX_AGE
    await front.call("POST", "/api/answer", "op_pel", answer(1, "20", "kept"))
    front.office.clock.advance(MAX_AGE)
    assert (await housekeeping.prune(front.office.core)).request_ids == 0
    front.office.clock.advance(housekeeping.KEEP_REQUEST_IDS - MAX_AGE + timedelta(seconds=1))
    assert (await housekeeping.prune(front.office.core)).request_ids == 1


async def test_an_acting_operator_fills_the_form_only_during_the_term(front: Front) -> None:
    from bot.model import Role
    from bot.services.people import acting
    from bot.workflow import Grant
    from storage import org

    stand_in = front.people["kabid_pen"]  # another unit's head, standing in for a week
    assert (await front.call("GET", "/api/form", "kabid_pen"))[0] == 403
    tz = front.office.core.config.calendar.tz
    today = front.office.clock.now().astimezone(tz).date()
    async with front.office.core.work(None) as work:
        person = await org.person_by_telegram(work.conn, stand_in.telegram_id)
        assert person is not None
        await acting.assign(
            work, person.id, Grant(Role.OPERATOR, "pelatihan"), today, today + timedelta(days=6),
            "plh", None, tz,
        )  # fmt: skip
    status, form = await front.call("GET", "/api/form", "kabid_pen")
    assert status == 200 and form["title"].startswith("Bidang Pelatihan")
    status, _ = await front.call("POST", "/api/answer", "kabid_pen", answer(1, "20", "plh-1"))
    assert status == 200
    front.office.clock.advance(timedelta(days=8))  # the term is over
    status, _ = await front.call("POST", "/api/answer", "kabid_pen", answer(1, "21", "plh-2"))
    assert status == 403


async def test_a_kind_of_question_without_a_field_is_shown_and_answered_in_chat(
    front: Front,
) -> None:
    """A question kind the page does not know yet (a later issue adds one) stays visible,
    read-only, pointing to chat, and a write to it is refused without a change."""
    from bot.services.quarter import forms, webform
    from bot.services.work import Work
    from storage import periods

    async with front.office.core.db.reading() as conn:
        work = Work(conn, front.office.clock.now(), None)
        period = await periods.current_period(conn)
        assert period is not None
        report = await periods.unit_report_for(conn, period.id, "pelatihan")
        assert report is not None
        form = await forms.load(work, report)
    form.questions.append(forms.Question("x", "1", 1, 1))
    view = webform.form_view(form, "")
    extra = view["groups"][-1]["questions"][-1]
    assert extra["n"] == 9 and extra["chat_only"] is True
    assert extra["label"].startswith("9. ") and "/isi" in extra["hint"]


async def test_a_returned_report_is_editable_again_with_the_reason_as_typed(front: Front) -> None:
    for n, value in ((1, "20"), (2, "5"), (3, "1.000.000")):
        await front.call("POST", "/api/answer", "op_pel", answer(n, value, f"r{n}"))
    _, form = await front.call("GET", "/api/form", "op_pel")
    await front.call("POST", "/api/submit", "op_pel", {"request": "k", "version": form["version"]})
    head = front.people["kabid_pel"]
    await head.tap("Minta revisi")
    await head.send("Periksa <b>no. 1</b> & 2")
    _, form = await front.call("GET", "/api/form", "op_pel")
    assert form["editable"] is True
    assert form["notice"] == "Laporan dikembalikan untuk revisi. Alasan: Periksa <b>no. 1</b> & 2"


@pytest.mark.parametrize(
    "body",
    [
        {"request": "b", "n": 99, "value": "1"},
        {"request": "b", "n": 0, "value": "1"},
        {"request": "b", "n": "1", "value": "1"},
        {"request": "b", "n": True, "value": "1"},
        {"request": "b", "n": 1, "value": 20},
        {"request": "", "n": 1, "value": "20"},
        {"request": "x" * 65, "n": 1, "value": "20"},
        {"n": 1, "value": "20"},
        ["not", "an", "object"],
    ],
)
async def test_a_malformed_write_gets_400_in_indonesian_and_changes_nothing(
    front: Front, body: Any
) -> None:
    before = await front.rows()
    status, reply = await front.call("POST", "/api/answer", "op_pel", body)
    assert status == 400 and "Tidak ada yang diubah" in reply["message"]
    assert await front.rows() == before


async def test_a_carried_recommendation_is_answered_on_the_page(front: Front) -> None:
    """Issue 23: an earlier period's recommendation still open for the unit is one more
    question of the page's form, answered "status; what was done", recorded as in chat."""
    from bot.workflow import FollowUpState, PeriodState
    from storage import followups, org, periods

    async with front.office.core.work(None) as work:
        kadin = await org.person_by_telegram(work.conn, front.people["kadin"].telegram_id)
        assert kadin is not None
        old = await periods.create_period(work.conn, 2025, 4, kadin.id, work.now)
        await periods.create_unit_report(work.conn, old, "pelatihan", work.now)
        for state in (PeriodState.COLLECTING, PeriodState.FOLLOW_UP, PeriodState.CLOSED):
            period = await periods.period(work.conn, old)
            assert period is not None
            assert await periods.set_period_state(work.conn, period, state, work.now)
        rec_id = await followups.add_recommendation(
            work.conn, old, "pelatihan", "Perluas pelatihan", kadin.id, work.now
        )
    status, form = await front.call("GET", "/api/form", "op_pel")
    assert status == 200
    questions = [q for g in form["groups"] for q in g["questions"]]
    carried = questions[-1]
    assert carried["n"] == 9 and carried["kind"] == "r" and carried["required"] is True
    assert carried["label"] == "9. Tindak lanjut rekomendasi Triwulan IV 2025: Perluas pelatihan"
    assert not carried.get("chat_only") and carried["answered"] is False
    assert form["groups"][-1]["title"] == "Tindak lanjut rekomendasi"

    before = await front.rows()
    status, body = await front.call("POST", "/api/answer", "op_pel", answer(9, "selesai", "r1"))
    assert status == 422 and body["status"] == "refused"  # a status with nothing done
    assert await front.rows() == before
    done = "dalam proses; Kurikulum disusun bersama industri"
    status, body = await front.call("POST", "/api/answer", "op_pel", answer(9, done, "r2"))
    assert status == 200 and body["status"] == "saved"
    assert body["question"]["value"] == done and body["question"]["answered"] is True
    async with front.office.core.db.reading() as conn:
        rec = await followups.recommendation(conn, rec_id)
    assert rec is not None and rec.state_of("pelatihan") is FollowUpState.IN_PROGRESS
    recorded = rec.follow_up_of("pelatihan")
    assert recorded is not None and recorded.text == "Kurikulum disusun bersama industri"
