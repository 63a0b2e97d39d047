"""The settings of one running bot, and the Mini App's address built from them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from bot.calendar import WorkingCalendar


@dataclass
class Config:
    """Settings of one running bot."""

    agency_name: str = "Dinas Tenaga Kerja"
    place: str = ""
    # The coordinator's title as the agency writes it (empty: the SOP's); the worker processes
    # get it with the config, since texts keep it per process (texts.set_titles).
    coordinator_title: str = ""
    coordinator_short: str = ""
    bot_username: str = "kinerja_bot"
    invite_ttl: timedelta = timedelta(days=7)
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    max_text_chars: int = 4000
    # The Mini App's public HTTPS address (KINERJA_WEBAPP_URL); empty: no web front, and
    # chat offers no button that opens it.
    webapp_url: str = ""


def webapp_link(config: Config, **query: str | int) -> str:
    """The Mini App's address with ``query`` added (which page to open): Telegram keeps the
    query and puts its launch data in the fragment."""
    parts = urlsplit(config.webapp_url)
    pairs = parse_qsl(parts.query, keep_blank_values=True) + [(k, str(v)) for k, v in query.items()]
    return urlunsplit(parts._replace(query=urlencode(pairs)))
