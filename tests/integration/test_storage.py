"""Storage on a real SQLite file: migrations, transactions, versions, dedupe, dialogues."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.model import Catalog, Level
from bot.services.config import Config
from bot.services.core import Core
from bot.services.files.catalog import store_catalog
from bot.services.people import admin
from storage import catalog, entries, outbox, updates
from storage.db import Database, connect, migrate
from storage.migrations import MIGRATIONS
from storage.updates import Dialog
from tests.integration.office import UNITS, small_catalog

NOW = datetime(2026, 10, 5, 2, 0, tzinfo=UTC)


async def test_migrations_from_an_empty_database(tmp_path: Path) -> None:
    path = tmp_path / "fresh.sqlite3"
    db = await Database.open(path)
    async with db.reading() as conn:
        async with conn.execute("PRAGMA user_version") as cur:
            assert (await cur.fetchone())[0] == len(MIGRATIONS)
        async with conn.execute("PRAGMA journal_mode") as cur:
            assert (await cur.fetchone())[0] == "wal"
        async with conn.execute("PRAGMA foreign_keys") as cur:
            assert (await cur.fetchone())[0] == 1
        async with conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'") as cur:
            tables = {r[0] for r in await cur.fetchall()}
    assert {
        "units",
        "people",
        "role_assignments",
        "invites",
        "group_chats",
        "audit_log",
        "processed_updates",
        "dialogs",
        "outbox",
        "periods",
        "unit_reports",
        "realisations",
        "recommendations",
        "steps",
    } <= tables
    await db.close()
    # reopening applies nothing twice
    conn = await connect(path)
    assert await migrate(conn) == len(MIGRATIONS)
    await conn.close()


async def test_a_failed_use_case_leaves_nothing(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "k.sqlite3")
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            assert await updates.mark_processed(conn, 7, NOW)
            raise RuntimeError("crash inside the use case")
    async with db.reading() as conn:
        assert not await updates.is_processed(conn, 7)
    async with db.transaction() as conn:
        assert await updates.mark_processed(conn, 7, NOW)
        assert not await updates.mark_processed(conn, 7, NOW)
    await db.close()


async def test_an_unflushed_commit_leaves_full_sync_behind(tmp_path: Path) -> None:
    """The outbox's sent-marks skip the wait for the disk; every other commit still waits."""
    db = await Database.open(tmp_path / "k.sqlite3")

    async def sync_level() -> int:
        async with db.conn.execute("PRAGMA synchronous") as cur:
            row = await cur.fetchone()
        return int(row[0])

    full = 2
    assert await sync_level() == full
    async with db.transaction(flush=False) as conn:
        assert await sync_level() == 1  # NORMAL, for this commit only
        assert await updates.mark_processed(conn, 8, NOW)
    assert await sync_level() == full
    with pytest.raises(RuntimeError):
        async with db.transaction(flush=False):
            raise RuntimeError("failed inside")
    assert await sync_level() == full
    async with db.reading() as conn:
        assert await updates.is_processed(conn, 8)
    await db.close()


async def test_only_waiting_statements_leave_the_event_loop_thread(tmp_path: Path) -> None:
    """Inside a transaction statements run on the loop, and BEGIN with nothing to wait for;
    COMMIT (it waits for the disk) goes to the thread."""
    db = await Database.open(tmp_path / "k.sqlite3")
    seen: list[tuple[str, bool]] = []

    def trace(sql: str) -> None:
        seen.append((sql.split()[0].upper(), threading.current_thread() is loop_thread))

    loop_thread = threading.current_thread()
    await db.conn.set_trace_callback(trace)
    async with db.transaction() as conn:
        assert await updates.mark_processed(conn, 9, NOW)
    async with db.reading() as conn:
        assert await updates.is_processed(conn, 9)
    await db.conn.set_trace_callback(None)
    on_loop = {verb for verb, here in seen if here}
    in_thread = {verb for verb, here in seen if not here}
    assert {"BEGIN", "INSERT", "SELECT", "ROLLBACK"} <= on_loop
    assert {"COMMIT"} <= in_thread
    assert not on_loop & {"COMMIT"}
    await db.close()


async def test_a_commit_that_fails_is_rolled_back(tmp_path: Path) -> None:
    """A deferred constraint fails at COMMIT: nothing is kept and the next use case runs."""
    db = await Database.open(tmp_path / "k.sqlite3")
    async with db.transaction() as conn:
        await conn.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
        await conn.execute(
            "CREATE TABLE child (parent_id INTEGER REFERENCES parent (id)"
            " DEFERRABLE INITIALLY DEFERRED)"
        )
    with pytest.raises(sqlite3.IntegrityError):
        async with db.transaction() as conn:
            assert await updates.mark_processed(conn, 10, NOW)
            await conn.execute("INSERT INTO child VALUES (42)")  # no parent 42
    assert not db.conn.in_transaction
    async with db.transaction() as conn:
        assert await updates.mark_processed(conn, 10, NOW)  # the failed mark was undone
    await db.close()


async def test_a_cancelled_use_case_leaves_nothing_and_the_next_one_runs(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "k.sqlite3")
    inside = asyncio.Event()

    async def use_case() -> None:
        async with db.transaction() as conn:
            assert await updates.mark_processed(conn, 11, NOW)
            inside.set()
            await asyncio.sleep(60)

    task = asyncio.create_task(use_case())
    await asyncio.wait_for(inside.wait(), 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    async with db.transaction() as conn:
        assert await updates.mark_processed(conn, 11, NOW)
    await db.close()


async def test_corrections_are_new_versions(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "k.sqlite3")
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO units (code, name, kind, position, created_at)"
            " VALUES ('sekretariat', 'S', 'sekretariat', 0, 'x')"
        )
        await conn.execute(
            "INSERT INTO people (telegram_id, full_name, created_at) VALUES (1, 'A', 'x')"
        )
        await conn.execute(
            "INSERT INTO periods (year, quarter, state, opened_by, created_at,"
            " updated_at) VALUES (2026, 1, 'pengisian', 1, 'x', 'x')"
        )
        await conn.execute(
            "INSERT INTO indicators (year, code, name, unit_code, activity_code,"
            " satuan, direction, aggregation, position) VALUES"
            " (2026, 'I1', 'n', 'sekretariat', 'A', 'orang', 'naik', 'jumlah', 0)"
        )
        for value in ("10", "12.5", "12.5"):
            await entries.save_realisation(conn, 1, 1, Decimal(value), "", "", 1, NOW, "chat")
    async with db.reading() as conn:
        current = await entries.realisations(conn, [1])
        async with conn.execute("SELECT COUNT(*) FROM realisations") as cur:
            versions = (await cur.fetchone())[0]
    assert current[(1, 1)].value == Decimal("12.5")
    assert versions == 2  # the repeated 12,5 is not a new version
    await db.close()


async def test_dialogues_survive_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "k.sqlite3"
    db = await Database.open(path)
    async with db.transaction() as conn:
        await updates.set_dialog(conn, 42, Dialog("entry", {"report": 3, "pos": 5}), NOW)
    await db.close()
    db = await Database.open(path)
    async with db.reading() as conn:
        dialog = await updates.dialog(conn, 42)
    assert dialog == Dialog("entry", {"report": 3, "pos": 5})
    await db.close()


async def test_outbox_keys_make_enqueue_idempotent(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "k.sqlite3")
    async with db.transaction() as conn:
        first = await outbox.enqueue(
            conn, chat_id=1, method="sendMessage", payload={"text": "a"}, now=NOW, key="k1"
        )
        again = await outbox.enqueue(
            conn, chat_id=1, method="sendMessage", payload={"text": "a"}, now=NOW, key="k1"
        )
    assert first is not None and again is None
    async with db.reading() as conn:
        assert len(await outbox.pending(conn)) == 1
    await db.close()


async def test_a_units_catalogue_is_read_once_per_import(tmp_path: Path) -> None:
    """Forms reuse the unit's catalogue until an import (here or in another process) moves it."""
    path = tmp_path / "k.sqlite3"
    db = await Database.open(path)
    core = Core(db, FakeClock(NOW), Config())
    await admin.import_units(core, UNITS, "Dinas")
    async with core.work(None) as work:
        assert (await store_catalog(work, small_catalog(), None)).ok
    async with db.reading() as conn:
        first = await catalog.unit_catalog(conn, 2026, "pelatihan")
    async with db.reading() as conn:
        assert await catalog.unit_catalog(conn, 2026, "pelatihan") is first
    assert [s.indicator.code for s in first.indicators] == ["IK-2.1", "IK-2.2"]
    assert {s.activity.level for s in first.activities} == set(Level)

    # The command line imports a changed catalogue through its own connection.
    renamed = small_catalog()
    renamed = Catalog(
        renamed.year,
        renamed.activities,
        tuple(replace(i, name=f"{i.name} (baru)") for i in renamed.indicators),
    )
    other = Core(await Database.open(path), FakeClock(NOW), Config())
    async with other.work(None) as work:
        assert (await store_catalog(work, renamed, None)).ok
    await other.db.close()
    async with db.reading() as conn:
        fresh = await catalog.unit_catalog(conn, 2026, "pelatihan")
    assert fresh is not first
    assert all(s.indicator.name.endswith("(baru)") for s in fresh.indicators)

    # A value read inside a transaction that rolls back is not kept.
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await catalog.unit_catalog(conn, 2026, "penempatan")
            assert db.conn.memo
            raise RuntimeError("the use case failed")
    assert not db.conn.memo
    await db.close()


async def test_a_disbursement_plan_is_stored_and_read_back(tmp_path: Path) -> None:
    """The catalogue's rencana_tw1..4 of a sub kegiatan survive the database (issue 19)."""
    db = await Database.open(tmp_path / "k.sqlite3")
    core = Core(db, FakeClock(NOW), Config())
    await admin.import_units(core, UNITS, "Dinas")
    base = small_catalog()
    plan = (Decimal(0), Decimal("2500000.50"), Decimal(6_000_000), Decimal(9_000_000))
    planned = {a.code for a in base.activities if a.level is Level.SUB_KEGIATAN}
    first = sorted(planned)[0]
    with_plan = replace(
        base,
        activities=tuple(replace(a, plan=plan) if a.code == first else a for a in base.activities),
    )
    async with core.work(None) as work:
        assert (await store_catalog(work, with_plan, None)).ok
    async with db.reading() as conn:
        stored = {s.activity.code: s.activity for s in await catalog.activities(conn, 2026)}
    assert stored[first].plan == plan
    assert all(stored[c].plan == (None,) * 4 for c in planned - {first})
    await db.close()


async def test_sending_a_report_up_closes_every_operators_unsaved_upload(tmp_path: Path) -> None:
    """Two operators of a unit each have a checked upload of report 5 open; a third person's
    upload is of another report. Closing report 5's previews leaves that one alone."""
    from bot.services.files.previews import UPLOAD, forget_previews

    db = await Database.open(tmp_path / "k.sqlite3")
    core = Core(db, FakeClock(NOW), Config())
    async with core.work(None) as work:
        for telegram_id, report_id, token in ((11, 5, "aaaa"), (12, 5, "bbbb"), (13, 6, "cccc")):
            pending = {"report": report_id, "token": token}
            await updates.set_dialog(work.conn, telegram_id, Dialog(UPLOAD, pending), NOW)
            await work.say(
                telegram_id, "Pemeriksaan berkas", [[("Simpan", "x")]], tag=f"upload:{token}"
            )
        await updates.set_dialog(work.conn, 14, Dialog("entry", {"report": 5}), NOW)
    async with core.work(None) as work:
        found = await updates.dialogs_about(work.conn, UPLOAD, "report", 5)
        assert sorted(telegram_id for telegram_id, _ in found) == [11, 12]
        await forget_previews(work, 5, "tidak disimpan")
    async with db.reading() as conn:
        assert await updates.dialog(conn, 11) is None and await updates.dialog(conn, 12) is None
        assert (await updates.dialog(conn, 13)) == Dialog(UPLOAD, {"report": 6, "token": "cccc"})
        assert (await updates.dialog(conn, 14)) is not None  # not an upload
        async with conn.execute(
            "SELECT chat_id FROM outbox WHERE method = 'clearButtons' ORDER BY chat_id"
        ) as cur:
            assert [r[0] for r in await cur.fetchall()] == [11, 12]
    await db.close()


async def test_notes_written_before_the_renja_follow_up_survive_its_migration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database at version 4 keeps its notes; the new field is accepted, others are not."""
    import storage.db

    path = tmp_path / "v4.sqlite3"
    monkeypatch.setattr(storage.db, "MIGRATIONS", MIGRATIONS[:4])
    old = await Database.open(path)
    async with old.transaction() as conn:
        await conn.execute(
            "INSERT INTO units (code, name, kind, position, created_at)"
            " VALUES ('sekretariat', 'S', 'sekretariat', 0, 'x')"
        )
        await conn.execute(
            "INSERT INTO people (telegram_id, full_name, created_at) VALUES (1, 'A', 'x')"
        )
        await conn.execute(
            "INSERT INTO periods (year, quarter, state, opened_by, created_at,"
            " updated_at) VALUES (2026, 1, 'pengisian', 1, 'x', 'x')"
        )
        await entries.save_note(conn, 1, "sekretariat", "kendala", "Hujan", 1, NOW)
        await entries.save_note(conn, 1, "sekretariat", "kendala", "Banjir", 1, NOW)
    await old.close()
    monkeypatch.undo()

    db = await Database.open(path)
    async with db.transaction() as conn:
        await entries.save_note(conn, 1, "sekretariat", "tindak_lanjut_renja", "Renja", 1, NOW)
    async with db.reading() as conn:
        assert (await entries.notes(conn, 1, "sekretariat"))["sekretariat"] == {
            "kendala": "Banjir",  # the correction, with its earlier version kept below it
            "tindak_lanjut_renja": "Renja",
        }
        async with conn.execute("SELECT count(*) FROM unit_notes") as cur:
            assert (await cur.fetchone())[0] == 3
    with pytest.raises(sqlite3.IntegrityError):
        async with db.transaction() as conn:
            await entries.save_note(conn, 1, "sekretariat", "sembarang", "x", 1, NOW)
    await db.close()


async def test_the_whole_number_flag_is_stored_as_the_catalogue_says(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "k.sqlite3")
    core = Core(db, FakeClock(NOW), Config())
    await admin.import_units(core, UNITS, "Dinas")
    base = small_catalog()
    flags = (True, False, None)
    flagged = Catalog(
        base.year,
        base.activities,
        tuple(replace(i, whole_number=flags[n % 3]) for n, i in enumerate(base.indicators)),
    )
    async with core.work(None) as work:
        assert (await store_catalog(work, flagged, None)).ok
    async with db.reading() as conn:
        stored = {
            s.indicator.code: s.indicator.whole_number
            for unit in UNITS
            for s in await catalog.indicators(conn, 2026, unit.code)
        }
    assert stored == {i.code: i.whole_number for i in flagged.indicators}
    await db.close()


async def test_the_short_name_is_stored_as_the_catalogue_says(tmp_path: Path) -> None:
    """The catalogue's nama_singkat survives storage; without one it stays empty."""
    db = await Database.open(tmp_path / "k.sqlite3")
    core = Core(db, FakeClock(NOW), Config())
    await admin.import_units(core, UNITS, "Dinas")
    base = small_catalog()
    named = Catalog(
        base.year,
        base.activities,
        tuple(
            replace(i, short_name=f"Singkat {n}" if n % 2 else "")
            for n, i in enumerate(base.indicators)
        ),
    )
    async with core.work(None) as work:
        assert (await store_catalog(work, named, None)).ok
    async with db.reading() as conn:
        stored = {
            s.indicator.code: s.indicator.short_name
            for unit in UNITS
            for s in await catalog.indicators(conn, 2026, unit.code)
        }
    assert stored == {i.code: i.short_name for i in named.indicators}
    assert any(stored.values()) and not all(stored.values())
    await db.close()
