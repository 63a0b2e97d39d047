"""The consolidated performance report of one period (.xlsx): data in, bytes out.

Sheets: ``Ringkasan`` (per unit, with two native charts), ``Rincian`` (the Permendagri
86/2017 quarterly evaluation form), ``Analisis``, ``Rekomendasi`` and ``Jejak Proses``.
User text is always written as text, so a note typed as ``=HYPERLINK(...)`` stays text.
"""

from __future__ import annotations

import gc
import io
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from bot import numbers
from bot.dates import zone_abbreviation
from exports import report_formulas as fx
from exports.report_data import (
    BudgetRow,
    IndicatorRow,
    ReportData,
    ScoredRow,
    caps_by_unit,
    scored,
)
from exports.report_print import page_setup
from exports.report_rincian import (
    CAP_COL,
    NO_COL,
    PAGU_COL,
    PRED_COL,
    SPENT_COL,
    UNIT_COL,
    write_rincian,
)
from exports.report_style import (
    DATE_WIDTH,
    NO_PREDIKAT_COLOUR,
    PREDIKAT_COLOURS,
    FormulaSheet,
    Sheet,
    Writer,
    as_float,
    headers,
    rounded,
    table,
)

__all__ = ["PREDIKAT_COLOURS", "build_report", "report_filename"]


def report_filename(data: ReportData) -> str:
    """E.g. ``Laporan_Kinerja_2026_TW3.xlsx``."""
    return f"Laporan_Kinerja_{data.year}_TW{data.quarter}.xlsx"


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a workbook is built.

    Building keeps every cell (hundreds of thousands of small objects) alive until the file is
    written, and the collector walks all of them again each time the heap has grown by a
    quarter: a fifth of a large report's time, spent finding no cycles (none are made here).
    Reference counting frees everything else as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build_report(data: ReportData) -> bytes:
    """The whole workbook."""
    with _collector_paused():
        return _build(data)


def _build(data: ReportData) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    book.set_properties(
        {
            "title": f"Laporan Kinerja {data.period_label}",
            "subject": data.period_label,
            "author": data.agency_name,
            "company": data.agency_name,
            "keywords": "AKIP, LKjIP, kinerja",
        }
    )
    w = Writer(book, zone_abbreviation(data.zone))
    rows = scored(data)
    # Ringkasan comes first in the file but is filled after Rincian, whose rows its
    # formulas read.
    ringkasan = book.add_worksheet("Ringkasan", FormulaSheet)
    rincian = write_rincian(book, w, data, rows)
    _ringkasan(ringkasan, book, w, data, rows, rincian)
    _analisis(book, w, data, rows)
    _rekomendasi(book, w, data)
    _jejak(book, w, data)
    book.close()
    return buffer.getvalue()


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
_BELOW_TINGGI = {numbers.Predikat.SEDANG, numbers.Predikat.RENDAH, numbers.Predikat.SANGAT_RENDAH}


def _title(ws: Sheet, w: Writer, data: ReportData, title: str) -> None:
    """A sheet's title row (DRAF on a draft), the agency, and when the file was made."""
    text = ("DRAF — " if data.draft else "") + title
    ws.sheet.write_string(0, 0, text, w.draft if data.draft else w.title)
    ws.sheet.write_string(1, 0, data.agency_name)
    ws.sheet.write_string(2, 0, "Dibuat " + data.made_label)


def _setup(
    ws: Sheet, data: ReportData, header_row: int, title: str, *, landscape: bool = True
) -> None:
    page_setup(
        ws.sheet,
        sheet_paper=data.paper_size,
        agency=data.agency_name,
        period=f"{title} {data.period_label}",
        made=data.made_label,
        draft=data.draft,
        header_rows=(header_row, header_row),
        landscape=landscape,
        widths=[ws.widths[c] for c in sorted(ws.widths)],
    )


def _ringkasan(
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
            9: f'=COUNTIFS({keys},{key},{col(CAP_COL)},"{numbers.DASH}")',
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
    _setup(ws, data, top, "Ringkasan Kinerja")


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
        sheet.write_string(top, col, f"{name} ({level} %)")
        for r in range(first, last + 1):
            sheet.write_number(r, col, level)
        sheet.set_column(col, col, None, None, {"hidden": True})
    caps = caps_by_unit(scored_rows)
    colours = []
    for unit in data.units:
        predikat = numbers.predikat(numbers.mean(caps.get(unit.code, [])))
        colours.append(PREDIKAT_COLOURS[predikat.value] if predikat else NO_PREDIKAT_COLOUR)
    label_format = '#,##0.00" %"'
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
                        "name": f"{name} ({level} %)",
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
        chart.set_y_axis({"min": 0, "num_format": '0" %"', "major_gridlines": {"visible": True}})
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
        2: numbers.DASH if mean is None else float(mean),
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
        predikat.value if predikat else numbers.DASH,
        w.predikat_format(predikat.value if predikat else None),
    )
    w.formula(
        ws,
        row,
        12,
        fx.absorption(fx.cell(row, 11), fx.cell(row, 10)),
        numbers.DASH if absorbed is None else float(absorbed),
        w.pct,
    )


def _analisis(
    book: xlsxwriter.Workbook, w: Writer, data: ReportData, scored_rows: list[ScoredRow]
) -> None:
    """The narrative, the indicators below 76 % by their gap, and the trend per quarter.

    The figures here are the bot's analysis at the time the file was made (a list sorted by
    gap cannot follow an edit); the live figures are on Rincian and Ringkasan.
    """
    widths = {0: 30.0, 1: 44.0, **{c: 14.0 for c in range(2, 7)}}
    ws = Sheet(book.add_worksheet("Analisis"), widths)
    sheet = ws.sheet
    title = ("DRAF — " if data.draft else "") + f"Analisis Kinerja {data.period_label}"
    sheet.write_string(0, 0, title, w.draft if data.draft else w.title)
    narrative = data.narrative or "Belum ada narasi analisis."
    sheet.merge_range(1, 0, 6, 6, "", w.text)
    sheet.write_string(1, 0, narrative, w.text)
    # The narrative's merged block is six rows tall: share its lines among them.
    lines = -(-_lines_over(narrative, sum(widths.values())) // 6)
    narrative_rows = dict.fromkeys(range(1, 7), lines)
    top = 8
    sheet.write_string(top - 1, 0, "Indikator di bawah 76 %", w.label)
    columns = headers(
        ws,
        w,
        top,
        (
            "Unit",
            "Indikator",
            "Target s.d. Triwulan",
            "Realisasi s.d. Triwulan",
            "Capaian (%)",
            "Predikat",
            "Selisih dari 76 %",
        ),
    )
    names = {u.code: u.name for u in data.units}
    below = []
    for scored_row in scored_rows:
        cap = scored_row.cap
        # Below 76 % is a predikat under Tinggi (the same rounding judges both).
        if cap is not None and scored_row.predikat in _BELOW_TINGGI:
            below.append((Decimal(76) - cap, scored_row.row, scored_row.to_date, cap))
    row = top
    for gap, item, to_date, cap in sorted(below, key=lambda x: x[0], reverse=True):
        row += 1
        predikat = numbers.predikat(cap)  # below 76 %: always one
        # Written directly (a long list on a large report): text, figures, the predikat.
        for col, text in ((0, names.get(item.indicator.unit_code, "")), (1, item.indicator.name)):
            sheet.write_string(row, col, text, w.text)
            ws.measure_text(row, col, text, False)
        target = numbers.target_to_date(item.indicator, data.quarter)
        w.value(ws, row, 2, as_float(target), w.num)
        w.value(ws, row, 3, as_float(to_date), w.num)
        w.value(ws, row, 4, rounded(cap), w.pct)
        name = predikat.value if predikat else numbers.DASH
        sheet.write_string(row, 5, name, w.predikat_format(name))
        w.value(ws, row, 6, rounded(gap), w.pct)
    table(ws, w, top, max(row, top + 1), columns)
    row += 2
    sheet.write_string(row, 0, "Tren capaian per triwulan (%)", w.label)
    row += 1
    headers(
        ws,
        w,
        row,
        ["Unit"] + [f"TW {numbers.quarter_roman(q)}" for q in range(1, data.quarter + 1)],
    )
    by_unit: dict[str, list[IndicatorRow]] = {}
    for item in data.indicators:
        by_unit.setdefault(item.indicator.unit_code, []).append(item)
    for unit in data.units:
        row += 1
        w.value(ws, row, 0, unit.name, w.text)
        for q in range(1, data.quarter + 1):
            caps = _quarter_caps(by_unit.get(unit.code, []), q)
            w.value(ws, row, q, rounded(numbers.mean(caps)), w.pct)
    ws.finish(narrative_rows)
    sheet.freeze_panes(top + 1, 0)
    _setup(ws, data, top, "Analisis Kinerja")


def _lines_over(text: str, width: float) -> int:
    from exports.report_style import text_lines

    return text_lines(text, width)


def _quarter_caps(rows: Iterable[IndicatorRow], quarter: int) -> list[Decimal | None]:
    return [
        numbers.capaian(
            r.realisasi_q[quarter - 1], r.indicator.targets_q[quarter - 1], r.indicator.direction
        )
        for r in rows
    ]


def _rekomendasi(book: xlsxwriter.Workbook, w: Writer, data: ReportData) -> None:
    """The Kepala Dinas's recommendations, their follow-ups, and open ones carried in."""
    widths = {0: 5.0, 1: 22.0, 2: 44.0, 3: 18.0, 4: DATE_WIDTH, 5: 34.0, 6: 18.0, 7: DATE_WIDTH}
    widths[8] = 11.0
    ws = Sheet(book.add_worksheet("Rekomendasi"), widths)
    sheet = ws.sheet
    columns = headers(
        ws,
        w,
        0,
        (
            "No",
            "Unit",
            "Rekomendasi",
            "Diberikan oleh",
            "Tanggal",
            "Tindak Lanjut",
            "Oleh",
            "Tanggal Tindak Lanjut",
            "Status",
        ),
    )
    names = {u.code: u.name for u in data.units}
    row = 0
    for section, items in (
        ("", data.recommendations),
        ("Tindak lanjut terbuka dari periode sebelumnya", data.carried_over),
    ):
        if section:
            row += 2
            sheet.write_string(row, 0, section, w.label)
        for n, rec in enumerate(items, 1):
            row += 1
            label = names.get(rec.unit_code, rec.unit_code) if rec.unit_code else "Umum"
            if section:
                label += f" ({rec.period_label})"
            cells = (
                (n, w.num),
                (label, w.text),
                (rec.text, w.text),
                (rec.given_by, w.text),
                (rec.given_at.astimezone(data.zone).replace(tzinfo=None), w.date),
                (rec.follow_up or "", w.text),
                (rec.follow_up_by or "", w.text),
                (
                    rec.follow_up_at.astimezone(data.zone).replace(tzinfo=None)
                    if rec.follow_up_at
                    else None,
                    w.date,
                ),
                ("Selesai" if rec.follow_up else "Terbuka", w.text),
            )
            for col, (value, fmt) in enumerate(cells):
                if hasattr(value, "year"):
                    sheet.write_datetime(row, col, value, fmt)
                else:
                    w.value(ws, row, col, value, fmt)
    table(ws, w, 0, max(row, 1), columns)
    ws.finish()
    sheet.freeze_panes(1, 0)
    _setup(ws, data, 0, "Rekomendasi Kepala Dinas")


def _jejak(book: xlsxwriter.Workbook, w: Writer, data: ReportData) -> None:
    """Each SOP step as it happened, against its time standard."""
    from bot.calendar import format_duration

    widths = {0: 30.0, 1: 22.0, 2: 26.0, 3: DATE_WIDTH, 4: DATE_WIDTH, 5: 16.0, 6: 13.0, 7: 13.0}
    ws = Sheet(book.add_worksheet("Jejak Proses", FormulaSheet), widths)
    sheet = ws.sheet
    columns = headers(
        ws,
        w,
        0,
        (
            "Langkah",
            "Unit",
            "Pelaksana",
            "Mulai",
            "Selesai",
            "Durasi (jam kerja)",
            "Mutu Baku",
            "Status",
        ),
    )
    names = {u.code: u.name for u in data.units}
    on_time = done = 0
    for row, step in enumerate(data.steps, 1):
        status = (
            "Berjalan" if step.on_time is None else ("Tepat waktu" if step.on_time else "Terlambat")
        )
        done += step.on_time is not None
        on_time += bool(step.on_time)
        w.value(ws, row, 0, f"{step.step}. {step.name}", w.text)
        w.value(ws, row, 1, names.get(step.unit_code or "", "Dinas"), w.text)
        w.value(ws, row, 2, step.actor, w.text)
        sheet.write_datetime(
            row, 3, step.started_at.astimezone(data.zone).replace(tzinfo=None), w.date
        )
        if step.ended_at:
            sheet.write_datetime(
                row, 4, step.ended_at.astimezone(data.zone).replace(tzinfo=None), w.date
            )
        else:
            sheet.write_blank(row, 4, None, w.date)
        w.value(
            ws,
            row,
            5,
            format_duration(step.working_duration) if step.working_duration is not None else "",
            w.text,
        )
        w.value(ws, row, 6, format_duration(step.standard), w.text)
        w.value(ws, row, 7, status, w.text)
    last = len(data.steps) + 2
    w.value(ws, last, 0, "Langkah tepat waktu (%)", w.bold)
    statuses = fx.column_range(1, max(len(data.steps), 1), 7)
    w.formula(
        ws,
        last,
        1,
        f'=IFERROR(COUNTIF({statuses},"Tepat waktu")/(COUNTIF({statuses},"Tepat waktu")'
        f'+COUNTIF({statuses},"Terlambat"))*100,"{numbers.DASH}")',
        round(on_time / done * 100, 10) if done else numbers.DASH,
        w.pct,
    )
    table(ws, w, 0, max(len(data.steps), 1), columns)
    ws.finish()
    sheet.freeze_panes(1, 0)
    _setup(ws, data, 0, "Jejak Proses")
