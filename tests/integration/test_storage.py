"""Storage on a real SQLite file: migrations, transactions, versions, dedupe, dialogues."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from storage import entries, outbox, updates
from storage.db import Database, connect, migrate
from storage.migrations import MIGRATIONS
from storage.updates import Dialog

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


async def test_corrections_are_new_versions(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "k.sqlite3")
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO units VALUES ('sekretariat', 'S', 'sekretariat', 0, 'x')")
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
