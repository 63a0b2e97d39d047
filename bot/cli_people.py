"""``python -m bot member ...``, ``python -m bot invite [list|revoke]`` and ``python -m bot plt``:
people coming and going from the command line, through the same use cases as the admin's
/anggota buttons.

A change is audited as made from the command line (no person, no chat). The running bot
delivers the messages it queues (the person told, the request handed to a new holder).
"""

from __future__ import annotations

import argparse
import html
import os
import re
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date

from bot.app import TELEGRAM_API_URL
from bot.cli_env import EXIT_USAGE, db_path, office, token_or_exit
from bot.dates import when
from bot.model import Role

NO_SUCH_PERSON = "Tidak ada anggota aktif dengan Telegram id {id}"
_TAGS = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    """A chat sentence for the terminal: no tags, no entities."""
    return html.unescape(_TAGS.sub("", text))


def add_member_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """``member list|end-role|deactivate|revoke-admin|handover``."""
    member = sub.add_parser("member", help="people: list, end a role, deactivate, hand over")
    actions = member.add_subparsers(dest="action", required=True)
    actions.add_parser("list", help="everyone registered, with roles and Telegram ids")
    end = actions.add_parser("end-role", help="end one role of a person")
    _person_role(end)
    end.add_argument("--date", help="YYYY-MM-DD: the role ends at the start of it (default: now)")
    off = actions.add_parser("deactivate", help="end every role; the person is told once")
    off.add_argument("--telegram-id", type=int, required=True)
    revoke = actions.add_parser("revoke-admin", help="take the admin right (never the last)")
    revoke.add_argument("--telegram-id", type=int, required=True)
    hand = actions.add_parser("handover", help="hand a role to someone else")
    _person_role(hand)
    target = hand.add_mutually_exclusive_group(required=True)
    target.add_argument("--to-telegram-id", type=int, help="a registered person")
    target.add_argument("--invite", action="store_true", help="print an invite for the successor")
    hand.add_argument("--bot-username")


def _person_role(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--telegram-id", type=int, required=True)
    parser.add_argument("--role", required=True, choices=[r.value for r in Role])
    parser.add_argument("--unit")


@asynccontextmanager
async def _core(bot_username: str = "kinerja_bot") -> AsyncIterator[object]:
    """The office's core on the configured database: the same clock, time zone and checks as
    ``run`` (a wrong ``KINERJA_TZ`` is one line and exit 2, not a traceback)."""
    from bot.services.core import Core
    from storage.db import Database

    clock, config = office(bot_username=bot_username)
    db = await Database.open(db_path())
    try:
        yield Core(db, clock, config)
    finally:
        await db.close()


async def member(args: argparse.Namespace, username: str | None = None) -> int:
    """Run ``member <action>``; the exit code."""
    from bot.services.core import Core
    from bot.services.people import people
    from bot.workflow import Grant
    from storage import org

    async with _core(username or "kinerja_bot") as core:
        assert isinstance(core, Core)
        if args.action == "list":
            return await _list_members(core)
        async with core.work(None) as work:
            person = await org.person_by_telegram(work.conn, args.telegram_id)
            if person is None:
                print(NO_SUCH_PERSON.format(id=args.telegram_id), file=sys.stderr)
                return 1
            try:
                if args.action == "deactivate":
                    print(plain(await people.deactivate(core, work, person.id, None)))
                    return 0
                if args.action == "revoke-admin":
                    print(plain(await people.revoke_admin(work, person.id, None)))
                    return 0
                role = Role(args.role)
                grant = Grant(role, args.unit if role.needs_unit else None)
                found = await people.find_assignment(work, person, grant)
                if found is None:
                    print(f"{person.full_name} tidak memegang peran {role.value}", file=sys.stderr)
                    return 1
                if args.action == "end-role":
                    on = date.fromisoformat(args.date) if args.date else None
                    print(plain(await people.end_role(core, work, found.id, on, None)))
                    return 0
                to = None
                if args.to_telegram_id is not None:
                    successor = await org.person_by_telegram(work.conn, args.to_telegram_id)
                    if successor is None:
                        print(NO_SUCH_PERSON.format(id=args.to_telegram_id), file=sys.stderr)
                        return 1
                    to = successor.id
                handed = await people.hand_over(
                    core, work, found.id, to, None, core.config.bot_username
                )
                print(plain(handed.text))
                return 0
            except people.PeopleError as refused:
                print(plain(refused.text), file=sys.stderr)
                return 1


async def _list_members(core: object) -> int:
    from bot.services.core import Core
    from bot.texts import common as texts
    from storage import org
    from storage import people as people_store

    assert isinstance(core, Core)
    async with core.db.reading() as conn:
        now = core.now()
        units = {u.code: u for u in await org.units(conn)}
        for person in await people_store.active_people(conn):
            roles = [
                plain(texts.role_label(a.role, units.get(a.unit_code or ""), a.acting))
                for a in await org.assignments_of(conn, person.id)
                if a.ends_at is None or a.ends_at > now
            ]
            admin = " admin" if person.is_admin else ""
            print(f"{person.telegram_id}\t{person.full_name}{admin}\t{'; '.join(roles) or '-'}")
    return 0


async def invites(args: argparse.Namespace) -> int:
    """``invite list`` and ``invite revoke TOKEN``."""
    from bot.services.core import Core
    from bot.services.people import people
    from bot.texts import common as texts
    from storage import org
    from storage import people as people_store

    async with _core() as core:
        assert isinstance(core, Core)
        if args.action == "list":
            async with core.db.reading() as conn:
                units = {u.code: u for u in await org.units(conn)}
                for item in await people_store.open_invites(conn, core.now()):
                    i = item.invite
                    role = plain(texts.role_label(i.role, units.get(i.unit_code or "")))
                    admin = " +admin" if i.is_admin else ""
                    print(f"{i.token}\t{role}{admin}\tberlaku s.d. {when(i.expires_at)}")
            return 0
        if not args.token:
            print("invite revoke TOKEN", file=sys.stderr)
            return EXIT_USAGE
        token = args.token.rsplit("start=", 1)[-1]
        try:
            async with core.work(None) as work:
                print(plain(await people.revoke_invite(work, token, None)))
        except people.PeopleError as refused:
            print(plain(refused.text), file=sys.stderr)
            return 1
    return 0


async def create_invite(args: argparse.Namespace) -> int:
    """``invite --role ...``: a new invite, its link printed."""
    from bot.services.core import Core
    from bot.services.people import onboarding
    from bot.services.people.admin import ensure_sekretariat
    from storage.db import Database

    username = args.bot_username
    if not username:
        from telegram import Bot

        from bot.transport import AiohttpRequest

        token = token_or_exit()
        api_url = os.environ.get("TELEGRAM_API_URL", TELEGRAM_API_URL)
        async with Bot(token, base_url=api_url, request=AiohttpRequest()) as bot:
            username = bot.username
    db = await Database.open(db_path())
    try:
        core = Core(db, *office(bot_username=username))
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


async def member_command(args: argparse.Namespace) -> int:
    """``member``: the bot's username asked first when a successor's invite is printed."""
    username = getattr(args, "bot_username", None)
    if getattr(args, "invite", False) and not username:
        username = await _bot_username()
    return await member(args, username)


async def _bot_username() -> str:
    """The bot's username, asked from the Bot API (for invite links)."""
    from telegram import Bot

    from bot.transport import AiohttpRequest

    token = token_or_exit()
    api_url = os.environ.get("TELEGRAM_API_URL", TELEGRAM_API_URL)
    async with Bot(token, base_url=api_url, request=AiohttpRequest()) as bot:
        return str(bot.username)


async def assign_acting(args: argparse.Namespace) -> int:
    """``plt``: an acting official (Plt. or Plh.) for a date range."""
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
    db = await Database.open(db_path())
    try:
        core = Core(db, *office())
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
