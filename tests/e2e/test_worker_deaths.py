"""A worker process that dies costs a retry, not the document (issue 21, item 1).

The real bot, with its real worker processes, against the simulator. The workers are killed
with SIGKILL, as the kernel's out-of-memory killer would, right after the upload's check was
handed to them, and whatever workers there are 50 ms later again (the killer does not stop at
the first): the pool breaks, the bot starts new workers and waits until one answers, and the
check is tried again with the intake's back-off. Three deaths on the same document end in a
plain refusal.

A file that makes its worker exhaust memory (item 2) fails inside that worker, under its
memory limit: a clear refusal, the bot's process no larger, the next file checked as usual.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

from bot import offload
from bot.numbers_format import format_rupiah
from bot.offload import Offload
from bot.texts import upload as tu
from exports.upload import parse_upload
from tests.e2e.conftest import Harness
from tests.e2e.test_excel import set_up, snapshot, template_of, xlsx

P = ParamSpec("P")
T = TypeVar("T")

PREVIEW = "Pemeriksaan berkas"


class KillsWorkers(Offload):
    """The bot's worker processes, killed outright while they hold an upload's check, the
    first ``kills`` times one is handed to them."""

    def __init__(self, workers: int, kills: int) -> None:
        super().__init__(workers)
        self.kills = kills
        self.killed: list[int] = []

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``fn``; if it is an upload's check, kill the workers once it is handed over."""
        if fn is parse_upload and self.kills > 0:
            self.kills -= 1
            # Runs on the loop's next turn: after super().run has submitted the job.
            asyncio.get_running_loop().call_soon(self._kill_workers)
        return await super().run(fn, *args, **kwargs)

    def _kill_workers(self, again: bool = False) -> None:
        pool = offload._pools.get(self.workers)
        assert again or (pool is not None and pool._processes), "no worker to kill"
        for pid in list(pool._processes if pool is not None else ()):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
                self.killed.append(pid)
        if not again:
            asyncio.get_running_loop().call_later(0.05, self._kill_workers, True)


def killing(harness: Harness, kills: int) -> KillsWorkers:
    assert harness.runtime is not None
    workers = harness.runtime.core.offload.workers
    assert workers > 0, "the bot runs its checks in worker processes"
    harness.runtime.core.offload = killer = KillsWorkers(workers, kills)
    return killer


async def test_a_worker_killed_while_checking_an_upload_costs_a_retry(harness: Harness) -> None:
    p = await set_up(harness)
    op = p["op_pelatihan"]
    blank = (await template_of(op)).document
    assert blank is not None
    killer = killing(harness, kills=1)
    filled = xlsx(
        blank.data,
        {("Realisasi", "J2"): 24, ("Realisasi", "J3"): "7,5", ("Anggaran", "E2"): 30_500_000},
    )
    await op.upload("Formulir.xlsx", filled)
    preview = await op.wait_for_text(PREVIEW, timeout=30)
    assert killer.killed and killer.deaths == 1
    for shown in ("24", "7,5", format_rupiah(30_500_000)):
        assert shown in preview.plain_text, preview.plain_text
    await op.tap("Simpan", preview)
    await op.wait_for_text("tersimpan", timeout=10)
    values, budgets, _ = await snapshot(harness)
    assert set(values) == {"IK-2.1", "IK-2.2"} and len(budgets) == 1
    texts = [m.plain_text for m in op.messages]
    assert sum(PREVIEW in t for t in texts) == 1  # once, whatever happened behind it
    assert not [t for t in texts if "tidak dapat" in t]


async def test_a_file_that_kills_its_worker_every_time_is_refused_after_three_tries(
    harness: Harness,
) -> None:
    p = await set_up(harness)
    op, kasubag = p["op_pelatihan"], p["kasubag"]  # kasubag is the agency's admin
    blank = (await template_of(op)).document
    assert blank is not None
    empty = await snapshot(harness)
    killer = killing(harness, kills=99)
    await op.upload("Formulir berat.xlsx", xlsx(blank.data, {("Realisasi", "J2"): 24}))
    refusal = await op.wait_for_text("tidak dapat diperiksa", timeout=40)
    assert refusal.plain_text == tu.not_checked_worker_died("Formulir berat.xlsx")
    assert killer.deaths == 3
    notice = await kasubag.wait_for_text("berhenti mendadak 3 kali", timeout=10)
    assert "Formulir berat.xlsx" in notice.plain_text and op.full_name in notice.plain_text
    assert await snapshot(harness) == empty
    assert not [m for m in op.messages if PREVIEW in m.plain_text]
    # The admin is told once, and the bot goes on checking the next file.
    killer.kills = 0
    await op.upload("Formulir.xlsx", xlsx(blank.data, {("Realisasi", "J2"): 24}))
    await op.wait_for_text(PREVIEW, timeout=20)
    assert sum("berhenti mendadak" in m.plain_text for m in kasubag.messages) == 1


def exhausting(*_: object, **__: object) -> None:
    """In a worker: what a file built to exhaust memory makes the reader do, far past the
    worker's limit (calloc'd, so harmless where nothing limits it)."""
    hoard = [bytes(512 << 20) for _ in range(8)]
    raise AssertionError(f"{len(hoard)} blocks of 512 MB allocated: no memory limit")


class ExhaustsMemory(Offload):
    """The bot's worker processes; an upload's check is read by :func:`exhausting`."""

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        if fn is parse_upload:
            return await super().run(exhausting, *args, **kwargs)  # type: ignore[return-value]
        return await super().run(fn, *args, **kwargs)


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


async def test_a_file_that_exhausts_memory_is_refused_and_the_bot_is_untouched(
    harness: Harness,
) -> None:
    p = await set_up(harness)
    op = p["op_pelatihan"]
    blank = (await template_of(op)).document
    assert blank is not None and harness.runtime is not None
    empty = await snapshot(harness)
    workers = harness.runtime.core.offload.workers
    harness.runtime.core.offload = ExhaustsMemory(workers)
    before = _rss_mb()
    await op.upload("Formulir.xlsx", xlsx(blank.data, {("Realisasi", "J2"): 24}))
    refusal = await op.wait_for_text("Berkas ditolak", timeout=30)
    assert refusal.plain_text == tu.TOO_HEAVY
    assert _rss_mb() - before < 50  # the bot's process did not take the file's memory
    assert await snapshot(harness) == empty
    assert harness.runtime.core.offload.deaths == 0  # refused inside its worker, alive
    harness.runtime.core.offload = Offload(workers)
    await op.upload("Formulir.xlsx", xlsx(blank.data, {("Realisasi", "J2"): 24}))
    await op.wait_for_text(PREVIEW, timeout=20)
