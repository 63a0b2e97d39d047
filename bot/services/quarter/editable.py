"""Which unit report an operator may edit now, and its form for a button or a typed answer.

Chat (``bot.services.quarter.entry``), the submission (``bot.services.quarter.submission``),
uploads and the Mini App ask here, so that all of them refuse the same reports alike.
"""

from __future__ import annotations

from bot.model import Role
from bot.services.core import Caller
from bot.services.quarter import forms
from bot.services.quarter.flow import refuse_role
from bot.services.work import Work
from bot.texts import common as texts
from bot.texts import entry as te
from bot.texts import quarter as tq
from bot.workflow import EDITABLE_UNIT_STATES, PeriodState
from storage import org, periods


async def editable_report(work: Work, who: Caller) -> tuple[periods.UnitReport | None, str]:
    """The report the operator may edit now, or None with the reason to tell them."""
    units = who.actor.units_as(Role.OPERATOR)
    if not units:
        return None, te.NOT_OPERATOR
    period = await periods.current_period(work.conn)
    if period is None or period.state not in (PeriodState.COLLECTING, PeriodState.COMPILING):
        return None, te.NO_COLLECTING
    fallback = te.NO_COLLECTING
    for code in units:
        report = await periods.unit_report_for(work.conn, period.id, code)
        if report is None:
            continue
        if report.state in EDITABLE_UNIT_STATES:
            return report, ""
        fallback = texts.fill(
            te.NOT_EDITABLE,
            unit=await _unit_name(work, code),
            state=tq.UNIT_STATE_LABELS[report.state],
        )
    return None, fallback


async def _unit_name(work: Work, code: str) -> str:
    unit = await org.unit(work.conn, code)
    return unit.name if unit else code


async def form_in_dialog(work: Work, who: Caller, report_id: int) -> forms.UnitForm | None:
    """The form for a button or answer, if it is still the operator's to edit."""
    report = await periods.unit_report(work.conn, report_id)
    if report is None or not who.holds(Role.OPERATOR, report.unit_code):
        await refuse_role(work)
        return None
    period = await periods.period(work.conn, report.period_id)
    if (
        report.state not in EDITABLE_UNIT_STATES
        or period is None
        or period.state not in (PeriodState.COLLECTING, PeriodState.COMPILING)
    ):
        await work.reply(
            texts.fill(
                te.NOT_EDITABLE,
                unit=await _unit_name(work, report.unit_code),
                state=tq.UNIT_STATE_LABELS[report.state],
            )
        )
        return None
    return await forms.load(work, report, period)
