"""The Rincian prints compactly (issue 22), checked without an office program: every row as
tall as its tallest text in Calibri's widths, activity names over the empty Indikator cell,
the unit column as wide as the longest unit name, and the scale that takes the fewest pages.
The page budgets themselves are measured on paper by tests/integration/test_report_office.py.
"""

from __future__ import annotations

import io
from dataclasses import replace

import openpyxl
import pytest
import xlsxwriter
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

from exports.paper import PAPERS
from exports.report import build_report
from exports.report_data import ReportData
from exports.report_print import Layout, keep_together, pages_down, wide_layout
from exports.report_style import LINE_POINTS, ROW_PAD, Sheet, text_lines
from exports.rincian_compact import SasaranRun, sasaran_blocks
from tests.unit.test_report import FIRST, UNITS, make_data


@pytest.fixture(scope="module")
def book() -> Workbook:
    return openpyxl.load_workbook(io.BytesIO(build_report(make_data())))


def _width(sheet: object, col: int) -> float:
    """A column's width as written (openpyxl keeps neighbours of one width as one range),
    less the padding Excel adds to what a program stores."""
    for dimension in sheet.column_dimensions.values():  # type: ignore[attr-defined]
        if dimension.min <= col <= dimension.max:
            return float(dimension.width) - 0.7109375
    raise LookupError(get_column_letter(col))


def test_every_row_is_as_tall_as_its_tallest_text_and_no_taller(book: Workbook) -> None:
    sheet = book["Rincian"]
    merged = {str(m): m for m in sheet.merged_cells.ranges}
    checked = 0
    for row in sheet.iter_rows(min_row=FIRST, max_row=sheet.max_row):
        number = row[0].row
        if row[2].value is None:  # past the table
            break
        lines = 1
        for cell in row:
            if cell.data_type != "s" or not cell.value or cell.column == 2:
                continue  # a formula's result is a figure; a Sasaran spans rows
            span = [m for m in merged.values() if cell.coordinate in m]
            columns = range(span[0].min_col, span[0].max_col + 1) if span else [cell.column]
            width = sum(_width(sheet, c) for c in columns)
            bold = bool(cell.font and cell.font.b)
            lines = max(lines, text_lines(cell.value, width, bold))
        height = sheet.row_dimensions[number].height or LINE_POINTS
        expected = LINE_POINTS * lines + (ROW_PAD if lines > 1 else 0)
        assert height >= expected, (number, height, expected)
        # the old guess gave about twice the text's height; a Sasaran may add a line or two
        assert height <= expected + 2 * LINE_POINTS, (number, height, expected)
        checked += 1
    assert checked > 10


def test_an_activity_name_runs_on_over_its_empty_indikator_cell(book: Workbook) -> None:
    sheet = book["Rincian"]
    merged = {str(m) for m in sheet.merged_cells.ranges}
    activities = [r for r in sheet.iter_rows(min_row=FIRST) if r[2].value and r[3].value]
    assert activities
    for row in activities:
        assert f"D{row[0].row}:E{row[0].row}" in merged, row[2].value


def test_the_unit_column_holds_the_longest_unit_name_on_one_line(book: Workbook) -> None:
    sheet = book["Rincian"]
    width = _width(sheet, 31)
    assert all(text_lines(u.name, width) == 1 for u in UNITS)


def test_the_scale_takes_the_fewest_pages_then_the_largest_type() -> None:
    widths = [10.0] * 5 + [12.0] * 20
    groups = [(c, c + 1) for c in range(5, 25, 2)]
    f4 = PAPERS["F4"]
    plain = wide_layout(widths, 5, groups, f4)
    assert plain.pages_wide == 2 and plain.scale > 70
    # Down the page, a smaller type saves a page from 70 % down: 70 % it is.
    fewer = wide_layout(widths, 5, groups, f4, lambda scale: (2 if scale <= 70 else 3, 3))
    assert fewer.pages_wide == plain.pages_wide
    assert fewer.scale == 70
    # No page to save: the largest type.
    same = wide_layout(widths, 5, groups, f4, lambda scale: (3, 3))
    assert same == plain and isinstance(same, Layout)


def test_pages_down_repeats_the_header_on_every_page() -> None:
    f4 = PAPERS["F4"]
    page = (f4.short_side - 2 * 0.55) * 72  # at 100 %
    rows = {0: 15.0, 1: 15.0, **{r: 100.0 for r in range(2, 12)}}
    # 10 rows of 100 pt under a 30 pt header: 5 of them on a page of 533 pt.
    assert page // 100 == 5
    assert pages_down(rows.__getitem__, (0, 1), 11, f4, 100) == 2
    assert pages_down(rows.__getitem__, (0, 1), 11, f4, 50) == 1
    assert pages_down(rows.__getitem__, (0, 1), 11, f4, 200) == 5


def test_a_long_unit_name_never_costs_a_page_across() -> None:
    data = make_data()
    longer = " dan Urusan Lain yang Namanya Sangat Panjang untuk Diuji" * 2
    long_names = replace(data, units=tuple(replace(u, name=u.name + longer) for u in data.units))

    def pages_across(report: ReportData) -> int:
        sheet = openpyxl.load_workbook(io.BytesIO(build_report(report)))["Rincian"]
        return len(sheet.col_breaks.brk) + 1

    assert pages_across(long_names) == pages_across(data)


def test_a_sasaran_never_straddles_a_page_break() -> None:
    """A merged Sasaran prints on its first row's page only: the rows its text needs start a
    new page when they would cross the foot (exactly; a signature keeps some room to spare)."""
    f4 = PAPERS["F4"]
    rows = {0: 15.0, 1: 15.0, **{r: 50.0 for r in range(2, 40)}}
    # 30 pt of header, then 50 pt rows: row 11 ends at 530 pt of the 532,8 pt page.
    assert pages_down(rows.__getitem__, (0, 1), 11, f4, 100) == 1
    assert keep_together(rows.__getitem__, (0, 1), [], f4, 100, [(11, 11)]) == []
    assert keep_together(rows.__getitem__, (0, 1), [], f4, 100, [(10, 11)]) == []
    assert keep_together(rows.__getitem__, (0, 1), [], f4, 100, [(11, 12)]) == [11]
    assert keep_together(rows.__getitem__, (0, 1), [(10, 11)], f4, 100) == [10]  # 7 % spare


def test_the_rows_a_sasaran_needs_are_the_first_of_its_run() -> None:
    book = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    ws = Sheet(book.add_worksheet(), {1: 18.0})
    text = "Meningkatnya kualitas pengelolaan keuangan perangkat daerah secara akuntabel"
    lines = text_lines(text, 18.0)
    assert lines == 5
    ws.lines.update({10: 2, 11: 2, 12: 2, 13: 1})
    assert sasaran_blocks(ws, [SasaranRun(10, 13, "u", text)]) == [(10, 12)]
    ws.lines[10] = 5
    assert sasaran_blocks(ws, [SasaranRun(10, 13, "u", text)]) == []  # its own row holds it
    book.close()
