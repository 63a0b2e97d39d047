"""Steps 4 and 5: compile and analyse, and the secretary's review; the reviewers' decision.

Steps 6 to 8 (the head's review with recommendations, forward, distribute) are in
``bot.services.quarter.leadership``; the pieces steps 4 to 8 share in
``bot.services.quarter.period_steps``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.callbacks import Cb, encode
from bot.model import Role
from bot.services.analysis import choice
from bot.services.analysis.drafts import offer_again, save_narrative
from bot.services.core import Caller, Core, Origin, Outcome, caller
from bot.services.dialogue import route
from bot.services.files import recipes
from bot.services.quarter.flow import ask_reason, move_step, on_reason, refuse_role, stale
from bot.services.quarter.period_steps import (
    NARRATIVE,
    PICK,
    compile_buttons,
    move_period,
    period_in,
    period_tag,
    unit_buttons,
)
from bot.services.work import Button, Work
from bot.texts import agency as ta
from bot.texts import common as texts
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


async def send_compile_package(
    core: Core, work: Work, period_id: int, chats: Sequence[int] | None = None
) -> None:
    """Step 4 begins: the consolidated draft, the chart and the analysis to the kasubag_kpep
    (or only to ``chats``: the package offered again to a new holder).

    The files are built after the commit, and the analysis with the step's buttons and the
    drafted narrative are written after it (``bot.services.analysis.analysed``): reading and
    analysing a whole agency's figures must not hold the write lock."""
    period = await periods.period(work.conn, period_id)
    assert period is not None
    # The request goes to the same people as the files, even if the role moves meanwhile
    # (the minute's role check then hands both on, as for any request).
    to = await recipients(work, Grant(Role.KASUBAG_KPEP), chats)
    for chat in to:
        await _send_report_files(work, chat, period)
    await work.defer(recipes.COMPILE_MESSAGES, period, {"chats": to})


async def write_narrative(core: Core, origin: Origin, period_id: int) -> Outcome:
    """'Tulis narasi analisis': the next text is the narrative."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome(texts.NOT_REGISTERED, alert=True)
        if not who.holds(Role.KASUBAG_KPEP):
            await refuse_role(work)
            return Outcome(texts.BUTTON_NOT_YOURS)
        if await period_in(work, period_id, None, PeriodState.COMPILING) is None:
            return Outcome(tq.SUDAH_DIPROSES)
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
        who = await caller(work)
        if who is None:
            return Outcome(texts.NOT_REGISTERED, alert=True)
        if not who.holds(Role.KASUBAG_KPEP):
            await refuse_role(work)
            return Outcome(texts.BUTTON_NOT_YOURS)
        period = await period_in(work, period_id, version, PeriodState.COMPILING)
        if period is None:
            return Outcome(tq.SUDAH_DIPROSES)
        if unit_code == PICK:
            buttons = await unit_buttons(
                work,
                period.id,
                lambda code: encode(Cb.COMPILE_RETURN_UNIT, period.id, version, code),
            )
            await work.reply(ta.PICK_UNIT_TO_RETURN, buttons)
            return Outcome()
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
        tq.unit_returned(unit.name if unit else report.unit_code, who.person.full_name, reason),
    )
    # The reason already stands in the request the buttons were removed from: say it once.
    operators = texts.role_title(Role.OPERATOR, unit)
    await work.acknowledge(tf.returned_ack(unit.name if unit else report.unit_code, operators))


async def submit_to_secretary(
    core: Core, origin: Origin, period_id: int, version: int, bare: bool = False
) -> Outcome:
    """'Kirim ke Sekretaris' (end of step 4); without a narrative, only when ``bare``."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome(texts.NOT_REGISTERED, alert=True)
        period = await period_in(work, period_id, version, PeriodState.COMPILING)
        if period is None:
            return Outcome(tq.SUDAH_DIPROSES)
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


def secretary_buttons(period: periods.Period) -> list[list[Button]]:
    """The sekretaris's choices in step 5."""
    return [
        [
            (tq.BTN_APPROVE, encode(Cb.SECRETARY_APPROVE, period.id, period.version)),
            (tq.BTN_RETURN, encode(Cb.SECRETARY_RETURN, period.id, period.version)),
        ]
    ]


async def send_secretary_request(
    core: Core,
    work: Work,
    period: periods.Period,
    coordinator: str,
    chats: Sequence[int] | None = None,
) -> None:
    """Step 5 begins: the draft and the Setujui / Minta revisi request to the sekretaris."""
    await _send_with_report(
        work,
        period,
        Grant(Role.SEKRETARIS),
        ta.secretary_request(period.label, coordinator),
        Step.SECRETARY_REVIEW,
        chats,
    )


async def send_head_request(
    core: Core,
    work: Work,
    period: periods.Period,
    secretary: str,
    chats: Sequence[int] | None = None,
) -> None:
    """Step 6 begins: the draft and the review request to the kadin."""
    await _send_with_report(
        work,
        period,
        Grant(Role.KADIN),
        ta.head_request(period.label, secretary),
        Step.HEAD_REVIEW,
        chats,
    )


async def _send_report_files(work: Work, chat: int, period: periods.Period) -> None:
    """The draft report and its chart, built after the commit (bot.services.files.building)."""
    caption = ta.draft_caption(period.label)
    await work.send_built(chat, "sendDocument", recipes.report(period.id, draft=True), caption)
    await work.send_built(
        chat, "sendPhoto", recipes.chart(period.id), ta.chart_caption(period.label)
    )


async def recipients(work: Work, grant: Grant, chats: Sequence[int] | None) -> list[int]:
    """``chats`` if given, else the private chats of everyone holding ``grant`` now."""
    if chats is not None:
        return list(chats)
    holders = await org.holders(work.conn, grant, work.now)
    return list(dict.fromkeys(m.person.telegram_id for m in holders))


async def _send_with_report(
    work: Work,
    period: periods.Period,
    grant: Grant,
    text: str,
    step: Step,
    chats: Sequence[int] | None = None,
) -> None:
    """The files now (built after the commit), the request with the analysis and the
    buttons after the commit (``bot.services.analysis.analysed``)."""
    text = await choice.led_by_changes(work, period, step, text)
    to = await recipients(work, grant, chats)  # the files' and the request's, as above
    for chat in to:
        # The reviewer decides on the picture as much as on the figures (issue 12, item 7).
        await _send_report_files(work, chat, period)
    await work.defer(recipes.REVIEW_MESSAGE, period, {"step": int(step), "text": text, "chats": to})


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


SECRETARY_REVIEW = Review(
    PeriodState.SECRETARY_REVIEW,
    Role.SEKRETARIS,
    Step.SECRETARY_REVIEW,
    Step.HEAD_REVIEW,
    PeriodAction.SECRETARY_APPROVE,
    "secretary_return",
    Role.KADIN,
)


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
        tq.returned_note(
            who.person.full_name, work.now, reason, texts.titles().coordinator_short
        ),
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
