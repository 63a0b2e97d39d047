"""Dates and times as a formal Indonesian document writes them. Pure.

"5 Januari 2026" and "pukul 08.30 WIB": the zone's abbreviation comes from
:func:`zone_abbreviation` alone, so that making it configurable changes one place.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from babel.dates import format_date

JAKARTA = ZoneInfo("Asia/Jakarta")

# Indonesia's three zones by their legal abbreviations; any other zone shows its UTC offset.
_ABBREVIATIONS = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def zone_abbreviation(tz: tzinfo = JAKARTA) -> str:
    """``WIB``, ``WITA`` or ``WIT`` for Indonesia's zones; ``UTC+07.00``-style otherwise."""
    key = getattr(tz, "key", "")
    if key in _ABBREVIATIONS:
        return _ABBREVIATIONS[key]
    offset = datetime.now(tz).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}.{abs(minutes) % 60:02d}"


def long_date(at: datetime, tz: tzinfo = JAKARTA) -> str:
    """``5 Januari 2026``: the day in the office's zone, the month written out."""
    return format_date(at.astimezone(tz), "d MMMM yyyy", locale="id_ID")


def clock_time(at: datetime, tz: tzinfo = JAKARTA) -> str:
    """``pukul 08.30 WIB``."""
    local = at.astimezone(tz)
    return f"pukul {local:%H.%M} {zone_abbreviation(tz)}"


def long_datetime(at: datetime, tz: tzinfo = JAKARTA) -> str:
    """``5 Januari 2026 pukul 08.30 WIB``."""
    return f"{long_date(at, tz)} {clock_time(at, tz)}"
