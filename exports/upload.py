"""Reading a filled template sent back in chat: refuse the whole file, or report every cell.

A file is refused whole (nothing saved) when it is not our .xlsx, is too large, is broken or
unpacks to far more than it weighs, or belongs to another unit, another period or a reshaped
template. Otherwise every input cell is checked with ``bot.checks``, exactly as a chat answer
is, and each problem is reported with its sheet, row and column.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import openpyxl
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from bot.checks import Hard, Soft, check_budget_cell, check_cell_value
from bot.numbers_format import format_number, format_quantity
from bot.numbers_parse import ParsedNumber
from bot.texts.quarter import hard_short
from exports.screen import (
    Refusal,
    Refused,
    check_container,
    refused_by_parser,
)
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
from exports.upload_own import with_own_figures

log = logging.getLogger(__name__)

MAX_SHOWN_CHARS = 60
EXPLANATION_WITHOUT_VALUE = "penjelasan diisi tetapi realisasi kosong"


@dataclass(frozen=True)
class UploadProblem:
    """A cell that cannot be saved: where it is (spreadsheet row, column header) and why."""

    sheet: str
    row: int | None
    column: str | None
    value: str
    reason: str


@dataclass(frozen=True)
class UploadedValue:
    """An indicator's realisation read from the file, with its soft-check flags."""

    indicator_code: str
    value: Decimal
    explanation: str
    soft: tuple[Soft, ...] = ()


@dataclass(frozen=True)
class UploadedBudget:
    """A sub kegiatan's budget spent this quarter, read from the file."""

    sub_code: str
    value: Decimal


@dataclass(frozen=True)
class UploadResult:
    """What an upload would save (filled cells only), and why it cannot, if it cannot."""

    ok: bool
    refusal: Refusal | None = None
    values: tuple[UploadedValue, ...] = ()
    budgets: tuple[UploadedBudget, ...] = ()
    notes: Mapping[str, str] = field(default_factory=dict)
    problems: tuple[UploadProblem, ...] = ()
    follow_ups: Mapping[int, str] = field(default_factory=dict)  # recommendation id -> answer


def parse_upload(data: bytes, *, filename: str, ctx: TemplateContext) -> UploadResult:
    """Check a filled template against the unit's current form; nothing here saves anything."""
    try:
        check_container(data, filename)
        return _read(data, ctx)
    except Refused as refused:
        return UploadResult(ok=False, refusal=refused.refusal)


def _read(data: bytes, ctx: TemplateContext) -> UploadResult:
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types on a damaged file; all mean "broken"
        if refused_by_parser(exc):
            # The screen reads every part's prologue; the parser refuses what slips by.
            raise Refused(Refusal.DTD) from None
        log.info("upload for unit %s period %s unreadable: %r", ctx.unit.code, ctx.period_id, exc)
        raise Refused(Refusal.CORRUPT) from None
    try:
        _check_meta(book, ctx)
        reader = _Reader(ctx)
        reader.realisasi(_rows(book, REALISASI, REALISASI_HEADERS))
        reader.anggaran(_rows(book, ANGGARAN, ANGGARAN_HEADERS))
        reader.catatan(_rows(book, CATATAN, CATATAN_HEADERS))
        reader.values = with_own_figures(ctx, reader.values, reader.budgets)
    except Refused:
        raise
    except Exception as exc:  # a part that loaded but does not parse
        if refused_by_parser(exc):  # a sheet is parsed only as it is read
            raise Refused(Refusal.DTD) from None
        log.info("upload for unit %s period %s broken: %r", ctx.unit.code, ctx.period_id, exc)
        raise Refused(Refusal.CORRUPT) from None
    finally:
        book.close()
    return UploadResult(
        ok=not reader.problems,
        refusal=None,
        values=tuple(reader.values),
        budgets=tuple(reader.budgets),
        notes=reader.notes,
        problems=tuple(reader.problems),
        follow_ups=reader.follow_ups,
    )


def _check_meta(book: Any, ctx: TemplateContext) -> None:
    """Our template, this unit's, this period's, and with the rows the form has now."""
    if META not in book.sheetnames:
        raise Refused(Refusal.NOT_A_TEMPLATE)
    found: dict[str, str] = {}
    for row in book[META].iter_rows(min_row=1, max_row=50, max_col=2, values_only=True):
        if len(row) >= 2 and row[0] is not None:
            found[str(row[0]).strip()] = "" if row[1] is None else str(row[1]).strip()
    expected = dict(meta_rows(ctx))
    if found.get("template") != expected["template"]:
        raise Refused(Refusal.NOT_A_TEMPLATE)
    if found.get("format") != expected["format"]:
        raise Refused(Refusal.OLD_FORMAT)  # downloaded before the form itself changed
    if found.get("unit_code") != expected["unit_code"]:
        raise Refused(Refusal.OTHER_UNIT)
    if any(found.get(name) != expected[name] for name in ("period_id", "year", "quarter")):
        raise Refused(Refusal.OTHER_PERIOD)
    # A catalogue change since the download also lands here: the file no longer fits the form.
    if found.get("fingerprint") != expected["fingerprint"]:
        raise Refused(Refusal.STRUCTURE_CHANGED)


def _rows(book: Any, name: str, headers: tuple[str, ...]) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The data rows of a sheet as (spreadsheet row number, cells), after checking its header."""
    if name not in book.sheetnames:
        raise Refused(Refusal.STRUCTURE_CHANGED)
    sheet = book[name]
    # Some programs write a wrong <dimension>; reading to the real end is safe under the caps.
    sheet.reset_dimensions()
    width = len(headers)
    header_seen = False
    # Cells, not values only: a cell's number format tells a percent typed "75,5 %" (stored
    # 0.755) from a plain 0,755, and read-only mode keeps the format.
    for number, row_cells in enumerate(sheet.iter_rows(), 1):
        cells = tuple(_cell_value(cell) for cell in row_cells)
        if any(not _blank(c) for c in cells[width:]):
            raise Refused(Refusal.STRUCTURE_CHANGED)  # something beyond the last column
        row = tuple(cells[:width]) + (None,) * (width - len(cells))
        if number == 1:
            if tuple(_text(c) for c in row) != headers:
                raise Refused(Refusal.STRUCTURE_CHANGED)
            header_seen = True
            continue
        yield number, row
    if not header_seen:
        raise Refused(Refusal.STRUCTURE_CHANGED)


class _Reader:
    """Walks the three input sheets, collecting values, notes and problems."""

    def __init__(self, ctx: TemplateContext) -> None:
        self.ctx = ctx
        self.values: list[UploadedValue] = []
        self.budgets: list[UploadedBudget] = []
        self.notes: dict[str, str] = {}
        self.follow_ups: dict[int, str] = {}
        self.problems: list[UploadProblem] = []

    def problem(self, sheet: str, row: int, column: str, raw: object, reason: str) -> None:
        self.problems.append(UploadProblem(sheet, row, column, _shown(raw), reason))

    def realisasi(self, rows: Iterator[tuple[int, tuple[Any, ...]]]) -> None:
        """One row per indicator, in the form's order, each with its own key."""
        ctx = self.ctx
        value_header = REALISASI_HEADERS[VALUE_COL]
        explain_header = REALISASI_HEADERS[EXPLAIN_COL]
        keyed = _keyed(rows, KEY_COL, [indicator_key(ctx, i) for i in ctx.indicators])
        for indicator, (number, row) in zip(ctx.indicators, keyed, strict=True):
            raw = _formula_text(row[VALUE_COL])
            explanation = _note(row[EXPLAIN_COL])
            if _blank(raw):
                if explanation:
                    self.problem(REALISASI, number, explain_header, "", EXPLANATION_WITHOUT_VALUE)
                continue
            result = check_cell_value(raw, indicator, ctx.quarter, ctx.previous.get(indicator.code))
            if result.hard is Hard.EMPTY:
                continue
            if result.hard is not None or result.value is None:
                reason = hard_short(result.hard or Hard.NOT_A_NUMBER, result.suggestions)
                self.problem(REALISASI, number, value_header, raw, reason)
                continue
            self.values.append(
                UploadedValue(indicator.code, result.value, explanation, tuple(result.soft))
            )

    def anggaran(self, rows: Iterator[tuple[int, tuple[Any, ...]]]) -> None:
        """One row per sub kegiatan; the year's spending may not pass the pagu."""
        ctx = self.ctx
        subs = ctx.subs
        header = ANGGARAN_HEADERS[BUDGET_COL]
        keyed = _keyed(rows, BUDGET_KEY_COL, [budget_key(ctx, s) for s in subs])
        for sub, (number, row) in zip(subs, keyed, strict=True):
            raw = _formula_text(row[BUDGET_COL])
            if _blank(raw):
                continue
            spent = ctx.budget_spent_before.get(sub.code, Decimal(0))
            result = check_budget_cell(raw, sub.pagu, spent)
            if result.hard is Hard.EMPTY:
                continue
            if result.hard is not None or result.value is None:
                reason = hard_short(result.hard or Hard.NOT_A_NUMBER, result.suggestions)
                self.problem(ANGGARAN, number, header, raw, reason)
                continue
            self.budgets.append(UploadedBudget(sub.code, result.value))

    def catatan(self, rows: Iterator[tuple[int, tuple[Any, ...]]]) -> None:
        """The notes: text as typed (a leading "=" included), stripped and capped."""
        ctx = self.ctx
        keys = [note_key(ctx, name) for name, _ in NOTE_FIELDS]
        keys += [follow_up_key(ctx, rec_id) for rec_id, _, _ in ctx.follow_ups]
        keyed = _keyed(rows, NOTE_KEY_COL, keys)
        for (name, label), (_, row) in zip(NOTE_FIELDS, keyed[: len(NOTE_FIELDS)], strict=True):
            if _text(row[0]) != label:
                raise Refused(Refusal.STRUCTURE_CHANGED)
            text = _note(row[NOTE_COL])
            if text:
                self.notes[name] = text
        # the carried recommendations' rows follow the notes (their keys were checked above)
        for (rec_id, _, _), (_, row) in zip(ctx.follow_ups, keyed[len(NOTE_FIELDS) :], strict=True):
            text = _note(row[NOTE_COL])
            if text:
                self.follow_ups[rec_id] = text


def _keyed(
    rows: Iterator[tuple[int, tuple[Any, ...]]], key_col: int, keys: list[str]
) -> list[tuple[int, tuple[Any, ...]]]:
    """The rows, checked to carry exactly ``keys`` in order (trailing blank rows allowed)."""
    found: list[tuple[int, tuple[Any, ...]]] = []
    for number, row in rows:
        if all(_blank(c) for c in row):
            continue  # a blank row after the last is how some programs end a sheet
        if len(found) == len(keys) or _text(row[key_col]) != keys[len(found)]:
            raise Refused(Refusal.STRUCTURE_CHANGED)
        found.append((number, row))
    if len(found) != len(keys):
        raise Refused(Refusal.STRUCTURE_CHANGED)
    return found


def _cell_value(cell: Any) -> object:
    """A cell's value as the person typed it: a number shown as a percent is that percent.

    Excel and LibreOffice store "75,5 %" typed into a cell as 0.755 with a percent number
    format; reading the bare 0.755 would save 0,755 % (a silent factor of 100). The result is
    a :class:`ParsedNumber` marked as a percent, which the checks treat as "75,5 %" typed in chat.
    """
    value = cell.value
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and _is_percent_format(getattr(cell, "number_format", None))
    ):
        shown = Decimal(repr(float(value))) * 100
        if not shown.is_finite():
            return value
        # 0.755 * 100 is 75.500: keep the digits a person typed, and a whole number whole.
        whole = shown == shown.to_integral_value()
        return ParsedNumber(shown.quantize(Decimal(1)) if whole else shown.normalize(), True)
    return value


def _is_percent_format(number_format: object) -> bool:
    """Whether a number format scales by 100: a bare ``%`` (not quoted, not escaped)."""
    if not isinstance(number_format, str) or "%" not in number_format:
        return False
    bare = re.sub(r'"[^"]*"|\\.', "", number_format)
    return "%" in bare


def _formula_text(value: object) -> object:
    """An array or data-table formula as "=..." text, so that the checks see a formula."""
    if isinstance(value, ArrayFormula):
        return value.text if isinstance(value.text, str) else "="
    if isinstance(value, DataTableFormula):
        return f"=TABLE({value.r1 or ''},{value.r2 or ''})"
    return value


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _note(value: object) -> str:
    """A free-text cell as plain text: a number as typed, a formula as its text, capped."""
    value = _formula_text(value)
    if isinstance(value, ParsedNumber):
        return format_quantity(value.value, "%")
    if isinstance(value, float):
        value = format_number(Decimal(repr(value)))
    return _text(value)[:MAX_TEXT_CHARS]


def _shown(raw: object) -> str:
    """What a person typed, for a problem line."""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"  # as the spreadsheet shows it
    if isinstance(raw, ParsedNumber):
        return format_quantity(raw.value, "%")  # a percent cell, as EYD V writes it
    if isinstance(raw, float | int):
        try:
            return format_number(Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw))
        except (ArithmeticError, ValueError):
            return str(raw)
    text = _text(raw)
    return text if len(text) <= MAX_SHOWN_CHARS else text[: MAX_SHOWN_CHARS - 1] + "…"
