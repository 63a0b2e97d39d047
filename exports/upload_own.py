"""An upload's figures that the bot can compute itself (the catalogue's ``pembanding``).

A unit's absorption typed as an indicator is checked against the budgets in the same file
(or those already saved for a row the file leaves empty), as chat entry checks it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Protocol, TypeVar

from bot.checks import Soft, soft_flags
from bot.model import Pembanding
from bot.numbers import absorption
from exports.template_layout import TemplateContext


class UploadedBudget(Protocol):
    """A sub kegiatan's budget read from the file (``exports.upload``'s)."""

    @property
    def sub_code(self) -> str: ...

    @property
    def value(self) -> Decimal: ...


class UploadedValue(Protocol):
    """An indicator's value read from the file (``exports.upload``'s, a dataclass)."""

    @property
    def indicator_code(self) -> str: ...

    @property
    def value(self) -> Decimal: ...

    @property
    def soft(self) -> tuple[Soft, ...]: ...


V = TypeVar("V", bound=UploadedValue)


def unit_absorption(ctx: TemplateContext, budgets: Sequence[UploadedBudget]) -> Decimal | None:
    """The unit's absorption s.d. triwulan with the file's budgets (None while one is missing)."""
    now = {**ctx.budget_current, **{b.sub_code: b.value for b in budgets}}
    with_pagu = [s for s in ctx.subs if s.pagu]
    if not with_pagu or any(s.code not in now for s in with_pagu):
        return None
    spent = sum(
        (ctx.budget_spent_before.get(s.code, Decimal(0)) + now[s.code] for s in with_pagu),
        Decimal(0),
    )
    return absorption(spent, sum((s.pagu or Decimal(0) for s in with_pagu), Decimal(0)))


def with_own_figures(
    ctx: TemplateContext, values: Sequence[V], budgets: Sequence[UploadedBudget]
) -> list[V]:
    """``values`` with the soft checks against the bot's own figure added where one applies."""
    by_code = {i.code: i for i in ctx.indicators}
    computed = unit_absorption(ctx, budgets)
    checked = []
    for value in values:
        indicator = by_code.get(value.indicator_code)
        if indicator is not None and indicator.pembanding is Pembanding.PENYERAPAN_UNIT:
            previous = ctx.previous.get(indicator.code)
            flags = soft_flags(value.value, indicator, ctx.quarter, previous, computed)
            value = replace(value, soft=flags)  # type: ignore[type-var]  # a dataclass
        checked.append(value)
    return checked
