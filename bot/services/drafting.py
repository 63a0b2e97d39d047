"""From the database to the drafted analysis: the rules' input for a period (issue 14).

``bot.analysis`` decides; this module only gathers what it reads: this year's figures (the
report's, with imported history), last year's (collected or imported, matched by code), the
units' notes and the explanations given for soft-checked values, follow-ups still open, and
steps that ran late in more than one period.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import aiosqlite

from bot import analysis as an
from bot.services import history, reporting
from bot.services.core import Core
from bot.texts_quarter import STEP_NAMES
from bot.workflow import PeriodState, Step
from exports.report_data import ReportData
from storage import catalog, entries, periods

# Steps a unit owns: a late one repeated is worth a recommendation to that unit.
UNIT_STEPS = (Step.ENTER, Step.UNIT_CHECK)


def _quarterly(values: list[Decimal | None] | None) -> an.Quarterly:
    v = values or [None] * 4
    return (v[0], v[1], v[2], v[3])


def unit_budgets(data: ReportData) -> tuple[an.UnitBudget, ...]:
    """Each unit's pagu and spending per quarter; a quarter without any figure stays None."""
    result = []
    for unit in data.units:
        rows = [b for b in data.budgets if b.activity.unit_code == unit.code]
        pagu = [b.activity.pagu for b in rows if b.activity.pagu is not None]
        spent: list[Decimal | None] = []
        for q in range(4):
            present = [b.realisasi_q[q] for b in rows if b.realisasi_q[q] is not None]
            spent.append(
                sum((v for v in present if v is not None), Decimal(0)) if present else None
            )
        result.append(
            an.UnitBudget(unit.code, sum(pagu, Decimal(0)) if pagu else None, _quarterly(spent))
        )
    return tuple(result)


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
        an.LateStep(unit, STEP_NAMES[step], times)
        for (unit, step), times in sorted(counted.items())
    )


async def analysis_input(
    core: Core, conn: aiosqlite.Connection, period: periods.Period, data: ReportData
) -> an.AnalysisInput:
    """Everything the rules read for ``period`` (``data`` is its report data)."""
    last_year, _ = await history.year_figures(conn, period.year - 1)
    ids = {s.indicator.code: s.id for s in await catalog.indicators(conn, period.year)}
    current = await entries.realisations(conn, [period.id])
    indicators = []
    for row in data.indicators:
        entry = current.get((period.id, ids.get(row.indicator.code, -1)))
        indicators.append(
            an.IndicatorHistory(
                row.indicator,
                row.realisasi_q,
                _quarterly(last_year.get(row.indicator.code)),
                explanation=entry.explanation if entry else "",
                soft=tuple(s for s in (entry.soft if entry else "").split(",") if s),
            )
        )
    return an.AnalysisInput(
        year=period.year,
        quarter=period.quarter,
        units=data.units,
        indicators=tuple(indicators),
        budgets=unit_budgets(data),
        notes=tuple(
            an.UnitNote(n.unit_code, n.faktor_pendorong, n.faktor_penghambat)
            for n in data.unit_notes
        ),
        open_follow_ups=tuple(
            an.OpenFollowUp(r.unit_code, r.text, r.period_label) for r in data.carried_over
        ),
        late_steps=await late_steps(core, conn, period),
    )


async def draft(core: Core, conn: aiosqlite.Connection, period: periods.Period) -> an.Draft:
    """The drafted analysis of ``period``."""
    data = await reporting.report_data(core, conn, period)
    return an.draft(await analysis_input(core, conn, period, data))
