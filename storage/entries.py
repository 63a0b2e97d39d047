"""What units enter: realisations, budget spent, notes (recommendations: storage.followups).

Nothing is deleted: a correction inserts a new row and marks the old one superseded, so
every value keeps who entered it and when, and a returned report can show "lama → baru".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import aiosqlite

from bot.clock import from_iso, to_iso

NOTE_FIELDS = (
    "kendala",
    "faktor_pendorong",
    "faktor_penghambat",
    "tindak_lanjut",  # for the next quarter
    "tindak_lanjut_renja",  # for next year's Renja
)


@dataclass(frozen=True, slots=True)
class Entry:
    """The current value of one indicator or budget line, with its provenance."""

    id: int
    target_id: int  # indicator id or activity id
    value: Decimal
    explanation: str
    soft: str
    entered_by: int
    entered_at: datetime
    source: str


@dataclass(frozen=True, slots=True)
class Change:
    """A value corrected after a return: what it was and what it is."""

    target_id: int
    old: Decimal
    new: Decimal


async def _save(
    conn: aiosqlite.Connection,
    table: str,
    key: str,
    period_id: int,
    target_id: int,
    columns: dict[str, object],
) -> int | None:
    """Insert a new current row for (period, target), superseding the old; its id, or None if
    the value was stored already (nothing written)."""
    async with conn.execute(
        f"SELECT * FROM {table} WHERE period_id = ? AND {key} = ? AND superseded_by IS NULL",
        (period_id, target_id),
    ) as cur:
        old = await cur.fetchone()
    if old is not None and all(
        old[k] == columns[k] for k in ("value", "explanation") if k in columns
    ):
        return None
    names = ["period_id", key, *columns]
    # The partial unique index allows one current row: retire the old one first (pointing
    # at itself for a moment keeps the foreign key valid).
    if old is not None:
        await conn.execute(f"UPDATE {table} SET superseded_by = id WHERE id = ?", (old["id"],))
    cur = await conn.execute(
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
        (period_id, target_id, *columns.values()),
    )
    if old is not None:
        await conn.execute(
            f"UPDATE {table} SET superseded_by = ? WHERE id = ?", (cur.lastrowid, old["id"])
        )
    assert cur.lastrowid is not None
    return cur.lastrowid


async def save_realisation(
    conn: aiosqlite.Connection,
    period_id: int,
    indicator_id: int,
    value: Decimal,
    explanation: str,
    soft: str,
    person_id: int,
    now: datetime,
    source: str,
) -> Entry | None:
    """Record an indicator's realisation for the period (a new version if one exists); the
    new current entry, or None if this value was stored already."""
    saved = await _save(
        conn,
        "realisations",
        "indicator_id",
        period_id,
        indicator_id,
        {
            "value": str(value),
            "explanation": explanation,
            "soft": soft,
            "source": source,
            "entered_by": person_id,
            "entered_at": to_iso(now),
        },
    )
    if saved is None:
        return None
    return Entry(saved, indicator_id, value, explanation, soft, person_id, now, source)


async def save_budget(
    conn: aiosqlite.Connection,
    period_id: int,
    activity_id: int,
    value: Decimal,
    person_id: int,
    now: datetime,
    source: str,
) -> Entry | None:
    """Record a sub kegiatan's budget spent in the period; the new current entry, or None if
    this value was stored already."""
    saved = await _save(
        conn,
        "budget_realisations",
        "activity_id",
        period_id,
        activity_id,
        {
            "value": str(value),
            "source": source,
            "entered_by": person_id,
            "entered_at": to_iso(now),
        },
    )
    if saved is None:
        return None
    return Entry(saved, activity_id, value, "", "", person_id, now, source)


async def _current(
    conn: aiosqlite.Connection,
    table: str,
    key: str,
    period_ids: list[int],
    target_ids: list[int] | None,
) -> dict[tuple[int, int], Entry]:
    if not period_ids:
        return {}
    sql = (
        f"SELECT * FROM {table} WHERE superseded_by IS NULL"
        f" AND period_id IN ({', '.join('?' * len(period_ids))})"
    )
    args: list[object] = list(period_ids)
    if target_ids is not None:
        if not target_ids:
            return {}
        sql += f" AND {key} IN ({', '.join('?' * len(target_ids))})"
        args += target_ids
    result = {}
    async with conn.execute(sql, args) as cur:
        rows = list(await cur.fetchall())
    # Budgets have no explanation: the columns are the same on every row, so look once.
    keys = set(rows[0].keys()) if rows else set()
    explained = "explanation" in keys
    for r in rows:
        result[(int(r["period_id"]), int(r[key]))] = Entry(
            id=r["id"],
            target_id=r[key],
            value=Decimal(r["value"]),
            explanation=r["explanation"] if explained else "",
            soft=r["soft"] if explained else "",
            entered_by=r["entered_by"],
            entered_at=from_iso(r["entered_at"]),
            source=r["source"],
        )
    return result


async def realisations(
    conn: aiosqlite.Connection, period_ids: list[int], indicator_ids: list[int] | None = None
) -> dict[tuple[int, int], Entry]:
    """Current realisations keyed by (period id, indicator id)."""
    return await _current(conn, "realisations", "indicator_id", period_ids, indicator_ids)


async def budgets(
    conn: aiosqlite.Connection, period_ids: list[int], activity_ids: list[int] | None = None
) -> dict[tuple[int, int], Entry]:
    """Current budget entries keyed by (period id, activity id)."""
    return await _current(conn, "budget_realisations", "activity_id", period_ids, activity_ids)


async def changes_since(
    conn: aiosqlite.Connection, period_id: int, indicator_ids: list[int], mark: int
) -> list[Change]:
    """Realisations corrected after a return: the value current at ``mark`` and the new one."""
    if not indicator_ids:
        return []
    marks = ", ".join("?" * len(indicator_ids))
    async with conn.execute(
        "SELECT cur.indicator_id, cur.value AS new_value, ("
        "  SELECT old.value FROM realisations old WHERE old.period_id = cur.period_id"
        "  AND old.indicator_id = cur.indicator_id AND old.id <= ?"
        "  ORDER BY old.id DESC LIMIT 1) AS old_value"
        f" FROM realisations cur WHERE cur.period_id = ? AND cur.indicator_id IN ({marks})"
        " AND cur.superseded_by IS NULL AND cur.id > ?",
        (mark, period_id, *indicator_ids, mark),
    ) as cur:
        rows = await cur.fetchall()
    return [
        Change(int(r["indicator_id"]), Decimal(r["old_value"]), Decimal(r["new_value"]))
        for r in rows
        if r["old_value"] is not None and Decimal(r["old_value"]) != Decimal(r["new_value"])
    ]


async def save_note(
    conn: aiosqlite.Connection,
    period_id: int,
    unit_code: str,
    field: str,
    text: str,
    person_id: int,
    now: datetime,
) -> None:
    """Record one of the unit's notes (a new version if one exists)."""
    async with conn.execute(
        "SELECT id FROM unit_notes WHERE period_id = ? AND unit_code = ? AND field = ?"
        " AND superseded_by IS NULL",
        (period_id, unit_code, field),
    ) as cur:
        old = await cur.fetchone()
    if old is not None:
        await conn.execute("UPDATE unit_notes SET superseded_by = id WHERE id = ?", (old["id"],))
    cur = await conn.execute(
        "INSERT INTO unit_notes (period_id, unit_code, field, text, entered_by, entered_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (period_id, unit_code, field, text, person_id, to_iso(now)),
    )
    if old is not None:
        await conn.execute(
            "UPDATE unit_notes SET superseded_by = ? WHERE id = ?", (cur.lastrowid, old["id"])
        )


async def notes(
    conn: aiosqlite.Connection, period_id: int, unit_code: str | None = None
) -> dict[str, dict[str, str]]:
    """Current notes: unit code -> field -> text."""
    sql = (
        "SELECT unit_code, field, text FROM unit_notes WHERE period_id = ?"
        " AND superseded_by IS NULL"
    )
    args: list[object] = [period_id]
    if unit_code is not None:
        sql += " AND unit_code = ?"
        args.append(unit_code)
    result: dict[str, dict[str, str]] = {}
    async with conn.execute(sql, args) as cur:
        for r in await cur.fetchall():
            result.setdefault(r["unit_code"], {})[r["field"]] = r["text"]
    return result
