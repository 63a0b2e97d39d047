"""Periods, unit reports and the SOP step log. State changes are compare-and-set on version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.clock import from_iso, to_iso
from bot.model import Role
from bot.workflow import Grant, PeriodState, Step, UnitState


@dataclass(frozen=True, slots=True)
class Period:
    """One triwulan of one year, as the agency works through it."""

    id: int
    year: int
    quarter: int
    state: PeriodState
    version: int
    opened_by: int
    deadline: datetime | None
    narrative: str
    return_reason: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def label(self) -> str:
        """E.g. "Triwulan III 2026"."""
        return f"Triwulan {('I', 'II', 'III', 'IV')[self.quarter - 1]} {self.year}"


@dataclass(frozen=True, slots=True)
class UnitReport:
    """One unit's report within a period."""

    id: int
    period_id: int
    unit_code: str
    state: UnitState
    version: int
    submitted_by: int | None
    submitted_at: datetime | None
    approver: Grant | None
    returned_at: datetime | None
    return_reason: str | None
    updated_at: datetime
    return_mark: int | None = None


@dataclass(frozen=True, slots=True)
class StepRecord:
    """One run of an SOP step (a step repeats after a return)."""

    id: int
    period_id: int
    unit_code: str | None
    step: Step
    started_at: datetime
    ended_at: datetime | None
    ended_by: int | None
    actor_label: str | None
    outcome: str | None


def _opt(text: str | None) -> datetime | None:
    return from_iso(text) if text else None


def _period(r: aiosqlite.Row) -> Period:
    return Period(
        id=r["id"],
        year=r["year"],
        quarter=r["quarter"],
        state=PeriodState(r["state"]),
        version=r["version"],
        opened_by=r["opened_by"],
        deadline=_opt(r["deadline"]),
        narrative=r["narrative"],
        return_reason=r["return_reason"],
        created_at=from_iso(r["created_at"]),
        updated_at=from_iso(r["updated_at"]),
    )


def _report(r: aiosqlite.Row) -> UnitReport:
    approver = Grant(Role(r["approver_role"]), r["approver_unit"]) if r["approver_role"] else None
    return UnitReport(
        id=r["id"],
        period_id=r["period_id"],
        unit_code=r["unit_code"],
        state=UnitState(r["state"]),
        version=r["version"],
        submitted_by=r["submitted_by"],
        submitted_at=_opt(r["submitted_at"]),
        approver=approver,
        returned_at=_opt(r["returned_at"]),
        return_reason=r["return_reason"],
        updated_at=from_iso(r["updated_at"]),
        return_mark=r["return_mark"],
    )


def _step(r: aiosqlite.Row) -> StepRecord:
    return StepRecord(
        id=r["id"],
        period_id=r["period_id"],
        unit_code=r["unit_code"],
        step=Step(r["step"]),
        started_at=from_iso(r["started_at"]),
        ended_at=_opt(r["ended_at"]),
        ended_by=r["ended_by"],
        actor_label=r["actor_label"],
        outcome=r["outcome"],
    )


async def create_period(
    conn: aiosqlite.Connection, year: int, quarter: int, opened_by: int, now: datetime
) -> int:
    """A new period awaiting the sekretaris's approval."""
    cur = await conn.execute(
        "INSERT INTO periods (year, quarter, state, opened_by, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (year, quarter, PeriodState.AWAITING_OPENING.value, opened_by, to_iso(now), to_iso(now)),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


async def period(conn: aiosqlite.Connection, period_id: int) -> Period | None:
    """A period by id."""
    async with conn.execute("SELECT * FROM periods WHERE id = ?", (period_id,)) as cur:
        r = await cur.fetchone()
    return _period(r) if r else None


async def live_period(conn: aiosqlite.Connection, year: int, quarter: int) -> Period | None:
    """The non-cancelled period of that year and triwulan."""
    async with conn.execute(
        "SELECT * FROM periods WHERE year = ? AND quarter = ? AND state != ?",
        (year, quarter, PeriodState.CANCELLED.value),
    ) as cur:
        r = await cur.fetchone()
    return _period(r) if r else None


async def current_period(conn: aiosqlite.Connection) -> Period | None:
    """The period being worked on, else the latest closed one."""
    async with conn.execute(
        "SELECT * FROM periods WHERE state NOT IN (?, ?) ORDER BY year DESC, quarter DESC LIMIT 1",
        (PeriodState.CLOSED.value, PeriodState.CANCELLED.value),
    ) as cur:
        r = await cur.fetchone()
    if r:
        return _period(r)
    async with conn.execute(
        "SELECT * FROM periods WHERE state = ? ORDER BY year DESC, quarter DESC LIMIT 1",
        (PeriodState.CLOSED.value,),
    ) as cur:
        r = await cur.fetchone()
    return _period(r) if r else None


async def periods(conn: aiosqlite.Connection, year: int | None = None) -> list[Period]:
    """All periods (of a year), oldest first."""
    sql = "SELECT * FROM periods"
    args: tuple[object, ...] = ()
    if year is not None:
        sql += " WHERE year = ?"
        args = (year,)
    async with conn.execute(sql + " ORDER BY year, quarter, id", args) as cur:
        return [_period(r) for r in await cur.fetchall()]


async def set_period_state(
    conn: aiosqlite.Connection,
    period_: Period,
    state: PeriodState,
    now: datetime,
    *,
    return_reason: str | None = None,
    deadline: datetime | None = None,
) -> bool:
    """Compare-and-set the period's state; False if someone moved it first."""
    cur = await conn.execute(
        "UPDATE periods SET state = ?, version = version + 1, updated_at = ?,"
        " return_reason = COALESCE(?, return_reason), deadline = COALESCE(?, deadline)"
        " WHERE id = ? AND version = ?",
        (
            state.value,
            to_iso(now),
            return_reason,
            to_iso(deadline) if deadline else None,
            period_.id,
            period_.version,
        ),
    )
    return cur.rowcount == 1


async def set_narrative(conn: aiosqlite.Connection, period_id: int, text: str) -> None:
    """The kasubag_kpep's analysis narrative."""
    await conn.execute("UPDATE periods SET narrative = ? WHERE id = ?", (text, period_id))


async def create_unit_report(
    conn: aiosqlite.Connection, period_id: int, unit_code: str, now: datetime
) -> int:
    """A unit's empty report for the period."""
    cur = await conn.execute(
        "INSERT INTO unit_reports (period_id, unit_code, state, updated_at) VALUES (?, ?, ?, ?)",
        (period_id, unit_code, UnitState.DRAFT.value, to_iso(now)),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


async def unit_report(conn: aiosqlite.Connection, report_id: int) -> UnitReport | None:
    """A unit report by id."""
    async with conn.execute("SELECT * FROM unit_reports WHERE id = ?", (report_id,)) as cur:
        r = await cur.fetchone()
    return _report(r) if r else None


async def unit_report_for(
    conn: aiosqlite.Connection, period_id: int, unit_code: str
) -> UnitReport | None:
    """The unit's report in the period."""
    async with conn.execute(
        "SELECT * FROM unit_reports WHERE period_id = ? AND unit_code = ?", (period_id, unit_code)
    ) as cur:
        r = await cur.fetchone()
    return _report(r) if r else None


async def unit_reports(conn: aiosqlite.Connection, period_id: int) -> list[UnitReport]:
    """Every unit's report in the period."""
    async with conn.execute(
        "SELECT ur.* FROM unit_reports ur JOIN units u ON u.code = ur.unit_code"
        " WHERE period_id = ? ORDER BY u.kind = 'bidang', u.position, u.code",
        (period_id,),
    ) as cur:
        return [_report(r) for r in await cur.fetchall()]


async def set_unit_state(
    conn: aiosqlite.Connection,
    report: UnitReport,
    state: UnitState,
    now: datetime,
    *,
    submitted_by: int | None = None,
    approver: Grant | None = None,
    return_reason: str | None = None,
) -> bool:
    """Compare-and-set a unit report's state; False if it was moved first."""
    returned = state is UnitState.RETURNED
    cur = await conn.execute(
        "UPDATE unit_reports SET state = ?, version = version + 1, updated_at = ?,"
        " submitted_by = COALESCE(?, submitted_by),"
        " submitted_at = CASE WHEN ? IS NOT NULL THEN ? ELSE submitted_at END,"
        " approver_role = COALESCE(?, approver_role), approver_unit = CASE WHEN ? IS NOT NULL"
        " THEN ? ELSE approver_unit END,"
        " returned_at = CASE WHEN ? THEN ? ELSE returned_at END,"
        " return_reason = CASE WHEN ? THEN ? ELSE return_reason END,"
        " return_mark = CASE WHEN ? THEN (SELECT COALESCE(MAX(id), 0) FROM realisations)"
        " ELSE return_mark END"
        " WHERE id = ? AND version = ?",
        (
            state.value,
            to_iso(now),
            submitted_by,
            submitted_by,
            to_iso(now),
            approver.role.value if approver else None,
            approver.role.value if approver else None,
            approver.unit_code if approver else None,
            int(returned),
            to_iso(now),
            int(returned),
            return_reason,
            int(returned),
            report.id,
            report.version,
        ),
    )
    return cur.rowcount == 1


async def open_step(
    conn: aiosqlite.Connection, period_id: int, unit_code: str | None, step: Step, now: datetime
) -> None:
    """Start a run of a step (unless one is already open)."""
    async with conn.execute(
        "SELECT 1 FROM steps WHERE period_id = ? AND unit_code IS ? AND step = ?"
        " AND ended_at IS NULL",
        (period_id, unit_code, int(step)),
    ) as cur:
        if await cur.fetchone():
            return
    await conn.execute(
        "INSERT INTO steps (period_id, unit_code, step, started_at) VALUES (?, ?, ?, ?)",
        (period_id, unit_code, int(step), to_iso(now)),
    )


async def close_step(
    conn: aiosqlite.Connection,
    period_id: int,
    unit_code: str | None,
    step: Step,
    now: datetime,
    person_id: int | None,
    actor_label: str | None,
    outcome: str,
) -> None:
    """End the open run of a step, recording who ended it and how."""
    await conn.execute(
        "UPDATE steps SET ended_at = ?, ended_by = ?, actor_label = ?, outcome = ?"
        " WHERE period_id = ? AND unit_code IS ? AND step = ? AND ended_at IS NULL",
        (to_iso(now), person_id, actor_label, outcome, period_id, unit_code, int(step)),
    )


async def steps(conn: aiosqlite.Connection, period_id: int) -> list[StepRecord]:
    """Every step run of the period, in the order they started."""
    async with conn.execute(
        "SELECT * FROM steps WHERE period_id = ? ORDER BY started_at, id", (period_id,)
    ) as cur:
        return [_step(r) for r in await cur.fetchall()]


async def open_steps(conn: aiosqlite.Connection, period_id: int) -> list[StepRecord]:
    """Step runs still open."""
    return [s for s in await steps(conn, period_id) if s.ended_at is None]
