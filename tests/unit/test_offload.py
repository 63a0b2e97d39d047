"""Where the bot's CPU work runs (``bot.offload``): a worker process, or a thread, and
workers that do not outlive a bot killed outright."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from bot import offload
from bot.offload import Offload, worker_died, worker_memory_from_env, workers_from_env

ROOT = Path(__file__).resolve().parents[2]

# A stand-in for the bot: starts one worker, says its pid, then waits to be killed.
BOT = """
import asyncio, os, sys, time
from bot.offload import Offload
print(asyncio.run(Offload(1).run(os.getpid)), flush=True)
time.sleep(60)
"""


async def test_work_runs_in_a_worker_process_or_in_a_thread() -> None:
    assert await Offload(0).run(os.getpid) == os.getpid()
    assert await Offload(1).run(os.getpid) != os.getpid()
    assert await Offload(1).run(divmod, 7, 2) == (3, 1)


def die() -> None:
    """In a worker: die as the out-of-memory killer would have it."""
    os.kill(os.getpid(), signal.SIGKILL)


async def test_a_dead_worker_fails_its_job_once_new_workers_answer() -> None:
    """No retry inside: the caller retries with its own back-off and limit; but new workers
    are started and have answered before the failure is handed back."""
    work = Offload(1)
    with pytest.raises(BrokenProcessPool) as died:
        await work.run(die)
    assert worker_died(died.value) and work.deaths == 1
    pool = offload._pools[1]
    assert pool._processes and all(p.is_alive() for p in pool._processes.values())
    assert await work.run(os.getpid) in pool._processes  # the same new pool, working
    assert not worker_died(ValueError("a job's own failure"))


def hog() -> int:
    """In a worker: ask for 1.5 GiB (calloc'd, so harmless where nothing limits it)."""
    return len(bytes(1536 << 20))


def address_space_limit() -> int:
    import resource

    return resource.getrlimit(resource.RLIMIT_AS)[0]


async def test_a_worker_that_exhausts_its_memory_fails_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A MemoryError inside the worker, not the kernel's OOM killer: the worker goes on."""
    monkeypatch.setenv("KINERJA_WORKER_MEMORY_MB", "512")
    work = Offload(3)  # a pool of its own, started under the limit set here
    try:
        assert await work.run(address_space_limit) == 512 << 20
        worker = await work.run(os.getpid)
        with pytest.raises(MemoryError):
            await work.run(hog)
        assert work.deaths == 0
        assert await work.run(os.getpid) == worker  # the same worker, alive
    finally:
        offload._discard(3, offload._pools[3])


def test_the_worker_memory_limit_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for raw, expected in (("", 1024), ("0", 0), ("2048", 2048), ("lots", 1024), ("10", 256)):
        monkeypatch.setenv("KINERJA_WORKER_MEMORY_MB", raw)
        assert worker_memory_from_env() == expected, raw


def test_the_number_of_workers_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for raw, expected in (("", 2), ("0", 0), ("3", 3), ("many", 2), ("-1", 0), ("99", 16)):
        monkeypatch.setenv("KINERJA_WORKERS", raw)
        assert workers_from_env() == expected, raw


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in state  # a zombie has exited; only its parent's reaping is left


def test_workers_leave_when_the_bot_is_killed() -> None:
    bot = subprocess.Popen([sys.executable, "-c", BOT], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert bot.stdout is not None
        worker = int(bot.stdout.readline())
        assert _alive(worker)
        bot.send_signal(signal.SIGKILL)
        bot.wait(10)
        deadline = time.monotonic() + 10
        while _alive(worker) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(worker), "the worker outlived the bot"
    finally:
        bot.kill()
        bot.wait(10)
