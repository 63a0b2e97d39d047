"""What keeps the ``Rincian`` compact (issue 22): each Sasaran written once, merged down
over its indicators, and text columns just wide enough for what they hold."""

from __future__ import annotations

from dataclasses import dataclass

from bot.model import Indicator
from exports.report_style import LINE_POINTS, ROW_PAD, Sheet, Writer, text_lines


@dataclass
class SasaranRun:
    """Indicator rows that share a Sasaran, with the activity rows between them."""

    first: int
    last: int
    unit: str
    sasaran: str


def extend_runs(runs: list[SasaranRun], row: int, indicator: Indicator, previous: int) -> None:
    """Add an indicator's row to the run of its Sasaran if the indicator row before it (at
    ``previous``) ends that run, in the same unit; else start a new run."""
    if not indicator.sasaran:
        return
    run = runs[-1] if runs else None
    if (
        run is not None
        and run.last == previous
        and run.sasaran == indicator.sasaran
        and run.unit == indicator.unit_code
    ):
        run.last = row
    else:
        runs.append(SasaranRun(row, row, indicator.unit_code, indicator.sasaran))


def write_sasaran(ws: Sheet, w: Writer, runs: list[SasaranRun]) -> None:
    """Each Sasaran written once over its indicators, merged down, as the regulation's form
    has it (rather than repeated on every row, where it made most rows taller)."""
    for run in runs:
        if run.first == run.last:
            ws.sheet.write_string(run.first, 1, run.sasaran, w.text)
            ws.measure_text(run.first, 1, run.sasaran, False)
            continue
        ws.sheet.merge_range(run.first, 1, run.last, 1, "", w.text)
        ws.sheet.write_string(run.first, 1, run.sasaran, w.text)
        ws.measure_down(run.first, run.last, 1, run.sasaran)


def sasaran_blocks(ws: Sheet, runs: list[SasaranRun]) -> list[tuple[int, int]]:
    """The rows at the top of each run that its Sasaran's text needs, to keep on one page.

    A merged cell prints its text on the page of its first row only: split by a page break
    above the text's last line, the text would be cut. Rows beyond the text may go over.
    """
    blocks = []
    for run in runs:
        needed = LINE_POINTS * text_lines(run.sasaran, ws.widths.get(1, 9.0)) + ROW_PAD
        row, height = run.first, ws.height(run.first)
        while height < needed and row < run.last:
            row += 1
            height += ws.height(row)
        if row > run.first:
            blocks.append((run.first, row))
    return blocks


def fitting_width(texts: list[str], lines: int, smallest: float, widest: float) -> float:
    """The narrowest width from ``smallest`` up to ``widest`` at which every text takes
    ``lines`` lines or fewer.

    The unit's name stands on every row (the Ringkasan's formulas count by it): wrapped over
    four lines, it made every row of its unit four lines tall. Codes and satuan fit on one.
    """
    width = smallest
    while width < widest and any(text_lines(t, width) > lines for t in texts):
        width += 1
    return width
