"""The unit of work every use case runs in, and what it can do inside the transaction.

One use case = one ``BEGIN IMMEDIATE`` transaction that also records the Telegram update it
answers (so a redelivered update has no second effect) and queues every outgoing message in
the outbox (so nothing is sent unless the change it reports was committed).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import aiosqlite

from bot import faultpoints
from bot.calendar import WorkingCalendar
from bot.clock import Clock, FakeClock
from bot.offload import Offload
from bot.services import uselog
from bot.services.who import Caller, Origin
from bot.texts import common as texts
from bot.texts.fit import PHONE_LIMIT
from bot.workflow import STEP_STANDARDS, Grant, Step
from storage import audit, deferred, org, outbox, updates
from storage.db import Database, connect

log = logging.getLogger(__name__)

Button = tuple[str, str]  # (label, callback data)


class WebAppButton(NamedTuple):
    """A button that opens the Mini App at ``url`` instead of sending callback data.

    Telegram accepts such buttons in private chats only.
    """

    label: str
    url: str


class AlreadyHandled(Exception):
    """The update was handled before (a redelivery after a crash): do nothing."""


@dataclass(slots=True)
class Outcome:
    """What the handler still has to do after the commit: the text of a callback answer."""

    toast: str | None = None
    alert: bool = False


@dataclass
class Config:
    """Settings of one running bot."""

    agency_name: str = "Dinas Tenaga Kerja"
    place: str = ""
    # The coordinator's title as the agency writes it (empty: the SOP's); the worker processes
    # get it with the config, since texts keep it per process (texts.set_titles).
    coordinator_title: str = ""
    coordinator_short: str = ""
    bot_username: str = "kinerja_bot"
    invite_ttl: timedelta = timedelta(days=7)
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    max_text_chars: int = 4000
    # The Mini App's public HTTPS address (KINERJA_WEBAPP_URL); empty: no web front, and
    # chat offers no button that opens it.
    webapp_url: str = ""


def webapp_link(config: Config, **query: str | int) -> str:
    """The Mini App's address with ``query`` added (which page to open): Telegram keeps the
    query and puts its launch data in the fragment."""
    parts = urlsplit(config.webapp_url)
    pairs = parse_qsl(parts.query, keep_blank_values=True) + [(k, str(v)) for k, v in query.items()]
    return urlunsplit(parts._replace(query=urlencode(pairs)))


def keyboard(rows: Sequence[Sequence[Button]]) -> dict[str, Any]:
    """An inline keyboard as the Bot API expects it."""
    return {
        "inline_keyboard": [
            [
                {"text": b.label, "web_app": {"url": b.url}}
                if isinstance(b, WebAppButton)
                else {"text": b[0], "callback_data": b[1]}
                for b in row
            ]
            for row in rows
            if row
        ]
    }


# What clear_buttons may append to a tagged message: a note of who acted, and when.
NOTE_ROOM = 200


class Work:
    """The open transaction of one use case."""

    def __init__(
        self,
        conn: aiosqlite.Connection,
        now: datetime,
        origin: Origin | None,
        config: Config | None = None,
    ) -> None:
        self.conn = conn
        self.now = now
        self.origin = origin
        self.config = config or Config()  # the running bot's settings (fallbacks, limits)
        self.queued = 0
        # Files queued as recipes and documents taken in: work for after the commit.
        self.background = 0
        # For the use case's log line (bot/services/uselog.py): who acted (set by caller())
        # and the changes audited, as (action, entity, entity id).
        self.who: Caller | None = None
        self.changes: list[tuple[str, str, str | None]] = []
        self.use_case = ""  # e.g. "review.approve"; a dispatcher may name the step it ran
        self.refused: str | None = None  # why the request was refused ("role", "stale", ...)
        # What the use case said back to a Mini App request (HTML, as chat would show it).
        self.replies: list[str] = []
        self.stamped: set[int] = set()  # chats whose request got a note (clear_buttons)

    async def say(
        self,
        chat_id: int,
        text: str,
        buttons: Sequence[Sequence[Button]] | None = None,
        *,
        tag: str | None = None,
        force_reply: bool = False,
        key: str | None = None,
        whole: bool = False,
    ) -> None:
        """Queue a message (split into parts a phone shows whole; buttons go with the last).

        ``whole``: a text to copy, edit and send back as one reply stays one message up to
        Telegram's limit; split for a phone, only the part replied to would come back."""
        if texts.ADDRESS in text:  # spoken to its reader: Bapak or Ibu, as this person is
            text = texts.spoken(text, await org.sapaan_of_chat(self.conn, chat_id))
        # A tagged message may later get a note appended when its buttons are cleared
        # ("Diteruskan oleh …"): its parts leave room for one, so it still fits a phone.
        if whole:
            parts = texts.split_message(text)
        else:
            parts = texts.split_message(text, PHONE_LIMIT - NOTE_ROOM if tag else PHONE_LIMIT)
        for index, part in enumerate(parts):
            payload: dict[str, Any] = {"chat_id": chat_id, "text": part, "parse_mode": "HTML"}
            last = index == len(parts) - 1
            if last and buttons:
                payload["reply_markup"] = keyboard(buttons)
            elif last and force_reply:
                payload["reply_markup"] = {"force_reply": True, "selective": True}
            part_key = f"{key}#{index}" if key else None
            await self._enqueue(
                chat_id, "sendMessage", payload, tag=tag if last else None, key=part_key
            )

    async def reply(
        self,
        text: str,
        buttons: Sequence[Sequence[Button]] | None = None,
        *,
        tag: str | None = None,
        force_reply: bool = False,
        whole: bool = False,
    ) -> None:
        """Queue a message to the chat the request came from (a Mini App request: keep it
        for the page, which shows it in place)."""
        assert self.origin is not None, "reply needs an origin chat"
        if self.origin.via_webapp:
            self.replies.append(text)
            return
        await self.say(
            self.origin.chat_id, text, buttons, tag=tag, force_reply=force_reply, whole=whole
        )

    async def acknowledge(self, text: str) -> None:
        """A receipt of the person's own action, unless the request they acted on was just
        stamped in this chat (:meth:`clear_buttons`' note says it already: nobody is told of
        their own action twice). A Mini App page still gets it, to show in place."""
        assert self.origin is not None, "acknowledge needs an origin chat"
        if not self.origin.via_webapp and self.origin.chat_id in self.stamped:
            return
        await self.reply(text)

    async def send_built(
        self,
        chat_id: int,
        method: str,
        recipe: dict[str, Any],
        caption: str = "",
        *,
        tag: str | None = None,
    ) -> None:
        """Queue a file (``sendDocument``/``sendPhoto``) to be built after the commit.

        Building a report or a chart takes CPU seconds: done here it would hold the write
        lock and the event loop, and everyone would wait. The outbox keeps the recipe
        (``bot.services.files.recipes``); ``bot.services.files.building`` builds it off the
        loop, and the chat's later messages wait for it, so the order a person sees does not change.
        """
        payload = {"chat_id": chat_id, "caption": caption[:1000], "parse_mode": "HTML"}
        await self._enqueue(chat_id, method, payload, tag=tag, recipe=recipe)
        self.background += 1

    async def send_file_id(
        self, chat_id: int, method: str, file_id: str, caption: str = ""
    ) -> None:
        """Queue a file Telegram already holds (``sendDocument``/``sendPhoto``), sent again by
        its file id: the bytes never pass through the bot, its database or its backups."""
        field = "photo" if method == "sendPhoto" else "document"
        payload = {"chat_id": chat_id, field: file_id, "caption": caption[:1000]}
        payload["parse_mode"] = "HTML"
        await self._enqueue(chat_id, method, payload)

    async def defer(self, kind: str, period: Any, args: dict[str, Any]) -> None:
        """Queue a step's messages that need the figures (``bot.services.files.recipes``), to be
        written after the commit from figures computed off the loop, while ``period`` (a
        ``storage.periods.Period``) stays at its present version."""
        await deferred.add(self.conn, kind, period.id, period.version, args, self.now)
        self.background += 1

    async def clear_buttons(self, tag: str, note: str | None = None) -> None:
        """Queue the removal of the buttons of every message queued so far with ``tag``.

        With ``note``, the message text is replaced by it (e.g. "Disetujui oleh …"), so
        a stale button can no longer be pressed and the chat shows what happened. Each
        removal joins the queue of the chat its message went to, behind that message, so it
        never overtakes it; a message tagged later (a new request) keeps its buttons.
        The note goes on the first such message of each chat only (the request): its reminders
        just lose their buttons, so nobody reads of the same decision twice.
        """
        noted: set[int] = set()
        for original_id, chat_id in await outbox.claim_tagged(self.conn, tag):
            payload: dict[str, Any] = {"original": original_id}
            if note and chat_id not in noted:
                payload["note"] = note
                noted.add(chat_id)
                self.stamped.add(chat_id)
            await self._enqueue(chat_id, "clearButtons", payload)

    async def notify(
        self,
        grant: Grant,
        text: str,
        buttons: Sequence[Sequence[Button]] | None = None,
        *,
        tag: str | None = None,
    ) -> int:
        """Queue a message to everyone holding ``grant`` now; return how many."""
        holders = await org.holders(self.conn, grant, self.now)
        seen: set[int] = set()
        for member in holders:
            if member.person.telegram_id in seen:
                continue
            seen.add(member.person.telegram_id)
            await self.say(member.person.telegram_id, text, buttons, tag=tag)
        return len(seen)

    async def post_group(self, text: str) -> bool:
        """Queue a post to the agency group, if one is registered."""
        chat_id = await org.agency_group(self.conn)
        if chat_id is None:
            return False
        await self.say(chat_id, text)
        return True

    async def post_group_built(self, method: str, recipe: dict[str, Any], caption: str) -> bool:
        """Queue a file to be built (see :meth:`send_built`) to the agency group, if any."""
        chat_id = await org.agency_group(self.conn)
        if chat_id is None:
            return False
        await self.send_built(chat_id, method, recipe, caption)
        return True

    async def audit(
        self,
        action: str,
        entity: str,
        entity_id: str | int | None = None,
        detail: dict[str, Any] | None = None,
        person_id: int | None = None,
    ) -> None:
        """Record a change in the audit log."""
        self.changes.append((action, entity, None if entity_id is None else str(entity_id)))
        await audit.record(
            self.conn,
            at=self.now,
            person_id=person_id,
            chat_id=self.origin.chat_id if self.origin else None,
            update_id=self.origin.update_id if self.origin else None,
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=detail,
        )

    async def _enqueue(
        self, chat_id: int, method: str, payload: dict[str, Any], **kwargs: Any
    ) -> None:
        await outbox.enqueue(
            self.conn, chat_id=chat_id, method=method, payload=payload, now=self.now, **kwargs
        )
        self.queued += 1


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
