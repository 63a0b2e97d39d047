"""The audit log: who did what, when, from which chat. Append only."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from bot.clock import from_iso, to_iso


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One recorded change."""

    at: datetime
    person_id: int | None
    chat_id: int | None
    update_id: int | None
    action: str
    entity: str
    entity_id: str | None
    detail: dict[str, Any]


async def record(
    conn: aiosqlite.Connection,
    *,
    at: datetime,
    person_id: int | None,
    chat_id: int | None,
    update_id: int | None,
    action: str,
    entity: str,
    entity_id: str | int | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one entry."""
    await conn.execute(
        "INSERT INTO audit_log (at, person_id, chat_id, update_id, action, entity, entity_id,"
        " detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            to_iso(at),
            person_id,
            chat_id,
            update_id,
            action,
            entity,
            None if entity_id is None else str(entity_id),
            json.dumps(detail or {}, ensure_ascii=False, default=str),
        ),
    )


async def entries(
    conn: aiosqlite.Connection, entity: str | None = None, entity_id: str | int | None = None
) -> list[AuditEntry]:
    """Entries, oldest first, optionally for one entity."""
    sql = "SELECT * FROM audit_log"
    args: list[Any] = []
    if entity is not None:
        sql += " WHERE entity = ?"
        args.append(entity)
        if entity_id is not None:
            sql += " AND entity_id = ?"
            args.append(str(entity_id))
    async with conn.execute(sql + " ORDER BY id", args) as cur:
        rows = await cur.fetchall()
    return [
        AuditEntry(
            at=from_iso(r["at"]),
            person_id=r["person_id"],
            chat_id=r["chat_id"],
            update_id=r["update_id"],
            action=r["action"],
            entity=r["entity"],
            entity_id=r["entity_id"],
            detail=json.loads(r["detail"]),
        )
        for r in rows
    ]


async def subject_of(
    conn: aiosqlite.Connection, entity: str, entity_id: str | None
) -> tuple[int | None, str | None]:
    """(period id, unit code) an audited change is about, as far as its entity tells."""
    if entity_id is None:
        return None, None
    if entity == "period":
        return (int(entity_id), None) if entity_id.isdigit() else (None, None)
    table = {"unit_report": "unit_reports", "recommendation": "recommendations"}.get(entity)
    if table is None:
        return None, None
    if not entity_id.isdigit():  # a nudge names the unit itself
        return None, entity_id
    async with conn.execute(
        f"SELECT period_id, unit_code FROM {table} WHERE id = ?", (int(entity_id),)
    ) as cur:
        row = await cur.fetchone()
    return (int(row[0]), row[1]) if row else (None, None)
