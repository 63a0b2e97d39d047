"""Pending decisions follow the role: when a role's holder changes, what waits on it moves.

A decision waiting on a role (the opening in step 1, a unit's approval in step 3, steps 4
to 8) is a request with buttons, queued to whoever held the role then and tagged, so that
its buttons are removed once someone acts. :func:`sync` compares, for every waiting
decision, the chats that still hold its buttons (tagged outbox rows) with the people who
hold the role now: a holder without them gets the request, built by the same function that
sent it the first time, and a former holder's buttons are removed with a note saying who has
it now. Nothing else is needed for a stale tap: every service re-checks the role.

It is idempotent (a second run finds nothing to do), so it runs after every change of
people (an invite redeemed, a Plt assigned, a role ended or handed over, a person
deactivated) inside that change's transaction, and from the reminders job, which catches a
Plt term that starts or ends by the clock.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.model import Role
from bot.services.core import Caller, Core
from bot.services.quarter.flow import last_actor_name
from bot.services.quarter.period_steps import compile_buttons, head_buttons, period_tag
from bot.services.work import Button, Work
from bot.texts import common as texts
from bot.texts import people as tp
from bot.texts.steps import step_name
from bot.workflow import Grant, PeriodState, Step, UnitState, unit_head
from storage import deferred, org, outbox, periods

log = logging.getLogger(__name__)

# The period-wide decisions: the state the period waits in, the step, the role it waits on.
_PERIOD_DECISIONS: dict[PeriodState, tuple[Step, Role]] = {
    PeriodState.AWAITING_OPENING: (Step.OPEN, Role.SEKRETARIS),
    PeriodState.COMPILING: (Step.COMPILE, Role.KASUBAG_KPEP),
    PeriodState.SECRETARY_REVIEW: (Step.SECRETARY_REVIEW, Role.SEKRETARIS),
    PeriodState.HEAD_REVIEW: (Step.HEAD_REVIEW, Role.KADIN),
    PeriodState.FORWARDING: (Step.FORWARD, Role.SEKRETARIS),
    PeriodState.DISTRIBUTING: (Step.DISTRIBUTE, Role.KASUBAG_KPEP),
}


@dataclass(frozen=True, slots=True)
class Waiting:
    """A decision waiting on whoever holds ``grant``, with the tag of its buttons."""

    grant: Grant
    tag: str
    step: Step
    period: periods.Period
    report: periods.UnitReport | None = None


def _tag(period: periods.Period, step: Step, report: periods.UnitReport | None) -> str:
    from bot.services.quarter.opening import opening_tag
    from bot.services.quarter.review import unit_tag

    if report is not None:
        return unit_tag(report.id)
    if step is Step.OPEN:
        return opening_tag(period.id)
    return period_tag(period.id, step)


async def waiting(work: Work) -> list[Waiting]:
    """Every decision of the current period that waits on a role now."""
    period = await periods.current_period(work.conn)
    if period is None:
        return []
    found = []
    if period.state is PeriodState.COLLECTING:
        for report in await periods.unit_reports(work.conn, period.id):
            if report.state is UnitState.SUBMITTED:
                grant = report.approver or unit_head(report.unit_code)
                tag = _tag(period, Step.UNIT_CHECK, report)
                found.append(Waiting(grant, tag, Step.UNIT_CHECK, period, report))
    decision = _PERIOD_DECISIONS.get(period.state)
    if decision is not None:
        step, role = decision
        found.append(Waiting(Grant(role), _tag(period, step, None), step, period))
    return found


async def holders(work: Work, item: Waiting) -> dict[int, str]:
    """The private chats (with names) of the people who may take the decision now."""
    chats: dict[int, str] = {}
    for member in await org.holders(work.conn, item.grant, work.now):
        if item.report is not None and member.person.id == item.report.submitted_by:
            continue  # nobody approves their own report (an acting head who sent it)
        chats.setdefault(member.person.telegram_id, member.person.full_name)
    return chats


async def sync(core: Core, work: Work) -> int:
    """Offer every waiting decision to its holders who lack it and take it from those who no
    longer hold its role; return how many chats were changed."""
    changed = 0
    for item in await waiting(work):
        if await deferred.pending_for(work.conn, item.period.id):
            # The step's request is still to be written (bot.services.analysis.analysed): it goes to
            # whoever holds the role then, so there is nothing to follow yet.
            continue
        now_holding = await holders(work, item)
        offered = await outbox.tagged_chats(work.conn, item.tag)
        gone = sorted(offered - now_holding.keys())
        new = [chat for chat in now_holding if chat not in offered]
        if not gone and not new:
            continue
        if gone:
            note = tp.moved_note(list(now_holding.values()))
            for original, chat in await outbox.claim_tagged_in(work.conn, item.tag, gone):
                await _enqueue(work, chat, "clearButtons", {"original": original, "note": note})
        if new:
            title = await _grant_title(work, item.grant)
            for chat in new:
                await work.say(chat, tp.reoffered(title))
            await _offer(core, work, item, new)
        changed += len(gone) + len(new)
        entity, entity_id = (
            ("unit_report", item.report.id) if item.report else ("period", item.period.id)
        )
        await work.audit(
            "decision_reoffered",
            entity,
            entity_id,
            {"step": int(item.step), "to_chats": new, "from_chats": gone},
        )
        log.info(
            "step %d of period %d follows the role %s: offered to %d, taken from %d",
            int(item.step),
            item.period.id,
            item.grant.role.value,
            len(new),
            len(gone),
        )
    return changed


async def offer_waiting_to(core: Core, work: Work, who: Caller) -> int:
    """/status: every decision waiting on the caller, one short message each with its buttons
    (tagged like the request, so acting on either removes both). Returns how many."""
    assert work.origin is not None
    items = [i for i in await waiting(work) if work.origin.telegram_id in await holders(work, i)]
    if not items:
        return 0
    await work.reply(tp.WAITING_ON_YOU)
    for item in items:
        unit = None
        if item.report is not None:
            found = await org.unit(work.conn, item.report.unit_code)
            unit = found.name if found else item.report.unit_code
        await work.reply(
            tp.waiting_item(int(item.step), step_name(int(item.step)), item.period.label, unit),
            await buttons(work, item),
            tag=item.tag,
        )
    return len(items)


async def buttons(work: Work, item: Waiting) -> list[list[Button]]:
    """The decision's buttons, from the module that owns the step."""
    from bot.services.quarter import leadership, opening, review, step_requests

    period = item.period
    if item.report is not None:
        return review.review_buttons(item.report, work.config)
    if item.step is Step.OPEN:
        return opening.opening_buttons(period)
    if item.step is Step.COMPILE:
        return compile_buttons(period)
    if item.step is Step.SECRETARY_REVIEW:
        return step_requests.secretary_buttons(period)
    if item.step is Step.HEAD_REVIEW:
        return await head_buttons(work, period)
    if item.step is Step.FORWARD:
        return await leadership.forward_buttons(work, period)
    return await leadership.distribute_buttons(work, period)


async def _offer(core: Core, work: Work, item: Waiting, chats: list[int]) -> None:
    """The full request, as first sent, to ``chats`` only."""
    from bot.services.quarter import forms, leadership, opening, review, step_requests

    period = item.period
    if item.report is not None:
        form = await forms.load(work, item.report, period)
        sender = await _caller(work, item.report.submitted_by)
        if sender is not None:
            await review.send_review_request(work, form, item.report, sender, item.grant, chats)
    elif item.step is Step.OPEN:
        opener = await org.person(work.conn, period.opened_by)
        name = opener.full_name if opener else "-"
        await opening.send_opening_request(work, period, name, chats)
    elif item.step is Step.COMPILE:
        await step_requests.send_compile_package(core, work, period.id, chats)
    elif item.step is Step.SECRETARY_REVIEW:
        name = await last_actor_name(work, period.id, Step.COMPILE)
        await step_requests.send_secretary_request(core, work, period, name, chats)
    elif item.step is Step.HEAD_REVIEW:
        name = await last_actor_name(work, period.id, Step.SECRETARY_REVIEW)
        await step_requests.send_head_request(core, work, period, name, chats)
    elif item.step is Step.FORWARD:
        name = await last_actor_name(work, period.id, Step.HEAD_REVIEW)
        await leadership.send_forward_request(work, period, name, chats)
    elif item.step is Step.DISTRIBUTE:
        name = await last_actor_name(work, period.id, Step.FORWARD)
        await leadership.send_distribute_request(work, period, name, chats)


async def _caller(work: Work, person_id: int | None) -> Caller | None:
    person = await org.person(work.conn, person_id) if person_id is not None else None
    if person is None:
        return None
    return Caller(person, await org.actor(work.conn, person, work.now))


async def _grant_title(work: Work, grant: Grant) -> str:
    unit = await org.unit(work.conn, grant.unit_code) if grant.unit_code else None
    return texts.role_label(grant.role, unit)


async def _enqueue(work: Work, chat: int, method: str, payload: dict[str, object]) -> None:
    # The removal joins the chat's queue behind the request it edits (see Work.clear_buttons).
    await outbox.enqueue(work.conn, chat_id=chat, method=method, payload=payload, now=work.now)
    work.queued += 1
