"""The few facts a reviewer decides on (steps 5 and 6), in at most five lines. Pure.

The mean capaian with its base, absorption against the plan (or the year elapsed), what is
under "Tinggi",
and the largest improvement and decline against the previous quarter judged by each
indicator's direction (a lower-is-better figure that fell has improved).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from bot import numbers
from bot.analysis.direction import Against, Judged, Judgement, judge_all, largest
from bot.analysis.figures import (
    TINGGI_FLOOR,
    AnalysisInput,
    Benchmark,
    IndicatorTrend,
    agency_absorption,
    benchmark,
    trends,
    unit_capaian,
)


@dataclass(frozen=True, slots=True)
class Summary:
    """What a reviewer reads first."""

    mean: Decimal | None
    counted: int  # indicators with a capaian s.d. triwulan
    without: int  # indicators without one (no target to date, or a quarter missing)
    absorption: Decimal | None
    reference: Benchmark  # what absorption is judged against: the plan, or the year elapsed
    units_below: tuple[str, ...]  # unit codes
    indicators_below: tuple[str, ...]  # indicator codes
    best: Judged | None  # the largest improvement against the previous quarter
    worst: Judged | None  # the largest decline


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
    # Judged as the narrative, the Analisis sheet and the suggestions judge (one classification).
    moves = judge_all(found, Against.PREVIOUS)
    return Summary(
        mean=numbers.mean(caps),
        counted=sum(1 for c in caps if c is not None),
        without=sum(1 for c in caps if c is None),
        absorption=agency_absorption(data.budgets, data.quarter),
        reference=benchmark(data.budgets, data.quarter),
        units_below=tuple(units),
        indicators_below=tuple(below),
        best=largest(moves, Judgement.MEMBAIK),
        worst=largest(moves, Judgement.MEMBURUK),
    )
