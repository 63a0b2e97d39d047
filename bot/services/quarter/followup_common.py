"""What the follow-up use cases share: due dates, the open recommendations, telling a unit,
closing step 9 with the leaders' recap, and telling the coordinator of a *selesai*."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from bot.callbacks import Cb, encode
from bot.dates import JAKARTA, long_date
from bot.model import Role
from bot.services.core import Button, Work
from bot.texts import agency as ta
from bot.texts import followup as tl
from bot.workflow import FollowUpState, Grant, PeriodAction, PeriodState, transition, unit_head
from storage import followups, org, periods
from storage.followups import Recommendation

DISTRIBUTED = (PeriodState.FOLLOW_UP, PeriodState.CLOSED)


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
    await work.post_group(ta.group_closed(period.label))
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
