"""The ``Rincian`` sheet: the Permendagri 86/2017 quarterly evaluation form, row by row.

A two-level header (each group over its K and Rp columns) and the row of column numbers, as
the regulation's form has them. Realisasi to date, capaian, predikat, absorption and the mean
are formulas with the bot's figures cached, so a corrected realisasi recomputes its row and
everything built on it (the ``Ringkasan`` reads this sheet).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import xlsxwriter

from bot import numbers
from bot.model import Activity, Aggregation, Level
from bot.numbers_format import DASH
from bot.texts import analysis as ta
from exports import report_formulas as fx
from exports.report_data import IndicatorRow, ReportData, ScoredRow, why_no_capaian
from exports.report_print import Layout, keep_together, page_setup, pages_down, wide_layout
from exports.report_style import FormulaSheet, Sheet, Writer, as_float
from exports.rincian_compact import (
    SasaranRun,
    extend_runs,
    fitting_width,
    sasaran_blocks,
    write_sasaran,
)
from exports.rincian_footer import merged_text, write_footer

K, RP = "K", "Rp"
# (title, sub columns): a group of two spans K and Rp; a single spans both header rows.
# ``{year}`` and ``{tw}`` are filled in per report.
RINCIAN_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("No", ()),
    ("Sasaran", ()),
    ("Kode", ()),
    ("Urusan/Bidang Urusan/Program/Kegiatan/Sub Kegiatan", ()),
    ("Indikator Kinerja Program (outcome)/Kegiatan (output)", ()),
    ("Satuan", ()),
    ("Target Renstra (akhir periode)", (K, RP)),
    ("Realisasi Renstra s.d. Renja tahun lalu", (K, RP)),
    ("Target Renja tahun {year}", (K, RP)),
    ("Realisasi Triwulan I", (K, RP)),
    ("Realisasi Triwulan II", (K, RP)),
    ("Realisasi Triwulan III", (K, RP)),
    ("Realisasi Triwulan IV", (K, RP)),
    ("Realisasi s.d. Triwulan {tw}", (K, RP)),
    ("Capaian Renja s.d. Triwulan {tw} (%)", (K, RP)),
    ("Capaian Tahunan (%)", ()),
    ("Predikat", ()),
    ("Realisasi Renstra s.d. tahun {year}", (K, RP)),
    ("Capaian Renstra s.d. tahun {year} (%)", (K, RP)),
    ("Unit Penanggung Jawab", ()),
    ("Keterangan", ()),
)
COLUMNS = sum(max(1, len(subs)) for _, subs in RINCIAN_GROUPS)  # 32
KEY_COLUMNS = 5  # No .. Indikator: repeated on every printed page, frozen on screen
HEADER_ROWS = 3  # group titles, K / Rp, column numbers
# Text columns have fixed widths (their text wraps); figure columns grow to their widest.
TEXT_WIDTHS = {1: 18.0, 2: 18.0, 3: 22.0, 4: 34.0, 5: 10.0, 25: 15.0, 30: 18.0, 31: 18.0}
FIGURE_MIN = 8.0
UNIT_MAX = 56.0  # a longer unit name wraps rather than widen the form more
SATUAN_MAX = 12.0
UNIT_COL, NO_COL, CAP_COL, PRED_COL = 30, 0, 22, 25
PAGU_COL, SPENT_COL = 11, 21


def header_titles(year: int, quarter: int) -> list[tuple[str, tuple[str, ...]]]:
    """The form's group titles for one report."""
    tw = numbers.quarter_roman(quarter)
    return [(t.format(year=year, tw=tw), subs) for t, subs in RINCIAN_GROUPS]


def groups() -> list[tuple[int, int]]:
    """Each group's first and last column."""
    out, col = [], 0
    for _, subs in RINCIAN_GROUPS:
        span = max(1, len(subs))
        out.append((col, col + span - 1))
        col += span
    return out


def write_rincian(
    book: xlsxwriter.Workbook, w: Writer, data: ReportData, scored_rows: list[ScoredRow]
) -> tuple[int, int]:
    """Every activity with its indicators, budgets and figures, then notes and signature.

    Returns the first and last table row, which the ``Ringkasan`` formulas read.
    """
    widths = {c: TEXT_WIDTHS.get(c, FIGURE_MIN) for c in range(COLUMNS)}
    listed = [r.indicator for r in data.indicators]
    codes = [a.code for a in data.activities] + [i.code for i in listed]
    widths[2] = fitting_width(codes, 1, 10.0, TEXT_WIDTHS[2])
    widths[5] = fitting_width([i.satuan for i in listed], 1, 8.0, SATUAN_MAX)
    ws = Sheet(book.add_worksheet("Rincian", FormulaSheet), widths)
    sheet = ws.sheet
    title = "Evaluasi terhadap Hasil Renja Perangkat Daerah"
    sheet.write_string(
        0, 0, ("DRAF — " if data.draft else "") + title, w.draft if data.draft else w.title
    )
    sheet.write_string(1, 0, f"{data.agency_name} — {data.period_label}")
    top = 3
    _header(ws, w, top, data)
    first = top + HEADER_ROWS
    row = first - 1
    units = {u.code: u.name for u in data.units}
    budgets = {b.activity.code: b for b in data.budgets}
    level = {Level.PROGRAM: 0, Level.KEGIATAN: 1, Level.SUB_KEGIATAN: 2}
    number = 0
    caps: list[Decimal | None] = []
    runs: list[SasaranRun] = []
    previous = -1  # the last indicator row so far
    for activity, indicators in _hierarchy(data, scored_rows):
        row += 1
        depth = level[activity.level]
        ws.levels[row] = depth + 1
        fmt = w.bold if activity.level is Level.PROGRAM else w.text
        w.value(ws, row, 2, activity.code, fmt)
        # An activity has no indicator of its own on its row: its name runs on over the
        # empty Indikator cell instead of wrapping down in its own column.
        merged_text(ws, row, 3, 4, "   " * depth + activity.name, fmt, fmt is w.bold)
        budget = budgets.get(activity.code)
        if budget is not None:
            _budget_row(ws, w, row, activity, budget.realisasi_q, data.quarter)
        _unit(ws, w, row, units.get(activity.unit_code, activity.unit_code))
        for scored_row in indicators:
            row += 1
            number += 1
            ws.levels[row] = depth + 2
            caps.append(scored_row.cap)
            _indicator_row(ws, w, row, number, scored_row, data, units)
            extend_runs(runs, row, scored_row.indicator, previous)
            previous = row
    last = max(row, first)
    write_sasaran(ws, w, runs)
    # A programme, kegiatan or sub kegiatan heads the rows under it, so the group's
    # collapse button belongs above them, not below.
    sheet.outline_settings(True, False, True, False)
    sheet.freeze_panes(first, KEY_COLUMNS)
    w.predikat_rules(ws, first, last, PRED_COL)
    ws.sheet.conditional_format(top, 0, last, COLUMNS - 1, {"type": "no_errors", "format": w.grid})
    sheet.autofilter(top + HEADER_ROWS - 1, 0, last, COLUMNS - 1)
    _fit_unit_column(ws, data)
    band = _layout(ws, data)
    band_end = band.breaks[0] - 1 if band.breaks else COLUMNS - 1
    blocks = write_footer(ws, w, data, caps, (first, last), (KEY_COLUMNS, CAP_COL, band_end))
    ws.finish()
    repeated = (top, top + HEADER_ROWS - 1)
    end = max(end for _, end in blocks) if blocks else last

    def down(scale: int) -> tuple[int, int]:
        return (
            pages_down(ws.height, repeated, last, data.paper_size, scale),
            pages_down(ws.height, repeated, end, data.paper_size, scale),
        )

    layout = _layout(ws, data, down)
    breaks = keep_together(
        ws.height, repeated, blocks, data.paper_size, layout.scale, sasaran_blocks(ws, runs)
    )
    if breaks:
        sheet.set_h_pagebreaks(breaks)
    page_setup(
        sheet,
        sheet_paper=data.paper_size,
        agency=data.agency_name,
        period=f"Evaluasi Hasil Renja {data.period_label}",
        made=data.made_label,
        draft=data.draft,
        header_rows=repeated,
        layout=layout,
        repeat_columns=KEY_COLUMNS,
    )
    return first, last


def _unit(ws: Sheet, w: Writer, row: int, name: str) -> None:
    """The responsible unit, on every row (the Ringkasan's formulas count by it); measured
    once the column's width is chosen (:func:`_fit_unit_column`)."""
    if name:
        ws.sheet.write_string(row, UNIT_COL, name, w.text)
        ws.measure_later(row, UNIT_COL, name, False)


def _fit_unit_column(ws: Sheet, data: ReportData) -> None:
    """The unit column as wide as the longest unit name on one line (else two), unless that
    costs a page across: a name wrapped over four lines made every row of its unit four lines
    tall, but a page more across costs more than it saves."""
    names = [u.name for u in data.units]
    base = TEXT_WIDTHS[UNIT_COL]
    best: tuple[int, float] | None = None
    for width in dict.fromkeys(
        (fitting_width(names, 1, base, UNIT_MAX), fitting_width(names, 2, base, UNIT_MAX), base)
    ):
        ws.widths[UNIT_COL] = width
        across = _layout(ws, data).pages_wide
        if best is None or across < best[0]:
            best = (across, width)
    assert best is not None
    ws.widths[UNIT_COL] = best[1]


def _layout(
    ws: Sheet, data: ReportData, down: Callable[[int], tuple[int, int]] | None = None
) -> Layout:
    """How the form prints across: the key columns on every page, K and Rp together; with
    ``down`` (the pages down at a scale), the scale that takes the fewest pages in all."""
    widths = ws.settle_widths()
    return wide_layout(
        [widths[c] for c in range(COLUMNS)],
        KEY_COLUMNS,
        [g for g in groups() if g[0] >= KEY_COLUMNS],
        data.paper_size,
        down,
    )


def _header(ws: Sheet, w: Writer, top: int, data: ReportData) -> None:
    """Group titles over K and Rp, then the row of column numbers (1, 2, 3, …)."""
    sheet = ws.sheet
    for n, ((title, subs), (first, last)) in enumerate(
        zip(header_titles(data.year, data.quarter), groups(), strict=True), 1
    ):
        if subs:
            sheet.merge_range(top, first, top, last, title, w.head)
            for col, sub in zip(range(first, last + 1), subs, strict=True):
                sheet.write_string(top + 1, col, sub, w.head)
            ws.measure_later(top, first, title, True, span=last - first + 1)
        else:
            sheet.merge_range(top, first, top + 1, first, title, w.head)
            # Over both header rows: the row of K and Rp gives it room too.
            ws.measure_down(top, top + 1, first, title, True)
        if first == last:
            sheet.write_number(top + 2, first, n, w.number_head)
        else:
            sheet.merge_range(top + 2, first, top + 2, last, n, w.number_head)


def _budget_row(
    ws: Sheet,
    w: Writer,
    row: int,
    activity: Activity,
    spent_q: tuple[Decimal | None, ...],
    quarter: int,
) -> None:
    """A sub kegiatan's pagu, spending per quarter, total to date and absorption."""
    w.value(ws, row, PAGU_COL, as_float(activity.pagu), w.rp)
    for q in range(quarter):
        w.value(ws, row, 13 + 2 * q, as_float(spent_q[q]), w.rp)
    spent = sum((v for v in spent_q[:quarter] if v is not None), Decimal(0))
    refs = ",".join(fx.cell(row, 13 + 2 * q) for q in range(quarter))
    w.formula(ws, row, SPENT_COL, f"=SUM({refs})", float(spent), w.rp)
    absorbed = numbers.absorption(spent, activity.pagu)
    w.formula(
        ws,
        row,
        23,
        fx.absorption(fx.cell(row, SPENT_COL), fx.cell(row, PAGU_COL)),
        DASH if absorbed is None else float(absorbed),
        w.pct,
    )


def _indicator_row(
    ws: Sheet,
    w: Writer,
    row: int,
    number: int,
    scored_row: ScoredRow,
    data: ReportData,
    units: dict[str, str],
) -> None:
    item, to_date, cap, annual = (
        scored_row.row,
        scored_row.to_date,
        scored_row.cap,
        scored_row.annual,
    )
    ind = item.indicator
    predikat = scored_row.predikat
    note = item.note or why_no_capaian(scored_row, data.quarter, ind.target_annual)
    if numbers.annual_waits(ind, data.quarter) and ind.target_annual:
        note = "; ".join(n for n in (note, ta.ANNUAL_AT_Q4) if n)
    sheet = ws.sheet
    # Written directly rather than through ``Writer.value``: a large report has tens of
    # thousands of these rows, and each cell's kind is known here.
    sheet.write_number(row, 0, number, w.whole)
    ws.measure_number(0, number, "whole")
    for col, text in ((2, ind.code), (4, ind.name), (5, ind.satuan)):
        if text:
            sheet.write_string(row, col, text, w.text)
            ws.measure_text(row, col, text, False)
    _unit(ws, w, row, units.get(ind.unit_code, ind.unit_code))
    if note:
        sheet.write_string(row, 31, note, w.text)
        ws.measure_text(row, 31, note, False)
    # Most of a large Rincian's cells are an indicator's empty ones (no Renstra figures,
    # quarters to come): left unwritten, they cost nothing.
    for col, figure, fmt in (
        (6, ind.renstra_target, w.num),
        (7, ind.renstra_target_rp, w.rp),
        (8, ind.renstra_realisasi_lalu, w.num),
        (9, ind.renstra_realisasi_lalu_rp, w.rp),
        (10, ind.target_annual, w.num),
    ):
        if figure is not None:
            w.value(ws, row, col, float(figure), fmt)
    for q in range(data.quarter):
        entered = item.realisasi_q[q]
        if entered is not None:
            w.value(ws, row, 12 + 2 * q, float(entered), w.num)
    r = row + 1
    real = f"U{r}"  # realisasi s.d. triwulan (column 20)
    quarters = [fx.cell(row, 12 + 2 * q) for q in range(data.quarter)]
    formula = fx.to_date(quarters, ind.aggregation is Aggregation.SUM)
    if to_date is None:
        sheet.write_formula(row, 20, formula, w.num, "")
    else:
        so_far = float(to_date)
        whole = so_far.is_integer()
        sheet.write_formula(row, 20, formula, w.whole if whole else w.num, so_far)
        ws.measure_number(20, so_far, "whole" if whole else "num")
    target = numbers.target_to_date(ind, data.quarter)
    if target is None or target <= 0:
        sheet.write_string(row, CAP_COL, DASH, w.pct)
    else:
        formula = fx.capaian(real, target, ind.direction)
        if cap is None:
            sheet.write_formula(row, CAP_COL, formula, w.pct, DASH)
        else:
            sheet.write_formula(row, CAP_COL, formula, w.pct, float(cap))
            ws.measure_number(CAP_COL, float(cap), "pct")
    formula = fx.capaian(real, f"K{r}", ind.direction)  # against Target Renja (column 10)
    if numbers.annual_waits(ind, data.quarter):
        # Not a formula: the rule depends on the quarter of the report, not on any cell.
        sheet.write_string(row, 24, DASH, w.pct)
    elif annual is None:
        sheet.write_formula(row, 24, formula, w.pct, DASH)
    else:
        sheet.write_formula(row, 24, formula, w.pct, float(annual))
        ws.measure_number(24, float(annual), "pct")
    # The predikat column is wide enough for every name on one line: nothing to measure.
    name = predikat.value if predikat else DASH
    sheet.write_formula(row, PRED_COL, fx.predikat(f"W{r}"), w.predikat_format(name), name)
    _renstra(ws, w, row, item, to_date)


def _renstra(ws: Sheet, w: Writer, row: int, item: IndicatorRow, to_date: Decimal | None) -> None:
    """Realisasi Renstra up to this year (K) and its capaian against the Renstra target.

    Empty without last year's Renstra realisation (the years before the first import): a
    ``jumlah`` adds this year's figure to it, a ``posisi`` is this year's latest value.
    """
    ind = item.indicator
    if ind.renstra_realisasi_lalu is None:
        return
    real = fx.cell(row, 20)
    total: Decimal | None
    if ind.aggregation is Aggregation.SUM:
        # Not computed while this year's figure is (a quarter missing): never read as 0.
        total = None if to_date is None else ind.renstra_realisasi_lalu + to_date
        formula = f'=IF(ISNUMBER({real}),{fx.cell(row, 8)}+{real},"")'
    else:
        total = to_date
        formula = f'=IF(ISNUMBER({real}),{real},"")'
    w.formula(ws, row, 26, formula, as_float(total), w.num)
    renstra_cap = numbers.capaian(total, ind.renstra_target, ind.direction)
    w.formula(
        ws,
        row,
        28,
        fx.capaian(fx.cell(row, 26), fx.cell(row, 6), ind.direction),
        DASH if renstra_cap is None else float(renstra_cap),
        w.pct,
    )


def _hierarchy(
    data: ReportData, scored_rows: list[ScoredRow]
) -> list[tuple[Activity, list[ScoredRow]]]:
    """Activities in catalogue order, each with its own indicators."""
    by_activity: dict[str, list[ScoredRow]] = {}
    for item in scored_rows:
        by_activity.setdefault(item.indicator.activity_code, []).append(item)
    return [(a, by_activity.get(a.code, [])) for a in data.activities]
