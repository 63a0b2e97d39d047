"""The draft narrative of step 4: each rule a small function, in the order they are read."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from bot import numbers
from bot.analysis.direction import (
    Against,
    DirectionCounts,
    Judged,
    Judgement,
    counts,
    judge_all,
    largest,
)
from bot.analysis.figures import (
    TINGGI_FLOOR,
    AnalysisInput,
    IndicatorTrend,
    Sentence,
    agency_absorption,
    as_count,
    as_num,
    as_pct,
    benchmark,
    far_behind,
    trends,
    unit_absorption,
    unit_capaian,
)
from bot.numbers_format import format_number
from bot.texts import analysis as tx


def rule_agency_mean(data: AnalysisInput, items: Sequence[IndicatorTrend]) -> list[Sentence]:
    """The agency's mean capaian and predikat, with its base (none without any capaian)."""
    caps = [t.cap for t in items if t.cap is not None]
    mean = numbers.mean(caps)
    found = numbers.predikat(mean)
    if mean is None or found is None:
        return []
    shown, cited = as_pct(mean)
    count, n = as_count(len(caps))
    total, t = as_count(len(items))
    without, w = as_count(len(items) - len(caps))
    return [
        Sentence(
            "agency_mean",
            tx.agency_mean(data.label, shown, found.value, count, total, without),
            figures=(cited, n, t, w) if w else (cited, n, t),
        )
    ]


def rule_incomplete(data: AnalysisInput, items: Sequence[IndicatorTrend]) -> list[Sentence]:
    """Indicators with this quarter's figure but a missing earlier quarter (``jumlah``)."""
    found = [t for t in items if t.value is not None and t.to_date is None and t.missing]
    if not found:
        return []
    count, n = as_count(len(found))
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


def _largest(data: AnalysisInput, item: Judged, better: bool) -> Sentence:
    ind = item.indicator
    change_ = item.change
    assert change_ is not None and change_.pct is not None
    before, b = as_num(change_.before)
    after, a = as_num(change_.after)
    pct, p = as_pct(abs(change_.pct))
    return Sentence(
        "largest_improvement" if better else "largest_decline",
        tx.largest_change(
            better,
            item.against.value,
            ind.name,
            data.unit_name(ind.unit_code),
            before,
            after,
            change_.trend.value,
            pct,
        ),
        units=(ind.unit_code,),
        indicators=(ind.code,),
        figures=(b, a, p),
    )


def rule_largest_moves(data: AnalysisInput, items: Sequence[IndicatorTrend]) -> list[Sentence]:
    """The largest improvement and decline against the previous quarter (in percent), each
    judged by its indicator's direction."""
    judged = judge_all(items, Against.PREVIOUS)
    result = []
    for judgement in (Judgement.MEMBAIK, Judgement.MEMBURUK):
        found = largest(judged, judgement)
        if found is not None:
            result.append(_largest(data, found, judgement is Judgement.MEMBAIK))
    return result


def counts_sentence(found: DirectionCounts) -> Sentence:
    """The sentence of one set of counts by direction, naming its base: "Dibanding triwulan
    sebelumnya, dari 51 indikator yang memiliki pembanding: 32 membaik, ..."."""
    compared, c = as_count(found.compared)
    better, b = as_count(found.membaik)
    worse, w = as_count(found.memburuk)
    same, s = as_count(found.tetap)
    without, n = as_count(found.tanpa_pembanding)
    return Sentence(
        "direction_counts",
        tx.direction_counts(found.against.value, compared, better, worse, same, without),
        figures=(c, b, w, s, n) if n else (c, b, w, s),
    )


def rule_direction_counts(data: AnalysisInput, items: Sequence[IndicatorTrend]) -> list[Sentence]:
    """How many indicators improved, worsened or held against the previous quarter and the
    same quarter of last year, by direction (none where nothing has a comparison)."""
    found = [counts(items, against) for against in (Against.PREVIOUS, Against.LAST_YEAR)]
    return [counts_sentence(f) for f in found if f.compared]


def rule_units_below(data: AnalysisInput, items: Sequence[IndicatorTrend]) -> list[Sentence]:
    """Each unit whose mean capaian is below "Tinggi" (none for a unit without capaian)."""
    result = []
    for unit in data.units:
        mean = unit_capaian(items, unit.code)
        found = numbers.predikat(mean)
        if mean is None or found is None or numbers.round2(mean) >= TINGGI_FLOOR:
            continue
        shown, cited = as_pct(mean)
        result.append(
            Sentence(
                "unit_below",
                tx.unit_below(unit.name, shown, found.value),
                units=(unit.code,),
                figures=(cited,),
            )
        )
    return result


def rule_absorption(data: AnalysisInput, items: Sequence[IndicatorTrend]) -> list[Sentence]:
    """The agency's absorption against its plan (or the year elapsed), and the units far
    behind theirs; every sentence says which it is judged against."""
    result = []
    agency = agency_absorption(data.budgets, data.quarter)
    if agency is not None:
        bench = benchmark(data.budgets, data.quarter)
        share, s = as_pct(bench.share)
        shown, cited = as_pct(agency)
        result.append(
            Sentence(
                "agency_absorption",
                tx.agency_absorption(data.label, shown, share, bench.planned),
                figures=(cited, s),
            )
        )
    for budget in data.budgets:
        value = unit_absorption(budget, data.quarter)
        bench = benchmark((budget,), data.quarter)
        if value is None or not far_behind(value, data.quarter, bench.share):
            continue
        share, s = as_pct(bench.share)
        shown, cited = as_pct(value)
        result.append(
            Sentence(
                "unit_absorption",
                tx.unit_absorption_behind(
                    data.unit_name(budget.unit_code), data.label, shown, share, bench.planned
                ),
                units=(budget.unit_code,),
                figures=(cited, s),
            )
        )
    return result


def rule_factors(data: AnalysisInput, items: Sequence[IndicatorTrend]) -> list[Sentence]:
    """Faktor pendorong/penghambat quoted from the units' notes on them."""
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
    # Driving factors first, then hindering ones, each in the order found.
    return sorted(result, key=lambda s: s.kind != f"factor_{tx.PENDORONG}")


def rule_explanations(data: AnalysisInput, items: Sequence[IndicatorTrend]) -> list[Sentence]:
    """The units' explanations of values the soft check asked about (a value that moved much
    or is far from target), quoted as explanations: they say why a value is right, not what
    drove or held back the work, so they are never a faktor pendorong/penghambat."""
    result = []
    for item in items:
        text = item.history.explanation.strip()
        if not text:
            continue
        ind = item.indicator
        result.append(
            Sentence(
                "explanation",
                tx.explanation(text, ind.name, data.unit_name(ind.unit_code)),
                units=(ind.unit_code,),
                indicators=(ind.code,),
            )
        )
    return result


def rule_open_follow_ups(data: AnalysisInput, items: Sequence[IndicatorTrend]) -> list[Sentence]:
    """Follow-ups still open from earlier periods: how many (and how many overdue), then
    each one."""
    if not data.open_follow_ups:
        return []
    overdue = sum(1 for f in data.open_follow_ups if f.overdue)
    cited = (Decimal(len(data.open_follow_ups)), Decimal(overdue))
    count = Sentence(
        "open_follow_ups_count",
        tx.open_follow_ups_count(format_number(cited[0]), format_number(cited[1])),
        figures=cited if overdue else cited[:1],
    )
    return [count] + [
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
    rule_direction_counts,
    rule_units_below,
    rule_absorption,
    rule_factors,
    rule_explanations,
    rule_open_follow_ups,
)


def narrative(data: AnalysisInput, items: Sequence[IndicatorTrend] | None = None) -> list[Sentence]:
    """The draft narrative: every rule's sentences, in the order of ``NARRATIVE_RULES``."""
    found = trends(data) if items is None else items
    return [sentence for rule in NARRATIVE_RULES for sentence in rule(data, found)]
