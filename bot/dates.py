"""Dates and times as a formal Indonesian document writes them (EYD V). Pure.

"5 Januari 2026" (the month always written out) and "pukul 08.30 WIB" (a dot between hours
and minutes, the zone's abbreviation after). Chat, documents and exports all format through
these functions, so the bot writes one form everywhere.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo

from babel.dates import format_date

JAKARTA = ZoneInfo("Asia/Jakarta")

_zone: ZoneInfo = JAKARTA  # the office's zone; set once at start-up from KINERJA_TZ


def set_zone(tz: ZoneInfo) -> None:
    """Show times in the office's zone (the composition root calls this once)."""
    global _zone
    _zone = tz


def office_zone() -> ZoneInfo:
    """The office's zone, as set at start-up."""
    return _zone


def zone_name(local: datetime) -> str:
    """The zone's own name at that moment: WIB, WITA, WIT; "UTC+8" where it has none."""
    name = local.tzname() or ""
    if not name or name[0] in "+-":
        offset = local.utcoffset()
        minutes = int(offset.total_seconds() // 60) if offset is not None else 0
        sign = "-" if minutes < 0 else "+"
        hours, rest = divmod(abs(minutes), 60)
        return f"UTC{sign}{hours}" + (f".{rest:02d}" if rest else "")
    return name


def zone_abbreviation(tz: tzinfo = JAKARTA, at: datetime | None = None) -> str:
    """``WIB``, ``WITA`` or ``WIT`` for Indonesia's zones (``UTC+8``-style where a zone has
    no name), at ``at`` (now when not given)."""
    return zone_name((at or datetime.now(tz)).astimezone(tz))


def long_date(at: date | datetime, tz: tzinfo | None = None) -> str:
    """``5 Januari 2026``: a moment's day in ``tz`` (the office's zone by default), or a
    calendar day as it stands; the month written out."""
    day = at.astimezone(tz or _zone).date() if isinstance(at, datetime) else at
    return format_date(day, "d MMMM yyyy", locale="id_ID")


def clock_time(at: datetime, tz: tzinfo | None = None) -> str:
    """``pukul 08.30 WIB`` in ``tz`` (the office's zone by default)."""
    local = at.astimezone(tz or _zone)
    return f"pukul {local:%H.%M} {zone_name(local)}"


def long_datetime(at: datetime, tz: tzinfo | None = None) -> str:
    """``5 Januari 2026 pukul 08.30 WIB`` in ``tz`` (the office's zone by default)."""
    return f"{long_date(at, tz)} {clock_time(at, tz)}"


def when(at: datetime) -> str:
    """A moment in chat: ``25 November 2026 pukul 09.30 WIB`` in the office's zone."""
    return long_datetime(at)


def since(started: datetime, now: datetime) -> str:
    """``pukul 08.00 WIB`` when ``started`` is today (in the office's zone), else with its date."""
    zone = _zone
    if started.astimezone(zone).date() == now.astimezone(zone).date():
        return clock_time(started)
    return long_datetime(started)
