"""What the leaders do with follow-ups: the coordinator returns a *selesai* to *dalam proses*,
the Kepala Dinas closes a recommendation as *tidak dilanjutkan* or sets its due date in
step 6; both get a recap when step 9 closes; overdue follow-ups are reminded to their unit
and shown in the leaders' /status.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from bot.model import Role
from bot.services.core import Caller, Core, Origin, Outcome, caller
from bot.services.dialogue import route
from bot.services.quarter.flow import ask_reason, on_reason, refuse_role, stale
from bot.services.quarter.followup_common import (
    DISTRIBUTED,
    due_of,
    long_day,
    maybe_close,
    open_recommendations,
    tell_unit,
    today,
)
from bot.services.work import Work
from bot.texts import common as texts
from bot.texts import followup as tl
from bot.workflow import FollowUpAction, FollowUpState, Grant, PeriodState, Refused
from bot.workflow import transition_follow_up as follow
from storage import followups, org, periods, updates
from storage.followups import Recommendation
from storage.updates import Dialog

REOPEN = "follow_up_reopen"
DROP = "follow_up_drop"
DUE = "recommendation_due"
REMIND_EVERY = timedelta(days=7)
_DATE = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\s*$")


async def _pressed_by(
    work: Work, role: Role, rec_id: int, states: tuple[PeriodState, ...] | None = None
) -> Recommendation | Outcome:
    """A leader's button re-checked: the person holds ``role``, the recommendation exists
    (else the button was forged) and its period is in one of ``states`` (else it is stale)."""
    who = await caller(work)
    if who is None:
        return Outcome(texts.NOT_REGISTERED, alert=True)
    if not who.holds(role):
        await refuse_role(work)
        return Outcome(texts.BUTTON_NOT_YOURS)
    rec = await followups.recommendation(work.conn, rec_id)
    if rec is None:
        work.refused = "forged"
        return Outcome(texts.BUTTON_INVALID)
    if states is not None:
        period = await periods.period(work.conn, rec.period_id)
        if period is None or period.state not in states:
            await stale(work)
            return Outcome(texts.ALREADY_DONE)
    return rec


async def reopen(core: Core, origin: Origin, rec_id: int, unit: str, follow_up_id: int) -> Outcome:
    """The coordinator returns a selesai: the reason is asked next."""
    async with core.work(origin) as work:
        rec = await _pressed_by(work, Role.KASUBAG_KPEP, rec_id)
        if isinstance(rec, Outcome):
            return rec
        if unit not in rec.units:
            work.refused = "forged"
            return Outcome(texts.BUTTON_INVALID)
        current = rec.follow_up_of(unit)
        if (
            current is None
            or current.id != follow_up_id
            or rec.state_of(unit) is not FollowUpState.DONE
        ):
            await stale(work)
            return Outcome(texts.ALREADY_DONE)
        await ask_reason(
            work, REOPEN, tl.REOPEN_WHAT, rec=rec.id, unit=unit, follow_up=follow_up_id
        )
    return Outcome()


@on_reason(REOPEN)
async def _reopen_with(work: Work, who: Caller, data: dict[str, Any], reason: str) -> None:
    rec = await followups.recommendation(work.conn, int(data["rec"]))
    unit = str(data["unit"])
    if rec is None or unit not in rec.units:
        await stale(work)
        return
    current = rec.follow_up_of(unit)
    if current is None or current.id != int(data["follow_up"]):
        await stale(work)
        return
    try:
        state = follow(rec.state_of(unit), FollowUpAction.REOPEN, who.actor, unit)
    except Refused:
        await refuse_role(work)
        return
    await followups.add_follow_up(
        work.conn, rec.id, unit, current.text, who.person.id, work.now, state, reason
    )
    await work.audit("follow_up_reopened", "recommendation", rec.id, {"unit": unit}, who.person.id)
    names = {u.code: u.name for u in await org.units(work.conn)}
    await tell_unit(work, unit, tl.reopened(names.get(unit, unit), rec.text, reason))
    await work.reply(tl.reopen_done(names.get(unit, unit)))


async def drop(core: Core, origin: Origin, rec_id: int) -> Outcome:
    """The Kepala Dinas closes a recommendation as not pursued: the reason is asked next."""
    async with core.work(origin) as work:
        rec = await _pressed_by(work, Role.KADIN, rec_id, DISTRIBUTED)
        if isinstance(rec, Outcome):
            return rec
        if rec.dropped is not None or not rec.open_units:
            await stale(work)
            return Outcome(texts.ALREADY_DONE)
        await ask_reason(work, DROP, tl.DROP_WHAT, rec=rec.id)
    return Outcome()


@on_reason(DROP)
async def _drop_with(work: Work, who: Caller, data: dict[str, Any], reason: str) -> None:
    rec = await followups.recommendation(work.conn, int(data["rec"]))
    if rec is None or rec.dropped is not None or not rec.open_units:
        await stale(work)
        return
    try:
        for unit in rec.open_units:  # the table decides, unit by unit
            follow(rec.state_of(unit), FollowUpAction.DROP, who.actor, unit)
    except Refused:
        await refuse_role(work)
        return
    if not await followups.drop(work.conn, rec.id, reason, who.person.id, work.now):
        await stale(work)
        return
    await work.audit("recommendation_dropped", "recommendation", rec.id, None, who.person.id)
    for unit in rec.open_units:
        await tell_unit(work, unit, tl.dropped(rec.text, reason))
    await work.notify(Grant(Role.KASUBAG_KPEP), tl.dropped(rec.text, reason))
    await work.reply(tl.drop_done(rec.text))
    await maybe_close(work, rec.period_id)


async def ask_due(core: Core, origin: Origin, rec_id: int) -> Outcome:
    """Step 6: the Kepala Dinas sets a recommendation's due date: the date is asked next."""
    async with core.work(origin) as work:
        rec = await _pressed_by(work, Role.KADIN, rec_id, (PeriodState.HEAD_REVIEW,))
        if isinstance(rec, Outcome):
            return rec
        await updates.set_dialog(
            work.conn, origin.telegram_id, Dialog(DUE, {"rec": rec.id}), work.now
        )
        await work.reply(tl.ASK_DUE, force_reply=True)
    return Outcome()


def parse_due(text: str) -> date | None:
    """``30-09-2026`` (or with / or .) as a date; None for anything else."""
    match = _DATE.match(text)
    if match is None:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


@route(DUE)
async def _due(core: Core, work: Work, who: Caller, dialog: Dialog, text: str) -> None:
    assert work.origin is not None
    rec = await followups.recommendation(work.conn, int(dialog.data["rec"]))
    period = await periods.period(work.conn, rec.period_id) if rec else None
    if rec is None or period is None or period.state is not PeriodState.HEAD_REVIEW:
        await updates.clear_dialog(work.conn, work.origin.telegram_id)
        await stale(work)
        return
    if not who.holds(Role.KADIN):
        await updates.clear_dialog(work.conn, work.origin.telegram_id)
        await refuse_role(work)
        return
    due = parse_due(text)
    if due is None or due < today(work):
        await work.reply(tl.DUE_INVALID, force_reply=True)  # the dialogue stays: try again
        return
    await updates.clear_dialog(work.conn, work.origin.telegram_id)
    await followups.set_due(work.conn, rec.id, due)
    await work.audit(
        "recommendation_due_set", "recommendation", rec.id, {"due": due.isoformat()}, who.person.id
    )
    await work.reply(tl.due_set(long_day(due)))


async def overdue(work: Work) -> list[tuple[Recommendation, str, date]]:
    """(recommendation, unit, due date) still open past their due date, oldest first."""
    result = []
    now = today(work)
    for rec, unit in await open_recommendations(work):
        due = await due_of(work, rec)
        if due < now:
            result.append((rec, unit, due))
    return result


async def remind_overdue(core: Core, work: Work) -> int:
    """On a working day: remind each unit of its overdue follow-ups, the first working day
    after the due date, then weekly; return how many units were reminded."""
    calendar = core.config.calendar
    now = today(work)
    if not calendar.is_working_day(now):
        return 0
    labels = {p.id: p.label for p in await periods.periods(work.conn)}
    names = {u.code: u.name for u in await org.units(work.conn)}
    per_unit: dict[str, list[tuple[str, str, str]]] = {}
    for rec, unit, due in await overdue(work):
        last = await followups.last_reminder(work.conn, rec.id, unit)
        if last is not None and now - last < REMIND_EVERY:
            continue
        if not await followups.add_reminder(work.conn, rec.id, unit, now):
            continue
        per_unit.setdefault(unit, []).append(
            (labels.get(rec.period_id, ""), rec.text, long_day(due))
        )
    for unit, items in per_unit.items():
        await tell_unit(work, unit, tl.overdue_reminder(names.get(unit, unit), items))
    if per_unit:
        await work.audit(
            "follow_ups_overdue_reminded", "recommendation", None, {"units": sorted(per_unit)}
        )
    return len(per_unit)


async def overdue_lines(work: Work, who: Caller) -> list[str]:
    """/status of the coordinator and the Kepala Dinas: overdue follow-ups per recommendation."""
    if not (who.holds(Role.KASUBAG_KPEP) or who.holds(Role.KADIN)):
        return []
    labels = {p.id: p.label for p in await periods.periods(work.conn)}
    names = {u.code: u.name for u in await org.units(work.conn)}
    grouped: dict[int, tuple[Recommendation, date, list[str]]] = {}
    for rec, unit, due in await overdue(work):
        grouped.setdefault(rec.id, (rec, due, []))[2].append(names.get(unit, unit))
    return tl.overdue_status(
        [
            (labels.get(rec.period_id, ""), rec.text, long_day(due), units)
            for rec, due, units in grouped.values()
        ]
    )
