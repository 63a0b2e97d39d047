"""Who a use case acts for: the request's origin and the registered caller.

Below both the unit of work (:mod:`bot.services.core`) and its log line
(:mod:`bot.services.uselog`), so that the log line can name the person without importing
the unit of work that writes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.model import Role
from bot.workflow import Actor
from storage import org


@dataclass(frozen=True, slots=True)
class Origin:
    """Who caused this use case, from which chat, through which update."""

    telegram_id: int
    chat_id: int
    update_id: int | None
    full_name: str = ""
    username: str | None = None
    chat_type: str = "private"
    chat_title: str = ""
    via_button: bool = False  # a button press: its answer pop-up is the reply to a stale tap
    # A request from the Mini App (bot/web/): what a use case says back goes to the page,
    # not to the chat, so the page can show it in place.
    via_webapp: bool = False

    @property
    def in_group(self) -> bool:
        """Whether the message came from a group chat."""
        return self.chat_type in ("group", "supergroup")


@dataclass(frozen=True, slots=True)
class Caller:
    """A registered person acting now, with their grants."""

    person: org.Person
    actor: Actor

    def holds(self, role: Role, unit_code: str | None = None) -> bool:
        """Shortcut for ``actor.holds``."""
        return self.actor.holds(role, unit_code)
