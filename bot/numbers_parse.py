"""Reading a number typed the Indonesian way (PRODUCT.md, The numbers). Pure.

Parsing rests on Babel's strict Indonesian parser (``,`` decimal, ``.`` thousands), with the
marks people type around a number (``Rp``, ``%``, a sign, spaces) taken off first. Where
Babel refuses, three rules decide, none of them a guess:

* a single dot followed by one, two, or four or more digits (``75.5``, ``12.25``,
  ``3.14159``) cannot be an Indonesian thousands separator, so it is a decimal point;
* an English-style grouped number (``1,250,000`` or ``1,250.5``) has one reading, but it is
  not Indonesian notation, and the same writer's ``1,250`` would silently mean 1,25: it is
  asked back (``AMBIGUOUS``) with that reading as the only suggestion;
* anything else Babel has suggestions for (``0.500``: 500 or 0,5) is ``AMBIGUOUS`` with them.

Only ASCII digits are read: fullwidth or Arabic-Indic digits are ``NOT_A_NUMBER`` (asked back
rather than normalised, since no keyboard used here produces them by accident). Spaces may
group thousands (``1 250 000``) but only in exact groups of three.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from babel.numbers import NumberFormatError, parse_decimal

MAX_INPUT_CHARS = 40  # longer than any real figure ("Rp 999.999.999.999.999,99" is 25)
_MAX_RAW_CHARS = 400  # refuse before normalising, so a pasted essay costs nothing

# Unicode spaces (NBSP, thin, narrow NBSP...) are all ``\s``; zero-width marks are not,
# and come with copied text (bidi marks from right-to-left keyboards too), so they are
# dropped. Dashes that phones offer as minus unify.
_INVISIBLE = dict.fromkeys(
    map(
        ord,
        "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"
        "\u2066\u2067\u2068\u2069",
    )
)
_MINUS = dict.fromkeys(map(ord, "\u2212\u2012\u2013\ufe63"), "-")
_SPACES = re.compile(r"\s+")
_TOKENS = re.compile(
    r"(?P<sign1>[+-])? ?(?P<rp>rp\.?|idr)? ?(?P<sign2>[+-])? ?"
    r"(?P<num>[0-9.,][0-9., ]*?)(?P<dash>[.,]-)? ?(?P<pct>%)?",
    re.ASCII | re.IGNORECASE,
)
_SPACE_GROUPED = re.compile(r"[0-9]{1,3}(?: [0-9]{3})+(?:,[0-9]+)?", re.ASCII)
_DOT_DECIMAL = re.compile(r"[0-9]*\.(?:[0-9]{1,2}|[0-9]{4,})", re.ASCII)
_ENGLISH = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?", re.ASCII)


class NumberProblem(StrEnum):
    """Why a text is not a usable number."""

    EMPTY = "empty"
    NOT_A_NUMBER = "not_a_number"
    AMBIGUOUS = "ambiguous"  # ``suggestions`` holds the readings to offer
    NEGATIVE = "negative"
    TWO_VALUES = "two_values"  # "75 80", "4.950.000 Rp 4.950.000": two numbers in one answer


class NumberInputError(ValueError):
    """A typed text that is not a number we accept; ``problem`` says why."""

    def __init__(
        self, problem: NumberProblem, text: str, suggestions: Sequence[Decimal] = ()
    ) -> None:
        super().__init__(f"{problem.value}: {text[:60]!r}")
        self.problem = problem
        self.text = text
        self.suggestions: tuple[Decimal, ...] = tuple(suggestions)


@dataclass(frozen=True, slots=True)
class ParsedNumber:
    """A parsed value and the marks typed around it."""

    value: Decimal
    percent: bool = False  # a % sign was typed
    currency: bool = False  # Rp (or IDR) was typed


def parse_number(text: str, *, allow_negative: bool = False) -> ParsedNumber:
    """Read a number typed the Indonesian way: ``12,5``, ``1.250.000``, ``Rp 1.250``, ``75 %``."""
    try:
        return _parse_one(text, allow_negative)
    except NumberInputError as exc:
        if exc.problem is NumberProblem.NOT_A_NUMBER and _several(exc.text, allow_negative):
            raise NumberInputError(NumberProblem.TWO_VALUES, exc.text) from None
        raise


def _several(text: str, allow_negative: bool) -> bool:
    """Whether ``text`` is two or more numbers side by side (an Rp before or a % after each
    kept with it), each of which would have been read on its own."""
    words = _normalise(text).split(" ")
    groups: list[str] = []
    for word in words:
        if groups and (word == "%" or groups[-1].lower().rstrip(".") in ("rp", "idr")):
            groups[-1] += " " + word
        else:
            groups.append(word)
    if not 2 <= len(groups) <= 4:
        return False
    for group in groups:
        try:
            _parse_one(group, allow_negative)
        except NumberInputError as exc:
            if exc.problem is not NumberProblem.AMBIGUOUS:
                return False
    return True


def _parse_one(text: str, allow_negative: bool) -> ParsedNumber:
    original = text if isinstance(text, str) else ""
    if len(original) > _MAX_RAW_CHARS:
        raise NumberInputError(NumberProblem.NOT_A_NUMBER, original)
    cleaned = _normalise(original)
    if not cleaned:
        raise NumberInputError(NumberProblem.EMPTY, original)
    if len(cleaned) > MAX_INPUT_CHARS:
        raise NumberInputError(NumberProblem.NOT_A_NUMBER, original)
    match = _TOKENS.fullmatch(cleaned)
    if match is None or (match["sign1"] and match["sign2"]) or (match["rp"] and match["pct"]):
        raise NumberInputError(NumberProblem.NOT_A_NUMBER, original)
    readings, confirm = _read(match["num"].strip(), original)
    negative = (match["sign1"] or match["sign2"]) == "-"
    if negative and any(readings):
        if not allow_negative:
            raise NumberInputError(NumberProblem.NEGATIVE, original)
        readings = tuple(-r for r in readings)
    if confirm or len(readings) != 1:
        raise NumberInputError(NumberProblem.AMBIGUOUS, original, readings)
    # "-0" and "0" are the same figure; never hand out a signed zero.
    value = abs(readings[0]) if readings[0] == 0 else readings[0]
    return ParsedNumber(value, percent=bool(match["pct"]), currency=bool(match["rp"]))


def _normalise(text: str) -> str:
    """One ASCII space for any run of spaces, ASCII minus, no invisible marks, trimmed."""
    text = text.translate(_INVISIBLE).translate(_MINUS)
    return _SPACES.sub(" ", text).strip()


def _read(num: str, original: str) -> tuple[tuple[Decimal, ...], bool]:
    """The reading(s) of the bare number, and whether even a single one must be confirmed."""
    if " " in num:
        if not _SPACE_GROUPED.fullmatch(num):
            raise NumberInputError(NumberProblem.NOT_A_NUMBER, original)
        num = num.replace(" ", ".")
    if len(num) > 1 and num[-1] in ".," and num[-2].isdigit():
        num = num[:-1]  # "10." and "1.250.000," are the same numbers without the stray mark
    if not any(c.isdigit() for c in num):
        raise NumberInputError(NumberProblem.NOT_A_NUMBER, original)
    try:
        value = parse_decimal(num, locale="id", strict=True)
    except NumberFormatError as exc:
        suggestions = getattr(exc, "suggestions", None) or []
    else:
        if value.is_finite():
            return (value,), False
        raise NumberInputError(NumberProblem.NOT_A_NUMBER, original)
    if _DOT_DECIMAL.fullmatch(num):
        return (Decimal("0" + num),), False
    if _ENGLISH.fullmatch(num):
        return (Decimal(num.replace(",", "")),), True
    readings: list[Decimal] = []
    for suggestion in suggestions:
        try:
            reading = parse_decimal(suggestion, locale="id", strict=True)
        except (NumberFormatError, InvalidOperation, ValueError):
            continue
        if reading.is_finite() and reading not in readings:
            readings.append(reading)
    if not readings:
        raise NumberInputError(NumberProblem.NOT_A_NUMBER, original)
    return tuple(readings), True
