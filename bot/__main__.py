"""The command line: ``python -m bot run | invite | org import | catalog import | demo``."""

from __future__ import annotations

if __name__ == "__main__":  # before anything that needs the dependencies
    from bot.bootstrap import ensure

    ensure("bot")

import argparse
import asyncio
import logging
import os
import signal
import sys
from datetime import timedelta
from pathlib import Path

from bot.app import TELEGRAM_API_URL, TELEGRAM_FILE_URL, Runtime, Settings, configure_logging
from bot.clock import SystemClock
from bot.model import Role

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


def _settings(token: str) -> Settings:
    from bot.calendar import WorkingCalendar
    from bot.services.core import Config
    from exports.report_print import PaperError, paper

    try:
        paper()  # a wrong KINERJA_PAPER stops the start, not a report in the middle of a step
    except PaperError as exc:
        raise SystemExit(str(exc)) from None
    tz = os.environ.get("KINERJA_TZ", "Asia/Jakarta")
    from zoneinfo import ZoneInfo

    config = Config(calendar=WorkingCalendar(tz=ZoneInfo(tz)))
    # A fixed shift of the business clock, so that a test can replay a quarter on set dates
    # (the same shift for every restart keeps time monotonic across a crash).
    offset = timedelta(seconds=float(os.environ.get("KINERJA_CLOCK_OFFSET", "0") or 0))
    return Settings(
        token=token,
        db_path=_db_path(),
        api_url=os.environ.get("TELEGRAM_API_URL", TELEGRAM_API_URL),
        file_url=os.environ.get("TELEGRAM_FILE_URL", TELEGRAM_FILE_URL),
        clock=SystemClock(offset),
        config=config,
        rate_limit=os.environ.get("KINERJA_RATE_LIMIT", "1") != "0",
        backup_keep=int(os.environ.get("KINERJA_BACKUP_KEEP", "14")),
    )


async def _run() -> int:
    from storage.backup import RunLock

    token = _token_or_exit()
    configure_logging(token, _log_level())
    lock = RunLock(_db_path())
    if not lock.acquire():
        print(f"Bot sudah berjalan untuk {_db_path()} / already running.", file=sys.stderr)
        return 1
    runtime = await Runtime.create(_settings(token))
    from bot.services.admin import ensure_sekretariat, load_config

    await ensure_sekretariat(runtime.core)
    await load_config(runtime.core)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await runtime.start()
    waiter = asyncio.ensure_future(runtime.wait())
    stopper = asyncio.ensure_future(stop.wait())
    await asyncio.wait({waiter, stopper}, return_when=asyncio.FIRST_COMPLETED)
    log.info("stopping")
    await runtime.stop()
    lock.release()
    if waiter.done() and waiter.exception():
        return 1
    waiter.cancel()
    return 0


async def _invite(args: argparse.Namespace) -> int:
    from bot.clock import SystemClock
    from bot.services import onboarding
    from bot.services.admin import ensure_sekretariat
    from bot.services.core import Config, Core
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
        core = Core(db, SystemClock(), Config(bot_username=username))
        await ensure_sekretariat(core)
        created = await onboarding.create_invite_cli(
            core, Role(args.role), args.unit, args.name, args.admin, username
        )
    except onboarding.InviteError as exc:
        print(f"Undangan tidak dibuat / invite not created: {exc}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        await db.close()
    print(created.link)
    return 0


async def _org_import(args: argparse.Namespace) -> int:
    from bot.clock import SystemClock
    from bot.services.admin import import_units
    from bot.services.core import Config, Core
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
        core = Core(db, SystemClock(), Config())
        count = await import_units(
            core, result.units, result.agency_name, result.place, result.extra
        )
    finally:
        await db.close()
    print(f"{count} unit kerja diimpor dari {path.name}.")
    return 0


async def _catalog_import(args: argparse.Namespace) -> int:
    from bot.clock import SystemClock
    from bot.services.catalog import import_catalog_file
    from bot.services.core import Config, Core
    from storage.db import Database

    path = Path(args.file)
    db = await Database.open(_db_path())
    try:
        core = Core(db, SystemClock(), Config())
        report = await import_catalog_file(core, path.read_bytes(), args.year)
    finally:
        await db.close()
    print(report.summary)
    return 0 if report.ok else 1


async def _acting(args: argparse.Namespace) -> int:
    from datetime import date

    from bot.clock import SystemClock
    from bot.services import acting
    from bot.services.core import Config, Core
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
        core = Core(db, SystemClock(), Config())
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
    finally:
        await db.close()
    print(f"{person.full_name}: {'Plh.' if args.plh else 'Plt.'} {role.value} {start} s.d. {end}")
    return 0


def _backup(args: argparse.Namespace) -> int:
    from datetime import datetime

    from storage.backup import backup, prune, timestamped

    db = _db_path()
    if not db.exists():
        print(f"Basis data tidak ada / no database at {db}", file=sys.stderr)
        return 1
    directory = db.parent / "backups"
    target = Path(args.to) if args.to else timestamped(directory, datetime.now())
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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the bot (needs TELEGRAM_BOT_TOKEN)")
    invite = sub.add_parser("invite", help="print an invite link")
    invite.add_argument("--role", required=True, choices=[r.value for r in Role])
    invite.add_argument("--unit")
    invite.add_argument("--name")
    invite.add_argument("--admin", action="store_true")
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
    demo = sub.add_parser("demo", help="play a scripted quarter offline")
    demo.add_argument("--out", default="demo-out")
    demo.add_argument("--quiet", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    args = _parser().parse_args(argv)
    if args.command != "run":
        logging.basicConfig(level=logging.WARNING)
    if args.command == "run":
        return asyncio.run(_run())
    if args.command == "invite":
        return asyncio.run(_invite(args))
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
    if args.command == "demo":
        from bot.demo import run_demo

        return asyncio.run(run_demo(Path(args.out), quiet=args.quiet))
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
