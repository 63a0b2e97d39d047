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
from collections import deque

from telegram import Update
from telegram.error import BadRequest, InvalidToken, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application

from bot import faultpoints
from bot.services.core import Core, Origin
from bot.services.onboarding import mark_handled
from storage import updates as updates_store

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]
# A handler that met a passing Telegram failure (getFile timing out, say) is run again this
# many times before the person is told it failed; meanwhile later updates wait, so it is few.
MAX_ATTEMPTS = 3
REDELIVER = "redeliver"  # bot_data key: update ids the error handler asked to run again
ATTEMPTS = "attempts"  # bot_data key: how often each update in hand has been run


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


def run_again(application: Application, update_id: int) -> None:
    """Ask the pump not to confirm the update, so it comes back and runs again."""
    application.bot_data.setdefault(REDELIVER, set()).add(update_id)


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

    def __init__(self, application: Application, core: Core, *, poll_timeout: int = 10) -> None:
        self.application = application
        self.core = core
        self.poll_timeout = poll_timeout
        self.offset: int | None = None
        self.handled = 0
        self.skipped = 0
        self.latencies_ms: deque[float] = deque(maxlen=100_000)
        self._stopping = False
        self._fetch: asyncio.Task[tuple[Update, ...]] | None = None

    def stop(self) -> None:
        """Stop after the update in hand; an idle long poll is cut short."""
        self._stopping = True
        if self._fetch is not None and not self._fetch.done():
            self._fetch.cancel()

    async def run(self) -> None:
        """Poll until stopped."""
        bot = self.application.bot
        failures = 0
        while not self._stopping:
            self._fetch = asyncio.ensure_future(
                bot.get_updates(
                    offset=self.offset,
                    timeout=self.poll_timeout,
                    allowed_updates=ALLOWED_UPDATES,
                    read_timeout=self.poll_timeout + 10,
                )
            )
            try:
                batch = await self._fetch
                failures = 0
            except asyncio.CancelledError:
                if self._stopping:
                    break
                raise
            except InvalidToken:
                log.critical("Telegram refused the bot token; polling stops")
                raise
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
            for update in batch:
                faultpoints.hit("after_fetch")
                try:
                    await self.handle(update)
                except RunAgain:
                    await self._pause(1.0)
                    break
                except Exception:
                    # Storage trouble, say: leave the offset so the update comes back.
                    origin = origin_of(update)
                    log.exception(
                        "update %d from person %d in chat %d could not be handled; will retry",
                        update.update_id,
                        origin.telegram_id,
                        origin.chat_id,
                    )
                    await self._pause(1.0)
                    break
                self.offset = update.update_id + 1
                if self._stopping:
                    break
        await self._confirm()

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
