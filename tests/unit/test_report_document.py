"""The report as a document: formulas an independent engine recomputes to the bot's figures,
columns wide enough for every figure, rows tall enough for their text, paper and print
settings, colours that can be read, formal dates and titles, DRAF on drafts only."""

from __future__ import annotations

import io
import itertools
import math
import re
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string, get_column_letter

from bot.dates import long_date, long_datetime, zone_abbreviation
from exports.paper import PAPER_ENV, PaperError, paper
from exports.report import build_report
from exports.report_style import PREDIKAT_COLOURS, PREDIKAT_TEXT
from exports.rincian_footer import signature_title
from tests.unit.test_report import ROWS, make_data

D = Decimal


def _engine_values(path: Path, inputs: dict[str, Any] | None = None) -> dict[tuple[str, str], Any]:
    """Every cell as the ``formulas`` engine computes it: {(SHEET, "A1"): value}."""
    formulas = pytest.importorskip("formulas")
    model = formulas.ExcelModel().loads(str(path)).finish()
    solution = model.calculate(inputs=inputs) if inputs else model.calculate()
    values: dict[tuple[str, str], Any] = {}
    for key, result in solution.items():
        text = str(key)
        if "!" not in text or ":" in text.rsplit("!", 1)[1]:
            continue
        sheet, ref = text.rsplit("!", 1)
        value = result.value[0][0] if hasattr(result, "value") else result
        values[(sheet.split("]")[-1].strip("'").upper(), ref.upper())] = getattr(
            value, "item", lambda v=value: v
        )()
    return values


def _same(cached: object, computed: object) -> bool:
    if cached is None:
        return computed in ("", None)
    if isinstance(cached, int | float) and isinstance(computed, int | float):
        return math.isclose(cached, computed, rel_tol=1e-9, abs_tol=1e-9)
    return cached == computed


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "laporan.xlsx"
    path.write_bytes(build_report(make_data()))
    return path


def test_an_independent_engine_recomputes_every_cached_figure(report_file: Path) -> None:
    computed = _engine_values(report_file)
    cached = openpyxl.load_workbook(report_file, data_only=True)
    book = openpyxl.load_workbook(report_file)
    checked, differences = 0, []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                checked += 1
                mine = cached[sheet.title][cell.coordinate].value
                theirs = computed.get((sheet.title.upper(), cell.coordinate), "missing")
                if not _same(mine, theirs):
                    differences.append((sheet.title, cell.coordinate, cell.value, mine, theirs))
    assert checked > 60  # capaian, predikat, sums, means and absorption are formulas
    assert differences == []


def _find(sheet: Any, text: str, column: int) -> int:
    for row in sheet.iter_rows(min_col=column, max_col=column):
        if row[0].value == text:
            return int(row[0].row)
    raise AssertionError(text)


def test_an_edited_realisasi_moves_its_capaian_predikat_unit_mean_and_total(
    report_file: Path,
) -> None:
    book = openpyxl.load_workbook(report_file, data_only=True)
    rincian, ringkasan = book["Rincian"], book["Ringkasan"]
    row = _find(rincian, "B2", 3)  # jumlah, target 10 + 10 to date, realisasi 3 + 4
    unit_row = _find(ringkasan, "Bidang Pelatihan", 1)
    total_row = _find(ringkasan, "Total Dinas", 1)
    before = {
        "capaian": rincian[f"W{row}"].value,
        "predikat": rincian[f"Z{row}"].value,
        "unit": ringkasan[f"C{unit_row}"].value,
        "total": ringkasan[f"C{total_row}"].value,
    }
    assert before["predikat"] == "Sangat Rendah" and math.isclose(before["capaian"], 35)
    # The Kasubbag corrects triwulan II from 4 to 16: 19 of 20 is 95 %.
    after = _engine_values(report_file, {f"'[laporan.xlsx]RINCIAN'!O{row}": 16})
    assert math.isclose(after[("RINCIAN", f"U{row}")], 19)
    assert math.isclose(after[("RINCIAN", f"W{row}")], 95)
    assert after[("RINCIAN", f"Z{row}")] == "Sangat Tinggi"
    assert math.isclose(after[("RINGKASAN", f"C{unit_row}")], before["unit"] + 60 / 5)
    assert math.isclose(
        after[("RINGKASAN", f"C{total_row}")], before["total"] + 60 / 7
    )  # 7 indicators have a target
    assert after[("RINGKASAN", f"E{unit_row}")] == ringkasan[f"E{unit_row}"].value + 1


def _shown(value: float, number_format: str) -> str:
    """A number as its cell format shows it (grouping marks included)."""
    decimals = 2 if ".00" in number_format else (2 if ".##" in number_format else 0)
    text = f"{value:,.{decimals}f}"
    if ".##" in number_format:
        text = text.rstrip("0").rstrip(".")
    if "Rp" in number_format:
        text = "Rp " + text
    if "%" in number_format:
        text += " %"
    return text


def test_no_figure_is_wider_than_its_column() -> None:
    """Hundreds of millions and the Renstra's trillions fit: no ``###`` in any program."""
    big = replace(
        ROWS[0],
        indicator=replace(
            ROWS[0].indicator,
            renstra_target=D("1250000.5"),
            renstra_target_rp=D(12_500_000_000_000),
            renstra_realisasi_lalu=D(987654),
            renstra_realisasi_lalu_rp=D(9_876_543_210_987),
            target_annual=D(1_000_000),
        ),
        realisasi_q=(D("123456.75"), D(654321), None, None),
    )
    data = make_data()
    budgets = tuple(
        replace(b, activity=replace(b.activity, pagu=D(987_654_321_000))) for b in data.budgets
    )
    data = replace(data, indicators=(big, *ROWS[1:]), budgets=budgets)
    book = openpyxl.load_workbook(io.BytesIO(build_report(data)), data_only=True)
    checked = 0
    for sheet in book.worksheets:
        widths, hidden = {}, set()
        for dim in sheet.column_dimensions.values():
            for col in range(dim.min or 1, (dim.max or dim.min or 1) + 1):
                widths[col] = dim.width
                if dim.hidden:  # the charts' reference lines: never shown or printed
                    hidden.add(col)
        for row in sheet.iter_rows():
            for cell in row:
                if cell.column in hidden:
                    continue
                if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    if cell.is_date or "yy" in cell.number_format:
                        continue
                    shown = _shown(float(cell.value), cell.number_format)
                    width = widths.get(cell.column, 8.43)
                    assert len(shown) + 1 <= width, (sheet.title, cell.coordinate, shown, width)
                    checked += 1
    assert checked > 100


def test_rows_are_as_tall_as_their_wrapped_text() -> None:
    """LibreOffice and WPS keep a row one line tall unless its height is written."""
    long_note = "Kendala: " + "jadwal instruktur bergeser karena anggaran terlambat " * 4
    data = replace(make_data(), indicators=(replace(ROWS[0], note=long_note), *ROWS[1:]))
    book = openpyxl.load_workbook(io.BytesIO(build_report(data)), data_only=True)
    for sheet in book.worksheets:
        widths = {}
        for dim in sheet.column_dimensions.values():
            for col in range(dim.min or 1, (dim.max or dim.min or 1) + 1):
                widths[col] = dim.width
        merged = {c for r in sheet.merged_cells.ranges for c in _cells(str(r))}
        for row in sheet.iter_rows():
            for cell in row:
                if not isinstance(cell.value, str) or not cell.alignment.wrap_text:
                    continue
                if cell.coordinate in merged:
                    continue
                # Even at a generous 1,3 characters per unit of width, it needs this many lines.
                lines = math.ceil(len(cell.value) / (1.3 * widths.get(cell.column, 8.43)))
                height = sheet.row_dimensions[cell.row].height or 15
                assert height >= 15 * lines, (sheet.title, cell.coordinate, height, lines)
    rincian = book["Rincian"]
    row = _find(rincian, "A1", 3)
    assert (rincian.row_dimensions[row].height or 15) >= 60  # the long note wraps


def _cells(ref: str) -> list[str]:
    first, _, last = ref.partition(":")
    c1, r1 = re.match(r"([A-Z]+)(\d+)", first).groups()  # type: ignore[union-attr]
    c2, r2 = re.match(r"([A-Z]+)(\d+)", last or first).groups()  # type: ignore[union-attr]
    return [
        f"{get_column_letter(c)}{r}"
        for c in range(column_index_from_string(c1), column_index_from_string(c2) + 1)
        for r in range(int(r1), int(r2) + 1)
    ]


def _luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_every_predikat_fill_has_readable_text(report_file: Path) -> None:
    assert set(PREDIKAT_COLOURS) == set(PREDIKAT_TEXT)
    for name, fill in PREDIKAT_COLOURS.items():
        assert contrast(fill, PREDIKAT_TEXT[name]) >= 4.5, name
    assert contrast("#1E7B34", "#000000") < 4.5  # why Sangat Tinggi has white text
    sheet = openpyxl.load_workbook(report_file)["Rincian"]
    seen = set()
    for row in sheet.iter_rows():
        cell = row[25]
        if cell.data_type == "f" and cell.fill.fgColor.rgb not in (None, "00000000"):
            fill = "#" + cell.fill.fgColor.rgb[-6:]
            text = "#" + (cell.font.color.rgb[-6:] if cell.font.color else "000000")
            assert contrast(fill, text) >= 4.5, cell.coordinate
            seen.add(fill)
    assert len(seen) >= 3


def test_paper_is_f4_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PAPER_ENV, raising=False)
    assert paper().index == 14
    for name, index in (("A4", 9), ("a3", 8), ("Folio", 14), (" f4 ", 14)):
        monkeypatch.setenv(PAPER_ENV, name)
        assert paper().index == index
    monkeypatch.setenv(PAPER_ENV, "Letter")
    with pytest.raises(PaperError, match="F4, A4 atau/or A3"):
        paper()
    monkeypatch.setenv(PAPER_ENV, "A4")
    book = openpyxl.load_workbook(io.BytesIO(build_report(make_data())))
    assert {int(s.page_setup.paperSize) for s in book.worksheets} == {9}


def test_rincian_pages_keep_type_at_7_pt_or_more(report_file: Path) -> None:
    """The scale and column breaks put each band of columns, with the key columns, on a page."""
    from exports.report_print import column_points, printable_points

    sheet = openpyxl.load_workbook(report_file)["Rincian"]
    scale = int(sheet.page_setup.scale)
    assert 11 * scale / 100 >= 7
    widths = {}
    for dim in sheet.column_dimensions.values():
        for col in range(dim.min, dim.max + 1):
            widths[col] = dim.width - 0.71  # xlsxwriter stores the width with its padding
    breaks = [b.id for b in sheet.col_breaks.brk]
    assert 1 <= len(breaks) <= 2  # two or three pages wide
    edges = [6, *(b + 1 for b in breaks), 33]
    key = sum(column_points(widths[c]) for c in range(1, 6))
    for first, end in itertools.pairwise(edges):
        band = sum(column_points(widths[c]) for c in range(first, end))
        assert (key + band) * scale / 100 <= printable_points(paper("F4"))


def test_drafts_say_draf_and_finals_do_not() -> None:
    final = openpyxl.load_workbook(io.BytesIO(build_report(make_data())))
    draft = openpyxl.load_workbook(io.BytesIO(build_report(replace(make_data(), draft=True))))
    for name in ("Ringkasan", "Rincian", "Analisis"):
        assert str(draft[name]["A1"].value).startswith("DRAF — ")
        assert "DRAF" not in str(final[name]["A1"].value)
    for sheet in draft.worksheets:
        assert "DRAF" in sheet.oddHeader.left.text
    for sheet in final.worksheets:
        assert "DRAF" not in (sheet.oddHeader.left.text or "")
        assert "DRAF" not in (sheet.oddHeader.center.text or "")


def test_formal_dates_and_titles() -> None:
    at = datetime(2026, 1, 5, 1, 30, tzinfo=UTC)
    assert long_date(at) == "5 Januari 2026"
    assert long_datetime(at) == "5 Januari 2026 pukul 08.30 WIB"
    from zoneinfo import ZoneInfo

    assert zone_abbreviation(ZoneInfo("Asia/Makassar")) == "WITA"
    assert zone_abbreviation(ZoneInfo("Asia/Jayapura")) == "WIT"
    assert long_datetime(at, ZoneInfo("Asia/Jayapura")) == "5 Januari 2026 pukul 10.30 WIT"
    agency = "Dinas Tenaga Kerja Kabupaten Magetan"
    assert signature_title("Kepala Dinas", agency) == "Kepala Dinas Tenaga Kerja Kabupaten Magetan"
    assert signature_title("Plt. Kepala Dinas", agency).endswith(
        "Kepala Dinas Tenaga Kerja Kabupaten Magetan"
    )
    assert signature_title("Kepala", "Badan Pusat Statistik") == "Kepala Badan Pusat Statistik"


def test_wrapped_text_estimate_counts_indent_newlines_and_long_words() -> None:
    from exports.report_style import text_lines

    name = "Sub kegiatan Bidang Penempatan"  # 200 pixels of 11 pt Calibri
    assert text_lines(name, 30) == 1
    assert text_lines(name, 28) == 2  # 201 pixels, with the cell's padding: too narrow
    assert text_lines("      " + name, 30) == 2  # the sub kegiatan's indent pushes it over
    # Calibri's own widths, not a count of characters: narrow letters fit more on a line.
    assert text_lines("ill " * 10, 20) == 1 and text_lines("MWM " * 10, 20) == 4
    # As LibreOffice draws it with Carlito (Calibri's metric twin), measured on a printout.
    assert text_lines("Meningkatnya kualitas pengelolaan keuangan perangkat daerah", 20) == 3
    assert text_lines("BIDANG", 10, bold=True) == 1
    assert text_lines("satu\ndua\ntiga", 30) == 3
    assert text_lines("x" * 50, 10) >= 5  # a word longer than the column breaks
    assert text_lines("", 10) == 1


def test_a_block_of_rows_that_would_straddle_a_page_starts_the_next() -> None:
    from exports.report_print import keep_together

    f4 = paper("F4")
    page = (8.5 - 1.4) * 72  # at 100 %: 511 pt, 34 rows of 15 pt
    rows_per_page = int(page // 15)
    heights = lambda _row: 15.0  # noqa: E731
    # A six-row signature starting two rows before the foot of the first page moves down.
    start = rows_per_page - 2
    assert keep_together(heights, (0, 0), [(start, start + 5)], f4, 100) == [start]
    # One that fits well inside the page stays where it is.
    assert keep_together(heights, (0, 0), [(5, 10)], f4, 100) == []
    # At 50 % a page holds twice the rows.
    assert keep_together(heights, (0, 0), [(start, start + 5)], f4, 50) == []


def test_a_missing_earlier_quarter_is_not_read_as_zero_by_the_formulas(tmp_path: Path) -> None:
    """A ``jumlah`` at Triwulan II without Triwulan I's figure: the bot leaves the figure to
    date, its capaian, predikat and Renstra figures blank ("–"), and so do the formulas,
    recalculated by an independent engine (never a sum reading the quarter as 0)."""
    missing = replace(
        ROWS[0],  # A1: jumlah, target 25 a quarter
        indicator=replace(ROWS[0].indicator, renstra_target=D(500), renstra_realisasi_lalu=D(120)),
        realisasi_q=(None, D(30), None, None),
    )
    data = replace(make_data(), indicators=(missing, *ROWS[1:]))
    path = tmp_path / "laporan.xlsx"
    path.write_bytes(build_report(data))
    cached = openpyxl.load_workbook(path, data_only=True)
    rincian = cached["Rincian"]
    row = _find(rincian, "A1", 3)
    assert rincian[f"M{row}"].value is None and rincian[f"O{row}"].value == 30
    assert rincian[f"U{row}"].value in (None, "")  # realisasi s.d. triwulan: not computed
    assert rincian[f"W{row}"].value == "–" and rincian[f"Y{row}"].value == "–"
    assert rincian[f"Z{row}"].value == "–"
    assert rincian[f"AA{row}"].value in (None, "") and rincian[f"AC{row}"].value == "–"
    assert rincian[f"AF{row}"].value == "realisasi triwulan I belum tersedia"
    computed = _engine_values(path)
    book = openpyxl.load_workbook(path)
    differences = []
    for sheet in book.worksheets:
        for line in sheet.iter_rows():
            for cell in line:
                if cell.data_type == "f":
                    mine = cached[sheet.title][cell.coordinate].value
                    theirs = computed.get((sheet.title.upper(), cell.coordinate), "missing")
                    if not _same(mine, theirs):
                        differences.append((sheet.title, cell.coordinate, cell.value, mine, theirs))
    assert differences == []
    # The missing quarter typed in afterwards: the figure to date and its capaian appear.
    after = _engine_values(path, {f"'[laporan.xlsx]RINCIAN'!M{row}": 20})
    assert math.isclose(after[("RINCIAN", f"U{row}")], 50)
    assert math.isclose(after[("RINCIAN", f"W{row}")], 100)
    assert math.isclose(after[("RINCIAN", f"AA{row}")], 170)
