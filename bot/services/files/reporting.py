"""From the database to the report: ``ReportData`` for a period, and what is made of it."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import aiosqlite

from bot import analysis, numbers
from bot.model import Direction, Level, Role
from bot.names import indicator_names
from bot.numbers_format import format_number, format_percent
from bot.services.analysis import history
from bot.services.core import Core
from bot.services.people.admin import AGENCY_NAME, AGENCY_PLACE, KADIN_NAME, KADIN_NIP
from bot.texts import agency as ta
from bot.texts import analysis as tx
from bot.texts.common import esc
from bot.workflow import Grant, Step
from exports.report_data import (
    BudgetRow,
    FollowUpRow,
    IndicatorRow,
    Quarterly,
    RecommendationRow,
    ReportData,
    StepRow,
    UnitNotes,
)
from storage import catalog, entries, followups, org, periods


def _quarterly(values: dict[int, Decimal]) -> Quarterly:
    return (values.get(1), values.get(2), values.get(3), values.get(4))


async def steps_taken(core: Core, conn: aiosqlite.Connection, period_id: int) -> list[StepRow]:
    """Each step run of a period: who, when, its working duration against its standard."""
    calendar = core.config.calendar
    rows = []
    for record in await periods.steps(conn, period_id):
        standard = core.standard(record.step)
        duration = (
            calendar.working_duration(record.started_at, record.ended_at)
            if record.ended_at
            else None
        )
        rows.append(
            StepRow(
                step=int(record.step),
                name=_step_name(record.step),
                unit_code=record.unit_code,
                actor=record.actor_label or "",
                started_at=record.started_at,
                ended_at=record.ended_at,
                standard=standard,
                working_duration=duration,
                on_time=None if duration is None else duration <= standard,
            )
        )
    return rows


async def report_data(core: Core, conn: aiosqlite.Connection, period: periods.Period) -> ReportData:
    """Everything the consolidated report of ``period`` shows, read in one transaction."""
    units = await org.units(conn)
    indicators = await catalog.indicators(conn, period.year)
    activities = await catalog.activities(conn, period.year)
    values = await entries.realisations(conn, [period.id])

    # Quarters not collected in the bot come from imported history, by code; a quarter that
    # has neither stays None (never 0).
    year_values, year_spent = await history.year_figures(conn, period.year)
    last_values, _ = await history.year_figures(conn, period.year - 1)

    def upto(figures: list[Decimal | None] | None) -> dict[int, Decimal]:
        return {q: v for q, v in enumerate((figures or [])[: period.quarter], 1) if v is not None}

    rows = []
    for stored in indicators:
        by_quarter = upto(year_values.get(stored.indicator.code))
        current = values.get((period.id, stored.id))
        rows.append(
            IndicatorRow(
                stored.indicator, _quarterly(by_quarter), current.explanation if current else ""
            )
        )
    budgets = []
    for stored_activity in activities:
        if stored_activity.activity.level is not Level.SUB_KEGIATAN:
            continue
        by_quarter = upto(year_spent.get(stored_activity.activity.code))
        budgets.append(BudgetRow(stored_activity.activity, _quarterly(by_quarter)))

    notes = await entries.notes(conn, period.id)
    unit_notes = tuple(UnitNotes(code, **fields) for code, fields in notes.items())
    names = {}
    for member in await org.members(conn, core.now()):
        names[member.person.id] = member.person.full_name

    async def name_of(person_id: int | None) -> str:
        if person_id is None:
            return ""
        if person_id not in names:
            person = await org.person(conn, person_id)
            names[person_id] = person.full_name if person else str(person_id)
        return names[person_id]

    every_period = await periods.periods(conn)
    labels = {p.id: p.label for p in every_period}
    # Only earlier periods carry follow-ups in (those still open, or answered in this
    # period): a report downloaded later must not show what a later period's Kepala Dinas
    # asked for.
    earlier = {p.id for p in every_period if (p.year, p.quarter) < (period.year, period.quarter)}
    recommendations = []
    carried = []
    by_id = {p.id: p for p in every_period}
    counts = await followups.evidence_counts(conn)
    for number, rec in enumerate(await followups.recommendations(conn), 1):
        owner = by_id.get(rec.period_id)
        row = RecommendationRow(
            number=number,
            unit_code=rec.unit_code,
            text=rec.text,
            given_by=await name_of(rec.given_by),
            given_at=rec.given_at,
            period_label=labels.get(rec.period_id, ""),
            units=rec.units,
            follow_ups=tuple(
                [
                    FollowUpRow(
                        f.unit_code,
                        f.text,
                        await name_of(f.recorded_by),
                        f.recorded_at,
                        f.status.value,
                    )
                    for f in rec.follow_ups
                ]
            ),
            due=followups.due_date(rec, owner.year, owner.quarter) if owner else None,
            dropped=rec.dropped is not None,
            evidence=tuple((u, counts[(rec.id, u)]) for u in rec.units if (rec.id, u) in counts),
        )
        if rec.period_id == period.id:
            recommendations.append(row)
        elif rec.period_id in earlier and (
            rec.open_units or any(f.recorded_at >= period.created_at for f in rec.follow_ups)
        ):
            # still open, or answered during this period (the recap's "changed since")
            carried.append(row)

    step_rows = await steps_taken(core, conn, period.id)

    kadin = await org.holders(conn, Grant(Role.KADIN), core.now())
    reporting_units = {r.indicator.unit_code for r in rows}
    return ReportData(
        agency_name=await org.get_setting(conn, AGENCY_NAME) or core.config.agency_name,
        year=period.year,
        quarter=period.quarter,
        generated_at=core.now(),
        units=tuple(u for u in units if u.code in reporting_units),
        activities=tuple(a.activity for a in activities),
        indicators=tuple(rows),
        budgets=tuple(budgets),
        unit_notes=unit_notes,
        narrative=period.narrative,
        recommendations=tuple(recommendations),
        carried_over=tuple(carried),
        steps=tuple(step_rows),
        place=await org.get_setting(conn, AGENCY_PLACE) or core.config.place,
        kadin_name=(
            kadin[0].person.full_name if kadin else await org.get_setting(conn, KADIN_NAME) or ""
        ),
        kadin_nip=await org.get_setting(conn, KADIN_NIP) or "",
        timezone=getattr(core.config.calendar.tz, "key", "Asia/Jakarta"),
        last_year=tuple(
            (code, (v[0], v[1], v[2], v[3])) for code, v in sorted(last_values.items())
        ),
    )


def _step_name(step: Step) -> str:
    from bot.texts.steps import step_name

    return step_name(int(step), full=True)


def workbook(data: ReportData, draft: bool = False) -> bytes:
    """The consolidated .xlsx (a draft says DRAF in its title rows and page headers)."""
    from exports.report import build_report

    return build_report(replace(data, draft=draft) if draft != data.draft else data)


def chart(data: ReportData) -> bytes:
    """The PNG chart of capaian per unit, with the agency's trend by quarter below it."""
    from exports.chart import capaian_chart_png
    from exports.chart_trend import with_trend

    return with_trend(capaian_chart_png(data), data)


def filename(data: ReportData, draft: bool = False) -> str:
    """The report's file name (drafts say so)."""
    from exports.report import report_filename

    name = report_filename(data)
    return name.replace(".xlsx", "_DRAF.xlsx") if draft else name


def analysis_text(data: ReportData) -> str:
    """The analysis as a chat message: capaian per unit, absorption, indicators below 76%."""
    from exports.report_trend import unit_budgets

    quarter = data.quarter
    all_caps = []
    unit_rows = []
    below = []
    incomplete = []
    budgets = {b.unit_code: b for b in unit_budgets(data)}
    # Distinct within the message: two cut names alike carry their codes.
    names = indicator_names(row.indicator for row in data.indicators)
    for unit in data.units:
        caps = []
        count = 0
        for row in data.indicators:
            if row.indicator.unit_code != unit.code:
                continue
            count += 1
            value = numbers.value_to_date(row.realisasi_q, row.indicator.aggregation, quarter)
            target = numbers.target_to_date(row.indicator, quarter)
            cap = numbers.capaian(value, target, row.indicator.direction)
            caps.append(cap)
            if value is None and row.realisasi_q[quarter - 1] is not None:
                incomplete.append(f"{esc(row.indicator.name)} ({esc(unit.name)})")
            if cap is not None and numbers.round2(cap) < 76:
                below.append(
                    ta.below_line(
                        names[row.indicator.code],
                        unit.name,
                        format_number(value),
                        format_number(target),
                        row.indicator.satuan,
                        format_percent(cap),
                        row.indicator.direction is Direction.DOWN,
                    )
                )
        all_caps += caps
        # the mean's own base: the indicators with a capaian, the rest counted apart
        counted = sum(1 for c in caps if c is not None)
        mean = numbers.mean(caps)
        # Absorption to date by the analysis rules: a quarter without any figure makes it
        # incomplete ("–"), never a smaller sum.
        absorption = analysis.unit_absorption(budgets[unit.code], quarter)
        predikat = numbers.predikat(mean)
        unit_rows.append(
            (
                unit.name,
                format_percent(mean),
                predikat.value if predikat else "–",
                format_percent(absorption),
                counted,
                count - counted,
            )
        )
    agency = numbers.mean(all_caps)
    counted_all = sum(1 for c in all_caps if c is not None)
    agency_predikat = numbers.predikat(agency)
    text = ta.analysis(
        data.period_label,
        format_percent(agency),
        agency_predikat.value if agency_predikat else "–",
        (counted_all, len(all_caps) - counted_all),
        unit_rows,
        below,
    )
    if incomplete:
        text += "\n\n" + tx.chat_incomplete(incomplete)
    return text
