"""Time as a dependency: every service asks a ``Clock``, so tests and the demo can steer it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Anything that tells the current time as an aware UTC datetime."""

    def now(self) -> datetime:
        """The current instant (aware, UTC)."""
        ...


class SystemClock:
    """The real clock, optionally shifted by a fixed offset (used by the simulated demo)."""

    def __init__(self, offset: timedelta = timedelta(0)) -> None:
        self.offset = offset

    def now(self) -> datetime:
        """The machine's time plus the offset."""
        return datetime.now(UTC) + self.offset


class FakeClock:
    """A clock that only moves when told to: for tests and the scripted demo."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        """The instant the clock was last set to."""
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        """Move forward by ``delta`` and return the new instant."""
        self._now += delta
        return self._now

    def set(self, at: datetime) -> None:
        """Jump to ``at`` (aware)."""
        if at.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = at.astimezone(UTC)


def to_iso(at: datetime) -> str:
    """The storage form of an instant: ISO 8601 in UTC, sortable as text."""
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def from_iso(text: str) -> datetime:
    """Inverse of :func:`to_iso`."""
    return datetime.fromisoformat(text)
