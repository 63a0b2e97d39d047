"""The ``Ringkasan`` sheet: per unit, the figures of ``Rincian`` as formulas, and two charts.

Every figure is a formula over the Rincian rows (COUNTIFS, AVERAGEIF, SUMIF by the unit's
name), with the bot's own figure cached, so a corrected realisasi moves the unit's mean, its
predikat counts and the agency's total.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from bot import numbers
from bot.numbers_format import DASH, format_percent
from exports import report_formulas as fx
from exports.report_data import BudgetRow, ReportData, ScoredRow, caps_by_unit
from exports.report_print import sheet_setup
from exports.report_rincian import CAP_COL, NO_COL, PAGU_COL, PRED_COL, SPENT_COL, UNIT_COL
from exports.report_style import (
    CHART_PCT_AXIS,
    CHART_PCT_LABEL,
    NO_PREDIKAT_COLOUR,
    PREDIKAT_COLOURS,
    Sheet,
    Writer,
    headers,
    table,
)

RINGKASAN_HEADERS = (
    "Unit Kerja",
    "Jumlah Indikator",
    "Capaian Rata-rata (%)",
    "Predikat",
    "Sangat Tinggi",
    "Tinggi",
    "Sedang",
    "Rendah",
    "Sangat Rendah",
    "Tanpa Target",
    "Pagu (Rp)",
    "Realisasi Anggaran (Rp)",
    "Penyerapan (%)",
)
# Hidden beside the table: the constant series the capaian chart draws as reference lines.
REFERENCE_LINES = ((13, "Batas predikat Tinggi", 76), (14, "Target", 100))


def _title(ws: Sheet, w: Writer, data: ReportData, title: str) -> None:
    """A sheet's title row (DRAF on a draft), the agency, and when the file was made."""
    text = ("DRAF — " if data.draft else "") + title
    ws.sheet.write_string(0, 0, text, w.draft if data.draft else w.title)
    ws.sheet.write_string(1, 0, data.agency_name)
    ws.sheet.write_string(2, 0, "Dibuat " + data.made_label)


def write_ringkasan(
    worksheet: Worksheet,
    book: xlsxwriter.Workbook,
    w: Writer,
    data: ReportData,
    scored_rows: list[ScoredRow],
    rincian: tuple[int, int],
) -> None:
    """Per unit: indicators, mean capaian, predikat counts and budget, read from Rincian."""
    widths = {0: 34.0, **{c: 11.0 for c in range(1, 13)}}
    ws = Sheet(worksheet, widths)
    sheet = ws.sheet
    _title(ws, w, data, f"Laporan Kinerja {data.period_label}")
    top = 4
    columns = headers(ws, w, top, RINGKASAN_HEADERS)
    first, last = rincian
    keys = fx.column_range(first, last, UNIT_COL, "Rincian")

    def col(c: int) -> str:
        return fx.column_range(first, last, c, "Rincian")

    rows_of: dict[str, list[ScoredRow]] = {}
    for scored_row in scored_rows:
        rows_of.setdefault(scored_row.indicator.unit_code, []).append(scored_row)
    budgets_of: dict[str, list[BudgetRow]] = {}
    for budget in data.budgets:
        budgets_of.setdefault(budget.activity.unit_code, []).append(budget)
    row = top
    for unit in data.units:
        mine = rows_of.get(unit.code, [])
        budgets = budgets_of.get(unit.code, [])
        pagu = sum((b.activity.pagu or Decimal(0) for b in budgets), Decimal(0))
        spent = sum(
            (v for b in budgets for v in b.realisasi_q[: data.quarter] if v is not None),
            Decimal(0),
        )
        row += 1
        key = fx.cell(row, 0)
        w.value(ws, row, 0, unit.name, w.text)
        formulas = {
            1: f'=COUNTIFS({keys},{key},{col(NO_COL)},">0")',
            2: fx.mean_if(keys, key, col(CAP_COL)),
            **{
                4 + n: f'=COUNTIFS({keys},{key},{col(PRED_COL)},"{p.value}")'
                for n, p in enumerate(numbers.Predikat)
            },
            9: f'=COUNTIFS({keys},{key},{col(CAP_COL)},"{DASH}")',
            10: f"=SUMIF({keys},{key},{col(PAGU_COL)})",
            11: f"=SUMIF({keys},{key},{col(SPENT_COL)})",
        }
        _summary_row(ws, w, row, mine, pagu, spent, formulas)
    units_first, units_last = top + 1, row
    row += 1
    w.value(ws, row, 0, "Total Dinas", w.bold)
    formulas = {
        c: f"=SUM({fx.column_range(units_first, units_last, c)})"
        for c in (1, 4, 5, 6, 7, 8, 9, 10, 11)
    }
    formulas[2] = fx.mean(col(CAP_COL))
    total_pagu = sum((b.activity.pagu or Decimal(0) for b in data.budgets), Decimal(0))
    total_spent = sum(
        (v for b in data.budgets for v in b.realisasi_q[: data.quarter] if v is not None),
        Decimal(0),
    )
    _summary_row(ws, w, row, scored_rows, total_pagu, total_spent, formulas)
    w.predikat_rules(ws, top + 1, row, 3)
    table(ws, w, top, row - 1, columns)
    if data.units:
        _ringkasan_charts(book, ws, data, scored_rows, top, row)
    ws.finish()
    sheet.freeze_panes(top + 1, 1)
    sheet_setup(ws, data, top, "Ringkasan Kinerja")


def _ringkasan_charts(
    book: xlsxwriter.Workbook,
    ws: Sheet,
    data: ReportData,
    scored_rows: list[ScoredRow],
    top: int,
    row: int,
) -> None:
    """Capaian and absorption per unit: axes from 0, values on the bars, the 76 % and
    100 % lines on the capaian chart, bars in their predikat's colour."""
    sheet = ws.sheet
    first, last = top + 1, row - 1
    for col, name, level in REFERENCE_LINES:
        sheet.write_string(top, col, f"{name} ({format_percent(level, decimals=0)})")
        for r in range(first, last + 1):
            sheet.write_number(r, col, level)
        sheet.set_column(col, col, None, None, {"hidden": True})
    caps = caps_by_unit(scored_rows)
    colours = []
    for unit in data.units:
        predikat = numbers.predikat(numbers.mean(caps.get(unit.code, [])))
        colours.append(PREDIKAT_COLOURS[predikat.value] if predikat else NO_PREDIKAT_COLOUR)
    label_format = CHART_PCT_LABEL
    for n, (col, title) in enumerate(
        ((2, "Capaian Kinerja per Unit (%)"), (12, "Penyerapan Anggaran per Unit (%)"))
    ):
        chart = book.add_chart({"type": "column"})
        chart.add_series(
            {
                "name": title,
                "categories": ["Ringkasan", first, 0, last, 0],
                "values": ["Ringkasan", first, col, last, col],
                "data_labels": {"value": True, "num_format": label_format},
                "points": [{"fill": {"color": c}} for c in colours] if col == 2 else None,
                "fill": {"color": "#4472C4"},
            }
        )
        if col == 2:
            lines = book.add_chart({"type": "line"})
            for ref_col, name, level in REFERENCE_LINES:
                lines.add_series(
                    {
                        "name": f"{name} ({format_percent(level, decimals=0)})",
                        "categories": ["Ringkasan", first, 0, last, 0],
                        "values": ["Ringkasan", first, ref_col, last, ref_col],
                        "line": {
                            "color": "#7F7F7F" if level == 76 else "#000000",
                            "dash_type": "dash",
                            "width": 1.5,
                        },
                        "marker": {"type": "none"},
                    }
                )
            chart.combine(lines)
            chart.set_legend({"position": "bottom", "delete_series": [0]})
        else:
            chart.set_legend({"none": True})
        chart.show_hidden_data()
        chart.set_title({"name": title})
        chart.set_y_axis(
            {"min": 0, "num_format": CHART_PCT_AXIS, "major_gridlines": {"visible": True}}
        )
        # Side by side under the table, so both print on the first page with it.
        sheet.insert_chart(row + 2, 0 if n == 0 else 6, chart, {"x_scale": 1.25, "y_scale": 1.15})


def _summary_row(
    ws: Sheet,
    w: Writer,
    row: int,
    rows: list[ScoredRow],
    pagu: Decimal,
    spent: Decimal,
    formulas: dict[int, str],
) -> None:
    """One unit's (or the agency's) figures, each a formula with the bot's value cached."""
    caps = [r.cap for r in rows]
    mean = numbers.mean(caps)
    predikat = numbers.predikat(mean)
    counts = Counter(r.predikat for r in rows)
    absorbed = numbers.absorption(spent, pagu)
    cached: dict[int, object] = {
        1: len(caps),
        2: DASH if mean is None else float(mean),
        **{4 + n: counts.get(p, 0) for n, p in enumerate(numbers.Predikat)},
        9: sum(1 for c in caps if c is None),
        10: float(pagu),
        11: float(spent),
    }
    formats = {1: w.num, 2: w.pct, 9: w.num, 10: w.rp, 11: w.rp, **{c: w.num for c in range(4, 9)}}
    for col, formula in formulas.items():
        w.formula(ws, row, col, formula, cached[col], formats[col])
    w.formula(
        ws,
        row,
        3,
        fx.predikat(fx.cell(row, 2)),
        predikat.value if predikat else DASH,
        w.predikat_format(predikat.value if predikat else None),
    )
    w.formula(
        ws,
        row,
        12,
        fx.absorption(fx.cell(row, 11), fx.cell(row, 10)),
        DASH if absorbed is None else float(absorbed),
        w.pct,
    )
