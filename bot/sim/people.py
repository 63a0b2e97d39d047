"""Simulated people and groups: they type, tap and upload; tests read what the bot sent."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import Callable
from typing import Any, Protocol

from bot.sim.chats import SimMessage

Predicate = Callable[[SimMessage], bool]
_query_ids = itertools.count(1)


class Switchboard(Protocol):
    """What a simulated chat needs of the simulator (``bot.sim.api.BotApiSimulator``).

    Named here, below the simulator, so that people and groups do not import the server
    that holds them: the server imports them, never the other way round.
    """

    changed: asyncio.Condition
    seq: int

    def chat_messages(self, chat_id: int) -> list[SimMessage]: ...

    def push_update(self, body: dict[str, Any]) -> int: ...

    def person_message(
        self, person: SimPerson, chat: SimPerson | SimGroup, content: dict[str, Any]
    ) -> int: ...

    def person_edit(self, person: SimPerson, message_id: int, text: str) -> int: ...

    def store_file(self, file_name: str, data: bytes, mime_type: str) -> dict[str, Any]: ...


class _Chat:
    """What people and groups share: a chat whose bot messages can be read and awaited."""

    def __init__(self, sim: Switchboard, chat_id: int) -> None:
        self.sim = sim
        self.chat_id = chat_id
        self.cursor = 0

    @property
    def messages(self) -> list[SimMessage]:
        """Messages the bot sent here, in order, as they are now."""
        return [m for m in self.sim.chat_messages(self.chat_id) if m.from_bot]

    @property
    def last(self) -> SimMessage | None:
        """The newest message from the bot that was not deleted."""
        alive = [m for m in self.messages if not m.deleted]
        return alive[-1] if alive else None

    async def wait_for(
        self, predicate: Predicate, timeout: float = 5.0, since: int | None = None
    ) -> SimMessage:
        """The first bot message (new since the last action, or since ``since``) matching."""
        floor = self.cursor if since is None else since
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        async with self.sim.changed:
            while True:
                for message in self.messages:
                    if message.seq > floor and not message.deleted and predicate(message):
                        return message
                left = deadline - loop.time()
                if left <= 0:
                    seen = [m.plain_text[:120] for m in self.messages if m.seq > floor]
                    raise TimeoutError(
                        f"no matching message in chat {self.chat_id} within "
                        f"{timeout}s; received since: {seen}"
                    )
                try:
                    await asyncio.wait_for(self.sim.changed.wait(), left)
                except TimeoutError:
                    continue

    async def wait_for_text(
        self, fragment: str, timeout: float = 5.0, since: int | None = None
    ) -> SimMessage:
        """The first new bot message whose text (HTML or plain) contains ``fragment``."""
        return await self.wait_for(
            lambda m: fragment in m.text or fragment in m.plain_text, timeout, since
        )


class SimGroup(_Chat):
    """A group chat with the bot in it."""

    def __init__(self, sim: Switchboard, chat_id: int, title: str) -> None:
        super().__init__(sim, chat_id)
        self.title = title
        self.kind = "group"  # "supergroup" once Telegram upgraded it (a new chat id)
        self.members: list[SimPerson] = []

    def add(self, person: SimPerson) -> None:
        """Membership is informational: anyone may post in the simulator."""
        self.members.append(person)

    def chat_json(self) -> dict[str, Any]:
        """The Bot API Chat object."""
        return {"id": self.chat_id, "type": self.kind, "title": self.title}


class SimPerson(_Chat):
    """Someone with a private chat with the bot."""

    def __init__(
        self,
        sim: Switchboard,
        user_id: int,
        first_name: str,
        last_name: str | None,
        username: str | None,
    ) -> None:
        super().__init__(sim, user_id)
        self.user_id = user_id
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self.blocked = False
        self.callback_answers: list[tuple[str, str | None, bool]] = []
        self.last_sent_id: int | None = None
        self.taps: set[str] = set()

    @property
    def full_name(self) -> str:
        """First and last name."""
        return f"{self.first_name} {self.last_name}" if self.last_name else self.first_name

    def user_json(self) -> dict[str, Any]:
        """The Bot API User object."""
        user: dict[str, Any] = {"id": self.user_id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        if self.username:
            user["username"] = self.username
        return user

    def chat_json(self) -> dict[str, Any]:
        """The Bot API Chat object of the private chat."""
        chat: dict[str, Any] = {
            "id": self.user_id,
            "type": "private",
            "first_name": self.first_name,
        }
        if self.last_name:
            chat["last_name"] = self.last_name
        return chat

    def _mark(self) -> None:
        self.cursor = self.sim.seq

    async def send(self, text: str) -> int:
        """Type a message in the private chat; returns the update id."""
        self._mark()
        return self.sim.person_message(self, self, {"text": text})

    async def send_in(self, group: SimGroup, text: str) -> int:
        """Type a message in a group."""
        self._mark()
        group.cursor = self.sim.seq
        return self.sim.person_message(self, group, {"text": text})

    async def reply(self, text: str) -> int:
        """Answer the newest ForceReply question (or the newest bot message)."""
        target = next((m for m in reversed(self.messages) if m.force_reply), self.last)
        self._mark()
        extra = {"reply_to_message": target.raw} if target else {}
        return self.sim.person_message(self, self, {"text": text, **extra})

    async def tap(self, label: str, message: SimMessage | None = None, timeout: float = 5.0) -> int:
        """Tap a button by its label (newest message that has it, unless ``message``).

        Like a person, waits (up to ``timeout``) for the button to arrive: the message that
        carries it may still be on its way from the bot's outbox.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        async with self.sim.changed:
            while True:
                candidates = [message] if message else list(reversed(self.messages))
                for candidate in candidates:
                    if candidate is not None and not candidate.deleted:
                        data = candidate.button_data(label)
                        if data is not None:
                            break
                else:
                    left = deadline - loop.time()
                    if left <= 0:
                        raise LookupError(f"{self.full_name} sees no button {label!r}")
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self.sim.changed.wait(), left)
                    continue
                break
        return await self.tap_data(data, candidate)

    async def tap_data(self, data: str, message: SimMessage | None = None) -> int:
        """Press a button with any callback data (forged ones included)."""
        target = message or self.last
        self._mark()
        query_id = str(next(_query_ids))
        query: dict[str, Any] = {
            "id": query_id,
            "from": self.user_json(),
            "chat_instance": str(self.user_id),
            "data": data,
        }
        if target is not None:
            query["message"] = target.raw
        self.taps.add(query_id)
        return self.sim.push_update({"callback_query": query})

    async def upload(
        self,
        file_name: str,
        data: bytes,
        caption: str | None = None,
        mime_type: str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ) -> int:
        """Send a document."""
        self._mark()
        document = self.sim.store_file(file_name, data, mime_type)
        extra: dict[str, Any] = {"document": document}
        if caption:
            extra["caption"] = caption
        return self.sim.person_message(self, self, extra)

    async def send_sticker(self) -> int:
        """Send a sticker (no text)."""
        self._mark()
        sticker = {
            "file_id": "sticker-1",
            "file_unique_id": "s1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        return self.sim.person_message(self, self, {"sticker": sticker})

    async def send_photo(self, data: bytes) -> int:
        """Send a photo."""
        self._mark()
        stored = self.sim.store_file("photo.jpg", data, "image/jpeg")
        size = {k: stored[k] for k in ("file_id", "file_unique_id", "file_size")}
        return self.sim.person_message(self, self, {"photo": [{**size, "width": 10, "height": 10}]})

    async def edit(self, message_id: int | None, text: str) -> int:
        """Edit a message sent earlier (default: the last one)."""
        self._mark()
        return self.sim.person_edit(self, message_id or self.last_sent_id or 0, text)

    async def wait_callback_answer(self, timeout: float = 5.0) -> tuple[str, str | None, bool]:
        """The next answer to one of this person's taps."""
        count = len(self.callback_answers)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        async with self.sim.changed:
            while len(self.callback_answers) <= count:
                left = deadline - loop.time()
                if left <= 0:
                    raise TimeoutError("no callback answer")
                try:
                    await asyncio.wait_for(self.sim.changed.wait(), left)
                except TimeoutError:
                    continue
        return self.callback_answers[count]
