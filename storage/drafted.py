"""What the rules drafted for a period: the narrative and suggested recommendations.

A new draft of the narrative retires the earlier ones ('lama'); a suggestion is offered
('usul') until it is kept as it was ('dipakai') or after an edit ('diubah'), once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.clock import from_iso, to_iso

NARASI = "narasi"
SARAN = "saran"
OFFERED, KEPT, EDITED, OLD = "usul", "dipakai", "diubah", "lama"


@dataclass(frozen=True, slots=True)
class Drafted:
    """One drafted text."""

    id: int
    period_id: int
    kind: str
    unit_code: str | None
    reason: str
    text: str
    state: str
    created_at: datetime


def _drafted(r: aiosqlite.Row) -> Drafted:
    return Drafted(
        id=r["id"],
        period_id=r["period_id"],
        kind=r["kind"],
        unit_code=r["unit_code"],
        reason=r["reason"],
        text=r["text"],
        state=r["state"],
        created_at=from_iso(r["created_at"]),
    )


async def add(
    conn: aiosqlite.Connection,
    period_id: int,
    kind: str,
    text: str,
    now: datetime,
    unit_code: str | None = None,
    reason: str = "",
) -> int:
    """Store a draft (callers retire the earlier ones first with :func:`retire`)."""
    cur = await conn.execute(
        "INSERT INTO drafted (period_id, kind, unit_code, reason, text, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (period_id, kind, unit_code, reason, text, to_iso(now)),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


async def retire(conn: aiosqlite.Connection, period_id: int, kind: str) -> None:
    """Retire every draft of ``kind`` still offered for the period."""
    await conn.execute(
        "UPDATE drafted SET state = ? WHERE period_id = ? AND kind = ? AND state = ?",
        (OLD, period_id, kind, OFFERED),
    )


async def get(conn: aiosqlite.Connection, drafted_id: int) -> Drafted | None:
    """One draft by id."""
    async with conn.execute("SELECT * FROM drafted WHERE id = ?", (drafted_id,)) as cur:
        row = await cur.fetchone()
    return _drafted(row) if row else None


async def of_period(conn: aiosqlite.Connection, period_id: int, kind: str) -> list[Drafted]:
    """Every draft of ``kind`` for the period, oldest first."""
    async with conn.execute(
        "SELECT * FROM drafted WHERE period_id = ? AND kind = ? ORDER BY id", (period_id, kind)
    ) as cur:
        return [_drafted(r) for r in await cur.fetchall()]


async def settle(conn: aiosqlite.Connection, drafted_id: int, state: str) -> bool:
    """Mark an offered draft kept or edited; False if it was no longer offered (a repeat)."""
    cur = await conn.execute(
        "UPDATE drafted SET state = ? WHERE id = ? AND state = ?", (state, drafted_id, OFFERED)
    )
    return cur.rowcount == 1
