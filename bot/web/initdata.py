"""Telegram's Mini App launch data (``initData``): checked as Telegram specifies. Pure.

The secret key is HMAC-SHA256 of the bot token under the key ``"WebAppData"``; the
data-check-string is every field but ``hash`` as ``key=value`` lines sorted by key; the
hex HMAC-SHA256 of that string under the secret key must equal ``hash``. The launch data
of another bot, an edited field, or an old ``auth_date`` is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, quote, urlencode

MAX_AGE = timedelta(days=1)
# A phone's clock may run a little ahead of the server's: launch data "from the future" by
# more than this was not made by Telegram for this moment.
MAX_SKEW = timedelta(minutes=5)
MAX_CHARS = 4096  # real launch data is well under 1 KB; anything longer is not Telegram's
_HEX = frozenset("0123456789abcdef")


class InitDataError(Exception):
    """The launch data cannot be trusted; ``reason`` says why (for logs, never for users)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Launch:
    """Who opened the page, as Telegram vouches for it."""

    telegram_id: int
    full_name: str
    username: str | None
    auth_date: datetime


def secret_key(token: str) -> bytes:
    """The key Telegram signs a bot's launch data with, derived from its token."""
    return hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()


def check_string(fields: Mapping[str, str]) -> str:
    """The data-check-string: every field but ``hash``, ``key=value``, sorted, one a line."""
    return "\n".join(f"{k}={fields[k]}" for k in sorted(fields) if k != "hash")


def signature(fields: Mapping[str, str], token: str) -> str:
    """The hex ``hash`` Telegram would put beside ``fields`` for the bot with ``token``."""
    return hmac.new(secret_key(token), check_string(fields).encode(), hashlib.sha256).hexdigest()


def sign(fields: Mapping[str, str], token: str) -> str:
    """Launch data as Telegram makes it (a query string with its ``hash``): for tests and
    the demo, which open the page for a person without Telegram."""
    return urlencode({**fields, "hash": signature(fields, token)})


def launch_fields(
    telegram_id: int, first_name: str, at: datetime, username: str | None = None
) -> dict[str, str]:
    """The fields Telegram sends for a user opening the page at ``at`` (before signing)."""
    user: dict[str, object] = {"id": telegram_id, "first_name": first_name}
    if username:
        user["username"] = username
    return {
        "auth_date": str(int(at.timestamp())),
        "query_id": f"AAH{telegram_id}",
        "user": json.dumps(user, separators=(",", ":"), ensure_ascii=False),
    }


def launch_fragment(init_data: str, theme: str = "") -> str:
    """The URL fragment Telegram opens a Mini App with (``#tgWebAppData=…``): for tests and
    the demo, which open the page in a browser without Telegram. ``theme``: the theme's JSON."""
    fragment = f"#tgWebAppData={quote(init_data, safe='')}&tgWebAppVersion=8.0"
    fragment += "&tgWebAppPlatform=android"
    if theme:
        fragment += f"&tgWebAppThemeParams={quote(theme, safe='')}"
    return fragment


def _fields(init_data: str) -> dict[str, str]:
    if not init_data or len(init_data) > MAX_CHARS:
        raise InitDataError("empty or too long")
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError as exc:
        raise InitDataError("not a query string") from exc
    fields = dict(pairs)
    if len(fields) != len(pairs):
        # Two values for one key: which one was signed is anybody's guess.
        raise InitDataError("a field given twice")
    return fields


def validate(init_data: str, token: str, now: datetime, max_age: timedelta = MAX_AGE) -> Launch:
    """The person behind ``init_data`` if Telegram signed it for this bot lately, else
    :class:`InitDataError`."""
    fields = _fields(init_data)
    given = fields.get("hash", "")
    if len(given) != 64 or not set(given) <= _HEX:
        raise InitDataError("no well-formed hash")
    # compare_digest: the time taken says nothing about how many characters matched.
    if not hmac.compare_digest(signature(fields, token), given):
        raise InitDataError("hash does not match")
    try:
        auth_date = datetime.fromtimestamp(int(fields["auth_date"]), UTC)
    except (KeyError, ValueError, OverflowError, OSError) as exc:
        raise InitDataError("no auth_date") from exc
    if now - auth_date > max_age:
        raise InitDataError("expired")
    if auth_date - now > MAX_SKEW:
        raise InitDataError("auth_date in the future")
    try:
        user = json.loads(fields["user"])
        telegram_id = user["id"]
    except (KeyError, ValueError, TypeError) as exc:
        raise InitDataError("no user") from exc
    if not isinstance(telegram_id, int) or isinstance(telegram_id, bool) or telegram_id <= 0:
        raise InitDataError("no user id")
    name = " ".join(
        str(user.get(k) or "") for k in ("first_name", "last_name") if user.get(k)
    ).strip()
    username = user.get("username")
    return Launch(telegram_id, name, username if isinstance(username, str) else None, auth_date)
