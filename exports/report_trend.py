"""Trends in the report (issue 14): per indicator against the previous quarter and last year,
and the agency's mean capaian and absorption by quarter with a native line chart.

The figures come from ``bot.analysis`` (the same rules that draft the narrative), fed from the
report's own data: this year's realisations (collected or imported) and last year's
(``ReportData.last_year``). A comparison without both figures says so; nothing is read as 0.
"""

from __future__ import annotations

from decimal import Decimal

import xlsxwriter

from bot import analysis as an
from bot import numbers
from bot.numbers_format import DASH
from bot.texts import analysis as tx
from exports.report_data import ReportData
from exports.report_style import (
    CHART_PCT_AXIS,
    CHART_PCT_LABEL,
    Sheet,
    Writer,
    as_float,
    headers,
    rounded,
)

SHEET = "Analisis"
TREND_HEADERS = (
    "Kode",
    "Indikator",
    "Unit",
    "Satuan",
    "Realisasi Triwulan Sebelumnya",
    "Realisasi Triwulan Ini",
    "Perubahan thd Triwulan Sebelumnya (%)",
    "Tren thd Triwulan Sebelumnya",
    "Realisasi Triwulan yang Sama Tahun Lalu",
    "Perubahan thd Tahun Lalu (%)",
    "Tren thd Tahun Lalu",
)
SERIES_HEADERS = (
    "Triwulan",
    "Capaian Rata-rata Dinas s.d. Triwulan (%)",
    "Penyerapan Anggaran Dinas s.d. Triwulan (%)",
)


def histories(data: ReportData) -> tuple[an.IndicatorHistory, ...]:
    """Each indicator of the report with this year's and last year's figures."""
    last = dict(data.last_year)
    return tuple(
        an.IndicatorHistory(
            row.indicator,
            row.realisasi_q,
            last.get(row.indicator.code, an.NO_QUARTERS),
            explanation=row.note,
        )
        for row in data.indicators
    )


def unit_budgets(data: ReportData) -> tuple[an.UnitBudget, ...]:
    """Each unit's pagu, spending and disbursement plan per quarter; a quarter without any
    spending stays None, and so does the plan unless every sub kegiatan with a pagu has one
    (part of a plan against the whole pagu would misjudge the unit)."""
    result = []
    for unit in data.units:
        rows = [b for b in data.budgets if b.activity.unit_code == unit.code]
        pagu = [b.activity.pagu for b in rows if b.activity.pagu is not None]
        spent: list[Decimal | None] = []
        plan: list[Decimal | None] = []
        for q in range(4):
            present = [v for b in rows if (v := b.realisasi_q[q]) is not None]
            spent.append(sum(present, Decimal(0)) if present else None)
            planned = [b.activity.plan[q] for b in rows if b.activity.pagu is not None]
            known = [v for v in planned if v is not None]
            plan.append(sum(known, Decimal(0)) if planned and len(known) == len(planned) else None)
        result.append(
            an.UnitBudget(
                unit.code,
                sum(pagu, Decimal(0)) if pagu else None,
                (spent[0], spent[1], spent[2], spent[3]),
                (plan[0], plan[1], plan[2], plan[3]),
            )
        )
    return tuple(result)


def analysis_input(data: ReportData) -> an.AnalysisInput:
    """The figures part of the rules' input (services add notes, follow-ups, late steps)."""
    return an.AnalysisInput(
        year=data.year,
        quarter=data.quarter,
        units=data.units,
        indicators=histories(data),
        budgets=unit_budgets(data),
    )


def _change(judged: an.Judged) -> tuple[object, str]:
    """(percent change or a dash, the movement with its judgement by the indicator's
    direction, e.g. "▲ naik · memburuk", or "no comparison")."""
    change = judged.change
    if change is None:
        return None, tx.NO_EARLIER
    pct = rounded(change.pct) if change.pct is not None else DASH
    rose = None if change.trend is an.Trend.TETAP else change.trend is an.Trend.NAIK
    return pct, tx.trend_mark(rose, judged.judgement.value)


def write_trend(book: xlsxwriter.Workbook, w: Writer, data: ReportData, ws: Sheet) -> int:
    """Below what the Analisis sheet ``ws`` already holds: the trend table, the series, the
    chart (the caller sizes its columns and rows and sets it up for print afterwards).

    Returns the row where the series and its chart start (a printed page starts there, so
    the chart is never cut in two).
    """
    sheet = ws.sheet
    inp = analysis_input(data)
    names = {u.code: u.name for u in data.units}
    row = sheet.dim_rowmax + 3 if sheet.dim_rowmax is not None else 0
    previous = (
        f"TW {numbers.quarter_roman(data.quarter - 1)}"
        if data.quarter > 1
        else f"TW IV {data.year - 1}"
    )
    sheet.write_string(
        row,
        0,
        f"Tren per indikator: TW {numbers.quarter_roman(data.quarter)} dibanding {previous} "
        f"dan TW {numbers.quarter_roman(data.quarter)} {data.year - 1}",
        w.label,
    )
    items = an.trends(inp)
    for against in (an.Against.PREVIOUS, an.Against.LAST_YEAR):
        found = an.counts(items, against)
        if found.compared:
            row += 1
            sheet.write_string(row, 0, an.counts_sentence(found).text, w.label)
    top = row + 1
    headers(ws, w, top, TREND_HEADERS)
    row = top
    for item in items:
        row += 1
        ind = item.indicator
        before = (
            item.history.current[data.quarter - 2]
            if data.quarter > 1
            else item.history.last_year[3]
        )
        last_year = item.history.last_year[data.quarter - 1]
        pct_prev, mark_prev = _change(an.judged(item, an.Against.PREVIOUS))
        pct_year, mark_year = _change(an.judged(item, an.Against.LAST_YEAR))
        cells: tuple[tuple[object, object], ...] = (
            (ind.code, w.text),
            (ind.name, w.text),
            (names.get(ind.unit_code, ind.unit_code), w.text),
            (ind.satuan, w.text),
            (as_float(before), w.num),
            (as_float(item.value), w.num),
            (pct_prev, w.pct),
            (mark_prev, w.text),
            (as_float(last_year), w.num),
            (pct_year, w.pct),
            (mark_year, w.text),
        )
        for col, (value, fmt) in enumerate(cells):
            w.value(ws, row, col, value, fmt)
    # A bordered grid, but no autofilter: a sheet has one, and it belongs to the table above.
    sheet.conditional_format(
        top, 0, max(row, top + 1), len(TREND_HEADERS) - 1, {"type": "no_errors", "format": w.grid}
    )
    series = max(row, top + 1) + 2
    _series(book, ws, w, inp, series)
    return series


def _series(
    book: xlsxwriter.Workbook, ws: Sheet, w: Writer, inp: an.AnalysisInput, row: int
) -> None:
    """The agency's mean capaian and absorption s.d. each quarter, and their line chart."""
    sheet = ws.sheet
    write = sheet.write_string
    write(row, 0, f"Capaian dan penyerapan anggaran Dinas s.d. tiap triwulan {inp.year}", w.label)
    top = row + 1
    headers(ws, w, top, SERIES_HEADERS)
    points = an.quarter_series(inp)
    for offset, point in enumerate(points, 1):
        write(top + offset, 0, f"TW {numbers.quarter_roman(point.quarter)}", w.text)
        w.value(ws, top + offset, 1, rounded(point.capaian), w.pct)
        w.value(ws, top + offset, 2, rounded(point.absorption), w.pct)
    last = top + len(points)
    chart = book.add_chart({"type": "line"})
    for col, colour in ((1, "#1F4E79"), (2, "#C55A11")):
        chart.add_series(
            {
                "name": [SHEET, top, col],
                "categories": [SHEET, top + 1, 0, last, 0],
                "values": [SHEET, top + 1, col, last, col],
                "marker": {"type": "circle", "size": 6},
                "line": {"color": colour, "width": 2.25},
                "data_labels": {"value": True, "num_format": CHART_PCT_LABEL},
            }
        )
    chart.set_title({"name": f"Tren Capaian dan Penyerapan Anggaran {inp.year}"})
    # The unit on each figure rather than a rotated "%" title: as the Ringkasan's chart does.
    chart.set_y_axis({"min": 0, "num_format": CHART_PCT_AXIS, "major_gridlines": {"visible": True}})
    chart.set_legend({"position": "bottom"})
    chart.show_blanks_as("gap")  # a quarter without figures is a gap, not a 0
    sheet.insert_chart(last + 2, 0, chart, {"x_scale": 1.4, "y_scale": 1.1})
