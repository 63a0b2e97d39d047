"""Telegram's behaviour that a live bot meets outside a happy path, for the simulator.

Modelled as Telegram answers (checked against the Bot API documentation and its error texts):

- a webhook set on the token makes ``getUpdates`` answer 409 "can't use getUpdates method
  while webhook is active" until ``deleteWebhook`` (whose ``drop_pending_updates`` is kept);
- a second poller: a ``getUpdates`` arriving while another waits ends the waiting one with
  409 "terminated by other getUpdates request"; :meth:`LiveFaults.rival` makes an outside
  poller that keeps doing so;
- a group upgraded to a supergroup: sending to the old id answers 400 with
  ``parameters.migrate_to_chat_id``; the group lives on under its new id;
- a revoked token: every call answers 401 Unauthorized;
- an update that python-telegram-bot cannot parse (:meth:`LiveFaults.push_unparseable`).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.sim.people import SimGroup, SimPerson

WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to "
    "delete the webhook first"
)
OTHER_POLLER = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running"
)
UPGRADED = "Bad Request: group chat was upgraded to a supergroup chat"


class LiveFaults:
    """State and answers of the live-bot faults; mixed into the simulator."""

    webhook_url: str = ""
    webhook_deletes: list[bool]  # drop_pending_updates of every deleteWebhook
    revoked: bool = False
    rival_active: bool = False
    conflicts: int = 0
    poll_generation: int = 0
    migrated: dict[int, int]  # old group id -> new supergroup id

    def _live_init(self) -> None:
        self.webhook_deletes = []
        self.migrated = {}

    # ---- what tests do -------------------------------------------------------------
    def set_webhook(self, url: str) -> None:
        """Someone set a webhook on the token (as ``setWebhook`` would)."""
        self.webhook_url = url

    def revoke_token(self) -> None:
        """@BotFather revoked the token: every call is refused from now on."""
        self.revoked = True

    def rival(self, active: bool) -> None:
        """Another bot instance starts (or stops) polling the same token."""
        self.rival_active = active

    def migrate_group(self, group: SimGroup, *, announce: bool = True) -> int:
        """Telegram upgrades ``group`` to a supergroup with a new id; returns the new id.

        With ``announce``, the service messages Telegram posts follow (``migrate_to_chat_id``
        in the old chat, ``migrate_from_chat_id`` in the new one); without, the bot must learn
        of it from the refusal of its next message (it was down, or sent before it read them).
        """
        groups: dict[int, SimGroup] = self._groups  # type: ignore[attr-defined]
        messages: dict[int, list[Any]] = self._messages  # type: ignore[attr-defined]
        old_chat = group.chat_json()
        old = group.chat_id
        new = -1_000_000_000_000 + old  # supergroups' ids start with -100
        self.migrated[old] = new
        group.chat_id = new
        group.kind = "supergroup"
        groups[new] = group
        messages.setdefault(new, [])
        if announce:
            push = self.push_update  # type: ignore[attr-defined]
            now = int(time.time())
            push(
                {
                    "message": {
                        "message_id": 1,
                        "date": now,
                        "chat": old_chat,
                        "migrate_to_chat_id": new,
                    }
                }
            )
            push(
                {
                    "message": {
                        "message_id": 1,
                        "date": now,
                        "chat": group.chat_json(),
                        "migrate_from_chat_id": old,
                    }
                }
            )
        return new

    def push_unparseable(self, person: SimPerson, text: str) -> int:
        """A message update python-telegram-bot cannot read (it lacks its ``date``).

        It carries the person's name and text, which the bot must not log.
        """
        push = self.push_update  # type: ignore[attr-defined]
        body = {
            "message_id": 999_999,
            "chat": person.chat_json(),
            "from": person.user_json(),
            "text": text,
        }
        return int(push({"message": body}))

    # ---- how the server answers ----------------------------------------------------
    def live_refusal(self, method: str) -> tuple[int, str] | None:
        """The error every call or a poll meets now, if any: (code, description)."""
        if self.revoked:
            return 401, "Unauthorized"
        if method == "getupdates":
            if self.webhook_url:
                self.conflicts += 1
                return 409, WEBHOOK_ACTIVE
            if self.rival_active:
                self.conflicts += 1
                return 409, OTHER_POLLER
        return None

    def begin_poll(self) -> int:
        """A getUpdates arrived: it supersedes any poll still waiting; its generation."""
        self.poll_generation += 1
        return self.poll_generation

    def superseded(self, generation: int) -> bool:
        """Whether a later getUpdates ended this one (Telegram answers it 409)."""
        if generation == self.poll_generation:
            return False
        self.conflicts += 1
        return True

    def migrated_to(self, chat_id: int) -> int | None:
        """The supergroup a group became, if it did."""
        return self.migrated.get(chat_id)

    def delete_webhook(self, params: dict[str, Any]) -> bool:
        """``deleteWebhook``: no webhook any more; pending updates dropped only if asked."""
        drop = str(params.get("drop_pending_updates", "")).lower() in ("true", "1")
        self.webhook_deletes.append(drop)
        self.webhook_url = ""
        if drop:
            self._updates.clear()  # type: ignore[attr-defined]
        return True
