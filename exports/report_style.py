"""What every sheet of the report shares: cell formats, typed writes, tables, widths, heights.

The :class:`Writer` also measures what it writes, so that each sheet's columns are wide enough
for its figures (no ``###`` in any program) and each row is tall enough for its wrapped text
(LibreOffice and WPS do not grow rows by themselves; only Excel does).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal

import xlsxwriter
from xlsxwriter.worksheet import CellFormulaTuple, Worksheet

from bot import numbers
from exports import font_metrics

# Fill and text colour of each predikat: every pair has a WCAG contrast of at least 4.5 : 1,
# so a cell stays legible on screen and in a grey print.
PREDIKAT_COLOURS = {
    "Sangat Tinggi": "#1E7B34",
    "Tinggi": "#63BE7B",
    "Sedang": "#FFEB84",
    "Rendah": "#F8A35B",
    "Sangat Rendah": "#E0504A",
}
PREDIKAT_TEXT = {
    "Sangat Tinggi": "#FFFFFF",
    "Tinggi": "#000000",
    "Sedang": "#000000",
    "Rendah": "#000000",
    "Sangat Rendah": "#000000",
}
NO_PREDIKAT_COLOUR = "#BFBFBF"
NUM_FORMAT = "#,##0.##"
WHOLE_FORMAT = "#,##0"
RP_FORMAT = '"Rp "#,##0'
PCT_FORMAT = '#,##0.00" %"'
# A date and time as a formal document writes it, "5 Januari 2026 pukul 08.30 WIB", in
# Indonesian (locale 0x421) whatever the language of the program that opens the file.
DATE_FORMAT = '[$-421]d mmmm yyyy "pukul" hh"."mm "{zone}"'
DATE_WIDTH = 31.0
# Column headers, in the report and in the template alike.
HEADER_STYLE = {
    "bold": True,
    "bg_color": "#DDEBF7",
    "border": 1,
    "text_wrap": True,
    "valign": "vcenter",
    "align": "center",
}
LINE_POINTS = 15.0  # one line of 11 pt Calibri: Excel's default row height, and its step
ROW_PAD = 0.75  # a wrapped row's one pixel more: heights are stored in whole pixels (0,75 pt)
_NUMBERS = (float, int, Decimal)  # a tuple: isinstance checks it faster than a union
# 11 pt type at 96 dpi: an em is 11 × 96 / 72 pixels.
PX_PER_UNIT = 11 * 96 / 72 / font_metrics.UNITS_PER_EM
CELL_PADDING_PX = 4  # of a column's pixels, what its text keeps from the borders
# Programs round each glyph to their own units: a text may draw a little wider than designed.
WIDTH_MARGIN = 1.02


def as_float(value: Decimal | None) -> float | None:
    """A figure as Excel stores it (None stays None)."""
    return None if value is None else float(value)


def shown_width(value: float, kind: str) -> int:
    """How many characters a number takes as its cell format shows it (``kind``: the format).

    Counted, not formatted: a large report measures tens of thousands of figures.
    """
    sign = 1 if value < 0 else 0
    value = abs(value)
    decimals = 2 if kind in ("pct", "num") else 0
    scaled = round(value * 10**decimals)
    whole = scaled // 10**decimals
    digits = len(str(whole))
    width = sign + digits + (digits - 1) // 3
    if kind == "rp":
        return width + 3  # "Rp "
    if kind == "pct":
        return width + 3 + 2  # ",00" and " %"
    if kind == "num" and scaled % 100:
        return width + 3  # up to ",25"
    return width


def column_text_units(width: float) -> float:
    """The room for text in a column ``width`` characters wide, in font units of 11 pt type.

    Excel draws a column of width w as ``int(w × 7 + 0.5) + 5`` pixels (7: the width of a
    digit of 11 pt Calibri at 96 dpi); the text keeps a few pixels from the borders.
    """
    pixels = int(width * 7 + 0.5) + 5 - CELL_PADDING_PX
    return max(1.0, pixels) / PX_PER_UNIT


def text_lines(text: str, width: float, bold: bool = False) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide.

    A greedy word wrap, as Excel and LibreOffice wrap, with Calibri's own character widths
    (exports/font_metrics.py) and a small margin for the programs' rounding of them.
    """
    room = column_text_units(width)
    space = font_metrics.advance(" ", bold)
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        # Leading spaces (the indent of a kegiatan under its programme) take room too.
        used = float((len(paragraph) - len(paragraph.lstrip(" "))) * space)
        for word in paragraph.split():
            size = font_metrics.text_units(word, bold) * WIDTH_MARGIN
            if used and used + space + size > room:
                lines += 1
                used = 0.0
            if size > room:  # a word longer than the column breaks across lines
                extra = math.ceil(size / room) - 1
                lines += extra
                size -= extra * room
            used += (space if used else 0.0) + size
    return lines


class Sheet:
    """A worksheet and what was measured on it: widest figure per column, lines per row."""

    def __init__(self, sheet: Worksheet, widths: dict[int, float]) -> None:
        self.sheet = sheet
        self.widths = dict(widths)  # text columns: fixed; figure columns: a minimum
        self.fixed = set(widths)
        self.figure_width: dict[int, int] = {}
        self.lines: dict[int, int] = {}
        self.levels: dict[int, int] = {}
        self._later: list[tuple[int, int, str, bool, int]] = []
        self._down: list[tuple[int, int, int, str, bool]] = []
        # A report repeats many texts and figures (a unit's name on each of its rows): each
        # is measured once.
        self._known_lines: dict[tuple[str, float, bool], int] = {}
        self._known_widths: dict[tuple[float, str], int] = {}

    def measure_later(self, row: int, col: int, text: str, bold: bool, span: int = 1) -> None:
        """Measure a text once the columns have their widths (a header over figures)."""
        self._later.append((row, col, text, bold, span))

    def measure_down(self, first: int, last: int, col: int, text: str, bold: bool = False) -> None:
        """Measure a text merged down rows ``first`` to ``last``: once every row's own text is
        measured, the last row grows if the rows together are too short for it."""
        self._down.append((first, last, col, text, bold))

    def measure_number(self, col: int, value: float, kind: str) -> None:
        """Remember how wide a figure shows."""
        key = (value, kind)
        width = self._known_widths.get(key)
        if width is None:
            width = self._known_widths[key] = shown_width(value, kind)
        if width > self.figure_width.get(col, 0):
            self.figure_width[col] = width

    def measure_text(self, row: int, col: int, text: str, bold: bool, span: int = 1) -> None:
        """Remember how many lines a wrapped text needs in its (fixed) column."""
        if span == 1:
            width = self.widths.get(col, 9.0)
            # Short enough to fit one line even in the widest capitals: nothing to record.
            if len(text) * 1.9 <= width - 1 and not bold and "\n" not in text:
                return
        else:
            width = sum(self.widths.get(c, 9.0) for c in range(col, col + span))
        key = (text, width, bold)
        lines = self._known_lines.get(key)
        if lines is None:
            lines = self._known_lines[key] = text_lines(text, width, bold)
        if lines > self.lines.get(row, 1):
            self.lines[row] = lines

    def settle_widths(self) -> dict[int, float]:
        """Every column's width so far: figure columns as wide as their widest figure."""
        for col, shown in self.figure_width.items():
            self.widths[col] = max(self.widths.get(col, 0.0), shown + 2.0)
        return self.widths

    def finish(self, extra_lines: dict[int, int] | None = None) -> None:
        """Columns as wide as their widest figure, rows as tall as their wrapped text."""
        self.settle_widths()
        for col, width in sorted(self.widths.items()):
            self.sheet.set_column(col, col, width)
        for row, col, text, bold, span in self._later:
            self.measure_text(row, col, text, bold, span)
        for row, lines in (extra_lines or {}).items():
            self.lines[row] = max(self.lines.get(row, 1), lines)
        for first, last, col, text, bold in self._down:
            needed = LINE_POINTS * text_lines(text, self.widths.get(col, 9.0), bold) + ROW_PAD
            short = needed - sum(self.height(r) for r in range(first, last + 1))
            if short > 0:
                self.lines[last] = self.lines.get(last, 1) + math.ceil(short / LINE_POINTS)
        for row in sorted(set(self.lines) | set(self.levels)):
            options = {"level": self.levels[row]} if row in self.levels else None
            self.sheet.set_row(row, self.height(row), None, options)

    def height(self, row: int) -> float:
        """A row's height in points: its lines of text (one unless a text wraps)."""
        lines = self.lines.get(row, 1)
        return LINE_POINTS * lines + (ROW_PAD if lines > 1 else 0)


class FormulaSheet(Worksheet):
    """A worksheet whose formulas are written as given.

    For every formula xlsxwriter searches for the dynamic-array functions of Excel 365 and
    runs some thirty replacements to prefix them; the report uses none of them (they would
    not work in LibreOffice or WPS either), and on a large report that search and those
    replacements took longer than writing everything else.
    """

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        return formula[1:] if formula.startswith("=") else formula

    def _write_formula(  # type: ignore[override]
        self, row: int, col: int, formula: str, cell_format: object = None, value: object = 0
    ) -> int:
        if self.constant_memory or not formula:  # not used here: xlsxwriter's own way
            return int(super()._write_formula(row, col, formula, cell_format, value))  # type: ignore[arg-type]
        if self._check_dimensions(row, col):
            return -1
        self.table[row][col] = CellFormulaTuple(self._prepare_formula(formula), cell_format, value)
        return 0


class Writer:
    """Formats created once; cells written with the right type and measured."""

    def __init__(self, book: xlsxwriter.Workbook, zone: str = "WIB") -> None:
        add = book.add_format
        self.title = add({"bold": True, "font_size": 14})
        self.draft = add({"bold": True, "font_size": 14, "font_color": "#C00000"})
        self.head = add(HEADER_STYLE)
        self.number_head = add({**HEADER_STYLE, "italic": True, "bold": False})
        self.text = add({"border": 1, "text_wrap": True, "valign": "top"})
        self.plain = add({"text_wrap": True, "valign": "top"})
        # A section's label: runs on over the empty cells to its right, never wraps.
        self.label = add({"bold": True})
        self.line = add({})  # a line of the signature block: runs on, never wraps
        self.bold = add({"border": 1, "bold": True, "text_wrap": True, "valign": "top"})
        self.num = add({"border": 1, "num_format": NUM_FORMAT, "valign": "top"})
        # "#,##0.##" shows a whole number with a trailing separator ("24."), so whole
        # numbers get their own format.
        self.whole = add({"border": 1, "num_format": WHOLE_FORMAT, "valign": "top"})
        self.rp = add({"border": 1, "num_format": RP_FORMAT, "valign": "top"})
        # The value stays the percentage itself (96 for 96 %); the sign is a literal.
        self.pct = add({"border": 1, "num_format": PCT_FORMAT, "valign": "top", "align": "right"})
        self.pct_bold = add(
            {"border": 1, "num_format": PCT_FORMAT, "bold": True, "valign": "top", "align": "right"}
        )
        self.date = add({"border": 1, "num_format": DATE_FORMAT.format(zone=zone), "valign": "top"})
        self.grid = add({"border": 1})
        self.centre = add({"border": 1, "align": "center", "valign": "top", "text_wrap": True})
        self.predikat = {
            name: add(
                {
                    "border": 1,
                    "bg_color": colour,
                    "font_color": PREDIKAT_TEXT[name],
                    "bold": True,
                    "valign": "top",
                    "text_wrap": True,
                }
            )
            for name, colour in PREDIKAT_COLOURS.items()
        }
        # The same colours for a predikat a formula recomputes after an edit.
        self.predikat_rule = {
            name: add({"bg_color": colour, "font_color": PREDIKAT_TEXT[name], "bold": True})
            for name, colour in PREDIKAT_COLOURS.items()
        }
        self._kinds = {id(self.rp): "rp", id(self.pct): "pct", id(self.pct_bold): "pct"}
        self._bold = {
            id(self.bold),
            id(self.head),
            id(self.title),
            *map(id, self.predikat.values()),
        }

    def value(self, ws: Sheet, row: int, col: int, value: object, fmt: object) -> None:
        """Write a number as a number and anything else as text; None or "" as a formatted
        blank (in a table, write nothing instead: the table's grid draws its border)."""
        sheet = ws.sheet
        if value is None or value == "":
            sheet.write_blank(row, col, None, fmt)
        elif isinstance(value, _NUMBERS):
            number = float(value)
            kind = self._kinds.get(id(fmt), "num")
            if fmt is self.num and number.is_integer():
                fmt, kind = self.whole, "whole"
            sheet.write_number(row, col, number, fmt)
            ws.measure_number(col, number, kind)
        else:
            text = str(value)
            sheet.write_string(row, col, text, fmt)
            ws.measure_text(row, col, text, id(fmt) in self._bold)

    def formula(
        self, ws: Sheet, row: int, col: int, formula: str, cached: object, fmt: object
    ) -> None:
        """A formula with the bot's own result cached: what a program shows before (or
        without) recalculating, and what a recalculation must give again."""
        sheet = ws.sheet
        if isinstance(cached, _NUMBERS):
            number = float(cached)
            kind = self._kinds.get(id(fmt), "num")
            if fmt is self.num and number.is_integer():
                fmt, kind = self.whole, "whole"
            sheet.write_formula(row, col, formula, fmt, number)
            ws.measure_number(col, number, kind)
        else:
            text = "" if cached is None else str(cached)
            sheet.write_formula(row, col, formula, fmt, text)
            if text:
                ws.measure_text(row, col, text, id(fmt) in self._bold)

    def predikat_format(self, name: str | None) -> object:
        """The coloured format of a predikat, plain text without one."""
        return self.predikat.get(name or "", self.text)

    def predikat_rules(self, ws: Sheet, first: int, last: int, col: int) -> None:
        """Colour a predikat column by its (possibly recomputed) value."""
        for name, fmt in self.predikat_rule.items():
            ws.sheet.conditional_format(
                first,
                col,
                last,
                col,
                {"type": "cell", "criteria": "==", "value": f'"{name}"', "format": fmt},
            )


def rounded(value: Decimal | None) -> float | None:
    """A percentage rounded half-up to two places, as Excel will show it."""
    return None if value is None else float(numbers.round2(value))


def table(ws: Sheet, w: Writer, top: int, last: int, columns: int) -> None:
    """Autofilter and a bordered grid over a table, empty cells included."""
    ws.sheet.autofilter(top, 0, last, columns - 1)
    ws.sheet.conditional_format(top, 0, last, columns - 1, {"type": "no_errors", "format": w.grid})


def headers(ws: Sheet, w: Writer, row: int, names: Iterable[str]) -> int:
    """A one-row table header; returns the number of columns."""
    count = 0
    for col, name in enumerate(names):
        ws.sheet.write_string(row, col, name, w.head)
        ws.measure_later(row, col, name, True)
        count += 1
    return count
