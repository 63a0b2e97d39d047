"""The simulator's side of what the bot sends: messages, files, edits and button answers,
checked as Telegram checks them (chat, markup, HTML, lengths), stored in the chats and the
transcript. Mixed into ``BotApiSimulator`` (bot/sim/api.py)."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from bot.sim.chats import (
    EntityError,
    SimFile,
    SimMessage,
    TranscriptEntry,
    check_html,
    html_to_text,
    utf16_len,
)
from bot.sim.faults import ApiError
from bot.sim.live import UPGRADED, LiveFaults
from bot.sim.people import SimGroup, SimPerson


def as_int(value: Any) -> int | None:
    """A Bot API integer parameter (sent as text in forms), or None."""
    try:
        return int(value) if value is not None and value != "" else None
    except (TypeError, ValueError):
        return None


class Outgoing(LiveFaults):
    """The chats and the methods that change them; the server is ``BotApiSimulator``."""

    bot_id: int
    bot_name: str
    bot_username: str
    seq: int
    transcript: list[TranscriptEntry]
    _people: dict[int, SimPerson]
    _groups: dict[int, SimGroup]
    _messages: dict[int, list[SimMessage]]
    _next_message: Counter[int]
    _files: dict[str, SimFile]
    _answered: set[str]

    def chat_messages(self, chat_id: int) -> list[SimMessage]:
        """Every message of a chat (people's and the bot's)."""
        return self._messages.get(chat_id, [])

    def _chat_name(self, chat_id: int) -> str:
        if chat_id in self._people:
            return self._people[chat_id].full_name
        if chat_id in self._groups:
            return self._groups[chat_id].title
        return str(chat_id)

    def _chat_json(self, chat_id: int) -> dict[str, Any]:
        if chat_id in self._people:
            return self._people[chat_id].chat_json()
        return self._groups[chat_id].chat_json()

    def _store(self, chat_id: int, from_bot: bool, text: str = "", **kwargs: Any) -> SimMessage:
        self._next_message[chat_id] += 1
        self.seq += 1
        message = SimMessage(
            self._next_message[chat_id],
            chat_id,
            text,
            from_bot,
            sent_at=time.monotonic(),
            seq=self.seq,
            **kwargs,
        )
        self._messages.setdefault(chat_id, []).append(message)
        return message

    def _bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_name,
            "username": self.bot_username,
        }

    def _target(self, params: dict[str, Any]) -> int:
        chat_id = as_int(params.get("chat_id"))
        moved = self.migrated_to(chat_id) if chat_id is not None else None
        if moved is not None:
            raise ApiError(400, UPGRADED, parameters={"migrate_to_chat_id": moved})
        if chat_id is None or (chat_id not in self._people and chat_id not in self._groups):
            raise ApiError(400, "Bad Request: chat not found")
        person = self._people.get(chat_id)
        if person is not None and person.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat_id

    def _check_markup(self, markup: Any, chat_id: int | None = None) -> dict[str, Any] | None:
        if not markup:
            return None
        for row in markup.get("inline_keyboard", []) if isinstance(markup, dict) else []:
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode()) <= 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                # Telegram opens a Mini App from a private chat's button only.
                if "web_app" in button and chat_id is not None and chat_id not in self._people:
                    raise ApiError(400, "Bad Request: BUTTON_TYPE_INVALID")
        return markup if isinstance(markup, dict) else None

    def _check_text(self, text: str, parse_mode: str | None, limit: int, empty: str) -> None:
        if parse_mode == "HTML":
            try:
                check_html(text)
            except EntityError as exc:
                raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from exc
            text = html_to_text(text)
        if not text.strip() and empty:
            raise ApiError(400, f"Bad Request: {empty}")
        if utf16_len(text) > limit:
            raise ApiError(
                400,
                "Bad Request: message is too long"
                if limit == 4096
                else "Bad Request: message caption is too long",
            )

    def _message_json(self, message: SimMessage) -> dict[str, Any]:
        body: dict[str, Any] = {
            "message_id": message.message_id,
            "date": int(time.time()),
            "chat": self._chat_json(message.chat_id),
            "from": self._bot_user(),
        }
        if message.document is not None:
            body["document"] = {
                "file_id": f"sent-{message.chat_id}-{message.message_id}",
                "file_unique_id": f"s{message.message_id}",
                "file_name": message.document.file_name,
                "file_size": len(message.document.data),
            }
            if message.text:
                body["caption"] = message.text
        elif message.photo is not None:
            body["photo"] = [
                {
                    "file_id": f"photo-{message.message_id}",
                    "file_unique_id": f"p{message.message_id}",
                    "width": 800,
                    "height": 600,
                }
            ]
            if message.text:
                body["caption"] = message.text
        else:
            body["text"] = (
                html_to_text(message.text) if message.parse_mode == "HTML" else message.text
            )
        if message.reply_markup and message.reply_markup.get("inline_keyboard"):
            body["reply_markup"] = message.reply_markup
        message.raw = body
        return body

    def _record_out(self, message: SimMessage, kind: str, prefix: str = "") -> None:
        buttons = tuple(tuple(row) for row in message.buttons)
        text = message.plain_text
        if message.document is not None:
            size = len(message.document.data) // 1024
            text = f"📎 {message.document.file_name} ({size} KB) {text}".strip()
        elif message.photo is not None:
            text = f"🖼️ gambar ({len(message.photo) // 1024} KB) {text}".strip()
        self.transcript.append(
            TranscriptEntry(
                time.time(),
                self._chat_name(message.chat_id),
                "out",
                "bot",
                prefix + text,
                kind,
                buttons,
            )
        )

    async def _m_sendmessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._target(params)
        text = str(params.get("text") or "")
        parse_mode = params.get("parse_mode")
        self._check_text(text, parse_mode, 4096, "message text is empty")
        markup = self._check_markup(params.get("reply_markup"), chat_id)
        message = self._store(chat_id, True, text, reply_markup=markup, parse_mode=parse_mode)
        self._record_out(message, "text")
        return self._message_json(message)

    async def _send_file(self, params: dict[str, Any], field: str) -> dict[str, Any]:
        chat_id = self._target(params)
        upload = params.get(field)
        if isinstance(upload, str) and upload:
            # A file sent again by its file id, as Telegram allows for any file it holds.
            known = self._files.get(upload)
            if known is None:
                raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
            upload = known
        if not isinstance(upload, SimFile):
            raise ApiError(400, f"Bad Request: there is no {field} in the request")
        caption = str(params.get("caption") or "")
        parse_mode = params.get("parse_mode")
        self._check_text(caption, parse_mode, 1024, "")
        markup = self._check_markup(params.get("reply_markup"), chat_id)
        extra: dict[str, Any] = (
            {"document": upload} if field == "document" else {"photo": upload.data}
        )
        message = self._store(
            chat_id, True, caption, reply_markup=markup, parse_mode=parse_mode, **extra
        )
        self._files[f"sent-{chat_id}-{message.message_id}"] = upload
        self._record_out(message, field)
        return self._message_json(message)

    async def _m_senddocument(self, params: dict[str, Any]) -> dict[str, Any]:
        return await self._send_file(params, "document")

    async def _m_sendphoto(self, params: dict[str, Any]) -> dict[str, Any]:
        return await self._send_file(params, "photo")

    def _editable(self, params: dict[str, Any]) -> SimMessage:
        chat_id = self._target(params)
        message_id = as_int(params.get("message_id"))
        for message in self.chat_messages(chat_id):
            if message.message_id == message_id and message.from_bot and not message.deleted:
                return message
        raise ApiError(400, "Bad Request: message to edit not found")

    def _edited(self, message: SimMessage) -> None:
        self.seq += 1
        message.seq = self.seq
        message.edits += 1

    async def _m_editmessagetext(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._editable(params)
        text = str(params.get("text") or "")
        parse_mode = params.get("parse_mode")
        self._check_text(text, parse_mode, 4096, "message text is empty")
        markup = self._check_markup(params.get("reply_markup"))
        if text == message.text and markup == message.reply_markup:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message "
                "content and reply markup are exactly the same as a current content "
                "and reply markup of the message",
            )
        message.text, message.parse_mode, message.reply_markup = text, parse_mode, markup
        self._edited(message)
        self._record_out(message, "edit", "✏️ ")
        return self._message_json(message)

    async def _m_editmessagereplymarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._editable(params)
        markup = self._check_markup(params.get("reply_markup"))
        if markup == message.reply_markup or (not markup and not message.buttons):
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message "
                "content and reply markup are exactly the same as a current content "
                "and reply markup of the message",
            )
        message.reply_markup = markup
        self._edited(message)
        return self._message_json(message)

    async def _m_deletemessage(self, params: dict[str, Any]) -> bool:
        message = self._editable(params)
        message.deleted = True
        self._edited(message)
        return True

    async def _m_answercallbackquery(self, params: dict[str, Any]) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        if query_id in self._answered or not query_id:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self._answered.add(query_id)
        person = self._query_person(query_id)
        if person is not None:
            person.callback_answers.append(
                (query_id, params.get("text"), str(params.get("show_alert")).lower() == "true")
            )
        return True

    def _query_person(self, query_id: str) -> SimPerson | None:
        for person in self._people.values():
            if query_id in person.taps:
                return person
        return None

    async def _m_getfile(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = str(params.get("file_id") or "")
        stored = self._files.get(file_id)
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        suffix = stored.file_name.rsplit(".", 1)[-1] if "." in stored.file_name else "bin"
        return {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_size": len(stored.data),
            "file_path": f"documents/{file_id}.{suffix}",
        }
