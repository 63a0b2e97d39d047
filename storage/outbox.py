"""The outbox: messages to deliver, written in the same transaction as the change they report."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from bot.clock import from_iso, to_iso


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One Telegram call waiting to be made."""

    id: int
    chat_id: int
    method: str
    payload: dict[str, Any]
    file_name: str | None
    file_data: bytes | None
    tag: str | None
    attempts: int
    maybe_sent: bool
    next_attempt_at: datetime | None  # None: as soon as possible
    status: str = "pending"
    message_id: int | None = None  # Telegram's id, once sent
    recipe: dict[str, Any] | None = None  # what to build, for a file queued before it was built

    @property
    def unbuilt(self) -> bool:
        """A file still to be built (bot.services.files.building): its chat's later calls wait."""
        return self.recipe is not None and self.file_data is None


def _item(row: aiosqlite.Row) -> OutboxItem:
    return OutboxItem(
        id=row["id"],
        chat_id=row["chat_id"],
        method=row["method"],
        payload=json.loads(row["payload"]),
        file_name=row["file_name"],
        file_data=row["file_data"],
        tag=row["tag"],
        attempts=row["attempts"],
        maybe_sent=bool(row["maybe_sent"]),
        next_attempt_at=from_iso(row["next_attempt_at"]) if row["next_attempt_at"] else None,
        status=row["status"],
        message_id=row["message_id"],
        recipe=json.loads(row["recipe"]) if row["recipe"] else None,
    )


async def enqueue(
    conn: aiosqlite.Connection,
    *,
    chat_id: int,
    method: str,
    payload: dict[str, Any],
    now: datetime,
    key: str | None = None,
    tag: str | None = None,
    file_name: str | None = None,
    file_data: bytes | None = None,
    recipe: dict[str, Any] | None = None,
) -> int | None:
    """Queue a call; with a ``key`` already queued, queue nothing and return None.

    A file may be queued as a ``recipe`` instead of its bytes: it is built later, outside
    the transaction, and the chat's later calls wait for it.
    """
    cur = await conn.execute(
        "INSERT OR IGNORE INTO outbox (key, chat_id, method, payload, file_name, file_data, tag,"
        " created_at, recipe) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            key,
            chat_id,
            method,
            json.dumps(payload, ensure_ascii=False),
            file_name,
            file_data,
            tag,
            to_iso(now),
            None if recipe is None else json.dumps(recipe, sort_keys=True),
        ),
    )
    return cur.lastrowid if cur.rowcount == 1 else None


async def unbuilt(conn: aiosqlite.Connection, limit: int = 50) -> list[OutboxItem]:
    """Files queued as recipes and not built yet, oldest first."""
    async with conn.execute(
        "SELECT * FROM outbox WHERE recipe IS NOT NULL AND file_data IS NULL"
        " AND status = 'pending' ORDER BY id LIMIT ?",
        (limit,),
    ) as cur:
        rows = await cur.fetchall()
    return [_item(r) for r in rows]


async def set_built(conn: aiosqlite.Connection, item_id: int, file_name: str, data: bytes) -> bool:
    """The file of a recipe is built: it can be sent now. False if it was built already."""
    cur = await conn.execute(
        "UPDATE outbox SET file_name = ?, file_data = ?, attempts = 0, next_attempt_at = NULL,"
        " last_error = NULL WHERE id = ? AND file_data IS NULL AND status = 'pending'",
        (file_name, data, item_id),
    )
    return cur.rowcount == 1


async def build_failed(
    conn: aiosqlite.Connection,
    item_id: int,
    error: str,
    retry_at: datetime | None,
    *,
    counted: bool = True,
) -> None:
    """Building failed: try again at ``retry_at`` (``counted`` against the limit), or give
    up (None) so the chat's later calls go on."""
    if retry_at is None:
        await mark_failed(conn, item_id, error, "failed")
        return
    await conn.execute(
        "UPDATE outbox SET attempts = attempts + ?, next_attempt_at = ?, last_error = ?"
        " WHERE id = ?",
        (int(counted), to_iso(retry_at), error, item_id),
    )


async def pending(conn: aiosqlite.Connection, limit: int = 200) -> list[OutboxItem]:
    """The oldest undelivered calls, in the order they were queued."""
    async with conn.execute(
        "SELECT * FROM outbox WHERE status = 'pending' ORDER BY id LIMIT ?", (limit,)
    ) as cur:
        rows = await cur.fetchall()
    return [_item(r) for r in rows]


async def recent_sends(
    conn: aiosqlite.Connection, since: datetime, limit: int = 1000
) -> list[tuple[int, datetime]]:
    """(chat, when) of the calls delivered since ``since``, oldest first: the pace each chat
    was given, which a restarted sender must keep."""
    async with conn.execute(
        "SELECT chat_id, sent_at FROM outbox WHERE status = 'sent' AND sent_at >= ?"
        " ORDER BY id DESC LIMIT ?",
        (to_iso(since), limit),
    ) as cur:
        rows = await cur.fetchall()
    return sorted(((int(r[0]), from_iso(r[1])) for r in rows), key=lambda sent: sent[1])


async def mark_sent(
    conn: aiosqlite.Connection, item_id: int, message_id: int | None, now: datetime
) -> None:
    """The call went through."""
    await conn.execute(
        "UPDATE outbox SET status = 'sent', sent_at = ?, message_id = ?, attempts = attempts + 1"
        " WHERE id = ?",
        (to_iso(now), message_id, item_id),
    )


async def mark_retry(
    conn: aiosqlite.Connection,
    item_id: int,
    next_attempt_at: datetime,
    error: str,
    maybe_sent: bool,
) -> None:
    """Try again later; ``maybe_sent`` when Telegram may have acted (a timeout)."""
    await conn.execute(
        "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?,"
        " maybe_sent = maybe_sent OR ? WHERE id = ?",
        (to_iso(next_attempt_at), error, int(maybe_sent), item_id),
    )


async def mark_failed(conn: aiosqlite.Connection, item_id: int, error: str, status: str) -> None:
    """Give up on a call: ``failed`` (an error) or ``skipped`` (nothing left to do)."""
    await conn.execute(
        "UPDATE outbox SET status = ?, last_error = ?, attempts = attempts + 1 WHERE id = ?",
        (status, error, item_id),
    )


async def skip_pending_for_chat(conn: aiosqlite.Connection, chat_id: int, error: str) -> int:
    """Stop retrying everything queued for a chat that can no longer be reached."""
    cur = await conn.execute(
        "UPDATE outbox SET status = 'failed', last_error = ? WHERE chat_id = ?"
        " AND status = 'pending'",
        (error, chat_id),
    )
    return cur.rowcount


async def claim_tagged(conn: aiosqlite.Connection, tag: str) -> list[tuple[int, int]]:
    """(id, chat id) of the live messages carrying ``tag``; they lose the tag.

    Dropping the tag makes a later clear of the same tag leave these messages (and the note
    already written on them) alone.
    """
    async with conn.execute(
        "SELECT id, chat_id FROM outbox WHERE tag = ? AND status IN ('pending', 'sent')"
        " ORDER BY id",
        (tag,),
    ) as cur:
        rows = [(int(r[0]), int(r[1])) for r in await cur.fetchall()]
    await conn.execute("UPDATE outbox SET tag = NULL WHERE tag = ?", (tag,))
    return rows


async def item(conn: aiosqlite.Connection, item_id: int) -> OutboxItem | None:
    """One queued call."""
    async with conn.execute("SELECT * FROM outbox WHERE id = ?", (item_id,)) as cur:
        row = await cur.fetchone()
    return _item(row) if row else None


async def status_counts(conn: aiosqlite.Connection) -> dict[str, int]:
    """How many calls are in each status."""
    async with conn.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status") as cur:
        rows = await cur.fetchall()
    return {str(r[0]): int(r[1]) for r in rows}


async def drop_delivered_files(conn: aiosqlite.Connection, before: datetime) -> int:
    """Free the bytes of files delivered before ``before`` (the row stays); return how many.

    A delivered file is never sent again (the sender reads ``file_data`` only while an item
    is pending), and reports and templates are rebuilt from the data when asked for again.
    """
    cur = await conn.execute(
        "UPDATE outbox SET file_data = NULL WHERE status = 'sent' AND file_data IS NOT NULL"
        " AND sent_at < ?",
        (to_iso(before),),
    )
    return cur.rowcount


async def keyed_before(conn: aiosqlite.Connection, prefix: str, before: str) -> bool:
    """Whether a call whose key starts with ``prefix`` was queued before ``before`` (ISO)."""
    async with conn.execute(
        "SELECT 1 FROM outbox WHERE key >= ? AND key < ? AND created_at < ? LIMIT 1",
        (prefix, prefix + "\uffff", before),
    ) as cur:
        return await cur.fetchone() is not None


async def tagged_chats(conn: aiosqlite.Connection, tag: str) -> set[int]:
    """The chats holding a message with ``tag`` whose buttons were not yet removed (whatever
    became of its delivery: a failed one is not offered again and again)."""
    async with conn.execute("SELECT DISTINCT chat_id FROM outbox WHERE tag = ?", (tag,)) as cur:
        return {int(r[0]) for r in await cur.fetchall()}


async def claim_tagged_in(
    conn: aiosqlite.Connection, tag: str, chat_ids: list[int]
) -> list[tuple[int, int]]:
    """Like :func:`claim_tagged`, for the messages in ``chat_ids`` only (a former holder's)."""
    claimed: list[tuple[int, int]] = []
    for chat_id in chat_ids:
        async with conn.execute(
            "SELECT id FROM outbox WHERE tag = ? AND chat_id = ? AND status IN ('pending', 'sent')"
            " ORDER BY id",
            (tag, chat_id),
        ) as cur:
            claimed += [(int(r[0]), chat_id) for r in await cur.fetchall()]
        await conn.execute(
            "UPDATE outbox SET tag = NULL WHERE tag = ? AND chat_id = ?", (tag, chat_id)
        )
    return claimed
