"""From the database to the drafted analysis: the rules' input for a period (issue 14).

``bot.analysis`` decides; this module only gathers what it reads: the report's figures (this
year's with imported history, last year's by code, the explanations given for soft-checked
values), the units' notes, follow-ups still open, and steps late in more than one period.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import aiosqlite

from bot import analysis as an
from bot.services.core import Core
from bot.services.files import reporting
from bot.texts.steps import step_name
from bot.workflow import PeriodState, Step
from exports import report_trend
from exports.report_data import ReportData
from storage import periods

# Steps a unit owns: a late one repeated is worth a recommendation to that unit.
UNIT_STEPS = (Step.ENTER, Step.UNIT_CHECK)


async def late_steps(
    core: Core, conn: aiosqlite.Connection, period: periods.Period
) -> tuple[an.LateStep, ...]:
    """Per unit and unit step, in how many periods up to this one it ran late."""
    counted: Counter[tuple[str, int]] = Counter()
    for earlier in await periods.periods(conn):
        if earlier.state is PeriodState.CANCELLED or (earlier.year, earlier.quarter) > (
            period.year,
            period.quarter,
        ):
            continue
        late = {
            (row.unit_code, row.step)
            for row in await reporting.steps_taken(core, conn, earlier.id)
            if row.unit_code is not None and row.step in UNIT_STEPS and row.on_time is False
        }
        counted.update(late)
    return tuple(
        an.LateStep(unit, step_name(step), times) for (unit, step), times in sorted(counted.items())
    )


async def analysis_input(
    core: Core, conn: aiosqlite.Connection, period: periods.Period, data: ReportData
) -> an.AnalysisInput:
    """Everything the rules read for ``period`` (``data`` is its report data)."""
    return replace(
        report_trend.analysis_input(data),
        notes=tuple(
            an.UnitNote(n.unit_code, n.faktor_pendorong, n.faktor_penghambat)
            for n in data.unit_notes
        ),
        open_follow_ups=tuple(
            an.OpenFollowUp(
                r.unit_code,
                r.text,
                r.period_label,
                r.due is not None and r.due < data.generated_at.astimezone(data.zone).date(),
            )
            for r in data.carried_over
            if r.is_open  # answered selesai this period: no longer an open follow-up
        ),
        late_steps=await late_steps(core, conn, period),
    )
