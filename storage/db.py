"""The one place SQLite is opened and configured, and where transactions begin and end."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
from collections.abc import AsyncIterator, Callable, Hashable, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite
from aiosqlite.context import contextmanager

from storage.migrations import MIGRATIONS

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000


Parameters = Sequence[Any] | Mapping[str, Any]


class Prefetched:
    """A statement's whole result, fetched in the same trip to SQLite's thread.

    Reads like a cursor (``fetchone``, ``fetchall``, ``rowcount``, ``lastrowid``) so the
    storage modules need not care; see :class:`OneTripConnection`.
    """

    __slots__ = ("_rows", "lastrowid", "rowcount")

    def __init__(self, rows: list[Any], rowcount: int, lastrowid: int | None) -> None:
        self._rows = rows
        self.rowcount = rowcount
        self.lastrowid = lastrowid

    async def fetchone(self) -> Any:
        """The first row, or None."""
        return self._rows[0] if self._rows else None

    async def fetchall(self) -> list[Any]:
        """Every row."""
        return self._rows

    async def close(self) -> None:
        """Nothing to release: the sqlite3 cursor is closed already."""


class OneTripConnection(aiosqlite.Connection):
    """aiosqlite, but a statement's trip to SQLite's thread is made only when it can wait.

    aiosqlite makes execute, fetch and close three trips to its worker thread each, and a
    trip (a hand-over between threads and back to the event loop) costs more than the small
    indexed statements a use case runs. So:

    - outside a transaction every statement runs and fetches its rows in one trip;
    - inside one (``inline`` set by :class:`Database`) statements run right here, on the
      event loop: the transaction already holds its locks, so they only read and write pages
      in memory, in microseconds;
    - what can wait goes to the thread: ``COMMIT`` (it waits for the disk), any rollback
      after an error, and ``BEGIN IMMEDIATE`` when another process holds the write lock
      (it waits up to ``busy_timeout``);
    - a transaction begins right here when nothing is running in the thread (a trip a
      cancelled caller left running would otherwise use the connection at the same time)
      and no lock has to be waited for: ``BEGIN`` of a read takes no lock at all, and
      ``BEGIN IMMEDIATE`` is tried without waiting; else it begins with a trip.
    """

    inline = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Trips queued or running in SQLite's thread, counted by the trip itself as it ends
        # (a cancelled caller's trip runs on): the connection is ours alone only at zero.
        self._trips = 0
        self._trips_lock = threading.Lock()
        # Values read through this connection that a commit can change only by moving a
        # revision they are keyed by (a year's catalogue, say). A rollback empties it: a value
        # read inside the rolled-back transaction may never have been committed.
        self.memo: dict[Hashable, Any] = {}

    @staticmethod
    def _run(conn: sqlite3.Connection, sql: str, parameters: Parameters) -> Prefetched:
        cursor = conn.execute(sql, parameters)
        try:
            rows = cursor.fetchall()
            return Prefetched(rows, cursor.rowcount, cursor.lastrowid)
        finally:
            cursor.close()

    @staticmethod
    def _run_all(conn: sqlite3.Connection, statements: Sequence[str]) -> None:
        for sql in statements:
            conn.execute(sql).close()

    @contextmanager
    async def execute(  # type: ignore[override]
        self, sql: str, parameters: Parameters | None = None
    ) -> Prefetched:
        """Run ``sql`` and fetch its whole result (here inside a transaction, else in one trip)."""
        if self.inline:
            return self._run(self._conn, sql, parameters or ())
        return await self._execute(self._run, self._conn, sql, parameters or ())

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """aiosqlite's trip to its thread, counted while it is queued or runs there."""

        def counted() -> Any:
            try:
                return fn(*args, **kwargs)
            finally:
                with self._trips_lock:
                    self._trips -= 1

        with self._trips_lock:
            self._trips += 1
        try:
            return await super()._execute(counted)
        except ValueError:  # closed: the trip was never queued
            with self._trips_lock:
                self._trips -= 1
            raise

    @property
    def idle(self) -> bool:
        """Whether no trip is queued or running in SQLite's thread."""
        return self._trips == 0

    def begin_here(self, *statements: str) -> bool:
        """Begin right here if that cannot wait: nothing in the thread and no lock held by
        another process (``BEGIN IMMEDIATE`` is tried with no busy wait). False: nothing
        began (a statement before the ``BEGIN`` may have run: they are idempotent settings),
        and the caller makes the trip."""
        if not self.idle:
            return False
        conn = self._conn
        waits = int(conn.execute("PRAGMA busy_timeout").fetchone()[0])  # put back after
        conn.execute("PRAGMA busy_timeout = 0").close()
        try:
            for sql in statements:
                conn.execute(sql).close()
        except sqlite3.OperationalError as exc:
            if is_busy(exc) and not conn.in_transaction:
                return False
            raise
        finally:
            conn.execute(f"PRAGMA busy_timeout = {waits}").close()
        return True

    async def in_thread(self, *statements: str) -> None:
        """Run statements that may wait (for a lock, for the disk) in one trip to the thread."""
        await self._execute(self._run_all, self._conn, statements)

    def here(self, sql: str) -> None:
        """Run a statement that cannot wait right here, on the event loop."""
        self._conn.execute(sql).close()


async def connect(path: str | Path) -> OneTripConnection:
    """Open a connection with the project's settings: WAL, full sync, foreign keys, busy wait."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    # isolation_level=None: we issue BEGIN IMMEDIATE ourselves, so a use case is one transaction.
    location = str(path)
    # check_same_thread=False: statements inside a transaction run on the event loop's
    # thread (see OneTripConnection); the Database lock keeps them one at a time.
    conn = OneTripConnection(
        lambda: sqlite3.connect(location, isolation_level=None, check_same_thread=False), 64
    )
    await conn  # starts the thread and connects there
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

    def __init__(self, conn: OneTripConnection, path: str | Path) -> None:
        self.conn = conn
        self.path = Path(path)
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: str | Path) -> Database:
        """Connect and migrate."""
        conn = await connect(path)
        try:
            await migrate(conn)
        except BaseException:
            await conn.close()  # its thread would otherwise keep the process alive
            raise
        return cls(conn, path)

    async def close(self) -> None:
        """Close the connection (waits for a running transaction)."""
        async with self._lock:
            await self.conn.close()

    @asynccontextmanager
    async def transaction(self, *, flush: bool = True) -> AsyncIterator[aiosqlite.Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``; rolled back on any error, including cancellation.

        ``flush=False`` commits without waiting for the disk (``synchronous=NORMAL`` for this
        one commit): the change survives the process being killed, and only a power cut in
        the next moments can undo it. Only for records that are safe to lose that way.
        """
        conn = self.conn
        # The safety level cannot change inside a transaction, so it is set around it.
        begin = (
            ("BEGIN IMMEDIATE",) if flush else ("PRAGMA synchronous = NORMAL", "BEGIN IMMEDIATE")
        )
        end = ("COMMIT",) if flush else ("COMMIT", "PRAGMA synchronous = FULL")
        async with self._lock:
            try:
                if conn.begin_here(*begin):
                    await asyncio.sleep(0)  # still a point where other tasks run, as a trip was
                else:
                    await conn.in_thread(*begin)
                conn.inline = True
                try:
                    yield conn
                finally:
                    conn.inline = False
                await conn.in_thread(*end)
            except BaseException:
                await self._abandon(restore_sync=not flush)
                raise

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[aiosqlite.Connection]:
        """A consistent read (a deferred transaction) that writes nothing."""
        conn = self.conn
        async with self._lock:
            try:
                if conn.begin_here("BEGIN"):
                    await asyncio.sleep(0)  # still a point where other tasks run, as a trip was
                else:
                    await conn.in_thread("BEGIN")
                conn.inline = True
                try:
                    yield conn
                finally:
                    conn.inline = False
            except BaseException:
                await self._abandon(restore_sync=False)
                raise
            conn.here("ROLLBACK")

    async def _abandon(self, *, restore_sync: bool) -> None:
        """Roll back whatever is open, in the thread, behind any trip still running there."""
        self.conn.memo.clear()
        try:
            await self.conn.rollback()
            if restore_sync:
                await self.conn.in_thread("PRAGMA synchronous = FULL")
        except Exception:  # the error that brought us here is the one to report
            log.exception("rollback after a failed transaction failed too")


# SQLite's primary result codes for "another connection holds the lock" (extended codes keep
# them in the low byte).
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6


def is_busy(error: BaseException | None) -> bool:
    """Whether ``error`` is SQLite giving up on a lock another process held past the timeout.

    Such a failure changed nothing (the transaction never began or was rolled back), so the
    same work can simply run again once the lock is released.
    """
    if not isinstance(error, sqlite3.OperationalError):
        return False
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    text = str(error).lower()
    return "database is locked" in text or "database is busy" in text
