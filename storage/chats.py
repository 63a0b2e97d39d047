"""Chats that change their id: Telegram upgrades a group to a supergroup with a new id."""

from __future__ import annotations

import json

import aiosqlite


async def move_group(conn: aiosqlite.Connection, old_chat_id: int, new_chat_id: int) -> bool:
    """The group ``old_chat_id`` is now ``new_chat_id``; True if it was a known group.

    Its registration keeps everything but the id (a row already made for the new id, say by a
    message from the new supergroup, gives way to the registered one).
    """
    async with conn.execute("SELECT 1 FROM group_chats WHERE chat_id = ?", (old_chat_id,)) as cur:
        known = await cur.fetchone() is not None
    if not known:
        return False
    await conn.execute("DELETE FROM group_chats WHERE chat_id = ?", (new_chat_id,))
    await conn.execute(
        "UPDATE group_chats SET chat_id = ? WHERE chat_id = ?", (new_chat_id, old_chat_id)
    )
    return True


async def readdress_pending(conn: aiosqlite.Connection, old_chat_id: int, new_chat_id: int) -> int:
    """Point every undelivered call for ``old_chat_id`` at ``new_chat_id``; how many."""
    async with conn.execute(
        "SELECT id, payload FROM outbox WHERE chat_id = ? AND status = 'pending'",
        (old_chat_id,),
    ) as cur:
        rows = list(await cur.fetchall())
    for row in rows:
        payload = json.loads(row[1])
        if payload.get("chat_id") == old_chat_id:
            payload["chat_id"] = new_chat_id
        await conn.execute(
            "UPDATE outbox SET chat_id = ?, payload = ? WHERE id = ?",
            (new_chat_id, json.dumps(payload, ensure_ascii=False), row[0]),
        )
    return len(rows)
