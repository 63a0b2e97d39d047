"""``python -m bot run``: start the bot within a bounded time, serve until a stop signal, stop
gracefully. A start that cannot happen exits with one line saying why, never the token."""

from __future__ import annotations

import asyncio
import logging
import signal
from urllib.parse import urlsplit

from bot.app import Runtime, Settings, TokenRedactor

log = logging.getLogger("bot")

EXIT_STARTUP = 3  # the bot could not start (token refused, Bot API unreachable, ...)
STARTUP_SECONDS = 25.0  # getMe and deleteWebhook must answer within this


def valid_url(url: str) -> bool:
    """An http(s) URL with a host and no spaces (PTB appends the token to it)."""
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises on a port that is not a number
    except ValueError:
        return False
    return (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and not any(c.isspace() for c in url)
    )


async def start(settings: Settings) -> Runtime:
    """Open the database, check the token (getMe), delete any webhook, start polling."""
    from bot.services.people.admin import ensure_sekretariat, load_config

    runtime = await Runtime.create(settings)
    try:
        await ensure_sekretariat(runtime.core)
        await load_config(runtime.core)
        await runtime.start()
    except BaseException:
        await runtime.abort()  # else the database's thread keeps the process alive
        raise
    return runtime


def startup_reason(exc: BaseException, token: str) -> str:
    """One line saying why the bot could not start; never the token."""
    from telegram.error import EndPointNotFound, InvalidToken, NetworkError

    if isinstance(exc, InvalidToken | EndPointNotFound):
        return "Telegram menolak token / refused the token (401): check TELEGRAM_BOT_TOKEN"
    if isinstance(exc, TimeoutError):
        return f"Bot API tidak menjawab / no answer within {STARTUP_SECONDS:.0f} s"
    text = str(exc).splitlines()[0] if str(exc) else ""
    detail = TokenRedactor(token).clean(text)[:300]
    if isinstance(exc, NetworkError):
        return f"Bot API tidak terjangkau / cannot be reached: {detail}"
    return f"{type(exc).__name__}: {detail}"


async def serve(settings: Settings) -> int:
    """Start (bounded in time: a supervisor restarts a bot that exits, not one that hangs),
    run until SIGTERM/SIGINT or a fatal error, stop gracefully."""
    # Installed first: a stop asked for during start-up is a graceful stop right after it.
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        runtime = await asyncio.wait_for(start(settings), STARTUP_SECONDS)
    except Exception as exc:
        log.critical("tidak dapat mulai / cannot start: %s", startup_reason(exc, settings.token))
        return EXIT_STARTUP
    waiter = asyncio.ensure_future(runtime.wait())
    stopper = asyncio.ensure_future(stop.wait())
    await asyncio.wait({waiter, stopper}, return_when=asyncio.FIRST_COMPLETED)
    log.info("stopping")
    await runtime.stop()
    stopper.cancel()
    if waiter.done() and waiter.exception():
        return 1
    waiter.cancel()
    return 0
