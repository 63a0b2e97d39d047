"""What a live bot leaves for its operator: the poll heartbeat, parked updates, and the
read-only figures ``python -m bot check`` looks at."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from bot.clock import from_iso, to_iso

POLL = "poll"  # the heartbeat the update pump writes after a successful getUpdates


async def beat(conn: aiosqlite.Connection, name: str, now: datetime) -> None:
    """Record that ``name`` was alive at ``now``."""
    await conn.execute(
        "INSERT INTO heartbeats (name, at) VALUES (?, ?)"
        " ON CONFLICT (name) DO UPDATE SET at = excluded.at",
        (name, to_iso(now)),
    )


async def last_beat(conn: aiosqlite.Connection, name: str) -> datetime | None:
    """When ``name`` was last alive, if ever."""
    async with conn.execute("SELECT at FROM heartbeats WHERE name = ?", (name,)) as cur:
        row = await cur.fetchone()
    return from_iso(row[0]) if row else None


@dataclass(frozen=True, slots=True)
class ParkedUpdate:
    """An update that could not be parsed, kept for a person to look at."""

    update_id: int
    parked_at: datetime
    error: str
    payload: dict[str, Any]


async def park(
    conn: aiosqlite.Connection,
    update_id: int,
    payload: dict[str, Any],
    error: str,
    now: datetime,
) -> bool:
    """Set an unparseable update aside; False if it was parked before (a redelivery)."""
    cur = await conn.execute(
        "INSERT OR IGNORE INTO parked_updates (update_id, parked_at, error, payload)"
        " VALUES (?, ?, ?, ?)",
        (update_id, to_iso(now), error, json.dumps(payload, ensure_ascii=False, default=str)),
    )
    return cur.rowcount == 1


async def parked(conn: aiosqlite.Connection) -> list[ParkedUpdate]:
    """Every parked update, oldest first."""
    async with conn.execute(
        "SELECT update_id, parked_at, error, payload FROM parked_updates ORDER BY update_id"
    ) as cur:
        rows = await cur.fetchall()
    return [ParkedUpdate(int(r[0]), from_iso(r[1]), r[2], json.loads(r[3])) for r in rows]


async def integrity(conn: aiosqlite.Connection) -> str:
    """``PRAGMA integrity_check``'s first line: ``ok`` for a sound file."""
    async with conn.execute("PRAGMA integrity_check") as cur:
        row = await cur.fetchone()
    return str(row[0]) if row else "no answer"


async def schema_version(conn: aiosqlite.Connection) -> int:
    """The migration number the file has reached."""
    async with conn.execute("PRAGMA user_version") as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0


async def stuck_outbox(conn: aiosqlite.Connection, queued_before: datetime) -> int:
    """How many calls queued before ``queued_before`` are still undelivered, with the work
    queued for after a commit (documents to check, a step's messages) still not done."""
    before = to_iso(queued_before)
    async with conn.execute(
        "SELECT (SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND created_at < ?)"
        " + (SELECT COUNT(*) FROM intake WHERE received_at < ?)"
        " + (SELECT COUNT(*) FROM deferred WHERE created_at < ?)",
        (before, before, before),
    ) as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0
