"""The intake queue: documents received in chat, waiting to be fetched and checked.

A document's update is confirmed as soon as it is queued here; the check (fetching the file,
reading the workbook) runs afterwards, off the event loop (``bot.services.files.uploads.check``),
and ends with a transaction that also removes the row, so a crash in between only means the
check runs again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.clock import from_iso, to_iso


@dataclass(frozen=True, slots=True)
class Received:
    """One document waiting to be checked."""

    id: int
    telegram_id: int
    chat_id: int
    full_name: str
    file_id: str
    file_name: str
    size: int
    received_at: datetime
    attempts: int
    next_attempt_at: datetime | None
    worker_deaths: int = 0  # checks ended by their worker process dying


def _received(row: aiosqlite.Row) -> Received:
    return Received(
        id=row["id"],
        telegram_id=row["telegram_id"],
        chat_id=row["chat_id"],
        full_name=row["full_name"],
        file_id=row["file_id"],
        file_name=row["file_name"],
        size=row["size"],
        received_at=from_iso(row["received_at"]),
        attempts=row["attempts"],
        next_attempt_at=from_iso(row["next_attempt_at"]) if row["next_attempt_at"] else None,
        worker_deaths=row["worker_deaths"],
    )


async def add(
    conn: aiosqlite.Connection,
    *,
    telegram_id: int,
    chat_id: int,
    full_name: str,
    file_id: str,
    file_name: str,
    size: int,
    now: datetime,
) -> int:
    """Queue a document for its check."""
    cur = await conn.execute(
        "INSERT INTO intake (telegram_id, chat_id, full_name, file_id, file_name, size,"
        " received_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (telegram_id, chat_id, full_name, file_id, file_name, size, to_iso(now)),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


async def waiting(conn: aiosqlite.Connection, limit: int = 20) -> list[Received]:
    """The documents still to check, oldest first."""
    async with conn.execute("SELECT * FROM intake ORDER BY id LIMIT ?", (limit,)) as cur:
        rows = await cur.fetchall()
    return [_received(r) for r in rows]


async def done(conn: aiosqlite.Connection, received_id: int) -> bool:
    """The check finished (in the caller's transaction); False if it had finished before."""
    cur = await conn.execute("DELETE FROM intake WHERE id = ?", (received_id,))
    return cur.rowcount == 1


async def retry_later(
    conn: aiosqlite.Connection,
    received_id: int,
    at: datetime,
    error: str,
    *,
    counted: bool,
    died: bool = False,
) -> None:
    """A passing failure (the file could not be fetched, its worker died): try again at
    ``at`` (``counted``: the try counts against the fetch limit; ``died``: against the
    limit of worker deaths)."""
    await conn.execute(
        "UPDATE intake SET attempts = attempts + ?, worker_deaths = worker_deaths + ?,"
        " next_attempt_at = ?, last_error = ? WHERE id = ?",
        (int(counted), int(died), to_iso(at), error, received_id),
    )
