"""What steps 4 to 8 share: the buttons' tags, the stale check, the period's transition, the
guard of a role's button on the period, and the kasubag_kpep's and the kadin's buttons.

Below :mod:`bot.services.analysis.drafts` (issue 14's drafted narrative and suggestions),
:mod:`bot.services.quarter.agency` (steps 4 and 5), :mod:`bot.services.quarter.period_review`
(the reviewers' decision) and :mod:`bot.services.quarter.leadership` (6 to 8), so that each of
them imports only downward.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.callbacks import Cb, encode
from bot.model import Role
from bot.services.core import Caller, Outcome, caller
from bot.services.quarter.flow import refuse_role, stale
from bot.services.work import Button, Work
from bot.texts import common as texts
from bot.texts import quarter as tq
from bot.workflow import PeriodAction, PeriodState, Refused, Step, transition
from storage import org, periods

NARRATIVE = "narrative"
GENERAL = "umum"
PICK = "pilih"
MAX_RECOMMENDATION = 2000  # characters of one recommendation of the kadin


def period_tag(period_id: int, step: Step) -> str:
    """The tag of a step's action buttons, removed once the step is acted on."""
    return f"period:{period_id}:{int(step)}"


async def period_in(
    work: Work, period_id: int, version: int | None, state: PeriodState
) -> periods.Period | None:
    """The period if it is (still) in ``state`` at ``version``; else None, after saying so."""
    period = await periods.period(work.conn, period_id)
    if (
        period is None
        or period.state is not state
        or (version is not None and period.version != version)
    ):
        await stale(work)
        return None
    return period


async def move_period(
    work: Work, who: Caller, period: periods.Period, action: PeriodAction, **kwargs: Any
) -> PeriodState | None:
    """Check and apply a period transition; None (after telling the person) if refused."""
    try:
        new_state = transition(period.state, action, who.actor)
    except Refused:
        await refuse_role(work)
        return None
    if not await periods.set_period_state(work.conn, period, new_state, work.now, **kwargs):
        await stale(work)
        return None
    await work.audit(action.value, "period", period.id, kwargs or None, who.person.id)
    return new_state


async def unit_buttons(
    work: Work, period_id: int, data_for: Callable[[str], str]
) -> list[list[Button]]:
    """One button per unit reporting in the period (its name, ``data_for(unit code)``)."""
    names = {u.code: u.name for u in await org.units(work.conn)}
    return [
        [(names.get(report.unit_code, report.unit_code), data_for(report.unit_code))]
        for report in await periods.unit_reports(work.conn, period_id)
    ]


async def caller_and_period(
    work: Work, period_id: int, version: int, state: PeriodState
) -> tuple[Caller, periods.Period] | Outcome:
    """Who pressed, and the period still in ``state`` at ``version``; or the answer to give."""
    who = await caller(work)
    if who is None:
        return Outcome(texts.NOT_REGISTERED, alert=True)
    period = await period_in(work, period_id, version, state)
    if period is None:
        return Outcome(tq.SUDAH_DIPROSES)
    return who, period


async def holder_period(
    work: Work, role: Role, period_id: int, version: int | None, state: PeriodState
) -> periods.Period | Outcome:
    """The period still in ``state`` (at ``version``) for a button only ``role`` may press,
    or the answer to give."""
    who = await caller(work)
    if who is None:
        return Outcome(texts.NOT_REGISTERED, alert=True)
    if not who.holds(role):
        await refuse_role(work)
        return Outcome(texts.BUTTON_NOT_YOURS)
    period = await period_in(work, period_id, version, state)
    if period is None:
        return Outcome(tq.SUDAH_DIPROSES)
    return period


async def unit_chosen(
    work: Work,
    role: Role,
    period_id: int,
    version: int | None,
    state: PeriodState,
    target: str,
    prompt: str,
    data_for: Callable[[str], str],
) -> periods.Period | Outcome:
    """As :func:`holder_period`, for an action on one unit: on ``PICK`` the units are offered
    first (``prompt``, a button each carrying ``data_for(unit code)``)."""
    period = await holder_period(work, role, period_id, version, state)
    if isinstance(period, Outcome) or target != PICK:
        return period
    await work.reply(prompt, await unit_buttons(work, period.id, data_for))
    return Outcome()


def compile_buttons(period: periods.Period) -> list[list[Button]]:
    """The kasubag_kpep's choices in step 4."""
    return [
        [(tq.BTN_SEND_SEKRETARIS, encode(Cb.COMPILE_SUBMIT, period.id, period.version))],
        [(tq.BTN_NARRATIVE, encode(Cb.COMPILE_NARRATIVE, period.id))],
        [(tq.BTN_RETURN_UNIT, encode(Cb.COMPILE_RETURN_UNIT, period.id, period.version, PICK))],
    ]


async def head_buttons(work: Work, period: periods.Period) -> list[list[Button]]:
    """The kadin's choices in step 6."""
    return [
        [(tq.BTN_REC_GENERAL, encode(Cb.HEAD_RECOMMEND, period.id, GENERAL))],
        [(tq.BTN_REC_UNIT, encode(Cb.HEAD_RECOMMEND, period.id, PICK))],
        [
            (tq.BTN_APPROVE, encode(Cb.HEAD_APPROVE, period.id, period.version)),
            (tq.BTN_RETURN, encode(Cb.HEAD_RETURN, period.id, period.version)),
        ],
    ]
