"""Time and housekeeping: the office's zone for years and clock faces, pruning what can never
be needed again, and a restore that refuses a schema this code does not know."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import Runtime, Settings
from bot.calendar import WorkingCalendar
from bot.services import housekeeping
from bot.services.config import Config
from bot.texts import common as texts
from exports.catalog_write import write_catalog_xlsx
from storage import catalog, outbox, updates
from storage.backup import RestoreRefused, backup, restore
from storage.migrations import MIGRATIONS
from tests.integration.office import Office, set_up_agency, small_catalog, take_document

JAKARTA = ZoneInfo("Asia/Jakarta")


@pytest.fixture
async def office(tmp_path: Path) -> AsyncIterator[Office]:
    office = await Office.create(tmp_path / "kinerja.sqlite3")
    yield office
    await office.close()


@pytest.fixture
def zone() -> Iterator[None]:
    """Tests that change the zone texts are shown in put Jakarta back."""
    yield
    texts.set_zone(JAKARTA)


async def test_old_update_ids_and_delivered_files_are_pruned(office: Office) -> None:
    core = office.core
    async with core.work(None) as work:
        assert await updates.mark_processed(work.conn, 1, work.now)
        sent = await outbox.enqueue(
            work.conn,
            chat_id=5,
            method="sendDocument",
            payload={"chat_id": 5},
            now=work.now,
            file_name="laporan.xlsx",
            file_data=b"x" * 1000,
        )
        waiting = await outbox.enqueue(
            work.conn,
            chat_id=6,
            method="sendDocument",
            payload={"chat_id": 6},
            now=work.now,
            file_name="formulir.xlsx",
            file_data=b"y" * 1000,
        )
        assert sent is not None and waiting is not None
        await outbox.mark_sent(work.conn, sent, 77, work.now)
    office.clock.advance(timedelta(hours=20))
    async with core.work(None) as work:
        assert await updates.mark_processed(work.conn, 2, work.now)
    # Within the redelivery window nothing goes.
    assert await housekeeping.prune(core) == housekeeping.Pruned(0, 0)

    office.clock.advance(housekeeping.KEEP_UPDATE_IDS - timedelta(hours=19))
    assert await housekeeping.prune(core) == housekeeping.Pruned(update_ids=1, files=1)
    async with core.db.reading() as conn:
        assert not await updates.is_processed(conn, 1)
        assert await updates.is_processed(conn, 2)  # recent: a redelivery is still refused
        kept = await outbox.item(conn, sent)
        pending = await outbox.item(conn, waiting)
    assert kept is not None and kept.file_data is None and kept.message_id == 77
    assert pending is not None and pending.file_data == b"y" * 1000  # still to be sent
    assert await housekeeping.prune(core) == housekeeping.Pruned(0, 0)


async def test_a_catalogue_uploaded_on_new_years_night_is_filed_under_the_office_year(
    tmp_path: Path,
) -> None:
    # 31 December 18:00 UTC is 1 January 01:00 in Jakarta: the office's new year.
    office = await Office.create(
        tmp_path / "kinerja.sqlite3", start=datetime(2026, 12, 31, 17, 50, tzinfo=UTC)
    )
    try:
        people = await set_up_agency(office)
        data = write_catalog_xlsx(small_catalog(2026))
        await take_document(
            office.core, people["kasubag"].origin(), "katalog.xlsx", data, len(data)
        )
        assert office.clock.now().year == 2026
        async with office.core.db.reading() as conn:
            assert set(await catalog.years(conn)) == {2026, 2027}
        assert "Katalog 2027 diimpor" in await people["kasubag"].last_text()
    finally:
        await office.close()


@pytest.mark.parametrize(
    ("zone_name", "shown"),
    [
        ("Asia/Jakarta", "1 Desember 2026 pukul 08.00 WIB"),
        ("Asia/Makassar", "1 Desember 2026 pukul 09.00 WITA"),
        ("Asia/Jayapura", "1 Desember 2026 pukul 10.00 WIT"),
        ("Asia/Singapore", "1 Desember 2026 pukul 09.00 UTC+8"),
    ],
)
def test_times_carry_the_zones_own_abbreviation(zone: None, zone_name: str, shown: str) -> None:
    texts.set_zone(ZoneInfo(zone_name))
    assert texts.when(datetime(2026, 12, 1, 1, 0, tzinfo=UTC)) == shown


async def test_the_runtime_shows_times_in_the_configured_zone(zone: None, tmp_path: Path) -> None:
    config = Config(calendar=WorkingCalendar(tz=ZoneInfo("Asia/Makassar")))
    settings = Settings(token="1:x", db_path=tmp_path / "k.sqlite3", config=config)
    runtime = await Runtime.create(settings)
    await runtime.db.close()
    assert texts.when(datetime(2026, 12, 1, 1, 0, tzinfo=UTC)).endswith(" WITA")


async def test_restore_refuses_a_backup_from_a_newer_schema(office: Office, tmp_path: Path) -> None:
    copy = backup(office.core.db.path, tmp_path / "copy.sqlite3")
    conn = sqlite3.connect(copy)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    target = tmp_path / "restored" / "kinerja.sqlite3"
    with pytest.raises(RestoreRefused, match="newer than this bot knows"):
        restore(copy, target)
    assert not target.exists()
    # the current version restores
    current = backup(office.core.db.path, tmp_path / "current.sqlite3")
    restore(current, target)
    assert target.exists()
