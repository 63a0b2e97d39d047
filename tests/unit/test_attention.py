"""What needs attention and the reviewers' summary (issue 19, items 3 to 5), over random figures.

The judgements of ``bot.analysis.attention`` and ``bot.analysis.summary`` are checked against
their definitions, computed here independently, for random figures and directions.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from bot import analysis as an
from bot.analysis import attention as at
from bot.analysis.summary import summarise
from bot.checks import Soft, soft_flags
from bot.model import Aggregation, Direction, Indicator, Pembanding
from bot.numbers import round2
from bot.services.analysis.choice import NAMED_BELOW, summary_text
from bot.texts import decide as td
from tests.unit.test_analysis import inputs

D = Decimal
percents = st.decimals(min_value=0, max_value=300, places=2, allow_nan=False)
maybe_percent = st.one_of(st.none(), percents)


@given(maybe_percent, maybe_percent)
def test_progress_and_spending_mismatch_follow_their_definition(
    progress: Decimal | None, absorption: Decimal | None
) -> None:
    found = at.spending_mismatch(progress, absorption)
    if progress is None or absorption is None:
        assert found is None
    elif progress >= 100 and absorption < 10:
        assert found is at.Mismatch.PROGRESS_WITHOUT_SPENDING
    elif absorption - min(progress, D(100)) > 50:
        assert found is at.Mismatch.SPENDING_WITHOUT_PROGRESS
    else:
        assert found is None


def indicator(direction: Direction, aggregation: Aggregation, annual: int) -> Indicator:
    quarter = D(annual) / 4 if aggregation is Aggregation.SUM else D(annual)
    return Indicator(
        "X-01", "Indikator", "u", "1.01", "orang", direction, aggregation, D(annual),
        (quarter, quarter, quarter, quarter),
    )  # fmt: skip


@given(
    st.sampled_from(list(Direction)),
    st.sampled_from(list(Aggregation)),
    st.integers(min_value=1, max_value=400),
    st.lists(st.integers(min_value=0, max_value=400).map(D), min_size=4, max_size=4),
    st.integers(min_value=1, max_value=4),
)
def test_a_target_reached_early_is_judged_against_the_year(
    direction: Direction,
    aggregation: Aggregation,
    annual: int,
    values: list[Decimal],
    quarter: int,
) -> None:
    ind = indicator(direction, aggregation, annual)
    item = at.reading(ind, values[quarter - 1], tuple(values[: quarter - 1]), quarter)
    reached = at.target_reached_early(item, quarter)
    to_date = sum(values[:quarter], D(0)) if aggregation is Aggregation.SUM else values[quarter - 1]
    assert item.to_date == to_date
    if quarter == 4 or (direction is Direction.DOWN and aggregation is Aggregation.SUM):
        assert not reached  # the year is over, or a year's flow not yet complete
    elif direction is Direction.UP:
        assert reached == (to_date >= annual)
    else:  # a lower-is-better stock or rate: at or under the year's target
        assert reached == (to_date <= annual)


@given(st.decimals(min_value=0, max_value=100, places=2), maybe_percent)
def test_a_typed_figure_beside_the_bots_own_differs_past_one_point(
    typed: Decimal, computed: Decimal | None
) -> None:
    differs = at.pembanding_differs(typed, computed)
    assert differs == (computed is not None and abs(typed - computed) > 1)


@given(inputs())
def test_the_summary_counts_its_base_and_judges_moves_by_direction(
    data: an.AnalysisInput,
) -> None:
    items = an.trends(data)
    found = summarise(data, items)
    assert found.counted + found.without == len(data.indicators)
    assert found.counted == sum(1 for t in items if t.cap is not None)
    assert set(found.indicators_below) == {
        t.indicator.code for t in items if t.cap is not None and round2(t.cap) < 76
    }
    for judged, better in ((found.best, True), (found.worst, False)):
        if judged is None:
            continue
        assert judged.change is not None
        rose = judged.change.after > judged.change.before
        up = judged.indicator.direction is Direction.UP
        # a lower-is-better figure that rose is never the improvement, and so on
        assert (rose == up) == better
        # and it is the largest of its kind, in percent of the earlier figure
        same = [
            abs(t.vs_previous.pct)
            for t in items
            if t.vs_previous is not None
            and t.vs_previous.pct is not None
            and t.vs_previous.trend is not an.Trend.TETAP
            and (
                (t.vs_previous.after > t.vs_previous.before)
                == (t.indicator.direction is Direction.UP)
            )
            == better
        ]
        assert judged.size == max(same)


@given(inputs(), st.decimals(min_value=0, max_value=100, places=2))
def test_an_agency_figure_is_checked_against_every_units_budget(
    data: an.AnalysisInput, typed: Decimal
) -> None:
    marked = [
        an.IndicatorHistory(
            Indicator(
                "SEK-01", "Persentase realisasi anggaran Dinas", data.units[0].code, "1.01", "%",
                Direction.UP, Aggregation.LATEST, D(95), (D(20), D(45), D(70), D(95)),
                pembanding=Pembanding.PENYERAPAN_DINAS,
            ),
            current=tuple(typed if q == data.quarter else None for q in range(1, 5)),  # type: ignore[arg-type]
        )
    ]  # fmt: skip
    checked = an.AnalysisInput(
        data.year, data.quarter, data.units, (*data.indicators, *marked), data.budgets
    )
    computed = an.agency_absorption(data.budgets, data.quarter)
    found = at.agency_figures_differ(checked)
    if computed is None or abs(typed - computed) <= 1:
        assert found == []
    else:
        assert [(f.indicator.code, f.typed, f.computed) for f in found] == [
            ("SEK-01", typed, computed)
        ]


@given(
    st.decimals(min_value=0, max_value=100, places=2),
    maybe_percent,
    st.sampled_from([None, *Pembanding]),
)
def test_the_soft_check_against_the_bots_own_figure(
    typed: Decimal, computed: Decimal | None, pembanding: Pembanding | None
) -> None:
    absorption = Indicator(
        "SEK-01", "Persentase realisasi anggaran", "sekretariat", "1.01", "%", Direction.UP,
        Aggregation.LATEST, D(95), (None, None, None, None), pembanding=pembanding,
    )  # fmt: skip
    flagged = Soft.PEMBANDING in soft_flags(typed, absorption, 1, None, computed)
    assert flagged == (
        pembanding is not None and computed is not None and abs(typed - computed) > 1
    )


@given(inputs())
def test_the_summary_names_its_indicators_with_the_code_in_brackets(
    data: an.AnalysisInput,
) -> None:
    """A reviewer reads "Jumlah kasus… (PEN-12)", never a bare code; within five lines."""
    found = summarise(data)
    names = {h.indicator.code: h.indicator.name for h in data.indicators}
    text = summary_text("Triwulan I 2026", found, {u.code: u.name for u in data.units}, names)
    lines = text.split("\n")
    assert len(lines) <= 5
    below = lines[3]
    for code in found.indicators_below[:NAMED_BELOW]:
        assert td.esc(td.indicator_label(names[code], code)) in below
    moves = lines[4]
    for judged in (found.best, found.worst):
        if judged is not None and judged.change is not None:
            label = td.indicator_label(judged.indicator.name, judged.indicator.code)
            assert td.esc(label) in moves
