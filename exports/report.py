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
from zoneinfo import ZoneInfo

import xlsxwriter
from babel.dates import format_date

from bot import numbers
from bot.model import Activity, Aggregation, Level
from exports.report_data import (
    BudgetRow,
    IndicatorRow,
    ReportData,
    ScoredRow,
    caps_by_unit,
    scored,
)

TZ = ZoneInfo("Asia/Jakarta")
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
RINCIAN_HEADERS = (
    "No",
    "Sasaran",
    "Kode",
    "Urusan/Bidang Urusan/Program/Kegiatan/Sub Kegiatan",
    "Indikator Kinerja",
    "Satuan",
    "Target Renstra K",
    "Target Renstra Rp",
    "Realisasi Renstra s.d. Tahun Lalu K",
    "Realisasi Renstra s.d. Tahun Lalu Rp",
    "Target Renja K",
    "Target Renja Rp",
    "Realisasi TW I K",
    "Realisasi TW I Rp",
    "Realisasi TW II K",
    "Realisasi TW II Rp",
    "Realisasi TW III K",
    "Realisasi TW III Rp",
    "Realisasi TW IV K",
    "Realisasi TW IV Rp",
    "Realisasi s.d. Triwulan K",
    "Realisasi s.d. Triwulan Rp",
    "Capaian s.d. Triwulan (%) K",
    "Capaian s.d. Triwulan (%) Rp",
    "Capaian Tahunan (%)",
    "Predikat",
    "Realisasi Renstra s.d. Tahun Ini K",
    "Realisasi Renstra s.d. Tahun Ini Rp",
    "Capaian Renstra (%) K",
    "Capaian Renstra (%) Rp",
    "Unit Penanggung Jawab",
    "Keterangan",
)


def report_filename(data: ReportData) -> str:
    """E.g. ``Laporan_Kinerja_2026_TW3.xlsx``."""
    return f"Laporan_Kinerja_{data.year}_TW{data.quarter}.xlsx"


def _f(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


class _Writer:
    """Formats created once; cells written with the right type."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        add = book.add_format
        self.title = add({"bold": True, "font_size": 14})
        self.head = add(
            {
                "bold": True,
                "bg_color": "#DDEBF7",
                "border": 1,
                "text_wrap": True,
                "valign": "vcenter",
                "align": "center",
            }
        )
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


def _renstra(row: IndicatorRow, to_date: Decimal | None) -> tuple[Decimal | None, Decimal | None]:
    """Realisasi Renstra up to this year (K) and its capaian against the Renstra target.

    Empty without last year's Renstra realisation (the years before the first import): a
    ``jumlah`` adds this year's figure to it, a ``posisi`` is this year's latest value.
    """
    ind = row.indicator
    if ind.renstra_realisasi_lalu is None:
        return None, None
    if ind.aggregation is Aggregation.SUM:
        total: Decimal | None = ind.renstra_realisasi_lalu + (to_date or Decimal(0))
    else:
        total = to_date
    return total, numbers.capaian(total, ind.renstra_target, ind.direction)


def _rounded(value: Decimal | None) -> float | None:
    return None if value is None else float(numbers.round2(value))


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
    w = _Writer(book)
    rows = scored(data)
    _ringkasan(book, w, data, rows)
    _rincian(book, w, data, rows)
    _analisis(book, w, data, rows)
    _rekomendasi(book, w, data)
    _jejak(book, w, data)
    book.close()
    return buffer.getvalue()


def _table(sheet: object, w: _Writer, top: int, last: int, columns: int) -> None:
    """Autofilter and a bordered grid over a table, empty cells included."""
    sheet.autofilter(top, 0, last, columns - 1)  # type: ignore[attr-defined]
    sheet.conditional_format(  # type: ignore[attr-defined]
        top, 0, last, columns - 1, {"type": "no_errors", "format": w.grid}
    )


def _setup(sheet: object, header_row: int, columns: int) -> None:
    sheet.freeze_panes(header_row + 1, 0)  # type: ignore[attr-defined]
    sheet.set_landscape()  # type: ignore[attr-defined]
    sheet.set_paper(9)  # type: ignore[attr-defined]
    sheet.fit_to_pages(1, 0)  # type: ignore[attr-defined]
    sheet.repeat_rows(header_row)  # type: ignore[attr-defined]


def _ringkasan(
    book: xlsxwriter.Workbook, w: _Writer, data: ReportData, scored_rows: list[ScoredRow]
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
    _table(sheet, w, top, row - 1, len(headers))
    _setup(sheet, top, len(headers))
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
    w: _Writer,
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
    values: list[object] = [name, len(caps), _rounded(mean), predikat.value if predikat else "–"]
    values += [counts.get(p, 0) for p in numbers.Predikat]
    values += [
        sum(1 for c in caps if c is None),
        float(pagu),
        float(spent),
        _rounded(numbers.absorption(spent, pagu)),
    ]
    formats = (
        [fmt, w.num, w.pct, w.predikat.get(str(values[3]), w.text)]
        + [w.num] * 6
        + [w.rp, w.rp, w.pct]
    )
    for col, (value, cell_format) in enumerate(zip(values, formats, strict=True)):
        w.value(sheet, row, col, value, cell_format)


def _hierarchy(
    data: ReportData, scored_rows: list[ScoredRow]
) -> list[tuple[Activity, list[ScoredRow]]]:
    """Activities in catalogue order, each with its own indicators."""
    by_activity: dict[str, list[ScoredRow]] = {}
    for item in scored_rows:
        by_activity.setdefault(item.indicator.activity_code, []).append(item)
    return [(a, by_activity.get(a.code, [])) for a in data.activities]


def _rincian(
    book: xlsxwriter.Workbook, w: _Writer, data: ReportData, scored_rows: list[ScoredRow]
) -> None:
    sheet = book.add_worksheet("Rincian")
    sheet.write_string(0, 0, "Evaluasi terhadap Hasil Renja Perangkat Daerah", w.title)
    sheet.write_string(1, 0, f"{data.agency_name} — {data.period_label}")
    top = 3
    for col, header in enumerate(RINCIAN_HEADERS):
        sheet.write_string(top, col, header, w.head)
    units = {u.code: u.name for u in data.units}
    budgets = {b.activity.code: b for b in data.budgets}
    level = {Level.PROGRAM: 0, Level.KEGIATAN: 1, Level.SUB_KEGIATAN: 2}
    row, number = top, 0
    caps: list[Decimal | None] = []
    for activity, indicators in _hierarchy(data, scored_rows):
        row += 1
        depth = level[activity.level]
        sheet.set_row(row, None, None, {"level": depth + 1})
        fmt = w.bold if activity.level is Level.PROGRAM else w.text
        w.value(sheet, row, 2, activity.code, fmt)
        w.value(sheet, row, 3, "   " * depth + activity.name, fmt)
        budget = budgets.get(activity.code)
        if budget is not None:
            w.value(sheet, row, 11, _f(activity.pagu), w.rp)
            for q in range(4):
                value = budget.realisasi_q[q] if q < data.quarter else None
                w.value(sheet, row, 13 + 2 * q, _f(value), w.rp)
            spent = sum(
                (v for v in budget.realisasi_q[: data.quarter] if v is not None), Decimal(0)
            )
            w.value(sheet, row, 21, float(spent), w.rp)
            w.value(sheet, row, 23, _rounded(numbers.absorption(spent, activity.pagu)), w.pct)
        w.value(sheet, row, 30, units.get(activity.unit_code, activity.unit_code), w.text)
        for scored_row in indicators:
            row += 1
            number += 1
            sheet.set_row(row, None, None, {"level": depth + 2})
            item, to_date, cap, annual = (
                scored_row.row,
                scored_row.to_date,
                scored_row.cap,
                scored_row.annual,
            )
            ind = item.indicator
            caps.append(cap)
            predikat = numbers.predikat(cap)
            note = item.note or ("target belum ditetapkan" if cap is None else "")
            renstra, renstra_cap = _renstra(item, to_date)
            values: dict[int, tuple[object, object]] = {
                0: (number, w.num),
                1: (ind.sasaran, w.text),
                2: (ind.code, w.text),
                4: (ind.name, w.text),
                5: (ind.satuan, w.text),
                6: (_f(ind.renstra_target), w.num),
                7: (_f(ind.renstra_target_rp), w.rp),
                8: (_f(ind.renstra_realisasi_lalu), w.num),
                9: (_f(ind.renstra_realisasi_lalu_rp), w.rp),
                10: (_f(ind.target_annual), w.num),
                20: (_f(to_date), w.num),
                22: (_rounded(cap) if cap is not None else "–", w.pct),
                24: (_rounded(annual) if annual is not None else "–", w.pct),
                25: (
                    predikat.value if predikat else "–",
                    w.predikat.get(predikat.value, w.text) if predikat else w.text,
                ),
                26: (_f(renstra), w.num),
                28: (_rounded(renstra_cap), w.pct),
                30: (units.get(ind.unit_code, ind.unit_code), w.text),
                31: (note, w.text),
            }
            for q in range(data.quarter):
                values[12 + 2 * q] = (_f(item.realisasi_q[q]), w.num)
            # Most of a large Rincian's cells are an indicator's empty ones (no Renstra
            # figures, quarters to come): left unwritten, they cost nothing.
            for col, (cell_value, cell_format) in values.items():
                if cell_value is not None and cell_value != "":
                    w.value(sheet, row, col, cell_value, cell_format)
    last = row
    mean = numbers.mean(caps)
    predikat = numbers.predikat(mean)
    row += 2
    sheet.write_string(row, 3, "Rata-rata capaian kinerja s.d. triwulan (%)", w.bold)
    w.value(sheet, row, 4, _rounded(mean), w.pct)
    w.value(sheet, row, 5, predikat.value if predikat else "–", w.text)
    names = {u.code: u.name for u in data.units}
    for notes in data.unit_notes:
        row += 2
        sheet.write_string(row, 3, names.get(notes.unit_code, notes.unit_code), w.bold)
        for label, text in (
            ("Faktor pendorong", notes.faktor_pendorong),
            ("Faktor penghambat", notes.faktor_penghambat),
            ("Kendala/permasalahan", notes.kendala),
            ("Tindak lanjut triwulan berikutnya", notes.tindak_lanjut),
            ("Tindak lanjut Renja tahun berikutnya", notes.tindak_lanjut),
        ):
            row += 1
            sheet.write_string(row, 3, label, w.text)
            w.value(sheet, row, 4, text, w.text)
    row += 3
    place = data.place or ""
    day = format_date(data.generated_at.astimezone(TZ), "d MMMM yyyy", locale="id_ID")
    for line in (
        f"{place}, {day}".strip(", "),
        f"{data.kadin_title} {data.agency_name}",
        "",
        "",
        data.kadin_name,
        f"NIP. {data.kadin_nip}" if data.kadin_nip else "",
    ):
        sheet.write_string(row, 4, line)
        row += 1
    # A programme, kegiatan or sub kegiatan heads the rows under it, so the group's
    # collapse button belongs above them, not below.
    sheet.outline_settings(True, False, True, False)
    sheet.set_column(0, 0, 5)
    sheet.set_column(1, 1, 24)
    sheet.set_column(2, 2, 18)
    sheet.set_column(3, 4, 40)
    sheet.set_column(5, 29, 12)
    sheet.set_column(30, 31, 24)
    _table(sheet, w, top, max(last, top), len(RINCIAN_HEADERS))
    _setup(sheet, top, len(RINCIAN_HEADERS))


def _analisis(
    book: xlsxwriter.Workbook, w: _Writer, data: ReportData, scored_rows: list[ScoredRow]
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
                (_f(numbers.target_to_date(item.indicator, data.quarter)), w.num),
                (_f(to_date), w.num),
                (_rounded(cap), w.pct),
                (predikat.value if predikat else "–", w.text),
                (_rounded(gap), w.pct),
            )
        ):
            w.value(sheet, row, col, value, fmt)
    _table(sheet, w, top, max(row, top + 1), len(headers))
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
            w.value(sheet, row, q, _rounded(numbers.mean(caps)), w.pct)
    sheet.set_column(0, 0, 36)
    sheet.set_column(1, 1, 50)
    sheet.set_column(2, 6, 16)
    _setup(sheet, top, len(headers))


def _quarter_caps(rows: Iterable[IndicatorRow], quarter: int) -> list[Decimal | None]:
    return [
        numbers.capaian(
            r.realisasi_q[quarter - 1], r.indicator.targets_q[quarter - 1], r.indicator.direction
        )
        for r in rows
    ]


def _rekomendasi(book: xlsxwriter.Workbook, w: _Writer, data: ReportData) -> None:
    sheet = book.add_worksheet("Rekomendasi")
    headers = (
        "No",
        "Unit",
        "Rekomendasi",
        "Diberikan oleh",
        "Tanggal",
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
            row += 1
            label = names.get(rec.unit_code, rec.unit_code) if rec.unit_code else "Umum"
            if section:
                label += f" ({rec.period_label})"
            cells = (
                (n, w.num),
                (label, w.text),
                (rec.text, w.text),
                (rec.given_by, w.text),
                (rec.given_at.astimezone(TZ).replace(tzinfo=None), w.date),
                (rec.follow_up or "", w.text),
                (rec.follow_up_by or "", w.text),
                (
                    rec.follow_up_at.astimezone(TZ).replace(tzinfo=None)
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
                    w.value(sheet, row, col, value, fmt)
    sheet.set_column(0, 0, 5)
    sheet.set_column(1, 1, 30)
    sheet.set_column(2, 2, 60)
    sheet.set_column(3, 8, 18)
    _table(sheet, w, 0, max(row, 1), len(headers))
    _setup(sheet, 0, len(headers))


def _jejak(book: xlsxwriter.Workbook, w: _Writer, data: ReportData) -> None:
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
    _table(sheet, w, 0, max(len(data.steps), 1), len(headers))
    _setup(sheet, 0, len(headers))
