"""How fast one chat may receive messages, as Telegram asks of bots. Pure.

Telegram's guidance: about one message a second in a private chat (a short burst passes) and
20 messages a minute in a group; a bot that sends faster is refused with "429 Too Many
Requests" and, if it keeps provoking them, waits longer. One model serves both sides: the
outbox sender (bot/sender.py) holds a chat's next message back until it conforms, and the
simulator (bot/sim/) refuses one that does not, so a test can assert the bot never provokes a
429.

The model is a token bucket per chat, kept as its "theoretical arrival time" (GCRA): a burst
of ``burst`` messages at once, then one every ``interval`` seconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ChatLimit:
    """A burst of ``burst`` messages, then one per ``interval`` seconds."""

    burst: int
    interval: float

    def slower(self, factor: float) -> ChatLimit:
        """The same burst at a slower pace (a sender keeps a margin below the limit)."""
        return ChatLimit(self.burst, self.interval * factor)


# A private chat: a burst of 3, then about one a second.
PRIVATE = ChatLimit(burst=3, interval=1.0)
# A group: never more than 20 in any minute (3 at once, then one every 3.5 s: 3 + 17).
GROUP = ChatLimit(burst=3, interval=3.5)
# The sender stays this much slower than the limit: a message sent on time may still reach
# Telegram after the next one was sent, and Telegram counts arrivals.
SENDER_MARGIN = 1.15
_EPSILON = 1e-6


def limit_for(chat_id: int) -> ChatLimit:
    """Groups and channels have negative ids; people's private chats positive ones."""
    return GROUP if chat_id < 0 else PRIVATE


class ChatPace:
    """When each chat may receive its next message, on a monotonic clock in seconds."""

    def __init__(self, factor: float = 1.0) -> None:
        self.factor = factor
        self._next: dict[int, float] = {}  # theoretical arrival time per chat

    def _limit(self, chat_id: int) -> ChatLimit:
        return limit_for(chat_id).slower(self.factor)

    def wait(self, chat_id: int, now: float) -> float:
        """Seconds until a message to ``chat_id`` conforms (0: it may go now)."""
        limit = self._limit(chat_id)
        arrival = self._next.get(chat_id, -math.inf)
        tolerance = (limit.burst - 1) * limit.interval
        wait = arrival - tolerance - now
        # Sums of float seconds drift by a few ulps: a wait below a microsecond is none.
        return wait if wait > _EPSILON else 0.0

    def take(self, chat_id: int, now: float) -> None:
        """Count a message to ``chat_id`` at ``now``."""
        limit = self._limit(chat_id)
        self._next[chat_id] = max(self._next.get(chat_id, -math.inf), now) + limit.interval
        if len(self._next) > 4096:
            self._forget(now)

    def allow(self, chat_id: int, now: float) -> float:
        """Take a message if it conforms and return 0, else the seconds it must wait."""
        wait = self.wait(chat_id, now)
        if wait <= 0:
            self.take(chat_id, now)
        return wait

    def _forget(self, now: float) -> None:
        """A chat whose bucket is full again is as if never seen: keep memory bounded."""
        self._next = {chat: at for chat, at in self._next.items() if at > now}
