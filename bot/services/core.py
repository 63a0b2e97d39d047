"""The unit of work every use case runs in (what it can do inside: ``bot.services.work``).

One use case = one ``BEGIN IMMEDIATE`` transaction that also records the Telegram update it
answers (so a redelivered update has no second effect) and queues every outgoing message in
the outbox (so nothing is sent unless the change it reports was committed).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot import faultpoints
from bot.clock import Clock, FakeClock
from bot.offload import Offload
from bot.services import uselog
from bot.services.config import Config
from bot.services.who import Caller, Origin
from bot.services.work import Work
from bot.texts import common as texts
from bot.workflow import STEP_STANDARDS, Step
from storage import org, updates
from storage.db import Database, connect

log = logging.getLogger(__name__)


class AlreadyHandled(Exception):
    """The update was handled before (a redelivery after a crash): do nothing."""


@dataclass(slots=True)
class Outcome:
    """What the handler still has to do after the commit: the text of a callback answer."""

    toast: str | None = None
    alert: bool = False


class Core:
    """What every use case needs: the database, the clock, the settings, the sender's bell."""

    def __init__(self, db: Database, clock: Clock, config: Config) -> None:
        self.db = db
        self.clock = clock
        self.config = config
        self._wake: Callable[[], None] = lambda: None
        self._background: Callable[[], None] = lambda: None
        # Where CPU-heavy work runs (parsing, building files): a thread unless the running
        # bot gives it worker processes (bot.app.Runtime).
        self.offload = Offload()
        # The newest update a committed use case marked as handled: the pump need not mark it.
        self.last_marked_update: int | None = None

    def on_queued(self, wake: Callable[[], None]) -> None:
        """Register the outbox sender's wake-up call."""
        self._wake = wake

    def on_background(self, wake: Callable[[], None]) -> None:
        """Register the wake-up call of the background work (files to build, to check)."""
        self._background = wake

    def wake_sender(self) -> None:
        """Something is ready to send (a file was built)."""
        self._wake()

    def now(self) -> datetime:
        """The current instant."""
        return self.clock.now()

    def standard(self, step: Step) -> timedelta:
        """A step's time standard as working time ("1 hari" is one working day)."""
        standard = STEP_STANDARDS[step]
        if standard.is_days():
            return self.config.calendar.working_day_length * standard.working_days
        return standard.duration

    async def current_period_label(self) -> str:
        """The open period as ``#id Triwulan …`` (for log lines), or ``-``; never raises."""
        from storage import periods

        try:
            async with self.db.reading() as conn:
                period = await periods.current_period(conn)
        except Exception:  # a log line must not fail because the database did
            return "?"
        return f"#{period.id} {period.label}" if period else "-"

    @asynccontextmanager
    async def work(self, origin: Origin | None) -> AsyncIterator[Work]:
        """Run one use case: a transaction that also marks the origin's update as handled.

        Every use case ends with one log line (bot/services/uselog.py): who, what, which
        period and unit, and the outcome.
        """
        use_case = uselog.use_case_name()
        work: Work | None = None
        where = ("-", "-")
        try:
            async with self.db.transaction() as conn:
                now = self.clock.now()
                if (
                    origin is not None
                    and origin.update_id is not None
                    and not await updates.mark_processed(conn, origin.update_id, now)
                ):
                    raise AlreadyHandled(origin.update_id)
                work = Work(conn, now, origin, self.config)
                work.use_case = use_case
                yield work
                if uselog.log.isEnabledFor(uselog.level(origin, work)):
                    if work.who is None and origin is not None:
                        # A use case in the background (a document's check) acts for a
                        # person without asking who they are: the line names them all the same.
                        work.who = await uselog.registered(work.conn, origin.telegram_id, now)
                    where = await uselog.subject(work)
                faultpoints.hit("before_commit")  # everything done and written, nothing durable
        except AlreadyHandled:
            uselog.write(use_case, origin, None, where, "already handled (a redelivery)")
            raise
        except BaseException as exc:
            name = work.use_case if work else use_case
            uselog.write(name, origin, work, where, f"failed ({type(exc).__name__})")
            raise
        assert work is not None
        uselog.write(work.use_case, origin, work, where, uselog.outcome(work))
        faultpoints.hit("after_commit")  # durable, but its messages not yet sent
        if origin is not None and origin.update_id is not None:
            self.last_marked_update = origin.update_id
        if work.background:
            self._background()
        if work.queued:
            self._wake()


async def caller(work: Work) -> Caller | None:
    """The registered person behind the origin, or None (after queuing a polite refusal)."""
    assert work.origin is not None
    person = await org.person_by_telegram(work.conn, work.origin.telegram_id)
    if person is None:
        work.refused = "not registered"
        if not work.origin.in_group:
            await work.reply(texts.NOT_REGISTERED)
        return None
    if person.blocked:
        # They are writing to us, so they unblocked the bot.
        await org.set_blocked(work.conn, person.id, None)
    work.who = Caller(person, await org.actor(work.conn, person, work.now))
    return work.who


@asynccontextmanager
async def core_on_file(path: str, now: datetime, config: Config) -> AsyncIterator[Core]:
    """In a worker process: a Core on the database file, opened as a second reader (WAL lets
    it read beside the bot's connection), with a clock stopped at ``now``, the moment the bot
    asked, so what is made there says when it was asked for."""
    texts.set_zone(config.calendar.tz)  # a worker process starts with the default zone
    texts.set_titles(config.coordinator_title, config.coordinator_short)  # and the SOP's titles
    conn = await connect(path)
    try:
        yield Core(Database(conn, path), FakeClock(now), config)
    finally:
        await conn.close()
