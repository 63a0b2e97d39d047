"""The whole quarter at the service layer, on a real SQLite file, with returns at 3, 5 and 6."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from bot.services.files import building
from bot.workflow import PeriodState, UnitState
from storage import catalog, entries, followups, periods
from tests.integration.office import Office, Person, set_up_agency


@pytest.fixture
async def office(tmp_path: Path) -> AsyncIterator[Office]:
    office = await Office.create(tmp_path / "kinerja.sqlite3")
    yield office
    await office.close()


async def fill(op: Person, answers: list[str]) -> None:
    await op.send("/isi")
    for answer in answers:
        await op.send(answer)


async def current(office: Office) -> periods.Period:
    async with office.core.db.reading() as conn:
        period = await periods.current_period(conn)
    assert period is not None
    return period


async def test_full_quarter(office: Office) -> None:
    p = await set_up_agency(office)
    assert "Kasubbag" in await p["kasubag"].last_text()

    # step 1
    await p["kasubag"].send("/buka_periode")
    await p["kasubag"].tap("Triwulan I 2026")
    assert await p["sekretaris"].saw("Persetujuan pembukaan")
    await p["sekretaris"].tap("Setujui")
    assert (await current(office)).state is PeriodState.COLLECTING
    assert await p["op_pel"].saw("Triwulan I 2026 dibuka")

    # step 2: a soft-checked value with an explanation, a budget, notes
    await fill(p["op_sek"], ["30", "8", "Rp 20.000.000", "-", "Pendorong A", "-", "-", "-"])
    await p["op_sek"].tap("Kirim ke Sekretaris")  # the Sekretariat has no Kepala Bidang
    await fill(
        p["op_pel"],
        [
            "60",
            "Pelatihan tambahan dari APBN",
            "12,5",
            "Rp 30.000.000",
            "Kendala",
            "-",
            "-",
            "-",
            "-",
        ],
    )
    await p["op_pel"].tap("Kirim ke Kepala Bidang")
    await fill(p["op_pen"], ["20", "9", "25.000.000", "-", "-", "-", "-", "-"])
    await p["op_pen"].tap("Kirim ke Kepala Bidang")

    # step 3: the sekretaris approves the Sekretariat; a return for Penempatan
    await p["sekretaris"].tap("Setujui")
    assert await p["kabid_pel"].saw("Pemeriksaan laporan Bidang Pelatihan")
    assert await p["kabid_pel"].saw("Pelatihan tambahan dari APBN")
    await p["kabid_pel"].tap("Setujui")
    await p["kabid_pen"].tap("Minta revisi")
    await p["kabid_pen"].send("Angka layanan kurang")
    assert await p["op_pen"].saw("Angka layanan kurang")
    await p["op_pen"].send("/isi")
    await p["op_pen"].send("1. 24")
    await p["op_pen"].tap("Kirim ke Kepala Bidang")
    assert await p["kabid_pen"].saw("20 → 24")
    await p["kabid_pen"].tap("Setujui")

    period = await current(office)
    assert period.state is PeriodState.COMPILING
    assert any(m.method == "sendDocument" for m in await p["kasubag"].inbox())

    # step 4 → 5 with a return at 5
    await p["kasubag"].tap("Tulis narasi analisis")
    await p["kasubag"].send("Capaian triwulan I baik.")
    await p["kasubag"].tap("Kirim ke Sekretaris")
    await p["sekretaris"].tap("Minta revisi")
    await p["sekretaris"].send("Lengkapi narasi")
    assert (await current(office)).state is PeriodState.COMPILING
    await p["kasubag"].tap("Kirim ke Sekretaris")
    await p["sekretaris"].tap("Setujui")

    # step 6 with a return, then recommendations
    await p["kadin"].tap("Minta revisi")
    await p["kadin"].send("Perjelas analisis")
    await p["kasubag"].tap("Kirim ke Sekretaris")
    await p["sekretaris"].tap("Setujui")
    await p["kadin"].tap("Tambah rekomendasi umum")
    await p["kadin"].send("Tingkatkan koordinasi antarbidang")
    await p["kadin"].tap("Rekomendasi untuk unit")
    await p["kadin"].tap("Bidang Pelatihan")
    await p["kadin"].send("Perluas pelatihan berbasis kompetensi")
    await p["kadin"].tap("Setujui")

    # steps 7, 8
    await p["sekretaris"].tap("Serahkan laporan dan rekomendasi")
    await p["kasubag"].tap("Sampaikan rekomendasi")
    assert (await current(office)).state is PeriodState.FOLLOW_UP
    assert await p["op_pel"].saw("Perluas pelatihan")

    # the general recommendation reached every unit, operators and head, marked as general
    for key in ("op_sek", "sekretaris", "op_pen", "kabid_pen", "kabid_pel"):
        assert await p[key].saw("(umum) Tingkatkan koordinasi antarbidang"), key
    assert not await p["op_pen"].saw("Perluas pelatihan")

    # step 9: each unit follows up what it received; the period closes with the last one
    await p["op_pel"].send("/tindak_lanjut")
    await p["op_pel"].tap("Catat tindak lanjut no. 1")
    await p["op_pel"].send("Pelatihan tambahan dijadwalkan triwulan II")
    await p["op_sek"].send("/tindak_lanjut")
    await p["op_sek"].tap("Catat tindak lanjut no. 1")
    await p["op_sek"].send("Rapat koordinasi bulanan")
    assert (await current(office)).state is PeriodState.FOLLOW_UP  # two units still owe one
    await p["kasubag"].send("/status")
    status = await p["kasubag"].last_text()
    assert "Tindak lanjut rekomendasi" in status
    assert "✅ sudah: Sekretariat, Bidang Pelatihan" in status
    assert "⏳ belum: Bidang Penempatan" in status
    await p["op_pel"].send("/tindak_lanjut")  # the general one stays open: direncanakan
    assert "Status: direncanakan" in await p["op_pel"].last_text()
    await p["op_pel"].tap("Catat tindak lanjut no. 2")
    await p["op_pel"].send("Kerja sama dengan LPK swasta")
    assert (await current(office)).state is PeriodState.FOLLOW_UP
    await p["kabid_pen"].send("/tindak_lanjut")  # the head records it for the unit
    await p["kabid_pen"].tap("Catat tindak lanjut no. 1")
    await p["kabid_pen"].send("Rapat koordinasi dengan bidang lain")

    async with office.core.db.reading() as conn:
        final = await periods.period(conn, period.id)
        reports = await periods.unit_reports(conn, period.id)
        values = await entries.realisations(conn, [period.id])
        recs = await followups.recommendations(conn, period.id)
    assert final is not None and final.state is PeriodState.CLOSED
    assert all(r.state is UnitState.APPROVED for r in reports)
    typed = sorted(str(e.value) for e in values.values())
    assert typed == sorted(["30", "8", "60", "12.5", "24", "9"])
    assert {r.text: {f.unit_code for f in r.follow_ups} for r in recs} == {
        "Tingkatkan koordinasi antarbidang": {"sekretariat", "pelatihan", "penempatan"},
        "Perluas pelatihan berbasis kompetensi": {"pelatihan"},
    }


async def test_stale_and_foreign_taps_change_nothing(office: Office) -> None:
    p = await set_up_agency(office)
    await p["kasubag"].send("/buka_periode")
    await p["kasubag"].tap("Triwulan I 2026")
    approve = next(
        data
        for m in await p["sekretaris"].inbox()
        for row in m.buttons
        for label, data in row
        if label == "Setujui"
    )
    # the kadin, an operator and the kasubag cannot approve the opening
    for name in ("kadin", "op_pel", "kasubag"):
        await p[name].tap_data(approve)
        assert (await current(office)).state is PeriodState.AWAITING_OPENING
    await p["sekretaris"].tap_data(approve)
    version = (await current(office)).version
    stale_tap = await p["sekretaris"].tap_data(approve)  # a second, stale tap
    assert (await current(office)).version == version
    assert stale_tap.toast == "Sudah diproses."  # said by the pop-up, once
    assert not await p["sekretaris"].saw("Sudah diproses")


async def test_data_entry_resumes_after_cancel_and_keeps_answers(office: Office) -> None:
    p = await set_up_agency(office)
    await p["kasubag"].send("/buka_periode")
    await p["kasubag"].tap("Triwulan I 2026")
    await p["sekretaris"].tap("Setujui")
    op = p["op_pel"]
    await op.send("/isi")
    await op.send("25")
    await op.send("/batal")
    await op.send("abc")  # outside the dialogue: nothing saved
    office.clock.advance(timedelta(hours=1))
    await op.send("/isi")
    assert "Indikator 2/2" in await op.last_text()
    await op.send("-3")
    assert "tidak boleh negatif" in await op.last_text()
    await op.send("120")  # a percentage above 100
    assert "lebih dari 100" in await op.last_text()
    period = await current(office)  # before reading(): its connection is not reentrant
    async with office.core.db.reading() as conn:
        values = await entries.realisations(conn, [period.id])
    assert [str(v.value) for v in values.values()] == ["25"]
    assert Decimal(25) == next(iter(values.values())).value


async def test_the_template_names_the_running_agency_when_none_was_set(office: Office) -> None:
    """The template falls back to the bot's configured name, as the report does."""
    p = await set_up_agency(office)
    async with office.core.work(None) as work:
        await work.conn.execute("DELETE FROM settings WHERE key = 'agency_name'")
    office.core.config.agency_name = "Dinas Uji Coba"
    await p["kasubag"].send("/buka_periode")
    await p["kasubag"].tap("Triwulan I 2026")
    await p["sekretaris"].tap("Setujui")
    # The template is queued as a recipe and built after the commit, as the running bot does.
    assert await building.build_pending(office.core) >= 1
    async with (
        office.core.db.reading() as conn,
        conn.execute(
            "SELECT file_data FROM outbox WHERE method = 'sendDocument' AND chat_id = ?",
            (p["op_pel"].telegram_id,),
        ) as cur,
    ):
        (template,) = await cur.fetchone()
    petunjuk = openpyxl.load_workbook(io.BytesIO(template)).worksheets[0]
    assert [petunjuk.cell(3, 1).value, petunjuk.cell(3, 2).value] == [
        "Perangkat Daerah",
        "Dinas Uji Coba",
    ]


async def test_chat_entry_refuses_a_fraction_of_a_count(office: Office) -> None:
    """ "12,5 orang" is a typo: refused alone and in numbered lines; nothing is saved."""
    p = await set_up_agency(office)
    await p["kasubag"].send("/buka_periode")
    await p["kasubag"].tap("Triwulan I 2026")
    await p["sekretaris"].tap("Setujui")
    op = p["op_pel"]
    await op.send("/isi")  # indicator 1 counts orang
    await op.send("12,5")
    assert "bilangan bulat" in await op.last_text()
    await op.send("1. 6,1\n2. 8")
    assert "bilangan bulat" in await op.last_text()
    period = await current(office)
    async with office.core.db.reading() as conn:
        values = await entries.realisations(conn, [period.id])
        stored = await catalog.indicators(conn, 2026, "pelatihan")
    assert sorted(str(v.value) for v in values.values()) == ["8"]  # the percentage only
    assert [(s.indicator.satuan, s.indicator.is_count) for s in stored] == [
        ("orang", True),
        ("%", False),
    ]
