"""The command line: ``python -m bot run | invite | org import | catalog import | demo`` …"""

from __future__ import annotations

if __name__ == "__main__":  # before anything that needs the dependencies
    from bot.bootstrap import ensure

    ensure("bot")

import argparse
import asyncio
import logging
import os
import sys
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.app import (
    TELEGRAM_API_URL,
    TELEGRAM_FILE_URL,
    Settings,
    TokenRedactor,
    configure_logging,
)
from bot.clock import Clock, SystemClock
from bot.model import Role
from bot.offload import workers_from_env
from bot.serve import serve, valid_url
from bot.web.server import DEFAULT_LISTEN, parse_listen

if TYPE_CHECKING:
    from bot.services.config import Config

log = logging.getLogger("bot")

EXIT_USAGE = 2
DEFAULT_DB = "data/kinerja.sqlite3"
TOKEN_MISSING = (
    "TELEGRAM_BOT_TOKEN belum diisi / is not set: set the environment variable "
    "TELEGRAM_BOT_TOKEN to the bot's token from @BotFather."
)


def _db_path() -> Path:
    return Path(os.environ.get("KINERJA_DB", DEFAULT_DB))


def _token_or_exit() -> str:
    token = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not token:
        print(TOKEN_MISSING, file=sys.stderr)
        raise SystemExit(EXIT_USAGE)
    return token


def _log_level() -> int:
    """``KINERJA_LOG_LEVEL`` (a logging level name); INFO unless set."""
    name = os.environ.get("KINERJA_LOG_LEVEL", "INFO").upper()
    level = logging.getLevelName(name)
    return level if isinstance(level, int) else logging.INFO


def _office(**config: Any) -> tuple[Clock, Config]:
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


def _settings(token: str) -> Settings:
    clock, config = _office(webapp_url=os.environ.get("KINERJA_WEBAPP_URL", "").strip())
    return Settings(
        token=token,
        db_path=_db_path(),
        api_url=os.environ.get("TELEGRAM_API_URL", TELEGRAM_API_URL),
        file_url=os.environ.get("TELEGRAM_FILE_URL", TELEGRAM_FILE_URL),
        clock=clock,
        config=config,
        rate_limit=os.environ.get("KINERJA_RATE_LIMIT", "1") != "0",
        backup_keep=int(os.environ.get("KINERJA_BACKUP_KEEP", "14")),
        workers=workers_from_env(),
        webapp_listen=os.environ.get("KINERJA_WEBAPP_LISTEN", "").strip() or DEFAULT_LISTEN,
    )


async def _run() -> int:
    from storage.backup import RunLock

    token = _token_or_exit()
    configure_logging(token, _log_level())
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
    lock = RunLock(_db_path())
    if not lock.acquire():
        print(f"Bot sudah berjalan untuk {_db_path()} / already running.", file=sys.stderr)
        return 1
    try:
        return await serve(settings)
    finally:
        lock.release()


async def _invite(args: argparse.Namespace) -> int:
    from bot.services.core import Core
    from bot.services.people import onboarding
    from bot.services.people.admin import ensure_sekretariat
    from storage.db import Database

    username = args.bot_username
    if not username:
        from telegram import Bot

        from bot.transport import AiohttpRequest

        token = _token_or_exit()
        api_url = os.environ.get("TELEGRAM_API_URL", TELEGRAM_API_URL)
        async with Bot(token, base_url=api_url, request=AiohttpRequest()) as bot:
            username = bot.username
    db = await Database.open(_db_path())
    try:
        core = Core(db, *_office(bot_username=username))
        await ensure_sekretariat(core)
        created = await onboarding.create_invite_cli(
            core, Role(args.role), args.unit, args.name, args.admin, username, args.sapaan or ""
        )
    except onboarding.InviteError as exc:
        print(f"Undangan tidak dibuat / invite not created: {exc}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        await db.close()
    print(created.link)
    return 0


async def _member(args: argparse.Namespace) -> int:
    from bot import cli_people

    username = getattr(args, "bot_username", None)
    if getattr(args, "invite", False) and not username:
        username = await _bot_username()
    return await cli_people.member(args, username)


async def _bot_username() -> str:
    """The bot's username, asked from the Bot API (for invite links)."""
    from telegram import Bot

    from bot.transport import AiohttpRequest

    token = _token_or_exit()
    api_url = os.environ.get("TELEGRAM_API_URL", TELEGRAM_API_URL)
    async with Bot(token, base_url=api_url, request=AiohttpRequest()) as bot:
        return str(bot.username)


async def _org_import(args: argparse.Namespace) -> int:
    from bot.services.core import Core
    from bot.services.people.admin import import_units
    from exports.org import read_org
    from storage.db import Database

    path = Path(args.file)
    result = read_org(path)
    if result.problems:
        for p in result.problems:
            print(
                f"{p.sheet} baris {p.row or '-'} kolom {p.column or '-'}: {p.reason} ({p.value})",
                file=sys.stderr,
            )
        return 1
    db = await Database.open(_db_path())
    try:
        core = Core(db, *_office())
        count = await import_units(
            core, result.units, result.agency_name, result.place, result.extra
        )
    finally:
        await db.close()
    print(f"{count} unit kerja diimpor dari {path.name}.")
    return 0


async def _catalog_import(args: argparse.Namespace) -> int:
    from bot.services.core import Core
    from bot.services.files.catalog import import_catalog_file
    from storage.db import Database

    path = Path(args.file)
    db = await Database.open(_db_path())
    try:
        core = Core(db, *_office())
        report = await import_catalog_file(core, path.read_bytes(), args.year)
    finally:
        await db.close()
    print(report.summary)
    return 0 if report.ok else 1


async def _history_import(args: argparse.Namespace) -> int:
    """``history import FILE``: earlier quarters' realisations (issue 14)."""
    from bot.clock import SystemClock
    from bot.services.analysis.history import import_history_file
    from bot.services.config import Config
    from bot.services.core import Core
    from storage.db import Database

    path = Path(args.file)
    if not path.is_file():
        print(f"Berkas tidak ditemukan / no such file: {path}", file=sys.stderr)
        return EXIT_USAGE
    db = await Database.open(_db_path())
    try:
        core = Core(db, SystemClock(), Config())
        report = await import_history_file(core, path.read_bytes(), args.year, path.name)
    finally:
        await db.close()
    print(report.summary, file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 1


async def _acting(args: argparse.Namespace) -> int:
    from datetime import date

    from bot.services.core import Core
    from bot.services.people import acting
    from bot.workflow import Grant
    from storage import org
    from storage.db import Database

    role = Role(args.role)
    start, end = date.fromisoformat(args.start), date.fromisoformat(args.end)
    if end < start or (role.needs_unit and not args.unit):
        print("Tanggal atau unit tidak sesuai / bad dates or missing --unit", file=sys.stderr)
        return EXIT_USAGE
    db = await Database.open(_db_path())
    try:
        core = Core(db, *_office())
        async with core.work(None) as work:
            person = await org.person_by_telegram(work.conn, args.telegram_id)
            if person is None:
                print(f"Tidak ada anggota dengan Telegram id {args.telegram_id}", file=sys.stderr)
                return 1
            if args.unit and await org.unit(work.conn, args.unit) is None:
                print(f"Unit tidak dikenal: {args.unit}", file=sys.stderr)
                return 1
            grant = Grant(role, args.unit if role.needs_unit else None)
            await acting.assign(
                work,
                person.id,
                grant,
                start,
                end,
                "plh" if args.plh else "plt",
                None,
                core.config.calendar.tz,
            )
            from bot.services.people import handover

            await handover.sync(core, work)  # a term starting today takes what waits on it
    finally:
        await db.close()
    print(f"{person.full_name}: {'Plh.' if args.plh else 'Plt.'} {role.value} {start} s.d. {end}")
    return 0


def _backup(args: argparse.Namespace) -> int:
    from storage.backup import backup, prune, timestamped

    db = _db_path()
    if not db.exists():
        print(f"Basis data tidak ada / no database at {db}", file=sys.stderr)
        return 1
    directory = db.parent / "backups"
    clock, config = _office()
    now = clock.now().astimezone(config.calendar.tz)
    target = Path(args.to) if args.to else timestamped(directory, now)
    backup(db, target)
    if not args.to:
        prune(directory, int(os.environ.get("KINERJA_BACKUP_KEEP", "14")))
    print(target)
    return 0


def _restore(args: argparse.Namespace) -> int:
    from storage.backup import RestoreRefused, restore

    try:
        restore(Path(args.path), _db_path())
    except RestoreRefused as exc:
        print(f"Pemulihan ditolak / restore refused: {exc}", file=sys.stderr)
        return 1
    print(f"{_db_path()} dipulihkan dari / restored from {args.path}")
    return 0


async def _check() -> int:
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
        _db_path(),
        offset,
        listen if web_on else None,
    )
    redact = TokenRedactor(token or None).clean
    for check in checks:
        print(redact(check.line()))
    return 0 if all(c.ok for c in checks) else 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the bot (needs TELEGRAM_BOT_TOKEN)")
    invite = sub.add_parser("invite", help="print an invite link (or: invite list|revoke TOKEN)")
    invite.add_argument("action", nargs="?", choices=["list", "revoke"], help="unused invites")
    invite.add_argument("token", nargs="?", help="for revoke: the token or the whole link")
    invite.add_argument("--role", choices=[r.value for r in Role])
    invite.add_argument("--unit")
    invite.add_argument("--name")
    invite.add_argument("--admin", action="store_true")
    invite.add_argument(
        "--sapaan", choices=["Bapak", "Ibu"], help="how the bot addresses the person"
    )
    invite.add_argument("--bot-username")
    org_cmd = sub.add_parser("org", help="organisation").add_subparsers(
        dest="action", required=True
    )
    org_import = org_cmd.add_parser("import", help="load units from a .toml or .xlsx file")
    org_import.add_argument("file")
    cat_cmd = sub.add_parser("catalog", help="indicator catalogue").add_subparsers(
        dest="action", required=True
    )
    cat_import = cat_cmd.add_parser("import", help="load a year's catalogue from .xlsx")
    cat_import.add_argument("file")
    cat_import.add_argument("--year", type=int)
    acting_cmd = sub.add_parser("plt", help="assign an acting official for a date range")
    acting_cmd.add_argument("--telegram-id", type=int, required=True)
    acting_cmd.add_argument("--role", required=True, choices=[r.value for r in Role])
    acting_cmd.add_argument("--unit")
    acting_cmd.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
    acting_cmd.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD")
    acting_cmd.add_argument("--plh", action="store_true", help="Plh. instead of Plt.")
    backup_cmd = sub.add_parser("backup", help="consistent copy of the database (bot may run)")
    backup_cmd.add_argument("--to")
    restore_cmd = sub.add_parser("restore", help="replace the database by a backup (bot stopped)")
    restore_cmd.add_argument("path")
    history_cmd = sub.add_parser("history", help="earlier quarters").add_subparsers(
        dest="action", required=True
    )
    history_import = history_cmd.add_parser(
        "import",
        help="load earlier quarters' figures from .xlsx or CSV (Rincian, a list, or an export)",
    )
    history_import.add_argument("file")
    history_import.add_argument("--year", type=int, help="the year, if the file names none")
    sub.add_parser(
        "check", help="health check: token, database, outbox, last poll (and the web front)"
    )

    from bot.cli_export import add_export_parser
    from bot.cli_people import add_member_parser

    add_member_parser(sub)
    add_export_parser(sub)
    demo = sub.add_parser("demo", help="play a scripted quarter offline")
    demo.add_argument("--out", default="demo-out")
    demo.add_argument("--quiet", action="store_true")
    demo.add_argument(
        "--webapp",
        action="store_true",
        help="with the Mini App; then serve it (KINERJA_WEBAPP_LISTEN) until Ctrl-C",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    args = _parser().parse_args(argv)
    if args.command not in ("run", "check"):
        logging.basicConfig(level=logging.WARNING)
    if args.command == "run":
        try:
            return asyncio.run(_run())
        except Exception as exc:  # the last resort: one line, through the redacting log
            log.critical("bot stopped: %s: %s", type(exc).__name__, str(exc).split("\n")[0])
            return 1
    if args.command == "invite" and args.action:
        from bot import cli_people

        return asyncio.run(cli_people.invites(args))
    if args.command == "invite":
        if not args.role:
            print("invite needs --role (or: invite list | invite revoke TOKEN)", file=sys.stderr)
            return EXIT_USAGE
        return asyncio.run(_invite(args))
    if args.command == "member":
        return asyncio.run(_member(args))
    if args.command == "org":
        return asyncio.run(_org_import(args))
    if args.command == "catalog":
        return asyncio.run(_catalog_import(args))
    if args.command == "plt":
        return asyncio.run(_acting(args))
    if args.command == "backup":
        return _backup(args)
    if args.command == "restore":
        return _restore(args)
    if args.command == "history":
        return asyncio.run(_history_import(args))
    if args.command == "check":
        return asyncio.run(_check())
    if args.command == "export":
        from bot.cli_export import export

        return asyncio.run(export(args, _db_path()))
    if args.command == "demo":
        from bot.demo import run_demo

        listen = os.environ.get("KINERJA_WEBAPP_LISTEN", "").strip() or DEFAULT_LISTEN
        try:
            return asyncio.run(
                run_demo(Path(args.out), quiet=args.quiet, webapp=args.webapp, listen=listen)
            )
        except KeyboardInterrupt:  # Ctrl-C ends the demo's serving: the normal way out
            return 0
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
