"""Sheet layout that LibreOffice and WPS honour as Excel does: row heights, print setup.

LibreOffice and WPS do not grow a row for wrapped text as Excel does, so every row that wraps
gets its height written; every printed sheet names its paper, its header and its page numbers.
"""

from __future__ import annotations

from collections.abc import Iterable

from xlsxwriter.worksheet import Worksheet

from exports.paper import paper_index

LINE_PT = 15.0  # one line of 11 pt text, Excel's default row height
MAX_ROW_PT = 409.0  # Excel's highest row


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a wrapped cell ``width`` characters wide.

    LibreOffice and WPS do not grow a row for wrapped text as Excel does, so the height is
    written; this greedy word wrap errs on the tall side (a little space, never overlap).
    """
    per_line = max(1, int(width * 0.95) - 1)
    lines = 0
    for paragraph in text.split("\n"):
        used = 0
        lines += 1
        for word in paragraph.split():
            size = len(word)
            if used and used + 1 + size > per_line:
                lines += 1
                used = 0
            while size > per_line:  # a word longer than the line breaks anywhere
                lines += 1
                size -= per_line
            used += size + (1 if used else 0)
    return max(lines, 1)


def row_height(cells: Iterable[tuple[str, float]], minimum: float = LINE_PT) -> float:
    """The row height (pt) that shows every wrapped (text, column width) cell of the row."""
    lines = max((wrapped_lines(text, width) for text, width in cells), default=1)
    return min(MAX_ROW_PT, max(minimum, lines * LINE_PT + 3))


def escape_hf(text: str) -> str:
    """Text for a page header or footer, where "&" starts a code."""
    return text[:100].replace("&", "&&")


def print_setup(sheet: Worksheet, agency: str, header: str) -> None:
    """Every sheet prints on the chosen paper, one page wide, with who/what and page numbers."""
    sheet.set_paper(paper_index())
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
    sheet.set_header(f"&L&8{agency}&R&8{header}", {"margin": 0.3})
    sheet.set_footer("&C&8Halaman &P dari &N", {"margin": 0.3})
