"""The unit's fill-in template: what it shows, and its delivery (step 1, /unduh).

Above :mod:`bot.services.quarter.forms` (the form it is made from) and below
:mod:`bot.services.files.uploads` (which checks a filled-in template against the same context)
and :mod:`bot.services.files.downloads`, so that each of them imports only downward.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.model import Role, Unit
from bot.services.files import recipes
from bot.services.people.admin import AGENCY_NAME
from bot.services.quarter import forms
from bot.services.quarter.followup import EVIDENCE
from bot.services.quarter.questions import open_form_button
from bot.services.work import Work
from bot.texts import agency as ta
from bot.texts import followup as tl
from bot.texts import quarter as tq
from bot.workflow import Grant
from storage import catalog, org, periods, updates


async def template_context(work: Work, form: forms.UnitForm) -> Any:
    """The template's view of a unit's form."""
    from exports.template_layout import TemplateContext

    # The name the agency set, else the running bot's (as the report does).
    agency = await org.get_setting(work.conn, AGENCY_NAME) or work.config.agency_name
    return TemplateContext(
        agency_name=agency,
        unit=form.unit,
        year=form.period.year,
        quarter=form.period.quarter,
        period_id=form.period.id,
        indicators=tuple(s.indicator for s in form.indicators),
        activities=tuple(
            form.activities[code]
            for code in form.activities
            if form.activities[code].unit_code == form.unit.code
        ),
        previous={
            s.indicator.code: form.previous[s.id] for s in form.indicators if s.id in form.previous
        },
        current={
            s.indicator.code: form.current[s.id].value
            for s in form.indicators
            if s.id in form.current
        },
        budget_current={
            s.activity.code: form.budgets[s.id].value for s in form.subs if s.id in form.budgets
        },
        budget_spent_before={
            s.activity.code: form.spent_before[s.id] for s in form.subs if s.id in form.spent_before
        },
        notes=dict(form.notes),
        follow_ups=_follow_up_rows(form),
    )


def _follow_up_rows(form: forms.UnitForm) -> tuple[tuple[int, str, str], ...]:
    """The carried recommendations' rows: (id, the question, the answer given this period)."""
    rows = []
    for rec in form.carried.values():
        done = rec.follow_up_of(form.unit.code)
        answer = ""
        if form.follow_up_answered(rec) and done is not None:
            answer = tl.template_answer(rec.state_of(form.unit.code).value, done.text)
        question = tl.template_question(form.carried_from.get(rec.id, ""), rec.text)
        rows.append((rec.id, question, answer))
    return tuple(rows)


async def send_template(work: Work, report: periods.UnitReport, chat_id: int) -> None:
    """Queue a unit's template as a document to one chat (built after the commit)."""
    unit = await org.unit(work.conn, report.unit_code)
    period = await periods.period(work.conn, report.period_id)
    assert unit is not None and period is not None
    await work.send_built(
        chat_id,
        "sendDocument",
        recipes.template(report.id),
        ta.template_caption(unit.name, period.label),
    )


async def send_form(work: Work, period: periods.Period, unit: Unit, deadline: datetime) -> None:
    """Step 1's delivery to a unit: the invitation to fill, and the .xlsx template."""
    count = len(await catalog.indicators(work.conn, period.year, unit.code))
    operators = Grant(Role.OPERATOR, unit.code)
    await work.notify(
        operators,
        tq.form_sent(period.label, unit.name, count, deadline),
        open_form_button(work.config),
    )
    report = await periods.unit_report_for(work.conn, period.id, unit.code)
    assert report is not None
    for member in await org.holders(work.conn, operators, work.now):
        await send_template(work, report, member.person.telegram_id)
        # The template sent back is the new form's, not evidence of a follow-up recorded just
        # before: a file awaited as evidence is awaited no longer.
        dialog = await updates.dialog(work.conn, member.person.telegram_id)
        if dialog is not None and dialog.name == EVIDENCE:
            await updates.clear_dialog(work.conn, member.person.telegram_id)
