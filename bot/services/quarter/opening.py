"""Step 1: the kasubag_kpep opens a period, the sekretaris approves, the units get their forms."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from bot.callbacks import Cb, encode
from bot.model import Role
from bot.services.core import Caller, Core, Origin, Outcome, caller
from bot.services.files import templates
from bot.services.quarter.flow import ask_reason, move_step, offer, on_reason, refuse_role, stale
from bot.services.work import Button, Work
from bot.texts import common as texts
from bot.texts import fit as tf
from bot.texts import quarter as tq
from bot.texts.steps import period_state_label
from bot.workflow import (
    Grant,
    PeriodAction,
    PeriodState,
    Refused,
    Step,
    is_active,
    transition,
)
from storage import catalog, org, periods


def _tag(period_id: int) -> str:
    return f"open:{period_id}"


def opening_tag(period_id: int) -> str:
    """The tag of the sekretaris's opening request (for removing its buttons)."""
    return _tag(period_id)


def opening_buttons(period: periods.Period) -> list[list[Button]]:
    """The sekretaris's choices in step 1."""
    return [
        [
            (tq.BTN_APPROVE, encode(Cb.OPEN_APPROVE, period.id, period.version)),
            (tq.BTN_REJECT, encode(Cb.OPEN_REJECT, period.id, period.version)),
        ]
    ]


async def send_opening_request(
    work: Work, period: periods.Period, opener: str, chats: Sequence[int] | None = None
) -> None:
    """Ask the sekretaris (or only ``chats``) to approve the opening of ``period``."""
    per_unit = await _indicator_counts(work, period.year)
    await offer(
        work,
        Grant(Role.SEKRETARIS),
        chats,
        tq.approve_opening(period.label, opener, per_unit),
        opening_buttons(period),
        _tag(period.id),
    )


async def open_menu(core: Core, origin: Origin) -> Outcome:
    """/buka_periode: choose the triwulan."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome()
        if not who.holds(Role.KASUBAG_KPEP):
            await work.reply(texts.NOT_ALLOWED)
            return Outcome()
        current = await periods.current_period(work.conn)
        if current and is_active(current.state):
            await work.reply(
                texts.fill(
                    tq.PERIOD_ACTIVE,
                    label=current.label,
                    state=period_state_label(current.state),
                )
            )
            return Outcome()
        years = await catalog.years(work.conn)
        if not years:
            await work.reply(tq.NO_CATALOG)
            return Outcome()
        today = _today(core, work)
        buttons = []
        later: list[tuple[str, date]] = []
        for year in sorted(years):
            row = []
            for quarter in range(1, 5):
                if await periods.live_period(work.conn, year, quarter) is not None:
                    continue
                label = tq.period_label(year, quarter)
                if opens_on(year, quarter) > today:
                    later.append((label, opens_on(year, quarter)))
                    continue
                row.append((label, encode(Cb.OPEN_QUARTER, year, quarter)))
            buttons += [row[i : i + 2] for i in range(0, len(row), 2)]
        if not buttons:
            await work.reply(tf.nothing_to_open(later))
            return Outcome()
        await work.reply(tq.CHOOSE_QUARTER, buttons, tag="open_menu")
    return Outcome()


def opens_on(year: int, quarter: int) -> date:
    """The first day a triwulan may be opened: the first day of its last month (SOP step 1:
    a quarter is reported when it has (nearly) happened)."""
    return date(year, quarter * 3, 1)


def _today(core: Core, work: Work) -> date:
    """The agency's date now (its own time zone: a date begins at midnight there)."""
    return work.now.astimezone(core.config.calendar.tz).date()


async def open_pick(core: Core, origin: Origin, year: int, quarter: int) -> Outcome:
    """The chosen triwulan: prepare the forms and ask the sekretaris."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome(texts.NOT_REGISTERED, alert=True)
        if not who.holds(Role.KASUBAG_KPEP):
            await refuse_role(work)
            return Outcome(texts.BUTTON_NOT_YOURS)
        if not 1 <= quarter <= 4 or not await catalog.has_year(work.conn, year):
            return Outcome(texts.BUTTON_INVALID)
        current = await periods.current_period(work.conn)
        if current and is_active(current.state):
            await stale(work)
            return Outcome(tq.SUDAH_DIPROSES)
        if await periods.live_period(work.conn, year, quarter):
            await work.reply(texts.fill(tq.QUARTER_TAKEN, label=tq.period_label(year, quarter)))
            return Outcome(tq.SUDAH_DIPROSES)
        if opens_on(year, quarter) > _today(core, work):
            await work.reply(tf.too_early(tq.period_label(year, quarter), opens_on(year, quarter)))
            return Outcome()
        period_id = await periods.create_period(work.conn, year, quarter, who.person.id, work.now)
        await move_step(work, period_id, None, None, Step.OPEN, who, "")
        await work.audit(
            "period_requested",
            "period",
            period_id,
            {"year": year, "quarter": quarter},
            who.person.id,
        )
        per_unit = await _indicator_counts(work, year)
        label = tq.period_label(year, quarter)
        await work.clear_buttons("open_menu")
        await work.reply(tq.opening_requested(label, len(per_unit), sum(c for _, c in per_unit)))
        period = await periods.period(work.conn, period_id)
        assert period is not None
        await send_opening_request(work, period, who.person.full_name)
    return Outcome()


async def _indicator_counts(work: Work, year: int) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for stored in await catalog.indicators(work.conn, year):
        counts[stored.indicator.unit_code] = counts.get(stored.indicator.unit_code, 0) + 1
    return [(u.name, counts[u.code]) for u in await org.units(work.conn) if u.code in counts]


async def _period_for(
    work: Work, who: Caller | None, period_id: int, version: int, state: PeriodState
) -> periods.Period | None:
    period = await periods.period(work.conn, period_id)
    if period is None or period.version != version or period.state is not state:
        await stale(work)
        return None
    return period


async def approve(core: Core, origin: Origin, period_id: int, version: int) -> Outcome:
    """The sekretaris approves: forms go to the units, the opening to the group."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome(texts.NOT_REGISTERED, alert=True)
        period = await _period_for(work, who, period_id, version, PeriodState.AWAITING_OPENING)
        if period is None:
            return Outcome(tq.SUDAH_DIPROSES)
        try:
            new_state = transition(period.state, PeriodAction.APPROVE_OPENING, who.actor)
        except Refused:
            await refuse_role(work)
            return Outcome(texts.BUTTON_NOT_YOURS)
        deadline = core.config.calendar.add_working(
            work.now, core.config.calendar.working_day_length
        )
        if not await periods.set_period_state(
            work.conn, period, new_state, work.now, deadline=deadline
        ):
            await stale(work)
            return Outcome(tq.SUDAH_DIPROSES)
        await move_step(work, period.id, None, Step.OPEN, None, who, "disetujui", Role.SEKRETARIS)
        await work.audit(
            "period_opened", "period", period.id, {"deadline": str(deadline)}, who.person.id
        )
        await work.clear_buttons(
            _tag(period.id), tq.opening_approved_note(who.person.full_name, work.now)
        )
        units = await catalog.unit_codes_with_indicators(work.conn, period.year)
        for unit in await org.units(work.conn):
            if unit.code not in units:
                continue
            await periods.create_unit_report(work.conn, period.id, unit.code, work.now)
            await move_step(work, period.id, unit.code, None, Step.ENTER, None, "")
            await templates.send_form(work, period, unit, deadline)
        await work.notify(
            Grant(Role.KASUBAG_KPEP),
            tq.opening_approved_note(who.person.full_name, work.now) + f" {period.label} dibuka.",
        )
        await work.post_group(tq.group_opening(period.label, deadline, len(units)))
    return Outcome()


async def reject(core: Core, origin: Origin, period_id: int, version: int) -> Outcome:
    """The sekretaris refuses the opening: ask the reason first."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome(texts.NOT_REGISTERED, alert=True)
        period = await _period_for(work, who, period_id, version, PeriodState.AWAITING_OPENING)
        if period is None:
            return Outcome(tq.SUDAH_DIPROSES)
        if not who.holds(Role.SEKRETARIS):
            await refuse_role(work)
            return Outcome(texts.BUTTON_NOT_YOURS)
        await ask_reason(work, "reject_opening", "penolakan", period=period_id, version=version)
    return Outcome()


@on_reason("reject_opening")
async def _rejected(work: Work, who: Caller, data: dict[str, Any], reason: str) -> None:
    period = await _period_for(
        work, who, int(data["period"]), int(data["version"]), PeriodState.AWAITING_OPENING
    )
    if period is None:
        return
    try:
        new_state = transition(period.state, PeriodAction.REJECT_OPENING, who.actor)
    except Refused:
        await refuse_role(work)
        return
    if not await periods.set_period_state(
        work.conn, period, new_state, work.now, return_reason=reason
    ):
        await stale(work)
        return
    await move_step(work, period.id, None, Step.OPEN, None, who, "ditolak", Role.SEKRETARIS)
    await work.audit("period_rejected", "period", period.id, {"reason": reason}, who.person.id)
    await work.clear_buttons(
        _tag(period.id), tq.returned_note(who.person.full_name, work.now, reason)
    )
    await work.notify(
        Grant(Role.KASUBAG_KPEP), tq.opening_rejected(period.label, who.person.full_name, reason)
    )
    await work.reply(tq.SUDAH_DIPROSES)
