"""Reminders and escalation against the SOP's time standards, and the coordinator's nudge.

Everything is computed from the open step runs in the database. The n-th reminder of a step
run is queued with the outbox key ``remind:<step run>:<n>``, so a restart (or a second
check in the same minute) can neither lose nor repeat one. Nothing is sent outside office
hours: a reminder due at night goes out when the office opens.
"""

from __future__ import annotations

from bot.calendar import format_duration
from bot.clock import to_iso
from bot.model import Role
from bot.services.core import Core, Origin, Outcome, Work, caller
from bot.services.quarter.flow import refuse_role, stale
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


async def _queue(work: Work, grant: Grant, text: str, key: str) -> int:
    sent = 0
    for member in await org.holders(work.conn, grant, work.now):
        chat = member.person.telegram_id
        payload = {"chat_id": chat, "text": text, "parse_mode": "HTML"}
        if (
            await outbox.enqueue(
                work.conn,
                chat_id=chat,
                method="sendMessage",
                payload=payload,
                now=work.now,
                key=f"{key}:{chat}",
            )
            is not None
        ):
            work.queued += 1
            sent += 1
    return sent


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
        names = {u.code: u.name for u in await org.units(work.conn)}
        for step in await periods.open_steps(work.conn, period.id):
            standard = core.standard(step.step)
            elapsed = calendar.working_duration(step.started_at, work.now)
            intervals = int(elapsed / standard) if standard else 0
            if intervals < 1:
                continue
            grant = await actor_of(work, step)
            if grant is None:
                continue
            unit = names.get(step.unit_code or "", "")
            standard_words = format_duration(standard, day=calendar.working_day_length)
            queued += await _queue(
                work,
                grant,
                tf.reminder(
                    period.label, int(step.step), unit, step.started_at, work.now, standard_words
                ),
                f"remind:{step.id}:{intervals}",
            )
            superior = superior_of(grant)
            # The superior is told only after the person had a reminder of their own, at an
            # earlier check: never both at the same moment.
            if (
                intervals >= 2
                and superior is not None
                and await outbox.keyed_before(work.conn, f"remind:{step.id}:", to_iso(work.now))
            ):
                late = await org.holders(work.conn, grant, work.now)
                queued += await _queue(
                    work,
                    superior,
                    tf.escalation(
                        period.label,
                        int(step.step),
                        unit,
                        ", ".join(m.person.full_name for m in late),
                        step.started_at,
                        work.now,
                        standard_words,
                    ),
                    f"escalate:{step.id}:{intervals}",
                )
        if queued:
            await work.audit("reminders_sent", "period", period.id, {"messages": queued})
        return queued


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
