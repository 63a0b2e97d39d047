"""Fault run: a full quarter in-process while a good fifth of the Bot API calls fail (429 with
retry_after, 500/502, timeouts with and without effect, dropped connections, "message is not
modified", "message to edit not found", and a person who blocked the bot), and the faults of a
live bot strike (``rel_live.py``: a locked database, 409s, a migrated group, an unparseable
update). Once the faults stop, everything must be delivered and the result must equal a
fault-free run's. In the full run that fault-free quarter is paced as in production against a
simulator applying Telegram's per-chat limits, and counts every 429 they answered
(``flood_refusals``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.app import Runtime, Settings
from bot.clock import SystemClock
from bot.services.people import admin
from bot.sim import BotApiSimulator, Fault
from bot.sim.api import ApiError
from storage import outbox
from tests.benchmarks import rel_quarter as rq
from tests.benchmarks.rel_live import LiveFaults

PATIENCE = 120.0
BLOCKER = "op2_sekretariat"
EDITS = {"editmessagetext", "editmessagereplymarkup"}
SENDS = {"sendmessage", "senddocument", "sendphoto", "answercallbackquery"}


class AmbiguousEditSimulator(BotApiSimulator):
    """Edit errors as Telegram gives them after an answer was lost: the edit took effect.

    "message is not modified" and "message to edit not found" are what a retried edit gets
    when its first attempt was applied (or the message is gone); injected on a live message
    that was never edited they would describe a state that does not exist. So the simulator
    applies the edit, then answers with the error.
    """

    async def _apply_fault(
        self, fault: Fault, request: web.Request, method: str, params: dict[str, Any]
    ) -> web.StreamResponse | None:
        if fault.kind in ("not_modified", "not_found") and method in EDITS:
            with contextlib.suppress(ApiError):
                await getattr(self, f"_m_{method}")(params)
                await self._notify()
        return await super()._apply_fault(fault, request, method, params)


class ErrorCounter(logging.Handler):
    """Counts handler deaths (handlers/errors.py's line) and any logged traceback."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        died = record.levelno >= logging.ERROR and " failed" in message
        if died or (record.exc_info and record.exc_info[0] is not None):
            self.count += 1
            self.lines.append(message)


def fault_plan(sim: BotApiSimulator, quick: bool) -> None:
    """The faults in force during the quarter (seeded)."""
    timeouts = 1 if quick else 3
    plan = sim.faults
    plan.seed(20260105)
    plan.add(Fault("timeout_after", method="sendmessage", count=timeouts, delay=6))
    plan.add(Fault("timeout_before", method="sendmessage", count=timeouts, delay=6))
    plan.add(Fault("not_modified", method=EDITS, probability=0.3))
    plan.add(Fault("not_found", method=EDITS, probability=0.15))
    plan.add(Fault("429", method=SENDS | EDITS, probability=0.07, retry_after=1))
    plan.add(Fault("500", method=SENDS | EDITS, probability=0.07))
    plan.add(Fault("502", method=SENDS | EDITS, probability=0.07))
    plan.add(Fault("drop", method=SENDS | EDITS, probability=0.05))
    # A failed getUpdates pauses the pump for a second or more: fewer of them when quick.
    scale = 0.5 if quick else 1.0
    plan.add(Fault("500", method="getupdates", probability=0.12 * scale))
    plan.add(Fault("502", method="getupdates", probability=0.08 * scale))
    plan.add(Fault("429", method="getupdates", probability=0.05 * scale, retry_after=1))


@dataclass
class FaultRun:
    facts: dict[str, Any]
    messages: dict[str, Any]
    report: list[tuple[str, str, float]]
    calls: int
    injected: int
    undelivered: int
    blocked_notices: int
    errors: int
    seconds: float
    live: dict[str, int]
    flooded: int  # 429s the simulator answered because a chat's pace was broken


async def play(workdir: Path, name: str, faulty: bool, quick: bool, paced: bool) -> FaultRun:
    """One quarter; with ``faulty``, under the fault plan until the period is closed; with
    ``paced``, as in production (each chat paced) against Telegram's per-chat limits."""
    started = time.monotonic()
    db_path = workdir / f"{name}.sqlite3"
    tokens = await rq.prepare(db_path)
    counter = ErrorCounter()
    logging.getLogger().addHandler(counter)
    try:
        async with AmbiguousEditSimulator(
            token=rq.TOKEN, bot_username=rq.BOT_USERNAME, flood_limits=paced
        ) as sim:
            settings = Settings(
                token=rq.TOKEN,
                db_path=db_path,
                api_url=sim.base_url,
                file_url=sim.file_base_url,
                clock=SystemClock(timedelta(seconds=rq.clock_offset_seconds())),
                rate_limit=paced,
                poll_timeout=1,
                backup_every=None,
            )
            runtime = await Runtime.create(settings)
            await admin.ensure_sekretariat(runtime.core)
            await admin.load_config(runtime.core)
            await runtime.start()
            player = rq.Player(sim, patience=PATIENCE)
            live = LiveFaults(sim, db_path)
            if faulty:
                await live.arm(runtime)

            async def moment(where: str) -> None:
                if where == "opening":
                    player.people[BLOCKER].blocked = True
                    if faulty:
                        fault_plan(sim, quick)
                if faulty:
                    await live.moment(where, player.people, player.group)

            player.moment = moment
            try:
                await player.play(tokens)
                await live.settle()
                sim.faults.clear()
                await drained(runtime, 120)
                live_figures = live.figures() if faulty else {}
            finally:
                live.disarm()
                await runtime.stop(flush_seconds=5)
            injected = sum(sim.faults.injected.values())
            flooded = sum(sim.flooded.values())
            calls = len(sim.calls)
            messages = rq.received(sim, player.people, player.group)
            report = rq.report_figures(sim, player.group)
            blocked_notices = sum(
                1 for m in player.people["kasubag"].messages if "memblokir bot" in m.plain_text
            )
    finally:
        logging.getLogger().removeHandler(counter)
    undelivered = _undelivered(db_path, player.people[BLOCKER].chat_id)
    for line in counter.lines[:10]:
        print(f"# fault run error: {line}", file=sys.stderr)
    return FaultRun(
        rq.database_facts(db_path),
        messages,
        report,
        calls,
        injected,
        undelivered,
        blocked_notices,
        counter.count,
        time.monotonic() - started,
        live_figures,
        flooded,
    )


async def drained(runtime: Runtime, timeout: float) -> None:
    """Wait (bounded) until nothing is pending in the outbox."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        async with runtime.db.reading() as conn:
            if not await outbox.pending(conn, limit=1):
                return
        runtime.sender.wake()
        await asyncio.sleep(0.1)
    raise TimeoutError("outbox not drained after the faults stopped")


def _undelivered(db_path: Path, blocked_chat: int) -> int:
    """Messages not delivered to anyone but the person who blocked the bot."""
    conn = sqlite3.connect(db_path)
    try:
        row = conn.execute(
            "SELECT COUNT(*) FROM outbox WHERE status NOT IN ('sent', 'skipped') AND chat_id != ?",
            (blocked_chat,),
        ).fetchone()
        return int(row[0])
    finally:
        conn.close()


async def run(quick: bool) -> dict[str, int]:
    """A fault-free quarter, then the same under faults; the counters for reliability.py."""
    with tempfile.TemporaryDirectory(prefix="kinerja-faults-") as tmp:
        # The full run's reference quarter runs as in production (PTB's limiter, each chat
        # paced) against Telegram's per-chat limits: not one 429 may come back. --quick runs
        # in the suite, where pacing would add most of a minute (the paced e2e quarter,
        # tests/e2e/test_drafted.py, asserts the same there). The faulty quarter is never
        # paced: its injected 429s would reach PTB's limiter, which logs each as an error.
        reference = await play(Path(tmp), "reference", False, quick, paced=not quick)
        faulty = await play(Path(tmp), "faulty", True, quick, paced=False)
    result = rq.compare(
        reference.facts,
        faulty.facts,
        reference.messages,
        faulty.messages,
        reference.report,
        faulty.report,
    )
    for line in result.other_differences[:20]:
        print(f"# fault difference: {line}", file=sys.stderr)
    pct = 100 * faulty.injected // max(1, faulty.calls)
    print(
        f"# faults: {faulty.injected} of {faulty.calls} calls failed ({pct} %), "
        f"reference {reference.seconds:.1f} s, faulty {faulty.seconds:.1f} s, "
        f"blocked notices {faulty.blocked_notices}, undelivered {faulty.undelivered}, "
        f"refused for pace {reference.flooded + faulty.flooded}",
        file=sys.stderr,
    )
    return {
        "faults_injected_pct": pct,
        "answers_lost": result.answers_lost
        + result.messages_missing
        + result.report_differs
        + faulty.undelivered
        + abs(faulty.blocked_notices - 1)
        + abs(reference.blocked_notices - 1),
        "transitions_doubled": result.transitions_doubled,
        "duplicate_messages": result.duplicate_messages,
        "unhandled_exceptions": reference.errors + faulty.errors,
        "differences": len(result.other_differences),
        "flood_refusals": reference.flooded + faulty.flooded,
        **faulty.live,
    }
