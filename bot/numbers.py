"""Capaian, predikat and the figures s.d. triwulan (PRODUCT.md, The numbers). Pure.

Reading what people type is ``bot.numbers_parse``; writing figures is ``bot.numbers_format``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum

from bot.model import Aggregation, Direction, Indicator

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")


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


def quarter_roman(q: int) -> str:
    """Triwulan 1..4 as ``I`` … ``IV``."""
    _check_quarter(q)
    return ("I", "II", "III", "IV")[q - 1]
