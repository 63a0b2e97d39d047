"""What the follow-up use cases share: due dates, the open recommendations, recording a
unit's status (from /tindak_lanjut, the form, the ready-to-fill message or the template),
telling a unit, closing step 9 with the leaders' recap, telling the coordinator of a
*selesai*."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from bot.callbacks import Cb, encode
from bot.dates import JAKARTA, long_date
from bot.model import Role
from bot.services.core import Caller
from bot.services.quarter.flow import move_step
from bot.services.work import Button, Work
from bot.texts import agency as ta
from bot.texts import common as texts
from bot.texts import followup as tl
from bot.workflow import (
    STATUS_ACTION,
    FollowUpState,
    Grant,
    PeriodAction,
    PeriodState,
    Refused,
    Step,
    transition,
    transition_follow_up,
    unit_head,
)
from storage import followups, org, periods
from storage.followups import Recommendation

DISTRIBUTED = (PeriodState.FOLLOW_UP, PeriodState.CLOSED)
MAX_FOLLOW_UP = 2000


def long_day(day: date) -> str:
    """A due date as the office writes it ("30 Juni 2026")."""
    return long_date(datetime.combine(day, time(12), JAKARTA))


def today(work: Work) -> date:
    """The office's date now."""
    return work.now.astimezone(JAKARTA).date()


async def due_of(work: Work, rec: Recommendation) -> date:
    """When ``rec`` is due (the date set in step 6, else the end of the next quarter)."""
    period = await periods.period(work.conn, rec.period_id)
    assert period is not None
    return followups.due_date(rec, period.year, period.quarter)


def default_status(rec: Recommendation, unit: str) -> FollowUpState:
    """The status a follow-up records unless one is chosen: it stays in progress once it is."""
    if rec.state_of(unit) is FollowUpState.IN_PROGRESS:
        return FollowUpState.IN_PROGRESS
    return FollowUpState.PLANNED


_STATUS_WORDS = {
    "direncanakan": FollowUpState.PLANNED,
    "dalam proses": FollowUpState.IN_PROGRESS,
    "dalam_proses": FollowUpState.IN_PROGRESS,
    "selesai": FollowUpState.DONE,
}


def split_status(answer: str) -> tuple[FollowUpState | None, str]:
    """ "selesai; Kerja sama ditandatangani" -> (selesai, the text): a status word opening an
    answer of the ready-to-fill message, then ";", ":", "," or "-"; (None, all) without one."""
    lowered = answer.strip().lower()
    for word, status in _STATUS_WORDS.items():
        if lowered.startswith(word):
            rest = answer.strip()[len(word) :]
            if not rest.strip():
                return status, ""
            if rest.lstrip()[:1] in (";", ":", ",", "-", "–"):
                return status, rest.lstrip()[1:].strip()
    return None, answer.strip()


async def tell_unit(work: Work, unit_code: str, text: str) -> None:
    """The unit's operators and its head, each once (a person may hold both roles)."""
    seen: set[int] = set()
    for grant in (Grant(Role.OPERATOR, unit_code), unit_head(unit_code)):
        for member in await org.holders(work.conn, grant, work.now):
            if member.person.telegram_id not in seen:
                seen.add(member.person.telegram_id)
                await work.say(member.person.telegram_id, text)


async def open_recommendations(
    work: Work, units: set[str] | None = None
) -> list[tuple[Recommendation, str]]:
    """(recommendation, unit) pairs still open, of distributed periods, oldest first (for the
    given units, or every unit)."""
    distributed = {p.id for p in await periods.periods(work.conn) if p.state in DISTRIBUTED}
    return [
        (r, unit)
        for r in await followups.recommendations(work.conn, open_only=True)
        if r.period_id in distributed
        for unit in r.open_units
        if units is None or unit in units
    ]


def evidence_buttons(
    rec: Recommendation, counts: dict[tuple[int, str], int], names: dict[str, str]
) -> list[list[Button]]:
    """One "data dukung" button per unit that sent evidence for ``rec``."""
    return [
        [
            (
                tl.BTN_EVIDENCE.format(unit=names.get(unit, unit), n=counts[(rec.id, unit)]),
                encode(Cb.EVIDENCE_SHOW, rec.id, unit),
            )
        ]
        for unit in rec.units
        if counts.get((rec.id, unit))
    ]


async def announce_done(
    work: Work, rec: Recommendation, unit: str, text: str, follow_up_id: int
) -> None:
    """A unit marked ``rec`` selesai: the coordinator is told, with a button to see its
    evidence (which may follow the status) and one to return it to dalam proses."""
    names = {u.code: u.name for u in await org.units(work.conn)}
    files = await followups.evidence(work.conn, rec.id, unit)
    name = names.get(unit, unit)
    buttons: list[list[Button]] = [
        [(tl.BTN_SHOW_EVIDENCE.format(unit=name), encode(Cb.EVIDENCE_SHOW, rec.id, unit))],
        [(tl.BTN_REOPEN, encode(Cb.FOLLOW_UP_REOPEN, rec.id, unit, follow_up_id))],
    ]
    await work.notify(
        Grant(Role.KASUBAG_KPEP), tl.completed_note(name, rec.text, text, len(files)), buttons
    )


async def maybe_close(work: Work, period_id: int) -> None:
    """Every unit has recorded at least direncanakan for every recommendation it received
    (or the Kepala Dinas dropped it): close the period and send the leaders the recap."""
    period = await periods.period(work.conn, period_id)
    if period is None or period.state is not PeriodState.FOLLOW_UP:
        return
    if await followups.recommendations(work.conn, period.id, unanswered_only=True):
        return
    new_state = transition(period.state, PeriodAction.ALL_FOLLOWED_UP, None)
    if not await periods.set_period_state(work.conn, period, new_state, work.now):
        return
    await work.audit("period_closed", "period", period.id)
    recommended = bool(await followups.recommendations(work.conn, period.id))
    await work.post_group(ta.group_closed(period.label, recommended))
    await work.notify(Grant(Role.KASUBAG_KPEP), ta.period_closed(period.label))
    await send_recap(work, period)


async def send_recap(work: Work, period: periods.Period) -> None:
    """Step 9 closed: the Kepala Dinas and the coordinator get this period's recommendations
    and every earlier one whose status changed since the last recap, per unit."""
    if not await followups.add_recap(work.conn, period.id, work.now):
        return
    items, buttons = await recap_items(
        work, period, await followups.last_recap_at_before(work.conn, period.id)
    )
    text = tl.recap(period.label, items)
    for grant in (Grant(Role.KADIN), Grant(Role.KASUBAG_KPEP)):
        await work.notify(grant, text, buttons)


async def recap_items(
    work: Work, period: periods.Period, since: Any
) -> tuple[list[tuple[str, str, str, bool, list[tuple[str, str, int]]]], list[list[Button]]]:
    """The recap's lines and evidence buttons (see :func:`send_recap`)."""
    changed = await followups.changed_since(work.conn, since) if since else None
    every = {p.id: p for p in await periods.periods(work.conn)}
    names = {u.code: u.name for u in await org.units(work.conn)}
    counts = await followups.evidence_counts(work.conn)
    items = []
    buttons: list[list[Button]] = []
    for rec in await followups.recommendations(work.conn):
        owner = every.get(rec.period_id)
        if owner is None or owner.state not in DISTRIBUTED:
            continue
        carried = rec.period_id != period.id
        if carried:
            if (owner.year, owner.quarter) > (period.year, period.quarter):
                continue
            # an earlier one: only when it changed since the last recap (or none was sent)
            if changed is not None and rec.id not in changed:
                continue
            if changed is None and not rec.open_units:
                continue
        target = names.get(rec.unit_code, rec.unit_code) if rec.unit_code else "Umum"
        units = [
            (names.get(u, u), rec.state_of(u).value, counts.get((rec.id, u), 0)) for u in rec.units
        ]
        items.append((owner.label, target, rec.text, carried, units))
        buttons += evidence_buttons(rec, counts, names)
    return items, buttons


async def record(
    work: Work, who: Caller, rec: Recommendation, unit: str, status: FollowUpState, text: str
) -> bool:
    """Record the unit's follow-up of ``rec`` (from /tindak_lanjut or the next quarter's form):
    the table decides, step 9 of the unit ends with its first status for every
    recommendation of that period, a selesai is told to the coordinator. False (and nothing
    changed) if the table refuses."""
    state = rec.state_of(unit)
    try:
        transition_follow_up(state, STATUS_ACTION[status], who.actor, unit)
    except Refused:
        return False
    follow_up_id = await followups.add_follow_up(
        work.conn, rec.id, unit, text, who.person.id, work.now, status
    )
    await work.audit(
        "follow_up_recorded",
        "recommendation",
        rec.id,
        {"unit": unit, "status": status.value},
        who.person.id,
    )
    if state is FollowUpState.NONE:
        unanswered = await followups.recommendations(work.conn, rec.period_id, unanswered_only=True)
        if not [r for r in unanswered if unit in r.unanswered_units]:
            await move_step(
                work,
                rec.period_id,
                unit,
                Step.FOLLOW_UP,
                None,
                who,
                "selesai",
                Role.OPERATOR if who.holds(Role.OPERATOR, unit) else unit_head(unit).role,
            )
    if status is FollowUpState.DONE:
        await announce_done(work, rec, unit, text, follow_up_id)
    return True


async def answer_carried(
    work: Work, who: Caller, rec: Recommendation, unit: str, answer: str
) -> str:
    """A carried recommendation answered in one line of the ready-to-fill message or the
    template ("selesai; what was done"; without a status, the usual one): recorded, or the
    reason it was not ("" when recorded)."""
    status, text = split_status(answer)
    status = status or default_status(rec, unit)
    if not text:
        return tl.CARRIED_TEXT_MISSING
    if len(text) > MAX_FOLLOW_UP:
        return texts.fill(texts.TOO_LONG_SHORT, limit=MAX_FOLLOW_UP)
    if not await record(work, who, rec, unit, status, text):
        return texts.fill(tl.STATUS_NOT_ALLOWED, status=tl.STATUS_NAMES[rec.state_of(unit).value])
    await maybe_close(work, rec.period_id)
    return ""
