"""The faults of a live bot, injected into the fault run's quarter (``rel_faults.py``): a
database locked by another process past the busy timeout, a second poller and a webhook
(409), the agency group upgraded to a supergroup, and an update python-telegram-bot cannot
parse. Each is counted, so reliability.py can show it happened while nothing was lost.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from bot.app import Runtime
from bot.sim import BotApiSimulator
from bot.sim.people import SimGroup, SimPerson

BUSY_TIMEOUT_MS = 300  # the bot gives up on a lock this soon here (10 s in production)
LOCK_SECONDS = 1.2  # how long the other process holds the write lock, each time
RIVAL_SECONDS = 1.5  # how long a second instance polls the token


class BusyCounter(logging.Handler):
    """Counts the bot's log lines that say it met a database locked by another process."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "locked by another process" in message or "the database is locked" in message:
            self.count += 1


@dataclass
class LiveFaults:
    """Schedules the live faults at moments of the quarter and counts what they caused."""

    sim: BotApiSimulator
    db_path: Path
    busy: BusyCounter = field(default_factory=BusyCounter)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    locks_held: int = 0

    async def arm(self, runtime: Runtime) -> None:
        """Make the running bot give up on a lock quickly and count when it does."""
        await runtime.db.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        logging.getLogger().addHandler(self.busy)

    def disarm(self) -> None:
        logging.getLogger().removeHandler(self.busy)

    async def moment(
        self, where: str, people: dict[str, SimPerson], group: SimGroup | None
    ) -> None:
        """Inject what belongs to this moment (never waits for it)."""
        if where == "opening" and group is not None:
            # Without Telegram's notices: the opening's group post learns of it from the 400
            # (the notices' path has its own test in tests/e2e/test_live_faults.py).
            self.sim.migrate_group(group, announce=False)
        elif where == "entry":
            self.sim.push_unparseable(people["op_sekretariat"], "pesan yang rusak")
            self.tasks.append(asyncio.create_task(self._hold_lock()))
        elif where in ("entry_mid", "upload"):
            self.tasks.append(asyncio.create_task(self._hold_lock()))
        elif where == "review":
            self.tasks.append(asyncio.create_task(self._rival()))
        elif where == "report":
            self.sim.set_webhook("https://example.invalid/kinerja")

    async def settle(self) -> None:
        """Wait for the scheduled faults to end."""
        await asyncio.gather(*self.tasks)

    async def _hold_lock(self) -> None:
        """Another process takes SQLite's write lock and keeps it past the bot's timeout."""
        conn = sqlite3.connect(
            self.db_path, isolation_level=None, timeout=10, check_same_thread=False
        )
        try:
            await asyncio.to_thread(conn.execute, "BEGIN IMMEDIATE")
            self.locks_held += 1
            await asyncio.sleep(LOCK_SECONDS)  # the fault's length, not a wait for the bot
            await asyncio.to_thread(conn.rollback)
        finally:
            await asyncio.to_thread(conn.close)

    async def _rival(self) -> None:
        self.sim.rival(True)
        try:
            await asyncio.sleep(RIVAL_SECONDS)  # the fault's length
        finally:
            self.sim.rival(False)

    def figures(self) -> dict[str, int]:
        """How often each live fault was met."""
        conn = sqlite3.connect(self.db_path)
        try:
            migrated = conn.execute(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'group_migrated'"
            ).fetchone()[0]
            parked = conn.execute("SELECT COUNT(*) FROM parked_updates").fetchone()[0]
        finally:
            conn.close()
        return {
            "busy_lock_waits": self.busy.count,
            "conflicts_409": self.sim.conflicts,
            "groups_migrated": int(migrated),
            "updates_parked": int(parked),
        }
