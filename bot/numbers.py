"""Indonesian numbers, capaian and predikat (PRODUCT.md, The numbers). Pure.

Parsing rests on Babel's strict Indonesian parser (``,`` decimal, ``.`` thousands). One
deliberate extension: a single dot followed by one, two, or four and more digits (``75.5``)
cannot be a thousands separator, so it is read as a decimal point; only one reading exists,
so this is not a guess. Anything with two readings raises ``AMBIGUOUS`` with the readings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from babel.numbers import NumberFormatError, format_decimal, parse_decimal

from bot.model import Aggregation, Direction, Indicator

MAX_INPUT_CHARS = 40
HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f\u2007]+")
_CURRENCY = re.compile(r"^rp\.?", re.IGNORECASE)
_ALLOWED = re.compile(r"^[0-9.,]+$")
_DOT_DECIMAL = re.compile(r"^\d+\.(\d{1,2}|\d{4,})$")


class NumberProblem(StrEnum):
    """Why a text is not a usable number."""

    EMPTY = "empty"
    NOT_A_NUMBER = "not_a_number"
    AMBIGUOUS = "ambiguous"
    NEGATIVE = "negative"


class NumberInputError(ValueError):
    """A typed text that is not a number we accept."""

    def __init__(
        self, problem: NumberProblem, text: str, suggestions: Sequence[Decimal] = ()
    ) -> None:
        super().__init__(f"{problem}: {text!r}")
        self.problem = problem
        self.text = text
        self.suggestions = tuple(suggestions)


@dataclass(frozen=True, slots=True)
class ParsedNumber:
    """A parsed value and the marks typed around it."""

    value: Decimal
    percent: bool = False
    currency: bool = False


def parse_number(text: str, *, allow_negative: bool = False) -> ParsedNumber:
    """Read a number typed the Indonesian way: ``12,5``, ``1.250.000``, ``Rp 1.250.000``."""
    original = text
    cleaned = _SPACES.sub("", text or "")
    if not cleaned:
        raise NumberInputError(NumberProblem.EMPTY, original)
    if len(cleaned) > MAX_INPUT_CHARS:
        raise NumberInputError(NumberProblem.NOT_A_NUMBER, original)
    currency = bool(_CURRENCY.match(cleaned))
    cleaned = _CURRENCY.sub("", cleaned)
    percent = cleaned.endswith("%")
    cleaned = cleaned.rstrip("%")
    negative = False
    if cleaned[:1] in ("-", "\u2212"):
        negative, cleaned = True, cleaned[1:]
    elif cleaned[:1] == "+":
        cleaned = cleaned[1:]
    cleaned = cleaned.rstrip(".,") if re.search(r"\d[.,]$", cleaned) else cleaned
    if currency and cleaned.endswith(",-"):
        cleaned = cleaned[:-2]
    if not cleaned or not _ALLOWED.match(cleaned) or not cleaned[0].isdigit():
        raise NumberInputError(NumberProblem.NOT_A_NUMBER, original)
    value = _parse_plain(cleaned, original)
    if negative and value != 0:
        if not allow_negative:
            raise NumberInputError(NumberProblem.NEGATIVE, original)
        value = -value
    return ParsedNumber(value, percent, currency)


def _parse_plain(cleaned: str, original: str) -> Decimal:
    if _DOT_DECIMAL.match(cleaned):
        return Decimal(cleaned)
    try:
        value = parse_decimal(cleaned, locale="id", strict=True)
    except NumberFormatError as exc:
        suggestions = []
        for suggestion in getattr(exc, "suggestions", None) or []:
            try:
                suggestions.append(parse_decimal(suggestion, locale="id"))
            except (NumberFormatError, InvalidOperation):
                continue
        if suggestions:
            raise NumberInputError(NumberProblem.AMBIGUOUS, original, suggestions) from None
        raise NumberInputError(NumberProblem.NOT_A_NUMBER, original) from None
    if not value.is_finite():
        raise NumberInputError(NumberProblem.NOT_A_NUMBER, original)
    return value


def capaian(
    realisasi: Decimal | None, target: Decimal | None, direction: Direction
) -> Decimal | None:
    """Achievement in percent, uncapped; None when there is no target (never divides by 0)."""
    if realisasi is None or target is None or target == 0:
        return None
    if direction is Direction.UP:
        return realisasi / target * HUNDRED
    return max(Decimal(0), (2 * target - realisasi) / target * HUNDRED)


class Predikat(StrEnum):
    """Category of a capaian (Permendagri 86/2017)."""

    SANGAT_TINGGI = "Sangat Tinggi"
    TINGGI = "Tinggi"
    SEDANG = "Sedang"
    RENDAH = "Rendah"
    SANGAT_RENDAH = "Sangat Rendah"


_BOUNDS = (
    (Decimal(91), Predikat.SANGAT_TINGGI),
    (Decimal(76), Predikat.TINGGI),
    (Decimal(66), Predikat.SEDANG),
    (Decimal(51), Predikat.RENDAH),
)


def predikat(value: Decimal | None) -> Predikat | None:
    """The predikat of a capaian rounded half-up to two decimals; bounds are lower bounds."""
    if value is None:
        return None
    rounded = value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    for bound, category in _BOUNDS:
        if rounded >= bound:
            return category
    return Predikat.SANGAT_RENDAH


def mean(values: Iterable[Decimal | None]) -> Decimal | None:
    """Plain mean of the values that exist; None if none do."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    return sum(present, Decimal(0)) / len(present)


def value_to_date(
    quarter_values: Sequence[Decimal | None], aggregation: Aggregation, quarter: int
) -> Decimal | None:
    """The figure to date: sum of quarters for ``jumlah``, the quarter's own for ``posisi``."""
    upto = list(quarter_values[:quarter])
    if aggregation is Aggregation.SUM:
        present = [v for v in upto if v is not None]
        return sum(present, Decimal(0)) if present else None
    return upto[quarter - 1] if len(upto) >= quarter else None


def target_to_date(indicator: Indicator, quarter: int) -> Decimal | None:
    """The target to date: the sum of quarterly targets (jumlah) or the quarter's (posisi)."""
    targets = indicator.targets_q[:quarter]
    if indicator.aggregation is Aggregation.SUM:
        present = [t for t in targets if t is not None]
        return sum(present, Decimal(0)) if present else None
    return targets[quarter - 1]


def absorption(spent: Decimal | None, pagu: Decimal | None) -> Decimal | None:
    """Budget absorption in percent; None without a pagu."""
    if spent is None or pagu is None or pagu == 0:
        return None
    return spent / pagu * HUNDRED


def format_number(value: Decimal | float | int | None, *, decimals: int | None = None) -> str:
    """``1250000.5`` → ``1.250.000,5``; None → ``–``."""
    if value is None:
        return "–"
    number = Decimal(str(value))
    if decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        return format_decimal(
            number, format="#,##0." + "0" * decimals if decimals else "#,##0", locale="id_ID"
        )
    return format_decimal(number, format="#,##0.##########", locale="id_ID")


def format_rupiah(value: Decimal | float | int | None) -> str:
    """``Rp 1.250.000`` (decimals only when there are cents); None → ``–``."""
    if value is None:
        return "–"
    number = Decimal(str(value))
    decimals = 0 if number == number.to_integral_value() else 2
    return "Rp " + format_number(number, decimals=decimals)


def format_percent(value: Decimal | float | int | None) -> str:
    """``75,50 %``; None → ``–``."""
    if value is None:
        return "–"
    return format_number(value, decimals=2) + " %"


def quarter_roman(quarter: int) -> str:
    """1 → ``I`` … 4 → ``IV``."""
    return ("I", "II", "III", "IV")[quarter - 1]
