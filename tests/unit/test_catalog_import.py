"""The indicator catalogue: the sample, the round trip, every problem with its row and column."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable, Sequence
from decimal import Decimal

import openpyxl
import pytest
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

import exports.catalog as catalog_module
from bot.model import Activity, Aggregation, Catalog, Direction, Indicator, Level, Pembanding
from exports.catalog import read_catalog
from exports.catalog_columns import COLUMNS, SHEET
from exports.catalog_rows import CatalogImport
from exports.catalog_write import write_catalog_xlsx
from exports.org import ImportProblem, read_org
from exports.sample_catalog import sample_catalog
from exports.samples import sample_catalog_path, sample_org_path

UNITS = ("sekretariat", "pelatihan", "penempatan", "hubungan_industrial")
P, K, S = "2.07.03", "2.07.03.2.01", "2.07.03.2.01.0001"
BASE: dict[str, object] = {
    "unit": "pelatihan",
    "kode_program": P,
    "program": "PROGRAM PELATIHAN KERJA DAN PRODUKTIVITAS TENAGA KERJA",
    "kode_kegiatan": K,
    "kegiatan": "Pelaksanaan Pelatihan berdasarkan Unit Kompetensi",
    "kode_sub_kegiatan": S,
    "sub_kegiatan": "Proses Pelaksanaan Pendidikan dan Pelatihan Keterampilan",
    "pagu": 485_000_000,
    "kode_indikator": "PEL-01",
    "indikator": "Jumlah peserta pelatihan berbasis kompetensi",
    "satuan": "orang",
    "arah": "naik",
    "agregasi": "jumlah",
    "target_tahunan": 240,
    "target_tw1": 30,
    "target_tw2": 80,
    "target_tw3": 80,
    "target_tw4": 50,
}


def row(**changes: object) -> dict[str, object]:
    """A clean indicator row with some cells changed."""
    return {**BASE, **changes}


def sheet_bytes(
    rows: Sequence[dict[str, object]],
    header: Sequence[str] = COLUMNS,
    title: str = SHEET,
    change: Callable[[Worksheet], None] | None = None,
) -> bytes:
    """A catalogue file as a spreadsheet program saves it (openpyxl, so formulas stay formulas)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    sheet.append(list(header))
    for values in rows:
        sheet.append([values.get(name) for name in header])
    if change is not None:
        change(sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read(data: bytes) -> CatalogImport:
    return read_catalog(data, year=2026, known_units=UNITS)


def problems(data: bytes) -> list[ImportProblem]:
    """The problems of a file that must be refused as a whole."""
    result = read(data)
    assert result.catalog is None
    assert result.problems
    return list(result.problems)


def where(data: bytes) -> set[tuple[int | None, str | None]]:
    return {(p.row, p.column) for p in problems(data)}


def column_of(name: str) -> str:
    return openpyxl.utils.get_column_letter(COLUMNS.index(name) + 1)


@pytest.fixture(scope="module")
def sample() -> Catalog:
    org = read_org(sample_org_path())
    result = read_catalog(
        sample_catalog_path().read_bytes(), year=2026, known_units=[u.code for u in org.units]
    )
    assert result.problems == ()
    assert result.catalog is not None
    return result.catalog


def test_sample_is_a_full_catalogue(sample: Catalog) -> None:
    per_unit = Counter(i.unit_code for i in sample.indicators)
    assert len(sample.indicators) >= 36
    assert set(per_unit) == set(UNITS)
    assert min(per_unit.values()) >= 6
    assert sample.year == 2026
    by_code = {a.code: a for a in sample.activities}
    levels = {by_code[i.activity_code].level for i in sample.indicators}
    assert levels == set(Level)
    for activity in sample.activities:
        if activity.level is Level.SUB_KEGIATAN:
            assert activity.pagu is not None and activity.pagu > 0
            assert by_code[activity.parent_code or ""].level is Level.KEGIATAN
        else:
            assert activity.pagu is None
    assert {i.direction for i in sample.indicators} == set(Direction)
    assert {i.aggregation for i in sample.indicators} == set(Aggregation)
    for indicator in sample.indicators:
        if indicator.aggregation is Aggregation.SUM:
            total = sum(q or Decimal(0) for q in indicator.targets_q)
            assert total == indicator.target_annual, indicator.code
        assert indicator.sasaran
    assert any(i.renstra_target is not None for i in sample.indicators)


def test_round_trip_of_the_sample(sample: Catalog) -> None:
    assert read(write_catalog_xlsx(sample)).catalog == sample


def test_round_trip_keeps_decimals_and_empty_targets() -> None:
    program = Activity(Level.PROGRAM, P, "PROGRAM X", "penempatan")
    kegiatan = Activity(Level.KEGIATAN, K, "Kegiatan Y", "penempatan", P)
    sub = Activity(Level.SUB_KEGIATAN, S, "Sub Z", "penempatan", K, Decimal("12500000.5"))
    rate = Indicator(
        "TPT", "Tingkat Pengangguran Terbuka", "penempatan", P, "%", Direction.DOWN,
        Aggregation.LATEST, Decimal("3.95"), (None, None, None, Decimal("3.95")),
        "Menurunnya pengangguran", Decimal("3.5"), Decimal("2900000000"), Decimal("4.25"), None,
    )  # fmt: skip
    flow = Indicator(
        "=X", "=SUM(A1) stays text", "penempatan", S, "orang", Direction.UP, Aggregation.SUM,
        None, (None, None, None, None),
    )  # fmt: skip
    output = Indicator(
        "K-1", "Output", "pelatihan", K, "paket", Direction.UP, Aggregation.SUM, Decimal(4),
        (Decimal(1), Decimal(1), Decimal(1), Decimal(1)),
    )  # fmt: skip
    catalog = Catalog(2026, (program, kegiatan, sub), (rate, flow, output))
    assert read(write_catalog_xlsx(catalog)).catalog == catalog


def test_blank_template_has_the_layout_and_no_rows() -> None:
    data = write_catalog_xlsx(Catalog(2026))
    sheet = openpyxl.load_workbook(io.BytesIO(data))[SHEET]
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    assert [(p.row, p.reason) for p in problems(data)] == [(2, "tidak ada baris indikator")]


def test_levels_follow_the_deepest_filled_code() -> None:
    rows = [
        row(kode_indikator="OUTCOME", kode_kegiatan=None, kegiatan=None, kode_sub_kegiatan=None,
            sub_kegiatan=None, pagu=None, satuan="%", agregasi="posisi", target_tahunan=35),
        row(kode_indikator="OUTPUT", kode_sub_kegiatan=None, sub_kegiatan=None, pagu=None),
        row(kode_indikator="SUB"),
    ]  # fmt: skip
    result = read(sheet_bytes(rows))
    assert result.catalog is not None
    owner = {i.code: i.activity_code for i in result.catalog.indicators}
    assert owner == {"OUTCOME": P, "OUTPUT": K, "SUB": S}
    assert [(a.level, a.code, a.parent_code, a.pagu) for a in result.catalog.activities] == [
        (Level.PROGRAM, P, None, None),
        (Level.KEGIATAN, K, P, None),
        (Level.SUB_KEGIATAN, S, K, Decimal(485_000_000)),
    ]


def test_shared_programme_is_owned_by_the_first_unit() -> None:
    rows = [
        row(kode_indikator="A", unit="penempatan", kode_sub_kegiatan=None, sub_kegiatan=None,
            pagu=None),
        row(kode_indikator="B", unit="pelatihan", kode_kegiatan="2.07.03.2.02",
            kode_sub_kegiatan="2.07.03.2.02.0001"),
    ]  # fmt: skip
    result = read(sheet_bytes(rows))
    assert result.catalog is not None
    owners = {a.code: a.unit_code for a in result.catalog.activities}
    assert owners[P] == "penempatan"
    assert owners["2.07.03.2.02.0001"] == "pelatihan"


def test_text_numbers_are_read_the_indonesian_way() -> None:
    data = sheet_bytes(
        [row(pagu="Rp 1.250.000", target_tahunan="12,5", target_tw1="1.250", target_tw2=" 7 ",
             target_tw3=None, target_tw4="")]
    )  # fmt: skip
    result = read(data)
    assert result.catalog is not None
    indicator = result.catalog.indicators[0]
    assert result.catalog.activities[-1].pagu == Decimal(1_250_000)
    assert indicator.target_annual == Decimal("12.5")
    assert indicator.targets_q == (Decimal(1250), Decimal(7), None, None)


def test_header_is_matched_case_insensitively_and_trimmed_extra_columns_ignored() -> None:
    header = [f"  {name.upper()} " for name in COLUMNS[:18]] + ["catatan"]
    values = {f"  {k.upper()} ": v for k, v in BASE.items()} | {"catatan": "bebas"}
    result = read(sheet_bytes([values], header=header))
    assert result.problems == ()
    assert result.catalog is not None and result.catalog.indicators[0].sasaran == ""


def test_empty_rows_are_ignored() -> None:
    def blank_rows(sheet: Worksheet) -> None:
        sheet.cell(row=6, column=3, value="   ")
        sheet.cell(row=40, column=1).number_format = "0.00"

    data = sheet_bytes([row(), {}, row(kode_indikator="PEL-02")], change=blank_rows)
    result = read(data)
    assert result.problems == ()
    assert result.catalog is not None and len(result.catalog.indicators) == 2


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"bukan berkas excel", (None, None, "berkas bukan .xlsx yang sah atau rusak")),
        (b"PK\x03\x04rusak", (None, None, "berkas bukan .xlsx yang sah atau rusak")),
        (sheet_bytes([row()], title="Sheet1"), (None, None, "lembar Katalog tidak ada")),
    ],
)
def test_whole_file_refusals(data: bytes, expected: tuple[object, object, str]) -> None:
    assert [(p.row, p.column, p.reason) for p in problems(data)] == [expected]


def test_truncated_file_is_refused() -> None:
    data = sheet_bytes([row()])
    assert problems(data[: len(data) // 2])[0].reason == "berkas bukan .xlsx yang sah atau rusak"


def test_missing_columns_are_all_named() -> None:
    header = [c for c in COLUMNS if c not in ("satuan", "target_tw4")]
    found = problems(sheet_bytes([row()], header=header))
    assert [(p.row, p.column, p.reason) for p in found] == [
        (1, "satuan", "kolom wajib tidak ada"),
        (1, "target_tw4", "kolom wajib tidak ada"),
    ]


AS_TEXT = "harus diketik sebagai teks"
CASES: list[tuple[str, list[dict[str, object]], tuple[int, str, str]]] = [
    ("empty name", [row(indikator=" ")], (2, "indikator", "wajib diisi")),
    ("empty unit", [row(unit=None)], (2, "unit", "wajib diisi")),
    ("empty arah", [row(arah=None)], (2, "arah", "wajib diisi")),
    ("unknown unit", [row(unit="keuangan")], (2, "unit", "unit tidak dikenal")),
    ("unknown arah", [row(arah="atas")], (2, "arah", "harus naik atau turun")),
    ("unknown agregasi", [row(agregasi="rata")], (2, "agregasi", "harus jumlah atau posisi")),
    ("not a number", [row(target_tw2="dua")], (2, "target_tw2", "bukan angka")),
    ("a boolean", [row(target_tw3=True)], (2, "target_tw3", "bukan angka")),
    ("negative", [row(target_tahunan=-5)], (2, "target_tahunan", "tidak boleh negatif")),
    ("negative text", [row(pagu="-1.000")], (2, "pagu", "tidak boleh negatif")),
    ("bad pagu", [row(pagu="sejuta")], (2, "pagu", "bukan angka")),
    ("no pagu", [row(pagu=None)], (2, "pagu", "pagu sub kegiatan wajib diisi")),
    (
        "pagu on a kegiatan",
        [row(kode_sub_kegiatan=None, sub_kegiatan=None)],
        (2, "pagu", "pagu hanya untuk sub kegiatan"),
    ),
    (
        "sub without kegiatan",
        [row(kode_kegiatan=None, kegiatan=None)],
        (2, "kode_sub_kegiatan", "tingkat di atasnya kosong"),
    ),
    ("code without name", [row(kegiatan=None)], (2, "kegiatan", "wajib diisi")),
    ("name without code", [row(kode_kegiatan="")], (2, "kode_kegiatan", "wajib diisi")),
    (
        "percentage above 100",
        [row(satuan="%", agregasi="posisi", target_tw3="100,5")],
        (2, "target_tw3", "persentase lebih dari 100"),
    ),
    ("code as a fraction", [row(kode_program=2.1)], (2, "kode_program", AS_TEXT)),
    (
        "duplicate indicator code",
        [row(), row(indikator="Lain")],
        (3, "kode_indikator", "kode indikator ganda (juga di baris 2)"),
    ),
    (
        "inconsistent pagu",
        [row(), row(kode_indikator="PEL-02", pagu=400_000_000)],
        (3, "pagu", "pagu berbeda untuk sub kegiatan yang sama (baris 2)"),
    ),
    (
        "inconsistent name",
        [row(), row(kode_indikator="PEL-02", kegiatan="Nama lain")],
        (3, "kegiatan", "nama berbeda untuk kode yang sama (baris 2)"),
    ),
    (
        "sub kegiatan under two parents",
        [row(), row(kode_indikator="PEL-02", kode_kegiatan="2.07.03.2.02")],
        (3, "kode_kegiatan", f"induk berbeda untuk {S} (baris 2)"),
    ),
    (
        "code on two levels",
        [row(), row(kode_indikator="PEL-02", kode_kegiatan=P, kode_sub_kegiatan=None,
                    sub_kegiatan=None, pagu=None)],
        (3, "kode_kegiatan", "kode dipakai di tingkat lain (baris 2)"),
    ),
]  # fmt: skip


@pytest.mark.parametrize(("rows", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_problem_has_its_row_and_column(
    rows: list[dict[str, object]], expected: tuple[int, str, str]
) -> None:
    found = problems(sheet_bytes(rows))
    assert expected in {(p.row, p.column, p.reason) for p in found}, found


def test_ambiguous_number_offers_the_readings() -> None:
    (problem,) = problems(sheet_bytes([row(target_tahunan="1,250,000")]))
    assert (problem.row, problem.column, problem.value) == (2, "target_tahunan", "1,250,000")
    assert problem.reason.startswith("angka tidak jelas")


@pytest.mark.parametrize("formula", ["=SUM(A1)", "=1+1", "=NOW()"])
def test_a_formula_is_reported_never_evaluated(formula: str) -> None:
    (problem,) = problems(sheet_bytes([row(target_tw1=formula)]))
    assert (problem.row, problem.column, problem.value) == (2, "target_tw1", formula)
    assert problem.reason == "rumus tidak diperbolehkan"


def test_a_formula_in_a_text_cell_is_reported() -> None:
    found = where(sheet_bytes([row(indikator='=CONCAT("a","b")')]))
    assert found == {(2, "indikator")}


def test_an_array_formula_is_reported() -> None:
    def array(sheet: Worksheet) -> None:
        cell = f"{column_of('pagu')}2"
        sheet[cell] = ArrayFormula(cell, "=SUM(1,2)")

    assert where(sheet_bytes([row()], change=array)) == {(2, "pagu")}


def test_text_that_looks_like_a_formula_is_not_a_number() -> None:
    def as_text(sheet: Worksheet) -> None:
        cell = sheet[f"{column_of('target_tw4')}2"]
        cell.value = "=1+1"
        cell.data_type = "s"  # typed as text ('=1+1), not a formula

    found = problems(sheet_bytes([row()], change=as_text))
    assert [(p.row, p.column, p.reason) for p in found] == [
        (2, "target_tw4", "rumus tidak diperbolehkan")
    ]


def test_every_problem_is_listed_and_nothing_is_imported() -> None:
    rows = [row(), row(unit="x", arah="?"), row(kode_indikator="PEL-03", target_tw1="abc"),
            row(kode_indikator="PEL-01")]  # fmt: skip
    found = where(sheet_bytes(rows))
    assert {(3, "unit"), (3, "arah"), (3, "kode_indikator"), (4, "target_tw1")} <= found
    assert (5, "kode_indikator") in found


def test_too_many_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalog_module, "MAX_ROWS", 3)
    rows = [row(kode_indikator=f"X{n}") for n in range(5)]
    assert [(p.row, p.reason) for p in problems(sheet_bytes(rows))] == [(5, "lebih dari 3 baris")]
    assert read(sheet_bytes(rows[:3])).catalog is not None


def test_bilangan_bulat_says_which_satuan_count_whole_things() -> None:
    rows = [
        row(),  # orang, column empty: a count by its satuan
        row(kode_indikator="PEL-02", satuan="jam", bilangan_bulat=None),  # a measure
        row(kode_indikator="PEL-03", satuan="jam", bilangan_bulat="ya"),
        row(kode_indikator="PEL-04", satuan="orang", bilangan_bulat="Tidak"),
    ]
    result = read(sheet_bytes(rows))
    assert result.catalog is not None, result.problems
    found = {i.code: (i.whole_number, i.is_count) for i in result.catalog.indicators}
    assert found == {
        "PEL-01": (None, True),
        "PEL-02": (None, False),
        "PEL-03": (True, True),
        "PEL-04": (False, False),
    }
    again = read(write_catalog_xlsx(result.catalog)).catalog
    assert again is not None and again.indicators == result.catalog.indicators
    bad = problems(sheet_bytes([row(bilangan_bulat="mungkin")]))
    assert [(p.row, p.column) for p in bad] == [(2, "bilangan_bulat")]


def test_the_shipped_sample_is_what_its_source_generates(sample: Catalog) -> None:
    """bot/data's catalogue is regenerated from exports/sample_*.py, never edited by hand."""
    assert sample == sample_catalog()


def test_pembanding_marks_a_figure_the_bot_can_compute(sample: Catalog) -> None:
    marked = {i.code: i.pembanding for i in sample.indicators if i.pembanding}
    assert marked == {"SEK-01": Pembanding.PENYERAPAN_DINAS}
    percent = {"satuan": "%", "agregasi": "posisi", "target_tahunan": 95}
    rows = [
        row(kode_indikator="PEL-01", pembanding="penyerapan_unit", **percent),
        row(kode_indikator="PEL-02", pembanding="Penyerapan_Dinas", **percent),
        row(kode_indikator="PEL-03"),
    ]
    result = read(sheet_bytes(rows))
    assert result.catalog is not None, result.problems
    found = {i.code: i.pembanding for i in result.catalog.indicators}
    assert found == {
        "PEL-01": Pembanding.PENYERAPAN_UNIT,
        "PEL-02": Pembanding.PENYERAPAN_DINAS,
        "PEL-03": None,
    }
    again = read(write_catalog_xlsx(result.catalog)).catalog
    assert again is not None and again.indicators == result.catalog.indicators
    bad = problems(
        sheet_bytes(
            [
                row(pembanding="anggaran", **percent),
                row(kode_indikator="X-2", pembanding="penyerapan_unit"),
            ]
        )
    )
    assert [(p.row, p.column) for p in bad] == [(2, "pembanding"), (3, "pembanding")]
    assert "penyerapan_unit atau penyerapan_dinas" in bad[0].reason
    assert "persen" in bad[1].reason
