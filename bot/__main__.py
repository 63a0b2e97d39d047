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
from pathlib import Path

from bot import cli_import, cli_people, cli_run
from bot.cli_env import EXIT_USAGE, db_path
from bot.model import Role
from bot.web.server import DEFAULT_LISTEN

log = logging.getLogger("bot")


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
            return asyncio.run(cli_run.run_bot())
        except Exception as exc:  # the last resort: one line, through the redacting log
            log.critical("bot stopped: %s: %s", type(exc).__name__, str(exc).split("\n")[0])
            return 1
    if args.command == "invite" and args.action:
        return asyncio.run(cli_people.invites(args))
    if args.command == "invite":
        if not args.role:
            print("invite needs --role (or: invite list | invite revoke TOKEN)", file=sys.stderr)
            return EXIT_USAGE
        return asyncio.run(cli_people.create_invite(args))
    if args.command == "member":
        return asyncio.run(cli_people.member_command(args))
    if args.command == "org":
        return asyncio.run(cli_import.org_import(args))
    if args.command == "catalog":
        return asyncio.run(cli_import.catalog_import(args))
    if args.command == "plt":
        return asyncio.run(cli_people.assign_acting(args))
    if args.command == "backup":
        return cli_run.backup_database(args)
    if args.command == "restore":
        return cli_run.restore_database(args)
    if args.command == "history":
        return asyncio.run(cli_import.history_import(args))
    if args.command == "check":
        return asyncio.run(cli_run.health_check())
    if args.command == "export":
        from bot.cli_export import export

        return asyncio.run(export(args, db_path()))
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
