"""How each sheet of the report prints: paper, orientation, scale, page header and footer.

The paper comes from exports/paper.py (``KINERJA_PAPER``, F4/Folio unless set). The wide
``Rincian`` gets an explicit scale and column breaks computed here, so its type stays at 7 pt
or more in every program (a "fit to one page wide" would shrink the 32-column form to 3 pt).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from exports.paper import Paper

if TYPE_CHECKING:  # both import this module
    from exports.report_data import ReportData
    from exports.report_style import Sheet

SIDE_MARGIN = 0.4  # inches, left and right
TOP_MARGIN = 0.55  # inches, top and bottom (the page header and footer sit inside them)
BASE_POINTS = 11.0  # the workbook's type size
MIN_PRINT_POINTS = 7.0
# Keep an eighth of the page free: programs convert column widths to points differently
# (LibreOffice draws them about a tenth wider than Excel), and a column pushed over the edge
# would print on a page of its own.
SAFETY = 0.88


def column_points(width: float) -> float:
    """A column ``width`` (in characters of 11 pt Calibri) in points, as Excel draws it."""
    return int(width * 7 + 5) * 0.75


def printable_points(sheet_paper: Paper) -> float:
    """The width between the side margins of a landscape page, in points."""
    return (sheet_paper.long_side - 2 * SIDE_MARGIN) * 72


@dataclass(frozen=True, slots=True)
class Layout:
    """Where a wide sheet's pages break, and at what scale (percent) it prints."""

    scale: int
    breaks: tuple[int, ...]  # the first column of every page after the first

    @property
    def pages_wide(self) -> int:
        """How many pages side by side one band of rows takes."""
        return len(self.breaks) + 1


def wide_layout(
    widths: Sequence[float],
    repeated: int,
    groups: Sequence[tuple[int, int]],
    sheet_paper: Paper,
    down: Callable[[int], tuple[int, int]] | None = None,
) -> Layout:
    """The largest scale (type ≥ 7 pt) that needs the fewest pages across and, given
    ``down``, the fewest pages in all.

    ``widths`` are every column's; the first ``repeated`` columns print on every page;
    ``groups`` are column ranges (first, last) that must stay on one page (a K and its Rp).
    ``down(scale)`` gives the pages the table and the whole sheet take down at a scale: the
    table prints once per band of columns, what follows it in the first band only.
    """
    smallest = int(-(-MIN_PRINT_POINTS * 100 // BASE_POINTS))  # 64 %
    fitting = []
    for scale in range(100, smallest - 1, -1):
        breaks = _breaks(widths, repeated, groups, sheet_paper, scale)
        if breaks is not None:
            fitting.append(Layout(scale, tuple(breaks)))
    if not fitting:  # even one group is wider than a page: print small rather than split
        return Layout(smallest, ())
    across = min(layout.pages_wide for layout in fitting)
    narrowest = [layout for layout in fitting if layout.pages_wide == across]
    if down is None:
        return narrowest[0]

    def pages(layout: Layout) -> int:
        table, sheet = down(layout.scale)
        return across * table + sheet - table

    # A slightly smaller type that saves whole pages is worth it; else the larger type.
    return min(narrowest, key=pages)


def pages_down(
    heights: Callable[[int], float],
    repeated: tuple[int, int],
    last: int,
    sheet_paper: Paper,
    scale: int,
) -> int:
    """How many pages rows 0 to ``last`` take down a landscape page at ``scale``, with the
    ``repeated`` header rows on top of every page after the first."""
    page = (sheet_paper.short_side - 2 * TOP_MARGIN) * 72 * 100 / scale
    header = sum(heights(r) for r in range(repeated[0], repeated[1] + 1))
    pages, used = 1, 0.0
    for row in range(last + 1):
        height = heights(row)
        if used + height > page:
            pages += 1
            used = header
        used += height
    return pages


def _breaks(
    widths: Sequence[float],
    repeated: int,
    groups: Sequence[tuple[int, int]],
    sheet_paper: Paper,
    scale: int,
) -> list[int] | None:
    room = printable_points(sheet_paper) * SAFETY * 100 / scale
    fixed = sum(column_points(w) for w in widths[:repeated])
    page = room - fixed
    if page <= 0:
        return None
    breaks: list[int] = []
    used = 0.0
    for first, last in groups:
        size = sum(column_points(widths[c]) for c in range(first, last + 1))
        if size > page:
            return None
        if used + size > page:
            breaks.append(first)
            used = 0.0
        used += size
    return breaks


def keep_together(
    heights: Callable[[int], float],
    repeated: tuple[int, int],
    blocks: Sequence[tuple[int, int]],
    sheet_paper: Paper,
    scale: int,
    tight: Sequence[tuple[int, int]] = (),
) -> list[int]:
    """Rows to start a new page at, so that no block of rows (a signature) is split.

    Pages are laid out as the programs do it: rows in order, a row that does not fit starts
    a new page under the repeated header rows. A block that would end near the page's foot,
    or past it, starts the next page instead. A ``tight`` block (a few rows under a merged
    text) starts the next page only if it would end past the foot: these are many, and the
    programs fit a little more on a page than this layout counts.
    """
    if not blocks and not tight:
        return []
    page = (sheet_paper.short_side - 2 * TOP_MARGIN) * 72 * 100 / scale
    header = sum(heights(r) for r in range(repeated[0], repeated[1] + 1))
    # A little room to spare for a block: programs round row heights to their own units.
    starts = {start: (end, 1.0) for start, end in tight} | {s: (e, 0.93) for s, e in blocks}
    breaks: list[int] = []
    used = 0.0
    row = 0
    last = max(end for end, _ in starts.values())
    while row <= last:
        if row in starts:
            end, share = starts[row]
            size = sum(heights(r) for r in range(row, end + 1))
            if used + size > page * share and size <= page - header:
                breaks.append(row)
                used = header
        height = heights(row)
        if used + height > page:
            used = header
        used += height
        row += 1
    return breaks


def _escape(text: str) -> str:
    """Text for a page header: ``&`` is the header's control character."""
    return text.replace("&", "&&")


def page_setup(
    sheet: object,
    *,
    sheet_paper: Paper,
    agency: str,
    period: str,
    made: str,
    draft: bool,
    header_rows: tuple[int, int] | None,
    landscape: bool = True,
    layout: Layout | None = None,
    repeat_columns: int = 0,
    widths: Sequence[float] = (),
) -> None:
    """Paper, orientation, margins, repeated rows, scale, page header and footer."""
    ws = sheet
    ws.set_paper(sheet_paper.index)  # type: ignore[attr-defined]
    if landscape:
        ws.set_landscape()  # type: ignore[attr-defined]
    else:
        ws.set_portrait()  # type: ignore[attr-defined]
    ws.set_margins(  # type: ignore[attr-defined]
        left=SIDE_MARGIN, right=SIDE_MARGIN, top=TOP_MARGIN, bottom=TOP_MARGIN
    )
    if header_rows is not None:
        ws.repeat_rows(*header_rows)  # type: ignore[attr-defined]
    if layout is None:
        ws.fit_to_pages(1, 0)  # type: ignore[attr-defined]
    else:
        ws.set_print_scale(layout.scale)  # type: ignore[attr-defined]
        if layout.breaks:
            ws.set_v_pagebreaks(list(layout.breaks))  # type: ignore[attr-defined]
        if repeat_columns:
            ws.repeat_columns(0, repeat_columns - 1)  # type: ignore[attr-defined]
    # Programs shrink the page header and footer with the sheet (LibreOffice even when told
    # not to): their type is chosen so that it prints at 7,5 pt or more after the scaling.
    scale = layout.scale if layout is not None else fit_scale(widths, sheet_paper)
    size = max(9, math.ceil(7.5 * 100 / scale))
    options = {"margin": 0.3}
    left = f'&L&"-,Bold"&{size + 4}DRAF' if draft else ""
    ws.set_header(  # type: ignore[attr-defined]
        f"{left}&C&{size}{_escape(agency)} — {_escape(period)}", options
    )
    ws.set_footer(  # type: ignore[attr-defined]
        f"&L&{size}Dibuat {_escape(made)}&R&{size}Halaman &P dari &N", options
    )


def fit_scale(widths: Sequence[float], sheet_paper: Paper) -> int:
    """About the scale (percent) a sheet fitted to one page wide prints at."""
    total = sum(column_points(w) for w in widths)
    if total <= 0:
        return 100
    return max(10, min(100, int(printable_points(sheet_paper) * 100 / total)))


def sheet_setup(
    ws: Sheet,
    data: ReportData,
    header_row: int | None,
    title: str,
    *,
    landscape: bool = True,
    page_breaks: Sequence[int] = (),
) -> None:
    """Paper, orientation, fit to the page width, the header row repeated (None: none), page
    header (agency, sheet, period; DRAF on a draft) and footer (when made, Halaman N dari M).

    With ``page_breaks`` (rows that start a page) the sheet gets an explicit scale instead of
    "fit to one page wide": programs ignore manual breaks on a fitted sheet. The scale keeps
    the same margin for LibreOffice's wider columns as the Rincian's.
    """
    widths = [ws.widths[c] for c in sorted(ws.widths)]
    layout = None
    if page_breaks:
        layout = Layout(max(10, int(fit_scale(widths, data.paper_size) * SAFETY)), ())
        ws.sheet.set_h_pagebreaks(list(page_breaks))
    page_setup(
        ws.sheet,
        sheet_paper=data.paper_size,
        agency=data.agency_name,
        period=f"{title} {data.period_label}",
        made=data.made_label,
        draft=data.draft,
        header_rows=None if header_row is None else (header_row, header_row),
        landscape=landscape,
        layout=layout,
        widths=widths,
    )
