"""/status: where the period stands, per unit and per step, who is waiting and since when."""

from __future__ import annotations

from datetime import timedelta

from bot.calendar import format_duration
from bot.callbacks import Cb, encode
from bot.model import Role
from bot.services.core import Core, Origin, Outcome, caller
from bot.services.people.groups import refuse_stranger_group
from bot.services.quarter.followup import status_lines
from bot.services.quarter.questions import dashboard_button
from bot.services.quarter.reminders import nudgeable
from bot.services.work import Button, Work
from bot.texts import agency as ta
from bot.texts import common as texts
from bot.texts import quarter as tq
from bot.texts.quarter import UNIT_STATE_LABELS
from bot.texts.steps import period_state_label, step_name
from bot.workflow import Grant, is_active, unit_head
from storage import org, periods

LEADERS = (Role.KASUBAG_KPEP, Role.SEKRETARIS, Role.KADIN)  # who the dashboard is for


async def _names(work: Work, grant: Grant) -> str:
    holders = await org.holders(work.conn, grant, work.now)
    return ", ".join(m.person.full_name for m in holders) or "belum ada pejabat"


async def status(core: Core, origin: Origin) -> Outcome:
    """Answer /status (in the private chat, or in the agency group: without names)."""
    async with core.work(origin) as work:
        if await refuse_stranger_group(work):
            return Outcome()
        who = None if origin.in_group else await caller(work)
        if not origin.in_group and who is None:
            return Outcome()
        period = await periods.current_period(work.conn)
        if period is None:
            await work.reply(ta.NO_PERIOD)
            return Outcome()
        buttons: list[list[Button]] = []
        if who is not None and who.holds(Role.KASUBAG_KPEP):
            for step in await periods.open_steps(work.conn, period.id):
                if nudgeable(step) and step.unit_code:
                    unit = await org.unit(work.conn, step.unit_code)
                    label = tq.BTN_NUDGE.format(unit=unit.name if unit else step.unit_code)
                    buttons.append([(label[:60], encode(Cb.NUDGE, period.id, step.unit_code))])
        if who is not None and any(who.holds(r) for r in LEADERS):
            buttons += dashboard_button(core.config)  # a private chat: who is set only there
        text = await status_text(core, work, period, names=not origin.in_group)
        if who is not None:  # overdue follow-ups of any period, for the leaders only
            from bot.services.quarter.followup_leaders import overdue_lines

            text = "\n".join([text, *await overdue_lines(work, who)])
        await work.reply(text, buttons or None)
        if who is not None:
            from bot.services.people import handover

            await handover.offer_waiting_to(core, work, who)  # what waits on them, with buttons
    return Outcome()


async def status_text(core: Core, work: Work, period: periods.Period, *, names: bool = True) -> str:
    """The status message of a period; ``names=False`` (the group) leaves out who is late.

    The group sees each unit's state and how long it has waited; who is being waited on is
    told privately (the person by the reminders, the kasubag_kpep in their own /status).
    """
    calendar = core.config.calendar
    lines = [
        f"<b>Status {texts.esc(period.label)}</b>",
        f"Tahap: {texts.esc(period_state_label(period.state))}",
    ]
    if period.deadline and is_active(period.state):
        lines.append(f"Batas pengisian: {texts.when(period.deadline)}")
    open_steps = {(s.unit_code, s.step): s for s in await periods.open_steps(work.conn, period.id)}
    reports = await periods.unit_reports(work.conn, period.id)
    if reports:
        lines += ["", "<b>Laporan unit</b>"]
    for report in reports:
        unit = await org.unit(work.conn, report.unit_code)
        name = texts.esc(unit.name if unit else report.unit_code)
        line = f"• {name}: {UNIT_STATE_LABELS[report.state]}"
        step = next((s for (code, _), s in open_steps.items() if code == report.unit_code), None)
        if step is not None:
            grant = (
                (report.approver or unit_head(report.unit_code))
                if step.step == 3
                else Grant(Role.OPERATOR, report.unit_code)
            )
            waited = calendar.working_duration(step.started_at, work.now)
            standard = core.standard(step.step)
            late = " ⚠️ terlambat" if waited > standard else ""
            waiting = f"menunggu {texts.esc(await _names(work, grant))} " if names else ""
            line += (
                f" — {waiting}sejak "
                f"{texts.when(step.started_at)} ({format_duration(waited)} jam kerja; "
                f"mutu baku {format_duration(standard)}){late}"
            )
        lines.append(line)
    lines += await _timeliness(core, work, period)
    lines += await status_lines(work, period)
    agency = [s for (code, _), s in open_steps.items() if code is None]
    for step in agency:
        waited = calendar.working_duration(step.started_at, work.now)
        standard = core.standard(step.step)
        late = " ⚠️ terlambat" if waited > standard else ""
        lines += [
            "",
            f"<b>Langkah {int(step.step)}: {texts.esc(step_name(int(step.step)))}</b> — sejak "
            f"{texts.when(step.started_at)} ({format_duration(waited)} jam kerja; "
            f"mutu baku {format_duration(standard)}){late}",
        ]
    return "\n".join(lines)


async def _timeliness(core: Core, work: Work, period: periods.Period) -> list[str]:
    """Finished steps against the SOP's time standards: the share on time, and the late ones."""
    from bot.services.files.reporting import steps_taken

    finished = [r for r in await steps_taken(core, work.conn, period.id) if r.on_time is not None]
    if not finished:
        return []
    names = {u.code: u.name for u in await org.units(work.conn)}
    late = [
        ta.late_step(
            f"{r.step}. {r.name}",
            names.get(r.unit_code or "", ""),
            format_duration(r.working_duration or timedelta()),
            format_duration(r.standard),
        )
        for r in finished
        if not r.on_time
    ]
    on_time = len(finished) - len(late)
    return ["", ta.timeliness(on_time, len(finished)), *late]
