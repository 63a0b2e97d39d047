"""What the commands read from the environment: the database, the token, the office's clock."""

from __future__ import annotations

import logging
import os
import sys
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.clock import Clock, SystemClock

if TYPE_CHECKING:
    from bot.services.config import Config

EXIT_USAGE = 2
DEFAULT_DB = "data/kinerja.sqlite3"
TOKEN_MISSING = (
    "TELEGRAM_BOT_TOKEN belum diisi / is not set: set the environment variable "
    "TELEGRAM_BOT_TOKEN to the bot's token from @BotFather."
)


def db_path() -> Path:
    """``KINERJA_DB``, or data/kinerja.sqlite3 unless set."""
    return Path(os.environ.get("KINERJA_DB", DEFAULT_DB))


def token_or_exit() -> str:
    """``TELEGRAM_BOT_TOKEN``; without it, a line saying how to set it and exit 2."""
    token = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not token:
        print(TOKEN_MISSING, file=sys.stderr)
        raise SystemExit(EXIT_USAGE)
    return token


def log_level() -> int:
    """``KINERJA_LOG_LEVEL`` (a logging level name); INFO unless set."""
    name = os.environ.get("KINERJA_LOG_LEVEL", "INFO").upper()
    level = logging.getLevelName(name)
    return level if isinstance(level, int) else logging.INFO


def office(**config: Any) -> tuple[Clock, Config]:
    """The office's clock and settings from the environment, for ``run`` and every command.

    ``KINERJA_TZ`` is the office's time zone (dates typed, times shown, the year of a
    catalogue); ``KINERJA_CLOCK_OFFSET`` a fixed shift of the business clock, so that a test
    can replay a quarter on set dates (the same shift for every restart keeps time monotonic
    across a crash).
    """
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from bot.calendar import WorkingCalendar
    from bot.services.config import Config
    from bot.texts import common as texts
    from exports.paper import PaperError, paper

    try:
        paper()  # a wrong KINERJA_PAPER stops the start, not a report in the middle of a step
    except PaperError as exc:
        print(str(exc), file=sys.stderr)
        raise SystemExit(EXIT_USAGE) from None
    name = os.environ.get("KINERJA_TZ", "Asia/Jakarta")
    try:
        tz = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        print(f"KINERJA_TZ tidak dikenal / unknown time zone: {name!r}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE) from None
    texts.set_zone(tz)
    offset = timedelta(seconds=float(os.environ.get("KINERJA_CLOCK_OFFSET", "0") or 0))
    return SystemClock(offset), Config(calendar=WorkingCalendar(tz=tz), **config)
