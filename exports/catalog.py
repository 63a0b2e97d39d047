"""The indicator catalogue as .xlsx (sheet ``Katalog``, one row per indicator): read (written
by ``exports.catalog_write``).

Reading checks every row and reports every problem with its sheet, row and column; a catalogue
with any problem is not imported at all. Cells are read as typed: a formula is a problem and
is never evaluated, and text numbers are read the Indonesian way (``bot.checks``).

An indicator belongs to the deepest level filled on its row: the sub kegiatan, else the
kegiatan (an output), else the programme (an outcome). Each activity is owned by the unit of
the first row that lists it, so a programme shared by several units is owned by the first; the
other units' indicators still point at it. Only a sub kegiatan carries a pagu.
"""

from __future__ import annotations

import io
from collections.abc import Collection
from typing import Any

import openpyxl

from exports.catalog_columns import COLUMNS, REQUIRED_COLUMNS, SHEET
from exports.catalog_rows import CatalogImport, RowReader, blank
from exports.org import ImportProblem

MAX_ROWS = 20_000


def read_catalog(data: bytes, *, year: int, known_units: Collection[str]) -> CatalogImport:
    """Read and check a catalogue; nothing is returned unless the whole file is clean."""

    def refused(row: int | None, column: str | None, reason: str) -> CatalogImport:
        return CatalogImport(None, (ImportProblem(SHEET, row, column, "", reason),))

    try:
        # data_only=False: a formula arrives as its text, so it is reported, never evaluated.
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:
        # A damaged file can fail anywhere inside openpyxl; all of it means "not readable".
        return refused(None, None, "berkas bukan .xlsx yang sah atau rusak")
    reader = RowReader(year, set(known_units))
    try:
        names = {name.strip().lower(): name for name in book.sheetnames}
        if SHEET.lower() not in names:
            return refused(None, None, "lembar Katalog tidak ada")
        sheet = book[names[SHEET.lower()]]
        sheet.reset_dimensions()  # some writers store a wrong size; read every cell present
        rows = sheet.iter_rows()
        header = _header(next(rows, ()))
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            return CatalogImport(
                None,
                tuple(ImportProblem(SHEET, 1, c, "", "kolom wajib tidak ada") for c in missing),
            )
        for number, cells in enumerate(rows, 2):
            row = {c: cells[i] for c, i in header.items() if i < len(cells)}
            if all(blank(cell.value) for cell in row.values()):
                continue  # empty rows anywhere (trailing ones above all) are not indicators
            if reader.rows == MAX_ROWS:
                reader.problem(number, None, "", f"lebih dari {MAX_ROWS:_} baris".replace("_", "."))
                break
            reader.add(number, row)
    except Exception:
        return refused(None, None, "berkas bukan .xlsx yang sah atau rusak")
    finally:
        book.close()
    if not reader.rows and not reader.problems:
        reader.problem(2, None, "", "tidak ada baris indikator")
    return reader.result()


def _header(cells: tuple[Any, ...]) -> dict[str, int]:
    """Known column names to their positions; the first of a repeated name wins."""
    header: dict[str, int] = {}
    for position, cell in enumerate(cells):
        name = str(cell.value).strip().lower() if cell.value is not None else ""
        if name in COLUMNS and name not in header:
            header[name] = position
    return header
