"""The analysis drafted by rules: trends, a draft narrative (step 4), suggestions (step 6). Pure.

No I/O, no Telegram, no SQL, no language model: services gather an :class:`AnalysisInput`
from the database and every sentence here follows from it by a small named rule with named
thresholds. A missing figure is ``None`` and stays missing: no rule reads it as 0, and a
``jumlah`` figure to date over a missing quarter is *incomplete*, not a smaller sum.

Each sentence is returned with the units, indicators and figures it cites, so that tests
(and a reader of the audit) can check every number against its source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from bot import numbers
from bot import texts_analysis as tx
from bot.model import Direction, Indicator, Unit

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
# A capaian of the quarter at or above this (percent) makes an explanation a driving factor.
FAVOURABLE_CAPAIAN = Decimal(100)
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
    """A unit's pagu and budget spent per quarter of this year (None = no figure)."""

    unit_code: str
    pagu: Decimal | None
    spent: Quarterly = NO_QUARTERS


@dataclass(frozen=True, slots=True)
class UnitNote:
    """A unit's own faktor pendorong and penghambat for the quarter."""

    unit_code: str
    pendorong: str = ""
    penghambat: str = ""


@dataclass(frozen=True, slots=True)
class OpenFollowUp:
    """A recommendation of an earlier period whose follow-up was not recorded."""

    unit_code: str | None  # None: a general recommendation
    text: str
    period_label: str


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
    """A suggested recommendation for one unit."""

    unit_code: str
    reason: str
    sentence: Sentence


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


# ---- the narrative ---------------------------------------------------------------------


def _pct(value: Decimal) -> tuple[str, Decimal]:
    """A percentage as shown and as cited (two decimals)."""
    return numbers.format_percent(value), numbers.round2(value)


def _num(value: Decimal) -> tuple[str, Decimal]:
    """A figure as shown and as cited (exact)."""
    return numbers.format_number(value), value


def _count(value: int) -> tuple[str, Decimal]:
    return numbers.format_number(value), Decimal(value)


def rule_agency_mean(data: AnalysisInput, items: Sequence[IndicatorTrend]) -> list[Sentence]:
    """The agency's mean capaian and predikat (none without any capaian)."""
    caps = [t.cap for t in items if t.cap is not None]
    mean = numbers.mean(caps)
    found = numbers.predikat(mean)
    if mean is None or found is None:
        return []
    shown, cited = _pct(mean)
    count, n = _count(len(caps))
    return [
        Sentence(
            "agency_mean",
            tx.agency_mean(data.label, shown, found.value, count),
            figures=(cited, n),
        )
    ]


def rule_incomplete(data: AnalysisInput, items: Sequence[IndicatorTrend]) -> list[Sentence]:
    """Indicators with this quarter's figure but a missing earlier quarter (``jumlah``)."""
    found = [t for t in items if t.value is not None and t.to_date is None and t.missing]
    if not found:
        return []
    count, n = _count(len(found))
    return [
        Sentence(
            "incomplete",
            tx.incomplete(
                count,
                [(t.indicator.name, data.unit_name(t.indicator.unit_code)) for t in found],
            ),
            units=tuple(dict.fromkeys(t.indicator.unit_code for t in found)),
            indicators=tuple(t.indicator.code for t in found),
            figures=(n,),
        )
    ]


def _moved(data: AnalysisInput, item: IndicatorTrend, rise: bool) -> Sentence:
    ind = item.indicator
    change_ = item.vs_previous
    assert change_ is not None and change_.pct is not None
    before, b = _num(change_.before)
    after, a = _num(change_.after)
    pct, p = _pct(abs(change_.pct))
    template = tx.largest_rise if rise else tx.largest_fall
    return Sentence(
        "largest_rise" if rise else "largest_fall",
        template(ind.name, data.unit_name(ind.unit_code), before, after, pct),
        units=(ind.unit_code,),
        indicators=(ind.code,),
        figures=(b, a, p),
    )


def _previous_pct(item: IndicatorTrend) -> Decimal:
    """The change against the previous quarter in percent (0 when there is none)."""
    if item.vs_previous is None or item.vs_previous.pct is None:
        return Decimal(0)
    return item.vs_previous.pct


def rule_largest_moves(data: AnalysisInput, items: Sequence[IndicatorTrend]) -> list[Sentence]:
    """The indicators that rose and fell most against the previous quarter (in percent)."""
    moved = [
        t
        for t in items
        if t.vs_previous is not None
        and t.vs_previous.pct is not None
        and t.vs_previous.trend is not Trend.TETAP
    ]
    result = []
    rises = [t for t in moved if t.vs_previous and t.vs_previous.trend is Trend.NAIK]
    falls = [t for t in moved if t.vs_previous and t.vs_previous.trend is Trend.TURUN]
    if rises:
        top = max(rises, key=_previous_pct)
        result.append(_moved(data, top, rise=True))
    if falls:
        low = min(falls, key=_previous_pct)
        result.append(_moved(data, low, rise=False))
    return result


def rule_year_on_year(data: AnalysisInput, items: Sequence[IndicatorTrend]) -> list[Sentence]:
    """How many indicators rose, fell or held against the same quarter of last year."""
    marks = [t.vs_last_year.trend for t in items if t.vs_last_year is not None]
    if not marks:
        return []
    counts = [_count(marks.count(m)) for m in (Trend.NAIK, Trend.TURUN, Trend.TETAP)]
    return [
        Sentence(
            "year_on_year",
            tx.year_on_year(*(shown for shown, _ in counts)),
            figures=tuple(n for _, n in counts),
        )
    ]


def rule_units_below(data: AnalysisInput, items: Sequence[IndicatorTrend]) -> list[Sentence]:
    """Each unit whose mean capaian is below "Tinggi" (none for a unit without capaian)."""
    result = []
    for unit in data.units:
        mean = unit_capaian(items, unit.code)
        found = numbers.predikat(mean)
        if mean is None or found is None or numbers.round2(mean) >= TINGGI_FLOOR:
            continue
        shown, cited = _pct(mean)
        result.append(
            Sentence(
                "unit_below",
                tx.unit_below(unit.name, shown, found.value),
                units=(unit.code,),
                figures=(cited,),
            )
        )
    return result


def far_behind(absorption: Decimal | None, quarter: int) -> bool:
    """Whether an absorption is ``ABSORPTION_BEHIND_POINTS`` under the year's share."""
    return absorption is not None and absorption < year_share(quarter) - ABSORPTION_BEHIND_POINTS


def rule_absorption(data: AnalysisInput, items: Sequence[IndicatorTrend]) -> list[Sentence]:
    """The agency's absorption against the year elapsed, and units far behind it."""
    share, s = _pct(year_share(data.quarter))
    result = []
    agency = agency_absorption(data.budgets, data.quarter)
    if agency is not None:
        shown, cited = _pct(agency)
        result.append(
            Sentence(
                "agency_absorption",
                tx.agency_absorption(data.label, shown, share),
                figures=(cited, s),
            )
        )
    for budget in data.budgets:
        value = unit_absorption(budget, data.quarter)
        if value is None or not far_behind(value, data.quarter):
            continue
        shown, cited = _pct(value)
        result.append(
            Sentence(
                "unit_absorption",
                tx.unit_absorption_behind(data.unit_name(budget.unit_code), shown, share),
                units=(budget.unit_code,),
                figures=(cited, s),
            )
        )
    return result


def favourable(item: IndicatorTrend) -> bool | None:
    """Whether this quarter's value helped (True) or held back (False); None if unknown."""
    ind = item.indicator
    if item.value is None:
        return None
    quarter_cap = numbers.capaian(item.value, ind.targets_q[item.quarter - 1], ind.direction)
    if quarter_cap is not None:
        return quarter_cap >= FAVOURABLE_CAPAIAN
    if item.vs_previous is not None and item.vs_previous.trend is not Trend.TETAP:
        went_up = item.vs_previous.trend is Trend.NAIK
        return went_up == (ind.direction is Direction.UP)
    return None


def rule_factors(data: AnalysisInput, items: Sequence[IndicatorTrend]) -> list[Sentence]:
    """Faktor pendorong/penghambat quoted from units' notes and soft-check explanations."""
    result = []
    # The same words from several units are quoted once, with every unit that wrote them.
    quoted: dict[tuple[str, str], list[str]] = {}
    order = {u.code: n for n, u in enumerate(data.units)}
    for note in sorted(data.notes, key=lambda n: order.get(n.unit_code, len(order))):
        for kind, text in ((tx.PENDORONG, note.pendorong), (tx.PENGHAMBAT, note.penghambat)):
            if text.strip():
                quoted.setdefault((kind, text.strip()), []).append(note.unit_code)
    for (kind, text), codes in quoted.items():
        names = [data.unit_name(code) for code in codes]
        result.append(Sentence(f"factor_{kind}", tx.factor(kind, text, names), tuple(codes)))
    for item in items:
        text = item.history.explanation.strip()
        helped = favourable(item)
        if not text or helped is None:
            continue
        ind = item.indicator
        kind = tx.PENDORONG if helped else tx.PENGHAMBAT
        result.append(
            Sentence(
                f"factor_{kind}",
                tx.factor_indicator(kind, text, ind.name, data.unit_name(ind.unit_code)),
                units=(ind.unit_code,),
                indicators=(ind.code,),
            )
        )
    # Driving factors first, then hindering ones, each in the order found.
    return sorted(result, key=lambda s: s.kind != f"factor_{tx.PENDORONG}")


def rule_open_follow_ups(data: AnalysisInput, items: Sequence[IndicatorTrend]) -> list[Sentence]:
    """Follow-ups still open from earlier periods."""
    return [
        Sentence(
            "open_follow_up",
            tx.open_follow_up(f.text.strip(), data.unit_name(f.unit_code), f.period_label),
            units=(f.unit_code,) if f.unit_code else (),
        )
        for f in data.open_follow_ups
        if f.text.strip()
    ]


NARRATIVE_RULES = (
    rule_agency_mean,
    rule_incomplete,
    rule_largest_moves,
    rule_year_on_year,
    rule_units_below,
    rule_absorption,
    rule_factors,
    rule_open_follow_ups,
)


def narrative(data: AnalysisInput, items: Sequence[IndicatorTrend] | None = None) -> list[Sentence]:
    """The draft narrative: every rule's sentences, in the order of ``NARRATIVE_RULES``."""
    found = trends(data) if items is None else items
    return [sentence for rule in NARRATIVE_RULES for sentence in rule(data, found)]


def narrative_text(sentences: Sequence[Sentence]) -> str:
    """The sentences as plain text, one paragraph each."""
    return "\n\n".join(s.text for s in sentences)


# ---- suggested recommendations ---------------------------------------------------------


def suggest_low_capaian(
    data: AnalysisInput, items: Sequence[IndicatorTrend], unit: Unit
) -> Suggestion | None:
    """The unit's indicators whose capaian s.d. triwulan is below ``TINGGI_FLOOR``."""
    low = [
        t
        for t in items
        if t.indicator.unit_code == unit.code
        and t.cap is not None
        and numbers.round2(t.cap) < TINGGI_FLOOR
    ]
    if not low:
        return None
    text = tx.suggest_low(unit.name, [t.indicator.name for t in low])
    return Suggestion(
        unit.code,
        "capaian",
        Sentence(
            "suggest_low",
            text,
            (unit.code,),
            tuple(t.indicator.code for t in low),
            (TINGGI_FLOOR,),
        ),
    )


def suggest_absorption(
    data: AnalysisInput, items: Sequence[IndicatorTrend], unit: Unit
) -> Suggestion | None:
    """The unit's absorption far behind the share of the year elapsed."""
    budget = next((b for b in data.budgets if b.unit_code == unit.code), None)
    value = None if budget is None else unit_absorption(budget, data.quarter)
    if value is None or not far_behind(value, data.quarter):
        return None
    shown, cited = _pct(value)
    share, s = _pct(year_share(data.quarter))
    return Suggestion(
        unit.code,
        "anggaran",
        Sentence(
            "suggest_absorption",
            tx.suggest_absorption(unit.name, shown, share),
            (unit.code,),
            figures=(cited, s),
        ),
    )


def suggest_late(
    data: AnalysisInput, items: Sequence[IndicatorTrend], unit: Unit
) -> Suggestion | None:
    """A step of the unit late in ``LATE_REPEAT_MIN`` periods or more."""
    late = [s for s in data.late_steps if s.unit_code == unit.code and s.times >= LATE_REPEAT_MIN]
    if not late:
        return None
    worst = max(late, key=lambda s: s.times)
    times, n = _count(worst.times)
    return Suggestion(
        unit.code,
        "terlambat",
        Sentence(
            "suggest_late",
            tx.suggest_late(unit.name, worst.step_name, times),
            (unit.code,),
            figures=(n,),
        ),
    )


def suggest_follow_up(
    data: AnalysisInput, items: Sequence[IndicatorTrend], unit: Unit
) -> Suggestion | None:
    """The unit's oldest follow-up still open."""
    found = next(
        (f for f in data.open_follow_ups if f.unit_code == unit.code and f.text.strip()), None
    )
    if found is None:
        return None
    return Suggestion(
        unit.code,
        "tindak_lanjut",
        Sentence(
            "suggest_follow_up",
            tx.suggest_follow_up(unit.name, found.text.strip(), found.period_label),
            (unit.code,),
        ),
    )


# In order of weight: a unit gets the first that applies, so at most one suggestion each.
SUGGESTION_RULES = (suggest_low_capaian, suggest_absorption, suggest_late, suggest_follow_up)


def suggestions(
    data: AnalysisInput, items: Sequence[IndicatorTrend] | None = None
) -> list[Suggestion]:
    """At most one suggested recommendation per unit that needs one, in unit order."""
    found = trends(data) if items is None else items
    result = []
    for unit in data.units:
        for rule in SUGGESTION_RULES:
            suggestion = rule(data, found, unit)
            if suggestion is not None:
                result.append(suggestion)
                break
    return result


def draft(data: AnalysisInput) -> Draft:
    """Trends, narrative and suggestions of one period."""
    items = trends(data)
    return Draft(items, tuple(narrative(data, items)), tuple(suggestions(data, items)))
