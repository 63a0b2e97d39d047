"""The fill-in template: its sheets, what is locked and unlocked, its checks and its hidden keys."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

from bot.model import Activity, Aggregation, Direction, Indicator, Level, Unit, UnitKind
from bot.texts.agency import template_caption
from exports.template import build_template, template_filename
from exports.template_layout import (
    ANGGARAN_HEADERS,
    CATATAN_HEADERS,
    REALISASI_HEADERS,
    TemplateContext,
    fingerprint,
)
from exports.template_text import INPUT_COLOUR, INPUT_FILL

UNIT = Unit("pelatihan", "Bidang Pelatihan dan Produktivitas", UnitKind.BIDANG)
OTHER_UNIT = Unit("penempatan", "Bidang Penempatan Tenaga Kerja", UnitKind.BIDANG)
P1, K1, S1, S2 = "2.07.03", "2.07.03.2.01", "2.07.03.2.01.0001", "2.07.03.2.01.0002"
P2, K2, S3 = "2.07.02", "2.07.02.2.02", "2.07.02.2.02.0003"


def _activities(unit: str) -> tuple[Activity, ...]:
    return (
        Activity(Level.PROGRAM, P1, "Program Pelatihan Kerja dan Produktivitas", unit),
        Activity(Level.KEGIATAN, K1, "Pelaksanaan Pelatihan Berbasis Kompetensi", unit, P1),
        Activity(
            Level.SUB_KEGIATAN, S1, "Proses Pelatihan Kompetensi", unit, K1, Decimal(150_000_000)
        ),
        Activity(Level.SUB_KEGIATAN, S2, "Pengukuran Produktivitas", unit, K1, Decimal(40_000_000)),
        Activity(Level.PROGRAM, P2, "Program Perencanaan Tenaga Kerja", unit),
        Activity(Level.KEGIATAN, K2, "Penyusunan Rencana Tenaga Kerja", unit, P2),
        Activity(
            Level.SUB_KEGIATAN, S3, "Penyusunan Data Pasar Kerja", unit, K2, Decimal(25_000_000)
        ),
    )


def _indicator(
    code: str,
    name: str,
    activity: str,
    satuan: str,
    quarter_target: str,
    *,
    unit: str = UNIT.code,
    aggregation: Aggregation = Aggregation.SUM,
    direction: Direction = Direction.UP,
) -> Indicator:
    q = Decimal(quarter_target)
    annual = q if aggregation is Aggregation.LATEST else q * 4
    return Indicator(code, name, unit, activity, satuan, direction, aggregation, annual, (q,) * 4)


def make_indicators(unit: str = UNIT.code) -> tuple[Indicator, ...]:
    """Eight indicators under two programmes, among them a percentage and two posisi ones."""
    posisi = Aggregation.LATEST
    return (
        _indicator("IK01", "Tenaga kerja terlatih", P1, "orang", "120", unit=unit),
        _indicator(
            "IK02", "Lulusan pelatihan bersertifikat", P1, "%", "80", unit=unit, aggregation=posisi
        ),
        _indicator("IK03", "Paket pelatihan terlaksana", K1, "paket", "6", unit=unit),
        _indicator("IK04", "Peserta pelatihan kompetensi", S1, "orang", "100", unit=unit),
        _indicator("IK05", "Perusahaan diukur produktivitasnya", S2, "perusahaan", "5", unit=unit),
        _indicator(
            "IK06",
            "Tingkat pengangguran terbuka",
            P2,
            "persen",
            "4.5",
            unit=unit,
            aggregation=posisi,
            direction=Direction.DOWN,
        ),
        _indicator("IK07", "Dokumen rencana tenaga kerja", K2, "dokumen", "1", unit=unit),
        _indicator("IK08", "Data pasar kerja dimutakhirkan", S3, "laporan", "3", unit=unit),
    )


def make_context(**changes: object) -> TemplateContext:
    """A realistic unit form for Triwulan III 2026, with some values already entered."""
    unit = changes.pop("unit", UNIT)
    assert isinstance(unit, Unit)
    base: dict[str, object] = {
        "agency_name": "Dinas Tenaga Kerja Kabupaten Magetan",
        "unit": unit,
        "year": 2026,
        "quarter": 3,
        "period_id": 7,
        "indicators": make_indicators(unit.code),
        "activities": _activities(unit.code),
        "previous": {"IK01": Decimal(110), "IK02": Decimal("78.5"), "IK06": Decimal("4.8")},
        "current": {"IK03": Decimal(5)},
        "budget_current": {S2: Decimal(2_500_000)},
        "budget_spent_before": {S1: Decimal(100_000_000)},
        "notes": {"kendala": "Instruktur terbatas"},
    }
    base.update(changes)
    return TemplateContext(**base)  # type: ignore[arg-type]


def _open(ctx: TemplateContext) -> Workbook:
    return openpyxl.load_workbook(io.BytesIO(build_template(ctx)))


@pytest.fixture(scope="module")
def book() -> Workbook:
    return _open(make_context())


def _col(headers: tuple[str, ...], name: str) -> int:
    return headers.index(name) + 1


def test_sheets_and_the_meta_sheet_is_very_hidden(book: Workbook) -> None:
    assert book.sheetnames == ["Petunjuk", "Realisasi", "Anggaran", "Catatan", "_meta"]
    assert book["_meta"].sheet_state == "veryHidden"
    assert all(book[n].sheet_state == "visible" for n in book.sheetnames[:4])
    meta = {r[0]: r[1] for r in book["_meta"].iter_rows(values_only=True)}
    assert meta["unit_code"] == "pelatihan"
    assert meta["period_id"] == "7" and meta["year"] == "2026" and meta["quarter"] == "3"
    assert meta["fingerprint"] == fingerprint(make_context())


def test_fingerprint_changes_with_the_rows() -> None:
    ctx = make_context()
    swapped = make_context(indicators=ctx.indicators[1::-1] + ctx.indicators[2:])
    fewer = make_context(indicators=ctx.indicators[:-1])
    assert len({fingerprint(ctx), fingerprint(swapped), fingerprint(fewer)}) == 3
    assert fingerprint(make_context(current={}, previous={})) == fingerprint(ctx)


def test_headers(book: Workbook) -> None:
    assert tuple(c.value for c in book["Realisasi"][1]) == REALISASI_HEADERS
    assert tuple(c.value for c in book["Anggaran"][1]) == ANGGARAN_HEADERS
    assert tuple(c.value for c in book["Catatan"][1]) == CATATAN_HEADERS


def test_one_row_per_indicator_with_hierarchy_targets_and_previous(book: Workbook) -> None:
    sheet = book["Realisasi"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == [f"IK0{n}" for n in range(1, 9)]
    assert [r[0] for r in rows] == list(range(1, 9))
    by_code = {r[1]: r for r in rows}
    assert by_code["IK04"][2] == (
        "Program Pelatihan Kerja dan Produktivitas › Pelaksanaan Pelatihan Berbasis Kompetensi"
        " › Proses Pelatihan Kompetensi"
    )
    assert by_code["IK06"][2] == "Program Perencanaan Tenaga Kerja"
    assert by_code["IK06"][4:9] == ("persen", "turun", 4.5, 4.5, 4.8)
    assert by_code["IK01"][6:9] == (480, 120, 110)
    assert by_code["IK02"][8] == 78.5
    assert by_code["IK05"][8] is None  # no previous value: blank, not zero
    assert by_code["IK01"][11] == "K|7|pelatihan|IK01"


def test_values_already_entered_are_prefilled(book: Workbook) -> None:
    value = _col(REALISASI_HEADERS, "Realisasi")
    realisasi = {r[1].value: r[value - 1].value for r in book["Realisasi"].iter_rows(min_row=2)}
    assert realisasi["IK03"] == 5
    assert realisasi["IK01"] is None
    anggaran = {r[0]: r for r in book["Anggaran"].iter_rows(min_row=2, values_only=True)}
    assert list(anggaran) == [S1, S2, S3]
    assert anggaran[S1][2:5] == (150_000_000, 100_000_000, None)
    assert anggaran[S2][2:5] == (40_000_000, 0, 2_500_000)
    assert anggaran[S1][5] == f"B|7|pelatihan|{S1}"
    notes = {r[0]: r[1] for r in book["Catatan"].iter_rows(min_row=2, values_only=True)}
    assert notes == {
        "Kendala/Permasalahan": "Instruktur terbatas",
        "Faktor Pendorong": None,
        "Faktor Penghambat": None,
        "Tindak Lanjut Triwulan Berikutnya": None,
        "Tindak Lanjut Renja Tahun Berikutnya": None,
    }


def test_every_sheet_is_protected_and_only_input_cells_are_unlocked(book: Workbook) -> None:
    for name in book.sheetnames:
        assert book[name].protection.sheet, name
    inputs = {
        "Realisasi": {_col(REALISASI_HEADERS, "Realisasi"), _col(REALISASI_HEADERS, "Penjelasan")},
        "Anggaran": {_col(ANGGARAN_HEADERS, "Realisasi Triwulan Ini (Rp)")},
        "Catatan": {_col(CATATAN_HEADERS, "Isian")},
    }
    for name, columns in inputs.items():
        sheet = book[name]
        assert sheet.max_row > 1
        for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row):
            for cell in row:
                unlocked = cell.row > 1 and cell.column in columns
                assert cell.protection.locked is not unlocked, (name, cell.coordinate)
    for name, columns in inputs.items():
        for column in columns:
            fill = book[name].cell(2, column).fill.fgColor.rgb
            assert fill.upper().endswith(INPUT_FILL.lstrip("#").upper()), (name, column)
    assert book["Petunjuk"]["B8"].protection.locked


def _validations(sheet: Any) -> dict[str, Any]:
    """Cell coordinate → the data validation covering it."""
    return {
        get_column_letter(column) + str(row): rule
        for rule in sheet.data_validations.dataValidation
        for cell_range in rule.sqref.ranges
        for row, column in cell_range.cells
    }


def test_input_cells_carry_data_validation(book: Workbook) -> None:
    realisasi = _validations(book["Realisasi"])
    # Help only, refusing nothing: Excel's "decimal" rule would refuse "12,5" in an English
    # Excel and "12.5" in an Indonesian one; the bot reads and checks every cell itself.
    for row in range(2, 10):
        rule = realisasi[f"J{row}"]
        assert rule.type in (None, "any") and rule.showInputMessage and rule.prompt
        assert f"K{row}" in realisasi  # Penjelasan: a length limit
    percent, count = realisasi["J3"], realisasi["J2"]  # IK02 is %, IK01 is orang
    assert "75,5%" in percent.prompt and "0 sampai 100" in percent.prompt
    assert "bilangan bulat" in count.prompt.lower()
    assert "0 sampai 100" in realisasi["J7"].prompt  # IK06's satuan is "persen"
    assert "bilangan bulat" in realisasi["J8"].prompt.lower()  # IK07 counts dokumen
    anggaran = _validations(book["Anggaran"])
    prompts = [anggaran[f"E{row}"].prompt for row in (2, 3, 4)]
    # pagu less what was spent before
    for prompt, left in zip(prompts, ("50.000.000", "40.000.000", "25.000.000"), strict=True):
        assert left in prompt
    assert "B2" in _validations(book["Catatan"])


def test_key_columns_are_hidden_and_layout_is_set(book: Workbook) -> None:
    assert book["Realisasi"].column_dimensions["L"].hidden
    assert book["Anggaran"].column_dimensions["F"].hidden
    assert book["Catatan"].column_dimensions["C"].hidden
    sheet = book["Realisasi"]
    assert sheet.freeze_panes == "E2"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 14  # F4/Folio unless KINERJA_PAPER says otherwise
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.column_dimensions["D"].width > 30


def test_instructions_name_unit_period_and_notation(book: Workbook) -> None:
    text = "\n".join(
        str(v) for row in book["Petunjuk"].iter_rows(values_only=True) for v in row if v
    )
    for expected in (
        "Bidang Pelatihan dan Produktivitas",
        "Triwulan III Tahun 2026",
        "Dinas Tenaga Kerja Kabupaten Magetan",
        "12,5",
        "1.250.000",
        "kirim kembali ke bot",
        "Jangan mengubah susunan",
    ):
        assert expected in text
    assert "batas waktu" not in text.lower()
    assert book.properties.title.startswith("Formulir Realisasi Kinerja")


def test_user_text_starting_with_equals_stays_text() -> None:
    ctx = make_context(notes={"tindak_lanjut": '=HYPERLINK("http://x")'})
    cell = _open(ctx)["Catatan"]["B5"]
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://x")'


def test_a_unit_without_sub_kegiatan_still_builds() -> None:
    ctx = make_context(activities=(), indicators=make_indicators()[:1], budget_current={})
    book = _open(ctx)
    assert book["Anggaran"].max_row == 1
    assert book["Realisasi"].max_row == 2


def test_filename() -> None:
    assert template_filename(make_context()) == "Formulir_pelatihan_2026_TW3.xlsx"


def test_the_colour_the_texts_name_is_the_colour_of_the_input_cells(book: Workbook) -> None:
    """ "Isi sel berwarna kuning" is true: the input fill is a clear yellow, and every text
    that names the colour (Petunjuk, file properties, the chat caption) names the same."""
    import colorsys

    red, green, blue = (int(INPUT_FILL.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
    hue, _, saturation = colorsys.rgb_to_hls(red, green, blue)
    assert INPUT_COLOUR == "kuning"
    assert 50 <= hue * 360 <= 65 and saturation > 0.8 and blue < 0.5  # yellow, not cream
    said = f"sel berwarna {INPUT_COLOUR}"
    petunjuk = " ".join(str(v) for r in book["Petunjuk"].iter_rows(values_only=True) for v in r)
    assert said in petunjuk.lower()
    assert said in book.properties.description.lower()
    assert said in template_caption("Bidang X", "Triwulan I 2026").lower()
    fill = book["Catatan"]["B2"].fill
    assert fill.fill_type == "solid" and fill.fgColor.rgb.upper().endswith("FFFF00")


def test_rows_are_as_tall_as_their_wrapped_text(book: Workbook) -> None:
    """LibreOffice does not size rows itself: every long text's row has its height."""
    from exports.sheet_layout import wrapped_lines

    petunjuk = book["Petunjuk"]
    for row in range(8, petunjuk.max_row + 1):
        text = petunjuk.cell(row, 2).value
        height = petunjuk.row_dimensions[row].height
        assert height is not None and height >= 15 * wrapped_lines(text, 80), row
    assert max(petunjuk.row_dimensions[r].height for r in range(8, petunjuk.max_row + 1)) > 30
    realisasi = book["Realisasi"]
    for row in range(2, realisasi.max_row + 1):
        label = realisasi.cell(row, 3).value  # Program › Kegiatan › Sub Kegiatan, 32 wide
        assert realisasi.row_dimensions[row].height >= 15 * wrapped_lines(label, 32)
    assert wrapped_lines("", 10) == 1
    assert wrapped_lines("satu dua tiga", 100) == 1
    assert wrapped_lines("kata " * 40, 22) >= 10


def test_every_sheet_prints_on_folio_with_page_numbers(book: Workbook) -> None:
    for name in ("Petunjuk", "Realisasi", "Anggaran", "Catatan"):
        sheet = book[name]
        assert sheet.page_setup.paperSize == 14, name
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, name
        # fitToWidth 1 is the default, left unwritten
        assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0
        assert "Halaman &P dari &N" in sheet.oddFooter.center.text, name
        assert "Bidang Pelatihan dan Produktivitas" in sheet.oddHeader.right.text, name
        assert "Dinas Tenaga Kerja" in sheet.oddHeader.left.text, name
    assert book["Petunjuk"].page_setup.orientation == "portrait"
    for name in ("Realisasi", "Anggaran", "Catatan"):
        assert book[name].page_setup.orientation == "landscape", name


@pytest.mark.parametrize(("paper", "index"), [("a4", 9), ("A3", 8), ("folio", 14), ("x", 14)])
def test_the_paper_follows_kinerja_paper(
    monkeypatch: pytest.MonkeyPatch, paper: str, index: int
) -> None:
    from exports.paper import paper_index

    monkeypatch.setenv("KINERJA_PAPER", paper)
    assert paper_index() == index
    sheet = _open(make_context())["Realisasi"]
    assert sheet.page_setup.paperSize == index


def test_an_ampersand_in_a_name_stays_text_in_the_page_header() -> None:
    unit = Unit("pelatihan", "Bidang Pelatihan & Produktivitas", UnitKind.BIDANG)
    sheet = _open(make_context(unit=unit))["Realisasi"]
    # "&&" is how a header stores "&" (a lone "&" starts a code such as &P)
    assert "Pelatihan && Produktivitas" in sheet.oddHeader.right.text
