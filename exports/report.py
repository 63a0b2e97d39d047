"""The consolidated performance report of one period (.xlsx): data in, bytes out.

Sheets: ``Ringkasan`` (per unit, with two native charts), ``Rincian`` (the Permendagri
86/2017 quarterly evaluation form), ``Analisis``, ``Rekomendasi`` and ``Jejak Proses``.
User text is always written as text, so a note typed as ``=HYPERLINK(...)`` stays text.
"""

from __future__ import annotations

import gc
import io
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal

import xlsxwriter
from babel.dates import format_date

from bot import numbers
from exports.report_data import (
    BudgetRow,
    IndicatorRow,
    ReportData,
    ScoredRow,
    caps_by_unit,
    scored,
)
from exports.report_rincian import TZ, write_rincian
from exports.report_style import PREDIKAT_COLOURS, Writer, as_float, print_setup, rounded, table
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
    w = Writer(book)
    rows = scored(data)
    _ringkasan(book, w, data, rows)
    write_rincian(book, w, data, rows)
    _analisis(book, w, data, rows)
    write_trend(book, w, data)
    _rekomendasi(book, w, data)
    _jejak(book, w, data)
    book.close()
    return buffer.getvalue()


def _ringkasan(
    book: xlsxwriter.Workbook, w: Writer, data: ReportData, scored_rows: list[ScoredRow]
) -> None:
    sheet = book.add_worksheet("Ringkasan")
    sheet.write_string(0, 0, data.agency_name, w.title)
    sheet.write_string(1, 0, f"Laporan Kinerja {data.period_label}")
    sheet.write_string(
        2,
        0,
        "Dibuat " + format_date(data.generated_at.astimezone(TZ), "d MMMM yyyy", locale="id_ID"),
    )
    headers = (
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
    top = 4
    for col, header in enumerate(headers):
        sheet.write_string(top, col, header, w.head)
    all_caps: list[Decimal | None] = []
    total_pagu = total_spent = Decimal(0)
    caps_of = caps_by_unit(scored_rows)
    budgets_of: dict[str, list[BudgetRow]] = {}
    for budget in data.budgets:
        budgets_of.setdefault(budget.activity.unit_code, []).append(budget)
    row = top
    for unit in data.units:
        caps = caps_of.get(unit.code, [])
        all_caps += caps
        budgets = budgets_of.get(unit.code, [])
        pagu = sum((b.activity.pagu or Decimal(0) for b in budgets), Decimal(0))
        spent = sum(
            (v for b in budgets for v in b.realisasi_q[: data.quarter] if v is not None),
            Decimal(0),
        )
        total_pagu += pagu
        total_spent += spent
        row += 1
        _summary_row(sheet, w, row, unit.name, caps, pagu, spent, w.text)
    row += 1
    _summary_row(sheet, w, row, "Total Dinas", all_caps, total_pagu, total_spent, w.bold)
    sheet.set_column(0, 0, 42)
    sheet.set_column(1, 12, 14)
    table(sheet, w, top, row - 1, len(headers))
    print_setup(sheet, top, len(headers))
    if data.units:
        for n, (col, title) in enumerate(
            ((2, "Capaian Kinerja per Unit (%)"), (12, "Penyerapan Anggaran per Unit (%)"))
        ):
            chart = book.add_chart({"type": "bar"})
            chart.add_series(
                {
                    "name": title,
                    "categories": ["Ringkasan", top + 1, 0, row - 1, 0],
                    "values": ["Ringkasan", top + 1, col, row - 1, col],
                }
            )
            chart.set_title({"name": title})
            chart.set_legend({"none": True})
            sheet.insert_chart(row + 2 + n * 18, 0, chart, {"x_scale": 1.5, "y_scale": 1.2})


def _summary_row(
    sheet: object,
    w: Writer,
    row: int,
    name: str,
    caps: list[Decimal | None],
    pagu: Decimal,
    spent: Decimal,
    fmt: object,
) -> None:
    mean = numbers.mean(caps)
    predikat = numbers.predikat(mean)
    counts = numbers.count_predikat(caps)
    values: list[object] = [name, len(caps), rounded(mean), predikat.value if predikat else "–"]
    values += [counts.get(p, 0) for p in numbers.Predikat]
    values += [
        sum(1 for c in caps if c is None),
        float(pagu),
        float(spent),
        rounded(numbers.absorption(spent, pagu)),
    ]
    formats = (
        [fmt, w.num, w.pct, w.predikat.get(str(values[3]), w.text)]
        + [w.num] * 6
        + [w.rp, w.rp, w.pct]
    )
    for col, (value, cell_format) in enumerate(zip(values, formats, strict=True)):
        w.value(sheet, row, col, value, cell_format)


def _analisis(
    book: xlsxwriter.Workbook, w: Writer, data: ReportData, scored_rows: list[ScoredRow]
) -> None:
    sheet = book.add_worksheet("Analisis")
    sheet.write_string(0, 0, f"Analisis Kinerja {data.period_label}", w.title)
    sheet.merge_range(1, 0, 6, 6, "", w.text)
    w.value(sheet, 1, 0, data.narrative or "Belum ada narasi analisis.", w.text)
    top = 8
    sheet.write_string(top - 1, 0, "Indikator di bawah 76 %", w.bold)
    headers = (
        "Unit",
        "Indikator",
        "Target s.d. Triwulan",
        "Realisasi s.d. Triwulan",
        "Capaian (%)",
        "Predikat",
        "Selisih dari 76 %",
    )
    for col, header in enumerate(headers):
        sheet.write_string(top, col, header, w.head)
    names = {u.code: u.name for u in data.units}
    below = []
    for scored_row in scored_rows:
        cap = scored_row.cap
        if cap is not None and numbers.round2(cap) < 76:
            below.append((Decimal(76) - cap, scored_row.row, scored_row.to_date, cap))
    row = top
    for gap, item, to_date, cap in sorted(below, key=lambda x: x[0], reverse=True):
        row += 1
        predikat = numbers.predikat(cap)
        for col, (value, fmt) in enumerate(
            (
                (names.get(item.indicator.unit_code, ""), w.text),
                (item.indicator.name, w.text),
                (as_float(numbers.target_to_date(item.indicator, data.quarter)), w.num),
                (as_float(to_date), w.num),
                (rounded(cap), w.pct),
                (predikat.value if predikat else "–", w.text),
                (rounded(gap), w.pct),
            )
        ):
            w.value(sheet, row, col, value, fmt)
    table(sheet, w, top, max(row, top + 1), len(headers))
    row += 2
    sheet.write_string(row, 0, "Tren capaian per triwulan (%)", w.bold)
    row += 1
    for col, header in enumerate(
        ["Unit"] + [f"TW {numbers.quarter_roman(q)}" for q in range(1, data.quarter + 1)]
    ):
        sheet.write_string(row, col, header, w.head)
    by_unit: dict[str, list[IndicatorRow]] = {}
    for item in data.indicators:
        by_unit.setdefault(item.indicator.unit_code, []).append(item)
    for unit in data.units:
        row += 1
        sheet.write_string(row, 0, unit.name, w.text)
        for q in range(1, data.quarter + 1):
            caps = _quarter_caps(by_unit.get(unit.code, []), q)
            w.value(sheet, row, q, rounded(numbers.mean(caps)), w.pct)
    sheet.set_column(0, 0, 36)
    sheet.set_column(1, 1, 50)
    sheet.set_column(2, 6, 16)
    print_setup(sheet, top, len(headers))


def _quarter_caps(rows: Iterable[IndicatorRow], quarter: int) -> list[Decimal | None]:
    return [
        numbers.capaian(
            r.realisasi_q[quarter - 1], r.indicator.targets_q[quarter - 1], r.indicator.direction
        )
        for r in rows
    ]


def _rekomendasi(book: xlsxwriter.Workbook, w: Writer, data: ReportData) -> None:
    """One row per recommendation and unit that follows it up: a general recommendation
    reaches every unit, and each records its own follow-up (open ones are carried over)."""
    sheet = book.add_worksheet("Rekomendasi")
    headers = (
        "No",
        "Untuk",
        "Rekomendasi",
        "Diberikan oleh",
        "Tanggal",
        "Unit",
        "Tindak Lanjut",
        "Oleh",
        "Tanggal Tindak Lanjut",
        "Status",
    )
    for col, header in enumerate(headers):
        sheet.write_string(0, col, header, w.head)
    names = {u.code: u.name for u in data.units}
    row = 0
    for section, items in (
        ("", data.recommendations),
        ("Tindak lanjut terbuka dari periode sebelumnya", data.carried_over),
    ):
        if section:
            row += 2
            sheet.write_string(row, 0, section, w.bold)
        for n, rec in enumerate(items, 1):
            label = names.get(rec.unit_code, rec.unit_code) if rec.unit_code else "Umum"
            if section:
                label += f" ({rec.period_label})"
            units = rec.units or ((rec.unit_code,) if rec.unit_code else ())
            for unit in units or ("",):
                done = rec.follow_up_of(unit) if unit else None
                if section and done is not None:
                    continue  # carried over: only the units still to follow it up
                row += 1
                cells = (
                    (n, w.num),
                    (label, w.text),
                    (rec.text, w.text),
                    (rec.given_by, w.text),
                    (rec.given_at.astimezone(TZ).replace(tzinfo=None), w.date),
                    (names.get(unit, unit), w.text),
                    (done.text if done else "", w.text),
                    (done.by if done else "", w.text),
                    (done.at.astimezone(TZ).replace(tzinfo=None) if done else None, w.date),
                    ("Selesai" if done else "Terbuka", w.text),
                )
                for col, (value, fmt) in enumerate(cells):
                    if hasattr(value, "year"):
                        sheet.write_datetime(row, col, value, fmt)
                    else:
                        w.value(sheet, row, col, value, fmt)
    sheet.set_column(0, 0, 5)
    sheet.set_column(1, 1, 24)
    sheet.set_column(2, 2, 50)
    sheet.set_column(3, 4, 16)
    sheet.set_column(5, 5, 24)
    sheet.set_column(6, 6, 40)
    sheet.set_column(7, 9, 16)
    table(sheet, w, 0, max(row, 1), len(headers))
    print_setup(sheet, 0, len(headers))


def _jejak(book: xlsxwriter.Workbook, w: Writer, data: ReportData) -> None:
    from bot.calendar import format_duration

    sheet = book.add_worksheet("Jejak Proses")
    headers = (
        "Langkah",
        "Unit",
        "Pelaksana",
        "Mulai",
        "Selesai",
        "Durasi (jam kerja)",
        "Mutu Baku",
        "Status",
    )
    for col, header in enumerate(headers):
        sheet.write_string(0, col, header, w.head)
    names = {u.code: u.name for u in data.units}
    on_time = done = 0
    for row, step in enumerate(data.steps, 1):
        status = (
            "Berjalan" if step.on_time is None else ("Tepat waktu" if step.on_time else "Terlambat")
        )
        done += step.on_time is not None
        on_time += bool(step.on_time)
        w.value(sheet, row, 0, f"{step.step}. {step.name}", w.text)
        w.value(sheet, row, 1, names.get(step.unit_code or "", "Dinas"), w.text)
        w.value(sheet, row, 2, step.actor, w.text)
        sheet.write_datetime(row, 3, step.started_at.astimezone(TZ).replace(tzinfo=None), w.date)
        if step.ended_at:
            sheet.write_datetime(row, 4, step.ended_at.astimezone(TZ).replace(tzinfo=None), w.date)
        else:
            sheet.write_blank(row, 4, None, w.date)
        w.value(
            sheet,
            row,
            5,
            format_duration(step.working_duration) if step.working_duration is not None else "",
            w.text,
        )
        w.value(sheet, row, 6, format_duration(step.standard), w.text)
        w.value(sheet, row, 7, status, w.text)
    last = len(data.steps) + 2
    sheet.write_string(last, 0, "Langkah tepat waktu (%)", w.bold)
    w.value(sheet, last, 1, round(on_time / done * 100, 2) if done else None, w.pct)
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 2, 30)
    sheet.set_column(3, 7, 18)
    table(sheet, w, 0, max(len(data.steps), 1), len(headers))
    print_setup(sheet, 0, len(headers))
