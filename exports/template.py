"""The fill-in template of one unit for one period (.xlsx): protected, with unlocked input cells.

What goes where (sheets, columns, the hidden row keys and the ``_meta`` sheet that let an upload
be recognised or refused) is ``exports.template_layout``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from bot.model import Indicator
from bot.numbers import quarter_roman
from bot.numbers_format import format_number, format_rupiah
from exports.report_style import HEADER_STYLE
from exports.sheet_layout import LINE_PT, escape_hf, print_setup, row_height
from exports.template_layout import (
    ANGGARAN,
    ANGGARAN_HEADERS,
    BUDGET_COL,
    BUDGET_KEY_COL,
    CATATAN,
    CATATAN_HEADERS,
    EXPLAIN_COL,
    KEY_COL,
    MAX_TEXT_CHARS,
    META,
    NOTE_COL,
    NOTE_FIELDS,
    NOTE_KEY_COL,
    PETUNJUK,
    REALISASI,
    REALISASI_HEADERS,
    VALUE_COL,
    TemplateContext,
    budget_key,
    follow_up_key,
    indicator_key,
    meta_rows,
    note_key,
)
from exports.template_text import INPUT_COLOUR, INPUT_FILL, petunjuk_steps

_PROTECTION = {"format_columns": True, "format_rows": True}  # widening a column is harmless


def template_filename(ctx: TemplateContext) -> str:
    """E.g. ``Formulir_pelatihan_2026_TW3.xlsx``."""
    return f"Formulir_{ctx.unit.code}_{ctx.year}_TW{ctx.quarter}.xlsx"


def build_template(ctx: TemplateContext) -> bytes:
    """The template as .xlsx bytes."""
    buffer = io.BytesIO()
    # Every user-supplied string goes through write_string; the options are a second guard.
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    period = f"Triwulan {quarter_roman(ctx.quarter)} Tahun {ctx.year}"
    book.set_properties(
        {
            "title": f"Formulir Realisasi Kinerja {ctx.unit.name} {period}",
            "subject": "Pengumpulan Data Kinerja (SOP P-SEK-KP-09)",
            "author": ctx.agency_name,
            "company": ctx.agency_name,
            "keywords": "realisasi, kinerja, triwulan",
            "comments": f"Isi sel berwarna {INPUT_COLOUR}, lalu kirim kembali ke bot.",
        }
    )
    styles = _styles(book)
    header = escape_hf(f"{ctx.unit.name} — {period}")
    _petunjuk(book.add_worksheet(PETUNJUK), ctx, period, styles)
    _realisasi(book.add_worksheet(REALISASI), ctx, styles)
    _anggaran(book.add_worksheet(ANGGARAN), ctx, styles)
    _catatan(book.add_worksheet(CATATAN), ctx, styles)
    for sheet in book.worksheets()[:4]:
        print_setup(sheet, escape_hf(ctx.agency_name), header)
    meta = book.add_worksheet(META)
    for row, (name, value) in enumerate(meta_rows(ctx)):
        meta.write_string(row, 0, name)
        meta.write_string(row, 1, value)
    meta.protect()
    meta.very_hidden()  # not even listed under Excel's "Unhide"
    book.close()
    return buffer.getvalue()


def _styles(book: xlsxwriter.Workbook) -> dict[str, Format]:
    yellow = INPUT_FILL
    return {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "label": book.add_format({"bold": True, "valign": "top"}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
        "head": book.add_format(HEADER_STYLE),
        "text": book.add_format({"text_wrap": True, "valign": "top", "border": 1}),
        "num": book.add_format({"valign": "top", "border": 1}),
        "rp": book.add_format({"num_format": "#,##0", "valign": "top", "border": 1}),
        "in_num": book.add_format(
            {"locked": False, "bg_color": yellow, "border": 1, "valign": "top"}
        ),
        "in_rp": book.add_format(
            {
                "locked": False,
                "bg_color": yellow,
                "border": 1,
                "num_format": "#,##0",
                "valign": "top",
            }
        ),
        "in_text": book.add_format(
            {"locked": False, "bg_color": yellow, "border": 1, "text_wrap": True, "valign": "top"}
        ),
    }


def _petunjuk(sheet: Worksheet, ctx: TemplateContext, period: str, s: dict[str, Format]) -> None:
    widths = (18, 80)  # portrait on Folio or A4: about 100 characters across
    sheet.write_string(0, 0, "Formulir Realisasi Kinerja", s["title"])
    sheet.set_row(0, 21)
    for row, (label, value) in enumerate(
        (("Perangkat Daerah", ctx.agency_name), ("Unit Kerja", ctx.unit.name), ("Periode", period)),
        2,
    ):
        sheet.write_string(row, 0, label, s["label"])
        sheet.write_string(row, 1, value, s["wrap"])
        sheet.set_row(row, row_height([(label, widths[0]), (value, widths[1])]))
    sheet.write_string(6, 0, "Cara mengisi", s["label"])
    for row, (number, step) in enumerate(enumerate(petunjuk_steps(), 1), 7):
        sheet.write_string(row, 0, f"{number}.", s["label"])
        sheet.write_string(row, 1, step, s["wrap"])
        sheet.set_row(row, row_height([(step, widths[1])]))
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.set_portrait()
    sheet.protect("", _PROTECTION)


def _hierarchy(ctx: TemplateContext) -> dict[str, str]:
    """Activity code → "Program › Kegiatan › Sub Kegiatan" (names, top first)."""
    by_code = {a.code: a for a in ctx.activities}
    labels: dict[str, str] = {}
    for code in by_code:
        chain: list[str] = []
        seen: set[str] = set()
        current: str | None = code
        # ``seen`` guards against a catalogue whose parents loop.
        while current is not None and current in by_code and current not in seen:
            seen.add(current)
            chain.append(by_code[current].name)
            current = by_code[current].parent_code
        labels[code] = " › ".join(reversed(chain))
    return labels


def _runs(kinds: list[str]) -> Iterator[tuple[int, int, str]]:
    """Consecutive equal kinds as (first index, last index, kind)."""
    start = 0
    for index in range(1, len(kinds) + 1):
        if index == len(kinds) or kinds[index] != kinds[start]:
            yield start, index - 1, kinds[start]
            start = index


def _write_number(
    sheet: Worksheet, row: int, col: int, value: Decimal | None, style: Format
) -> None:
    if value is None:
        sheet.write_blank(row, col, None, style)
    else:
        sheet.write_number(row, col, float(value), style)


def _layout(
    sheet: Worksheet, headers: tuple[str, ...], widths: tuple[int, ...], freeze_col: int
) -> None:
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.set_row(0, row_height(zip(headers, widths, strict=False), 2 * LINE_PT + 2))
    sheet.freeze_panes(1, freeze_col)
    sheet.repeat_rows(0)
    sheet.set_landscape()
    sheet.set_column(len(headers) - 1, len(headers) - 1, None, None, {"hidden": True})
    sheet.protect("", _PROTECTION)


def _kind(indicator: Indicator) -> str:
    """Which input message an indicator's value cell shows."""
    if indicator.is_percentage:
        return "percent"
    return "count" if indicator.is_count else "number"


_VALUE_HELP = {
    "percent": (
        "Realisasi (persen)",
        "Angka 0 sampai 100, mis. 75,5 atau 75,5%. Desimal memakai koma.",
    ),
    "count": ("Realisasi (bilangan bulat)", "Bilangan bulat tidak negatif, mis. 120."),
    "number": (
        "Realisasi",
        "Angka tidak negatif, mis. 12,5 atau 1.250.000. Desimal memakai koma, ribuan titik.",
    ),
}
_CHECKED_BY_BOT = " Bot memeriksa setiap isian saat berkas dikirim."


def _realisasi(sheet: Worksheet, ctx: TemplateContext, s: dict[str, Format]) -> None:
    widths = (5, 12, 32, 40, 10, 8, 12, 12, 13, 14, 36)
    for col, header in enumerate(REALISASI_HEADERS):
        sheet.write_string(0, col, header, s["head"])
    labels = _hierarchy(ctx)
    for row, indicator in enumerate(ctx.indicators, 1):
        label = labels.get(indicator.activity_code, "")
        sheet.write_number(row, 0, row, s["num"])
        sheet.write_string(row, 1, indicator.code, s["text"])
        sheet.write_string(row, 2, label, s["text"])
        sheet.write_string(row, 3, indicator.name, s["text"])
        sheet.write_string(row, 4, indicator.satuan, s["text"])
        sheet.write_string(row, 5, indicator.direction.value, s["text"])
        _write_number(sheet, row, 6, indicator.target_annual, s["num"])
        _write_number(sheet, row, 7, indicator.targets_q[ctx.quarter - 1], s["num"])
        _write_number(sheet, row, 8, ctx.previous.get(indicator.code), s["num"])
        _write_number(sheet, row, VALUE_COL, ctx.current.get(indicator.code), s["in_num"])
        sheet.write_blank(row, EXPLAIN_COL, None, s["in_text"])
        sheet.write_string(row, KEY_COL, indicator_key(ctx, indicator))
        sheet.set_row(
            row,
            row_height(
                [
                    (indicator.code, widths[1]),
                    (label, widths[2]),
                    (indicator.name, widths[3]),
                    (indicator.satuan, widths[4]),
                ]
            ),
        )
    # One validation per run of like rows keeps a 1,000-row template small and quick to open.
    kinds = [_kind(i) for i in ctx.indicators]
    for first, last, kind in _runs(kinds):
        title, message = _VALUE_HELP[kind]
        sheet.data_validation(
            first + 1, VALUE_COL, last + 1, VALUE_COL, _input_rule(title, message)
        )
    if ctx.indicators:
        sheet.data_validation(1, EXPLAIN_COL, len(ctx.indicators), EXPLAIN_COL, _text_rule())
    _layout(sheet, REALISASI_HEADERS, widths, 4)


def _anggaran(sheet: Worksheet, ctx: TemplateContext, s: dict[str, Format]) -> None:
    widths = (22, 48, 18, 20, 20)
    for col, header in enumerate(ANGGARAN_HEADERS):
        sheet.write_string(0, col, header, s["head"])
    for row, sub in enumerate(ctx.subs, 1):
        spent = ctx.budget_spent_before.get(sub.code, Decimal(0))
        sheet.write_string(row, 0, sub.code, s["text"])
        sheet.write_string(row, 1, sub.name, s["text"])
        _write_number(sheet, row, 2, sub.pagu, s["rp"])
        _write_number(sheet, row, 3, spent, s["rp"])
        _write_number(sheet, row, BUDGET_COL, ctx.budget_current.get(sub.code), s["in_rp"])
        sheet.write_string(row, BUDGET_KEY_COL, budget_key(ctx, sub))
        sheet.set_row(row, row_height([(sub.code, widths[0]), (sub.name, widths[1])]))
        if sub.pagu is None:
            message = "Rupiah tidak negatif, mis. 1.250.000 atau Rp1.250.000."
        else:
            left = max(sub.pagu - spent, Decimal(0))
            message = f"0 sampai {format_rupiah(left)}, mis. 1.250.000 atau Rp1.250.000."
        sheet.data_validation(row, BUDGET_COL, row, BUDGET_COL, _input_rule("Sisa pagu", message))
    _layout(sheet, ANGGARAN_HEADERS, widths, 2)


def _catatan(sheet: Worksheet, ctx: TemplateContext, s: dict[str, Format]) -> None:
    widths = (24, 90)
    for col, header in enumerate(CATATAN_HEADERS):
        sheet.write_string(0, col, header, s["head"])
    for row, (name, label) in enumerate(NOTE_FIELDS, 1):
        sheet.write_string(row, 0, label, s["text"])
        text = ctx.notes.get(name, "")[:MAX_TEXT_CHARS]
        if text:
            sheet.write_string(row, NOTE_COL, text, s["in_text"])
        else:
            sheet.write_blank(row, NOTE_COL, None, s["in_text"])
        sheet.write_string(row, NOTE_KEY_COL, note_key(ctx, name))
        # Room to type (six lines), or more for a note already written.
        sheet.set_row(row, row_height([(label, widths[0]), (text, widths[1])], 6 * LINE_PT))
    for row, (rec_id, question, answer) in enumerate(ctx.follow_ups, len(NOTE_FIELDS) + 1):
        sheet.write_string(row, 0, question[:MAX_TEXT_CHARS], s["text"])
        if answer:
            sheet.write_string(row, NOTE_COL, answer[:MAX_TEXT_CHARS], s["in_text"])
        else:
            sheet.write_blank(row, NOTE_COL, None, s["in_text"])
        sheet.write_string(row, NOTE_KEY_COL, follow_up_key(ctx, rec_id))
        sheet.set_row(row, row_height([(question, widths[0]), (answer, widths[1])], 6 * LINE_PT))
    last = len(NOTE_FIELDS) + len(ctx.follow_ups)
    sheet.data_validation(1, NOTE_COL, last, NOTE_COL, _text_rule())
    _layout(sheet, CATATAN_HEADERS, widths, 0)


def _input_rule(title: str, message: str) -> dict[str, Any]:
    """An input cell's help, shown when it is selected; it refuses nothing.

    Why not Excel's "decimal" validation: it judges typed text by the program's own locale.
    In an English Excel "12,5" stays text and is refused, in an Indonesian one "12.5" is; so
    no single way of typing would pass both, and the Petunjuk could not give one. The bot
    reads every cell itself (a number, a percent-formatted number, or Indonesian text) and
    reports each problem with its sheet, row and column, so the file only guides.
    """
    return {
        "validate": "any",
        "input_title": title[:32],
        "input_message": (message + _CHECKED_BY_BOT)[:255],
    }


def _text_rule() -> dict[str, Any]:
    return {
        "validate": "length",
        "criteria": "<=",
        "value": MAX_TEXT_CHARS,
        "error_title": "Teks terlalu panjang",
        "error_message": f"Paling banyak {format_number(MAX_TEXT_CHARS)} karakter.",
    }
