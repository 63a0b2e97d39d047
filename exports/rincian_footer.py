"""Below the ``Rincian`` table: the mean capaian and its predikat, each unit's notes, and
the Kepala Dinas's signature block; and the merged text cells the form uses."""

from __future__ import annotations

from decimal import Decimal

from bot import numbers
from bot.dates import long_date
from bot.numbers_format import DASH
from exports import report_formulas as fx
from exports.report_data import ReportData
from exports.report_style import Sheet, Writer


def signature_title(title: str, agency: str) -> str:
    """``Kepala Dinas`` of ``Dinas Tenaga Kerja …`` is ``Kepala Dinas Tenaga Kerja …``."""
    last = title.split()[-1] if title.split() else ""
    first = agency.split()[0] if agency.split() else ""
    if last and last.casefold() == first.casefold():
        return f"{title.rsplit(' ', 1)[0]} {agency}".strip()
    return f"{title} {agency}".strip()


def write_footer(
    ws: Sheet,
    w: Writer,
    data: ReportData,
    caps: list[Decimal | None],
    table: tuple[int, int],
    columns: tuple[int, int, int],
) -> list[tuple[int, int]]:
    """The mean capaian and its predikat, each unit's notes, and the signature block.

    Written right of the key columns and within the first printed band, so that each prints
    once (the key columns repeat on every page across). Returns the blocks of rows that
    belong on one page (each unit's notes, the signature). ``columns``: the first column
    after the key columns, the capaian column, the last column of the first printed band.
    """
    blocks: list[tuple[int, int]] = []
    first, last = table
    key_end, cap_col, band_end = columns
    label_cols = [key_end]
    while sum(ws.widths[c] for c in label_cols) < 26 and label_cols[-1] + 2 < band_end:
        label_cols.append(label_cols[-1] + 1)
    lo, hi = label_cols[0], label_cols[-1]
    text_lo, text_hi = hi + 1, max(hi + 2, band_end)
    mean = numbers.mean(caps)
    predikat = numbers.predikat(mean)
    row = last + 2
    merged_text(ws, row, lo, hi, "Rata-rata capaian kinerja s.d. triwulan (%)", w.bold, True)
    w.formula(
        ws,
        row,
        text_lo,
        fx.mean(fx.column_range(first, last, cap_col)),
        DASH if mean is None else float(mean),
        w.pct_bold,
    )
    w.formula(
        ws,
        row,
        text_lo + 1,
        fx.predikat(fx.cell(row, text_lo)),
        predikat.value if predikat else DASH,
        w.predikat_format(predikat.value if predikat else None),
    )
    w.predikat_rules(ws, row, row, text_lo + 1)
    names = {u.code: u.name for u in data.units}
    for notes in data.unit_notes:
        row += 2
        blocks.append((row, row + 5))
        merged_text(ws, row, lo, hi, names.get(notes.unit_code, notes.unit_code), w.bold, True)
        for label, text in (
            ("Faktor pendorong", notes.faktor_pendorong),
            ("Faktor penghambat", notes.faktor_penghambat),
            ("Kendala/permasalahan", notes.kendala),
            ("Tindak lanjut triwulan berikutnya", notes.tindak_lanjut),
            ("Tindak lanjut Renja tahun berikutnya", notes.tindak_lanjut_renja),
        ):
            row += 1
            merged_text(ws, row, lo, hi, label, w.text, False)
            merged_text(ws, row, text_lo, text_hi, text, w.text, False)
    row += 3
    blocks.append((row, row + 5))
    place = data.place or ""
    day = long_date(data.generated_at, data.zone)
    for line in (
        f"{place}, {day}".strip(", "),
        signature_title(data.kadin_title, data.agency_name),
        "",
        "",
        data.kadin_name,
        f"NIP. {data.kadin_nip}" if data.kadin_nip else "",
    ):
        if line:
            ws.sheet.write_string(row, text_lo, line, w.line)
        row += 1
    return blocks


def merged_text(ws: Sheet, row: int, lo: int, hi: int, text: str, fmt: object, bold: bool) -> None:
    """Text (always as text) over merged columns, its row as tall as it wraps."""
    if hi > lo:
        ws.sheet.merge_range(row, lo, row, hi, "", fmt)
    ws.sheet.write_string(row, lo, text, fmt)
    if text:
        ws.measure_text(row, lo, text, bold, span=hi - lo + 1)
