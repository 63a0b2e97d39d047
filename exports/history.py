"""Earlier quarters' realisations from a spreadsheet (``python -m bot history import``).

Two layouts are read:

* the report's own ``Rincian`` sheet (``exports/report_rincian.py`` writes it): the
  Permendagri form's two-level header (``Realisasi Triwulan I`` over ``K`` and ``Rp``, then the
  row of column numbers), or the flat header of earlier reports (``Realisasi TW I K`` …
  ``Realisasi TW IV Rp``), with ``Kode`` and ``Indikator Kinerja``; the year comes from the
  title (``… — Triwulan II 2025``). Indicator rows give realisations (K), sub kegiatan rows
  the budget spent (Rp). Empty cells are quarters the report did not have.
* a simple list: columns ``kode indikator``, ``tahun``, ``triwulan`` (1–4 or I–IV) and
  ``realisasi``, one row per indicator and quarter.
* the long table ``python -m bot export`` writes (``exports/figures.py``): ``Jenis``,
  ``Tahun``, ``Triwulan``, ``Kode``, ``Realisasi Triwulan`` for an indicator and
  ``Realisasi Anggaran Triwulan (Rp)`` for a sub kegiatan; its text figures carry a dot before
  the decimals (``12.5``), as it writes them.

Each layout may come as .xlsx (read with openpyxl, which shows a formula as its text so that
it is refused, never its cached result) or as CSV (read with pandas; comma, semicolon or tab
separated, UTF-8 or Windows-1252).

Every problem is reported with its sheet, row and column, and a file with any problem yields
nothing. Cells are read as typed (formulas are refused, text numbers read the Indonesian way).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import openpyxl

from bot.checks import Hard, check_cell_value
from exports.figures import COL_CODE, COL_JENIS, COL_QUARTER, COL_REALISASI, COL_SPENT, COL_YEAR
from exports.org import ImportProblem
from exports.tables import csv_rows

INDIKATOR = "indikator"
ANGGARAN = "anggaran"
MIN_YEAR, MAX_YEAR = 2000, 2100
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_TITLE_YEAR = re.compile(r"triwulan\s+(?:i|ii|iii|iv)\s+(\d{4})", re.IGNORECASE)
_RINCIAN_Q = re.compile(r"^realisasi\s+(?:tw|triwulan)\s+(i|ii|iii|iv)\s+(k|rp)$")
_RINCIAN_GROUP = re.compile(r"^realisasi\s+(?:tw|triwulan)\s+(i|ii|iii|iv)$")
_SPACES = re.compile(r"[\s_]+")
SIMPLE_COLUMNS = ("kode indikator", "tahun", "triwulan", "realisasi")
EXPORT_COLUMNS = tuple(
    c.lower() for c in (COL_JENIS, COL_YEAR, COL_QUARTER, COL_CODE, COL_REALISASI, COL_SPENT)
)
_PLAIN_DECIMAL = re.compile(r"^\d+(?:\.\d+)?$")
MAX_ROWS = 50_000
_REASONS = {
    Hard.FORMULA: "rumus tidak diperbolehkan",
    Hard.NEGATIVE: "tidak boleh negatif",
    Hard.AMBIGUOUS: "angka tidak jelas (mis. 1.250 atau 1,25?)",
    Hard.NOT_A_NUMBER: "bukan angka",
    Hard.TWO_VALUES: "berisi lebih dari satu angka",
    Hard.EMPTY: "kosong",
}


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One earlier figure: an indicator's realisation or a sub kegiatan's budget spent."""

    kind: str  # INDIKATOR or ANGGARAN
    code: str
    year: int
    quarter: int
    value: Decimal


@dataclass(frozen=True, slots=True)
class HistoryImport:
    """The figures read, or none with every problem found; ``layout`` names what was read."""

    rows: tuple[HistoryRow, ...]
    problems: tuple[ImportProblem, ...]
    layout: str = ""


def _norm(value: object) -> str:
    return _SPACES.sub(" ", str(value or "")).strip().lower()


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_history(
    data: bytes,
    *,
    year: int | None = None,
    known: Callable[[str, int], Collection[str] | None] | None = None,
) -> HistoryImport:
    """Read a history file; ``known(kind, year)`` gives the codes that exist (None: unknown).

    ``year`` is used for a Rincian whose title names none; a title naming another year is a
    problem, not a guess.
    """
    if not data.startswith(b"PK"):  # an .xlsx is a zip file; anything else may be CSV
        rows = csv_rows(data, MAX_ROWS)
        if rows is None:
            return HistoryImport((), (ImportProblem("-", None, None, "", NOT_READABLE),))
        found = _read_table(_Reader("CSV", year, known), rows)
        return found or _nothing_found()
    try:
        # data_only=False: a formula arrives as its text, so it is refused, never evaluated.
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:
        # A damaged file can fail anywhere inside openpyxl; all of it means "not readable".
        return HistoryImport((), (ImportProblem("-", None, None, "", NOT_READABLE),))
    try:
        for sheet in book.worksheets:
            rows = list(sheet.iter_rows(values_only=True, max_row=MAX_ROWS))
            found = _read_table(_Reader(sheet.title, year, known), rows)
            if found is not None:
                return found
    finally:
        book.close()
    return _nothing_found()


NOT_READABLE = "berkas bukan .xlsx atau .csv"


def _read_table(reader: _Reader, rows: list[tuple[Any, ...]]) -> HistoryImport | None:
    """Find a known header in the first rows of a table and read it (None: none found)."""
    for index, cells in enumerate(rows[:30]):
        header = [_norm(c) for c in cells]
        if all(c in header for c in EXPORT_COLUMNS):
            reader.export(rows, index, header)
            return reader.result("data kinerja (ekspor)")
        if "kode" in header and any(_RINCIAN_Q.match(h) for h in header):
            reader.rincian(rows, index, header)
            return reader.result("Rincian")
        if "kode" in header and any(_RINCIAN_GROUP.match(h) for h in header):
            two_level, skip = _two_level(rows, index, header)
            reader.rincian(rows, index + skip, two_level)
            return reader.result("Rincian")
        if all(c in header for c in SIMPLE_COLUMNS):
            reader.simple(rows, index, header)
            return reader.result("daftar sederhana")
    return None


def _nothing_found() -> HistoryImport:
    return HistoryImport(
        (),
        (
            ImportProblem(
                "-",
                None,
                None,
                "",
                "tidak ditemukan lembar Rincian laporan atau kolom "
                "kode indikator, tahun, triwulan, realisasi",
            ),
        ),
    )


def _two_level(rows: list[tuple[Any, ...]], top: int, header: list[str]) -> tuple[list[str], int]:
    """The Permendagri form's header (group titles merged over their K and Rp, then the row
    of column numbers) as one flat header: ``realisasi triwulan i k`` and so on.

    Returns the header and how many rows below ``top`` it (and the numbers row) takes.
    """
    subs = [_norm(c) for c in rows[top + 1]] if top + 1 < len(rows) else []
    flat, group = [], ""
    for col, title in enumerate(header):
        group = title or group  # a merged title is in its first cell only
        sub = subs[col] if col < len(subs) else ""
        flat.append(f"{group} {sub}" if sub in ("k", "rp") else title)
    skip = 1
    numbers = rows[top + 2] if top + 2 < len(rows) else ()
    # 1 and 2 as numbers from .xlsx, as text from CSV
    if numbers and len(numbers) > 1 and str(numbers[0]) == "1" and str(numbers[1]) == "2":
        skip = 2  # the row of column numbers (1, 2, 3, …) is not data
    return flat, skip


class _Reader:
    """Collects rows and problems of one sheet."""

    def __init__(
        self,
        sheet: str,
        year: int | None,
        known: Callable[[str, int], Collection[str] | None] | None,
    ) -> None:
        self.sheet = sheet
        self.year = year
        self.known = known
        self.rows: dict[tuple[str, str, int, int], HistoryRow] = {}
        self.problems: list[ImportProblem] = []

    def problem(self, row: int | None, column: str | None, value: object, reason: str) -> None:
        shown = "" if value is None else str(value)[:60]
        self.problems.append(ImportProblem(self.sheet, row, column, shown, reason))

    def result(self, layout: str) -> HistoryImport:
        if not self.rows and not self.problems:
            self.problem(None, None, "", "tidak ada realisasi yang dapat diimpor")
        if self.problems:
            return HistoryImport((), tuple(self.problems), layout)
        return HistoryImport(tuple(self.rows.values()), (), layout)

    def number(self, row: int, column: str, raw: Any) -> Decimal | None:
        checked = check_cell_value(raw)
        if checked.hard is not None or checked.value is None:
            reason = _REASONS.get(checked.hard or Hard.NOT_A_NUMBER, "bukan angka")
            self.problem(row, column, raw, reason)
            return None
        return checked.value

    def add(self, row: int, column: str, figure: HistoryRow) -> None:
        if self.known is not None:
            codes = self.known(figure.kind, figure.year)
            if codes is not None and figure.code not in codes:
                what = "indikator" if figure.kind == INDIKATOR else "sub kegiatan"
                self.problem(
                    row, column, figure.code, f"kode {what} tidak ada di katalog {figure.year}"
                )
                return
        key = (figure.kind, figure.code, figure.year, figure.quarter)
        earlier = self.rows.get(key)
        if earlier is not None and earlier.value != figure.value:
            self.problem(row, column, figure.code, "kode dan triwulan yang sama dengan nilai lain")
            return
        self.rows[key] = figure

    def rincian(self, rows: list[tuple[Any, ...]], top: int, header: list[str]) -> None:
        """The report's Rincian: indicator rows (K) and sub kegiatan rows (Rp).

        ``top`` is the header's last row (the data starts below it).
        """
        title_year = None
        for cells in rows[:top]:
            for cell in cells:
                found = _TITLE_YEAR.search(str(cell or ""))
                if found:
                    title_year = int(found.group(1))
        if title_year is not None and self.year is not None and title_year != self.year:
            self.problem(
                None, None, title_year, f"judul berkas menyebut tahun lain dari {self.year}"
            )
            return
        year = title_year or self.year
        if year is None:
            self.problem(None, None, "", "tahun tidak ditemukan di judul; sebutkan --year")
            return
        code_col = header.index("kode")
        name_col = next((i for i, h in enumerate(header) if h.startswith("indikator")), None)
        quarters = [
            (i, ROMAN[m.group(1)], m.group(2))
            for i, h in enumerate(header)
            if (m := _RINCIAN_Q.match(h))
        ]
        for offset, cells in enumerate(rows[top + 1 :], start=top + 2):
            code = cells[code_col] if code_col < len(cells) else None
            if _blank(code):
                continue
            is_indicator = (
                name_col is not None and name_col < len(cells) and not _blank(cells[name_col])
            )
            for col, quarter, part in quarters:
                if (part == "k") != is_indicator or col >= len(cells) or _blank(cells[col]):
                    continue
                value = self.number(offset, header[col], cells[col])
                if value is not None:
                    kind = INDIKATOR if is_indicator else ANGGARAN
                    self.add(
                        offset,
                        header[col],
                        HistoryRow(kind, str(code).strip(), year, quarter, value),
                    )

    def export(self, rows: list[tuple[Any, ...]], top: int, header: list[str]) -> None:
        """The long table of ``python -m bot export``: indicator and sub kegiatan rows."""
        col = {name: header.index(name) for name in EXPORT_COLUMNS}
        jenis, year_col, quarter_col, code_col, realisasi, spent = EXPORT_COLUMNS
        kinds = {"indikator": (INDIKATOR, realisasi), "sub kegiatan": (ANGGARAN, spent)}
        for offset, cells in enumerate(rows[top + 1 :], start=top + 2):
            cell = {name: cells[i] if i < len(cells) else None for name, i in col.items()}
            if all(_blank(v) for v in cell.values()):
                continue
            kind = kinds.get(_norm(cell[jenis]))
            if kind is None:
                self.problem(offset, jenis, cell[jenis], "jenis harus Indikator atau Sub Kegiatan")
                continue
            raw = cell[kind[1]]
            if _blank(raw):
                continue  # a quarter without this figure
            code = str(cell[code_col] or "").strip()
            if not code:
                self.problem(offset, code_col, "", "kosong")
                continue
            year = self._year(offset, cell[year_col])
            quarter = self._quarter(offset, cell[quarter_col])
            if isinstance(raw, str) and _PLAIN_DECIMAL.match(raw.strip()):
                value: Decimal | None = Decimal(raw.strip())  # the export's own "12.5"
            else:
                value = self.number(offset, kind[1], raw)
            if year is None or quarter is None or value is None:
                continue
            self.add(offset, code_col, HistoryRow(kind[0], code, year, quarter, value))

    def simple(self, rows: list[tuple[Any, ...]], top: int, header: list[str]) -> None:
        """One row per indicator and quarter."""
        col = {name: header.index(name) for name in SIMPLE_COLUMNS}
        for offset, cells in enumerate(rows[top + 1 :], start=top + 2):
            cell = {name: cells[i] if i < len(cells) else None for name, i in col.items()}
            if all(_blank(v) for v in cell.values()):
                continue
            code = str(cell["kode indikator"] or "").strip()
            if not code:
                self.problem(offset, "kode indikator", "", "kosong")
                continue
            year = self._year(offset, cell["tahun"])
            quarter = self._quarter(offset, cell["triwulan"])
            value = self.number(offset, "realisasi", cell["realisasi"])
            if year is None or quarter is None or value is None:
                continue
            self.add(offset, "kode indikator", HistoryRow(INDIKATOR, code, year, quarter, value))

    def _year(self, row: int, raw: Any) -> int | None:
        text = str(raw if raw is not None else "").strip()
        if isinstance(raw, float) and raw.is_integer():
            text = str(int(raw))
        if not text.isdigit() or not MIN_YEAR <= int(text) <= MAX_YEAR:
            self.problem(row, "tahun", raw, f"tahun harus {MIN_YEAR}–{MAX_YEAR}")
            return None
        return int(text)

    def _quarter(self, row: int, raw: Any) -> int | None:
        text = _norm(raw).removeprefix("triwulan ").removeprefix("tw ")
        if isinstance(raw, float) and raw.is_integer():
            text = str(int(raw))
        quarter = ROMAN.get(text) or (int(text) if text in ("1", "2", "3", "4") else None)
        if quarter is None:
            self.problem(row, "triwulan", raw, "triwulan harus 1–4 atau I–IV")
        return quarter


def write_history_list(rows: list[HistoryRow]) -> bytes:
    """Indicator figures in the simple layout :func:`read_history` reads (numbers as numbers)."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("Riwayat")
    bold = book.add_format({"bold": True})
    for col, head in enumerate(("Kode Indikator", "Tahun", "Triwulan", "Realisasi")):
        sheet.write_string(0, col, head, bold)
    for r, row in enumerate((x for x in rows if x.kind == INDIKATOR), 1):
        sheet.write_string(r, 0, row.code)
        sheet.write_number(r, 1, row.year)
        sheet.write_number(r, 2, row.quarter)
        sheet.write_number(r, 3, float(row.value))
    sheet.set_column(0, 0, 18)
    sheet.set_column(1, 3, 12)
    book.close()
    return buffer.getvalue()
