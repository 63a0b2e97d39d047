"""Updates in: the simulated people and groups, what they post, edit and upload, queued for
``getUpdates``. Mixed into ``BotApiSimulator`` (bot/sim/api.py)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from typing import Any

from bot.sim.chats import SimFile, TranscriptEntry
from bot.sim.faults import ApiError
from bot.sim.live import OTHER_POLLER
from bot.sim.outgoing import Outgoing, as_int
from bot.sim.people import SimGroup, SimPerson


class Incoming(Outgoing):
    """The people, groups and files, and the update queue the bot polls (the ``Switchboard``
    that bot/sim/people.py names); the server is ``BotApiSimulator``."""

    changed: asyncio.Condition
    _updates: list[dict[str, Any]]
    _update_ids: itertools.count[int]
    _new_update: asyncio.Event
    _file_ids: itertools.count[int]
    _user_ids: itertools.count[int]
    _group_ids: itertools.count[int]

    def person(
        self,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        user_id: int | None = None,
    ) -> SimPerson:
        """A new person with a private chat."""
        uid = user_id or next(self._user_ids)
        person = SimPerson(self, uid, first_name, last_name, username)
        self._people[uid] = person
        return person

    def group(self, title: str) -> SimGroup:
        """A new group with the bot in it."""
        chat_id = -1_000_000 - next(self._group_ids)
        group = SimGroup(self, chat_id, title)
        self._groups[chat_id] = group
        return group

    def push_update(self, body: dict[str, Any]) -> int:
        """Queue an update for getUpdates; returns its id."""
        update_id = next(self._update_ids)
        self._updates.append({"update_id": update_id, **body})
        self._new_update.set()
        return update_id

    def person_message(
        self, person: SimPerson, chat: SimPerson | SimGroup, content: dict[str, Any]
    ) -> int:
        """A person posts in a chat: stored, transcribed, and queued as an update."""
        message = self._store(chat.chat_id, from_bot=False, text=content.get("text", ""))
        raw: dict[str, Any] = {
            "message_id": message.message_id,
            "date": int(time.time()),
            "chat": chat.chat_json(),
            "from": person.user_json(),
            **content,
        }
        text = content.get("text", "")
        if text.startswith("/"):
            length = len(text.split()[0])
            raw["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        message.raw = raw
        person.last_sent_id = message.message_id
        kind = next((k for k in ("document", "sticker", "photo") if k in content), "text")
        shown = text or (
            f"📎 {content['document']['file_name']}" if kind == "document" else f"<{kind}>"
        )
        self.transcript.append(
            TranscriptEntry(
                time.time(), self._chat_name(chat.chat_id), "in", person.full_name, shown, kind
            )
        )
        return self.push_update({"message": raw})

    def person_edit(self, person: SimPerson, message_id: int, text: str) -> int:
        """A person edits a message they sent."""
        raw = next(
            (
                m.raw
                for m in self.chat_messages(person.chat_id)
                if m.message_id == message_id and not m.from_bot
            ),
            None,
        )
        body = dict(
            raw
            or {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": person.chat_json(),
                "from": person.user_json(),
            }
        )
        body.update({"text": text, "edit_date": int(time.time())})
        return self.push_update({"edited_message": body})

    def store_file(self, file_name: str, data: bytes, mime_type: str) -> dict[str, Any]:
        """Keep an uploaded file; returns its Bot API Document object."""
        number = next(self._file_ids)
        file_id = f"file-{number}"
        self._files[file_id] = SimFile(file_name, data, mime_type)
        return {
            "file_id": file_id,
            "file_unique_id": f"u{number}",
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": len(data),
        }

    async def _m_getupdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = as_int(params.get("offset"))
        if offset is not None:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        limit = as_int(params.get("limit")) or 100
        timeout = float(params.get("timeout") or 0)
        generation = self.begin_poll()
        self._new_update.set()  # wakes a poll still waiting: this one ends it (409)
        if not self._updates and timeout > 0:
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), timeout)
        if self.superseded(generation):
            raise ApiError(409, OTHER_POLLER)
        allowed = params.get("allowed_updates")
        pending = [u for u in self._updates if not allowed or any(k in u for k in allowed)]
        return pending[:limit]
