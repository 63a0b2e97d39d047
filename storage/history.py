"""Earlier quarters' figures imported from a spreadsheet, keyed by kind, code, year, quarter."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import aiosqlite

from bot.clock import to_iso

Key = tuple[str, str, int, int]  # (kind, code, year, quarter)


@dataclass(frozen=True, slots=True)
class Stored:
    """What one import changed: figures new, changed, and already there as they are."""

    added: int
    changed: int
    same: int


async def save(
    conn: aiosqlite.Connection,
    figures: Iterable[tuple[Key, Decimal]],
    source: str,
    now: datetime,
) -> Stored:
    """Insert or update each figure; a figure already stored with the same value is left."""
    existing = await figures_of(conn)
    added = changed = same = 0
    for key, value in figures:
        old = existing.get(key)
        if old is not None and old == value:
            same += 1
            continue
        await conn.execute(
            "INSERT INTO history_figures (kind, code, year, quarter, value, source, imported_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, code, year, quarter) DO UPDATE"
            " SET value = excluded.value, source = excluded.source,"
            " imported_at = excluded.imported_at",
            (*key, str(value), source, to_iso(now)),
        )
        if old is None:
            added += 1
        else:
            changed += 1
    return Stored(added, changed, same)


async def figures_of(
    conn: aiosqlite.Connection,
    years: Iterable[int] | None = None,
    *,
    quarters: Collection[int] | None = None,
    codes: Collection[str] | None = None,
) -> dict[Key, Decimal]:
    """Stored figures (of ``years``, ``quarters`` and ``codes`` when given), keyed by
    (kind, code, year, quarter)."""
    sql = "SELECT kind, code, year, quarter, value FROM history_figures WHERE 1"
    args: list[object] = []
    filters: dict[str, list[int] | list[str] | None] = {
        "year": None if years is None else sorted(set(years)),
        "quarter": None if quarters is None else sorted(set(quarters)),
        "code": None if codes is None else sorted(set(codes)),
    }
    for column, chosen in filters.items():
        if chosen is None:
            continue
        if not chosen:
            return {}
        sql += f" AND {column} IN ({', '.join('?' * len(chosen))})"
        args += chosen
    async with conn.execute(sql, args) as cur:
        rows = await cur.fetchall()
    return {
        (r["kind"], r["code"], int(r["year"]), int(r["quarter"])): Decimal(r["value"]) for r in rows
    }


async def any_figures(conn: aiosqlite.Connection) -> bool:
    """Whether any figure was ever imported."""
    async with conn.execute("SELECT 1 FROM history_figures LIMIT 1") as cur:
        return await cur.fetchone() is not None
