"""Indonesian numbers, capaian and predikat (PRODUCT.md, The numbers). Pure.

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
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from enum import StrEnum
from functools import cache

from babel import Locale
from babel.numbers import NumberFormatError, NumberPattern, parse_decimal, parse_pattern

from bot.model import Aggregation, Direction, Indicator

MAX_INPUT_CHARS = 40  # longer than any real figure ("Rp 999.999.999.999.999,99" is 25)
_MAX_RAW_CHARS = 400  # refuse before normalising, so a pasted essay costs nothing
HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")
DASH = "–"  # shown for a missing number
_MAX_SHOWN_DECIMALS = 10

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


def capaian(
    realisasi: Decimal | None, target: Decimal | None, direction: Direction
) -> Decimal | None:
    """Achievement in percent, uncapped; None without a realisasi or a positive target."""
    # A negative target has no meaningful ratio either, so it is treated like a missing one.
    if realisasi is None or target is None or target <= 0:
        return None
    if direction is Direction.UP:
        return realisasi * HUNDRED / target
    return max(Decimal(0), (2 * target - realisasi) * HUNDRED / target)


class Predikat(StrEnum):
    """Category of a capaian (Permendagri 86/2017)."""

    SANGAT_TINGGI = "Sangat Tinggi"
    TINGGI = "Tinggi"
    SEDANG = "Sedang"
    RENDAH = "Rendah"
    SANGAT_RENDAH = "Sangat Rendah"


# Read as lower bounds so that no value falls in the regulation's gaps (90,50 is Tinggi).
_BOUNDS = (
    (Decimal(91), Predikat.SANGAT_TINGGI),
    (Decimal(76), Predikat.TINGGI),
    (Decimal(66), Predikat.SEDANG),
    (Decimal(51), Predikat.RENDAH),
)


def round2(value: Decimal) -> Decimal:
    """Half-up to two decimals, the precision capaian is judged and shown at."""
    if value.is_finite() and value.adjusted() < 24:
        # Fits the default 28-digit context: a report rounds tens of thousands of these,
        # and a local context per call costs more than the rounding.
        return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    with localcontext() as ctx:
        ctx.prec = max(28, value.adjusted() + 4)
        return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def predikat(capaian: Decimal | None) -> Predikat | None:
    """The predikat of a capaian rounded half-up to two decimals; None without a capaian."""
    if capaian is None or not capaian.is_finite():
        return None
    rounded = round2(capaian)
    for bound, category in _BOUNDS:
        if rounded >= bound:
            return category
    return Predikat.SANGAT_RENDAH


def count_predikat(capaian_values: Iterable[Decimal | None]) -> dict[Predikat, int]:
    """How many capaian fall in each predikat (every predikat present, missing ones skipped)."""
    counts = Counter(p for p in map(predikat, capaian_values) if p is not None)
    return {p: counts.get(p, 0) for p in Predikat}


def mean(values: Iterable[Decimal | None]) -> Decimal | None:
    """Plain mean of the values that exist; None if none do."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    return sum(present, Decimal(0)) / len(present)


def _check_quarter(quarter: int) -> None:
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"triwulan must be 1..4, not {quarter!r}")


def value_to_date(
    quarter_values: Sequence[Decimal | None], aggregation: Aggregation, quarter: int
) -> Decimal | None:
    """The figure s.d. triwulan: sum of quarters 1..quarter (jumlah) or the quarter's own (posisi).

    For ``jumlah`` a missing quarter makes the figure incomplete: None, never a sum that reads
    the missing quarter as 0 (a period opened at Triwulan II without Triwulan I's figures
    would otherwise look half achieved). For ``posisi`` an unfilled quarter gives None rather
    than an older quarter's value: a stale stock compared with this quarter's target would look
    like a real result.
    """
    _check_quarter(quarter)
    upto = list(quarter_values[:quarter]) + [None] * (quarter - len(quarter_values))
    if aggregation is Aggregation.SUM:
        if any(v is None for v in upto):
            return None
        return sum((v for v in upto if v is not None), Decimal(0))
    return upto[quarter - 1]


def target_to_date(indicator: Indicator, quarter: int) -> Decimal | None:
    """The target s.d. triwulan: the sum of quarterly targets (jumlah) or the quarter's (posisi).

    For ``jumlah`` a quarter without a target adds nothing; None only if none is set.
    """
    _check_quarter(quarter)
    targets = indicator.targets_q[:quarter]
    if indicator.aggregation is Aggregation.SUM:
        present = [t for t in targets if t is not None]
        return sum(present, Decimal(0)) if present else None
    return targets[quarter - 1] if len(targets) >= quarter else None


def annual_waits(indicator: Indicator, quarter: int) -> bool:
    """Whether the annual capaian waits for Triwulan IV: a lower-is-better ``jumlah``.

    Its year's flow is incomplete before Triwulan IV, and the inverse formula would read the
    few cases of one quarter against a whole year's target as an achievement (4 cases of a
    yearly 12 would be 167 %). Until then the capaian s.d. triwulan carries the predikat.
    """
    _check_quarter(quarter)
    return (
        indicator.direction is Direction.DOWN
        and indicator.aggregation is Aggregation.SUM
        and quarter < 4
    )


def annual_capaian(to_date: Decimal | None, indicator: Indicator, quarter: int) -> Decimal | None:
    """Capaian of the figure to date against the annual target; None without one, and None
    for an indicator whose annual capaian waits for Triwulan IV (:func:`annual_waits`)."""
    if annual_waits(indicator, quarter):
        return None
    return capaian(to_date, indicator.target_annual, indicator.direction)


def absorption(spent: Decimal | None, pagu: Decimal | None) -> Decimal | None:
    """Budget absorption in percent, uncapped; None without spending or a positive pagu."""
    if spent is None or pagu is None or pagu <= 0:
        return None
    return spent * HUNDRED / pagu


def _as_decimal(value: Decimal | float | int) -> Decimal | None:
    """A finite Decimal, or None; floats go through ``str`` so 0.1 stays 0.1."""
    if isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def format_number(value: Decimal | float | int | None, *, decimals: int | None = None) -> str:
    """``1250000.5`` → ``1.250.000,5``; fixed ``decimals`` when given; None → ``–``."""
    number = None if value is None else _as_decimal(value)
    if number is None:
        return DASH
    places = _MAX_SHOWN_DECIMALS if decimals is None else decimals
    if places < 0:
        raise ValueError("decimals must not be negative")
    # Babel rounds half-even inside a 28-digit context; round half-up ourselves, with room.
    with localcontext() as ctx:
        ctx.prec = max(28, number.adjusted() + places + 4)
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if number == 0:
            number = abs(number)  # no "-0"
        return _pattern(places, decimals is not None).apply(
            number, _INDONESIAN, decimal_quantization=False
        )


# Parsed once: format_decimal would look the locale up and parse the pattern on every call,
# which was most of the time a figure took to format (and a form shows many).
_INDONESIAN = Locale.parse("id_ID")


@cache
def _pattern(places: int, fixed: bool) -> NumberPattern:
    """``#,##0`` with ``places`` decimals, always shown when ``fixed``, else only when needed."""
    fraction = ("0" if fixed else "#") * places
    return parse_pattern("#,##0" + ("." + fraction if fraction else ""))


def format_rupiah(value: Decimal | float | int | None) -> str:
    """``Rp1.250.000``, or ``Rp1.250.000,50`` when there are cents (EYD V: no space after
    Rp); None → ``–``."""
    number = None if value is None else _as_decimal(value)
    if number is None:
        return DASH
    number = round2(number)
    whole = number == number.to_integral_value()
    return "Rp" + format_number(number, decimals=0 if whole else 2)


def format_percent(value: Decimal | float | int | None, *, decimals: int = 2) -> str:
    """``75,50%`` (EYD V: no space before %; two decimals, half-up); None → ``–``."""
    number = None if value is None else _as_decimal(value)
    if number is None:
        return DASH
    return format_number(number, decimals=decimals) + "%"


# Satuan that EYD V writes before the figure ("nilai 61,2", like "Rp8.470.000"): they name
# the measure rather than count things, so "61,2 nilai" reads as sixty-one "values".
_SATUAN_BEFORE = frozenset({"nilai", "indeks", "skor"})
_SATUAN_PERCENT = frozenset({"%", "persen", "persentase"})
_SATUAN_RUPIAH = frozenset({"rp", "rupiah"})


def satuan_first(satuan: str) -> bool:
    """Whether a satuan is written before its figure (nilai, indeks, skor)."""
    words = satuan.split()
    return bool(words) and words[0].lower() in _SATUAN_BEFORE


def with_satuan(figure: str, satuan: str) -> str:
    """An already formatted figure with its satuan where EYD V puts it: ``120 orang``,
    ``20%``, ``Rp8.470.000``, ``nilai 61,2``; a missing figure (``–``) stays bare."""
    words = " ".join(satuan.split())
    key = words.lower()
    if figure == DASH or not key:
        return figure
    if key in _SATUAN_RUPIAH:
        return "Rp" + figure
    if key in _SATUAN_PERCENT:
        return figure + "%"
    return f"{words} {figure}" if satuan_first(words) else f"{figure} {words}"


def format_quantity(value: Decimal | float | int | None, satuan: str) -> str:
    """A figure with its satuan as EYD V writes it: ``120 orang``, ``20%``, ``Rp8.470.000``,
    ``nilai 61,2``; None → ``–``. Plain text (the satuan comes from the catalogue: escape it)."""
    if value is None or _as_decimal(value) is None:
        return DASH
    if " ".join(satuan.split()).lower() in _SATUAN_RUPIAH:
        return format_rupiah(value)
    return with_satuan(format_number(value), satuan)


def quarter_roman(q: int) -> str:
    """Triwulan 1..4 as ``I`` … ``IV``."""
    _check_quarter(q)
    return ("I", "II", "III", "IV")[q - 1]
