"""``python -m bot run | check | backup | restore``: the bot run and checked, its data kept safe."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from datetime import timedelta
from pathlib import Path

from bot.app import TELEGRAM_API_URL, TELEGRAM_FILE_URL, Settings, TokenRedactor, configure_logging
from bot.cli_env import EXIT_USAGE, db_path, log_level, office, token_or_exit
from bot.offload import workers_from_env
from bot.serve import serve, valid_url
from bot.web.server import DEFAULT_LISTEN, parse_listen

# "bot", not __name__: the name a refused start has always been logged under.
log = logging.getLogger("bot")


def _settings(token: str) -> Settings:
    clock, config = office(webapp_url=os.environ.get("KINERJA_WEBAPP_URL", "").strip())
    return Settings(
        token=token,
        db_path=db_path(),
        api_url=os.environ.get("TELEGRAM_API_URL", TELEGRAM_API_URL),
        file_url=os.environ.get("TELEGRAM_FILE_URL", TELEGRAM_FILE_URL),
        clock=clock,
        config=config,
        rate_limit=os.environ.get("KINERJA_RATE_LIMIT", "1") != "0",
        backup_keep=int(os.environ.get("KINERJA_BACKUP_KEEP", "14")),
        workers=workers_from_env(),
        webapp_listen=os.environ.get("KINERJA_WEBAPP_LISTEN", "").strip() or DEFAULT_LISTEN,
    )


async def run_bot() -> int:
    """``run``: the settings checked, the run lock taken, then the bot served until stopped."""
    from storage.backup import RunLock

    token = token_or_exit()
    configure_logging(token, log_level())
    settings = _settings(token)
    urls = (("TELEGRAM_API_URL", settings.api_url), ("TELEGRAM_FILE_URL", settings.file_url))
    for name, url in urls:
        if not valid_url(url):
            # The value is not echoed: a token pasted into it would be printed.
            log.critical("%s tidak sah / is not a valid http(s) URL", name)
            return EXIT_USAGE
    webapp_url = settings.config.webapp_url
    if webapp_url and not (valid_url(webapp_url) and webapp_url.startswith("https://")):
        # Telegram opens a Mini App from an https:// address only.
        log.critical("KINERJA_WEBAPP_URL tidak sah / is not a valid https:// URL")
        return EXIT_USAGE
    try:
        parse_listen(settings.webapp_listen)
    except ValueError:
        log.critical("KINERJA_WEBAPP_LISTEN tidak sah / is not host:port")
        return EXIT_USAGE
    lock = RunLock(db_path())
    if not lock.acquire():
        print(f"Bot sudah berjalan untuk {db_path()} / already running.", file=sys.stderr)
        return 1
    try:
        return await serve(settings)
    finally:
        lock.release()


def backup_database(args: argparse.Namespace) -> int:
    """``backup``: a consistent copy of the database, the oldest timestamped ones pruned."""
    from storage.backup import backup, prune, timestamped

    db = db_path()
    if not db.exists():
        print(f"Basis data tidak ada / no database at {db}", file=sys.stderr)
        return 1
    directory = db.parent / "backups"
    clock, config = office()
    now = clock.now().astimezone(config.calendar.tz)
    target = Path(args.to) if args.to else timestamped(directory, now)
    backup(db, target)
    if not args.to:
        prune(directory, int(os.environ.get("KINERJA_BACKUP_KEEP", "14")))
    print(target)
    return 0


def restore_database(args: argparse.Namespace) -> int:
    """``restore``: the database replaced by a backup (the bot stopped)."""
    from storage.backup import RestoreRefused, restore

    try:
        restore(Path(args.path), db_path())
    except RestoreRefused as exc:
        print(f"Pemulihan ditolak / restore refused: {exc}", file=sys.stderr)
        return 1
    print(f"{db_path()} dipulihkan dari / restored from {args.path}")
    return 0


async def health_check() -> int:
    """Print one line per health check; 0 only if every one passed."""
    from bot.health import run_checks

    token = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
    configure_logging(token or None, logging.WARNING)
    offset = timedelta(seconds=float(os.environ.get("KINERJA_CLOCK_OFFSET", "0") or 0))
    web_on = bool(os.environ.get("KINERJA_WEBAPP_URL", "").strip())
    listen = os.environ.get("KINERJA_WEBAPP_LISTEN", "").strip() or DEFAULT_LISTEN
    checks = await run_checks(
        token,
        os.environ.get("TELEGRAM_API_URL", TELEGRAM_API_URL),
        db_path(),
        offset,
        listen if web_on else None,
    )
    redact = TokenRedactor(token or None).clean
    for check in checks:
        print(redact(check.line()))
    return 0 if all(c.ok for c in checks) else 1
