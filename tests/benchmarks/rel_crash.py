"""Crash run: the bot as a subprocess plays a full quarter while a driver kills it with SIGKILL
(at named faultpoints and at arbitrary moments) and restarts it each time; the result must
equal an uninterrupted run's. Also measures a SIGTERM stop (exit 0 within 10 s), and stops it
with SIGTERM while every send is slow (one sender owns delivery: nothing may arrive twice).

The bot's worker processes are killed too (SIGKILL, as the out-of-memory killer would), while
they check an upload, build a report or compute step 4's analysis, and the multiprocessing
resource tracker once: each costs its job a retry, and no job may be given up for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import signal
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.sim import BotApiSimulator, Fault
from tests.benchmarks import rel_quarter as rq

ROOT = Path(__file__).resolve().parents[2]

# The bot's children, by what their command line runs (multiprocessing's spawn start).
WORKER_MARK = b"spawn_main"
TRACKER_MARK = b"resource_tracker"
# What the bot logs when it gives a job up (an upload's check, a build, a step's figures).
GIVEN_UP_MARKS = (b"; its sender is told", b"; given up", b"sent without the figures")

POINTS = ("after_fetch", "before_commit", "after_commit", "before_send", "after_send")
SLOW_SEND_SECONDS = 0.6  # every send this slow when SIGTERM comes
SLOW_STOP_ATTEMPTS = 5  # a slow stop pre-empted by a kill is tried again on the next life
READY = b"running"


def _is_unhandled(line: bytes) -> bool:
    return b"Traceback" in line or (b" ERROR " in line and b" failed" in line)


def _trackers_own(lines: list[bytes], n: int) -> bool:
    """Whether line ``n`` opens a traceback that multiprocessing prints about itself.

    A resource tracker started again after it was killed is told to forget names it never
    knew (the semaphores of pools made before) and prints a KeyError for each; a worker that
    was starting when its bot was killed finds its parent's pipe closed ("EOFError: Ran out
    of input" in spawn_main). Neither is a handler of the bot that died.
    """
    if b"Traceback" not in lines[n] or n + 2 >= len(lines):
        return False
    if b"resource_tracker" in lines[n + 1]:
        return True
    block = lines[n + 1 : n + 12]
    return any(b"in spawn_main" in line for line in block) and any(
        line.startswith(b"EOFError: Ran out of input") for line in block
    )


def _unhandled_lines(log: bytes) -> list[int]:
    lines = log.splitlines()
    return [
        n for n, line in enumerate(lines) if _is_unhandled(line) and not _trackers_own(lines, n)
    ]


def unhandled_in(log: bytes) -> int:
    """Lines that show an update's handler died or an exception escaped."""
    return len(_unhandled_lines(log))


def given_up_in(log: bytes) -> int:
    """Jobs the bot's background gave up (it must not, for a worker's death)."""
    return sum(1 for line in log.splitlines() if any(m in line for m in GIVEN_UP_MARKS))


def children(parent: int, mark: bytes) -> list[int]:
    """The live processes whose parent is ``parent`` and whose command line holds ``mark``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_bytes()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue  # gone meanwhile
        # "pid (comm) state ppid ...": the name may hold spaces and parentheses
        fields = stat[stat.rindex(b")") + 2 :].split()
        if int(fields[1]) == parent and fields[0] != b"Z" and mark in cmdline:
            found.append(int(entry.name))
    return found


def unhandled_excerpts(log: bytes, after: int = 25) -> list[str]:
    """Each counted line with what follows it (the traceback), so a failure explains itself."""
    lines = log.decode(errors="replace").splitlines()
    return ["\n".join(lines[n : n + after]) for n in _unhandled_lines(log)]


@dataclass
class BotProcess:
    """``python -m bot run`` against the simulator; started again and again on one database."""

    sim: BotApiSimulator
    db_path: Path
    log_path: Path
    offset: float
    proc: asyncio.subprocess.Process | None = None
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    _reader: asyncio.Task[None] | None = None

    async def start(self, faults: str = "") -> None:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": rq.TOKEN,
            "TELEGRAM_API_URL": self.sim.base_url,
            "TELEGRAM_FILE_URL": self.sim.file_base_url,
            "KINERJA_DB": str(self.db_path),
            "KINERJA_RATE_LIMIT": "0",
            "KINERJA_FAULTPOINTS": faults,
            "KINERJA_CLOCK_OFFSET": str(self.offset),
        }
        self.ready = asyncio.Event()
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=ROOT,
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        self._reader = asyncio.create_task(self._copy(self.proc, self.ready))

    async def _copy(self, proc: asyncio.subprocess.Process, ready: asyncio.Event) -> None:
        assert proc.stderr is not None
        with self.log_path.open("ab") as out:
            while line := await proc.stderr.readline():
                out.write(line)
                if READY in line:
                    ready.set()

    def kill(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.send_signal(signal.SIGKILL)

    async def exited(self) -> int:
        assert self.proc is not None
        code = await self.proc.wait()
        if self._reader is not None:
            await self._reader
        return code

    async def terminate(self, limit: float = 10.0) -> tuple[int | None, float]:
        """SIGTERM; the exit code (None if it did not stop in ``limit`` s) and the time taken."""
        assert self.proc is not None
        started = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = await asyncio.wait_for(self.exited(), limit)
        except TimeoutError:
            self.kill()
            await self.exited()
            return None, time.monotonic() - started
        return code, time.monotonic() - started


@dataclass
class Kill:
    """One planned death: at a faultpoint's n-th pass, or some time after the bot is ready."""

    point: str | None = None
    count: int = 1
    after: float = 0.0

    @property
    def faults(self) -> str:
        return f"{self.point}:{self.count}" if self.point else ""


def kill_plan(kills: int, seed: int) -> list[Kill]:
    """``kills`` deaths: the faultpoints in turn, every third one at an arbitrary moment."""
    rng = random.Random(seed)
    plan: list[Kill] = []
    for n in range(kills):
        if n % 3 == 2:
            plan.append(Kill(after=rng.uniform(0.05, 1.5)))
        else:
            point = POINTS[(n - n // 3) % len(POINTS)]
            high = 12 if point.endswith("send") else 6
            plan.append(Kill(point, rng.randint(1, high)))
    return plan


@dataclass
class CrashStats:
    kills: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    phases: dict[str, int] = field(default_factory=dict)
    integrity_failures: int = 0
    restarts: int = 0
    unexpected_exits: int = 0
    sigterm_code: int | None = None
    sigterm_seconds: float = 0.0
    slow_stops: int = 0  # SIGTERM while sends were slow, exit 0
    slow_stop_failures: int = 0  # such a stop that did not exit 0 within 15 s
    slow_stop_retries: int = 0  # a planned slow stop pre-empted by a kill, tried again
    workers_killed: int = 0  # worker processes of the bot killed while it ran on
    trackers_killed: int = 0  # the multiprocessing resource tracker, killed
    notes: list[str] = field(default_factory=list)  # why an exit counted as a failure


class Driver:
    """Keeps the bot running through its planned deaths."""

    def __init__(
        self,
        bot: BotProcess,
        plan: list[Kill],
        moments: set[str],
        slow_stops: set[str],
        worker_kills: dict[str, bytes] | None = None,
        seed: int = 7,
    ) -> None:
        self.bot = bot
        self.plan = plan
        self.moments = moments
        self.slow_stops = slow_stops
        # moment -> which of the bot's children to kill then (WORKER_MARK or TRACKER_MARK)
        self.worker_kills = dict(worker_kills or {})
        self._rng = random.Random(seed)
        self._slow_stop: float | None = None  # when the planned SIGTERM was sent
        self.stats = CrashStats()
        self._stop = asyncio.Event()
        self._stopping = False
        self._cause = ""
        self.phase = "joining"
        self._timers: list[asyncio.Task[None]] = []
        self._task: asyncio.Task[None] | None = None
        # A bot restarted just before the tracker's moment has no pool, hence no tracker, yet:
        # the tracker's kill then moves on to the next moment.
        self._tracker_again = False

    async def moment(self, name: str) -> None:
        """The quarter reached ``name``: at chosen moments, kill the bot a little later."""
        self.phase = name
        if name in self.moments and not self._stopping:
            self.moments.discard(name)
            loop = asyncio.get_running_loop()
            loop.call_later(0.15, self._kill_now, f"moment:{name}")
        if name in self.slow_stops and not self._stopping:
            self.slow_stops.discard(name)
            self._timers.append(asyncio.create_task(self._stop_while_slow()))
        marks = [self.worker_kills.pop(name)] if name in self.worker_kills else []
        if self._tracker_again and TRACKER_MARK not in marks:
            self._tracker_again = False
            marks.append(TRACKER_MARK)
        for mark in marks:
            if self._stopping:
                break
            # Sooner than the bot's own kill at this moment (0.15 s), so the job is in hand.
            delay = self._rng.uniform(0.02, 0.12)
            self._timers.append(asyncio.create_task(self._kill_children(mark, delay)))

    async def _kill_children(self, mark: bytes, delay: float) -> None:
        """A moment later, SIGKILL the bot's worker processes (or its resource tracker),
        waiting (bounded) for one to exist: a bot just restarted starts them on first use."""
        loop = asyncio.get_running_loop()
        await asyncio.sleep(delay)  # an arbitrary moment in the job: not a wait for the bot
        deadline = loop.time() + 5
        while not self._stopping and loop.time() < deadline:
            proc = self.bot.proc
            pids = [] if proc is None or proc.returncode is not None else children(proc.pid, mark)
            if pids:
                for pid in pids:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                if mark == TRACKER_MARK:
                    self.stats.trackers_killed += 1
                else:
                    self.stats.workers_killed += len(pids)
                return
            await asyncio.sleep(0.05)  # polls /proc for the process, bounded
        if mark == TRACKER_MARK and not self._stopping:
            self._tracker_again = True
            return
        self.stats.notes.append(f"no {mark.decode()} process of the bot to kill within 5 s")

    async def _stop_while_slow(self) -> None:
        """Every send becomes slow; a moment later, SIGTERM (the bot restarts after).

        The SIGTERM goes to the very life that was ready when the sends turned slow: if a
        kill ends that life first, the stop is tried again on the next one (a SIGTERM sent
        to a bot still importing its modules ends it with -15 before any handler exists,
        which proves nothing about a graceful stop)."""
        loop = asyncio.get_running_loop()
        for _ in range(SLOW_STOP_ATTEMPTS):
            # a life that just ended is restarted by _supervise: aim at a running, ready one
            deadline = loop.time() + 60
            while not self._running_and_ready():
                if self._stopping or loop.time() > deadline:
                    self.stats.notes.append("slow stop: no ready bot within 60 s")
                    return
                await asyncio.sleep(0.05)  # polls the driver's own state, bounded
            ready, proc = self.bot.ready, self.bot.proc
            assert proc is not None
            self.bot.sim.faults.add(Fault("slow", method="sendmessage", delay=SLOW_SEND_SECONDS))
            await asyncio.sleep(0.3)  # an arbitrary moment with sends in flight: not a wait
            if self._stopping:
                self.bot.sim.faults.clear()
                return
            if ready is self.bot.ready and proc is self.bot.proc and proc.returncode is None:
                self._slow_stop = time.monotonic()
                proc.send_signal(signal.SIGTERM)
                return
            # a kill came first; the restarted life clears the fault in _supervise
            self.bot.sim.faults.clear()
            self.stats.slow_stop_retries += 1
        self.stats.notes.append("slow stop: every attempt was pre-empted by a kill")

    def _running_and_ready(self) -> bool:
        proc = self.bot.proc
        return proc is not None and proc.returncode is None and self.bot.ready.is_set()

    def _kill_now(self, cause: str) -> None:
        # a planned kill does not cut across a slow-send stop in progress: it would hide it
        if self._stopping or self._slow_stop is not None:
            return
        self._cause = cause
        self.bot.kill()

    async def start(self) -> None:
        await self._life()
        self._task = asyncio.create_task(self._supervise())

    async def _life(self) -> None:
        kill = self.plan.pop(0) if self.plan else Kill()
        self._cause = f"point:{kill.point}" if kill.point else "timer"
        await self.bot.start(kill.faults)
        if not kill.point and kill.after:
            self._timers.append(asyncio.create_task(self._timed(self.bot.ready, kill.after)))
        elif not kill.point:
            self._cause = ""

    async def _timed(self, ready: asyncio.Event, after: float) -> None:
        await ready.wait()
        await asyncio.sleep(after)  # an arbitrary moment: not a wait for the bot
        if ready is self.bot.ready:
            self._kill_now("timer")

    async def _supervise(self) -> None:
        while True:
            code = await self.bot.exited()
            if self._stop.is_set():
                return
            slow_stop, self._slow_stop = self._slow_stop, None
            if slow_stop is not None:
                self.bot.sim.faults.clear()
            if slow_stop is not None and code != -signal.SIGKILL:
                took = time.monotonic() - slow_stop
                if code == 0 and took < 15:
                    self.stats.slow_stops += 1
                else:
                    self.stats.slow_stop_failures += 1
                    self.stats.notes.append(f"slow stop: exit {code} after {took:.1f} s")
            elif code == -signal.SIGKILL:
                if slow_stop is not None and not self._stopping:
                    # a faultpoint in the bot killed it mid-stop: stop the next life instead
                    self.stats.slow_stop_retries += 1
                    self._timers.append(asyncio.create_task(self._stop_while_slow()))
                self.stats.kills += 1
                kind = self._cause or "unplanned"
                self.stats.kinds[kind] = self.stats.kinds.get(kind, 0) + 1
                self.stats.phases[self.phase] = self.stats.phases.get(self.phase, 0) + 1
            else:
                self.stats.unexpected_exits += 1
                self.stats.notes.append(f"unexpected exit {code} in phase {self.phase}")
            if not await asyncio.to_thread(rq.integrity_ok, self.bot.db_path):
                self.stats.integrity_failures += 1
            self.stats.restarts += 1
            await self._life()

    async def stop(self) -> None:
        """Stop killing; let the current life drain the outbox, then SIGTERM it."""
        self._stopping = True
        for timer in self._timers:
            timer.cancel()
        self.bot.sim.faults.clear()  # a slow-send stop cut short leaves its fault behind
        self.plan.clear()
        self.moments.clear()
        # a life armed with a faultpoint may still die: wait for a clean one
        while True:
            await drained(self.bot.db_path, 90)
            if self.bot.proc is not None and self.bot.proc.returncode is None:
                break
        self._stop.set()
        code, seconds = await self.bot.terminate()
        self.stats.sigterm_code, self.stats.sigterm_seconds = code, seconds
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


async def drained(db_path: Path, timeout: float) -> None:
    """Wait (bounded) until the outbox holds nothing pending."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        if await asyncio.to_thread(_pending, db_path) == 0:
            return
        await asyncio.sleep(0.1)
    raise TimeoutError("the outbox did not drain")


def _pending(db_path: Path) -> int:
    conn = sqlite3.connect(db_path, timeout=10)
    try:
        return int(
            conn.execute("SELECT COUNT(*) FROM outbox WHERE status = 'pending'").fetchone()[0]
        )
    finally:
        conn.close()


@dataclass
class RunResult:
    facts: dict[str, Any]
    messages: dict[str, Any]
    report: list[tuple[str, str, float]]
    stats: CrashStats
    unhandled: int
    seconds: float
    retaps: int
    log: bytes


async def play_once(
    workdir: Path,
    plan: list[Kill],
    moments: set[str],
    name: str,
    slow_stops: set[str],
    worker_kills: dict[str, bytes] | None = None,
) -> RunResult:
    """One quarter by the subprocess bot under ``plan``; then a SIGTERM stop."""
    started = time.monotonic()
    db_path = workdir / f"{name}.sqlite3"
    log_path = workdir / f"{name}.log"
    tokens = await rq.prepare(db_path)
    async with BotApiSimulator(token=rq.TOKEN, bot_username=rq.BOT_USERNAME) as sim:
        bot = BotProcess(sim, db_path, log_path, rq.clock_offset_seconds())
        driver = Driver(bot, plan, moments, slow_stops, worker_kills)
        player = rq.Player(sim, patience=90.0, moment=driver.moment)
        await driver.start()
        try:
            await player.play(tokens)
            await driver.stop()
        except BaseException:
            bot.kill()
            # keep the bot's log (and say where): a quarter that stalled is read from it
            keep = workdir.parent / f"kinerja-crash-{name}-failed.log"
            with contextlib.suppress(OSError):
                keep.write_bytes(log_path.read_bytes())
                print(f"# {name}: the bot's log is kept in {keep}", file=sys.stderr)
            raise
        messages = rq.received(sim, player.people, player.group)
        report = rq.report_figures(sim, player.group)
    log = log_path.read_bytes()
    if rq.TOKEN.encode() in log:
        raise AssertionError("the bot token appears in the bot's log")
    return RunResult(
        rq.database_facts(db_path),
        messages,
        report,
        driver.stats,
        unhandled_in(log),
        time.monotonic() - started,
        player.retaps,
        log,
    )


async def run(quick: bool) -> dict[str, int]:
    """The reference run, then the crash run; the counters for reliability.py."""
    # A killed bot leaves half-sent requests; the simulator's server logs each: noise here.
    logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)
    kills = 3 if quick else 40  # planned; those left when the quarter ends are dropped
    with tempfile.TemporaryDirectory(prefix="kinerja-crash-") as tmp:
        workdir = Path(tmp)
        reference = await play_once(workdir, [], set(), "reference", set())
        moments = {"entry_mid", "upload", "report"}
        slow_stops = {"review"}
        # Step 4 begins: its analysis is computed and the draft report built in workers.
        worker_kills = {"steps_4_8": WORKER_MARK}
        if not quick:
            moments |= {"opening", "distribution", "follow_up", "evidence"}
            slow_stops |= {"steps_4_8"}
            # the upload's check; the tracker once; the final report's build
            worker_kills |= {"upload": WORKER_MARK, "review": TRACKER_MARK}
            worker_kills |= {"distribution": WORKER_MARK}
        crashed = await play_once(
            workdir, kill_plan(kills, seed=7), moments, "crash", slow_stops, worker_kills
        )
        result = rq.compare(
            reference.facts,
            crashed.facts,
            reference.messages,
            crashed.messages,
            reference.report,
            crashed.report,
        )
        if result.other_differences:
            keep = workdir.parent / "kinerja-crash-last.log"
            keep.write_bytes(crashed.log)
            for line in result.other_differences[:20]:
                print(f"# crash difference: {line}", file=sys.stderr)
    stats = crashed.stats
    if not quick and stats.trackers_killed == 0:
        stats.notes.append("the resource tracker was never killed")
    print(
        f"# crash: {stats.kills} kills {stats.kinds} by phase {stats.phases}, "
        f"reference {reference.seconds:.1f} s, "
        f"crash run {crashed.seconds:.1f} s, sigterm exit {stats.sigterm_code} in "
        f"{stats.sigterm_seconds:.2f} s, retaps {crashed.retaps}, "
        f"stops while sends were slow {stats.slow_stops} (failed {stats.slow_stop_failures}, "
        f"retried {stats.slow_stop_retries}), workers killed {stats.workers_killed}, "
        f"resource trackers killed {stats.trackers_killed}, jobs that met a dead worker "
        f"{crashed.log.count(b'a worker process died during')}",
        file=sys.stderr,
    )
    for name, one in (("reference", reference), ("crash", crashed)):
        for note in one.stats.notes:
            print(f"# {name}: {note}", file=sys.stderr)
        for excerpt in unhandled_excerpts(one.log):
            print(f"# {name}: unhandled in the bot's log:\n{excerpt}", file=sys.stderr)
    sigterm_bad = sum(
        1 for s in (reference.stats, stats) if s.sigterm_code != 0 or s.sigterm_seconds > 10
    )
    return {
        "kills": stats.kills,
        "answers_lost": result.answers_lost + result.messages_missing + result.report_differs,
        "transitions_doubled": result.transitions_doubled,
        "duplicate_messages": result.duplicate_messages,
        "unhandled_exceptions": reference.unhandled
        + crashed.unhandled
        + stats.integrity_failures
        + stats.unexpected_exits
        + reference.stats.unexpected_exits
        + stats.slow_stop_failures
        + sigterm_bad,
        "differences": len(result.other_differences),
        "stops_during_slow_sends": stats.slow_stops,
        "workers_killed": stats.workers_killed + stats.trackers_killed,
        "given_up": given_up_in(reference.log) + given_up_in(crashed.log),
    }


if __name__ == "__main__":
    print(asyncio.run(run(quick="--quick" in sys.argv)))
