"""Handled update ids (for exactly-once effects) and each person's place in a dialogue."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from bot.clock import to_iso


async def mark_processed(conn: aiosqlite.Connection, update_id: int, now: datetime) -> bool:
    """Record ``update_id`` as handled; False if it already was (a redelivery)."""
    cur = await conn.execute(
        "INSERT OR IGNORE INTO processed_updates (update_id, processed_at) VALUES (?, ?)",
        (update_id, to_iso(now)),
    )
    return cur.rowcount == 1


async def is_processed(conn: aiosqlite.Connection, update_id: int) -> bool:
    """Whether ``update_id`` was handled already."""
    async with conn.execute(
        "SELECT 1 FROM processed_updates WHERE update_id = ?", (update_id,)
    ) as cur:
        return await cur.fetchone() is not None


@dataclass(frozen=True, slots=True)
class Dialog:
    """Where a person is in a multi-message dialogue, e.g. data entry or a revision reason."""

    name: str
    data: dict[str, Any]


async def dialog(conn: aiosqlite.Connection, telegram_id: int) -> Dialog | None:
    """The person's open dialogue, if any."""
    async with conn.execute(
        "SELECT name, data FROM dialogs WHERE telegram_id = ?", (telegram_id,)
    ) as cur:
        row = await cur.fetchone()
    return Dialog(row["name"], json.loads(row["data"])) if row else None


async def set_dialog(
    conn: aiosqlite.Connection, telegram_id: int, value: Dialog, now: datetime
) -> None:
    """Open or move the person's dialogue."""
    await conn.execute(
        "INSERT INTO dialogs (telegram_id, name, data, updated_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (telegram_id) DO UPDATE SET name = excluded.name, data = excluded.data,"
        " updated_at = excluded.updated_at",
        (telegram_id, value.name, json.dumps(value.data, ensure_ascii=False), to_iso(now)),
    )


async def dialogs_about(
    conn: aiosqlite.Connection, name: str, key: str, value: int | str
) -> list[tuple[int, Dialog]]:
    """Everyone's open ``name`` dialogue whose data holds ``key`` = ``value``."""
    async with conn.execute(
        "SELECT telegram_id, name, data FROM dialogs"
        " WHERE name = ? AND json_extract(data, '$.' || ?) = ?",
        (name, key, value),
    ) as cur:
        rows = await cur.fetchall()
    return [(int(r[0]), Dialog(r[1], json.loads(r[2]))) for r in rows]


async def clear_dialog(conn: aiosqlite.Connection, telegram_id: int) -> bool:
    """Leave the dialogue; True if there was one."""
    cur = await conn.execute("DELETE FROM dialogs WHERE telegram_id = ?", (telegram_id,))
    return cur.rowcount > 0


async def prune_processed(conn: aiosqlite.Connection, before: datetime) -> int:
    """Forget handled update ids recorded before ``before``; return how many.

    Telegram redelivers an unconfirmed update for about 24 hours only, so an id older than
    that can never come back and its row only grows the table.
    """
    cur = await conn.execute(
        "DELETE FROM processed_updates WHERE processed_at < ?", (to_iso(before),)
    )
    return cur.rowcount
