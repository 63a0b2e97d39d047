"""Step 9 as a status (issue 23), at the service layer on a real SQLite file: direncanakan /
dalam proses / selesai with a text, evidence kept as Telegram's file id, the coordinator's
return, the Kepala Dinas's drop and due date, the recap, overdue reminders, and every
refusal changing nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.dates import JAKARTA, long_date
from bot.services.quarter import evidence, reminders
from bot.services.quarter.evidence import Incoming
from bot.texts import common as texts
from bot.texts import followup as tl
from bot.workflow import FollowUpState, PeriodState
from storage import followups, outbox, periods
from tests.integration.office import Office, Person, send_to_secretary, set_up_agency
from tests.integration.test_report_figures import collect

PDF = "application/pdf"


@pytest.fixture
async def office(tmp_path: Path) -> AsyncIterator[Office]:
    office = await Office.create(tmp_path / "kinerja.sqlite3")
    yield office
    await office.close()


def day(d: date) -> str:
    return long_date(datetime.combine(d, time(12), JAKARTA))


async def distributed(office: Office) -> dict[str, Person]:
    """Triwulan I 2026 up to step 9: a general recommendation due 31 December 2026 (set by
    the Kepala Dinas) and one for Pelatihan due by default."""
    p = await set_up_agency(office)
    await collect(office, p, 1)
    await send_to_secretary(p["kasubag"])
    await p["sekretaris"].tap("Setujui")
    await p["kadin"].tap("Tambah rekomendasi umum")
    await p["kadin"].send("Percepat penyerapan anggaran")
    await p["kadin"].tap(tl.BTN_SET_DUE)
    await p["kadin"].send("31-02-2026")  # no such day: asked again, nothing set
    assert await p["kadin"].saw("tidak dapat dibaca")
    await p["kadin"].send("31-12-2026")
    assert await p["kadin"].saw(day(date(2026, 12, 31)))
    await p["kadin"].tap("Rekomendasi untuk unit")
    await p["kadin"].tap("Bidang Pelatihan")
    await p["kadin"].send("Perluas pelatihan berbasis kompetensi")
    await p["kadin"].tap("Setujui")
    await p["sekretaris"].tap("Serahkan laporan dan rekomendasi")
    await p["kasubag"].tap("Sampaikan rekomendasi")
    return p


async def recs(office: Office) -> dict[str, followups.Recommendation]:
    async with office.core.db.reading() as conn:
        return {r.text: r for r in await followups.recommendations(conn)}


async def state(office: Office) -> PeriodState:
    async with office.core.db.reading() as conn:
        period = await periods.current_period(conn)
    assert period is not None
    return period.state


async def record(person: Person, number: int, status: str, text: str) -> None:
    await person.send("/tindak_lanjut")
    await person.tap(f"Catat tindak lanjut no. {number}")
    if status != "direncanakan":
        await person.tap(tl.BTN_STATUS[status])
    await person.send(text)


async def photo(office: Office, person: Person, file_id: str, size: int = 50_000) -> None:
    await evidence.photo_received(
        office.core, person.origin(), Incoming(file_id, "", size, "", True)
    )


async def document(office: Office, person: Person, name: str, size: int, mime: str) -> None:
    from bot.services.files import uploads

    await uploads.received(office.core, person.origin(), name, f"doc-{name}", size, mime)


async def offered(person: Person, label: str) -> bool:
    """Whether a message since the person's last action has this button."""
    return any(t == label for m in await person.new() for row in m.buttons for t, _ in row)


async def evidence_rows(office: Office) -> list[tuple[str, str, str]]:
    async with (
        office.core.db.reading() as conn,
        conn.execute("SELECT unit_code, kind, file_id FROM evidence ORDER BY id") as cur,
    ):
        return [(r[0], r[1], r[2]) for r in await cur.fetchall()]


async def test_status_flow_evidence_return_and_close(office: Office) -> None:
    p = await distributed(office)
    general, own = "Percepat penyerapan anggaran", "Perluas pelatihan berbasis kompetensi"

    # /tindak_lanjut lists the open ones oldest first, each with its due date
    await p["op_pel"].send("/tindak_lanjut")
    listing = await p["op_pel"].last_text()
    assert listing.index(general) < listing.index(own)
    assert f"Batas waktu: {day(date(2026, 12, 31))}" in listing
    # by default, the end of the next quarter (already past on 5 October 2026)
    assert f"Batas waktu: {day(date(2026, 6, 30))} ⚠️ lewat batas waktu" in listing

    # Pelatihan: its own one selesai, with a photo and a PDF as evidence
    await record(p["op_pel"], 2, "selesai", "Kerja sama dengan tiga LPK")
    assert await p["op_pel"].saw("status selesai")
    await photo(office, p["op_pel"], "file-photo-1")
    await document(office, p["op_pel"], "notulen.pdf", 300_000, PDF)
    assert await p["op_pel"].saw("2 berkas")
    assert [(u, k) for u, k, _ in await evidence_rows(office)] == [
        ("pelatihan", "foto"),
        ("pelatihan", "pdf"),
    ]
    by_text = await recs(office)
    assert by_text[own].state_of("pelatihan") is FollowUpState.DONE
    assert by_text[own].open_units == () and by_text[own].unanswered_units == ()

    # the coordinator is told, sees the evidence (sent again by its file id) and returns it
    assert await p["kasubag"].saw("Bidang Pelatihan menandai rekomendasi berikut selesai")
    await p["kasubag"].tap(tl.BTN_SHOW_EVIDENCE.format(unit="Bidang Pelatihan"))
    async with office.core.db.reading() as conn:
        sent = [
            i
            for i in await outbox.pending(conn, limit=10_000)
            if i.chat_id == p["kasubag"].telegram_id
            and i.recipe is None  # not a report the bot built
            and i.method in ("sendPhoto", "sendDocument")
        ]
    assert [(i.method, i.payload.get("photo") or i.payload.get("document")) for i in sent] == [
        ("sendPhoto", "file-photo-1"),
        ("sendDocument", "doc-notulen.pdf"),
    ]
    assert all(i.file_data is None for i in sent)  # the bytes never pass through the bot
    await p["kasubag"].tap(tl.BTN_REOPEN)
    await p["kasubag"].send("Foto belum menunjukkan hasil")
    assert await p["op_pel"].saw("dikembalikan ke status dalam proses")
    assert (await recs(office))[own].state_of("pelatihan") is FollowUpState.IN_PROGRESS
    reopen = next(
        d
        for m in await p["kasubag"].inbox()
        for row in m.buttons
        for t, d in row
        if t == tl.BTN_REOPEN
    )
    assert (await p["kasubag"].tap_data(reopen)).toast == texts.ALREADY_DONE  # a replay

    # step 9 waits for every unit's first status; plans are enough to close it
    await record(p["op_pel"], 1, "direncanakan", "Dijadwalkan triwulan II")
    await record(p["op_sek"], 1, "dalam_proses", "Revisi rencana kas berjalan")
    assert await state(office) is PeriodState.FOLLOW_UP
    await record(p["kabid_pen"], 1, "direncanakan", "Rapat koordinasi")
    assert await state(office) is PeriodState.CLOSED
    by_text = await recs(office)
    assert {u: by_text[general].state_of(u).value for u in by_text[general].units} == {
        "sekretariat": "dalam_proses",
        "pelatihan": "direncanakan",
        "penempatan": "direncanakan",
    }
    assert by_text[general].open_units == ("sekretariat", "pelatihan", "penempatan")

    # the leaders' recap: per recommendation each unit's status and its evidence
    for key in ("kadin", "kasubag"):
        recap = next(m for m in await p[key].inbox() if "Rekap tindak lanjut" in m.text)
        assert "Bidang Pelatihan: dalam proses · data dukung: 2" in recap.text, key
        assert "Sekretariat: dalam proses" in recap.text
        assert "Bidang Penempatan: direncanakan" in recap.text
        assert [t for row in recap.buttons for t, _ in row] == ["Data dukung: Bidang Pelatihan (2)"]


async def test_evidence_refusals_and_access(office: Office) -> None:
    p = await distributed(office)
    own = "Perluas pelatihan berbasis kompetensi"
    rec_id = (await recs(office))[own].id
    await record(p["op_pel"], 2, "dalam_proses", "Kurikulum disusun")

    # not a photo, PDF or spreadsheet; too large; a renamed program: refused, nothing kept
    await document(office, p["op_pel"], "setup.exe", 1000, "application/x-msdownload")
    assert await p["op_pel"].saw("tidak diterima sebagai data dukung")
    await document(office, p["op_pel"], "bukti.pdf", 1000, "application/x-msdownload")
    assert await p["op_pel"].saw("tidak diterima sebagai data dukung")
    await document(office, p["op_pel"], "bukti.pdf", 21 * 1024 * 1024, PDF)
    assert await p["op_pel"].saw("paling besar 20 MB")
    # from someone with no follow-up under way (another unit's operator): refused
    await photo(office, p["op_pen"], "file-photo-x")
    assert await p["op_pen"].saw("tidak sedang ditunggu")
    assert await evidence_rows(office) == []
    await document(office, p["op_pel"], "capaian.xlsx", 20_000, "")
    assert await evidence_rows(office) == [("pelatihan", "lembar_kerja", "doc-capaian.xlsx")]

    # forged and replayed recommendation ids: refused, nothing changes
    assert (await p["op_pel"].tap_data("fv:99999:pelatihan")).toast == texts.BUTTON_INVALID
    assert (await p["op_pel"].tap_data(f"fv:{rec_id}:penempatan")).toast == texts.BUTTON_INVALID
    foreign = await p["op_pen"].tap_data(f"ft:{rec_id}:pelatihan:selesai")
    assert foreign.toast == texts.BUTTON_NOT_YOURS
    assert (await p["op_pel"].tap_data(f"ft:{rec_id}:pelatihan:tidak_dilanjutkan")).toast == (
        texts.BUTTON_INVALID
    )
    await record(p["op_pel"], 2, "selesai", "Kurikulum ditetapkan")
    replay = await p["op_pel"].tap_data(f"ft:{rec_id}:pelatihan:direncanakan")
    assert replay.alert and "sudah selesai" in (replay.toast or "")
    assert (await recs(office))[own].state_of("pelatihan") is FollowUpState.DONE

    # evidence: the unit, the coordinator, the Sekretaris and the Kepala Dinas; nobody else
    show = f"fe:{rec_id}:pelatihan"
    for key in ("op_pel", "kabid_pel", "kasubag", "sekretaris", "kadin"):
        await p[key].tap_data(show)
        assert [m.method for m in await p[key].new()] == ["sendDocument"], key
    for key in ("op_pen", "kabid_pen", "op_sek"):
        outcome = await p[key].tap_data(show)
        assert outcome.toast == tl.evidence_not_allowed(), key
        assert not [m for m in await p[key].new() if m.method != "sendMessage"], key
    assert (await p["kadin"].tap_data(f"fe:{rec_id}:hubungan")).toast == texts.BUTTON_INVALID

    # after a follow-up, text is answered with what is awaited; half a day on, the wait is over
    await p["op_pel"].send("Terima kasih")
    assert await p["op_pel"].saw("Data dukung dapat dikirim")
    office.clock.advance(timedelta(hours=13))
    await p["op_pel"].send("Terima kasih")
    assert await p["op_pel"].saw("Tidak ada dialog yang sedang berjalan")
    await photo(office, p["op_pel"], "file-photo-late")
    assert await p["op_pel"].saw("tidak sedang ditunggu")


async def test_head_drops_and_overdue_reminders(office: Office) -> None:
    p = await distributed(office)
    general, own = "Percepat penyerapan anggaran", "Perluas pelatihan berbasis kompetensi"
    for key in ("op_sek", "op_pel", "op_pen"):
        await record(p[key], 1, "direncanakan", "Dijadwalkan")
    await record(p["op_pel"], 2, "direncanakan", "Dijadwalkan")
    assert await state(office) is PeriodState.CLOSED

    # overdue (Pelatihan's own one, due 30 June 2026): shown to the leaders in /status
    for key in ("kasubag", "kadin"):
        await p[key].send("/status")
        shown = await p[key].last_text()
        assert "Tindak lanjut lewat batas waktu" in shown, key
        assert f"{own}; batas waktu {day(date(2026, 6, 30))}" in shown, key
    await p["op_pel"].send("/status")
    assert "lewat batas waktu" not in await p["op_pel"].last_text()

    # reminded on a working day, once, then again a week later
    office.clock.set(datetime(2026, 10, 6, 2, 0, tzinfo=UTC))  # Tuesday, 09.00 WIB
    await reminders.check(office.core)
    assert await p["op_pel"].saw("melewati batas waktu")
    assert await p["kabid_pel"].saw(own)
    await p["op_pel"].send("/bantuan")
    office.clock.set(datetime(2026, 10, 7, 2, 0, tzinfo=UTC))
    await reminders.check(office.core)
    assert not await p["op_pel"].saw("melewati batas waktu")
    assert not await p["op_sek"].saw("melewati batas waktu")  # the general one is not due
    office.clock.set(datetime(2026, 10, 13, 2, 0, tzinfo=UTC))
    await reminders.check(office.core)
    assert await p["op_pel"].saw("melewati batas waktu")

    # the Kepala Dinas closes the general one as not pursued, with a reason
    await p["op_pen"].tap_data(f"fd:{(await recs(office))[general].id}")
    assert await p["op_pen"].saw("bukan untuk Anda")
    await p["kadin"].send("/tindak_lanjut")
    await p["kadin"].tap(tl.BTN_DROP.format(n=1))
    await p["kadin"].send("Sudah tercakup dalam program prioritas")
    assert await p["op_sek"].saw("tidak dilanjutkan")
    dropped = (await recs(office))[general]
    assert dropped.dropped is not None and dropped.open_units == ()
    assert dropped.state_of("penempatan") is FollowUpState.DROPPED
    await p["op_pel"].send("/tindak_lanjut")
    assert general not in await p["op_pel"].last_text()
    assert own in await p["op_pel"].last_text()


async def test_an_open_recommendation_joins_the_next_quarters_form(office: Office) -> None:
    from tests.integration.test_report_figures import TYPED

    p = await distributed(office)
    general = "Percepat penyerapan anggaran"
    for key in ("op_sek", "op_pel", "op_pen"):
        await record(p[key], 1, "direncanakan", "Dijadwalkan triwulan II")
    await record(p["op_pel"], 2, "selesai", "Kerja sama ditandatangani")
    assert await state(office) is PeriodState.CLOSED
    await p["kasubag"].send("/buka_periode")
    await p["kasubag"].tap("Triwulan II 2026")
    await p["sekretaris"].tap("Setujui")

    # in chat: after the figures and notes, the general one (still direncanakan) is asked;
    # Pelatihan's own one is selesai and is not
    op = p["op_pel"]
    await op.send("/isi")
    for answer in [*TYPED[2]["pelatihan"], "-", "-", "-", "-", "-"]:
        await op.send(answer)
    question = await op.last_text()
    assert "Pertanyaan 9/9" in question and general in question
    assert f"Batas waktu: {day(date(2026, 12, 31))}" in question
    assert "Kerja sama" not in question
    async with office.core.db.reading() as conn:
        period = await periods.current_period(conn)
        assert period is not None
        report = await periods.unit_report_for(conn, period.id, "pelatihan")
    assert report is not None
    await op.tap_data(f"ek:{report.id}:{report.version}")  # not before it is answered
    assert await op.saw("no. 9")
    # a photo at the question is its evidence; the status chosen, then what was done
    await photo(office, op, "file-photo-q2")
    assert await op.saw("Tulis apa yang telah dilakukan")
    await op.tap(tl.BTN_STATUS["selesai"])
    assert "Status yang akan dicatat: selesai" in await op.last_text()
    await op.send("Rencana kas direvisi; penyerapan naik")
    assert await offered(op, "Kirim ke Kepala Bidang")  # the summary, now complete
    rec = (await recs(office))[general]
    assert rec.state_of("pelatihan") is FollowUpState.DONE
    assert rec.follow_up_of("pelatihan").text == "Rencana kas direvisi; penyerapan naik"
    assert await evidence_rows(office) == [("pelatihan", "foto", "file-photo-q2")]

    # the ready-to-fill message asks the same, and its answer sets the status too
    pen = p["op_pen"]
    await pen.send("/isi")
    await pen.tap("Isi sekaligus")
    filled = [m.text for m in await pen.new()]
    line = next(line for m in filled for line in m.splitlines() if line.startswith("9. "))
    assert line.startswith(f"9. Tindak lanjut rekomendasi Triwulan I 2026 “{general}”")
    answers = [*TYPED[2]["penempatan"], "-", "-", "-", "-", "-"]
    lines = [f"{n}. {a}" for n, a in enumerate(answers, 1)]
    await pen.send("\n".join([*lines, f"{line}dalam proses; Koordinasi dengan BPKAD"]))
    rec = (await recs(office))[general]
    assert rec.state_of("penempatan") is FollowUpState.IN_PROGRESS
    assert rec.follow_up_of("penempatan").text == "Koordinasi dengan BPKAD"
    assert await offered(pen, "Kirim ke Kepala Bidang")


async def test_the_template_asks_the_carried_recommendation_and_reads_its_answer(
    office: Office,
) -> None:
    import io

    import openpyxl

    from bot.services.files.templates import template_context
    from bot.services.quarter import forms
    from exports.template import build_template
    from exports.template_layout import CATATAN
    from tests.integration.office import take_document

    p = await distributed(office)
    general = "Percepat penyerapan anggaran"
    for key in ("op_sek", "op_pel", "op_pen"):
        await record(p[key], 1, "direncanakan", "Dijadwalkan")
    await record(p["op_pel"], 2, "direncanakan", "Dijadwalkan")
    await p["kasubag"].send("/buka_periode")
    await p["kasubag"].tap("Triwulan II 2026")
    await p["sekretaris"].tap("Setujui")

    async with office.core.work(None) as work:
        period = await periods.current_period(work.conn)
        assert period is not None
        report = await periods.unit_report_for(work.conn, period.id, "sekretariat")
        assert report is not None
        data = build_template(await template_context(work, await forms.load(work, report)))
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book[CATATAN]
    rows = [r for r in sheet.iter_rows(min_row=2) if r[0].value]
    question = rows[-1]
    assert f"Tindak lanjut rekomendasi Triwulan I 2026: {general}" in question[0].value
    assert str(question[2].value).startswith("R|")
    question[1].value = "selesai; Rencana kas direvisi bersama BPKAD"
    for row in rows[:-1]:
        row[1].value = "-"
    filled = io.BytesIO()
    book.save(filled)
    op = p["op_sek"]
    await take_document(
        office.core, op.origin(), "formulir.xlsx", filled.getvalue(), len(filled.getvalue())
    )
    await op.tap("Simpan")
    rec = (await recs(office))[general]
    assert rec.state_of("sekretariat") is FollowUpState.DONE
    assert rec.follow_up_of("sekretariat").text == "Rencana kas direvisi bersama BPKAD"
    assert await p["kasubag"].saw("Sekretariat menandai rekomendasi berikut selesai")


async def test_the_recap_carries_only_earlier_recommendations_that_changed(office: Office) -> None:
    from bot.services.quarter.followup_common import recap_items
    from storage import org

    p = await distributed(office)
    general, own = "Percepat penyerapan anggaran", "Perluas pelatihan berbasis kompetensi"
    for key in ("op_sek", "op_pel", "op_pen"):
        await record(p[key], 1, "direncanakan", "Dijadwalkan")
    await record(p["op_pel"], 2, "direncanakan", "Dijadwalkan")
    assert await state(office) is PeriodState.CLOSED
    recap = next(m for m in await p["kadin"].inbox() if "Rekap tindak lanjut" in m.text)
    assert general in recap.text and own in recap.text  # the period's own, all of them
    async with office.core.db.reading() as conn:
        closed_at = await followups.last_recap_at_before(conn, 0)
    assert closed_at is not None

    # later, only Pelatihan's own one changes; a next period's recap carries just that one
    await record(p["op_pel"], 2, "dalam_proses", "Kurikulum disusun")
    async with office.core.work(None) as work:
        kadin = await org.person_by_telegram(work.conn, p["kadin"].telegram_id)
        assert kadin is not None
        later = await periods.create_period(work.conn, 2026, 2, kadin.id, work.now)
        period = await periods.period(work.conn, later)
        assert period is not None
        items, buttons = await recap_items(work, period, closed_at)
    assert [(label, text, carried) for label, _, text, carried, _ in items] == [
        ("Triwulan I 2026", own, True)
    ]
    assert items[0][4] == [("Bidang Pelatihan", "dalam_proses", 0)]
    assert buttons == []  # no evidence sent
