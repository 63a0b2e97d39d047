"""The few facts a reviewer decides on (steps 5 and 6), in at most five lines. Pure.

The mean capaian with its base, absorption against the year elapsed, what is under "Tinggi",
and the largest improvement and decline against the previous quarter judged by each
indicator's direction (a lower-is-better figure that fell has improved).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from bot import numbers
from bot.analysis.figures import (
    TINGGI_FLOOR,
    AnalysisInput,
    IndicatorTrend,
    Trend,
    agency_absorption,
    trends,
    unit_capaian,
    year_share,
)
from bot.model import Direction


@dataclass(frozen=True, slots=True)
class Move:
    """An indicator's change against the previous quarter, signed so that better is positive."""

    item: IndicatorTrend
    before: Decimal
    after: Decimal
    better_pct: Decimal


@dataclass(frozen=True, slots=True)
class Summary:
    """What a reviewer reads first."""

    mean: Decimal | None
    counted: int  # indicators with a capaian s.d. triwulan
    without: int  # indicators without one (no target to date, or a quarter missing)
    absorption: Decimal | None
    elapsed: Decimal
    units_below: tuple[str, ...]  # unit codes
    indicators_below: tuple[str, ...]  # indicator codes
    best: Move | None
    worst: Move | None


def move(item: IndicatorTrend) -> Move | None:
    """The change against the previous quarter by direction; None when there is none."""
    change = item.vs_previous
    if change is None or change.pct is None or change.trend is Trend.TETAP:
        return None
    sign = 1 if item.indicator.direction is Direction.UP else -1
    return Move(item, change.before, change.after, change.pct * sign)


def summarise(data: AnalysisInput, items: Sequence[IndicatorTrend] | None = None) -> Summary:
    """The summary of one period's figures."""
    found = trends(data) if items is None else items
    caps = [t.cap for t in found]
    below = [
        t.indicator.code
        for t in found
        if t.cap is not None and numbers.round2(t.cap) < TINGGI_FLOOR
    ]
    units = []
    for unit in data.units:
        mean = unit_capaian(found, unit.code)
        if mean is not None and numbers.round2(mean) < TINGGI_FLOOR:
            units.append(unit.code)
    moves = [m for m in (move(t) for t in found) if m is not None]
    best = max(moves, key=lambda m: m.better_pct, default=None)
    worst = min(moves, key=lambda m: m.better_pct, default=None)
    return Summary(
        mean=numbers.mean(caps),
        counted=sum(1 for c in caps if c is not None),
        without=sum(1 for c in caps if c is None),
        absorption=agency_absorption(data.budgets, data.quarter),
        elapsed=year_share(data.quarter),
        units_below=tuple(units),
        indicators_below=tuple(below),
        best=best if best is not None and best.better_pct > 0 else None,
        worst=worst if worst is not None and worst.better_pct < 0 else None,
    )
