"""The outbox sender: the one place that makes outgoing Telegram calls.

It delivers queued calls after their transaction committed, in order per chat, retrying with
Telegram's ``retry_after`` on 429 and with backoff on 5xx, timeouts and dropped connections.
A timeout is ambiguous (Telegram may have delivered), so the row is marked ``maybe_sent``
before the retry; that is the only way a message can arrive twice, and it is counted.

One sender owns delivery: while :meth:`OutboxSender.run` runs, nothing else sends (a flush at
shutdown waits for it instead of sending beside it, which sent a slow message twice), and a
stop lets the calls in flight finish and be recorded but starts no new one. A group Telegram
upgraded to a supergroup moves to its new id, and the message goes there.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import aiosqlite
from telegram import Bot, ForceReply, InlineKeyboardMarkup, InputFile
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot import faultpoints
from bot.clock import Clock, SystemClock
from bot.model import Role
from bot.texts import common as texts
from bot.workflow import Grant
from storage import audit, chats, org, outbox
from storage.db import Database, is_busy

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(seconds=60)
IDLE_POLL_SECONDS = 1.0
HARMLESS_EDIT_ERRORS = (
    "message is not modified",
    "message to edit not found",
    "message can't be edited",
)


class OutboxSender:
    """Delivers the outbox; start it with :meth:`run`, wake it with :meth:`wake`."""

    def __init__(
        self, db: Database, bot: Bot, *, wall: Clock | None = None, concurrency: int = 8
    ) -> None:
        self.db = db
        self.bot = bot
        # Retries are timed by the machine's clock, never by a simulated business clock.
        self.wall = wall or SystemClock()
        self._bell = asyncio.Event()
        self._stopping = False
        self._slots = asyncio.Semaphore(concurrency)
        self.delivered = 0
        self.migrated = 0
        self.idle = asyncio.Event()
        self._running = False

    def wake(self) -> None:
        """Something was queued: look now."""
        self._bell.set()

    def stop(self) -> None:
        """Finish the current round, then return from :meth:`run`."""
        self._stopping = True
        self._bell.set()

    async def run(self) -> None:
        """Deliver until stopped."""
        self._running = True
        try:
            while not self._stopping:
                self._bell.clear()
                try:
                    progressed = await self.deliver_round()
                except Exception:
                    log.exception("outbox round failed")
                    progressed = False
                if progressed:
                    continue
                self.idle.set()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._bell.wait(), IDLE_POLL_SECONDS)
                self.idle.clear()
        finally:
            self._running = False

    async def flush(self, timeout: float) -> bool:
        """Let what is due now be delivered, for up to ``timeout`` seconds; True if nothing
        is left. While :meth:`run` runs it delivers and this only waits: two deliverers would
        both send the head of a chat's queue."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            if self._running:
                self.wake()
                progressed = False
            else:
                progressed = await self.deliver_round()
            if not progressed:
                async with self.db.reading() as conn:
                    left = await outbox.pending(conn, limit=1)
                if not left:
                    return True
                await asyncio.sleep(0.05)
        return False

    async def deliver_round(self) -> bool:
        """Send the due head of each chat's queue; True if anything was attempted."""
        async with self.db.reading() as conn:
            items = await outbox.pending(conn)
        now = self.wall.now()
        queues: OrderedDict[int, list[outbox.OutboxItem]] = OrderedDict()
        for item in items:
            queues.setdefault(item.chat_id, []).append(item)
        due = {
            chat: queue
            for chat, queue in queues.items()
            if not queue[0].unbuilt
            and (queue[0].next_attempt_at is None or queue[0].next_attempt_at <= now)
        }
        if not due:
            return False
        await asyncio.gather(*(self._deliver_chat(queue) for queue in due.values()))
        return True

    async def _deliver_chat(self, queue: list[outbox.OutboxItem]) -> None:
        async with self._slots:
            for item in queue:
                if self._stopping:
                    return  # a stop starts no new call; those in flight finish
                if item.unbuilt:
                    return  # a file still being built: the chat's later calls wait for it
                if item.next_attempt_at is not None and item.next_attempt_at > self.wall.now():
                    return
                if not await self._deliver(item):
                    return  # keep the chat's order: later messages wait for this one

    async def _deliver(self, item: outbox.OutboxItem) -> bool:
        try:
            if item.method == "clearButtons":
                await self._clear_buttons(item)
                message_id = None
            else:
                faultpoints.hit("before_send")
                message_id = await self._call(item)
                faultpoints.hit("after_send")  # delivered, not yet marked: a resend follows
        except RetryAfter as exc:
            delay = exc.retry_after
            seconds = delay.total_seconds() if isinstance(delay, timedelta) else float(delay)
            await self._retry(item, f"429 retry after {seconds}", False, timedelta(seconds=seconds))
            return False
        except TimedOut as exc:
            await self._retry(item, f"timeout: {exc}", True, self._backoff(item))
            return False
        except Forbidden as exc:
            await self._blocked(item, str(exc))
            return False
        except ChatMigrated as exc:
            await self._migrated(item, int(exc.new_chat_id))
            return False  # the chat's queue now has a new id: the next round sends it there
        except BadRequest as exc:
            log.error(
                "outbox %d refused by Telegram: %s (method %s, chat %d)",
                item.id,
                exc.message,
                item.method,
                item.chat_id,
            )

            refusal = exc.message

            async def failed(conn: aiosqlite.Connection) -> None:
                await outbox.mark_failed(conn, item.id, refusal, "failed")

            await self._record(failed)
            return True
        except (NetworkError, TelegramError) as exc:
            await self._retry(item, f"network: {exc}", False, self._backoff(item))
            return False
        # Not flushed to disk: a power cut could undo this mark and so send the message
        # once more, which an ambiguous timeout can do anyway, while a wait for the disk
        # per delivered message would halve how fast the bot answers.
        sent_at = self.wall.now()

        async def sent(conn: aiosqlite.Connection) -> None:
            await outbox.mark_sent(conn, item.id, message_id, sent_at)

        await self._record(sent, flush=False)
        self.delivered += 1
        return True

    async def _record(
        self, work: Callable[[aiosqlite.Connection], Awaitable[None]], *, flush: bool = True
    ) -> None:
        """Write what happened to a call, waiting out a database another process locked.

        The call was made: were its record given up, the message would be sent again. So a
        busy database is waited for (a stop gives it a few more tries, not forever).
        """
        delay, tries_when_stopping = 0.1, 3
        while True:
            try:
                async with self.db.transaction(flush=flush) as conn:
                    await work(conn)
                return
            except Exception as exc:
                if not is_busy(exc) or (self._stopping and tries_when_stopping <= 0):
                    raise
                if self._stopping:
                    tries_when_stopping -= 1
                log.warning("outbox: the database is locked by another process; waiting")
                await asyncio.sleep(delay)
                delay = min(5.0, delay * 2)

    async def _migrated(self, item: outbox.OutboxItem, new_chat_id: int) -> None:
        """Telegram upgraded the group to a supergroup: move it (audited) and its queue."""
        old = item.chat_id
        now = self.wall.now()

        async def move(conn: aiosqlite.Connection) -> None:
            known = await chats.move_group(conn, old, new_chat_id)
            moved = await chats.readdress_pending(conn, old, new_chat_id)
            if not known and not moved:
                return  # moved already (by Telegram's service message, say)
            await audit.record(
                conn,
                at=now,
                person_id=None,
                chat_id=new_chat_id,
                update_id=None,
                action="group_migrated",
                entity="group_chat",
                entity_id=new_chat_id,
                detail={"from": old, "to": new_chat_id, "known": known, "readdressed": moved},
            )

        await self._record(move)
        self.migrated += 1
        log.warning("group %d became supergroup %d; its messages go there now", old, new_chat_id)
        self.wake()

    async def _call(self, item: outbox.OutboxItem) -> int | None:
        payload = item.payload
        markup = self._markup(payload.get("reply_markup"))
        if item.method == "sendMessage":
            sent = await self.bot.send_message(
                payload["chat_id"],
                payload["text"],
                parse_mode=payload.get("parse_mode"),
                reply_markup=markup,
            )
            return sent.message_id
        if item.method in ("sendDocument", "sendPhoto"):
            field = "document" if item.method == "sendDocument" else "photo"
            upload: InputFile | str
            if item.file_data is not None:
                upload = InputFile(item.file_data, filename=item.file_name)
            else:  # a file Telegram holds already (evidence), sent again by its id
                upload = str(payload[field])
            send = self.bot.send_document if item.method == "sendDocument" else self.bot.send_photo
            sent = await send(
                payload["chat_id"],
                upload,
                caption=payload.get("caption"),
                parse_mode=payload.get("parse_mode"),
                reply_markup=markup,
            )
            return sent.message_id
        raise ValueError(f"unknown outbox method {item.method}")

    def _markup(self, markup: dict[str, Any] | None) -> InlineKeyboardMarkup | ForceReply | None:
        if not markup:
            return None
        if "inline_keyboard" in markup:
            return InlineKeyboardMarkup.de_json(markup, self.bot)
        return ForceReply(selective=bool(markup.get("selective")))

    async def _clear_buttons(self, item: outbox.OutboxItem) -> None:
        """Remove the buttons of a message sent earlier in this chat (and append the note).

        The chat's queue is delivered in order, so the original was sent (or given up) before
        this runs; one that was never sent has nothing to clear.
        """
        note = item.payload.get("note")
        async with self.db.reading() as conn:
            original = await outbox.item(conn, int(item.payload["original"]))
        if original is None or original.status != "sent" or original.message_id is None:
            return
        text = f"{original.payload.get('text', '')}\n\n{note}" if note else ""
        try:
            if note and texts.utf16_len(text) <= texts.MAX_MESSAGE_UTF16:
                await self.bot.edit_message_text(
                    text, original.chat_id, original.message_id, parse_mode="HTML"
                )
            else:
                await self.bot.edit_message_reply_markup(original.chat_id, original.message_id)
        except ChatMigrated:
            return  # the old group's messages can no longer be edited: nothing to clear
        except BadRequest as exc:
            if not any(m in exc.message.lower() for m in HARMLESS_EDIT_ERRORS):
                raise

    def _backoff(self, item: outbox.OutboxItem) -> timedelta:
        return min(MAX_BACKOFF, timedelta(seconds=0.25 * 2 ** min(item.attempts, 10)))

    async def _retry(
        self, item: outbox.OutboxItem, error: str, maybe_sent: bool, delay: timedelta
    ) -> None:
        log.warning(
            "outbox %d (%s to %d) will be retried: %s", item.id, item.method, item.chat_id, error
        )
        at: datetime = self.wall.now() + delay

        async def retry(conn: aiosqlite.Connection) -> None:
            await outbox.mark_retry(conn, item.id, at, error, maybe_sent)

        await self._record(retry)

    async def _blocked(self, item: outbox.OutboxItem, error: str) -> None:
        """A person blocked the bot: stop retrying and tell the coordinator instead."""
        log.warning("chat %d blocked the bot; its queued messages are dropped", item.chat_id)
        now = self.wall.now()

        async def blocked(conn: aiosqlite.Connection) -> None:
            await outbox.mark_failed(conn, item.id, error, "failed")
            await outbox.skip_pending_for_chat(conn, item.chat_id, error)
            person = await org.person_by_telegram(conn, item.chat_id)
            if person is None or person.blocked:
                return
            await org.set_blocked(conn, person.id, now)
            for member in await org.holders(conn, Grant(Role.KASUBAG_KPEP), now):
                if member.person.id == person.id:
                    continue
                await outbox.enqueue(
                    conn,
                    chat_id=member.person.telegram_id,
                    method="sendMessage",
                    payload={
                        "chat_id": member.person.telegram_id,
                        "text": texts.person_blocked_bot(person.full_name),
                        "parse_mode": "HTML",
                    },
                    now=now,
                )

        await self._record(blocked)
        self.wake()
