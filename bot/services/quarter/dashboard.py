"""The leaders' dashboard in the Mini App: where the period stands, and its figures, as data.

For the coordinator (kasubag_kpep), the Sekretaris and the Kepala Dinas. The figures are the
report's own: the report's data (:func:`bot.services.files.reporting.report_data`) scored as
the report scores it (:func:`exports.report_data.scored`), absorption, trends and the quarter
series by the analysis' rules (:mod:`bot.analysis`). The Sekretaris (step 5) and the Kepala
Dinas (step 6) take their step's decision here with the chat's own use cases.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from bot import analysis, numbers
from bot.analysis import direction
from bot.calendar import format_duration
from bot.model import Role
from bot.numbers_format import format_percent
from bot.services.core import Caller, Core, Origin
from bot.services.files.reporting import report_data, steps_taken
from bot.services.quarter import agency, leadership, period_review
from bot.services.quarter.flow import complete_with_reason
from bot.services.quarter.status import LEADERS
from bot.services.quarter.webform import Reply, message, once, reason_refusal, who_of
from bot.services.work import Work
from bot.texts import agency as ta
from bot.texts import common as texts
from bot.texts import dashboard as td
from bot.texts import quarter as tq
from bot.texts import web as tw
from bot.texts.steps import period_state_label, step_name
from bot.workflow import Grant, unit_head
from exports.report_data import ReportData, caps_by_unit, scored
from exports.report_trend import analysis_input, unit_budgets
from storage import followups, org, periods

DECISIONS = ("approve", "return")


def _reviews(core: Core) -> dict[Role, tuple[period_review.Review, period_review.Then]]:
    """The leaders' decisions on the whole period, and what follows each Setujui."""
    return {
        Role.SEKRETARIS: (agency.SECRETARY_REVIEW, agency.to_the_head(core)),
        Role.KADIN: (leadership.HEAD_REVIEW, leadership.to_the_secretary),
    }


def is_leader(who: Caller) -> bool:
    """Whether ``who`` may see the dashboard."""
    return any(who.holds(role) for role in LEADERS)


async def view(core: Core, origin: Origin) -> Reply:
    """The dashboard of the current period (or the latest closed one); 403 for others."""
    async with core.db.reading() as conn:
        work = Work(conn, core.now(), origin, core.config)
        who = await who_of(work)
        if who is None:
            return message(403, texts.NOT_REGISTERED)
        if not is_leader(who):
            return message(403, td.forbidden())
        period = await periods.current_period(conn)
        if period is None:
            return message(409, ta.NO_PERIOD)
        data = await report_data(core, conn, period)
        return Reply(200, await _page(core, work, who, period, data))


def _pct(value: Decimal | None) -> dict[str, Any]:
    """A percentage as the page needs it: the figure for the chart, the text as shown."""
    return {"value": None if value is None else float(value), "text": format_percent(value)}


async def _page(
    core: Core, work: Work, who: Caller, period: periods.Period, data: ReportData
) -> dict[str, Any]:
    rows = scored(data)
    caps = caps_by_unit(rows)
    budgets = {b.unit_code: b for b in unit_budgets(data)}
    figures = analysis_input(data)
    units = []
    for unit in data.units:
        mean = numbers.mean(caps.get(unit.code, []))
        predikat = numbers.predikat(mean)
        units.append(
            {
                "code": unit.code,
                "name": unit.name,
                "capaian": _pct(mean),
                "predikat": predikat.value if predikat else "–",
                "absorption": _pct(analysis.unit_absorption(budgets[unit.code], data.quarter)),
                **await _unit_state(core, work, period, unit.code),
            }
        )
    agency_mean = numbers.mean([c for values in caps.values() for c in values])
    agency_predikat = numbers.predikat(agency_mean)
    return {
        "title": td.title(period.label),
        "period": period.label,
        "state": td.stage(period_state_label(period.state)),
        "agency": {
            "capaian": _pct(agency_mean),
            "predikat": agency_predikat.value if agency_predikat else "–",
            "absorption": _pct(analysis.agency_absorption(tuple(budgets.values()), data.quarter)),
        },
        "units": units,
        "steps": await _steps(core, work, period),
        "trend": _trend(data, analysis.trends(figures)),
        "series": [
            {
                "label": numbers.quarter_roman(p.quarter),
                "capaian": _pct(p.capaian),
                "absorption": _pct(p.absorption),
            }
            for p in analysis.quarter_series(figures)
        ],
        "below": [
            {
                "name": item.indicator.name,
                "unit": next(
                    (u.name for u in data.units if u.code == item.indicator.unit_code), ""
                ),
                "capaian": _pct(item.cap),
            }
            for item in rows
            if item.cap is not None and numbers.round2(item.cap) < analysis.TINGGI_FLOOR
        ],
        "follow_ups": await _follow_ups(work),
        "decision": _decision(core, who, period),
        "texts": td.page(),
    }


async def _unit_state(
    core: Core, work: Work, period: periods.Period, unit_code: str
) -> dict[str, Any]:
    """A unit's report state and, while its step runs, whom it waits on against the standard."""
    report = await periods.unit_report_for(work.conn, period.id, unit_code)
    shown: dict[str, Any] = {
        "state": tq.UNIT_STATE_LABELS[report.state] if report else "–",
        "waiting": "",
        "late": False,
    }
    step = next(
        (s for s in await periods.open_steps(work.conn, period.id) if s.unit_code == unit_code),
        None,
    )
    if report is None or step is None:
        return shown
    grant = (
        (report.approver or unit_head(unit_code))
        if step.step == 3
        else Grant(Role.OPERATOR, unit_code)
    )
    holders = await org.holders(work.conn, grant, work.now)
    waited = core.config.calendar.working_duration(step.started_at, work.now)
    standard = core.standard(step.step)
    names = ", ".join(m.person.full_name for m in holders) or "-"
    shown |= {
        "waiting": td.waiting(names, texts.when(step.started_at)),
        "taken": format_duration(waited),
        "standard": format_duration(standard),
        "late": waited > standard,
    }
    return shown


async def _steps(core: Core, work: Work, period: periods.Period) -> list[dict[str, Any]]:
    """Every run of a step in the period against its time standard (the report's timeline)."""
    names = {u.code: u.name for u in await org.units(work.conn)}
    shown = []
    for row in await steps_taken(core, work.conn, period.id):
        taken = row.working_duration
        if taken is None:
            taken = core.config.calendar.working_duration(row.started_at, work.now)
        status = "running" if row.on_time is None else "on_time" if row.on_time else "late"
        if row.on_time is None and taken > row.standard:
            status = "late"
        shown.append(
            {
                "step": row.step,
                "name": f"{row.step}. {row.name}",
                "unit": names.get(row.unit_code or "", td.PAGE["agency"]),
                "taken": format_duration(taken or timedelta()),
                "standard": format_duration(row.standard),
                "share": float(taken / row.standard) if row.standard else 0.0,
                "status": status,
            }
        )
    return shown


def _trend(data: ReportData, items: tuple[analysis.IndicatorTrend, ...]) -> list[dict[str, Any]]:
    """Per unit, how many indicators improved, worsened, held, or have no comparison against
    the previous quarter, judged by each one's direction (the analysis' one classification)."""
    shown = []
    for unit in data.units:
        mine = [item for item in items if item.indicator.unit_code == unit.code]
        counted = direction.counts(mine, direction.Against.PREVIOUS)
        shown.append(
            {
                "unit": unit.name,
                "improved": counted.membaik,
                "worsened": counted.memburuk,
                "steady": counted.tetap,
                "no_base": counted.tanpa_pembanding,
            }
        )
    return shown


async def _follow_ups(work: Work) -> list[dict[str, Any]]:
    """Recommendations still open (not selesai, not dropped) for some unit, with those units."""
    names = {u.code: u.name for u in await org.units(work.conn)}
    labels = {p.id: p.label for p in await periods.periods(work.conn)}
    return [
        {
            "text": rec.text,
            "unit": names.get(rec.unit_code, rec.unit_code) if rec.unit_code else td.GENERAL,
            "period": labels.get(rec.period_id, ""),
            "open": td.open_units([names.get(u, u) for u in rec.open_units]),
        }
        for rec in await followups.recommendations(work.conn, open_only=True)
    ]


def _decision(core: Core, who: Caller, period: periods.Period) -> dict[str, Any] | None:
    """The step waiting on the caller (Sekretaris: 5, Kepala Dinas: 6), if any."""
    for role, (review, _) in _reviews(core).items():
        if who.holds(role) and period.state is review.state:
            step = int(review.step)
            return {
                "version": period.version,
                "lead": td.decision_lead(step, step_name(step)),
            }
    return None


async def decide(
    core: Core, origin: Origin, request_id: str, version: int, decision: str, reason: str
) -> Reply:
    """Setujui or Minta revisi (with its reason) of step 5 or 6 from the dashboard: the
    chat's decision (compare-and-set on the period's version; the chat's buttons removed)."""
    if decision not in DECISIONS:
        return message(400, tw.BAD_REQUEST)

    async def write(work: Work, who: Caller) -> Reply:
        if not is_leader(who):
            work.refused = "role"
            return message(403, td.forbidden())
        period = await periods.current_period(work.conn)
        waiting = [
            (review, then)
            for role, (review, then) in _reviews(core).items()
            if period is not None and who.holds(role) and period.state is review.state
        ]
        if period is None or not waiting:
            return message(409, td.NO_DECISION, status="refused")
        review, then = waiting[0]
        if decision == "approve":
            await period_review.approve_in(work, who, period.id, version, review, then)
        else:
            refusal = reason_refusal(reason)
            if refusal is not None:
                return refusal
            data = {"period": period.id, "version": version}
            await complete_with_reason(work, who, review.return_kind, data, reason.strip())
        fresh = await periods.period(work.conn, period.id)
        if fresh is not None and period.version == version < fresh.version:
            done = td.APPROVED if decision == "approve" else td.returned()
            return Reply(200, {"status": "decided", "message": done})
        return message(409, tq.SUDAH_DIPROSES, status="refused")

    return await once(core, origin, request_id, write)
