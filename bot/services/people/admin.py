"""Set-up use cases run from the command line or by the admin: organisation and settings."""

from __future__ import annotations

from collections.abc import Sequence

from bot.model import SEKRETARIAT, Unit, UnitKind
from bot.services.core import Core
from bot.texts import common as texts
from storage import org

AGENCY_NAME = "agency_name"
AGENCY_PLACE = "agency_place"
KADIN_NAME = "kadin_name"
KADIN_NIP = "kadin_nip"
COORDINATOR_TITLE = "judul_koordinator"  # the keys of the organisation file, kept as settings
COORDINATOR_SHORT = "judul_koordinator_singkat"


async def import_units(
    core: Core,
    units: Sequence[Unit],
    agency_name: str | None = None,
    place: str | None = None,
    extra: dict[str, str] | None = None,
) -> int:
    """Create or update units (the Sekretariat always exists); return how many were given."""
    async with core.work(None) as work:
        codes = {u.code for u in units}
        if SEKRETARIAT not in codes:
            units = [Unit(SEKRETARIAT, "Sekretariat", UnitKind.SEKRETARIAT), *units]
        for position, unit in enumerate(units):
            await org.upsert_unit(work.conn, unit, position, work.now)
        if agency_name:
            await org.set_setting(work.conn, AGENCY_NAME, agency_name)
        if place:
            await org.set_setting(work.conn, AGENCY_PLACE, place)
        for key, value in (extra or {}).items():
            await org.set_setting(work.conn, key, value)
        await work.audit("org_imported", "org", None, {"units": sorted(codes)})
    await load_config(core)  # the running bot speaks with the titles just imported
    return len(units)


async def ensure_sekretariat(core: Core) -> None:
    """The unit code ``sekretariat`` always exists, even before any import."""
    async with core.work(None) as work:
        if await org.unit(work.conn, SEKRETARIAT) is None:
            await org.upsert_unit(
                work.conn, Unit(SEKRETARIAT, "Sekretariat", UnitKind.SEKRETARIAT), 0, work.now
            )


async def load_config(core: Core) -> None:
    """Read the agency's name, place and titles from the database into the running config."""
    async with core.db.reading() as conn:
        name = await org.get_setting(conn, AGENCY_NAME)
        place = await org.get_setting(conn, AGENCY_PLACE)
        title = await org.get_setting(conn, COORDINATOR_TITLE)
        short = await org.get_setting(conn, COORDINATOR_SHORT)
    if name:
        core.config.agency_name = name
    if place:
        core.config.place = place
    core.config.coordinator_title = title or ""
    core.config.coordinator_short = short or ""
    texts.set_titles(core.config.coordinator_title, core.config.coordinator_short)
