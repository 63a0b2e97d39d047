"""Reading a filled template: the round trip, whole-file refusals and per-cell problems."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.formula import ArrayFormula

from bot.checks import Hard, Soft
from bot.model import Activity, Aggregation, Direction, Indicator, Level
from bot.texts import upload as tu
from bot.texts.quarter import hard_short
from exports.screen import MAX_UPLOAD_BYTES
from exports.template import build_template
from exports.template_layout import TemplateContext
from exports.upload import (
    Refusal,
    UploadedBudget,
    UploadedValue,
    UploadProblem,
    UploadResult,
    parse_upload,
)
from tests.unit.test_template import OTHER_UNIT, S1, S2, S3, UNIT, make_context

NAME = "Formulir_pelatihan_2026_TW3.xlsx"
# Rows of the test context: IK01..IK08 on Realisasi rows 2..9; S1..S3 on Anggaran rows 2..4.
ROW = {f"IK0{n}": n + 1 for n in range(1, 9)}
FORMULA = "rumus tidak diperbolehkan, isikan angka"


@pytest.fixture(scope="module")
def ctx() -> TemplateContext:
    return make_context()


@pytest.fixture(scope="module")
def blank(ctx: TemplateContext) -> bytes:
    return build_template(ctx)


def edit(data: bytes, change: Callable[[Workbook], None]) -> bytes:
    """The template after a person changed it in a spreadsheet program."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def fill(data: bytes, cells: Mapping[tuple[str, str], object]) -> bytes:
    """The template with some cells typed, e.g. ``{("Realisasi", "J2"): "12,5"}``."""

    def change(book: Workbook) -> None:
        for (sheet, coordinate), value in cells.items():
            book[sheet][coordinate] = value

    return edit(data, change)


def parse(data: bytes, ctx: TemplateContext, filename: str = NAME) -> UploadResult:
    return parse_upload(data, filename=filename, ctx=ctx)


def values(result: UploadResult) -> dict[str, Decimal]:
    return {v.indicator_code: v.value for v in result.values}


def only_problem(result: UploadResult) -> UploadProblem:
    assert result.refusal is None and not result.ok
    assert len(result.problems) == 1, result.problems
    return result.problems[0]


# ---- the round trip --------------------------------------------------------------------------


def test_round_trip_reads_exactly_what_was_typed(ctx: TemplateContext, blank: bytes) -> None:
    data = fill(
        blank,
        {
            ("Realisasi", "J2"): 118,
            ("Realisasi", "K2"): "Sesuai jadwal",
            ("Realisasi", "J3"): "75,5 %",
            ("Realisasi", "J6"): "4",
            ("Realisasi", "J7"): 4.5,
            ("Realisasi", "J9"): " 3 ",
            ("Realisasi", "J8"): "   ",  # spaces only: still not filled
            ("Anggaran", "E2"): "Rp 45.000.000",
            ("Anggaran", "E4"): 1250000.5,
            ("Catatan", "B3"): "  Dukungan APBD dan mitra industri  ",
            ("Catatan", "B5"): "Menambah instruktur pada triwulan IV",
        },
    )
    result = parse(data, ctx)
    assert result.ok and result.refusal is None and result.problems == ()
    assert result.values == (
        UploadedValue("IK01", Decimal(118), "Sesuai jadwal", ()),
        UploadedValue("IK02", Decimal("75.5"), "", ()),
        UploadedValue("IK03", Decimal(5), "", ()),  # entered in chat before: pre-filled
        UploadedValue("IK05", Decimal(4), "", ()),
        UploadedValue("IK06", Decimal("4.5"), "", ()),
        UploadedValue("IK08", Decimal(3), "", ()),
    )
    assert str(values(result)["IK06"]) == "4.5"  # a float cell stays as typed
    assert result.budgets == (
        UploadedBudget(S1, Decimal(45_000_000)),
        UploadedBudget(S2, Decimal(2_500_000)),
        UploadedBudget(S3, Decimal("1250000.5")),
    )
    assert result.notes == {
        "kendala": "Instruktur terbatas",
        "faktor_pendorong": "Dukungan APBD dan mitra industri",
        "tindak_lanjut": "Menambah instruktur pada triwulan IV",
    }


def test_an_untouched_template_gives_back_only_what_was_entered(
    ctx: TemplateContext, blank: bytes
) -> None:
    for data in (blank, edit(blank, lambda book: None)):
        result = parse(data, ctx)
        assert result.ok
        assert values(result) == {"IK03": Decimal(5)}
        assert result.budgets == (UploadedBudget(S2, Decimal(2_500_000)),)
        assert result.notes == {"kendala": "Instruktur terbatas"}


def test_soft_flags_come_back_with_the_explanation(ctx: TemplateContext, blank: bytes) -> None:
    data = fill(
        blank,
        {
            ("Realisasi", "J2"): 10,  # target 120
            ("Realisasi", "K2"): "Pelatihan ditunda karena anggaran belum cair",
            ("Realisasi", "J7"): "9",  # posisi: target 4,5 and 4,8 last quarter
        },
    )
    result = parse(data, ctx)
    assert result.ok
    by_code = {v.indicator_code: v for v in result.values}
    assert by_code["IK01"].soft == (Soft.FAR_BELOW_TARGET,)
    assert by_code["IK01"].explanation == "Pelatihan ditunda karena anggaran belum cair"
    assert by_code["IK06"].soft == (Soft.FAR_ABOVE_TARGET, Soft.POSISI_JUMP)


def formatted(data: bytes, cells: Mapping[tuple[str, str], tuple[object, str]]) -> bytes:
    """The template with cells typed and shown in a number format, as Excel stores them."""

    def change(book: Workbook) -> None:
        for (sheet, coordinate), (value, number_format) in cells.items():
            book[sheet][coordinate] = value
            book[sheet][coordinate].number_format = number_format

    return edit(data, change)


def test_a_percent_typed_in_excel_is_read_as_that_percent(
    ctx: TemplateContext, blank: bytes
) -> None:
    """Excel stores "75,5 %" as 0.755 with a percent format: read it as 75,5, never 0,755."""
    data = formatted(
        blank,
        {
            ("Realisasi", "J3"): (0.755, "0.0%"),  # IK02, %
            ("Realisasi", "J7"): (0.045, "0%"),  # IK06, persen: shown "5%", typed 4,5 %
            ("Realisasi", "J2"): (118, '0" %"'),  # a quoted "%" is only a label: 118
        },
    )
    result = parse(data, ctx)
    assert result.ok, result.problems
    assert values(result)["IK02"] == Decimal("75.5") and str(values(result)["IK02"]) == "75.5"
    assert values(result)["IK06"] == Decimal("4.5")
    assert values(result)["IK01"] == Decimal(118)


def test_a_percent_cell_is_checked_as_a_typed_percent(ctx: TemplateContext, blank: bytes) -> None:
    over = only_problem(parse(formatted(blank, {("Realisasi", "J3"): (1.2, "0%")}), ctx))
    assert (over.row, over.value, over.reason) == (3, "120%", hard_short(Hard.PERCENT_ABOVE_100))
    budget = only_problem(parse(formatted(blank, {("Anggaran", "E2"): (0.5, "0%")}), ctx))
    assert (budget.sheet, budget.value, budget.reason) == (
        "Anggaran",
        "50%",
        hard_short(Hard.WRONG_UNIT),
    )


def test_text_typed_in_an_english_locale_excel_is_read_the_indonesian_way(
    ctx: TemplateContext, blank: bytes
) -> None:
    """English Excel keeps "12,5" and "1.250.000" as text (left-aligned): both are read."""
    data = fill(
        blank,
        {
            ("Realisasi", "J7"): "4,5",  # IK06, persen
            ("Realisasi", "J3"): "75,5 %",  # IK02, %
            ("Anggaran", "E2"): "1.250.000",
        },
    )
    result = parse(data, ctx)
    assert result.ok, result.problems
    assert values(result)["IK06"] == Decimal("4.5")
    assert values(result)["IK02"] == Decimal("75.5")
    assert result.budgets[0] == UploadedBudget(S1, Decimal(1_250_000))


def test_notes_are_text_even_when_they_look_like_formulas(
    ctx: TemplateContext, blank: bytes
) -> None:
    link = '=HYPERLINK("https://disnaker.magetankab.go.id","laporan")'
    data = fill(
        blank,
        {("Catatan", "B3"): link, ("Catatan", "B4"): 7, ("Catatan", "B5"): "x" * 2500},
    )
    result = parse(data, ctx)
    assert result.ok
    assert result.notes["faktor_pendorong"] == link
    assert result.notes["faktor_penghambat"] == "7"
    assert result.notes["tindak_lanjut"] == "x" * 2000


def test_indonesian_notation_as_in_chat(ctx: TemplateContext, blank: bytes) -> None:
    data = fill(
        blank,
        {
            ("Realisasi", "J2"): "1.250",  # thousands: 1250
            ("Realisasi", "J7"): "1.5",  # a lone dot with one digit is a decimal point
            ("Realisasi", "J5"): "Rp 95",  # not a percentage: Rp is just a mark
            ("Anggaran", "E2"): "1.250.000,75",
        },
    )
    result = parse(data, ctx)
    assert result.ok
    assert values(result)["IK01"] == Decimal(1250)
    assert values(result)["IK06"] == Decimal("1.5")
    assert values(result)["IK04"] == Decimal(95)
    assert result.budgets[0] == UploadedBudget(S1, Decimal("1250000.75"))


# ---- per-cell problems -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sheet", "cell", "typed", "shown", "reason"),
    [
        ("Realisasi", "J2", "=100+18", "=100+18", FORMULA),
        ("Anggaran", "E2", "=SUM(C2:D2)", "=SUM(C2:D2)", FORMULA),
        ("Realisasi", "J2", ArrayFormula("J2", "=MAX(G2:H2)"), "=MAX(G2:H2)", FORMULA),
        ("Realisasi", "J2", -5, "-5", hard_short(Hard.NEGATIVE)),
        ("Realisasi", "J2", "-5", "-5", hard_short(Hard.NEGATIVE)),
        ("Anggaran", "E3", -1000, "-1.000", hard_short(Hard.NEGATIVE)),
        ("Realisasi", "J3", 150, "150", hard_short(Hard.PERCENT_ABOVE_100)),
        ("Realisasi", "J4", "12,5", "12,5", hard_short(Hard.NOT_WHOLE)),  # IK03 counts paket
        ("Realisasi", "J6", 6.1, "6,1", hard_short(Hard.NOT_WHOLE)),  # IK05 counts perusahaan
        ("Realisasi", "J7", "100,5 %", "100,5 %", hard_short(Hard.PERCENT_ABOVE_100)),
        ("Anggaran", "E2", 60_000_000, "60.000.000", hard_short(Hard.ABOVE_PAGU)),
        ("Anggaran", "E3", "Rp 40.000.001", "Rp 40.000.001", hard_short(Hard.ABOVE_PAGU)),
        ("Realisasi", "J2", "abc", "abc", hard_short(Hard.NOT_A_NUMBER)),
        ("Realisasi", "J2", True, "TRUE", hard_short(Hard.NOT_A_NUMBER)),
        (
            "Realisasi",
            "J2",
            datetime(2026, 7, 1),
            "2026-07-01 00:00:00",
            hard_short(Hard.NOT_A_NUMBER),
        ),
        ("Realisasi", "J3", "Rp 50", "Rp 50", hard_short(Hard.WRONG_UNIT)),
        ("Anggaran", "E4", "50 %", "50 %", hard_short(Hard.WRONG_UNIT)),
        (
            "Realisasi",
            "J2",
            "0.500",
            "0.500",
            hard_short(Hard.AMBIGUOUS, (Decimal(500), Decimal("0.5"))),
        ),
        (
            "Realisasi",
            "J2",
            "1,250,000",
            "1,250,000",
            hard_short(Hard.AMBIGUOUS, (Decimal(1_250_000),)),
        ),
    ],
)
def test_a_bad_cell_is_reported_where_it_is(
    ctx: TemplateContext,
    blank: bytes,
    sheet: str,
    cell: str,
    typed: object,
    shown: str,
    reason: str,
) -> None:
    result = parse(fill(blank, {(sheet, cell): typed}), ctx)
    header = "Realisasi" if sheet == "Realisasi" else "Realisasi Triwulan Ini (Rp)"
    assert only_problem(result) == UploadProblem(sheet, int(cell[1:]), header, shown, reason)


def test_ambiguous_reason_offers_the_readings(ctx: TemplateContext, blank: bytes) -> None:
    reason = only_problem(parse(fill(blank, {("Realisasi", "J2"): "0.500"}), ctx)).reason
    assert "500" in reason and "0,5" in reason


def test_budget_counts_what_was_spent_in_earlier_quarters(
    ctx: TemplateContext, blank: bytes
) -> None:
    # S1: pagu 150 million, 100 million spent before, so 50 million is left.
    assert parse(fill(blank, {("Anggaran", "E2"): 50_000_000}), ctx).ok
    problem = only_problem(parse(fill(blank, {("Anggaran", "E2"): 50_000_001}), ctx))
    assert (problem.row, problem.reason) == (2, "melebihi sisa pagu sub kegiatan")


def test_an_explanation_without_a_value_is_a_problem(ctx: TemplateContext, blank: bytes) -> None:
    result = parse(fill(blank, {("Realisasi", "K5"): "Data belum tersedia"}), ctx)
    problem = only_problem(result)
    assert (problem.sheet, problem.row, problem.column) == ("Realisasi", 5, "Penjelasan")


def test_every_problem_is_reported_and_good_values_are_kept(
    ctx: TemplateContext, blank: bytes
) -> None:
    data = fill(
        blank,
        {
            ("Realisasi", "J2"): "abc",
            ("Realisasi", "J3"): 101,
            ("Realisasi", "J5"): "98",
            ("Anggaran", "E4"): "=1/0",
        },
    )
    result = parse(data, ctx)
    assert not result.ok and result.refusal is None
    assert [(p.sheet, p.row) for p in result.problems] == [
        ("Realisasi", 2),
        ("Realisasi", 3),
        ("Anggaran", 4),
    ]
    assert values(result) == {"IK03": Decimal(5), "IK04": Decimal(98)}


# ---- whole-file refusals ---------------------------------------------------------------------


def _zip(members: Mapping[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="x"/>'


def _declaring_huge_size() -> bytes:
    """A small zip whose central directory claims a member unpacks to 2 GB."""
    data = bytearray(_zip({"[Content_Types].xml": CONTENT_TYPES, "xl/a.xml": b"<a/>"}))
    at = data.rfind(b"PK\x01\x02")  # the last member's central directory entry
    struct.pack_into("<I", data, at + 24, 2**31)
    return bytes(data)


def _replace_member(data: bytes, name: str, content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {m: archive.read(m) for m in archive.namelist()}
    members[name] = content
    return _zip(members)


def _plain_workbook() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "Realisasi"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("make", "filename", "refusal"),
    [
        (lambda b: b"kode;realisasi\nIK01;120\n", NAME, Refusal.NOT_XLSX),
        (lambda b: b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF", "laporan.pdf", Refusal.NOT_XLSX),
        (lambda b: b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF", NAME, Refusal.NOT_XLSX),
        (lambda b: b, "Formulir.xls", Refusal.NOT_XLSX),
        (lambda b: b, "Formulir.csv", Refusal.NOT_XLSX),
        (lambda b: _zip({"word/document.xml": b"<w/>"}), NAME, Refusal.NOT_XLSX),
        (lambda b: b"PK" + b"\0" * MAX_UPLOAD_BYTES, NAME, Refusal.TOO_LARGE),
        (lambda b: b[: len(b) // 2], NAME, Refusal.CORRUPT),
        (lambda b: b"PK\x03\x04" + b"\x00" * 200, NAME, Refusal.CORRUPT),
        (lambda b: _replace_member(b, "xl/workbook.xml", b"<workbook"), NAME, Refusal.CORRUPT),
        (
            lambda b: _replace_member(b, "xl/worksheets/sheet2.xml", b"<worksheet><sheetData><row"),
            NAME,
            Refusal.CORRUPT,
        ),
        (lambda b: _declaring_huge_size(), NAME, Refusal.ZIP_BOMB),
        (
            lambda b: _zip({"[Content_Types].xml": CONTENT_TYPES, "xl/z.xml": bytes(5 << 20)}),
            NAME,
            Refusal.ZIP_BOMB,
        ),
        (
            lambda b: _replace_member(
                b,
                "xl/sharedStrings.xml",
                b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><sst/>',
            ),
            NAME,
            Refusal.DTD,
        ),
        (lambda b: _plain_workbook(), NAME, Refusal.NOT_A_TEMPLATE),
        (lambda b: edit(b, lambda book: book.remove(book["_meta"])), NAME, Refusal.NOT_A_TEMPLATE),
    ],
    ids=[
        "csv-named-xlsx",
        "pdf",
        "pdf-named-xlsx",
        "xls-name",
        "csv-name",
        "zip-not-xlsx",
        "over-10-mb",
        "truncated-zip",
        "broken-zip",
        "broken-workbook-xml",
        "broken-sheet-xml",
        "declared-huge-member",
        "highly-compressible",
        "xml-entities",
        "other-workbook",
        "meta-removed",
    ],
)
def test_a_bad_file_is_refused_whole(
    ctx: TemplateContext,
    blank: bytes,
    make: Callable[[bytes], bytes],
    filename: str,
    refusal: Refusal,
) -> None:
    result = parse(make(blank), ctx, filename)
    assert result == UploadResult(ok=False, refusal=refusal)


def test_another_units_template_is_refused(ctx: TemplateContext) -> None:
    other = build_template(make_context(unit=OTHER_UNIT))
    assert parse(other, ctx).refusal is Refusal.OTHER_UNIT


@pytest.mark.parametrize("change", [{"period_id": 8}, {"year": 2025}, {"quarter": 2}])
def test_another_periods_template_is_refused(
    ctx: TemplateContext, change: dict[str, object]
) -> None:
    other = build_template(make_context(**change))
    assert parse(other, ctx).refusal is Refusal.OTHER_PERIOD


def _swap_rows(book: Workbook) -> None:
    sheet = book["Realisasi"]
    for column in range(1, 13):
        upper, lower = sheet.cell(2, column), sheet.cell(3, column)
        upper.value, lower.value = lower.value, upper.value


def _set(sheet: str, coordinate: str, value: object) -> Callable[[Workbook], None]:
    def change(book: Workbook) -> None:
        book[sheet][coordinate] = value

    return change


@pytest.mark.parametrize(
    "change",
    [
        lambda book: book["Realisasi"].delete_rows(5),
        lambda book: book["Anggaran"].delete_rows(3),
        lambda book: book["Realisasi"].insert_cols(10),
        _swap_rows,
        _set("Realisasi", "J1", "Capaian"),
        _set("Realisasi", "L4", "K|7|pelatihan|IK99"),
        _set("Realisasi", "J10", 12),  # a row added below the last indicator
        _set("Realisasi", "M2", "tambahan"),  # a column added after the last
        _set("Catatan", "A2", "Hambatan"),
        lambda book: book.remove(book["Anggaran"]),
    ],
    ids=[
        "indicator-row-deleted",
        "budget-row-deleted",
        "column-inserted",
        "rows-swapped",
        "header-renamed",
        "key-altered",
        "row-added",
        "column-added",
        "note-label-changed",
        "sheet-removed",
    ],
)
def test_a_reshaped_template_is_refused(
    ctx: TemplateContext, blank: bytes, change: Callable[[Workbook], None]
) -> None:
    result = parse(edit(blank, change), ctx)
    assert result == UploadResult(ok=False, refusal=Refusal.STRUCTURE_CHANGED)


def test_a_template_of_an_older_catalogue_is_refused(ctx: TemplateContext, blank: bytes) -> None:
    newer = make_context(indicators=ctx.indicators[:-1])
    assert parse(blank, newer).refusal is Refusal.STRUCTURE_CHANGED


# ---- size --------------------------------------------------------------------------------------


def test_a_thousand_rows_parse(ctx: TemplateContext) -> None:
    unit = UNIT.code
    subs = tuple(
        Activity(Level.SUB_KEGIATAN, f"S{n:03d}", f"Sub {n}", unit, None, Decimal(10**9))
        for n in range(100)
    )
    indicators = tuple(
        Indicator(
            f"X{n:04d}",
            f"Indikator {n}",
            unit,
            f"S{n % 100:03d}",
            "%" if n % 7 == 0 else "jam",  # "jam" (hours) may be fractional
            Direction.UP,
            Aggregation.SUM,
            Decimal(50),
            (Decimal(12),) * 4,
        )
        for n in range(1000)
    )
    big = TemplateContext("Dinas", UNIT, 2026, 1, 1, indicators, subs)

    def change(book: Workbook) -> None:
        for row in book["Realisasi"].iter_rows(min_row=2):
            row[9].value = 12.5 if row[0].row % 2 else "12,5"
        for row in book["Anggaran"].iter_rows(min_row=2):
            row[4].value = 1_000_000

    result = parse(edit(build_template(big), change), big)
    assert result.ok
    assert len(result.values) == 1000 and len(result.budgets) == 100
    assert {v.value for v in result.values} == {Decimal("12.5")}


def test_a_template_of_an_earlier_format_is_refused_as_old(
    blank: bytes, ctx: TemplateContext
) -> None:
    """Downloaded before the form changed (format 1 had one follow-up note): fetch it again."""

    def downgrade(book: Workbook) -> None:
        for row in book["_meta"].iter_rows():
            if row[0].value == "format":
                row[1].value = "1"

    result = parse(edit(blank, downgrade), ctx)
    assert result == UploadResult(ok=False, refusal=Refusal.OLD_FORMAT)
    assert "/unduh" in tu.refused(Refusal.OLD_FORMAT.name)
