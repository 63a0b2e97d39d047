"""A transaction begins on the event loop when that cannot wait, and in SQLite's thread when it
can (``storage.db``): a trip to the thread costs more than the statements of a use case."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from storage.db import Database, OneTripConnection


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "kinerja.sqlite3")
    try:
        yield database
    finally:
        await database.close()


class Trips:
    """Counts the statements sent to SQLite's thread."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.sent: list[tuple[str, ...]] = []
        real = OneTripConnection.in_thread

        async def counted(conn: OneTripConnection, *statements: str) -> None:
            self.sent.append(statements)
            await real(conn, *statements)

        monkeypatch.setattr(OneTripConnection, "in_thread", counted)


async def test_a_transaction_makes_one_trip_its_commit(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    trips = Trips(monkeypatch)
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO parked_updates VALUES (1, '', '', '')")
    async with db.transaction(flush=False) as conn:
        await conn.execute("DELETE FROM parked_updates")
    async with db.reading() as conn:
        await conn.execute("SELECT COUNT(*) FROM parked_updates")
    assert trips.sent == [("COMMIT",), ("COMMIT", "PRAGMA synchronous = FULL")]
    async with db.reading() as conn:  # the wait for other processes is back in place
        row = await (await conn.execute("PRAGMA busy_timeout")).fetchone()
    assert row[0] == 10_000


async def test_a_write_lock_held_by_another_process_is_waited_for_off_the_loop(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    trips = Trips(monkeypatch)
    other = sqlite3.connect(db.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # as the command line or a backup would
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.02)
            ticks += 1

    ticker = asyncio.create_task(tick())
    try:

        async def write() -> None:
            async with db.transaction() as conn:
                await conn.execute("DELETE FROM parked_updates")

        writing = asyncio.create_task(write())
        await asyncio.sleep(0.3)
        assert not writing.done() and ticks >= 5  # waiting, and the loop goes on meanwhile
        other.execute("COMMIT")
        await asyncio.wait_for(writing, 10)
    finally:
        ticker.cancel()
        other.close()
    assert trips.sent == [("BEGIN IMMEDIATE",), ("COMMIT",)]


async def test_a_trip_still_running_in_the_thread_is_waited_for(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A caller cancelled during a trip leaves it running; the next transaction must not use
    the connection beside it, so it begins with a trip too (queued behind it)."""
    trips = Trips(monkeypatch)
    conn = db.conn
    slow: asyncio.Task[Any] = asyncio.create_task(conn._execute(time.sleep, 0.3))
    await asyncio.sleep(0.05)
    slow.cancel()  # the caller gives up; the sleep goes on in the thread
    assert not conn.idle
    async with db.reading() as reading:
        await reading.execute("SELECT 1")
    assert trips.sent == [("BEGIN",)]
    await asyncio.sleep(0.4)
    assert conn.idle
