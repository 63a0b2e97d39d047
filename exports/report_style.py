"""What every sheet of the report shares: cell formats, typed writes, tables, print setup."""

from __future__ import annotations

from decimal import Decimal

import xlsxwriter

from bot import numbers

PREDIKAT_COLOURS = {
    "Sangat Tinggi": "#1E7B34",
    "Tinggi": "#63BE7B",
    "Sedang": "#FFEB84",
    "Rendah": "#F8A35B",
    "Sangat Rendah": "#E0504A",
}
NUM_FORMAT = "#,##0.##"
WHOLE_FORMAT = "#,##0"
RP_FORMAT = '"Rp "#,##0'
PCT_FORMAT = '#,##0.00" %"'
# Column headers, in the report and in the template alike.
HEADER_STYLE = {
    "bold": True,
    "bg_color": "#DDEBF7",
    "border": 1,
    "text_wrap": True,
    "valign": "vcenter",
    "align": "center",
}


def as_float(value: Decimal | None) -> float | None:
    """A figure as Excel stores it (None stays None)."""
    return None if value is None else float(value)


class Writer:
    """Formats created once; cells written with the right type."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        add = book.add_format
        self.title = add({"bold": True, "font_size": 14})
        self.head = add(HEADER_STYLE)
        self.text = add({"border": 1, "text_wrap": True, "valign": "top"})
        self.bold = add({"border": 1, "bold": True, "text_wrap": True, "valign": "top"})
        self.num = add({"border": 1, "num_format": NUM_FORMAT})
        # "#,##0.##" shows a whole number with a trailing separator ("24."), so whole
        # numbers get their own format.
        self.whole = add({"border": 1, "num_format": WHOLE_FORMAT})
        self.rp = add({"border": 1, "num_format": RP_FORMAT})
        # The value stays the percentage itself (96 for 96 %); the sign is a literal.
        self.pct = add({"border": 1, "num_format": PCT_FORMAT})
        self.date = add({"border": 1, "num_format": "dd/mm/yyyy hh:mm"})
        self.grid = add({"border": 1})
        self.predikat = {
            name: add({"border": 1, "bg_color": colour, "bold": True})
            for name, colour in PREDIKAT_COLOURS.items()
        }

    def value(self, sheet: object, row: int, col: int, value: object, fmt: object) -> None:
        """Write a number as a number and anything else as text; None or "" as a formatted
        blank (in a table, write nothing instead: the table's grid draws its border)."""
        if value is None or value == "":
            sheet.write_blank(row, col, None, fmt)  # type: ignore[attr-defined]
        elif isinstance(value, int | float | Decimal):
            if fmt is self.num and float(value).is_integer():
                fmt = self.whole
            sheet.write_number(row, col, float(value), fmt)  # type: ignore[attr-defined]
        else:
            sheet.write_string(row, col, str(value), fmt)  # type: ignore[attr-defined]


def rounded(value: Decimal | None) -> float | None:
    """A percentage rounded half-up to two places, as Excel will show it."""
    return None if value is None else float(numbers.round2(value))


def table(sheet: object, w: Writer, top: int, last: int, columns: int) -> None:
    """Autofilter and a bordered grid over a table, empty cells included."""
    sheet.autofilter(top, 0, last, columns - 1)  # type: ignore[attr-defined]
    sheet.conditional_format(  # type: ignore[attr-defined]
        top, 0, last, columns - 1, {"type": "no_errors", "format": w.grid}
    )


def print_setup(sheet: object, header_row: int, columns: int) -> None:
    """Frozen header, landscape A4 one page wide, the header repeated on every page."""
    sheet.freeze_panes(header_row + 1, 0)  # type: ignore[attr-defined]
    sheet.set_landscape()  # type: ignore[attr-defined]
    sheet.set_paper(9)  # type: ignore[attr-defined]
    sheet.fit_to_pages(1, 0)  # type: ignore[attr-defined]
    sheet.repeat_rows(header_row)  # type: ignore[attr-defined]
