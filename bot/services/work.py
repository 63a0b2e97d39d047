"""The open transaction of one use case: the messages it queues, the buttons, the audit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

import aiosqlite

from bot.services.config import Config
from bot.services.who import Caller, Origin
from bot.texts import common as texts
from bot.texts.fit import PHONE_LIMIT
from bot.workflow import Grant
from storage import audit, deferred, org, outbox

Button = tuple[str, str]  # (label, callback data)


class WebAppButton(NamedTuple):
    """A button that opens the Mini App at ``url`` instead of sending callback data.

    Telegram accepts such buttons in private chats only.
    """

    label: str
    url: str


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
        """Record a change in the audit log; one made from the Mini App's page says so (its
        chat is the person's own, as for a message typed there)."""
        self.changes.append((action, entity, None if entity_id is None else str(entity_id)))
        if self.origin is not None and self.origin.via_webapp:
            detail = {**(detail or {}), "via": "webapp"}
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
