"""Hard refusals and soft ask-backs on typed values and spreadsheet cells (bot/checks.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.checks import (
    CheckResult,
    Hard,
    Soft,
    check_budget_cell,
    check_budget_value,
    check_cell_value,
    check_indicator_value,
    soft_flags,
)
from bot.model import Aggregation, Direction, Indicator
from bot.numbers_format import format_number

D = Decimal


def indicator(
    satuan: str = "nilai",  # a measure: fractions allowed (a count is tested below)
    aggregation: Aggregation = Aggregation.SUM,
    targets: tuple[Decimal | None, Decimal | None, Decimal | None, Decimal | None] = (
        D(100),
        D(100),
        D(100),
        D(100),
    ),
    direction: Direction = Direction.UP,
) -> Indicator:
    return Indicator(
        code="1.1",
        name="Indikator",
        unit_code="latihan",
        activity_code="a",
        satuan=satuan,
        direction=direction,
        aggregation=aggregation,
        target_annual=D(400),
        targets_q=targets,
    )


FLOW = indicator()
RATE = indicator(satuan="%", aggregation=Aggregation.LATEST, targets=(D(60),) * 4)
STOCK = indicator(satuan="unit", aggregation=Aggregation.LATEST, targets=(None,) * 4)


@pytest.mark.parametrize(
    ("text", "ind", "previous", "value", "hard", "soft"),
    [
        ("100", FLOW, None, "100", None, ()),
        ("50", FLOW, None, "50", None, ()),  # exactly 50 %: not flagged
        ("49,99", FLOW, None, "49.99", None, (Soft.FAR_BELOW_TARGET,)),
        ("150", FLOW, None, "150", None, ()),  # exactly 150 %: not flagged
        ("150,01", FLOW, None, "150.01", None, (Soft.FAR_ABOVE_TARGET,)),
        ("0", FLOW, None, "0", None, (Soft.FAR_BELOW_TARGET,)),
        ("1.000", FLOW, None, "1000", None, (Soft.FAR_ABOVE_TARGET,)),
        ("100", FLOW, D(10), "100", None, ()),  # a flow may jump: no POSISI_JUMP
        ("75,5 %", RATE, None, "75.5", None, ()),
        ("75.5", RATE, None, "75.5", None, ()),
        ("90", RATE, None, "90", None, ()),
        ("100", RATE, None, "100", None, (Soft.FAR_ABOVE_TARGET,)),
        ("100,01", RATE, None, "100.01", Hard.PERCENT_ABOVE_100, ()),
        ("150", RATE, None, "150", Hard.PERCENT_ABOVE_100, ()),
        ("Rp 50", RATE, None, "50", Hard.WRONG_UNIT, ()),
        ("60", RATE, D(40), "60", None, ()),  # +50 %: not more than half
        ("61", RATE, D(40), "61", None, (Soft.POSISI_JUMP,)),
        ("60", RATE, D(100), "60", None, ()),
        ("49", RATE, D(100), "49", None, (Soft.POSISI_JUMP,)),
        ("25", RATE, D(60), "25", None, (Soft.FAR_BELOW_TARGET, Soft.POSISI_JUMP)),
        ("60", RATE, D(0), "60", None, ()),  # no relative change from 0
        ("500", STOCK, None, "500", None, ()),  # no target: nothing to compare with
        ("500", STOCK, D(100), "500", None, (Soft.POSISI_JUMP,)),
        ("", FLOW, None, None, Hard.EMPTY, ()),
        ("dua", FLOW, None, None, Hard.NOT_A_NUMBER, ()),
        ("-5", FLOW, None, None, Hard.NEGATIVE, ()),
        ("=A1", FLOW, None, None, Hard.FORMULA, ()),
        ("0.500", FLOW, None, None, Hard.AMBIGUOUS, ()),
    ],
)
def test_indicator_value(
    text: str,
    ind: Indicator,
    previous: Decimal | None,
    value: str | None,
    hard: Hard | None,
    soft: tuple[Soft, ...],
) -> None:
    result = check_indicator_value(text, ind, 1, previous)
    assert result.value == (None if value is None else D(value))
    assert result.hard == hard
    assert result.soft == soft
    assert result.ok == (hard is None and not soft)


def test_ambiguous_value_carries_suggestions() -> None:
    result = check_indicator_value("1,250,000", FLOW, 1, None)
    assert result == CheckResult(None, Hard.AMBIGUOUS, (), (D(1250000),))


def test_soft_uses_the_quarters_own_target() -> None:
    ind = indicator(targets=(D(10), D(100), None, D(0)))
    assert check_indicator_value("60", ind, 1, None).soft == (Soft.FAR_ABOVE_TARGET,)
    assert check_indicator_value("60", ind, 2, None).soft == ()
    assert check_indicator_value("60", ind, 3, None).soft == ()  # no target
    assert check_indicator_value("60", ind, 4, None).soft == ()  # target 0 = not set


def test_soft_ignores_direction() -> None:
    down = indicator(direction=Direction.DOWN)
    assert check_indicator_value("10", down, 1, None).soft == (Soft.FAR_BELOW_TARGET,)


@pytest.mark.parametrize("satuan", ["%", "persen", " Persentase "])
def test_percentage_satuan_spellings(satuan: str) -> None:
    ind = indicator(satuan=satuan)
    assert check_indicator_value("101", ind, 1, None).hard is Hard.PERCENT_ABOVE_100


def test_quarter_must_be_one_to_four() -> None:
    for bad in (0, 5):
        with pytest.raises(ValueError):
            check_indicator_value("1", FLOW, bad, None)
        with pytest.raises(ValueError):
            soft_flags(D(1), FLOW, bad, None)


@pytest.mark.parametrize(
    ("text", "pagu", "before", "value", "hard"),
    [
        ("Rp 1.250.000", D(5_000_000), D(0), "1250000", None),
        ("1.250.000", D(5_000_000), D(3_750_000), "1250000", None),  # exactly the pagu
        ("1.250.001", D(5_000_000), D(3_750_000), "1250001", Hard.ABOVE_PAGU),
        ("6.000.000", D(5_000_000), D(0), "6000000", Hard.ABOVE_PAGU),
        ("1", D(0), D(0), "1", Hard.ABOVE_PAGU),
        ("0", D(0), D(0), "0", None),
        ("9.999.999.999", None, D(0), "9999999999", None),  # no pagu: nothing to exceed
        ("50 %", D(1000), D(0), "50", Hard.WRONG_UNIT),
        ("Rp -5", D(1000), D(0), None, Hard.NEGATIVE),
        ("", D(1000), D(0), None, Hard.EMPTY),
        ("lima juta", D(1000), D(0), None, Hard.NOT_A_NUMBER),
        ("0.500", D(1000), D(0), None, Hard.AMBIGUOUS),
    ],
)
def test_budget_value(
    text: str, pagu: Decimal | None, before: Decimal, value: str | None, hard: Hard | None
) -> None:
    result = check_budget_value(text, pagu, before)
    assert result.value == (None if value is None else D(value))
    assert result.hard == hard
    assert result.soft == ()


def test_budget_default_spent_before_is_zero() -> None:
    assert check_budget_value("1.000", D(1000)).hard is None
    assert check_budget_value("1.001", D(1000)).hard is Hard.ABOVE_PAGU


@pytest.mark.parametrize(
    ("raw", "value", "hard"),
    [
        (120, "120", None),
        (75.5, "75.5", None),
        (0.1, "0.1", None),
        (1250000.0, "1250000", None),
        (D("12.5"), "12.5", None),
        (0, "0", None),
        ("1.250.000,75", "1250000.75", None),
        ("75.5", "75.5", None),
        (" 12,5 ", "12.5", None),
        (-1, None, Hard.NEGATIVE),
        (-0.5, None, Hard.NEGATIVE),
        ("-1", None, Hard.NEGATIVE),
        (None, None, Hard.EMPTY),
        ("", None, Hard.EMPTY),
        ("   ", None, Hard.EMPTY),
        ("=SUM(A1:A3)", None, Hard.FORMULA),
        (" =1+1", None, Hard.FORMULA),
        ("=", None, Hard.FORMULA),
        (True, None, Hard.NOT_A_NUMBER),
        (float("nan"), None, Hard.NOT_A_NUMBER),
        (float("inf"), None, Hard.NOT_A_NUMBER),
        (D("NaN"), None, Hard.NOT_A_NUMBER),
        ("n/a", None, Hard.NOT_A_NUMBER),
        (object(), None, Hard.NOT_A_NUMBER),
        ("1,250,000", None, Hard.AMBIGUOUS),
    ],
)
def test_cell_value(raw: object, value: str | None, hard: Hard | None) -> None:
    result = check_cell_value(raw)
    assert result.value == (None if value is None else D(value))
    assert result.hard == hard
    assert result.soft == ()


def test_cell_with_indicator_runs_every_check() -> None:
    assert check_cell_value(150.5, RATE, 2, None).hard is Hard.PERCENT_ABOVE_100
    assert check_cell_value(10, FLOW, 1, None).soft == (Soft.FAR_BELOW_TARGET,)
    assert check_cell_value("61", RATE, 1, D(40)).soft == (Soft.POSISI_JUMP,)
    assert check_cell_value("=1", FLOW, 1, None).hard is Hard.FORMULA
    with pytest.raises(ValueError):
        check_cell_value(10, FLOW)


def test_cell_numbers_from_numpy_and_huge_integers() -> None:
    numpy = pytest.importorskip("numpy")
    assert check_cell_value(numpy.float64(75.5)).value == D("75.5")
    assert check_cell_value(numpy.int64(120)).value == D(120)
    assert check_cell_value(numpy.float64("nan")).hard is Hard.NOT_A_NUMBER
    assert check_cell_value(10**5000).value == D(10) ** 5000


def test_budget_cell() -> None:
    assert check_budget_cell(1_000_000.0, D(1_000_000)).ok
    assert check_budget_cell(1_000_000.01, D(1_000_000)).hard is Hard.ABOVE_PAGU
    assert check_budget_cell("Rp 500.000", D(1_000_000), D(600_000)).hard is Hard.ABOVE_PAGU
    assert check_budget_cell("=B2*2", D(1)).hard is Hard.FORMULA


# ---- properties ---------------------------------------------------------------------------

values = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)
targets = st.one_of(st.none(), st.decimals(min_value=0, max_value=10**6, places=2))


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=50), st.integers(), st.floats(), st.none(), st.booleans()))
def test_any_input_gives_a_result_never_an_exception(raw: object) -> None:
    for result in (
        check_cell_value(raw),
        check_cell_value(raw, FLOW, 3, D(5)),
        check_budget_cell(raw, D(1000)),
    ):
        assert (result.value is None) <= (result.hard is not None)
        assert not (result.hard and result.soft)
        assert (result.hard is Hard.AMBIGUOUS) == bool(result.suggestions)


@settings(max_examples=300, deadline=None)
@given(values, targets, st.one_of(st.none(), values), st.sampled_from(list(Aggregation)))
def test_soft_flags_match_their_definitions(
    value: Decimal, target: Decimal | None, previous: Decimal | None, aggregation: Aggregation
) -> None:
    ind = indicator(aggregation=aggregation, targets=(target, target, target, target))
    result = check_indicator_value(format_number(value), ind, 2, previous)
    assert result.value == value and result.hard is None
    has_target = target is not None and target > 0
    assert (Soft.FAR_BELOW_TARGET in result.soft) == (has_target and value * 2 < target)
    assert (Soft.FAR_ABOVE_TARGET in result.soft) == (has_target and value * 2 > target * 3)
    jump = (
        aggregation is Aggregation.LATEST
        and previous is not None
        and previous > 0
        and abs(value - previous) * 2 > previous
    )
    assert (Soft.POSISI_JUMP in result.soft) == jump


@settings(max_examples=200, deadline=None)
@given(values, st.one_of(st.none(), values), values)
def test_above_pagu_exactly_when_the_year_exceeds_it(
    spent: Decimal, pagu: Decimal | None, before: Decimal
) -> None:
    result = check_budget_value("Rp " + format_number(spent), pagu, before)
    assert result.value == spent
    assert (result.hard is Hard.ABOVE_PAGU) == (pagu is not None and spent + before > pagu)


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False))
def test_a_number_cell_and_its_typed_text_agree(value: Decimal) -> None:
    assert check_cell_value(value).value == check_cell_value(format_number(value)).value == value


@pytest.mark.parametrize("satuan", ["orang", "Paket", " perusahaan ", "kegiatan", "dokumen"])
def test_a_count_takes_whole_numbers_only(satuan: str) -> None:
    count = indicator(satuan=satuan)
    assert count.is_count
    assert check_indicator_value("12,5", count, 1, None).hard is Hard.NOT_WHOLE
    assert check_indicator_value("6,1", count, 1, None).hard is Hard.NOT_WHOLE
    assert check_cell_value(12.5, count, 1).hard is Hard.NOT_WHOLE
    assert check_indicator_value("120", count, 1, None).ok
    assert check_cell_value(120.0, count, 1).ok  # a whole float cell is a whole number


def test_the_catalogue_overrides_the_satuan_guess() -> None:
    from dataclasses import replace

    hours = indicator(satuan="jam")
    assert not hours.is_count and check_indicator_value("12,5", hours, 1, None).value == D("12.5")
    assert replace(hours, whole_number=True).is_count
    assert not replace(indicator(satuan="orang"), whole_number=False).is_count
    measured = replace(indicator(satuan="orang"), whole_number=False)
    assert check_indicator_value("112,5", measured, 1, None).ok
