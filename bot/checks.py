"""Checks on what is typed (PRODUCT.md): hard refusals and soft ask-backs. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from bot.model import Aggregation, Indicator
from bot.numbers import NumberInputError, NumberProblem, parse_number

HALF = Decimal("0.5")
LOW = Decimal("0.5")
HIGH = Decimal("1.5")


class Hard(StrEnum):
    """A value that is refused, with the reason."""

    EMPTY = "empty"
    NOT_A_NUMBER = "not_a_number"
    AMBIGUOUS = "ambiguous"
    NEGATIVE = "negative"
    PERCENT_ABOVE_100 = "percent_above_100"
    ABOVE_PAGU = "above_pagu"
    FORMULA = "formula"


class Soft(StrEnum):
    """A value that is accepted only with an explanation."""

    FAR_BELOW_TARGET = "far_below_target"
    FAR_ABOVE_TARGET = "far_above_target"
    POSISI_JUMP = "posisi_jump"


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The value (when it parsed), a hard refusal, soft flags and readings for ambiguity."""

    value: Decimal | None
    hard: Hard | None = None
    soft: tuple[Soft, ...] = ()
    suggestions: tuple[Decimal, ...] = ()


_PROBLEM_TO_HARD = {
    NumberProblem.EMPTY: Hard.EMPTY,
    NumberProblem.NOT_A_NUMBER: Hard.NOT_A_NUMBER,
    NumberProblem.AMBIGUOUS: Hard.AMBIGUOUS,
    NumberProblem.NEGATIVE: Hard.NEGATIVE,
}


def _parse(raw: object) -> CheckResult:
    """A text or a spreadsheet cell as a number, or the hard reason it is not one."""
    if isinstance(raw, bool):
        return CheckResult(None, Hard.NOT_A_NUMBER)
    if isinstance(raw, int | float | Decimal):
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            return CheckResult(None, Hard.NOT_A_NUMBER)
        if not value.is_finite():
            return CheckResult(None, Hard.NOT_A_NUMBER)
        if value < 0:
            return CheckResult(None, Hard.NEGATIVE)
        return CheckResult(value)
    text = "" if raw is None else str(raw)
    if text.strip().startswith("="):
        return CheckResult(None, Hard.FORMULA)
    try:
        return CheckResult(parse_number(text).value)
    except NumberInputError as exc:
        return CheckResult(None, _PROBLEM_TO_HARD[exc.problem], suggestions=exc.suggestions)


def check_indicator_value(
    text: object, indicator: Indicator, quarter: int, previous: Decimal | None
) -> CheckResult:
    """Check a realisation for ``indicator`` in triwulan ``quarter``."""
    parsed = _parse(text)
    if parsed.hard or parsed.value is None:
        return parsed
    value = parsed.value
    if indicator.is_percentage and value > 100:
        return CheckResult(value, Hard.PERCENT_ABOVE_100)
    soft: list[Soft] = []
    target = indicator.targets_q[quarter - 1]
    if target is not None and target > 0:
        if value < target * LOW:
            soft.append(Soft.FAR_BELOW_TARGET)
        elif value > target * HIGH:
            soft.append(Soft.FAR_ABOVE_TARGET)
    if (
        indicator.aggregation is Aggregation.LATEST
        and previous is not None
        and previous > 0
        and abs(value - previous) > previous * HALF
    ):
        soft.append(Soft.POSISI_JUMP)
    return CheckResult(value, None, tuple(soft))


def check_budget_value(
    text: object, pagu: Decimal | None, already_spent_other_quarters: Decimal = Decimal(0)
) -> CheckResult:
    """Check a quarter's budget spent against what is left of the sub kegiatan's pagu."""
    parsed = _parse(text)
    if parsed.hard or parsed.value is None:
        return parsed
    if pagu is not None and parsed.value + already_spent_other_quarters > pagu:
        return CheckResult(parsed.value, Hard.ABOVE_PAGU)
    return parsed


def check_cell_value(raw: object) -> CheckResult:
    """A spreadsheet cell as a number: numbers as they are, text the Indonesian way."""
    return _parse(raw)
