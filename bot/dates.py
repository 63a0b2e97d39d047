"""Dates and times as a formal Indonesian document writes them. Pure.

"5 Januari 2026" and "pukul 08.30 WIB": the zone's abbreviation comes from
:func:`bot.texts.common.zone_abbreviation` alone (the chat's times use it too).
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from babel.dates import format_date

from bot.texts.common import zone_abbreviation as _abbreviation

JAKARTA = ZoneInfo("Asia/Jakarta")


def zone_abbreviation(tz: tzinfo = JAKARTA, at: datetime | None = None) -> str:
    """``WIB``, ``WITA`` or ``WIT`` for Indonesia's zones (``UTC+8``-style where a zone has
    no name), at ``at`` (now when not given).

    One rule for the whole bot: this delegates to :func:`bot.texts.common.zone_abbreviation`, which
    the chat's times use.
    """
    return _abbreviation((at or datetime.now(tz)).astimezone(tz))


def long_date(at: datetime, tz: tzinfo = JAKARTA) -> str:
    """``5 Januari 2026``: the day in the office's zone, the month written out."""
    return format_date(at.astimezone(tz), "d MMMM yyyy", locale="id_ID")


def clock_time(at: datetime, tz: tzinfo = JAKARTA) -> str:
    """``pukul 08.30 WIB``."""
    local = at.astimezone(tz)
    return f"pukul {local:%H.%M} {zone_abbreviation(tz, local)}"


def long_datetime(at: datetime, tz: tzinfo = JAKARTA) -> str:
    """``5 Januari 2026 pukul 08.30 WIB``."""
    return f"{long_date(at, tz)} {clock_time(at, tz)}"
