"""Steps 6 to 8: the head's review with recommendations, forward, and distribution."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.callbacks import Cb, encode
from bot.model import Role
from bot.services.core import Caller, Core, Origin, Outcome
from bot.services.dialogue import route
from bot.services.quarter.flow import move_step, offer, on_reason, too_long
from bot.services.quarter.period_review import Review, decide, returned_to_compiling
from bot.services.quarter.period_steps import (
    GENERAL,
    MAX_RECOMMENDATION,
    caller_and_period,
    head_buttons,
    move_period,
    period_in,
    period_tag,
    unit_chosen,
)
from bot.services.work import Button, Work
from bot.texts import agency as ta
from bot.texts import common as texts
from bot.texts import followup as tl
from bot.texts import quarter as tq
from bot.workflow import Grant, PeriodAction, PeriodState, Step
from storage import followups, org, periods, updates
from storage.updates import Dialog

RECOMMENDATION = "recommendation"


@on_reason("head_return")
async def _head_returned(work: Work, who: Caller, data: dict[str, Any], reason: str) -> None:
    await returned_to_compiling(
        work,
        who,
        data,
        reason,
        PeriodState.HEAD_REVIEW,
        PeriodAction.HEAD_RETURN,
        Step.HEAD_REVIEW,
        Role.KADIN,
    )


async def recommend(core: Core, origin: Origin, period_id: int, target: str) -> Outcome:
    """Step 6: the kadin writes a recommendation, general or for a unit."""
    async with core.work(origin) as work:
        period = await unit_chosen(
            work,
            Role.KADIN,
            period_id,
            None,
            PeriodState.HEAD_REVIEW,
            target,
            ta.PICK_UNIT_FOR_RECOMMENDATION,
            lambda code: encode(Cb.HEAD_RECOMMEND, period_id, code),
        )
        if isinstance(period, Outcome):
            return period
        unit_code = None if target == GENERAL else target
        if unit_code and await periods.unit_report_for(work.conn, period.id, unit_code) is None:
            return Outcome(texts.BUTTON_INVALID)
        await updates.set_dialog(
            work.conn,
            origin.telegram_id,
            Dialog(RECOMMENDATION, {"period": period.id, "unit": unit_code}),
            work.now,
        )
        unit = await org.unit(work.conn, unit_code) if unit_code else None
        await work.reply(ta.ask_recommendation(unit.name if unit else None), force_reply=True)
    return Outcome()


@route(RECOMMENDATION)
async def _recommendation(core: Core, work: Work, who: Caller, dialog: Dialog, text: str) -> None:
    assert work.origin is not None
    if await too_long(work, text, MAX_RECOMMENDATION, force_reply=True):
        return
    await updates.clear_dialog(work.conn, work.origin.telegram_id)
    period = await period_in(work, int(dialog.data["period"]), None, PeriodState.HEAD_REVIEW)
    if period is None or not who.holds(Role.KADIN):
        return
    if not text:
        await work.reply(tq.REASON_EMPTY)
        return
    unit_code = dialog.data.get("unit")
    rec_id = await followups.add_recommendation(
        work.conn, period.id, unit_code, text, who.person.id, work.now
    )
    await work.audit(
        "recommendation_added", "recommendation", rec_id, {"unit": unit_code}, who.person.id
    )
    count = len(await followups.recommendations(work.conn, period.id))
    await work.clear_buttons(period_tag(period.id, Step.HEAD_REVIEW))
    # The Kepala Dinas may set when it is due; without a date, the end of the next quarter.
    due_button = [(tl.BTN_SET_DUE, encode(Cb.REC_DUE, rec_id))]
    await work.reply(
        ta.recommendation_saved(count),
        [due_button, *await head_buttons(work, period)],
        tag=period_tag(period.id, Step.HEAD_REVIEW),
    )


HEAD_REVIEW = Review(
    PeriodState.HEAD_REVIEW,
    Role.KADIN,
    Step.HEAD_REVIEW,
    Step.FORWARD,
    PeriodAction.HEAD_APPROVE,
    "head_return",
    Role.SEKRETARIS,
)


async def head_decides(
    core: Core, origin: Origin, period_id: int, version: int, approve: bool
) -> Outcome:
    """Step 6: Setujui hands the report to the sekretaris; Minta revisi asks the reason."""
    return await decide(core, origin, period_id, version, approve, HEAD_REVIEW, to_the_secretary)


async def to_the_secretary(work: Work, who: Caller, period: periods.Period) -> None:
    """What follows the Kepala Dinas's Setujui (step 6): the forward request (step 7)."""
    await send_forward_request(work, period, who.person.full_name)
    await work.acknowledge(ta.sent_to(texts.ROLE_TITLES[Role.SEKRETARIS]))


async def forward_buttons(work: Work, period: periods.Period) -> list[list[Button]]:
    """The sekretaris's choice in step 7 (naming recommendations only if there are any)."""
    label = tq.BTN_FORWARD if await _recommended(work, period) else tq.BTN_FORWARD_REPORT
    return [[(label, encode(Cb.FORWARD, period.id, period.version))]]


async def _recommended(work: Work, period: periods.Period) -> bool:
    return bool(await followups.recommendations(work.conn, period.id))


async def send_forward_request(
    work: Work, period: periods.Period, head: str, chats: Sequence[int] | None = None
) -> None:
    """Step 7 begins: the sekretaris is asked to hand the approved report back."""
    recs = await followups.recommendations(work.conn, period.id)
    await offer(
        work,
        Grant(Role.SEKRETARIS),
        chats,
        ta.forward_request(period.label, head, len(recs)),
        await forward_buttons(work, period),
        period_tag(period.id, Step.FORWARD),
    )


async def distribute_buttons(work: Work, period: periods.Period) -> list[list[Button]]:
    """The kasubag_kpep's choice in step 8 (naming recommendations only if there are any)."""
    label = tq.BTN_DISTRIBUTE if await _recommended(work, period) else tq.BTN_DISTRIBUTE_REPORT
    return [[(label, encode(Cb.DISTRIBUTE, period.id, period.version))]]


async def send_distribute_request(
    work: Work, period: periods.Period, secretary: str, chats: Sequence[int] | None = None
) -> None:
    """Step 8 begins: the kasubag_kpep is asked to distribute the recommendations."""
    recs = await followups.recommendations(work.conn, period.id)
    names = {u.code: u.name for u in await org.units(work.conn)}
    await offer(
        work,
        Grant(Role.KASUBAG_KPEP),
        chats,
        ta.distribute_request(
            period.label,
            secretary,
            [(names.get(r.unit_code or "", "Umum"), r.text) for r in recs],
        ),
        await distribute_buttons(work, period),
        period_tag(period.id, Step.DISTRIBUTE),
    )


async def forward(core: Core, origin: Origin, period_id: int, version: int) -> Outcome:
    """Step 7: the sekretaris hands the approved report and recommendations back."""
    async with core.work(origin) as work:
        found = await caller_and_period(work, period_id, version, PeriodState.FORWARDING)
        if isinstance(found, Outcome):
            return found
        who, period = found
        if await move_period(work, who, period, PeriodAction.FORWARD) is None:
            return Outcome(texts.BUTTON_NOT_YOURS)
        await move_step(
            work, period.id, None, Step.FORWARD, Step.DISTRIBUTE, who, "diserahkan", Role.SEKRETARIS
        )
        await work.clear_buttons(
            period_tag(period.id, Step.FORWARD),
            ta.sent_note(who.person.full_name, work.now, texts.titles().coordinator_short),
        )
        fresh = await periods.period(work.conn, period.id)
        assert fresh is not None
        await send_distribute_request(work, fresh, who.person.full_name)
        await work.acknowledge(ta.sent_to(texts.titles().coordinator_short))
    return Outcome()


async def distribute(core: Core, origin: Origin, period_id: int, version: int) -> Outcome:
    """Step 8: each unit gets its recommendations; the group the final report."""
    async with core.work(origin) as work:
        found = await caller_and_period(work, period_id, version, PeriodState.DISTRIBUTING)
        if isinstance(found, Outcome):
            return found
        who, period = found
        if await move_period(work, who, period, PeriodAction.DISTRIBUTE) is None:
            return Outcome(texts.BUTTON_NOT_YOURS)
        await move_step(
            work, period.id, None, Step.DISTRIBUTE, None, who, "disampaikan", Role.KASUBAG_KPEP
        )
        from bot.services.quarter import followup

        reached = await followup.distribute(core, work, period.id)
        await work.clear_buttons(
            period_tag(period.id, Step.DISTRIBUTE),
            ta.distributed_note(who.person.full_name, work.now, reached),
        )
        await work.acknowledge(ta.distributed(reached))
    return Outcome()
