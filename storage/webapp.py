"""The Mini App's write requests: each request id with the result it got the first time."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from bot.clock import to_iso


@dataclass(frozen=True, slots=True)
class Answered:
    """The result a request got the first time: its HTTP status and JSON body."""

    status: int
    body: dict[str, Any]


async def answered(conn: aiosqlite.Connection, person_id: int, request_id: str) -> Answered | None:
    """The first result of ``request_id`` from this person, or None if it is new."""
    async with conn.execute(
        "SELECT status, response FROM webapp_requests WHERE person_id = ? AND request_id = ?",
        (person_id, request_id),
    ) as cur:
        row = await cur.fetchone()
    return Answered(int(row["status"]), json.loads(row["response"])) if row else None


async def record(
    conn: aiosqlite.Connection,
    person_id: int,
    request_id: str,
    status: int,
    body: dict[str, Any],
    now: datetime,
) -> None:
    """Keep a request's result (in the transaction of the write it made)."""
    await conn.execute(
        "INSERT INTO webapp_requests (person_id, request_id, at, status, response)"
        " VALUES (?, ?, ?, ?, ?)",
        (person_id, request_id, to_iso(now), status, json.dumps(body, ensure_ascii=False)),
    )


async def prune(conn: aiosqlite.Connection, before: datetime) -> int:
    """Forget the request ids answered before ``before``; how many."""
    cur = await conn.execute("DELETE FROM webapp_requests WHERE at < ?", (to_iso(before),))
    return cur.rowcount
