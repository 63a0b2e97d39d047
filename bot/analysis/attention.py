"""What needs a reader's attention in a unit's or the agency's figures, and the checks a
Kasubbag would make by hand: progress against spending, a target reached too early, and a
typed figure the bot can compute itself. Pure: figures in, judgements out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from bot import numbers
from bot.analysis.figures import (
    TINGGI_FLOOR,
    AnalysisInput,
    Benchmark,
    Quarterly,
    UnitBudget,
    agency_absorption,
    benchmark,
    far_behind,
)
from bot.checks import PEMBANDING_TOLERANCE
from bot.model import Aggregation, Direction, Indicator, Pembanding

# Physical progress at or above this share of the annual target (percent) counts as done.
PROGRESS_DONE = Decimal(100)
# ... while its sub kegiatan has spent under this share of its pagu (percent): work reported
# done without money spent is a typo or spending recorded elsewhere.
SPENDING_BARELY = Decimal(10)
# Absorption this many percentage points ahead of progress towards the annual target: money
# spent on work not reported.
SPENDING_AHEAD_POINTS = Decimal(50)
LAST_QUARTER = 4


class Mismatch(StrEnum):
    """How progress and spending of one indicator disagree."""

    PROGRESS_WITHOUT_SPENDING = "progress_without_spending"
    SPENDING_WITHOUT_PROGRESS = "spending_without_progress"


@dataclass(frozen=True, slots=True)
class Reading:
    """One indicator's figures for the quarter as a reader judges them."""

    indicator: Indicator
    value: Decimal  # this quarter's realisation
    to_date: Decimal | None  # the figure s.d. triwulan (None when a quarter is missing)
    cap_quarter: Decimal | None  # capaian of the quarter against its quarter target
    cap_to_date: Decimal | None  # capaian s.d. triwulan against the target to date
    progress: Decimal | None  # the figure to date against the annual target, percent


def reading(
    indicator: Indicator, value: Decimal, earlier: tuple[Decimal | None, ...], quarter: int
) -> Reading:
    """Judge ``value`` of triwulan ``quarter`` with this year's ``earlier`` quarters."""
    quarters = (*earlier[: quarter - 1], *(None,) * (quarter - 1 - len(earlier)), value)
    to_date = numbers.value_to_date(quarters, indicator.aggregation, quarter)
    cap_q = numbers.capaian(value, indicator.targets_q[quarter - 1], indicator.direction)
    cap_d = numbers.capaian(
        to_date, numbers.target_to_date(indicator, quarter), indicator.direction
    )
    progress = None
    if indicator.direction is Direction.UP:
        progress = numbers.capaian(to_date, indicator.target_annual, indicator.direction)
    return Reading(indicator, value, to_date, cap_q, cap_d, progress)


def below_floor(cap: Decimal | None) -> bool:
    """Whether a capaian is under "Tinggi" (76 %), judged at two decimals."""
    return cap is not None and numbers.round2(cap) < TINGGI_FLOOR


def reference(pagu_and_plan: Sequence[tuple[Decimal | None, Quarterly]], quarter: int) -> Benchmark:
    """What a unit's absorption s.d. ``quarter`` is judged against, from its sub kegiatan's
    (pagu, plan): their plan when every one with a pagu has one, else the year elapsed."""
    budgets = [UnitBudget("", pagu, plan=plan) for pagu, plan in pagu_and_plan]
    return benchmark(budgets, quarter)


def absorption_behind(absorption: Decimal | None, quarter: int, against: Benchmark) -> bool:
    """Whether an absorption s.d. triwulan is far behind its benchmark (plan or time)."""
    return far_behind(absorption, quarter, against.share)


def spending_mismatch(progress: Decimal | None, absorption: Decimal | None) -> Mismatch | None:
    """Progress towards the annual target against its sub kegiatan's absorption (percent)."""
    if progress is None or absorption is None:
        return None
    if progress >= PROGRESS_DONE and absorption < SPENDING_BARELY:
        return Mismatch.PROGRESS_WITHOUT_SPENDING
    if absorption - min(progress, PROGRESS_DONE) > SPENDING_AHEAD_POINTS:
        return Mismatch.SPENDING_WITHOUT_PROGRESS
    return None


def target_reached_early(item: Reading, quarter: int) -> bool:
    """An annual target already reached before Triwulan IV: the target may be set too low.

    A lower-is-better ``jumlah`` counts a year's flow, which cannot be judged before the year
    is complete; every other indicator is judged by its capaian to date against the year.
    """
    ind = item.indicator
    if quarter >= LAST_QUARTER or item.to_date is None:
        return False
    if ind.direction is Direction.DOWN and ind.aggregation is Aggregation.SUM:
        return False
    cap = numbers.capaian(item.to_date, ind.target_annual, ind.direction)
    return cap is not None and numbers.round2(cap) >= PROGRESS_DONE


def pembanding_differs(typed: Decimal, computed: Decimal | None) -> bool:
    """Whether a typed figure and the bot's own differ by more than the tolerance (points)."""
    return computed is not None and abs(typed - computed) > PEMBANDING_TOLERANCE


@dataclass(frozen=True, slots=True)
class OwnFigure:
    """A typed figure beside the bot's own (the catalogue's ``pembanding``)."""

    indicator: Indicator
    typed: Decimal
    computed: Decimal


@dataclass(frozen=True, slots=True)
class Reached:
    """An indicator whose annual target is already reached before Triwulan IV."""

    indicator: Indicator
    to_date: Decimal
    capaian: Decimal  # against the annual target


def agency_figures_differ(data: AnalysisInput) -> list[OwnFigure]:
    """Agency-wide figures typed by a unit that differ from what the units' budgets give:
    checked at step 4, when every unit is in."""
    computed = agency_absorption(data.budgets, data.quarter)
    found = []
    for item in data.indicators:
        ind, typed = item.indicator, item.current[data.quarter - 1]
        if ind.pembanding is not Pembanding.PENYERAPAN_DINAS or typed is None:
            continue
        if computed is not None and pembanding_differs(typed, computed):
            found.append(OwnFigure(ind, typed, computed))
    return found


def reached_early(data: AnalysisInput) -> list[Reached]:
    """Indicators that already reached their annual target before Triwulan IV."""
    found = []
    for item in data.indicators:
        value = item.current[data.quarter - 1]
        if value is None:
            continue
        judged = reading(item.indicator, value, item.current[: data.quarter - 1], data.quarter)
        if target_reached_early(judged, data.quarter) and judged.to_date is not None:
            cap = numbers.capaian(
                judged.to_date, item.indicator.target_annual, item.indicator.direction
            )
            assert cap is not None  # reached implies a capaian
            found.append(Reached(item.indicator, judged.to_date, cap))
    return found
