"""Reminders and escalation against the SOP's time standards, and the coordinator's nudge.

Everything is computed from the open step runs in the database. The n-th reminder of a step
run is queued with the outbox key ``remind:<step run>:<n>``, so a restart (or a second
check in the same minute) can neither lose nor repeat one. Nothing is sent outside office
hours: a reminder due at night goes out when the office opens.

A reminder says the deadline's clock time and how late it is, and carries the buttons of the
request it reminds of, tagged like it: acting on either removes both. An escalation carries
**Ingatkan**, which sends the late person one more reminder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.calendar import format_duration
from bot.callbacks import Cb, encode
from bot.clock import to_iso
from bot.model import Role
from bot.services.core import Core, Origin, Outcome, caller
from bot.services.quarter.flow import refuse_role, stale
from bot.services.work import Button, Work, keyboard
from bot.texts import agency as ta
from bot.texts import common as texts
from bot.texts import fit as tf
from bot.workflow import Grant, PeriodState, Step, is_active, unit_head
from storage import org, outbox, periods


def superior_of(grant: Grant) -> Grant | None:
    """Who is told when ``grant``'s holder is late (operator → kabid → sekretaris → kadin)."""
    if grant.role is Role.OPERATOR and grant.unit_code:
        return unit_head(grant.unit_code)
    if grant.role in (Role.KABID, Role.KASUBAG_KPEP):
        return Grant(Role.SEKRETARIS)
    if grant.role is Role.SEKRETARIS:
        return Grant(Role.KADIN)
    return None


async def actor_of(work: Work, step: periods.StepRecord) -> Grant | None:
    """The grant expected to act while ``step`` is open."""
    unit = step.unit_code
    if step.step in (Step.ENTER, Step.FOLLOW_UP) and unit:
        return Grant(Role.OPERATOR, unit)
    if step.step is Step.UNIT_CHECK and unit:
        report = await periods.unit_report_for(work.conn, step.period_id, unit)
        return report.approver if report and report.approver else unit_head(unit)
    return {
        Step.OPEN: Grant(Role.SEKRETARIS),
        Step.COMPILE: Grant(Role.KASUBAG_KPEP),
        Step.SECRETARY_REVIEW: Grant(Role.SEKRETARIS),
        Step.HEAD_REVIEW: Grant(Role.KADIN),
        Step.FORWARD: Grant(Role.SEKRETARIS),
        Step.DISTRIBUTE: Grant(Role.KASUBAG_KPEP),
    }.get(step.step)


@dataclass(frozen=True, slots=True)
class Late:
    """A late step run: who must act, the deadline, how late, and the request's buttons."""

    step: periods.StepRecord
    grant: Grant
    unit: str
    deadline: datetime
    late: str
    buttons: list[list[Button]]
    tag: str | None
    sender: int | None = None  # who sent the unit report: never asked to approve it


async def _late(core: Core, work: Work, step: periods.StepRecord) -> Late | None:
    """What a reminder of ``step`` says and carries (None: nobody is expected to act)."""
    from bot.services.people import handover

    grant = await actor_of(work, step)
    if grant is None:
        return None
    calendar = core.config.calendar
    standard = core.standard(step.step)
    deadline = calendar.add_working(step.started_at, standard)
    overdue = calendar.working_duration(deadline, work.now)
    unit = await org.unit(work.conn, step.unit_code) if step.unit_code else None
    buttons: list[list[Button]] = []
    tag, sender = None, None
    for item in await handover.waiting(work):
        report_unit = item.report.unit_code if item.report else None
        if item.step is step.step and report_unit == step.unit_code:
            buttons, tag = await handover.buttons(work, item), item.tag
            sender = item.report.submitted_by if item.report else None
    late = format_duration(overdue, day=calendar.working_day_length)
    return Late(step, grant, unit.name if unit else "", deadline, late, buttons, tag, sender)


async def _queue(
    work: Work,
    grant: Grant,
    text: str,
    key: str | None,
    buttons: list[list[Button]] | None = None,
    tag: str | None = None,
    admin_text: str | None = None,
    skip: int | None = None,
) -> int:
    """Queue ``text`` to every holder of ``grant`` but ``skip`` (``admin_text`` to the admins
    among them), spoken to each by their sapaan; with ``key``, at most once per chat."""
    sent = 0
    for member in await org.holders(work.conn, grant, work.now):
        if member.person.id == skip:
            continue
        chat = member.person.telegram_id
        chosen = admin_text if admin_text and member.person.is_admin else text
        text_for = texts.spoken(chosen, member.person.sapaan)
        payload: dict[str, Any] = {"chat_id": chat, "text": text_for, "parse_mode": "HTML"}
        if buttons:
            payload["reply_markup"] = keyboard(buttons)
        queued = await outbox.enqueue(
            work.conn,
            chat_id=chat,
            method="sendMessage",
            payload=payload,
            now=work.now,
            key=f"{key}:{chat}" if key else None,
            tag=tag if buttons else None,
        )
        if queued is not None:
            work.queued += 1
            sent += 1
    return sent


async def _remind(work: Work, period: periods.Period, late: Late, key: str | None) -> int:
    """The late person's reminder, with the request's buttons."""
    text = tf.reminder(
        period.label,
        int(late.step.step),
        late.unit,
        late.step.started_at,
        work.now,
        late.deadline,
        late.late,
        bool(late.buttons),
    )
    return await _queue(work, late.grant, text, key, late.buttons, late.tag, skip=late.sender)


async def check(core: Core) -> int:
    """Queue every reminder and escalation now due; return how many messages were queued.

    First, decisions follow their role: a Plt term that began or ended by the clock hands
    what waits on the role to its holder now (see ``bot.services.people.handover``). It runs in the
    job's own transaction, so a minute in which nothing changed leaves one DEBUG line only.
    """
    from bot.services.people import handover

    calendar = core.config.calendar
    async with core.work(None) as work:
        await handover.sync(core, work)
        if not calendar.is_working_time(work.now):
            return 0
        from bot.services.quarter.followup_leaders import remind_overdue

        overdue_units = await remind_overdue(core, work)
        period = await periods.current_period(work.conn)
        if period is None or not is_active(period.state):
            return overdue_units
        queued = overdue_units
        for step in await periods.open_steps(work.conn, period.id):
            standard = core.standard(step.step)
            elapsed = calendar.working_duration(step.started_at, work.now)
            intervals = int(elapsed / standard) if standard else 0
            if intervals < 1:
                continue
            late = await _late(core, work, step)
            if late is None:
                continue
            queued += await _remind(work, period, late, f"remind:{step.id}:{intervals}")
            superior = superior_of(late.grant)
            # The superior is told only after the person had a reminder of their own, at an
            # earlier check: never both at the same moment.
            if (
                intervals >= 2
                and superior is not None
                and await outbox.keyed_before(work.conn, f"remind:{step.id}:", to_iso(work.now))
            ):
                queued += await _escalate(work, period, late, superior, intervals)
        if queued:
            await work.audit("reminders_sent", "period", period.id, {"messages": queued})
        return queued


async def _escalate(
    work: Work, period: periods.Period, late: Late, superior: Grant, intervals: int
) -> int:
    """The superior is told, with Ingatkan; an admin among them also learns of /plt."""
    holders = await org.holders(work.conn, late.grant, work.now)
    names = ", ".join(m.person.full_name for m in holders)

    def text(acting_hint: bool) -> str:
        return tf.escalation(
            period.label,
            int(late.step.step),
            late.unit,
            names,
            late.step.started_at,
            work.now,
            late.deadline,
            late.late,
            acting_hint,
        )

    buttons = [[(tf.BTN_REMIND, encode(Cb.REMIND_AGAIN, late.step.id))]]
    return await _queue(
        work,
        superior,
        text(False),
        f"escalate:{late.step.id}:{intervals}",
        buttons,
        escalation_tag(late.step.id),
        admin_text=text(True),
    )


def escalation_tag(step_id: int) -> str:
    """The tag of a step run's escalations (their Ingatkan goes once the step is done)."""
    return f"escalate:{step_id}"


async def remind_again(core: Core, origin: Origin, step_id: int) -> Outcome:
    """An escalation's Ingatkan: the late person gets one more reminder, with the buttons."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome(texts.NOT_REGISTERED, alert=True)
        period = await periods.current_period(work.conn)
        open_steps = await periods.open_steps(work.conn, period.id) if period else []
        step = next((s for s in open_steps if s.id == step_id), None)
        late = await _late(core, work, step) if step else None
        if period is None or late is None:
            await work.clear_buttons(escalation_tag(step_id))
            return Outcome(texts.STALE_BUTTON)
        superior = superior_of(late.grant)
        if superior is None or not who.holds(superior.role, superior.unit_code):
            await refuse_role(work)
            return Outcome(texts.BUTTON_NOT_YOURS)
        if not await _remind(work, period, late, None):
            return Outcome(texts.STALE_BUTTON)
        holders = await org.holders(work.conn, late.grant, work.now)
        await work.audit("reminded_again", "step", step_id, {}, who.person.id)
    return Outcome(tf.reminded_again(", ".join(m.person.full_name for m in holders)))


async def nudge(core: Core, origin: Origin, period_id: int, unit_code: str) -> Outcome:
    """The kasubag_kpep reminds a unit by hand (from /status)."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome(texts.NOT_REGISTERED, alert=True)
        if not who.holds(Role.KASUBAG_KPEP):
            await refuse_role(work)
            return Outcome(texts.BUTTON_NOT_YOURS)
        period = await periods.period(work.conn, period_id)
        if period is None or period.state is not PeriodState.COLLECTING:
            await stale(work)
            return Outcome(ta.NUDGE_STALE)
        step = next(
            (s for s in await periods.open_steps(work.conn, period.id) if s.unit_code == unit_code),
            None,
        )
        grant = await actor_of(work, step) if step else None
        if step is None or grant is None:
            await stale(work)
            return Outcome(ta.NUDGE_STALE)
        unit = await org.unit(work.conn, unit_code)
        await work.notify(
            grant,
            tf.nudged(
                period.label,
                int(step.step),
                unit.name if unit else unit_code,
                who.person.full_name,
            ),
        )
        await work.audit(
            "nudged", "unit_report", unit_code, {"step": int(step.step)}, who.person.id
        )
    return Outcome(ta.NUDGE_SENT)


def nudgeable(step: periods.StepRecord) -> bool:
    """Unit steps the coordinator may nudge from /status."""
    return step.unit_code is not None and step.step in (Step.ENTER, Step.UNIT_CHECK, Step.FOLLOW_UP)
