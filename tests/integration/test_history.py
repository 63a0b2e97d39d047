"""Earlier quarters (issue 14): a missing quarter is never 0, and history imports fill it.

A period opened at Triwulan II without Triwulan I shows its ``jumlah`` figures to date as not
computed (and says why); importing Triwulan I from a spreadsheet (a simple list, or the
report's own Rincian) completes them. Expected figures are computed here from what was typed.
"""

from __future__ import annotations

import asyncio
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter

from bot.__main__ import main
from bot.model import Aggregation
from bot.services.analysis.history import import_history_file, year_figures
from bot.services.files import reporting
from exports.report_data import scored
from storage import audit, history, periods
from tests.integration.office import Office, set_up_agency
from tests.integration.test_report_figures import (
    NUMBER,
    PAGU,
    TYPED,
    cap_down,
    cap_up,
    collect,
    number,
)

D = Decimal


def simple_file(rows: list[tuple[Any, ...]]) -> bytes:
    """A simple history list: kode indikator, tahun, triwulan, realisasi."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"strings_to_formulas": False})
    sheet = book.add_worksheet("Riwayat")
    for col, head in enumerate(("Kode Indikator", "Tahun", "Triwulan", "Realisasi")):
        sheet.write_string(0, col, head)
    for r, row in enumerate(rows, 1):
        for col, value in enumerate(row):
            if isinstance(value, str):
                sheet.write_string(r, col, value)
            else:
                sheet.write_number(r, col, value)
    book.close()
    return out.getvalue()


FIRST_QUARTER = [
    (f"IK-{n}.1", 2026, "I", float(number(TYPED[1][unit][0]))) for unit, n in NUMBER.items()
]


async def _period(office: Office) -> periods.Period:
    async with office.core.db.reading() as conn:
        (period,) = await periods.periods(conn, 2026)
    return period


async def _data(office: Office) -> Any:
    period = await _period(office)
    async with office.core.db.reading() as conn:
        return await reporting.report_data(office.core, conn, period)


async def test_triwulan_ii_without_triwulan_i_is_not_read_as_zero(tmp_path: Path) -> None:
    office = await Office.create(tmp_path / "kinerja.sqlite3")
    try:
        p = await set_up_agency(office)
        await collect(office, p, 2)
        data = await _data(office)
        for row in scored(data):
            unit = row.indicator.unit_code
            if row.indicator.aggregation is Aggregation.SUM:
                assert row.to_date is None and row.cap is None  # not Q2 alone against 50
            else:
                assert row.cap == cap_down(number(TYPED[2][unit][1]), D(10))
        text = reporting.analysis_text(data)
        below = text.split("di bawah 76")[-1] if "di bawah 76" in text else ""
        assert "Jumlah layanan" not in below.split("belum dihitung")[0]
        assert "belum dihitung (3 indikator)" in text
        for unit in NUMBER:
            assert f"Jumlah layanan {unit_name(unit)} ({unit_name(unit)})" in text
        book = openpyxl.load_workbook(io.BytesIO(reporting.workbook(data)))
        notes = [c.value for c in book["Rincian"]["AF"] if c.value]
        assert notes.count("realisasi triwulan I belum tersedia") == 3

        # Triwulan I imported from a simple list: the figures to date are complete.
        report = await import_history_file(
            office.core, simple_file(FIRST_QUARTER), None, "riwayat.xlsx"
        )
        assert report.ok, report.summary
        assert "3 baru, 0 diubah, 0 sudah sama" in report.summary
        data = await _data(office)
        for row in scored(data):
            unit = row.indicator.unit_code
            if row.indicator.aggregation is Aggregation.SUM:
                total = number(TYPED[1][unit][0]) + number(TYPED[2][unit][0])
                assert row.to_date == total and row.cap == cap_up(total, D(50))
        assert "belum dihitung" not in reporting.analysis_text(data)
        await _narrowed_reads_agree(office)
        # Again: nothing changes (idempotent), and the import is in the audit log.
        again = await import_history_file(
            office.core, simple_file(FIRST_QUARTER), None, "riwayat.xlsx"
        )
        assert "0 baru, 0 diubah, 3 sudah sama" in again.summary
        async with office.core.db.reading() as conn:
            assert len(await history.figures_of(conn)) == 3
            assert len(await audit.entries(conn, "history")) == 2
        # A row for the quarter collected in the bot is skipped, and said so.
        skipped = await import_history_file(
            office.core, simple_file([("IK-1.1", 2026, 2, 999.0)]), None, "tw2.xlsx"
        )
        assert skipped.ok and "Triwulan II 2026" in skipped.summary
        assert (await _data(office)).indicators[0].realisasi_q[1] == number(
            TYPED[2]["sekretariat"][0]
        )
    finally:
        await office.close()


async def _narrowed_reads_agree(office: Office) -> None:
    """A form reads only its unit's codes and earlier quarters: the same figures the whole
    year's read holds for them, imported (Triwulan I) and collected (Triwulan II) alike."""
    async with office.core.db.reading() as conn:
        whole = await year_figures(conn, 2026)
        n = NUMBER["sekretariat"]
        for codes in ([f"IK-{n}.1", f"IK-{n}.2", f"2.07.0{n}.1.01.0001"], ["IK-2.1"], []):
            for quarters in ([1], [2], [1, 2], []):
                narrow = await year_figures(conn, 2026, quarters, codes)
                for full, part in zip(whole, narrow, strict=True):
                    expected = {
                        code: [v if q in quarters else None for q, v in enumerate(values, 1)]
                        for code, values in full.items()
                        if code in codes
                    }
                    assert part == {
                        c: v for c, v in expected.items() if any(x is not None for x in v)
                    }
        assert (await year_figures(conn, 2026, [1, 2], ["IK-2.1"]))[0]["IK-2.1"][0] is not None


def unit_name(code: str) -> str:
    return {"sekretariat": "Sekretariat", "pelatihan": "Bidang Pelatihan"}.get(
        code, "Bidang Penempatan"
    )


async def test_the_reports_own_rincian_is_read_back(tmp_path: Path) -> None:
    source = await Office.create(tmp_path / "source.sqlite3")
    try:
        p = await set_up_agency(source)
        await collect(source, p, 1)
        rincian = reporting.workbook(await _data(source))
    finally:
        await source.close()
    office = await Office.create(tmp_path / "kinerja.sqlite3")
    try:
        await set_up_agency(office)
        report = await import_history_file(office.core, rincian, None, "laporan_tw1.xlsx")
        assert report.ok, report.summary
        assert "(Rincian)" in report.summary and "9 baru" in report.summary
        async with office.core.db.reading() as conn:
            values, budgets = await year_figures(conn, 2026)
        for unit, n in NUMBER.items():
            flow, stock, spent = (number(t) for t in TYPED[1][unit])
            assert values[f"IK-{n}.1"] == [flow, None, None, None]
            assert values[f"IK-{n}.2"] == [stock, None, None, None]
            assert budgets[f"2.07.0{n}.1.01.0001"] == [spent, None, None, None]
        # Another year named in the title than the one asked for is refused.
        wrong = await import_history_file(office.core, rincian, 2025, "laporan_tw1.xlsx")
        assert not wrong.ok and "tahun lain" in wrong.summary
    finally:
        await office.close()
    assert PAGU  # the same agency as the report tests


async def test_bad_files_are_refused_with_every_problem_and_change_nothing(
    tmp_path: Path,
) -> None:
    office = await Office.create(tmp_path / "kinerja.sqlite3")
    try:
        await set_up_agency(office)
        bad = simple_file(
            [
                ("IK-9.9", 2026, 1, 10.0),  # not in the 2026 catalogue
                ("IK-1.1", 2026, "V", 10.0),  # no such triwulan
                ("IK-1.2", 1850, 1, 10.0),  # no such year
                ("IK-2.1", 2026, 1, "0.500"),  # 500 or 0,5?
                ("IK-2.2", 2026, 1, "=1+1"),  # a formula
                ("IK-3.1", 2026, 1, -4.0),  # negative
                ("IK-3.2", 2026, 1, 5.0),
                ("IK-3.2", 2026, "I", 6.0),  # the same quarter again, another value
            ]
        )
        report = await import_history_file(office.core, bad, None, "salah.xlsx")
        assert not report.ok
        for row, reason in (
            (2, "tidak ada di katalog 2026"),
            (3, "triwulan harus 1–4"),
            (4, "tahun harus"),
            (5, "angka tidak jelas"),
            (6, "rumus"),
            (7, "negatif"),
            (9, "nilai lain"),
        ):
            assert any(
                f"baris {row} " in line and reason in line for line in report.summary.splitlines()
            ), (row, report.summary)
        junk = await import_history_file(office.core, b"not a workbook", None, "x.xlsx")
        assert not junk.ok and "bukan .xlsx" in junk.summary
        async with office.core.db.reading() as conn:
            assert await history.figures_of(conn) == {}
    finally:
        await office.close()


def test_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    db = tmp_path / "kinerja.sqlite3"
    monkeypatch.setenv("KINERJA_DB", str(db))

    async def prepare() -> None:
        office = await Office.create(db)
        try:
            await set_up_agency(office)
        finally:
            await office.close()

    asyncio.run(prepare())
    good, bad = tmp_path / "tw1.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(simple_file(FIRST_QUARTER))
    bad.write_bytes(simple_file([("IK-1.1", 2026, 7, 1.0)]))
    assert main(["history", "import", str(good)]) == 0
    assert "3 baru" in capsys.readouterr().out
    assert main(["history", "import", str(bad)]) == 1
    assert "triwulan harus" in capsys.readouterr().err
    assert main(["history", "import", str(tmp_path / "none.xlsx")]) == 2
