"""The figures out (issue 22): every collected and imported figure as one long table.

Triwulan I 2026 is closed, Triwulan II compiled, and last year's figures were imported from a
CSV an Indonesian Excel saved (semicolons, decimal commas). The table holds exactly the
figures typed, the report's figures to date and capaian, and what each reader may see; read
back by the history import it changes nothing, as often as it is imported.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from bot.__main__ import main
from bot.services.analysis.history import import_history_file
from bot.services.files import building, exporting, reporting
from exports import figures
from exports.report_data import scored
from storage import history, periods
from tests.integration.office import Office, Person, set_up_agency
from tests.integration.test_report_figures import (
    NUMBER,
    PAGU,
    TYPED,
    collect,
    finish,
    number,
    spent,
)

D = Decimal
# Last year's Triwulan III and IV of two indicators, as a person's spreadsheet saves them.
LAST_YEAR_CSV = (
    b"Kode Indikator;Tahun;Triwulan;Realisasi\n"
    b"IK-1.1;2025;III;18\n"
    b"IK-1.1;2025;IV;22\n"
    b"IK-2.2;2025;IV;7,5\n"
)


@pytest.fixture
async def played(tmp_path: Path) -> AsyncIterator[tuple[Office, dict[str, Person]]]:
    """Triwulan I closed, Triwulan II compiled, 2025 imported."""
    office = await Office.create(tmp_path / "kinerja.sqlite3")
    p = await set_up_agency(office)
    await collect(office, p, 1)
    await finish(p)
    await collect(office, p, 2)
    report = await import_history_file(office.core, LAST_YEAR_CSV, None, "2025.csv")
    assert report.ok and "3 baru" in report.summary, report.summary
    try:
        yield office, p
    finally:
        await office.close()


async def _table(office: Office, reader: str = exporting.EVERY) -> pd.DataFrame:
    async with office.core.db.reading() as conn:
        years = await exporting.year_figures(conn, None, reader)
    return pd.read_csv(
        io.BytesIO(exporting.table_bytes(years, "csv")), dtype=str, keep_default_na=False
    )


def _rows(table: pd.DataFrame, jenis: str, year: int, quarter: int) -> dict[str, pd.Series]:
    chosen = table[
        (table["Jenis"] == jenis)
        & (table["Tahun"] == str(year))
        & (table["Triwulan"] == str(quarter))
    ]
    return {row["Kode"]: row for _, row in chosen.iterrows()}


def _d(text: str) -> Decimal | None:
    return D(text) if text else None


async def test_every_figure_equals_what_was_typed_and_the_reports(
    played: tuple[Office, dict[str, Person]],
) -> None:
    office, _ = played
    table = await _table(office)
    assert list(table.columns) == list(figures.COLUMNS)
    async with office.core.db.reading() as conn:
        first, second = await periods.periods(conn, 2026)
        reports = {
            1: scored(await reporting.report_data(office.core, conn, first)),
            2: scored(await reporting.report_data(office.core, conn, second)),
        }
    for quarter in (1, 2):
        indicators = _rows(table, "Indikator", 2026, quarter)
        assert len(indicators) == 6
        for row in reports[quarter]:
            mine = indicators[row.indicator.code]
            unit = row.indicator.unit_code
            flow_or_stock = 0 if row.indicator.code.endswith(".1") else 1
            typed = number(TYPED[quarter][unit][flow_or_stock])
            assert _d(mine["Realisasi Triwulan"]) == typed
            assert _d(mine["Realisasi s.d. Triwulan"]) == row.to_date
            assert row.cap is not None and row.predikat is not None
            assert _d(mine["Capaian Renja s.d. Triwulan (%)"]) == row.cap.quantize(D("0.01"))
            assert mine["Predikat"] == row.predikat.value
            assert mine["Arah"] == row.indicator.direction.value
            assert mine["Agregasi"] == row.indicator.aggregation.value
            # Triwulan II is compiled, not closed: its figures may still be corrected.
            assert mine["Sumber"] == (
                "dikumpulkan" if quarter == 1 else "dikumpulkan (belum final)"
            )
        budgets = _rows(table, "Sub Kegiatan", 2026, quarter)
        for unit, n in NUMBER.items():
            mine = budgets[f"2.07.0{n}.1.01.0001"]
            assert _d(mine["Realisasi Anggaran Triwulan (Rp)"]) == number(TYPED[quarter][unit][2])
            assert _d(mine["Realisasi Anggaran s.d. Triwulan (Rp)"]) == spent(unit, quarter)
            assert _d(mine["Pagu (Rp)"]) == PAGU
            expected = (spent(unit, quarter) / PAGU * 100).quantize(D("0.01"))
            assert _d(mine["Penyerapan Anggaran s.d. Triwulan (%)"]) == expected
    # 2025 has no catalogue: its imported figures, named from 2026's, without targets.
    last_year = table[table["Tahun"] == "2025"]
    assert set(last_year["Triwulan"]) == {"3", "4"}
    fourth = _rows(table, "Indikator", 2025, 4)
    assert set(fourth) == {"IK-1.1", "IK-2.2"}
    assert _d(fourth["IK-2.2"]["Realisasi Triwulan"]) == D("7.5")
    assert fourth["IK-1.1"]["Indikator Kinerja"] == "Jumlah layanan Sekretariat"
    assert fourth["IK-1.1"]["Target Renja Tahun"] == ""
    assert fourth["IK-1.1"]["Capaian Renja s.d. Triwulan (%)"] == ""
    assert set(last_year["Sumber"]) == {"diimpor"}


async def test_each_reader_sees_the_quarters_their_reports_show(
    played: tuple[Office, dict[str, Person]],
) -> None:
    office, _ = played
    coordinator = await _table(office, exporting.COORDINATOR)
    pimpinan = await _table(office, exporting.PIMPINAN)
    quarters = {
        name: set(t[t["Tahun"] == "2026"]["Triwulan"])
        for name, t in (("coordinator", coordinator), ("pimpinan", pimpinan))
    }
    # Triwulan II is compiled, not yet closed: the pimpinan's reports do not show it either.
    assert quarters == {"coordinator": {"1", "2"}, "pimpinan": {"1"}}


async def test_the_exports_own_files_import_back_changing_nothing(
    played: tuple[Office, dict[str, Person]],
) -> None:
    office, _ = played
    async with office.core.db.reading() as conn:
        years = await exporting.year_figures(conn)
        before = await history.figures_of(conn)
        (first, second) = await periods.periods(conn, 2026)
        report_before = await reporting.report_data(office.core, conn, second)
    for fmt in ("csv", "xlsx", "csv"):
        data = exporting.table_bytes(years, fmt)
        report = await import_history_file(office.core, data, None, f"data.{fmt}")
        assert report.ok, report.summary
        assert "(data kinerja (ekspor))" in report.summary
        assert "0 baru, 0 diubah, 3 sudah sama" in report.summary
        # The quarters collected in the bot are never overwritten, and said so.
        assert "Triwulan I 2026" in report.summary and "Triwulan II 2026" in report.summary
        async with office.core.db.reading() as conn:
            assert await history.figures_of(conn) == before
            after = await reporting.report_data(office.core, conn, second)
        assert after.indicators == report_before.indicators
        assert after.budgets == report_before.budgets
    assert first.quarter == 1


async def test_unduh_offers_the_table_to_the_coordinator_and_the_pimpinan(
    played: tuple[Office, dict[str, Person]],
) -> None:
    office, p = played
    await building.build_pending(office.core)  # the quarter's own files
    label = "Data kinerja semua triwulan (.xlsx)"
    for key in ("kasubag", "sekretaris", "kadin"):
        await p[key].send("/unduh")
        offered = [t for m in await p[key].new() for r in m.buttons for t, _ in r]
        assert label in offered and label.replace("xlsx", "csv") in offered, key
    await p["op_pel"].send("/unduh")
    assert not any(
        "Data kinerja" in t for m in await p["op_pel"].new() for r in m.buttons for t, _ in r
    )
    # A forged button is refused and queues no file.
    for data in ("dk:csv", "dk:pdf"):
        await p["op_pel"].tap_data(data)
    await p["kadin"].tap_data("dk:pdf")
    await p["kasubag"].tap(label)
    await p["kadin"].tap(label.replace("xlsx", "csv"))
    assert await building.build_pending(office.core) == 2
    async with (
        office.core.db.reading() as conn,
        conn.execute(
            "SELECT chat_id, file_name, file_data FROM outbox WHERE file_name LIKE 'Data_Kinerja%'"
        ) as cur,
    ):
        sent = {
            row["chat_id"]: (row["file_name"], row["file_data"]) for row in await cur.fetchall()
        }
    assert set(sent) == {p["kasubag"].telegram_id, p["kadin"].telegram_id}
    name, xlsx = sent[p["kasubag"].telegram_id]
    assert name == "Data_Kinerja.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(figures.COLUMNS)
    assert {(r[0], r[1]) for r in rows[1:]} == {(2025, 3), (2025, 4), (2026, 1), (2026, 2)}
    name, csv = sent[p["kadin"].telegram_id]
    assert name == "Data_Kinerja.csv"
    kadin_table = pd.read_csv(io.BytesIO(csv), dtype=str, keep_default_na=False)
    assert set(kadin_table[kadin_table["Tahun"] == "2026"]["Triwulan"]) == {"1"}
    # Figures equal the database's: Triwulan I's flows, as typed.
    flows = {r[4]: r[13] for r in rows[1:] if r[0] == 2026 and r[1] == 1 and r[2] == "Indikator"}
    for unit, n in NUMBER.items():
        assert flows[f"IK-{n}.1"] == float(number(TYPED[1][unit][0]))


def test_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: Any) -> None:
    """``python -m bot export``: to a file (the format from its name), to stdout, and refusals
    that write nothing."""
    db = tmp_path / "kinerja.sqlite3"
    monkeypatch.setenv("KINERJA_DB", str(db))
    monkeypatch.chdir(tmp_path)
    assert main(["export"]) == 1  # no database yet
    assert "Basis data tidak ditemukan" in capsysbinary.readouterr().err.decode()

    async def prepare() -> None:
        office = await Office.create(db)
        try:
            await set_up_agency(office)
            report = await import_history_file(office.core, LAST_YEAR_CSV, None, "2025.csv")
            assert report.ok, report.summary
        finally:
            await office.close()

    asyncio.run(prepare())
    assert main(["export", "--out", "-"]) == 0
    table = pd.read_csv(io.BytesIO(capsysbinary.readouterr().out), dtype=str)
    assert list(table.columns) == list(figures.COLUMNS)
    # Each indicator with a figure that year, in each quarter that has figures (empty: none).
    assert set(zip(table["Kode"], table["Triwulan"], strict=True)) == {
        ("IK-1.1", "3"),
        ("IK-1.1", "4"),
        ("IK-2.2", "3"),
        ("IK-2.2", "4"),
    }
    assert main(["export", "--year", "2025", "--out", "tw.xlsx"]) == 0
    assert "4 baris data kinerja ditulis ke tw.xlsx" in capsysbinary.readouterr().err.decode()
    assert openpyxl.load_workbook(tmp_path / "tw.xlsx").active is not None
    assert main(["export"]) == 0 and (tmp_path / "Data_Kinerja.csv").is_file()
    assert main(["export", "--format", "xlsx", "--out", "-"]) == 2
    assert main(["export", "--year", "1999", "--out", "none.csv"]) == 1
    assert "tahun 1999" in capsysbinary.readouterr().err.decode()
    assert not (tmp_path / "none.csv").exists()
