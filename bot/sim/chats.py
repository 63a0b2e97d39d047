"""The simulator's records: messages as people see them, transcript entries, HTML checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The checker lives in its own module (the texts' tests use it too); re-exported here.
from bot.sim.telegram_html import (  # noqa: F401
    ALLOWED_TAGS,
    EntityError,
    check_html,
    html_to_text,
)


def utf16_len(text: str) -> int:
    """Telegram counts UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class SimFile:
    """A file sent by the bot or uploaded by a person."""

    file_name: str
    data: bytes
    mime_type: str = "application/octet-stream"


@dataclass
class SimMessage:
    """A message in a chat, in its current state (edits applied)."""

    message_id: int
    chat_id: int
    text: str = ""
    from_bot: bool = True
    reply_markup: dict[str, Any] | None = None
    parse_mode: str | None = None
    document: SimFile | None = None
    photo: bytes | None = None
    deleted: bool = False
    edits: int = 0
    sent_at: float = 0.0
    seq: int = 0
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def force_reply(self) -> bool:
        """Whether the bot asked for a reply to this message."""
        return bool(self.reply_markup and self.reply_markup.get("force_reply"))

    @property
    def buttons(self) -> list[list[str]]:
        """Labels of the inline keyboard, by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [[b.get("text", "") for b in row] for row in rows]

    def button_data(self, label: str) -> str | None:
        """The callback data behind a label."""
        for row in (self.reply_markup or {}).get("inline_keyboard") or []:
            for button in row:
                if button.get("text") == label:
                    return str(button.get("callback_data"))
        return None

    @property
    def plain_text(self) -> str:
        """The text as a person reads it."""
        return html_to_text(self.text) if self.parse_mode == "HTML" else self.text


@dataclass(frozen=True)
class TranscriptEntry:
    """One line of the conversation, for the demo's transcript."""

    at: float
    chat: str
    direction: str  # "in" (person → bot) or "out" (bot → chat)
    who: str
    text: str
    kind: str = "text"
    buttons: tuple[tuple[str, ...], ...] = ()


def render_transcript(entries: list[TranscriptEntry]) -> str:
    """A readable chat log."""
    lines = []
    for entry in entries:
        if entry.direction == "in":
            head = f"[{entry.who} → bot{'' if entry.chat == entry.who else ' @ ' + entry.chat}]"
        else:
            head = f"[bot → {entry.chat}]"
        body = entry.text.strip().replace("\n", "\n    ")
        lines.append(f"{head} {body}")
        for row in entry.buttons:
            lines.append("    " + " ".join(f"[ {label} ]" for label in row))
    return "\n".join(lines)
