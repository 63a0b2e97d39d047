"""CPU work that would stall the event loop runs here: in worker processes, or a thread.

Reading an uploaded workbook (openpyxl), writing a report (xlsxwriter) and drawing its chart
(matplotlib) take from a tenth of a second to several seconds of CPU. On the event loop they
would hold up every other person's update for that long, and in a worker *thread* they still
compete with the loop for the GIL; in a worker process they do not. What crosses over is
plain data both ways (bytes, frozen dataclasses), and the functions are module-level.

The pool is one per process and outlives a :class:`bot.app.Runtime`: its workers import the
spreadsheet libraries once (a second or two) and are reused, by a restarted runtime too (the
test suite starts hundreds). They start on first use, so an idle bot pays nothing.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import ParamSpec, TypeVar

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

# One for an upload and one for a report at the same time; the machine the bot is meant for
# has two cores, and each worker holds the spreadsheet libraries (about 100 MB).
DEFAULT_WORKERS = 2
WORKERS_ENV = "KINERJA_WORKERS"
# Each worker's address space is capped: a file built to exhaust memory then fails with a
# MemoryError inside its worker, instead of calling the kernel's out-of-memory killer down on
# the machine (and maybe on the bot). A worker with its libraries loaded maps about 320 MB
# and building the 50-unit report needs a few hundred more.
DEFAULT_WORKER_MEMORY_MB = 1024
WORKER_MEMORY_ENV = "KINERJA_WORKER_MEMORY_MB"

_pools: dict[int, ProcessPoolExecutor] = {}
_pools_lock = threading.Lock()


def workers_from_env(default: int = DEFAULT_WORKERS) -> int:
    """``KINERJA_WORKERS`` (0: a thread, no worker processes), else ``default``."""
    raw = os.environ.get(WORKERS_ENV, "").strip()
    if not raw:
        return default
    try:
        return max(0, min(16, int(raw)))
    except ValueError:
        return default


def worker_memory_from_env(default: int = DEFAULT_WORKER_MEMORY_MB) -> int:
    """``KINERJA_WORKER_MEMORY_MB``: each worker's memory limit in MB (0: none), else
    ``default``; below 256 MB a worker could not even load its libraries."""
    raw = os.environ.get(WORKER_MEMORY_ENV, "").strip()
    try:
        megabytes = int(raw) if raw else default
    except ValueError:
        return default
    return 0 if megabytes <= 0 else max(256, megabytes)


def _limit_memory(megabytes: int) -> None:
    """Cap this process's address space (RLIMIT_AS) at ``megabytes`` (0: leave it)."""
    if megabytes <= 0:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _worker_started(bot_pid: int, memory_mb: int = 0) -> None:
    """In each worker: ignore Ctrl-C and SIGTERM (the bot stops them), leave when the bot is
    gone, and live within ``memory_mb`` of address space.

    A bot killed outright (SIGKILL, out of memory) would otherwise leave its workers behind,
    holding their memory and the bot's standard error open for ever.
    """
    # Ctrl-C in a terminal and systemd's stop reach the whole group: the bot stops its
    # workers itself (a job in hand ends first); the watch below covers a bot that died.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == bot_pid:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="watch-bot", daemon=True).start()
    _limit_memory(memory_mb)


def _pool(workers: int) -> ProcessPoolExecutor:
    with _pools_lock:
        pool = _pools.get(workers)
        if pool is None:
            # spawn, not fork: the bot has threads (SQLite's, the resolver's), and forking a
            # threaded process can copy a lock that is held, deadlocking the child.
            pool = ProcessPoolExecutor(
                workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_worker_started,
                initargs=(os.getpid(), worker_memory_from_env()),
            )
            _pools[workers] = pool
        return pool


def _discard(workers: int, pool: ProcessPoolExecutor) -> None:
    with _pools_lock:
        if _pools.get(workers) is pool:
            del _pools[workers]
    pool.shutdown(wait=False, cancel_futures=True)


def worker_died(error: BaseException) -> bool:
    """Whether a job failed because its worker process died (killed, out of memory), which
    says nothing about the job: its retry may well succeed on a new worker."""
    return isinstance(error, BrokenProcessPool)


def _ready() -> bool:
    """A job that does nothing: a new pool that returns it has a worker that works."""
    return True


# A pool started after a death must answer a job that does nothing within this many tries
# before the failed job is handed back; the caller retries it later in any case.
RENEW_TRIES = 3


class Offload:
    """Runs pure, picklable functions away from the event loop."""

    def __init__(self, workers: int = 0) -> None:
        self.workers = workers  # 0: a thread (tests and command-line tools)
        self.runs = 0
        self.deaths = 0  # jobs that failed because their worker died

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """``fn(*args, **kwargs)`` in a worker process (or a thread with no workers).

        A worker's death raises :class:`BrokenProcessPool` (see :func:`worker_died`) once a
        new pool has answered a job that does nothing: the caller retries the job with its
        own back-off and its own limit, so a file that kills its worker every time is
        refused after a few tries instead of killing workers for ever.
        """
        self.runs += 1
        call = functools.partial(fn, *args, **kwargs)
        if self.workers <= 0:
            return await asyncio.to_thread(call)
        loop = asyncio.get_running_loop()
        pool = _pool(self.workers)
        try:
            return await loop.run_in_executor(pool, call)
        except BrokenProcessPool:
            self.deaths += 1
            log.warning("a worker process died during %s; starting new ones", _name(fn))
            _discard(self.workers, pool)
            await self._renew()
            raise

    async def _renew(self) -> None:
        """Start a new pool and see it answer, so that the retry meets workers that work
        (a pool still broken by the same kill would fail it at once)."""
        loop = asyncio.get_running_loop()
        for _ in range(RENEW_TRIES):
            pool = _pool(self.workers)
            try:
                await loop.run_in_executor(pool, _ready)
                return
            except BrokenProcessPool:
                _discard(self.workers, pool)
        log.error("new worker processes died %d times on an empty job", RENEW_TRIES)


def _name(fn: Callable[..., object]) -> str:
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"
