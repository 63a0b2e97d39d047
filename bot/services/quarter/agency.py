"""Steps 4 and 5: compile and analyse (the narrative, a unit returned, the send to the
Sekretaris), and the Sekretaris's review.

What each step sends its next approver is in ``bot.services.quarter.step_requests``; the
reviewers' decision, shared with step 6, in ``bot.services.quarter.period_review``. Steps 6
to 8 (the head's review with recommendations, forward, distribute) are in
``bot.services.quarter.leadership``; the pieces steps 4 to 8 share in
``bot.services.quarter.period_steps``.
"""

from __future__ import annotations

from typing import Any

from bot.callbacks import Cb, encode
from bot.model import Role
from bot.services.analysis import choice
from bot.services.analysis.drafts import save_narrative
from bot.services.core import Caller, Core, Origin, Outcome
from bot.services.dialogue import route
from bot.services.files import recipes
from bot.services.quarter.flow import ask_reason, move_step, on_reason, refuse_role, stale
from bot.services.quarter.period_review import Review, Then, decide, returned_to_compiling
from bot.services.quarter.period_steps import (
    NARRATIVE,
    caller_and_period,
    compile_buttons,
    holder_period,
    move_period,
    period_in,
    period_tag,
    unit_chosen,
)
from bot.services.quarter.step_requests import send_head_request, send_secretary_request
from bot.services.work import Work
from bot.texts import agency as ta
from bot.texts import common as texts
from bot.texts import entry as te
from bot.texts import fit as tf
from bot.texts import quarter as tq
from bot.workflow import (
    Grant,
    PeriodAction,
    PeriodState,
    Refused,
    Step,
    UnitAction,
    UnitState,
    transition_unit,
)
from storage import org, periods, updates
from storage.updates import Dialog


async def write_narrative(core: Core, origin: Origin, period_id: int) -> Outcome:
    """'Tulis narasi analisis': the next text is the narrative."""
    async with core.work(origin) as work:
        period = await holder_period(
            work, Role.KASUBAG_KPEP, period_id, None, PeriodState.COMPILING
        )
        if isinstance(period, Outcome):
            return period
        await updates.set_dialog(
            work.conn, origin.telegram_id, Dialog(NARRATIVE, {"period": period_id}), work.now
        )
        await work.reply(ta.ASK_NARRATIVE, force_reply=True)
    return Outcome()


@route(NARRATIVE)
async def _narrative(core: Core, work: Work, who: Caller, dialog: Dialog, text: str) -> None:
    assert work.origin is not None
    await updates.clear_dialog(work.conn, work.origin.telegram_id)
    period = await period_in(work, int(dialog.data["period"]), None, PeriodState.COMPILING)
    if period is None or not who.holds(Role.KASUBAG_KPEP):
        return
    await save_narrative(work, who, period.id, dialog.data, text)
    await work.clear_buttons(period_tag(period.id, Step.COMPILE))
    await work.reply(
        ta.NARRATIVE_SAVED, compile_buttons(period), tag=period_tag(period.id, Step.COMPILE)
    )


async def return_unit(
    core: Core, origin: Origin, period_id: int, version: int, unit_code: str
) -> Outcome:
    """'Kembalikan laporan unit': pick the unit, then give the reason."""
    async with core.work(origin) as work:
        period = await unit_chosen(
            work,
            Role.KASUBAG_KPEP,
            period_id,
            version,
            PeriodState.COMPILING,
            unit_code,
            ta.PICK_UNIT_TO_RETURN,
            lambda code: encode(Cb.COMPILE_RETURN_UNIT, period_id, version, code),
        )
        if isinstance(period, Outcome):
            return period
        if await periods.unit_report_for(work.conn, period.id, unit_code) is None:
            return Outcome(texts.BUTTON_INVALID)
        await ask_reason(
            work,
            "coordinator_return",
            "pengembalian",
            period=period_id,
            version=version,
            unit=unit_code,
        )
    return Outcome()


@on_reason("coordinator_return")
async def _coordinator_returned(work: Work, who: Caller, data: dict[str, Any], reason: str) -> None:
    period = await period_in(work, int(data["period"]), int(data["version"]), PeriodState.COMPILING)
    if period is None:
        return
    report = await periods.unit_report_for(work.conn, period.id, str(data["unit"]))
    if report is None or report.state is not UnitState.APPROVED:
        await stale(work)
        return
    try:
        unit_state = transition_unit(
            report.state, UnitAction.COORDINATOR_RETURN, who.actor, report.unit_code
        )
    except Refused:
        await refuse_role(work)
        return
    if await move_period(work, who, period, PeriodAction.RETURN_UNIT) is None:
        return
    await periods.set_unit_state(work.conn, report, unit_state, work.now, return_reason=reason)
    await move_step(
        work, period.id, None, Step.COMPILE, None, who, "unit dikembalikan", Role.KASUBAG_KPEP
    )
    await move_step(work, period.id, report.unit_code, None, Step.ENTER, None, "")
    unit = await org.unit(work.conn, report.unit_code)
    await work.clear_buttons(
        period_tag(period.id, Step.COMPILE),
        tq.returned_note(
            who.person.full_name, work.now, reason, texts.role_title(Role.OPERATOR, unit)
        ),
    )
    await work.notify(
        Grant(Role.OPERATOR, report.unit_code),
        te.unit_returned(unit.name if unit else report.unit_code, who.person.full_name, reason),
    )
    # The reason already stands in the request the buttons were removed from: say it once.
    operators = texts.role_title(Role.OPERATOR, unit)
    await work.acknowledge(tf.returned_ack(unit.name if unit else report.unit_code, operators))


async def submit_to_secretary(
    core: Core, origin: Origin, period_id: int, version: int, bare: bool = False
) -> Outcome:
    """'Kirim ke Sekretaris' (end of step 4); without a narrative, only when ``bare``."""
    async with core.work(origin) as work:
        found = await caller_and_period(work, period_id, version, PeriodState.COMPILING)
        if isinstance(found, Outcome):
            return found
        who, period = found
        how = await choice.decided(work, who, period, bare)
        if how is None:
            return Outcome()  # no narrative chosen: asked first
        if await move_period(work, who, period, PeriodAction.SUBMIT_TO_SECRETARY) is None:
            return Outcome(texts.BUTTON_NOT_YOURS)
        await move_step(
            work,
            period.id,
            None,
            Step.COMPILE,
            Step.SECRETARY_REVIEW,
            who,
            "dikirim",
            Role.KASUBAG_KPEP,
        )
        await work.clear_buttons(
            period_tag(period.id, Step.COMPILE),
            choice.sent_note(who, work, how, texts.ROLE_TITLES[Role.SEKRETARIS]),
        )
        fresh = await periods.period(work.conn, period.id)
        assert fresh is not None
        await send_secretary_request(core, work, fresh, who.person.full_name)
        await work.acknowledge(ta.sent_to(texts.ROLE_TITLES[Role.SEKRETARIS]))
    return Outcome()


SECRETARY_REVIEW = Review(
    PeriodState.SECRETARY_REVIEW,
    Role.SEKRETARIS,
    Step.SECRETARY_REVIEW,
    Step.HEAD_REVIEW,
    PeriodAction.SECRETARY_APPROVE,
    "secretary_return",
    Role.KADIN,
)


def to_the_head(core: Core) -> Then:
    """What follows the Sekretaris's Setujui (step 5): the draft goes to the Kepala Dinas."""

    async def then(work: Work, who: Caller, period: periods.Period) -> None:
        await send_head_request(core, work, period, who.person.full_name)
        # Step 6's suggested recommendations, from the figures, after the commit.
        await work.defer(recipes.SUGGESTIONS, period, {})
        await work.acknowledge(ta.sent_to(texts.ROLE_TITLES[Role.KADIN]))

    return then


async def secretary_decides(
    core: Core, origin: Origin, period_id: int, version: int, approve: bool
) -> Outcome:
    """Step 5: Setujui sends the draft to the kadin; Minta revisi asks the reason."""
    return await decide(
        core, origin, period_id, version, approve, SECRETARY_REVIEW, to_the_head(core)
    )


@on_reason("secretary_return")
async def _secretary_returned(work: Work, who: Caller, data: dict[str, Any], reason: str) -> None:
    await returned_to_compiling(
        work,
        who,
        data,
        reason,
        PeriodState.SECRETARY_REVIEW,
        PeriodAction.SECRETARY_RETURN,
        Step.SECRETARY_REVIEW,
        Role.SEKRETARIS,
    )
