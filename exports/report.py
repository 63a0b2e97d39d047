"""The consolidated performance report of one period (.xlsx): data in, bytes out.

Sheets: ``Ringkasan`` (per unit, with two native charts; report_ringkasan.py), ``Rincian``
(the Permendagri 86/2017 quarterly evaluation form; report_rincian.py), ``Analisis``,
``Rekomendasi`` and ``Jejak Proses``. Print setup is in report_print.py, formulas in
report_formulas.py, formats and measuring in report_style.py.
User text is always written as text, so a note typed as ``=HYPERLINK(...)`` stays text.
"""

from __future__ import annotations

import gc
import io
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, time
from decimal import Decimal

import xlsxwriter

from bot import numbers
from bot.dates import zone_abbreviation
from bot.numbers_format import DASH
from exports import report_formulas as fx
from exports.report_data import IndicatorRow, ReportData, ScoredRow, scored
from exports.report_print import sheet_setup
from exports.report_rincian import write_rincian
from exports.report_ringkasan import write_ringkasan
from exports.report_style import (
    DATE_WIDTH,
    PREDIKAT_COLOURS,
    FormulaSheet,
    Sheet,
    Writer,
    as_float,
    headers,
    rounded,
    table,
)
from exports.report_trend import write_trend

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
    write_ringkasan(ringkasan, book, w, data, rows, rincian)
    _analisis(book, w, data, rows)
    _rekomendasi(book, w, data)
    _jejak(book, w, data)
    book.close()
    return buffer.getvalue()


_BELOW_TINGGI = {numbers.Predikat.SEDANG, numbers.Predikat.RENDAH, numbers.Predikat.SANGAT_RENDAH}


def _analisis(
    book: xlsxwriter.Workbook, w: Writer, data: ReportData, scored_rows: list[ScoredRow]
) -> None:
    """The narrative, the indicators below 76 % by their gap, the trend per quarter, and
    (exports/report_trend.py) the trend per indicator with the agency's line chart.

    The figures here are the bot's analysis at the time the file was made (a list sorted by
    gap cannot follow an edit); the live figures are on Rincian and Ringkasan.
    """
    # Eleven columns once the trend table is below: still one page wide at about 90 %. The
    # trend table's unit names (column 2) and trend marks ("belum ada data pembanding") get
    # room for a few lines at most.
    widths = {0: 22.0, 1: 36.0, 2: 20.0, **{c: 11.0 for c in range(3, 11)}, 7: 16.0, 10: 16.0}
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
    sheet.write_string(top - 1, 0, "Indikator di bawah 76%", w.label)
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
            "Selisih dari 76%",
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
        name = predikat.value if predikat else DASH
        sheet.write_string(row, 5, name, w.predikat_format(name))
        w.value(ws, row, 6, rounded(gap), w.pct)
    table(ws, w, top, max(row, top + 1), columns)
    row += 2
    # Each quarter on its own (its realisation against its own target), unlike the Ringkasan
    # and the series below, which are s.d. triwulan: the label says which.
    sheet.write_string(
        row, 0, "Capaian tiap triwulan per unit (%): realisasi triwulan terhadap targetnya", w.label
    )
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
    series = write_trend(book, w, data, ws)
    ws.finish(narrative_rows)
    sheet.freeze_panes(top + 1, 0)
    # No header row repeated: the sheet holds several tables, and a page of the trend table
    # must not carry the header of the list above it. The chart starts a page.
    sheet_setup(ws, data, None, "Analisis Kinerja", page_breaks=(series,))


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


# A follow-up's status as the sheet writes it (bot.workflow.FollowUpState's values).
STATUS_LABELS = {
    "belum": "Belum dicatat",
    "direncanakan": "Direncanakan",
    "dalam_proses": "Dalam proses",
    "selesai": "Selesai",
    "tidak_dilanjutkan": "Tidak dilanjutkan",
}


def _rekomendasi(book: xlsxwriter.Workbook, w: Writer, data: ReportData) -> None:
    """One row per recommendation and unit that follows it up: a general recommendation
    reaches every unit, and each records its own follow-up as a status, with its due date
    and how many evidence files it sent (earlier periods' ones still open, or answered in this
    period, are carried, each with every unit's answer)."""
    widths = {0: 5.0, 1: 20.0, 2: 40.0, 3: 18.0, 4: DATE_WIDTH, 5: DATE_WIDTH, 6: 20.0}
    widths.update({7: 32.0, 8: 18.0, 9: DATE_WIDTH, 10: 14.0, 11: 9.0})
    ws = Sheet(book.add_worksheet("Rekomendasi"), widths)
    sheet = ws.sheet
    columns = headers(
        ws,
        w,
        0,
        (
            "No",
            "Untuk",
            "Rekomendasi",
            "Diberikan oleh",
            "Tanggal",
            "Batas Waktu",
            "Unit",
            "Tindak Lanjut",
            "Oleh",
            "Tanggal Tindak Lanjut",
            "Status",
            "Data Dukung",
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
            label = names.get(rec.unit_code, rec.unit_code) if rec.unit_code else "Umum"
            if section:
                label += f" ({rec.period_label})"
            units = rec.units or ((rec.unit_code,) if rec.unit_code else ())
            for unit in units or ("",):
                done = rec.follow_up_of(unit) if unit else None
                status = rec.status_of(unit) if unit else "belum"
                row += 1
                due = datetime.combine(rec.due, time()) if rec.due else None
                cells = (
                    (n, w.num),
                    (label, w.text),
                    (rec.text, w.text),
                    (rec.given_by, w.text),
                    (rec.given_at.astimezone(data.zone).replace(tzinfo=None), w.date),
                    (due, w.date),
                    (names.get(unit, unit), w.text),
                    (done.text if done else "", w.text),
                    (done.by if done else "", w.text),
                    (done.at.astimezone(data.zone).replace(tzinfo=None) if done else None, w.date),
                    (STATUS_LABELS.get(status, status), w.text),
                    (rec.evidence_of(unit) if unit else 0, w.num),
                )
                for col, (value, fmt) in enumerate(cells):
                    if hasattr(value, "year"):
                        sheet.write_datetime(row, col, value, fmt)
                    else:
                        w.value(ws, row, col, value, fmt)
    table(ws, w, 0, max(row, 1), columns)
    ws.finish()
    sheet.freeze_panes(1, 0)
    sheet_setup(ws, data, 0, "Rekomendasi Kepala Dinas")


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
        f'+COUNTIF({statuses},"Terlambat"))*100,"{DASH}")',
        round(on_time / done * 100, 10) if done else DASH,
        w.pct,
    )
    table(ws, w, 0, max(len(data.steps), 1), columns)
    ws.finish()
    sheet.freeze_panes(1, 0)
    sheet_setup(ws, data, 0, "Jejak Proses")
