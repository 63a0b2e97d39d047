"""/anggota: the members list (paged), and for the admin a card per person with what can be
changed: end a role, hand it over, revoke admin, deactivate; and the unused invites.

Every press re-checks that the caller is an active admin and what the button names (the
codec only checks its shape); the change itself is in ``bot.services.people.people``.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import date, datetime

from bot.callbacks import Cb, encode
from bot.model import Role
from bot.services.core import Caller, Core, Origin, Outcome, caller
from bot.services.dialogue import route
from bot.services.people import people
from bot.services.people.onboarding import sapaan_of
from bot.services.work import Button, Work
from bot.texts import common as texts
from bot.texts import people as tp
from storage import org, updates
from storage import people as people_store
from storage.updates import Dialog

VIEWERS = (Role.KADIN, Role.SEKRETARIS, Role.KASUBAG_KPEP)
END_ROLE = "end_role"
PAGE_PEOPLE = 10
INVITES_PER_PAGE = 10
_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")

Action = Callable[[Work, Caller], Awaitable[Outcome | None]]


def parse_date(text: str) -> date | None:
    """A date typed day first, e.g. ``31/12/2026``; None if not understood."""
    found = _DATE.match(text)
    if not found:
        return None
    day, month, year = (int(g) for g in found.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _short(role: Role, unit: str | None, acting: str = "") -> str:
    """A role as plain button text (buttons are not HTML)."""
    prefix = {"plt": "Plt. ", "plh": "Plh. "}.get(acting, "")
    return f"{prefix}{texts.role_title(role, short=True)}" + (f" {unit}" if unit else "")


async def _people_lines(work: Work) -> list[tuple[org.Person, str]]:
    """Every active person with an active role or the admin right, with their list line."""
    units = {u.code: u for u in await org.units(work.conn)}
    roles: dict[int, list[str]] = {}
    persons: dict[int, org.Person] = {}
    for m in await org.members(work.conn, work.now):
        persons.setdefault(m.person.id, m.person)
        unit = units.get(m.assignment.unit_code or "")
        roles.setdefault(m.person.id, []).append(
            texts.role_label(m.assignment.role, unit, m.assignment.acting)
        )
    for admin in await people_store.active_admins(work.conn):
        persons.setdefault(admin.id, admin)
    return [
        (p, tp.member_line(p.full_name, roles.get(p.id, []), p.is_admin)) for p in persons.values()
    ]


def _pages(lines: list[tuple[org.Person, str]]) -> list[list[tuple[org.Person, str]]]:
    """Cut the list so that every page stays short (people and characters)."""
    pages: list[list[tuple[org.Person, str]]] = [[]]
    size = 0
    for item in lines:
        line = item[1]  # whole: cutting HTML could split a tag or an entity (names are short)
        if pages[-1] and (len(pages[-1]) >= PAGE_PEOPLE or size + len(line) > 1200):
            pages.append([])
            size = 0
        pages[-1].append((item[0], line))
        size += len(line) + 1
    return pages


async def show_page(core: Core, origin: Origin, number: int) -> Outcome:
    """/anggota (page 0) and its page buttons: for the admin and the pimpinan."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome(texts.NOT_REGISTERED)
        if not (who.person.is_admin or any(who.holds(r) for r in VIEWERS)):
            await work.reply(texts.NOT_ALLOWED)
            return Outcome(texts.NOT_ALLOWED)
        pages = _pages(await _people_lines(work))
        if not 0 <= number < len(pages):
            return Outcome(texts.BUTTON_INVALID)
        page = pages[number]
        admin = who.person.is_admin
        text = tp.members_page([line for _, line in page], number, len(pages), admin)
        buttons: list[list[Button]] = []
        if admin:
            buttons += [[(p.full_name[:40], encode(Cb.MEMBER_SHOW, p.id))] for p, _ in page]
        nav = []
        if number > 0:
            nav.append((tp.BTN_PREV, encode(Cb.MEMBER_PAGE, number - 1)))
        if number + 1 < len(pages):
            nav.append((tp.BTN_NEXT, encode(Cb.MEMBER_PAGE, number + 1)))
        buttons.append(nav)
        if admin:
            buttons.append([(tp.BTN_INVITES, encode(Cb.INVITE_LIST, 0))])
        await work.reply(text, buttons)
    return Outcome()


async def admin_press(core: Core, origin: Origin, action: Action) -> Outcome:
    """Run an admin's press: refused (and nothing changed) unless the caller is an admin now."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome(texts.NOT_REGISTERED, alert=True)
        if not who.person.is_admin:
            await work.reply(texts.ADMIN_ONLY)
            return Outcome(texts.ADMIN_ONLY)
        try:
            return await action(work, who) or Outcome()
        except people.PeopleError as refused:  # raised before anything was written
            await work.reply(refused.text)
            return Outcome()


async def show_person(core: Core, origin: Origin, person_id: int) -> Outcome:
    """A person's card with the admin's actions."""

    async def card(work: Work, who: Caller) -> None:
        person = await people.active_person(work, person_id)
        units = {u.code: u for u in await org.units(work.conn)}
        labels, buttons = [], []
        for a in await org.assignments_of(work.conn, person.id):
            if a.ends_at is not None and a.ends_at <= work.now:
                continue
            unit = units.get(a.unit_code or "")
            labels.append(texts.role_label(a.role, unit, a.acting))
            plain = _short(a.role, unit.name if unit else None, a.acting)
            buttons.append([(tp.btn_end(plain), encode(Cb.MEMBER_END, a.id))])
            buttons.append([(tp.btn_hand_over(plain), encode(Cb.MEMBER_HANDOVER, a.id))])
        if person.is_admin:
            buttons.append([(tp.BTN_REVOKE_ADMIN, encode(Cb.MEMBER_ADMIN, person.id))])
        buttons.append(
            [
                (tp.btn_sapaan(s), encode(Cb.MEMBER_SAPAAN, person.id, s.lower()))
                for s in texts.SAPAAN
                if s != person.sapaan
            ]
        )
        buttons.append([(tp.BTN_DEACTIVATE, encode(Cb.MEMBER_DEACTIVATE, person.id))])
        joined = await _joined(work, person.id)
        card = tp.member_card(person.full_name, labels, person.is_admin, joined, person.sapaan)
        await work.reply(card, buttons)

    return await admin_press(core, origin, card)


async def set_sapaan(core: Core, origin: Origin, person_id: int, value: str) -> Outcome:
    """The admin changes how a person is addressed (Bapak / Ibu)."""
    sapaan = sapaan_of(value)
    if sapaan is None:
        return Outcome(texts.BUTTON_INVALID)

    async def change(work: Work, who: Caller) -> None:
        person = await people.active_person(work, person_id)
        if person.sapaan != sapaan:
            await org.set_sapaan(work.conn, person.id, sapaan)
            await work.audit("sapaan_set", "person", person.id, {"sapaan": sapaan}, who.person.id)
        await work.reply(tp.sapaan_changed(person.full_name, sapaan))

    return await admin_press(core, origin, change)


async def _joined(work: Work, person_id: int) -> datetime:
    return await people_store.joined_at(work.conn, person_id) or work.now


async def ask_end(core: Core, origin: Origin, assignment_id: int) -> Outcome:
    """'Akhiri': ask the date (or Hari ini)."""

    async def ask(work: Work, who: Caller) -> None:
        assignment, person = await people.running(work, assignment_id)
        title = await people.role_title_plain(work, assignment)
        await updates.set_dialog(
            work.conn, who.person.telegram_id, Dialog(END_ROLE, {"a": assignment.id}), work.now
        )
        await work.reply(
            texts.fill(tp.ASK_END_DATE, role=title, name=person.full_name),
            [[(tp.BTN_TODAY, encode(Cb.MEMBER_END_TODAY, assignment.id))]],
        )

    return await admin_press(core, origin, ask)


async def end_today(core: Core, origin: Origin, assignment_id: int) -> Outcome:
    """'Hari ini': the role ends now."""

    async def end(work: Work, who: Caller) -> None:
        await updates.clear_dialog(work.conn, who.person.telegram_id)
        await work.reply(await people.end_role(core, work, assignment_id, None, who.person.id))

    return await admin_press(core, origin, end)


@route(END_ROLE)
async def _end_date(core: Core, work: Work, who: Caller, dialog: Dialog, text: str) -> None:
    day = parse_date(text)
    if day is None:
        await work.reply(tp.BAD_END_DATE)
        return
    assert work.origin is not None
    await updates.clear_dialog(work.conn, work.origin.telegram_id)
    if not who.person.is_admin:
        await work.reply(texts.ADMIN_ONLY)
        return
    try:
        note = await people.end_role(core, work, int(dialog.data["a"]), day, who.person.id)
    except people.PeopleError as refused:
        await work.reply(refused.text)
        return
    await work.reply(note)


async def deactivate(core: Core, origin: Origin, person_id: int, confirmed: bool) -> Outcome:
    """'Nonaktifkan': confirm, then deactivate."""

    async def run(work: Work, who: Caller) -> Outcome | None:
        if not confirmed:
            person = await people.active_person(work, person_id)
            await work.reply(
                tp.confirm_deactivate(person.full_name),
                [[(tp.BTN_DEACTIVATE_YES, encode(Cb.MEMBER_DEACTIVATE_YES, person.id))]],
            )
            return None
        await work.reply(await people.deactivate(core, work, person_id, who.person.id))
        return Outcome(tp.DEACTIVATED_TOAST)

    return await admin_press(core, origin, run)


async def revoke_admin(core: Core, origin: Origin, person_id: int, confirmed: bool) -> Outcome:
    """'Cabut hak admin': confirm, then revoke (never the last admin)."""

    async def run(work: Work, who: Caller) -> Outcome | None:
        if not confirmed:
            person = await people.active_person(work, person_id)
            await work.reply(
                tp.confirm_revoke_admin(person.full_name),
                [[(tp.BTN_REVOKE_ADMIN_YES, encode(Cb.MEMBER_ADMIN_YES, person.id))]],
            )
            return None
        await work.reply(await people.revoke_admin(work, person_id, who.person.id))
        return Outcome(tp.ADMIN_REVOKED_TOAST)

    return await admin_press(core, origin, run)


async def pick_successor(core: Core, origin: Origin, assignment_id: int) -> Outcome:
    """'Serahkan': choose a registered person, or a new invite."""

    async def pick(work: Work, who: Caller) -> None:
        assignment, holder = await people.running(work, assignment_id)
        title = await people.role_title_plain(work, assignment)
        others = [p for p in await people_store.active_people(work.conn) if p.id != holder.id]
        buttons: list[list[Button]] = [
            [(p.full_name[:40], encode(Cb.MEMBER_HANDOVER_TO, assignment.id, p.id))]
            for p in others[:30]
        ]
        buttons.append([(tp.BTN_BY_INVITE, encode(Cb.MEMBER_HANDOVER_INVITE, assignment.id))])
        await work.reply(texts.fill(tp.PICK_SUCCESSOR, role=title, name=holder.full_name), buttons)

    return await admin_press(core, origin, pick)


async def hand_over(
    core: Core, origin: Origin, assignment_id: int, to_person_id: int | None
) -> Outcome:
    """The successor chosen (or a new invite): the role and what waits on it move."""

    async def run(work: Work, who: Caller) -> None:
        handed = await people.hand_over(
            core, work, assignment_id, to_person_id, who.person.id, core.config.bot_username
        )
        await work.reply(handed.text)

    return await admin_press(core, origin, run)


async def list_invites(core: Core, origin: Origin, number: int) -> Outcome:
    """Unused invitations, each with a revoke button."""

    async def show(work: Work, who: Caller) -> Outcome | None:
        invites = await people_store.open_invites(work.conn, work.now)
        if not invites:
            await work.reply(tp.NO_INVITES)
            return None
        page = invites[number * INVITES_PER_PAGE : (number + 1) * INVITES_PER_PAGE]
        if not page:
            return Outcome(texts.BUTTON_INVALID)
        units = {u.code: u for u in await org.units(work.conn)}
        rows = [
            (
                i.number,
                texts.role_label(i.invite.role, units.get(i.invite.unit_code or ""))
                + (" + admin" if i.invite.is_admin else ""),
                i.invite.created_at,
                i.invite.expires_at,
            )
            for i in page
        ]
        buttons: list[list[Button]] = [
            [(tp.btn_revoke_invite(i.number), encode(Cb.INVITE_REVOKE, i.number))] for i in page
        ]
        if len(invites) > (number + 1) * INVITES_PER_PAGE:
            buttons.append([(tp.BTN_NEXT, encode(Cb.INVITE_LIST, number + 1))])
        await work.reply(tp.invites_list(rows), buttons)
        return None

    return await admin_press(core, origin, show)


async def revoke_invite(core: Core, origin: Origin, number: int) -> Outcome:
    """'Cabut undangan n'."""

    async def run(work: Work, who: Caller) -> Outcome:
        invite = await people_store.invite_by_number(work.conn, number)
        if invite is None:
            return Outcome(texts.BUTTON_INVALID)
        await work.reply(await people.revoke_invite(work, invite.token, who.person.id))
        return Outcome(tp.INVITE_REVOKED_TOAST)

    return await admin_press(core, origin, run)
