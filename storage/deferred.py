"""The messages of a step written after its transaction (``bot.services.analysis.analysed``).

A step that moves (the compile package, a review request, the suggested recommendations)
queues here what it still has to say; the figures it needs are read and computed in a
worker, and the messages are written in a second, short transaction that also removes the
row, and only if the period is still where the step left it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from bot.clock import from_iso, to_iso


@dataclass(frozen=True, slots=True)
class Deferred:
    """One step's messages still to write."""

    id: int
    kind: str
    period_id: int
    version: int  # the period's version when the step queued it
    args: dict[str, Any]
    attempts: int
    next_attempt_at: datetime | None


async def add(
    conn: aiosqlite.Connection,
    kind: str,
    period_id: int,
    version: int,
    args: dict[str, Any],
    now: datetime,
) -> int:
    """Queue a step's messages."""
    cur = await conn.execute(
        "INSERT INTO deferred (kind, period_id, version, args, created_at) VALUES (?, ?, ?, ?, ?)",
        (kind, period_id, version, json.dumps(args, ensure_ascii=False), to_iso(now)),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


async def waiting(conn: aiosqlite.Connection, limit: int = 20) -> list[Deferred]:
    """What is still to write, oldest first."""
    async with conn.execute("SELECT * FROM deferred ORDER BY id LIMIT ?", (limit,)) as cur:
        rows = await cur.fetchall()
    return [
        Deferred(
            id=r["id"],
            kind=r["kind"],
            period_id=r["period_id"],
            version=r["version"],
            args=json.loads(r["args"]),
            attempts=r["attempts"],
            next_attempt_at=from_iso(r["next_attempt_at"]) if r["next_attempt_at"] else None,
        )
        for r in rows
    ]


async def pending_for(conn: aiosqlite.Connection, period_id: int) -> bool:
    """Whether a step of the period still has messages to write."""
    async with conn.execute(
        "SELECT 1 FROM deferred WHERE period_id = ? LIMIT 1", (period_id,)
    ) as cur:
        return await cur.fetchone() is not None


async def done(conn: aiosqlite.Connection, deferred_id: int) -> bool:
    """Written (in the caller's transaction); False if it was written before."""
    cur = await conn.execute("DELETE FROM deferred WHERE id = ?", (deferred_id,))
    return cur.rowcount == 1


async def retry_later(
    conn: aiosqlite.Connection, deferred_id: int, at: datetime, error: str, *, counted: bool
) -> None:
    """It failed: try again at ``at`` (``counted``: the try counts against the limit)."""
    await conn.execute(
        "UPDATE deferred SET attempts = attempts + ?, next_attempt_at = ?, last_error = ?"
        " WHERE id = ?",
        (int(counted), to_iso(at), error, deferred_id),
    )
