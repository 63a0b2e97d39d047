"""Importing a year's indicator catalogue, from the command line or uploaded in chat."""

from __future__ import annotations

from dataclasses import dataclass

from bot.model import Catalog
from bot.services.core import Core
from bot.services.work import Work
from bot.texts import common as texts
from storage import catalog, org, periods


@dataclass(frozen=True, slots=True)
class CatalogReport:
    """What an import did, in one sentence per line for the person who asked."""

    ok: bool
    summary: str


async def store_catalog(work: Work, cat: Catalog, person_id: int | None) -> CatalogReport:
    """Replace the year's catalogue unless a period of that year already uses it."""
    if any(p.state != "dibatalkan" for p in await periods.periods(work.conn, cat.year)):
        return CatalogReport(False, texts.fill(texts.CATALOG_IN_USE, year=cat.year))
    known = {u.code for u in await org.units(work.conn)}
    unknown = sorted(cat.unit_codes() - known)
    if unknown:
        return CatalogReport(
            False, texts.fill(texts.CATALOG_UNKNOWN_UNITS, units=", ".join(unknown))
        )
    await catalog.replace_year(work.conn, cat, person_id, work.now)
    await work.audit(
        "catalog_imported",
        "catalog",
        cat.year,
        {"indicators": len(cat.indicators), "activities": len(cat.activities)},
        person_id,
    )
    units = len({i.unit_code for i in cat.indicators})
    return CatalogReport(True, texts.catalog_imported(cat.year, len(cat.indicators), units))


async def import_catalog_file(core: Core, data: bytes, year: int | None) -> CatalogReport:
    """``python -m bot catalog import``: read, validate everything, then store or refuse."""
    from exports.catalog import read_catalog

    async with core.work(None) as work:
        known = [u.code for u in await org.units(work.conn)]
        office_year = work.now.astimezone(work.config.calendar.tz).year
        result = read_catalog(data, year=year or office_year, known_units=known)
        if result.catalog is None:
            return CatalogReport(
                False,
                texts.catalog_problems(
                    [(p.sheet, p.row, p.column, p.value, p.reason) for p in result.problems]
                ),
            )
        return await store_catalog(work, result.catalog, None)
