"""A year's indicator catalogue: the activity tree with pagu, and the indicators."""

from __future__ import annotations

from collections.abc import Collection, Hashable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import aiosqlite

from bot.clock import to_iso
from bot.model import Activity, Aggregation, Catalog, Direction, Indicator, Level, Pembanding


def dec(text: str | None) -> Decimal | None:
    """Decimal text from storage (None stays None)."""
    return Decimal(text) if text is not None else None


def txt(value: Decimal | None) -> str | None:
    """Decimal to storage text, exactly as it is."""
    return None if value is None else str(value)


@dataclass(frozen=True, slots=True)
class StoredIndicator:
    """An indicator with its database id."""

    id: int
    indicator: Indicator


@dataclass(frozen=True, slots=True)
class StoredActivity:
    """An activity with its database id."""

    id: int
    activity: Activity


@dataclass(frozen=True, slots=True)
class UnitCatalog:
    """One unit's part of a year's catalogue, as its form asks it."""

    indicators: tuple[StoredIndicator, ...]
    # the unit's activities with every ancestor of them and of its indicators' activities
    activities: tuple[StoredActivity, ...]


async def unit_catalog(conn: aiosqlite.Connection, year: int, unit_code: str) -> UnitCatalog:
    """A unit's part of the year's catalogue, read from the tables once per import.

    Every answer typed into a form needs it, and it cannot change while a period uses it, so
    it is kept in the connection's memo and read again only when the year's revision moved
    (an import, which may come from another process: the command line).
    """
    async with conn.execute("SELECT revision FROM catalog_years WHERE year = ?", (year,)) as cur:
        row = await cur.fetchone()
    revision = int(row[0]) if row else 0
    memo: dict[Hashable, Any] = getattr(conn, "memo", {})  # plain aiosqlite keeps none
    key = ("unit_catalog", year, unit_code, revision)
    hit = memo.get(key)
    if isinstance(hit, UnitCatalog):
        return hit
    fresh = UnitCatalog(
        tuple(await indicators(conn, year, unit_code)),
        tuple(await activities_of_unit(conn, year, unit_code)),
    )
    if revision:  # nothing imported yet: nothing worth keeping
        memo[key] = fresh
    return fresh


async def has_year(conn: aiosqlite.Connection, year: int) -> bool:
    """Whether a catalogue was imported for ``year``."""
    async with conn.execute("SELECT 1 FROM catalog_years WHERE year = ?", (year,)) as cur:
        return await cur.fetchone() is not None


async def years(conn: aiosqlite.Connection) -> list[int]:
    """Years with a catalogue, newest first."""
    async with conn.execute("SELECT year FROM catalog_years ORDER BY year DESC") as cur:
        return [int(r[0]) for r in await cur.fetchall()]


async def replace_year(
    conn: aiosqlite.Connection, catalog: Catalog, person_id: int | None, now: datetime
) -> None:
    """Store ``catalog`` as the year's catalogue (the caller checks no period uses it yet)."""
    await conn.execute("DELETE FROM indicators WHERE year = ?", (catalog.year,))
    await conn.execute("DELETE FROM activities WHERE year = ?", (catalog.year,))
    await conn.executemany(
        "INSERT INTO activities (year, level, code, name, unit_code, parent_code, pagu, position,"
        " plan_q1, plan_q2, plan_q3, plan_q4) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                catalog.year,
                a.level.value,
                a.code,
                a.name,
                a.unit_code,
                a.parent_code,
                txt(a.pagu),
                position,
                *(txt(v) for v in a.plan),
            )
            for position, a in enumerate(catalog.activities)
        ],
    )
    await conn.executemany(
        "INSERT INTO indicators (year, code, name, unit_code, activity_code, satuan, direction,"
        " aggregation, target_annual, target_q1, target_q2, target_q3, target_q4, sasaran,"
        " renstra_target, renstra_target_rp, renstra_realisasi_lalu, renstra_realisasi_lalu_rp,"
        " position, whole_number, pembanding, short_name)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                catalog.year,
                i.code,
                i.name,
                i.unit_code,
                i.activity_code,
                i.satuan,
                i.direction.value,
                i.aggregation.value,
                txt(i.target_annual),
                *(txt(t) for t in i.targets_q),
                i.sasaran,
                txt(i.renstra_target),
                txt(i.renstra_target_rp),
                txt(i.renstra_realisasi_lalu),
                txt(i.renstra_realisasi_lalu_rp),
                position,
                None if i.whole_number is None else int(i.whole_number),
                i.pembanding.value if i.pembanding else None,
                i.short_name,
            )
            for position, i in enumerate(catalog.indicators)
        ],
    )
    await conn.execute(
        "INSERT INTO catalog_years (year, imported_at, imported_by) VALUES (?, ?, ?)"
        " ON CONFLICT (year) DO UPDATE SET imported_at = excluded.imported_at,"
        " imported_by = excluded.imported_by, revision = catalog_years.revision + 1",
        (catalog.year, to_iso(now), person_id),
    )


def _indicator(r: aiosqlite.Row) -> StoredIndicator:
    return StoredIndicator(
        r["id"],
        Indicator(
            code=r["code"],
            name=r["name"],
            unit_code=r["unit_code"],
            activity_code=r["activity_code"],
            satuan=r["satuan"],
            direction=Direction(r["direction"]),
            aggregation=Aggregation(r["aggregation"]),
            target_annual=dec(r["target_annual"]),
            targets_q=(
                dec(r["target_q1"]),
                dec(r["target_q2"]),
                dec(r["target_q3"]),
                dec(r["target_q4"]),
            ),
            sasaran=r["sasaran"],
            renstra_target=dec(r["renstra_target"]),
            renstra_target_rp=dec(r["renstra_target_rp"]),
            renstra_realisasi_lalu=dec(r["renstra_realisasi_lalu"]),
            renstra_realisasi_lalu_rp=dec(r["renstra_realisasi_lalu_rp"]),
            whole_number=None if r["whole_number"] is None else bool(r["whole_number"]),
            pembanding=Pembanding(r["pembanding"]) if r["pembanding"] else None,
            short_name=r["short_name"],
        ),
    )


def _activity(r: aiosqlite.Row) -> StoredActivity:
    return StoredActivity(
        r["id"],
        Activity(
            level=Level(r["level"]),
            code=r["code"],
            name=r["name"],
            unit_code=r["unit_code"],
            parent_code=r["parent_code"],
            pagu=dec(r["pagu"]),
            plan=(dec(r["plan_q1"]), dec(r["plan_q2"]), dec(r["plan_q3"]), dec(r["plan_q4"])),
        ),
    )


async def indicators(
    conn: aiosqlite.Connection, year: int, unit_code: str | None = None
) -> list[StoredIndicator]:
    """The year's indicators in catalogue order, optionally of one unit."""
    sql = "SELECT * FROM indicators WHERE year = ?"
    args: list[object] = [year]
    if unit_code is not None:
        sql += " AND unit_code = ?"
        args.append(unit_code)
    async with conn.execute(sql + " ORDER BY position", args) as cur:
        return [_indicator(r) for r in await cur.fetchall()]


_CODES = {
    "indicators": "SELECT id, code FROM indicators WHERE year = ?",
    "activities": "SELECT id, code FROM activities WHERE year = ?",
}


async def codes(
    conn: aiosqlite.Connection, table: str, year: int, only: Collection[str] | None = None
) -> dict[int, str]:
    """Stored id → code of the year's ``indicators`` or ``activities`` (without building
    them: a 50-unit catalogue's objects take a tenth of a second), optionally ``only`` those
    codes."""
    sql = _CODES[table]
    args: list[object] = [year]
    if only is not None:
        wanted = sorted(set(only))
        if not wanted:
            return {}
        sql += f" AND code IN ({', '.join('?' * len(wanted))})"
        args += wanted
    async with conn.execute(sql, args) as cur:
        return {int(r[0]): str(r[1]) for r in await cur.fetchall()}


async def activities(
    conn: aiosqlite.Connection, year: int, unit_code: str | None = None
) -> list[StoredActivity]:
    """The year's activities in catalogue order, optionally of one unit."""
    sql = "SELECT * FROM activities WHERE year = ?"
    args: list[object] = [year]
    if unit_code is not None:
        sql += " AND unit_code = ?"
        args.append(unit_code)
    async with conn.execute(sql + " ORDER BY position", args) as cur:
        return [_activity(r) for r in await cur.fetchall()]


async def activities_of_unit(
    conn: aiosqlite.Connection, year: int, unit_code: str
) -> list[StoredActivity]:
    """The unit's activities with every ancestor of them and of its indicators' activities
    (a programme may be owned by another unit), in catalogue order."""
    async with conn.execute(
        "WITH RECURSIVE tree(code) AS ("
        " SELECT code FROM activities WHERE year = ? AND unit_code = ?"
        " UNION SELECT activity_code FROM indicators WHERE year = ? AND unit_code = ?"
        " UNION SELECT a.parent_code FROM activities a JOIN tree t"
        "  ON a.year = ? AND a.code = t.code WHERE a.parent_code IS NOT NULL)"
        " SELECT * FROM activities WHERE year = ? AND code IN (SELECT code FROM tree)"
        " ORDER BY position",
        (year, unit_code, year, unit_code, year, year),
    ) as cur:
        return [_activity(r) for r in await cur.fetchall()]


async def sub_activities(
    conn: aiosqlite.Connection, year: int, unit_code: str | None = None
) -> list[StoredActivity]:
    """Sub kegiatan (the budget lines) of the year, optionally of one unit."""
    return [
        a for a in await activities(conn, year, unit_code) if a.activity.level is Level.SUB_KEGIATAN
    ]


async def unit_codes_with_indicators(conn: aiosqlite.Connection, year: int) -> list[str]:
    """Units that have at least one indicator in the year."""
    async with conn.execute(
        "SELECT DISTINCT unit_code FROM indicators WHERE year = ?", (year,)
    ) as cur:
        return [str(r[0]) for r in await cur.fetchall()]
