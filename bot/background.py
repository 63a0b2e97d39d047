"""Work for after the commit, off the update pump: files to build, documents to check,
and the messages of a step that carry the analysis.

The pump handles one update at a time, so nothing slow may happen there: a use case that
needs a report or a chart queues a recipe (``Work.send_built``), a document is queued in the
intake (``bot.services.files.uploads.received``), and a step that needs the agency's figures
queues its messages (``Work.defer``); each queue is worked here by a task of its own (a long
upload does not hold up a report), with the CPU work in worker processes (``bot.offload``).
The queues are in the database: what a crash interrupts is done after the restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot.clock import Clock, SystemClock
from bot.offload import worker_died
from bot.pump import is_transient
from bot.services.analysis import analysed
from bot.services.core import Core
from bot.services.files import building, upload_failed, uploads
from storage import intake
from storage.db import is_busy

log = logging.getLogger(__name__)

IDLE_POLL_SECONDS = 1.0
# A document that cannot be fetched (Telegram unreachable) is tried this often, with a
# growing pause, before its sender is told to send it again.
MAX_FETCH_ATTEMPTS = 6
# A check whose worker process dies (killed, out of memory) is tried again this often in all:
# once or twice is the machine's doing, three times on the same document is the document's.
MAX_WORKER_DEATHS = 3


class Background:
    """The builder and the intake; start with :meth:`run`, wake with :meth:`wake`."""

    def __init__(self, core: Core, fetch: uploads.Fetch, *, wall: Clock | None = None) -> None:
        self.core = core
        self.fetch = fetch
        self.wall = wall or SystemClock()
        self._bells = {name: asyncio.Event() for name in ("builder", "intake", "analysed")}
        self._stopping = False
        self.built = 0
        self.checked = 0

    def wake(self) -> None:
        """Something was queued: look now."""
        for bell in self._bells.values():
            bell.set()

    def stop(self) -> None:
        """Finish what is in hand, start nothing new."""
        self._stopping = True
        self.wake()

    async def run(self) -> None:
        """Build and check until stopped."""
        await asyncio.gather(
            self._loop("builder", self._build_round),
            self._loop("intake", self._intake_round),
            self._loop("analysed", self._analysed_round),
        )

    async def drain(self) -> None:
        """Build and check everything queued now, then return (the command line's way, and
        the service-level tests'; the running bot uses :meth:`run`)."""
        while (
            await self._analysed_round() or await self._build_round() or await self._intake_round()
        ):
            pass

    async def _loop(self, name: str, round_: Callable[[], Awaitable[bool]]) -> None:
        bell = self._bells[name]
        while not self._stopping:
            bell.clear()
            try:
                progressed = await round_()
            except Exception as exc:
                if is_busy(exc):
                    log.warning("%s: the database is locked by another process; waiting", name)
                else:
                    log.exception("%s round failed", name)
                progressed = False
            if progressed:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(bell.wait(), IDLE_POLL_SECONDS)

    async def _build_round(self) -> bool:
        built = await building.build_pending(self.core, self.wall)
        self.built += built
        return built > 0

    async def _analysed_round(self) -> bool:
        return await analysed.write_next(self.core, self.wall)

    async def _intake_round(self) -> bool:
        """Check the oldest document that is due; True if one was."""
        async with self.core.db.reading() as conn:
            waiting = await intake.waiting(conn)
        now = self.wall.now()
        for received in waiting:
            if received.next_attempt_at is not None and received.next_attempt_at > now:
                continue
            try:
                await uploads.check(self.core, received, self.fetch)
                self.checked += 1
            except Exception as exc:
                await self._failed(received, exc)
            return True
        return False

    async def _failed(self, received: intake.Received, error: Exception) -> None:
        """A passing failure is tried again later; anything else is told to the sender."""
        busy = is_busy(error)  # another process holds the database: waited out, not counted
        died = worker_died(error)
        if (
            busy
            or (died and received.worker_deaths + 1 < MAX_WORKER_DEATHS)
            or (not died and is_transient(error) and received.attempts + 1 < MAX_FETCH_ATTEMPTS)
        ):
            tries = received.attempts + received.worker_deaths
            delay = timedelta(seconds=min(60.0, 2.0 * 2**tries))
            log.warning(
                "document %d of person %d could not be checked yet (%s); retrying in %s",
                received.id,
                received.telegram_id,
                "its worker process died" if died else type(error).__name__,
                delay,
            )
            async with self.core.db.transaction() as conn:
                await intake.retry_later(
                    conn,
                    received.id,
                    self.wall.now() + delay,
                    type(error).__name__,
                    counted=not busy and not died,
                    died=died,
                )
            return
        if isinstance(error, MemoryError):
            # The file made its worker reach its memory limit (bot.offload): the same file
            # would do so again, so it is refused at once; the worker and the bot live on.
            log.warning(
                "document %d of person %d exhausted its worker's memory; refused",
                received.id,
                received.telegram_id,
            )
            await upload_failed.give_up(self.core, received, out_of_memory=True)
            return
        log.error(
            "document %d of person %d could not be checked%s; its sender is told",
            received.id,
            received.telegram_id,
            f" (its worker process died {MAX_WORKER_DEATHS} times)" if died else "",
            exc_info=None if died else error,
        )
        deaths = MAX_WORKER_DEATHS if died else 0
        await upload_failed.give_up(self.core, received, worker_deaths=deaths)
