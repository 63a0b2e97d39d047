"""Suggested recommendations for step 6: at most one per unit that needs one, by weight."""

from __future__ import annotations

from collections.abc import Sequence

from bot import numbers
from bot.analysis.figures import (
    LATE_REPEAT_MIN,
    TINGGI_FLOOR,
    AnalysisInput,
    IndicatorTrend,
    Sentence,
    Suggestion,
    as_count,
    as_pct,
    far_behind,
    trends,
    unit_absorption,
    year_share,
)
from bot.model import Unit
from bot.texts import analysis as tx


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
    shown, cited = as_pct(value)
    share, s = as_pct(year_share(data.quarter))
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
    times, n = as_count(worst.times)
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
