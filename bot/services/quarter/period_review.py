"""A reviewer's decision on the whole period (steps 5 and 6): Setujui moves it on, Minta
revisi takes it back to step 4 with the reason.

The Sekretaris's review is in ``bot.services.quarter.agency``, the Kepala Dinas's in
``bot.services.quarter.leadership``; the leaders' page (``dashboard``) approves through
:func:`approve_in` too.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.model import Role
from bot.services.analysis import choice
from bot.services.analysis.drafts import offer_again
from bot.services.core import Caller, Core, Origin, Outcome, caller
from bot.services.quarter.flow import ask_reason, move_step, refuse_role
from bot.services.quarter.period_steps import compile_buttons, move_period, period_in, period_tag
from bot.services.work import Work
from bot.texts import agency as ta
from bot.texts import common as texts
from bot.texts import quarter as tq
from bot.workflow import Grant, PeriodAction, PeriodState, Step
from storage import periods


@dataclass(frozen=True, slots=True)
class Review:
    """A reviewer's step on the whole period (5 or 6): who decides, when, and what follows."""

    state: PeriodState  # the period's state while it waits for the reviewer
    role: Role
    step: Step
    next_step: Step
    approve: PeriodAction
    return_kind: str  # the ``on_reason`` name that takes the reason of a Minta revisi
    passes_to: Role  # who receives it once approved (named in the approval's stamp)


Then = Callable[[Work, Caller, periods.Period], Awaitable[None]]


async def decide(
    core: Core,
    origin: Origin,
    period_id: int,
    version: int,
    approve: bool,
    review: Review,
    then: Then,
) -> Outcome:
    """Setujui moves the period on and hands it to ``then``; Minta revisi asks the reason."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome(texts.NOT_REGISTERED, alert=True)
        if approve:
            return await approve_in(work, who, period_id, version, review, then)
        period = await _under_review(work, who, period_id, version, review)
        if isinstance(period, Outcome):
            return period
        await ask_reason(work, review.return_kind, "revisi", period=period_id, version=version)
    return Outcome()


async def _under_review(
    work: Work, who: Caller, period_id: int, version: int, review: Review
) -> periods.Period | Outcome:
    """The period still waiting at ``version`` on ``who``'s review, or the answer to give."""
    period = await period_in(work, period_id, version, review.state)
    if period is None:
        return Outcome(tq.SUDAH_DIPROSES)
    if not who.holds(review.role):
        await refuse_role(work)
        return Outcome(texts.BUTTON_NOT_YOURS)
    return period


async def approve_in(
    work: Work, who: Caller, period_id: int, version: int, review: Review, then: Then
) -> Outcome:
    """A reviewer's Setujui inside an open use case (the chat's button, the leaders' page):
    compare-and-set on the period's version; the chat request's buttons are removed."""
    period = await _under_review(work, who, period_id, version, review)
    if isinstance(period, Outcome):
        return period
    if await move_period(work, who, period, review.approve) is None:
        return Outcome(tq.SUDAH_DIPROSES)
    await move_step(
        work, period.id, None, review.step, review.next_step, who, "disetujui", review.role
    )
    await work.clear_buttons(
        period_tag(period.id, review.step),
        tq.approved_note(who.person.full_name, work.now, texts.role_title(review.passes_to)),
    )
    fresh = await periods.period(work.conn, period.id)
    assert fresh is not None
    await then(work, who, fresh)
    return Outcome()


async def returned_to_compiling(
    work: Work,
    who: Caller,
    data: dict[str, Any],
    reason: str,
    state: PeriodState,
    action: PeriodAction,
    step: Step,
    role: Role,
) -> None:
    """A reviewer's Minta revisi with its reason: the period goes back to step 4."""
    period = await period_in(work, int(data["period"]), int(data["version"]), state)
    if period is None:
        return
    if await move_period(work, who, period, action, return_reason=reason) is None:
        return
    await move_step(work, period.id, None, step, Step.COMPILE, who, "dikembalikan", role)
    await work.clear_buttons(
        period_tag(period.id, step),
        tq.returned_note(who.person.full_name, work.now, reason, texts.titles().coordinator_short),
    )
    fresh = await periods.period(work.conn, period.id)
    assert fresh is not None
    await choice.snapshot_at_return(work, fresh, step)
    await work.notify(
        Grant(Role.KASUBAG_KPEP),
        ta.agency_returned(fresh.label, who.person.full_name, reason),
        compile_buttons(fresh),
        tag=period_tag(fresh.id, Step.COMPILE),
    )
    await offer_again(work, fresh)
    # The note with the reason replaced the request itself: a short receipt, not a repeat.
    await work.acknowledge(ta.returned_to(texts.titles().coordinator_short))
