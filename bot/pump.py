"""Our own polling loop: an update is confirmed to Telegram only after its effects committed.

PTB's Updater moves the ``getUpdates`` offset as soon as updates are queued, so a crash while
a handler runs would lose the update. Here the offset moves past an update only after
``process_update`` returned, and every use case records the ``update_id`` in its own
transaction, so an update redelivered after a crash is recognised and skipped.
"""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from collections import deque
from datetime import datetime, timedelta
from typing import Any

from telegram import Update
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import Application

from bot import faultpoints
from bot.clock import Clock, SystemClock
from bot.services.core import Core, Origin
from bot.services.people.onboarding import mark_handled
from storage import health
from storage import updates as updates_store
from storage.db import is_busy

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]
# A handler that met a passing Telegram failure (getFile timing out, say) is run again this
# many times before the person is told it failed; meanwhile later updates wait, so it is few.
MAX_ATTEMPTS = 3
REDELIVER = "redeliver"  # bot_data key: update ids the error handler asked to run again
ATTEMPTS = "attempts"  # bot_data key: how often each update in hand has been run
# The heartbeat costs a transaction, so it is written at most this often, not per update.
HEARTBEAT_EVERY = timedelta(seconds=30)
# A second poller (409) is retried at most this many seconds apart.
CONFLICT_BACKOFF_MAX = 60.0

# The pump fetches getUpdates as raw JSON (see UpdatePump._get_updates) through PTB's public
# do_api_request, which suggests Bot.get_updates instead; that one is what cannot be used.
QUIET = r"Please use 'Bot\.getUpdates'"


class RunAgain(Exception):
    """The update met a passing failure before its use case committed: fetch it again."""


def is_transient(error: BaseException | None) -> bool:
    """A failure of Telegram's that a second try may not meet (not a refusal)."""
    return isinstance(error, RetryAfter) or (
        isinstance(error, NetworkError) and not isinstance(error, BadRequest)
    )


def attempts_of(application: Application, update_id: int) -> int:
    """How often the update has been run so far (this one included)."""
    attempts: dict[int, int] = application.bot_data.setdefault(ATTEMPTS, {})
    return attempts.get(update_id, 0)


def run_again(application: Application, update_id: int, *, counted: bool = True) -> None:
    """Ask the pump not to confirm the update, so it comes back and runs again.

    ``counted=False``: this attempt does not count against :data:`MAX_ATTEMPTS` (a busy
    database is waited out for as long as it takes; nothing is lost meanwhile).
    """
    application.bot_data.setdefault(REDELIVER, set()).add(update_id)
    if not counted:
        attempts: dict[int, int] = application.bot_data.setdefault(ATTEMPTS, {})
        attempts[update_id] = max(0, attempts.get(update_id, 0) - 1)


def origin_of(update: Update) -> Origin:
    """Who, where and which update: the envelope every use case is given."""
    user = update.effective_user
    chat = update.effective_chat
    return Origin(
        telegram_id=user.id if user else 0,
        chat_id=chat.id if chat else (user.id if user else 0),
        update_id=update.update_id,
        full_name=user.full_name if user else "",
        username=user.username if user else None,
        chat_type=chat.type if chat else "private",
        chat_title=(chat.title or "") if chat else "",
        via_button=update.callback_query is not None,
    )


class UpdatePump:
    """Fetches updates, hands each to the Application, then confirms it."""

    def __init__(
        self,
        application: Application,
        core: Core,
        *,
        poll_timeout: int = 10,
        wall: Clock | None = None,
    ) -> None:
        self.application = application
        self.core = core
        self.poll_timeout = poll_timeout
        # The heartbeat is the machine's time, never a simulated business clock.
        self.wall = wall or SystemClock()
        self.offset: int | None = None
        self.handled = 0
        self.skipped = 0
        self.parked = 0
        self._last_beat: datetime | None = None
        self.latencies_ms: deque[float] = deque(maxlen=100_000)
        self._stopping = False
        self._fetch: asyncio.Task[list[dict[str, Any]]] | None = None

    def stop(self) -> None:
        """Stop after the update in hand; an idle long poll is cut short."""
        self._stopping = True
        if self._fetch is not None and not self._fetch.done():
            self._fetch.cancel()

    async def run(self) -> None:
        """Poll until stopped."""
        failures = 0
        conflicts = 0
        while not self._stopping:
            self._fetch = asyncio.ensure_future(self._get_updates())
            try:
                batch = await self._fetch
                failures = conflicts = 0
            except asyncio.CancelledError:
                if self._stopping:
                    break
                raise
            except (InvalidToken, EndPointNotFound) as exc:
                # getUpdates exists: a 401/404 for it means the token was revoked (PTB names
                # that EndPointNotFound once the bot was initialised).
                log.critical("Telegram refused the bot token; polling stops")
                raise InvalidToken(str(exc)) from exc
            except Conflict as exc:
                # Another process polls this token (or a webhook was set on it). Exiting would
                # not help: a supervisor restarts the bot into the same conflict, and the run
                # lock already keeps two bots off one database, so the other poller is
                # elsewhere; retrying with a bounded back-off takes over as soon as it stops.
                conflicts += 1
                await self._conflict(exc, conflicts)
                continue
            except RetryAfter as exc:
                await self._pause(float(_seconds(exc.retry_after)))
                continue
            except (TimedOut, NetworkError) as exc:
                failures += 1
                log.warning("getUpdates failed (%s); retrying", exc)
                await self._pause(min(30.0, 0.5 * 2 ** min(failures, 6)))
                continue
            finally:
                self._fetch = None
            await self._beat()
            for data in batch:
                faultpoints.hit("after_fetch")
                if not await self._take(data):
                    break
                if self._stopping:
                    break
        await self._confirm()

    async def _get_updates(self) -> list[dict[str, Any]]:
        """One long poll, as raw JSON: PTB parses a whole batch at once, so one update it
        cannot read would fail them all (and PTB would log its contents)."""
        kwargs: dict[str, Any] = {"timeout": self.poll_timeout, "allowed_updates": ALLOWED_UPDATES}
        if self.offset is not None:
            kwargs["offset"] = self.offset
        # Set before every call (adding it again replaces it): test runners reset the filters.
        warnings.filterwarnings("ignore", message=QUIET)
        result = await self.application.bot.do_api_request(
            "getUpdates", api_kwargs=kwargs, read_timeout=self.poll_timeout + 10
        )
        return [u for u in result if isinstance(u, dict)] if isinstance(result, list) else []

    async def _take(self, data: dict[str, Any]) -> bool:
        """Parse and handle one update, then confirm it; False to fetch again first."""
        update_id = data.get("update_id")
        if not isinstance(update_id, int):
            log.error("an update without an update id was skipped")
            return True
        update, error = self._parse(data)
        if update is None:
            try:
                await self._park(update_id, data, error)
            except Exception as exc:
                await self._retry_later(update_id, 0, 0, exc)
                return False
            self.offset = update_id + 1
            return True
        try:
            await self.handle(update)
        except RunAgain:
            await self._pause(1.0)
            return False
        except Exception as exc:
            # Storage trouble, say: leave the offset so the update comes back.
            origin = origin_of(update)
            await self._retry_later(update_id, origin.telegram_id, origin.chat_id, exc)
            return False
        self.offset = update_id + 1
        return True

    def _parse(self, data: dict[str, Any]) -> tuple[Update | None, str]:
        """The update, or None and what PTB found wrong with it."""
        try:
            return Update.de_json(data, self.application.bot), ""
        except Exception as exc:  # any shape of JSON PTB cannot read, whatever it raises
            return None, f"{type(exc).__name__}: {exc}"[:500]

    async def _retry_later(
        self, update_id: int, person: int, chat: int, error: BaseException
    ) -> None:
        """Leave the update unconfirmed and pause: it comes back with the next fetch."""
        if is_busy(error):
            log.warning(
                "update %d from person %d in chat %d: the database is locked by another"
                " process; will retry",
                update_id,
                person,
                chat,
            )
        else:
            log.error(
                "update %d from person %d in chat %d could not be handled; will retry",
                update_id,
                person,
                chat,
                exc_info=error,
            )
        await self._pause(1.0)

    async def _park(self, update_id: int, data: dict[str, Any], error: str) -> None:
        """Set an update PTB cannot parse aside (and mark it handled), so polling goes on.

        Only its id and what was wrong are logged: its contents may name people.
        """
        kinds = sorted(k for k in data if k != "update_id")
        log.error(
            "update %d (%s) could not be parsed and was set aside: %s",
            update_id,
            ",".join(kinds) or "empty",
            error.split(":")[0],
        )
        now = self.core.clock.now()
        async with self.core.db.transaction() as conn:
            if await updates_store.mark_processed(conn, update_id, now):
                await health.park(conn, update_id, data, error, now)
        self.parked += 1

    async def _beat(self) -> None:
        """After a successful poll, now and then: the heartbeat ``bot check`` reads."""
        now = self.wall.now()
        if self._last_beat is not None and now - self._last_beat < HEARTBEAT_EVERY:
            return
        try:
            # Not flushed to disk: a heartbeat lost to a power cut is written again soon.
            async with self.core.db.transaction(flush=False) as conn:
                await health.beat(conn, health.POLL, now)
        except Exception as exc:  # a busy database, say: the next poll writes it
            log.info("heartbeat not written: %s", type(exc).__name__)
            return
        self._last_beat = now

    async def _conflict(self, exc: Conflict, count: int) -> None:
        """409: log why (once per episode, then every tenth), delete a webhook, back off."""
        webhook = "webhook" in exc.message.lower()
        if count == 1 or count % 10 == 0:
            if webhook:
                log.error("409 Conflict: a webhook is set on this token; deleting it (%s)", exc)
            else:
                log.error(
                    "409 Conflict: another instance is polling this token; retrying (%s)", exc
                )
        if webhook:
            try:
                await self.application.bot.delete_webhook(drop_pending_updates=False)
            except Exception as error:
                log.warning("deleteWebhook failed: %s", error)
        await self._pause(min(CONFLICT_BACKOFF_MAX, 0.5 * 2 ** min(count, 8)))

    async def handle(self, update: Update) -> None:
        """Process one update unless it was handled before; record its latency."""
        started = time.perf_counter()
        async with self.core.db.reading() as conn:
            seen = await updates_store.is_processed(conn, update.update_id)
        if seen:
            self.skipped += 1
            log.info("update %d was handled before; skipped", update.update_id)
            return
        bot_data = self.application.bot_data
        attempts: dict[int, int] = bot_data.setdefault(ATTEMPTS, {})
        attempts[update.update_id] = attempts.get(update.update_id, 0) + 1
        await self.application.process_update(update)
        redeliver: set[int] = bot_data.setdefault(REDELIVER, set())
        if update.update_id in redeliver:
            redeliver.discard(update.update_id)
            raise RunAgain(f"update {update.update_id} met a passing failure")
        attempts.pop(update.update_id, None)
        # Updates no use case answered (a plain group message, say) are recorded too.
        if self.core.last_marked_update != update.update_id:
            await mark_handled(self.core, origin_of(update))
        self.handled += 1
        self.latencies_ms.append((time.perf_counter() - started) * 1000)

    async def _confirm(self) -> None:
        """Tell Telegram what was handled, so a clean restart gets nothing twice."""
        if self.offset is None:
            return
        try:
            await self.application.bot.get_updates(offset=self.offset, timeout=0, limit=1)
        except Exception as exc:  # best effort: redelivery is harmless, it is deduplicated
            log.info("final offset confirmation failed: %s", exc)

    async def _pause(self, seconds: float) -> None:
        loop = asyncio.get_running_loop()
        end = loop.time() + seconds
        while not self._stopping and loop.time() < end:
            await asyncio.sleep(min(0.2, end - loop.time()))


def _seconds(value: object) -> float:
    total = getattr(value, "total_seconds", None)
    return float(total()) if callable(total) else float(value)  # type: ignore[arg-type]
