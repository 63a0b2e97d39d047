"""Checks on what is typed (PRODUCT.md): hard refusals and soft ask-backs. Pure.

A *hard* problem refuses the value; a *soft* one accepts it only with an explanation. The same
checks serve a chat answer (text) and a spreadsheet cell (a number or text). Results carry
machine codes only; the sentences live in ``bot/texts/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from bot.model import Aggregation, Indicator
from bot.numbers_parse import NumberInputError, NumberProblem, ParsedNumber, parse_number

HUNDRED = Decimal(100)
FAR_BELOW = Decimal("0.5")  # below 50 % of the quarter target
FAR_ABOVE = Decimal("1.5")  # above 150 % of the quarter target
POSISI_MOVE = Decimal("0.5")  # a posisi value moving by more than half
# A figure the bot can compute (the catalogue's ``pembanding``) may differ from the typed one
# by this many points: rounding, not a different figure.
PEMBANDING_TOLERANCE = Decimal(1)


class Hard(StrEnum):
    """Why a value is refused. Values are stored; names pick the sentence in the texts."""

    EMPTY = "empty"
    NOT_A_NUMBER = "not_a_number"
    AMBIGUOUS = "ambiguous"  # the result's ``suggestions`` hold the readings to offer
    NEGATIVE = "negative"
    PERCENT_ABOVE_100 = "percent_above_100"
    ABOVE_PAGU = "above_pagu"
    FORMULA = "formula"  # a spreadsheet cell holding "=..."
    WRONG_UNIT = "wrong_unit"  # "50 %" as a budget, or "Rp 50" for a percentage indicator
    NOT_WHOLE = "not_whole"  # "12,5" for a count (orang, paket, ...): a typo, never a fact
    TWO_VALUES = "two_values"  # two numbers typed as one answer ("75 80")


class Soft(StrEnum):
    """Why a value is asked back before it is accepted. Values are stored with the entry."""

    FAR_BELOW_TARGET = "far_below_target"
    FAR_ABOVE_TARGET = "far_above_target"
    POSISI_JUMP = "posisi_jump"
    PEMBANDING = "pembanding"  # far from the bot's own figure (the catalogue's pembanding)


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome of a check.

    ``value`` is the number when it could be read, also when a later check refused it (so
    ``ABOVE_PAGU`` can show what was typed); ``suggestions`` come with ``AMBIGUOUS``.
    """

    value: Decimal | None
    hard: Hard | None = None
    soft: tuple[Soft, ...] = ()
    suggestions: tuple[Decimal, ...] = ()

    @property
    def ok(self) -> bool:
        """A value that can be saved as it is: read, not refused, nothing to ask back."""
        return self.value is not None and self.hard is None and not self.soft


_PROBLEM_TO_HARD = {
    NumberProblem.EMPTY: Hard.EMPTY,
    NumberProblem.NOT_A_NUMBER: Hard.NOT_A_NUMBER,
    NumberProblem.AMBIGUOUS: Hard.AMBIGUOUS,
    NumberProblem.NEGATIVE: Hard.NEGATIVE,
    NumberProblem.TWO_VALUES: Hard.TWO_VALUES,
}


def _read(raw: object) -> ParsedNumber | CheckResult:
    """A text or a spreadsheet cell as a number, or the refusal saying why it is not one."""
    if raw is None:
        return CheckResult(None, Hard.EMPTY)
    # bool is an int subclass: a TRUE cell is not the number 1.
    if isinstance(raw, bool):
        return CheckResult(None, Hard.NOT_A_NUMBER)
    if isinstance(raw, ParsedNumber):
        # Already read, e.g. a spreadsheet cell typed "75,5 %" (stored 0.755, shown as percent).
        if not raw.value.is_finite():
            return CheckResult(None, Hard.NOT_A_NUMBER)
        if raw.value < 0:
            return CheckResult(None, Hard.NEGATIVE)
        return ParsedNumber(abs(raw.value), raw.percent, raw.currency)
    if isinstance(raw, int | float | Decimal):
        # Floats go through repr, the shortest text that round-trips: a typed 75.5 stays 75.5.
        # float() first: numpy's float64 has its own repr ("np.float64(75.5)").
        value = Decimal(repr(float(raw))) if isinstance(raw, float) else Decimal(raw)
        if not value.is_finite():
            return CheckResult(None, Hard.NOT_A_NUMBER)
        if value < 0:
            return CheckResult(None, Hard.NEGATIVE)
        return ParsedNumber(abs(value))  # abs: no signed zero
    text = raw if isinstance(raw, str) else str(raw)
    if text.lstrip().startswith("="):
        return CheckResult(None, Hard.FORMULA)
    try:
        return parse_number(text)
    except NumberInputError as exc:
        return CheckResult(None, _PROBLEM_TO_HARD[exc.problem], suggestions=exc.suggestions)


def _check_quarter(quarter: int) -> None:
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"triwulan must be 1..4, not {quarter!r}")


def _indicator_checks(
    raw: object,
    indicator: Indicator,
    quarter: int,
    previous: Decimal | None,
    computed: Decimal | None = None,
) -> CheckResult:
    _check_quarter(quarter)
    parsed = _read(raw)
    if isinstance(parsed, CheckResult):
        return parsed
    value = parsed.value
    if parsed.currency and indicator.is_percentage:
        return CheckResult(value, Hard.WRONG_UNIT)
    if indicator.is_percentage and value > HUNDRED:
        return CheckResult(value, Hard.PERCENT_ABOVE_100)
    if indicator.is_count and value != value.to_integral_value():
        return CheckResult(value, Hard.NOT_WHOLE)
    return CheckResult(value, None, soft_flags(value, indicator, quarter, previous, computed))


def soft_flags(
    value: Decimal,
    indicator: Indicator,
    quarter: int,
    previous: Decimal | None,
    computed: Decimal | None = None,
) -> tuple[Soft, ...]:
    """The soft flags of a valid value: far from the quarter target, a posisi jump, or far
    from ``computed``, the bot's own figure for an indicator with a ``pembanding``."""
    _check_quarter(quarter)
    flags: list[Soft] = []
    # Magnitude checks, whatever the direction: they catch typos, not poor performance.
    # A target of 0 means "not set" (PRODUCT.md), so it gives nothing to compare with.
    target = indicator.targets_q[quarter - 1]
    if target is not None and target > 0:
        if value < target * FAR_BELOW:
            flags.append(Soft.FAR_BELOW_TARGET)
        elif value > target * FAR_ABOVE:
            flags.append(Soft.FAR_ABOVE_TARGET)
    # Only a stock or a rate should stay near last quarter's figure; a flow starts afresh.
    if (
        indicator.aggregation is Aggregation.LATEST
        and previous is not None
        and previous > 0
        and abs(value - previous) > previous * POSISI_MOVE
    ):
        flags.append(Soft.POSISI_JUMP)
    if (
        indicator.pembanding is not None
        and computed is not None
        and abs(value - computed) > PEMBANDING_TOLERANCE
    ):
        flags.append(Soft.PEMBANDING)
    return tuple(flags)


def _budget_checks(raw: object, pagu: Decimal | None, spent_before: Decimal | None) -> CheckResult:
    parsed = _read(raw)
    if isinstance(parsed, CheckResult):
        return parsed
    if parsed.percent:
        # "50 %" of what? Reading it as Rp 50 would be a silent guess.
        return CheckResult(parsed.value, Hard.WRONG_UNIT)
    # Without a pagu there is nothing to exceed; a pagu of 0 allows nothing.
    if pagu is not None and parsed.value + (spent_before or Decimal(0)) > pagu:
        return CheckResult(parsed.value, Hard.ABOVE_PAGU)
    return CheckResult(parsed.value)


def check_indicator_value(
    text: str,
    indicator: Indicator,
    quarter: int,
    previous: Decimal | None,
    computed: Decimal | None = None,
) -> CheckResult:
    """Check a typed realisation for triwulan ``quarter``; ``previous`` is last quarter's,
    ``computed`` the bot's own figure when the indicator has a ``pembanding``."""
    return _indicator_checks(text, indicator, quarter, previous, computed)


def check_budget_value(
    text: str, pagu: Decimal | None, already_spent_other_quarters: Decimal = Decimal(0)
) -> CheckResult:
    """Check a typed quarter's budget spent: the year's total may not exceed the pagu."""
    return _budget_checks(text, pagu, already_spent_other_quarters)


def check_cell_value(
    raw: object,
    indicator: Indicator | None = None,
    quarter: int | None = None,
    previous: Decimal | None = None,
) -> CheckResult:
    """Check a spreadsheet cell: with an indicator and quarter all its checks, else the number only.

    Numbers (int, float, Decimal) are taken as they are; text is read the Indonesian way; an
    empty cell (None or blank) is ``EMPTY``; text starting with ``=`` is ``FORMULA``.
    """
    if indicator is None:
        parsed = _read(raw)
        return parsed if isinstance(parsed, CheckResult) else CheckResult(parsed.value)
    if quarter is None:
        raise ValueError("an indicator cell needs its triwulan")
    return _indicator_checks(raw, indicator, quarter, previous)


def check_budget_cell(
    raw: object, pagu: Decimal | None, already_spent_other_quarters: Decimal = Decimal(0)
) -> CheckResult:
    """Check a spreadsheet cell of budget spent, as ``check_budget_value`` does for text."""
    return _budget_checks(raw, pagu, already_spent_other_quarters)
