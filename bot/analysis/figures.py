"""The analysis' records and figures: trends, figures to date, absorption, the quarter series.

A missing figure is ``None`` and stays missing: no rule reads it as 0, and a ``jumlah`` figure
to date over a missing quarter is *incomplete*, not a smaller sum.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from bot import numbers
from bot.model import Indicator, Unit
from bot.numbers_format import format_number, format_percent
from bot.texts import analysis as tx

Quarterly = tuple[Decimal | None, Decimal | None, Decimal | None, Decimal | None]
NO_QUARTERS: Quarterly = (None, None, None, None)

# A change smaller than this (percent of the earlier figure) is "tetap": figures that move
# by a rounding step should not read as a trend.
TREND_TOLERANCE_PCT = Decimal(1)
# Below this capaian (percent, rounded to two decimals) a unit is under "Tinggi".
TINGGI_FLOOR = Decimal(76)
# Absorption this many percentage points under the share of the year elapsed is "far behind".
ABSORPTION_BEHIND_POINTS = Decimal(20)
# A step late in at least this many periods (this one included) is "repeated".
LATE_REPEAT_MIN = 2
HUNDRED = Decimal(100)


class Trend(StrEnum):
    """Which way a figure moved."""

    NAIK = "naik"
    TURUN = "turun"
    TETAP = "tetap"


@dataclass(frozen=True, slots=True)
class IndicatorHistory:
    """One indicator: this year's and last year's realisation per quarter (None = missing)."""

    indicator: Indicator
    current: Quarterly = NO_QUARTERS
    last_year: Quarterly = NO_QUARTERS
    explanation: str = ""  # given for a soft-checked value this quarter
    soft: tuple[str, ...] = ()  # the soft checks that asked for it


@dataclass(frozen=True, slots=True)
class UnitBudget:
    """A unit's pagu and budget spent per quarter of this year (None = no figure).

    ``plan`` is the planned cumulative disbursement s.d. each quarter (anggaran kas, Rp), when
    the catalogue carries one for every sub kegiatan of the unit; absorption is then judged
    against it rather than against the share of the year elapsed.
    """

    unit_code: str
    pagu: Decimal | None
    spent: Quarterly = NO_QUARTERS
    plan: Quarterly = NO_QUARTERS


@dataclass(frozen=True, slots=True)
class UnitNote:
    """A unit's own faktor pendorong and penghambat for the quarter."""

    unit_code: str
    pendorong: str = ""
    penghambat: str = ""


@dataclass(frozen=True, slots=True)
class OpenFollowUp:
    """A recommendation of an earlier period still open (not selesai) for some unit."""

    unit_code: str | None  # None: a general recommendation
    text: str
    period_label: str
    overdue: bool = False  # past its due date when the report was made


@dataclass(frozen=True, slots=True)
class LateStep:
    """A unit's step that ran late in ``times`` periods, this one included."""

    unit_code: str
    step_name: str
    times: int


@dataclass(frozen=True, slots=True)
class AnalysisInput:
    """Everything the rules read."""

    year: int
    quarter: int
    units: tuple[Unit, ...]
    indicators: tuple[IndicatorHistory, ...]
    budgets: tuple[UnitBudget, ...] = ()
    notes: tuple[UnitNote, ...] = ()
    open_follow_ups: tuple[OpenFollowUp, ...] = ()
    late_steps: tuple[LateStep, ...] = ()

    @property
    def label(self) -> str:
        """E.g. "Triwulan II"."""
        return f"Triwulan {numbers.quarter_roman(self.quarter)}"

    def unit_name(self, code: str | None) -> str:
        """A unit's name ("Dinas" for the agency as a whole)."""
        if code is None:
            return tx.AGENCY
        return next((u.name for u in self.units if u.code == code), code)


@dataclass(frozen=True, slots=True)
class Change:
    """A figure then and now; ``pct`` is None when the earlier figure is 0."""

    before: Decimal
    after: Decimal
    pct: Decimal | None
    trend: Trend


@dataclass(frozen=True, slots=True)
class IndicatorTrend:
    """One indicator's figures and trend for the quarter."""

    history: IndicatorHistory
    quarter: int
    value: Decimal | None  # this quarter's realisation
    vs_previous: Change | None  # against the previous quarter of this year
    vs_last_year: Change | None  # against the same quarter of last year
    to_date: Decimal | None  # None when a quarter it needs is missing
    missing: tuple[int, ...]  # quarters up to this one without a realisation
    cap: Decimal | None  # capaian s.d. triwulan

    @property
    def indicator(self) -> Indicator:
        """The indicator."""
        return self.history.indicator


@dataclass(frozen=True, slots=True)
class Sentence:
    """One drafted sentence and what it cites (unit and indicator codes, figures as shown)."""

    kind: str
    text: str
    units: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    figures: tuple[Decimal, ...] = ()


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A suggested recommendation for one unit and reason."""

    unit_code: str
    reason: str  # capaian, anggaran, terlambat or tindak_lanjut
    sentence: Sentence
    gap: Decimal | None = None  # percentage points behind (76 − capaian; plan − absorption)
    times: int = 0  # periods a step ran late


@dataclass(frozen=True, slots=True)
class QuarterPoint:
    """The agency's mean capaian and absorption s.d. one quarter of this year."""

    quarter: int
    capaian: Decimal | None
    absorption: Decimal | None


@dataclass(frozen=True, slots=True)
class Draft:
    """The whole drafted analysis."""

    trends: tuple[IndicatorTrend, ...]
    narrative: tuple[Sentence, ...] = field(default_factory=tuple)
    suggestions: tuple[Suggestion, ...] = field(default_factory=tuple)

    @property
    def text(self) -> str:
        """The narrative as one plain-text paragraph per sentence."""
        return narrative_text(self.narrative)


# ---- figures -------------------------------------------------------------------------


def trend(before: Decimal, after: Decimal) -> Trend:
    """naik/turun/tetap, with changes inside ``TREND_TOLERANCE_PCT`` of ``before`` "tetap"."""
    if before == 0:
        return Trend.TETAP if after == 0 else (Trend.NAIK if after > 0 else Trend.TURUN)
    pct = (after - before) * HUNDRED / abs(before)
    if abs(pct) < TREND_TOLERANCE_PCT:
        return Trend.TETAP
    return Trend.NAIK if pct > 0 else Trend.TURUN


def change(before: Decimal | None, after: Decimal | None) -> Change | None:
    """The change from ``before`` to ``after``; None when either is missing."""
    if before is None or after is None:
        return None
    pct = None if before == 0 else (after - before) * HUNDRED / abs(before)
    return Change(before, after, pct, trend(before, after))


def missing_quarters(values: Quarterly, quarter: int) -> tuple[int, ...]:
    """Quarters 1..``quarter`` without a figure."""
    return tuple(q for q in range(1, quarter + 1) if values[q - 1] is None)


def indicator_trend(history: IndicatorHistory, quarter: int) -> IndicatorTrend:
    """One indicator's quarter value, its changes, figure to date and capaian."""
    ind = history.indicator
    value = history.current[quarter - 1]
    previous = history.current[quarter - 2] if quarter > 1 else history.last_year[3]
    total = numbers.value_to_date(history.current, ind.aggregation, quarter)
    cap = numbers.capaian(total, numbers.target_to_date(ind, quarter), ind.direction)
    return IndicatorTrend(
        history=history,
        quarter=quarter,
        value=value,
        vs_previous=change(previous, value),
        vs_last_year=change(history.last_year[quarter - 1], value),
        to_date=total,
        missing=missing_quarters(history.current, quarter),
        cap=cap,
    )


def trends(data: AnalysisInput) -> tuple[IndicatorTrend, ...]:
    """Every indicator's trend, in input order."""
    return tuple(indicator_trend(h, data.quarter) for h in data.indicators)


def year_share(quarter: int) -> Decimal:
    """The share of the budget year elapsed at the end of ``quarter``, in percent."""
    return Decimal(quarter) * 25


def spent_to_date(budget: UnitBudget, quarter: int) -> Decimal | None:
    """Budget spent s.d. ``quarter``; None when any quarter's figure is missing."""
    values = budget.spent[:quarter]
    if any(v is None for v in values):
        return None
    return sum((v for v in values if v is not None), Decimal(0))


def unit_absorption(budget: UnitBudget, quarter: int) -> Decimal | None:
    """A unit's absorption s.d. ``quarter`` (None without complete figures or a pagu)."""
    return numbers.absorption(spent_to_date(budget, quarter), budget.pagu)


def agency_absorption(budgets: Sequence[UnitBudget], quarter: int) -> Decimal | None:
    """The agency's absorption: None if any unit with a pagu lacks a quarter's figure."""
    with_pagu = [b for b in budgets if b.pagu is not None and b.pagu > 0]
    spent = [spent_to_date(b, quarter) for b in with_pagu]
    if not with_pagu or any(s is None for s in spent):
        return None
    total_pagu = sum((b.pagu for b in with_pagu if b.pagu is not None), Decimal(0))
    return numbers.absorption(sum((s for s in spent if s is not None), Decimal(0)), total_pagu)


def unit_capaian(items: Sequence[IndicatorTrend], unit_code: str) -> Decimal | None:
    """A unit's mean capaian over its indicators that have one."""
    return numbers.mean(t.cap for t in items if t.indicator.unit_code == unit_code)


def quarter_series(data: AnalysisInput) -> tuple[QuarterPoint, ...]:
    """The agency's mean capaian and absorption s.d. each quarter of this year so far."""
    points = []
    for q in range(1, data.quarter + 1):
        caps = [indicator_trend(h, q).cap for h in data.indicators]
        points.append(QuarterPoint(q, numbers.mean(caps), agency_absorption(data.budgets, q)))
    return tuple(points)


@dataclass(frozen=True, slots=True)
class Benchmark:
    """What absorption s.d. a quarter is judged against: the planned share of the pagu
    (``planned``) or the share of the year elapsed, in percent."""

    share: Decimal
    planned: bool


def benchmark(budgets: Sequence[UnitBudget], quarter: int) -> Benchmark:
    """The plan of ``budgets`` s.d. ``quarter`` as a share of their pagu when every one with a
    pagu has a plan for it; else the share of the year elapsed (a partial plan would compare
    part of the spending with part of the pagu)."""
    with_pagu = [b for b in budgets if b.pagu is not None and b.pagu > 0]
    planned = [b.plan[quarter - 1] for b in with_pagu]
    if not with_pagu or any(v is None for v in planned):
        return Benchmark(year_share(quarter), planned=False)
    total_plan = sum((v for v in planned if v is not None), Decimal(0))
    total_pagu = sum((b.pagu for b in with_pagu if b.pagu is not None), Decimal(0))
    return Benchmark(total_plan * HUNDRED / total_pagu, planned=True)


def far_behind(absorption: Decimal | None, quarter: int, reference: Decimal | None = None) -> bool:
    """Whether an absorption is ``ABSORPTION_BEHIND_POINTS`` under ``reference`` (by default
    the share of the year elapsed at the end of ``quarter``)."""
    share = year_share(quarter) if reference is None else reference
    return absorption is not None and absorption < share - ABSORPTION_BEHIND_POINTS


def narrative_text(sentences: Sequence[Sentence]) -> str:
    """The sentences as plain text, one paragraph each."""
    return "\n\n".join(s.text for s in sentences)


# ---- how figures are shown and cited ----------------------------------------------------


def as_pct(value: Decimal) -> tuple[str, Decimal]:
    """A percentage as shown and as cited (two decimals)."""
    return format_percent(value), numbers.round2(value)


def as_num(value: Decimal) -> tuple[str, Decimal]:
    """A figure as shown and as cited (exact)."""
    return format_number(value), value


def as_count(value: int) -> tuple[str, Decimal]:
    """A count as shown and as cited."""
    return format_number(value), Decimal(value)
