"""The one place SQLite is opened and configured, and where transactions begin and end."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from storage.migrations import MIGRATIONS

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000


async def connect(path: str | Path) -> aiosqlite.Connection:
    """Open a connection with the project's settings: WAL, full sync, foreign keys, busy wait."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    # isolation_level=None: we issue BEGIN IMMEDIATE ourselves, so a use case is one transaction.
    conn = await aiosqlite.connect(str(path), isolation_level=None)
    conn.row_factory = aiosqlite.Row
    await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    await conn.execute("PRAGMA journal_mode = WAL")
    # FULL: a commit that returned is on disk even if the machine loses power right after.
    await conn.execute("PRAGMA synchronous = FULL")
    await conn.execute("PRAGMA foreign_keys = ON")
    return conn


async def migrate(conn: aiosqlite.Connection) -> int:
    """Apply the numbered migrations not yet applied; return the schema version reached."""
    async with conn.execute("PRAGMA user_version") as cur:
        row = await cur.fetchone()
    version = int(row[0]) if row else 0
    for number, script in enumerate(MIGRATIONS, start=1):
        if number <= version:
            continue
        # executescript would commit on its own; keep each migration one atomic transaction.
        await conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(script):
                await conn.execute(statement)
            await conn.execute(f"PRAGMA user_version = {number}")
            await conn.commit()
        except BaseException:
            await conn.rollback()
            raise
        log.info("schema migrated to version %d", number)
        version = number
    return version


def _statements(script: str) -> list[str]:
    """Split a migration script on semicolons that end a line (no triggers use inner ones)."""
    parts = [part.strip() for part in script.split(";\n")]
    return [part for part in parts if part and not part.startswith("--")]


class Database:
    """A single-writer handle: one connection, one transaction at a time."""

    def __init__(self, conn: aiosqlite.Connection, path: str | Path) -> None:
        self.conn = conn
        self.path = Path(path)
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: str | Path) -> Database:
        """Connect and migrate."""
        conn = await connect(path)
        await migrate(conn)
        return cls(conn, path)

    async def close(self) -> None:
        """Close the connection (waits for a running transaction)."""
        async with self._lock:
            await self.conn.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``; rolled back on any error, including cancellation."""
        async with self._lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                await self.conn.rollback()
                raise
            await self.conn.commit()

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[aiosqlite.Connection]:
        """A consistent read (a deferred transaction) that writes nothing."""
        async with self._lock:
            await self.conn.execute("BEGIN")
            try:
                yield self.conn
            finally:
                await self.conn.rollback()
