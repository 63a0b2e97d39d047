"""Figures, money and percentages written the Indonesian way (EYD V), with their satuan. Pure."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from functools import cache

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

from bot.numbers import round2

DASH = "–"  # shown for a missing number
_MAX_SHOWN_DECIMALS = 10


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
