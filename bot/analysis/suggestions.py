"""Suggested recommendations for step 6, as a Kasubbag would write them (issue 19).

Each names its unit once and cites the figure it stands on; its verb follows the indicator's
direction (*menekan* what should fall, *meningkatkan* what should rise), and an indicator that
also got worse than the previous quarter (``bot.analysis.direction``) says so. A unit gets at most
one suggestion per reason (low capaian, absorption behind, lateness, open follow-up), so
absorption far behind is never hidden behind a low capaian. They are ordered by the gap in
percentage points (76 − capaian; the planned or elapsed share − absorption), then lateness,
then open follow-ups.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from bot import numbers
from bot.analysis.direction import Against, Judgement, judged
from bot.analysis.figures import (
    LATE_REPEAT_MIN,
    TINGGI_FLOOR,
    AnalysisInput,
    IndicatorTrend,
    Sentence,
    Suggestion,
    as_count,
    as_num,
    as_pct,
    benchmark,
    far_behind,
    trends,
    unit_absorption,
)
from bot.model import Direction, Unit
from bot.numbers_format import format_number
from bot.texts import analysis as tx

# A suggestion names this many of a unit's low indicators (the worst first) and counts the
# rest: a phone screen, not a table.
MAX_NAMED_INDICATORS = 3

CAPAIAN, ANGGARAN, TERLAMBAT, TINDAK_LANJUT = "capaian", "anggaran", "terlambat", "tindak_lanjut"


def verb(direction: Direction) -> str:
    """The verb that asks for the better direction of an indicator."""
    return tx.VERB_DOWN if direction is Direction.DOWN else tx.VERB_UP


def suggest_low_capaian(
    data: AnalysisInput, items: Sequence[IndicatorTrend], unit: Unit
) -> Suggestion | None:
    """The unit's indicators whose capaian s.d. triwulan is below ``TINGGI_FLOOR``, the worst
    first, each with its realisation, target and capaian."""
    low = sorted(
        (
            t
            for t in items
            if t.indicator.unit_code == unit.code
            and t.cap is not None
            and numbers.round2(t.cap) < TINGGI_FLOOR
        ),
        key=lambda t: t.cap or Decimal(0),
    )
    if not low:
        return None
    parts: list[str] = []
    figures: list[Decimal] = []
    for item in low[:MAX_NAMED_INDICATORS]:
        ind = item.indicator
        assert item.to_date is not None and item.cap is not None
        target = numbers.target_to_date(ind, data.quarter)
        assert target is not None
        realisasi, r = as_num(item.to_date)
        shown_target, t = as_num(target)
        cap, c = as_pct(item.cap)
        worse = judged(item, Against.PREVIOUS).judgement is Judgement.MEMBURUK
        parts.append(
            tx.suggest_indicator(
                verb(ind.direction),
                ind.name,
                realisasi,
                shown_target,
                cap,
                worse,
                ind.direction is Direction.DOWN,
            )
        )
        figures += (r, t, c)
    more, m = as_count(len(low) - MAX_NAMED_INDICATORS if len(low) > MAX_NAMED_INDICATORS else 0)
    if m:
        figures.append(m)
    worst = low[0].cap
    assert worst is not None
    return Suggestion(
        unit.code,
        CAPAIAN,
        Sentence(
            "suggest_low",
            tx.suggest_low(unit.name, parts, more),
            (unit.code,),
            tuple(t.indicator.code for t in low[:MAX_NAMED_INDICATORS]),
            tuple(figures),
        ),
        gap=TINGGI_FLOOR - numbers.round2(worst),
    )


def suggest_absorption(
    data: AnalysisInput, items: Sequence[IndicatorTrend], unit: Unit
) -> Suggestion | None:
    """The unit's absorption far behind its plan, or the share of the year elapsed."""
    budget = next((b for b in data.budgets if b.unit_code == unit.code), None)
    if budget is None:
        return None
    value = unit_absorption(budget, data.quarter)
    bench = benchmark((budget,), data.quarter)
    if value is None or not far_behind(value, data.quarter, bench.share):
        return None
    shown, cited = as_pct(value)
    reference, s = as_pct(bench.share)
    gap = s - cited
    gap_shown = format_number(gap, decimals=2)
    return Suggestion(
        unit.code,
        ANGGARAN,
        Sentence(
            "suggest_absorption",
            tx.suggest_absorption(
                unit.name, data.label, shown, reference, bench.planned, gap_shown
            ),
            (unit.code,),
            figures=(cited, s, gap),
        ),
        gap=gap,
    )


def suggest_late(
    data: AnalysisInput, items: Sequence[IndicatorTrend], unit: Unit
) -> Suggestion | None:
    """A step of the unit late in ``LATE_REPEAT_MIN`` periods or more."""
    late = [s for s in data.late_steps if s.unit_code == unit.code and s.times >= LATE_REPEAT_MIN]
    if not late:
        return None
    worst = max(late, key=lambda s: s.times)
    times, n = as_count(worst.times)
    return Suggestion(
        unit.code,
        TERLAMBAT,
        Sentence(
            "suggest_late",
            tx.suggest_late(unit.name, worst.step_name, times),
            (unit.code,),
            figures=(n,),
        ),
        times=worst.times,
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
        TINDAK_LANJUT,
        Sentence(
            "suggest_follow_up",
            tx.suggest_follow_up(unit.name, found.text.strip(), found.period_label),
            (unit.code,),
        ),
    )


# One suggestion per unit and rule, at most.
SUGGESTION_RULES = (suggest_low_capaian, suggest_absorption, suggest_late, suggest_follow_up)


def _weight(item: Suggestion) -> tuple[int, Decimal]:
    """Gaps in points first (largest first), then lateness (most often first), then the
    open follow-ups."""
    if item.gap is not None:
        return (0, -item.gap)
    if item.times:
        return (1, Decimal(-item.times))
    return (2, Decimal(0))


def suggestions(
    data: AnalysisInput, items: Sequence[IndicatorTrend] | None = None
) -> list[Suggestion]:
    """At most one suggested recommendation per unit and reason, by weight (ties: unit order)."""
    found = trends(data) if items is None else items
    result = [
        suggestion
        for unit in data.units
        for rule in SUGGESTION_RULES
        if (suggestion := rule(data, found, unit)) is not None
    ]
    return sorted(result, key=_weight)
