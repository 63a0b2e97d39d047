"""The ``Rincian`` sheet: the Permendagri 86/2017 quarterly evaluation form, row by row."""

from __future__ import annotations

from decimal import Decimal
from zoneinfo import ZoneInfo

import xlsxwriter
from babel.dates import format_date

from bot import numbers
from bot.model import Activity, Aggregation, Level
from exports.report_data import IndicatorRow, ReportData, ScoredRow, why_no_capaian
from exports.report_style import Writer, as_float, print_setup, rounded, table

TZ = ZoneInfo("Asia/Jakarta")

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


def write_rincian(
    book: xlsxwriter.Workbook, w: Writer, data: ReportData, scored_rows: list[ScoredRow]
) -> None:
    """Every activity with its indicators, budgets and figures, then notes and signature."""
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
            w.value(sheet, row, 11, as_float(activity.pagu), w.rp)
            for q in range(4):
                value = budget.realisasi_q[q] if q < data.quarter else None
                w.value(sheet, row, 13 + 2 * q, as_float(value), w.rp)
            spent = sum(
                (v for v in budget.realisasi_q[: data.quarter] if v is not None), Decimal(0)
            )
            w.value(sheet, row, 21, float(spent), w.rp)
            w.value(sheet, row, 23, rounded(numbers.absorption(spent, activity.pagu)), w.pct)
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
            note = item.note or why_no_capaian(scored_row, data.quarter, ind.target_annual)
            renstra, renstra_cap = _renstra(item, to_date)
            values: dict[int, tuple[object, object]] = {
                0: (number, w.num),
                1: (ind.sasaran, w.text),
                2: (ind.code, w.text),
                4: (ind.name, w.text),
                5: (ind.satuan, w.text),
                6: (as_float(ind.renstra_target), w.num),
                7: (as_float(ind.renstra_target_rp), w.rp),
                8: (as_float(ind.renstra_realisasi_lalu), w.num),
                9: (as_float(ind.renstra_realisasi_lalu_rp), w.rp),
                10: (as_float(ind.target_annual), w.num),
                20: (as_float(to_date), w.num),
                22: (rounded(cap) if cap is not None else "–", w.pct),
                24: (rounded(annual) if annual is not None else "–", w.pct),
                25: (
                    predikat.value if predikat else "–",
                    w.predikat.get(predikat.value, w.text) if predikat else w.text,
                ),
                26: (as_float(renstra), w.num),
                28: (rounded(renstra_cap), w.pct),
                30: (units.get(ind.unit_code, ind.unit_code), w.text),
                31: (note, w.text),
            }
            for q in range(data.quarter):
                values[12 + 2 * q] = (as_float(item.realisasi_q[q]), w.num)
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
    w.value(sheet, row, 4, rounded(mean), w.pct)
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
            ("Tindak lanjut Renja tahun berikutnya", notes.tindak_lanjut_renja),
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
    table(sheet, w, top, max(last, top), len(RINCIAN_HEADERS))
    print_setup(sheet, top, len(RINCIAN_HEADERS))


def _hierarchy(
    data: ReportData, scored_rows: list[ScoredRow]
) -> list[tuple[Activity, list[ScoredRow]]]:
    """Activities in catalogue order, each with its own indicators."""
    by_activity: dict[str, list[ScoredRow]] = {}
    for item in scored_rows:
        by_activity.setdefault(item.indicator.activity_code, []).append(item)
    return [(a, by_activity.get(a.code, [])) for a in data.activities]


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
