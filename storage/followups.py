"""Recommendations of the Kepala Dinas and each unit's follow-up of them: a status with a
text, the evidence sent for it (Telegram's file id, never the bytes), the leaders' recaps
and the overdue reminders already sent.

A follow-up is never overwritten: each status recorded is a new row, the latest one counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import aiosqlite

from bot.clock import from_iso, to_iso
from bot.workflow import OPEN_FOLLOW_UP_STATES, FollowUpState


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A unit's follow-up of a recommendation (the latest it recorded)."""

    unit_code: str
    text: str
    recorded_by: int
    recorded_at: datetime
    status: FollowUpState = FollowUpState.PLANNED
    id: int = 0
    reason: str | None = None  # why the coordinator returned a "selesai"


@dataclass(frozen=True, slots=True)
class Dropped:
    """The Kepala Dinas closed a recommendation as *tidak dilanjutkan*."""

    by: int
    at: datetime
    reason: str


@dataclass(frozen=True, slots=True)
class Recommendation:
    """A recommendation of the Kepala Dinas (general when ``unit_code`` is None).

    ``units`` are the units it reaches and that each follow it up: its own unit, or, for a
    general one, every unit reporting in the period. ``due_on`` is the date the Kepala Dinas
    set, or None for the default (the end of the next quarter, :func:`due_date`).
    """

    id: int
    period_id: int
    unit_code: str | None
    text: str
    given_by: int
    given_at: datetime
    units: tuple[str, ...]
    follow_ups: tuple[FollowUp, ...]
    due_on: date | None = None
    dropped: Dropped | None = None

    def follow_up_of(self, unit_code: str) -> FollowUp | None:
        """The unit's follow-up, if it recorded one."""
        return next((f for f in self.follow_ups if f.unit_code == unit_code), None)

    def state_of(self, unit_code: str) -> FollowUpState:
        """Where the unit stands with it (a dropped one is dropped unless already done)."""
        follow_up = self.follow_up_of(unit_code)
        if follow_up is not None and follow_up.status is FollowUpState.DONE:
            return FollowUpState.DONE
        if self.dropped is not None:
            return FollowUpState.DROPPED
        return follow_up.status if follow_up else FollowUpState.NONE

    @property
    def unanswered_units(self) -> tuple[str, ...]:
        """The units that received it and have recorded nothing yet (step 9 waits for them)."""
        return tuple(u for u in self.units if self.state_of(u) is FollowUpState.NONE)

    @property
    def open_units(self) -> tuple[str, ...]:
        """The units for which it is still open: neither done nor dropped."""
        return tuple(u for u in self.units if self.state_of(u) in OPEN_FOLLOW_UP_STATES)


@dataclass(frozen=True, slots=True)
class Evidence:
    """A file sent as evidence (*data dukung*) of a unit's follow-up."""

    id: int
    recommendation_id: int
    unit_code: str
    kind: str  # foto, pdf, lembar_kerja
    file_id: str
    file_name: str
    size: int
    sent_by: int
    sent_at: datetime


def due_date(rec: Recommendation, year: int, quarter: int) -> date:
    """The date the recommendation of period (``year``, ``quarter``) is due: the one set, or
    the last day of the next quarter."""
    if rec.due_on is not None:
        return rec.due_on
    next_year, next_quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    if next_quarter == 4:
        return date(next_year, 12, 31)
    return date(next_year, 3 * next_quarter + 1, 1) - timedelta(days=1)


async def add_recommendation(
    conn: aiosqlite.Connection,
    period_id: int,
    unit_code: str | None,
    text: str,
    person_id: int,
    now: datetime,
) -> int:
    """Record a recommendation of the Kepala Dinas."""
    cur = await conn.execute(
        "INSERT INTO recommendations (period_id, unit_code, text, given_by, given_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (period_id, unit_code, text, person_id, to_iso(now)),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


async def set_due(conn: aiosqlite.Connection, rec_id: int, due_on: date) -> None:
    """Set the date a recommendation is due (step 6, the Kepala Dinas)."""
    await conn.execute(
        "UPDATE recommendations SET due_on = ? WHERE id = ?", (due_on.isoformat(), rec_id)
    )


async def drop(
    conn: aiosqlite.Connection, rec_id: int, reason: str, person_id: int, now: datetime
) -> bool:
    """Close a recommendation as *tidak dilanjutkan*; False if it was already closed."""
    cur = await conn.execute(
        "UPDATE recommendations SET dropped_at = ?, dropped_by = ?, dropped_reason = ?"
        " WHERE id = ? AND dropped_at IS NULL",
        (to_iso(now), person_id, reason, rec_id),
    )
    return cur.rowcount == 1


async def recommendations(
    conn: aiosqlite.Connection,
    period_id: int | None = None,
    *,
    open_only: bool = False,
    unanswered_only: bool = False,
    rec_id: int | None = None,
) -> list[Recommendation]:
    """Recommendations (of a period) with the units they reach and each unit's latest
    follow-up; ``open_only``: those still open for some unit; ``unanswered_only``: those
    some unit has recorded nothing for."""
    sql = "SELECT r.* FROM recommendations r"
    clauses, args = [], []
    if period_id is not None:
        clauses.append("r.period_id = ?")
        args.append(period_id)
    if rec_id is not None:
        clauses.append("r.id = ?")
        args.append(rec_id)
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    async with conn.execute(sql + " ORDER BY r.period_id, r.id", args) as cur:
        rows = list(await cur.fetchall())
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    marks = ",".join("?" * len(ids))
    follow_ups: dict[int, dict[str, FollowUp]] = {}
    async with conn.execute(
        "SELECT id, recommendation_id, unit_code, text, recorded_by, recorded_at, status, reason"
        f" FROM follow_ups WHERE recommendation_id IN ({marks}) AND unit_code IS NOT NULL"
        " ORDER BY id",
        ids,
    ) as cur:
        for f in await cur.fetchall():  # ordered by id: a later one replaces an earlier one
            follow_ups.setdefault(f["recommendation_id"], {})[f["unit_code"]] = FollowUp(
                f["unit_code"],
                f["text"],
                f["recorded_by"],
                from_iso(f["recorded_at"]),
                FollowUpState(f["status"]),
                f["id"],
                f["reason"],
            )
    period_ids = sorted({r["period_id"] for r in rows})
    reporting: dict[int, list[str]] = {}
    async with conn.execute(
        "SELECT ur.period_id, ur.unit_code FROM unit_reports ur JOIN units u"
        " ON u.code = ur.unit_code WHERE ur.period_id IN"
        f" ({','.join('?' * len(period_ids))})"
        " ORDER BY u.kind = 'bidang', u.position, u.code",
        period_ids,
    ) as cur:
        for u in await cur.fetchall():
            reporting.setdefault(u["period_id"], []).append(u["unit_code"])
    result = []
    for r in rows:
        units = (r["unit_code"],) if r["unit_code"] else tuple(reporting.get(r["period_id"], ()))
        done = follow_ups.get(r["id"], {})
        dropped = (
            Dropped(r["dropped_by"], from_iso(r["dropped_at"]), r["dropped_reason"] or "")
            if r["dropped_at"]
            else None
        )
        rec = Recommendation(
            id=r["id"],
            period_id=r["period_id"],
            unit_code=r["unit_code"],
            text=r["text"],
            given_by=r["given_by"],
            given_at=from_iso(r["given_at"]),
            units=units,
            follow_ups=tuple(done[u] for u in units if u in done),
            due_on=date.fromisoformat(r["due_on"]) if r["due_on"] else None,
            dropped=dropped,
        )
        if open_only and not rec.open_units:
            continue
        if unanswered_only and not rec.unanswered_units:
            continue
        result.append(rec)
    return result


async def recommendation(conn: aiosqlite.Connection, rec_id: int) -> Recommendation | None:
    """One recommendation by id."""
    found = await recommendations(conn, rec_id=rec_id)
    return found[0] if found else None


async def add_follow_up(
    conn: aiosqlite.Connection,
    rec_id: int,
    unit_code: str,
    text: str,
    person_id: int,
    now: datetime,
    status: FollowUpState = FollowUpState.PLANNED,
    reason: str | None = None,
) -> int:
    """Record a unit's follow-up of a recommendation (its status now)."""
    cur = await conn.execute(
        "INSERT INTO follow_ups (recommendation_id, unit_code, text, recorded_by, recorded_at,"
        " status, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (rec_id, unit_code, text, person_id, to_iso(now), status.value, reason),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


async def add_evidence(
    conn: aiosqlite.Connection,
    rec_id: int,
    unit_code: str,
    kind: str,
    file_id: str,
    file_name: str,
    size: int,
    person_id: int,
    now: datetime,
) -> int:
    """Keep what Telegram told of a file sent as evidence (its id, not its bytes)."""
    cur = await conn.execute(
        "INSERT INTO evidence (recommendation_id, unit_code, kind, file_id, file_name, size,"
        " sent_by, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (rec_id, unit_code, kind, file_id, file_name, size, person_id, to_iso(now)),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


async def evidence(
    conn: aiosqlite.Connection, rec_id: int, unit_code: str | None = None
) -> list[Evidence]:
    """The evidence sent for a recommendation (by one unit), oldest first."""
    sql = "SELECT * FROM evidence WHERE recommendation_id = ?"
    args: list[object] = [rec_id]
    if unit_code is not None:
        sql += " AND unit_code = ?"
        args.append(unit_code)
    async with conn.execute(sql + " ORDER BY id", args) as cur:
        rows = await cur.fetchall()
    return [
        Evidence(
            r["id"],
            r["recommendation_id"],
            r["unit_code"],
            r["kind"],
            r["file_id"],
            r["file_name"],
            r["size"],
            r["sent_by"],
            from_iso(r["sent_at"]),
        )
        for r in rows
    ]


async def evidence_counts(conn: aiosqlite.Connection) -> dict[tuple[int, str], int]:
    """How many files each (recommendation, unit) sent as evidence."""
    async with conn.execute(
        "SELECT recommendation_id, unit_code, COUNT(*) AS n FROM evidence"
        " GROUP BY recommendation_id, unit_code"
    ) as cur:
        return {(r["recommendation_id"], r["unit_code"]): r["n"] for r in await cur.fetchall()}


async def last_recap_at_before(conn: aiosqlite.Connection, period_id: int) -> datetime | None:
    """When the leaders last got a recap of another period than ``period_id``, if ever."""
    async with conn.execute(
        "SELECT MAX(sent_at) AS at FROM follow_up_recaps WHERE period_id != ?", (period_id,)
    ) as cur:
        row = await cur.fetchone()
    return from_iso(row["at"]) if row and row["at"] else None


async def add_recap(conn: aiosqlite.Connection, period_id: int, now: datetime) -> bool:
    """Remember the recap of a period's close; False if it was sent already."""
    cur = await conn.execute(
        "INSERT OR IGNORE INTO follow_up_recaps (period_id, sent_at) VALUES (?, ?)",
        (period_id, to_iso(now)),
    )
    return cur.rowcount == 1


async def changed_since(conn: aiosqlite.Connection, since: datetime) -> set[int]:
    """Recommendations whose status changed (a follow-up, evidence, a drop) after ``since``."""
    at = to_iso(since)
    async with conn.execute(
        "SELECT recommendation_id AS id FROM follow_ups WHERE recorded_at > ?"
        " UNION SELECT recommendation_id FROM evidence WHERE sent_at > ?"
        " UNION SELECT id FROM recommendations WHERE dropped_at > ?",
        (at, at, at),
    ) as cur:
        return {r["id"] for r in await cur.fetchall()}


async def add_reminder(conn: aiosqlite.Connection, rec_id: int, unit_code: str, day: date) -> bool:
    """Remember an overdue reminder sent on ``day``; False if one was sent that day."""
    cur = await conn.execute(
        "INSERT OR IGNORE INTO follow_up_reminders (recommendation_id, unit_code, sent_on)"
        " VALUES (?, ?, ?)",
        (rec_id, unit_code, day.isoformat()),
    )
    return cur.rowcount == 1


async def last_reminder(conn: aiosqlite.Connection, rec_id: int, unit_code: str) -> date | None:
    """The day the unit was last reminded of this overdue recommendation."""
    async with conn.execute(
        "SELECT MAX(sent_on) AS d FROM follow_up_reminders"
        " WHERE recommendation_id = ? AND unit_code = ?",
        (rec_id, unit_code),
    ) as cur:
        row = await cur.fetchone()
    return date.fromisoformat(row["d"]) if row and row["d"] else None
