"""``python -m bot demo`` as a user runs it: the whole quarter, offline, with one late step.

The report it leaves behind opens with openpyxl and holds exactly the figures the scripted
officials typed; the transcript shows the late step's reminder and its escalation.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl

from bot.demo import QUARTER, YEAR, demo_value, run_demo
from bot.workflow import PeriodState
from storage import catalog, entries, periods
from storage.db import Database

CORRECTED = {"PEL-01": Decimal(130)}  # the value the Pelatihan operator fixed after the return


HI_NAME = "Bidang Hubungan Industrial dan Jaminan Sosial Tenaga Kerja"
UNITS = ("sekretariat", "pelatihan", "penempatan", "hubungan_industrial")


async def typed_and_stored(db_path: Path) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """Indicator code → what the demo's officials typed (the demo's own rule), and what the
    database holds for the closed period."""
    db = await Database.open(db_path)
    try:
        async with db.reading() as conn:
            period = await periods.current_period(conn)
            assert period is not None and period.quarter == QUARTER
            assert period.state is PeriodState.CLOSED
            stored = await entries.realisations(conn, [period.id])
            typed: dict[str, Decimal] = {}
            codes: dict[int, str] = {}
            for unit in UNITS:
                for n, slot in enumerate(await catalog.indicators(conn, YEAR, unit)):
                    code = slot.indicator.code
                    codes[slot.id] = code
                    typed[code] = CORRECTED.get(code, demo_value(slot.indicator, n))
    finally:
        await db.close()
    return typed, {codes[indicator_id]: e.value for (_, indicator_id), e in stored.items()}


async def test_demo_plays_the_quarter_and_its_report_holds_the_inputs(tmp_path: Path) -> None:
    assert await run_demo(tmp_path, quiet=True) == 0

    expected, stored = await typed_and_stored(tmp_path / "kinerja.sqlite3")
    assert stored == expected
    report = tmp_path / f"Laporan_Kinerja_{YEAR}_TW{QUARTER}.xlsx"
    book = openpyxl.load_workbook(report, data_only=True)
    assert book.sheetnames == ["Ringkasan", "Rincian", "Analisis", "Rekomendasi", "Jejak Proses"]
    rincian = book["Rincian"]
    header = [c.value for c in rincian[4]]
    code_col = header.index("Kode")
    value_col = header.index("Realisasi Triwulan I")  # its K column; Rp is the next
    reported = {
        row[code_col]: row[value_col]
        for row in rincian.iter_rows(min_row=7, values_only=True)
        if row[code_col] in expected
    }
    assert reported == {code: float(value) for code, value in expected.items()}

    trail = [row for row in book["Jejak Proses"].iter_rows(min_row=2, values_only=True)]
    late = [(row[0], row[1]) for row in trail if row[7] == "Terlambat"]
    assert late == [
        (
            "3. Pemeriksaan Kepala Bidang",
            "Bidang Hubungan Industrial dan Jaminan Sosial Tenaga Kerja",
        )
    ]

    transcript = (tmp_path / "transkrip.txt").read_text(encoding="utf-8")
    assert "[bot → Maria Ulfa] ⏰ Pengingat Triwulan I 2026" in transcript
    assert "[bot → Bambang Sutrisno] ⚠️ Eskalasi Triwulan I 2026" in transcript
    assert list(tmp_path.glob("Formulir_pelatihan_*.xlsx"))  # the template as sent
    uploaded = list(tmp_path.glob("Formulir_hubungan_industrial_*_terisi.xlsx"))
    assert len(uploaded) == 1  # the one filled in and uploaded (its values are checked above)
    assert f"[Yusuf Hidayat → bot] 📎 {uploaded[0].name}" in transcript
