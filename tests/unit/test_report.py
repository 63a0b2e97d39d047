"""The consolidated report, opened with openpyxl: sheets, headers, figures, formats, charts.

Every expected figure is computed here from the values put in, by PRODUCT.md "The numbers",
without calling ``bot.numbers``.
"""

from __future__ import annotations

import gc
import io
import zipfile
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.model import Activity, Aggregation, Direction, Indicator, Level, Unit, UnitKind
from bot.numbers_format import format_number, format_percent
from bot.services.files.reporting import analysis_text
from bot.texts.agency import mean_base
from exports.report import PREDIKAT_COLOURS, build_report, report_filename
from exports.report_data import (
    BudgetRow,
    FollowUpRow,
    IndicatorRow,
    RecommendationRow,
    ReportData,
    StepRow,
    UnitNotes,
)

D = Decimal
UP, DOWN = Direction.UP, Direction.DOWN
SUM, LATEST = Aggregation.SUM, Aggregation.LATEST
QUARTER = 2
HYPERLINK = '=HYPERLINK("http://contoh.invalid","klik")'
DDE = "=cmd|' /C calc'!A0"
SHEETS = ["Ringkasan", "Rincian", "Analisis", "Rekomendasi", "Jejak Proses"]
UNITS = (
    Unit("sekretariat", "Sekretariat", UnitKind.SEKRETARIAT),
    Unit("pelatihan", "Bidang Pelatihan", UnitKind.BIDANG),
    Unit("penempatan", "Bidang Penempatan", UnitKind.BIDANG),
)
PAGU = {"sekretariat": D(100_000_000), "pelatihan": D(50_000_000), "penempatan": D(80_000_000)}
SPENT = {  # per sub kegiatan, triwulan I and II
    "sekretariat": (D(20_000_000), D(25_000_000)),
    "pelatihan": (D(10_000_000), None),
    "penempatan": (None, None),
}


def _activities() -> tuple[Activity, ...]:
    out: list[Activity] = []
    for n, unit in enumerate(UNITS, 1):
        program, kegiatan = f"2.07.0{n}", f"2.07.0{n}.1.01"
        out += [
            Activity(Level.PROGRAM, program, f"Program {unit.name}", unit.code),
            Activity(Level.KEGIATAN, kegiatan, f"Kegiatan {unit.name}", unit.code, program),
            Activity(
                Level.SUB_KEGIATAN,
                f"{kegiatan}.0001",
                f"Sub kegiatan {unit.name}",
                unit.code,
                kegiatan,
                PAGU[unit.code],
            ),
        ]
    return tuple(out)


def _sub(unit: str) -> str:
    return f"2.07.0{[u.code for u in UNITS].index(unit) + 1}.1.01.0001"


def _row(
    code: str,
    unit: str,
    direction: Direction,
    aggregation: Aggregation,
    targets: tuple[int | None, ...],
    annual: int | None,
    realisasi: tuple[int | None, int | None],
    satuan: str = "orang",
    note: str = "",
) -> IndicatorRow:
    q = tuple(None if t is None else D(t) for t in targets)
    indicator = Indicator(
        code,
        f"Indikator {code}",
        unit,
        _sub(unit),
        satuan,
        direction,
        aggregation,
        None if annual is None else D(annual),
        (q[0], q[1], q[2], q[3]),
        sasaran=f"Sasaran {unit}",
    )
    r = tuple(None if v is None else D(v) for v in realisasi)
    return IndicatorRow(indicator, (r[0], r[1], None, None), note)


ROWS = (
    _row("A1", "sekretariat", UP, SUM, (25, 25, 25, 25), 100, (20, 30)),
    _row("A2", "sekretariat", DOWN, LATEST, (10, 10, 8, 8), 8, (9, 12), "%"),
    _row("A3", "sekretariat", UP, SUM, (None, None, None, None), None, (5, 5)),
    _row("B1", "pelatihan", UP, LATEST, (50, 60, 70, 80), 80, (40, 30)),
    _row("B2", "pelatihan", UP, SUM, (10, 10, 10, 10), 40, (3, 4), note=HYPERLINK),
    _row("B3", "pelatihan", UP, SUM, (100, 100, 100, 100), 400, (90, 91)),  # 90,50 %
    _row("B4", "pelatihan", UP, SUM, (3, 3, 3, 3), 12, (2, 2)),  # 66,67 %
    _row("B5", "pelatihan", DOWN, LATEST, (5, 5, 5, 5), 5, (4, 0)),  # 0 → 200 %
    _row("C1", "penempatan", UP, SUM, (0, 0, 0, 0), 0, (1, 1)),  # target 0
)
GIVEN = datetime(2026, 7, 20, 3, 0, tzinfo=UTC)


def make_data() -> ReportData:
    acts = _activities()
    budgets = tuple(
        BudgetRow(a, (*SPENT[a.unit_code], None, None))
        for a in acts
        if a.level is Level.SUB_KEGIATAN
    )
    return ReportData(
        agency_name="Dinas Tenaga Kerja Kabupaten Contoh",
        year=2026,
        quarter=QUARTER,
        generated_at=datetime(2026, 7, 21, 2, 0, tzinfo=UTC),
        units=UNITS,
        activities=acts,
        indicators=ROWS,
        budgets=budgets,
        unit_notes=(UnitNotes("pelatihan", kendala="Instruktur kurang", faktor_pendorong="=1+1"),),
        narrative="=SUM(A1:A3) capaian baik",
        recommendations=(
            RecommendationRow(
                1,
                None,
                "Percepat penyerapan",
                "Ani Kadin",
                GIVEN,
                "Triwulan II 2026",
                ("sekretariat", "pelatihan"),
                (
                    FollowUpRow(
                        "pelatihan", "Dipercepat", "Tono", GIVEN + timedelta(days=1), "selesai"
                    ),
                ),
                due=date(2026, 9, 30),
                evidence=(("pelatihan", 2),),
            ),
            RecommendationRow(
                2,
                "pelatihan",
                "Perluas pelatihan",
                "Ani Kadin",
                GIVEN,
                "Triwulan II 2026",
                ("pelatihan",),
                (FollowUpRow("pelatihan", "Dijadwalkan", "Tono", GIVEN + timedelta(days=1)),),
                due=date(2026, 12, 31),
            ),
        ),
        carried_over=(
            RecommendationRow(
                1, "sekretariat", DDE, "Ani Kadin", GIVEN, "Triwulan I 2026", ("sekretariat",)
            ),
        ),
        steps=(
            StepRow(
                1,
                "Membuka periode",
                None,
                "Sri Kasubag",
                GIVEN,
                GIVEN + timedelta(minutes=10),
                timedelta(minutes=15),
                timedelta(minutes=10),
                True,
            ),
            StepRow(
                2,
                "Mengisi realisasi",
                "sekretariat",
                "Rina Operator",
                GIVEN,
                GIVEN + timedelta(days=2),
                timedelta(hours=8),
                timedelta(hours=10),
                False,
            ),
            StepRow(
                3,
                "Pemeriksaan Kepala Bidang",
                "pelatihan",
                "=Joko",
                GIVEN,
                None,
                timedelta(minutes=10),
                None,
                None,
            ),
        ),
        place="Contoh",
        kadin_name="Ani Kadin",
        kadin_nip="19700101 199001 2 001",
    )


# ---- the numbers, computed here -------------------------------------------------------------


def cap(realisasi: Decimal | None, target: Decimal | None, direction: Direction) -> Decimal | None:
    if realisasi is None or target is None or target == 0:
        return None
    if direction is UP:
        return realisasi / target * 100
    return max(D(0), (2 * target - realisasi) / target * 100)


def two(value: Decimal) -> Decimal:
    return value.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def category(value: Decimal | None) -> str:
    if value is None:
        return "–"
    v = two(value)
    if v >= 91:
        return "Sangat Tinggi"
    if v >= 76:
        return "Tinggi"
    if v >= 66:
        return "Sedang"
    if v >= 51:
        return "Rendah"
    return "Sangat Rendah"


def to_date(row: IndicatorRow) -> tuple[Decimal | None, Decimal | None]:
    """(realisasi, target) to date for QUARTER."""
    ind = row.indicator
    values = row.realisasi_q[:QUARTER]
    targets = ind.targets_q[:QUARTER]
    if ind.aggregation is SUM:
        real = sum((v for v in values if v is not None), D(0)) if any(values) else None
        target = (
            sum((t for t in targets if t is not None), D(0))
            if any(t is not None for t in targets)
            else None
        )
        return real, target
    return values[-1], targets[-1]


def capaian_of(row: IndicatorRow) -> Decimal | None:
    real, target = to_date(row)
    return cap(real, target, row.indicator.direction)


def mean(values: list[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, D(0)) / len(present) if present else None


def close(cell: object, expected: Decimal | None) -> bool:
    if expected is None:
        return cell is None or cell == "–"  # a figure that cannot be computed shows "–"
    return isinstance(cell, int | float) and abs(D(str(cell)) - two(expected)) < D("0.005")


# ---- the workbook -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def raw() -> bytes:
    return build_report(make_data())


@pytest.fixture(scope="module")
def book(raw: bytes) -> Workbook:
    """The workbook as a program shows it before recalculating: the bot's cached values."""
    return openpyxl.load_workbook(io.BytesIO(raw), data_only=True)


@pytest.fixture(scope="module")
def formulas_book(raw: bytes) -> Workbook:
    """The same workbook with its formulas."""
    return openpyxl.load_workbook(io.BytesIO(raw))


def rows_by(sheet: Worksheet, col: int, first: int) -> dict[Any, tuple[Any, ...]]:
    return {r[col].value: r for r in sheet.iter_rows(min_row=first) if r[col].value is not None}


def test_sheets_properties_and_file_name(book: Workbook, raw: bytes) -> None:
    assert book.sheetnames == SHEETS
    assert book.properties.title == "Laporan Kinerja Triwulan II 2026"
    assert book.properties.creator == "Dinas Tenaga Kerja Kabupaten Contoh"
    assert book.properties.subject == "Triwulan II 2026"
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        app = archive.read("docProps/app.xml").decode()
    assert "<Company>Dinas Tenaga Kerja Kabupaten Contoh</Company>" in app
    assert report_filename(make_data()) == "Laporan_Kinerja_2026_TW2.xlsx"


@pytest.mark.parametrize(
    ("name", "header_row", "frozen", "filter_ref"),
    [
        ("Ringkasan", 5, "B6", "A5:M8"),
        ("Rincian", 6, "F7", None),
        ("Analisis", 9, "A10", "A9:G12"),
        ("Rekomendasi", 1, "A2", None),
        ("Jejak Proses", 1, "A2", "A1:H4"),
    ],
)
def test_every_sheet_prints_on_f4_landscape_with_frozen_repeated_headers(
    formulas_book: Workbook, name: str, header_row: int, frozen: str, filter_ref: str | None
) -> None:
    sheet = formulas_book[name]
    assert sheet.freeze_panes == frozen
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 14  # F4 / Folio, 8,5 × 13 in
    assert sheet.auto_filter.ref is not None
    assert sheet.auto_filter.ref.startswith(f"A{header_row}:")
    if filter_ref:
        assert sheet.auto_filter.ref == filter_ref
    assert "Halaman &P dari &N" in sheet.oddFooter.right.text
    assert "21 Juli 2026 pukul 09.00 WIB" in sheet.oddFooter.left.text
    assert "Dinas Tenaga Kerja Kabupaten Contoh" in sheet.oddHeader.center.text
    assert not sheet.oddHeader.left.text  # a final report: no DRAF
    if name == "Rincian":  # two-level header and column numbers; key columns on every page
        assert sheet.print_title_rows == "$4:$6"
        assert sheet.print_title_cols == "$A:$E"
        assert int(sheet.page_setup.scale) * 11 >= 700  # 11 pt type prints at 7 pt or more
        assert not sheet.sheet_properties.pageSetUpPr.fitToPage
    elif name == "Analisis":  # several tables (the trend below): no header repeated
        assert sheet.print_title_rows is None
        # The trend chart starts a page (a manual break needs a scale, not a fit).
        assert len(sheet.row_breaks.brk) == 1
        assert not sheet.sheet_properties.pageSetUpPr.fitToPage
        assert int(sheet.page_setup.scale) * 11 >= 700
    else:
        assert sheet.print_title_rows == f"${header_row}:${header_row}"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0


def test_typed_text_stays_text(formulas_book: Workbook) -> None:
    typed = {HYPERLINK, "=1+1", "=SUM(A1:A3) capaian baik", DDE, "=Joko"}
    found = {
        c.value: c.data_type
        for sheet in formulas_book.worksheets
        for row in sheet.iter_rows()
        for c in row
        if c.value in typed
    }
    assert found == dict.fromkeys(typed, "s")


def test_ringkasan_per_unit_and_agency(book: Workbook) -> None:
    sheet = book["Ringkasan"]
    assert [c.value for c in sheet[5]][:13] == [
        "Unit Kerja",
        "Jumlah Indikator",
        "Capaian Rata-rata (%)",
        "Predikat",
        "Sangat Tinggi",
        "Tinggi",
        "Sedang",
        "Rendah",
        "Sangat Rendah",
        "Tanpa Target",
        "Pagu (Rp)",
        "Realisasi Anggaran (Rp)",
        "Penyerapan (%)",
    ]
    rows = rows_by(sheet, 0, 6)
    assert [sheet.cell(r, 1).value for r in range(6, 10)] == [
        "Sekretariat",
        "Bidang Pelatihan",
        "Bidang Penempatan",
        "Total Dinas",
    ]
    every: list[Decimal | None] = []
    total_pagu = total_spent = D(0)
    for unit in UNITS:
        mine = [r for r in ROWS if r.indicator.unit_code == unit.code]
        caps = [capaian_of(r) for r in mine]
        every += caps
        spent = sum((v for v in SPENT[unit.code] if v is not None), D(0))
        total_pagu += PAGU[unit.code]
        total_spent += spent
        row = rows[unit.name]
        unit_mean = mean(caps)
        assert row[1].value == len(mine)
        assert close(row[2].value, unit_mean), (unit.name, row[2].value, unit_mean)
        assert row[3].value == category(unit_mean)
        for col, name in enumerate(
            ("Sangat Tinggi", "Tinggi", "Sedang", "Rendah", "Sangat Rendah"), 4
        ):
            assert row[col].value == sum(1 for c in caps if c is not None and category(c) == name)
        assert row[9].value == sum(1 for c in caps if c is None)
        assert row[10].value == PAGU[unit.code]
        assert row[11].value == spent
        assert close(row[12].value, spent / PAGU[unit.code] * 100)
    total = rows["Total Dinas"]
    assert total[1].value == len(ROWS)
    assert close(total[2].value, mean(every))
    assert total[3].value == category(mean(every)) == "Tinggi"
    assert total[10].value == total_pagu and total[11].value == total_spent
    assert close(total[12].value, total_spent / total_pagu * 100)
    # the boundary cases land where the regulation puts them
    assert rows["Bidang Pelatihan"][4:9] and [c.value for c in rows["Bidang Pelatihan"][4:9]] == [
        1,
        1,
        1,
        0,
        2,
    ]
    assert rows["Bidang Penempatan"][2].value == "–" and rows["Bidang Penempatan"][3].value == "–"


def test_ringkasan_formats_and_colours(book: Workbook) -> None:
    sheet = book["Ringkasan"]
    for row in range(6, 10):
        assert "%" in sheet.cell(row, 3).number_format
        assert "%" in sheet.cell(row, 13).number_format
        assert "Rp" in sheet.cell(row, 11).number_format
        assert "Rp" in sheet.cell(row, 12).number_format
        assert "." not in sheet.cell(row, 2).number_format  # a count shows no decimals
    for row in range(6, 10):
        predikat = sheet.cell(row, 4)
        if predikat.value in PREDIKAT_COLOURS:
            colour = PREDIKAT_COLOURS[predikat.value].lstrip("#")
            assert predikat.fill.fgColor.rgb == "FF" + colour
    assert sheet.cell(5, 1).font.b  # header bold


def test_two_native_charts_on_ringkasan(book: Workbook, raw: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        names = archive.namelist()
        charts = [archive.read(n).decode() for n in sorted(names) if n.startswith("xl/charts/")]
        rels = archive.read("xl/worksheets/_rels/sheet1.xml.rels").decode()
    charts = [c for c in charts if "Ringkasan!" in c]  # the Analisis sheet has its trend chart
    assert len(charts) == 2
    assert "drawing1.xml" in rels  # the drawing hangs on the first sheet, Ringkasan
    capaian, absorption = charts
    assert "Capaian Kinerja per Unit" in capaian and "Ringkasan!$C$6:$C$8" in capaian
    assert "Penyerapan Anggaran per Unit" in absorption and "Ringkasan!$M$6:$M$8" in absorption
    for chart in charts:
        assert "<c:barChart>" in chart and "Ringkasan!$A$6:$A$8" in chart
        assert '<c:min val="0"/>' in chart  # the value axis starts at 0
        assert '<c:showVal val="1"/>' in chart  # the figure on every bar
    # the 76 % and 100 % reference lines on the capaian chart
    assert "<c:lineChart>" in capaian and "Ringkasan!$N$6:$N$8" in capaian
    assert "Ringkasan!$O$6:$O$8" in capaian
    assert len(book["Ringkasan"]._charts) == 2


RINCIAN_GROUPS = [
    "No",
    "Sasaran",
    "Kode",
    "Urusan/Bidang Urusan/Program/Kegiatan/Sub Kegiatan",
    "Indikator Kinerja Program (outcome)/Kegiatan (output)",
    "Satuan",
    "Target Renstra (akhir periode)",
    "Realisasi Renstra s.d. Renja tahun lalu",
    "Target Renja tahun 2026",
    "Realisasi Triwulan I",
    "Realisasi Triwulan II",
    "Realisasi Triwulan III",
    "Realisasi Triwulan IV",
    "Realisasi s.d. Triwulan II",
    "Capaian Renja s.d. Triwulan II (%)",
    "Capaian Tahunan (%)",
    "Predikat",
    "Realisasi Renstra s.d. tahun 2026",
    "Capaian Renstra s.d. tahun 2026 (%)",
    "Unit Penanggung Jawab",
    "Keterangan",
]
FIRST = 7  # the first row of the Rincian table, under its three header rows


def test_rincian_header_is_the_forms_two_levels_and_column_numbers(
    formulas_book: Workbook,
) -> None:
    sheet = formulas_book["Rincian"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    titles = [c.value for c in sheet[4] if c.value is not None]
    assert titles == RINCIAN_GROUPS
    subs = [c.value for c in sheet[5]]
    numbers = [c.value for c in sheet[6] if c.value is not None]
    assert numbers == list(range(1, len(RINCIAN_GROUPS) + 1))
    col = 1
    for title in RINCIAN_GROUPS:
        letter = get_column_letter(col)
        assert sheet.cell(4, col).value == title
        if subs[col - 1] == "K":
            assert subs[col] == "Rp"
            right = get_column_letter(col + 1)
            assert f"{letter}4:{right}4" in merged  # the group over its K and Rp
            assert f"{letter}6:{right}6" in merged  # one number for the group
            col += 2
        else:
            assert f"{letter}4:{letter}5" in merged  # a single column spans both rows
            col += 1
    assert col - 1 == 32


def merged_value(sheet: Any, cell: Any) -> object:
    """What a cell shows: its own value, or that of the merged range it lies in."""
    for merged in sheet.merged_cells.ranges:
        if cell.coordinate in merged:
            return sheet.cell(merged.min_row, merged.min_col).value
    return cell.value


def test_each_sasaran_is_written_once_over_its_indicators(book: Workbook) -> None:
    """As the regulation's form has it: one merged cell per Sasaran, down its indicators."""
    sheet = book["Rincian"]
    written = [c.value for c in sheet["B"][FIRST - 1 :] if c.value]
    assert sorted(written) == sorted({item.indicator.sasaran for item in ROWS})
    for merged in sheet.merged_cells.ranges:
        if merged.min_col == merged.max_col == 2 and merged.min_row >= FIRST:
            assert merged.max_row > merged.min_row  # a Sasaran over two rows or more


def test_rincian_follows_the_permendagri_form(book: Workbook) -> None:
    sheet = book["Rincian"]
    names = {u.code: u.name for u in UNITS}
    rows = rows_by(sheet, 2, FIRST)
    for number, item in enumerate(ROWS, 1):
        ind = item.indicator
        row = rows[ind.code]
        real, _ = to_date(item)
        capaian = capaian_of(item)
        annual = cap(real, ind.target_annual, ind.direction)
        assert row[0].value == number
        assert merged_value(sheet, row[1]) == ind.sasaran and row[4].value == ind.name
        assert row[5].value == ind.satuan
        assert row[10].value == (None if ind.target_annual is None else ind.target_annual)
        assert row[12].value == item.realisasi_q[0] and row[14].value == item.realisasi_q[1]
        assert row[16].value is None and row[18].value is None  # quarters not reached yet
        assert row[20].value == real
        if capaian is None:
            assert row[22].value == "–" and row[25].value == "–"
            assert row[31].value == (
                "belum ada target triwulan ini" if ind.target_annual else "target belum ditetapkan"
            )
        else:
            assert close(row[22].value, capaian), (ind.code, row[22].value, capaian)
            assert "%" in row[22].number_format
            assert row[25].value == category(capaian)
            colour = PREDIKAT_COLOURS[category(capaian)].lstrip("#")
            assert row[25].fill.fgColor.rgb == "FF" + colour
        assert row[24].value == "–" if annual is None else close(row[24].value, annual)
        assert row[30].value == names[ind.unit_code]
        for col in (6, 7, 8, 9, 26, 27, 28, 29):  # no Renstra figures: present and empty
            assert row[col].value is None
    assert rows["B2"][31].value == HYPERLINK
    assert rows["B3"][25].value == "Tinggi"  # 90,50 %
    assert rows["B4"][25].value == "Sedang"  # 66,67 %
    assert close(rows["B5"][22].value, D(200))  # less is better, realisasi 0


def test_rincian_budget_rows_and_hierarchy(book: Workbook) -> None:
    sheet = book["Rincian"]
    rows = rows_by(sheet, 2, FIRST)
    for unit in UNITS:
        sub = rows[_sub(unit.code)]
        spent = sum((v for v in SPENT[unit.code] if v is not None), D(0))
        assert sub[11].value == PAGU[unit.code]
        first, second = SPENT[unit.code]
        assert sub[13].value == first and sub[15].value == second
        assert sub[21].value == spent
        assert close(sub[23].value, spent / PAGU[unit.code] * 100)
        for col in (11, 13, 15, 21):
            assert "Rp" in sub[col].number_format
    program = rows["2.07.01"]
    kegiatan = rows["2.07.01.1.01"]
    sub = rows["2.07.01.1.01.0001"]
    indicator = rows["A1"]
    levels = [sheet.row_dimensions[r[0].row].outline_level for r in (program, kegiatan, sub)]
    assert levels == [1, 2, 3]
    assert sheet.sheet_properties.outlinePr.summaryBelow is False  # headings above their rows
    assert sheet.row_dimensions[indicator[0].row].outline_level == 4
    assert program[3].value == "Program Sekretariat"
    assert kegiatan[3].value.startswith(" ") and kegiatan[3].value.strip() == "Kegiatan Sekretariat"
    assert len(sub[3].value) - len(sub[3].value.lstrip()) > len(kegiatan[3].value) - len(
        kegiatan[3].value.lstrip()
    )
    order = [r[2].value for r in sheet.iter_rows(min_row=FIRST, max_row=FIRST + 11)]
    assert order.index("A1") == order.index("2.07.01.1.01.0001") + 1  # under its sub kegiatan


def filled_right_of(sheet: Worksheet, cell: Any) -> list[Any]:
    """The values in the cells right of ``cell`` on its row, empty ones left out."""
    return [
        c.value
        for c in sheet[cell.row][cell.column :]
        if c.value is not None and not isinstance(c, openpyxl.cell.cell.MergedCell)
    ]


def test_rincian_footer_mean_notes_and_signature(book: Workbook) -> None:
    sheet = book["Rincian"]
    cells = {c.value: c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    label = cells["Rata-rata capaian kinerja s.d. triwulan (%)"]
    overall = mean([capaian_of(r) for r in ROWS])
    # Right of the key columns (No..Indikator), which repeat on every printed page: the
    # footer prints once, on the first page across.
    assert label.column > 5
    mean_cell, predikat_cell = filled_right_of(sheet, label)[:2]
    assert close(mean_cell, overall)
    assert predikat_cell == category(overall)
    pendorong = cells["Faktor pendorong"]
    assert filled_right_of(sheet, pendorong)[0] == "=1+1"
    for text in ("Contoh, 21 Juli 2026", "Ani Kadin", "NIP. 19700101 199001 2 001"):
        assert text in cells
    assert "Kepala Dinas Tenaga Kerja Kabupaten Contoh" in cells  # never "Dinas Dinas"
    assert not any("Dinas Dinas" in text for text in cells)


def test_analisis_narrative_below_76_by_gap_and_trend(book: Workbook) -> None:
    sheet = book["Analisis"]
    assert sheet["A2"].value == "=SUM(A1:A3) capaian baik"
    assert [c.value for c in sheet[9]][:8] == [  # [7:] is the trend table's width
        "Unit",
        "Indikator",
        "Target s.d. Triwulan",
        "Realisasi s.d. Triwulan",
        "Capaian (%)",
        "Predikat",
        "Selisih dari 76%",
        None,
    ]
    below = sorted(
        ((D(76) - c, r) for r in ROWS if (c := capaian_of(r)) is not None and two(c) < 76),
        key=lambda pair: pair[0],
        reverse=True,
    )
    assert [r.indicator.code for _, r in below] == ["B2", "B1", "B4"]
    for offset, (gap, item) in enumerate(below):
        row = sheet[10 + offset]
        real, target = to_date(item)
        assert row[1].value == item.indicator.name
        assert row[2].value == target and row[3].value == real
        assert close(row[4].value, capaian_of(item))
        assert row[5].value == category(capaian_of(item))
        assert close(row[6].value, gap)
    assert sheet.cell(13, 1).value is None  # exactly three
    trend = rows_by(sheet, 0, 14)
    assert [c.value for c in trend["Unit"][:3]] == ["Unit", "TW I", "TW II"]
    for unit in UNITS:
        mine = [r for r in ROWS if r.indicator.unit_code == unit.code]
        for q in (1, 2):
            expected = mean(
                [
                    cap(r.realisasi_q[q - 1], r.indicator.targets_q[q - 1], r.indicator.direction)
                    for r in mine
                ]
            )
            assert close(trend[unit.name][q].value, expected), (unit.name, q)


def test_rekomendasi_with_follow_ups_and_carried_items(book: Workbook) -> None:
    sheet = book["Rekomendasi"]
    assert [c.value for c in sheet[1]] == [
        "No",
        "Untuk",
        "Rekomendasi",
        "Diberikan oleh",
        "Tanggal",
        "Batas Waktu",
        "Unit",
        "Tindak Lanjut",
        "Oleh",
        "Tanggal Tindak Lanjut",
        "Status",
        "Data Dukung",
    ]
    # a general recommendation: one row per unit it reached, each with its own follow-up
    general_sek, general_pel, unit = sheet[2], sheet[3], sheet[4]
    assert [c.value for c in general_sek[:4]] == [1, "Umum", "Percepat penyerapan", "Ani Kadin"]
    assert general_sek[4].value == datetime(2026, 7, 20, 10, 0)  # in Jakarta time
    assert "yy" in general_sek[4].number_format
    assert general_sek[5].value == datetime(2026, 9, 30)
    assert general_sek[6].value == "Sekretariat" and general_sek[10].value == "Belum dicatat"
    assert general_sek[11].value == 0
    assert [c.value for c in general_pel[:3]] == [1, "Umum", "Percepat penyerapan"]
    assert general_pel[6].value == "Bidang Pelatihan" and general_pel[7].value == "Dipercepat"
    assert general_pel[10].value == "Selesai" and general_pel[11].value == 2
    assert [c.value for c in unit[1:3]] == ["Bidang Pelatihan", "Perluas pelatihan"]
    assert unit[7].value == "Dijadwalkan" and unit[8].value == "Tono"
    assert unit[9].value == datetime(2026, 7, 21, 10, 0)
    # a plan is a status of its own: still open until the unit marks it selesai
    assert unit[10].value == "Direncanakan" and unit[5].value == datetime(2026, 12, 31)
    assert sheet["A6"].value == "Tindak lanjut terbuka dari periode sebelumnya"
    carried = sheet[7]
    assert carried[1].value == "Sekretariat (Triwulan I 2026)"
    assert carried[2].value == DDE and carried[10].value == "Belum dicatat"


def test_jejak_proses_each_step_against_its_standard(book: Workbook) -> None:
    sheet = book["Jejak Proses"]
    assert [c.value for c in sheet[1]] == [
        "Langkah",
        "Unit",
        "Pelaksana",
        "Mulai",
        "Selesai",
        "Durasi (jam kerja)",
        "Mutu Baku",
        "Status",
    ]
    first, second, third = sheet[2], sheet[3], sheet[4]
    assert [c.value for c in first[:3]] == ["1. Membuka periode", "Dinas", "Sri Kasubag"]
    assert first[3].value == datetime(2026, 7, 20, 10, 0)
    assert first[4].value == datetime(2026, 7, 20, 10, 10)
    assert first[7].value == "Tepat waktu"
    assert second[1].value == "Sekretariat" and second[7].value == "Terlambat"
    assert third[1].value == "Bidang Pelatihan" and third[4].value is None
    assert third[7].value == "Berjalan"
    for row in (first, second):
        assert row[5].value and row[6].value  # duration and standard, as text
    assert first[5].value != first[6].value
    label = sheet.cell(6, 1)
    assert label.value == "Langkah tepat waktu (%)"
    assert close(sheet.cell(6, 2).value, D(50))  # one of the two finished steps


def test_an_empty_period_still_builds() -> None:
    data = ReportData("Dinas", 2026, 1, datetime(2026, 4, 1, tzinfo=UTC), (), (), (), ())
    book = openpyxl.load_workbook(io.BytesIO(build_report(data)))
    assert book.sheetnames == SHEETS
    assert book["Ringkasan"]._charts == []
    assert book["Ringkasan"].cell(6, 1).value == "Total Dinas"


def test_renstra_columns_filled_when_the_catalogue_has_them() -> None:
    flow, stock = ROWS[0], ROWS[1]  # A1: jumlah, more is better; A2: posisi, less is better
    with_renstra = (
        replace(
            flow,
            indicator=replace(
                flow.indicator,
                renstra_target=D(500),
                renstra_target_rp=D(900_000_000),
                renstra_realisasi_lalu=D(300),
            ),
        ),
        replace(
            stock,
            indicator=replace(stock.indicator, renstra_target=D(6), renstra_realisasi_lalu=D(9)),
        ),
    )
    data = replace(make_data(), indicators=with_renstra + ROWS[2:])
    sheet = openpyxl.load_workbook(io.BytesIO(build_report(data)), data_only=True)["Rincian"]
    rows = rows_by(sheet, 2, FIRST)
    a1, a2 = rows["A1"], rows["A2"]
    assert a1[6].value == 500 and a1[7].value == 900_000_000 and a1[8].value == 300
    assert a1[26].value == 300 + 20 + 30  # jumlah: last year's plus this year's to date
    assert close(a1[28].value, D(350) / D(500) * 100)
    assert a2[26].value == 12  # posisi: the latest value
    assert close(a2[28].value, (2 * D(6) - D(12)) / D(6) * 100)  # 0: far above the target
    assert a1[27].value is None and a1[29].value is None  # no Rp per indicator
    assert rows["A3"][26].value is None  # no Renstra figures: present and empty


def test_the_chat_chart_is_a_png() -> None:
    from exports.chart import capaian_chart_png

    png = capaian_chart_png(make_data())
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5_000


def test_building_leaves_the_cycle_collector_as_it_found_it() -> None:
    """The collector is paused for the build only, also when the build fails."""
    assert gc.isenabled()
    build_report(make_data())
    assert gc.isenabled()
    gc.disable()
    try:
        build_report(make_data())
        assert not gc.isenabled()  # someone else's pause is not ended by ours
    finally:
        gc.enable()
    broken = replace(make_data(), quarter=7)  # no such triwulan
    with pytest.raises(IndexError):
        build_report(broken)
    assert gc.isenabled()


def test_the_chat_analysis_says_what_each_mean_counts() -> None:
    """Each unit's mean, like the agency's, names its base: the indicators with a capaian, the
    rest (no target, a target of 0) apart, never a count the mean was not taken over."""
    text = analysis_text(make_data())
    lines = {line.split(":")[0]: line for line in text.split("\n") if line.startswith("• ")}
    (sekretariat,) = [v for k, v in lines.items() if k.startswith("• Sekretariat")]
    assert f", {mean_base(2, 1)}, penyerapan" in sekretariat
    assert mean_base(2, 1) == "dari 2 indikator (1 lainnya tanpa target atau realisasi)"
    (penempatan,) = [v for k, v in lines.items() if k.startswith("• Bidang Penempatan")]
    assert f", {mean_base(0, 1)}, penyerapan" in penempatan
    assert f", {mean_base(7, 2)}" in text.split("\n")[1]  # the agency's line


def test_a_low_indicator_in_the_chat_analysis_cites_its_realisation_and_target() -> None:
    """Under 76 %: the figure and target s.d. triwulan the capaian was computed from, a
    ceiling where less is better."""
    text = analysis_text(make_data())
    n = format_number
    # B2 (more is better, jumlah): 3 + 4 of 10 + 10, 35 %
    assert f"s.d. triwulan {n(D(7))} orang dari target {n(D(20))}, {format_percent(D(35))}" in text
