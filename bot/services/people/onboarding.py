"""Use cases of joining and the organisation: invites, /start, members, the group, help."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from bot.callbacks import Cb, encode
from bot.model import Role, Unit
from bot.services.core import AlreadyHandled, Core, Origin, Outcome, caller
from bot.services.work import Work
from bot.texts import common as texts
from bot.workflow import Grant
from storage import org, people

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
ADMIN_VIEWERS = (Role.KADIN, Role.SEKRETARIS, Role.KASUBAG_KPEP)


@dataclass(frozen=True, slots=True)
class CreatedInvite:
    """An invitation ready to pass on."""

    link: str
    invite: org.Invite
    unit: Unit | None


class InviteError(ValueError):
    """An invitation cannot be made as asked (unknown unit, missing unit, ...)."""


FIRST_NEEDS_ADMIN = (
    "the database has no admin yet, so the first invite must make one: add --admin, e.g. "
    "`python -m bot invite --role kasubag_kpep --admin`"
)


def invite_link(bot_username: str, token: str) -> str:
    """The deep link that starts the bot with the token."""
    return f"https://t.me/{bot_username}?start={token}"


async def _create_invite(
    work: Work,
    core: Core,
    role: Role,
    unit_code: str | None,
    name: str | None,
    is_admin: bool,
    created_by: int | None,
    bot_username: str,
    sapaan: str = "",
) -> CreatedInvite:
    if sapaan and sapaan not in texts.SAPAAN:
        raise InviteError(f"--sapaan must be one of {', '.join(texts.SAPAAN)}")
    if role.needs_unit and not unit_code:
        raise InviteError(f"role {role} needs --unit")
    if not role.needs_unit:
        unit_code = None
    unit = await org.unit(work.conn, unit_code) if unit_code else None
    if unit_code and unit is None:
        raise InviteError(f"unknown unit {unit_code!r}")
    # Admin only on purpose: nothing makes an admin but ``--admin`` (or an admin's choice).
    # While the agency has no admin and none is invited, a plain invite would leave it with
    # nobody able to run it, so it is refused with the way to do it right.
    if (
        not is_admin
        and not await people.active_admins(work.conn)
        and not await people.has_live_admin_invite(work.conn, work.now)
    ):
        raise InviteError(FIRST_NEEDS_ADMIN)
    invite = org.Invite(
        token=secrets.token_urlsafe(18),
        role=role,
        unit_code=unit_code,
        name=name,
        is_admin=is_admin,
        created_at=work.now,
        expires_at=work.now + core.config.invite_ttl,
        used_by=None,
        revoked_at=None,
        sapaan=sapaan,
    )
    await org.add_invite(work.conn, invite, created_by)
    await work.audit(
        "invite_created",
        "invite",
        invite.token[:6],
        {"role": role.value, "unit": unit_code, "admin": invite.is_admin},
        person_id=created_by,
    )
    return CreatedInvite(invite_link(bot_username, invite.token), invite, unit)


async def create_invite_in(
    work: Work,
    core: Core,
    role: Role,
    unit_code: str | None,
    created_by: int | None,
    bot_username: str,
) -> CreatedInvite:
    """A plain (non-admin) invitation made inside another use case (a role handed over)."""
    return await _create_invite(work, core, role, unit_code, None, False, created_by, bot_username)


async def create_invite_cli(
    core: Core,
    role: Role,
    unit_code: str | None,
    name: str | None,
    is_admin: bool,
    bot_username: str,
    sapaan: str = "",
) -> CreatedInvite:
    """``python -m bot invite``: make an invitation from the command line."""
    async with core.work(None) as work:
        return await _create_invite(
            work, core, role, unit_code, name, is_admin, None, bot_username, sapaan
        )


async def start(core: Core, origin: Origin, payload: str | None) -> Outcome:
    """/start with or without an invite token."""
    async with core.work(origin) as work:
        if origin.in_group:
            return Outcome()
        person = await org.person_by_telegram(work.conn, origin.telegram_id)
        if not payload:
            await work.reply(texts.START_REGISTERED if person else texts.start_no_token())
            if person is not None and person.sapaan not in texts.SAPAAN:
                await work.reply(texts.ask_sapaan(), sapaan_buttons(), tag=sapaan_tag(person.id))
            return Outcome()
        token = payload.strip()
        if not TOKEN_PATTERN.match(token):
            await work.reply(texts.INVITE_MALFORMED)
            return Outcome()
        invite = await org.invite(work.conn, token)
        refusal = _invite_refusal(invite, work.now)
        if refusal or invite is None:
            await work.reply(refusal or texts.INVITE_UNKNOWN)
            await work.audit("invite_refused", "invite", token[:6], {"reason": refusal})
            return Outcome()
        await _redeem(core, work, origin, person, invite)
    return Outcome()


def _invite_refusal(invite: org.Invite | None, now: datetime) -> str | None:
    if invite is None:
        return texts.INVITE_UNKNOWN
    if invite.revoked_at is not None:
        return texts.INVITE_REVOKED
    if invite.used_by is not None:
        return texts.INVITE_USED
    if now >= invite.expires_at:
        return texts.INVITE_EXPIRED
    return None


async def _redeem(
    core: Core, work: Work, origin: Origin, person: org.Person | None, invite: org.Invite
) -> None:
    unit = await org.unit(work.conn, invite.unit_code) if invite.unit_code else None
    grant = Grant(invite.role, invite.unit_code)
    if person is None:
        # Someone deactivated joins again with a new invitation: the same person, active.
        person = await org.person_by_telegram_any(work.conn, origin.telegram_id)
        if person is not None:
            await org_reactivate(work, person)
            person = await org.person(work.conn, person.id)
            assert person is not None
    if person is None:
        person_id = await org.add_person(
            work.conn,
            origin.telegram_id,
            invite.name or origin.full_name or str(origin.telegram_id),
            origin.username,
            invite.is_admin,
            work.now,
            invite.sapaan,
        )
        person = await org.person(work.conn, person_id)
        assert person is not None
    else:
        current = await org.actor(work.conn, person, work.now)
        if current.holds(grant.role, grant.unit_code):
            await work.reply(texts.already_has_role(invite.role, unit))
            return
    if not await org.use_invite(work.conn, invite.token, person.id, work.now):
        raise AlreadyHandled(invite.token)  # lost a race with another redemption
    if invite.is_admin and not person.is_admin:
        await org.make_admin(work.conn, person.id)
    if invite.sapaan and invite.sapaan != person.sapaan:  # the inviter knows the person
        await org.set_sapaan(work.conn, person.id, invite.sapaan)
        person = await org.person(work.conn, person.id)
        assert person is not None
    await org.add_assignment(work.conn, person.id, grant, work.now, None, None, work.now)
    await work.audit(
        "joined",
        "person",
        person.id,
        {"role": invite.role.value, "unit": invite.unit_code, "invite": invite.token[:6]},
        person_id=person.id,
    )
    actor = await org.actor(work.conn, person, work.now)
    roles = []
    for g in sorted(actor.grants, key=lambda g: (g.role.value, g.unit_code or "")):
        roles.append((g.role, await org.unit(work.conn, g.unit_code) if g.unit_code else None))
    # Asked with the welcome itself when nobody said how the person is addressed.
    ask = sapaan_buttons() if person.sapaan not in texts.SAPAAN else None
    if len(actor.grants) == 1:
        admin = invite.is_admin or person.is_admin
        text = texts.welcome(person.full_name, roles, admin, person.sapaan)
        await work.reply(text, ask, tag=sapaan_tag(person.id))
    else:
        await work.reply(texts.added_role(invite.role, unit))
        if ask:
            await work.reply(texts.ask_sapaan(), ask, tag=sapaan_tag(person.id))
    from bot.services.people import handover

    await handover.sync(core, work)  # after the welcome: what waits on the role comes next


def sapaan_tag(person_id: int) -> str:
    """The tag of the messages asking a person's sapaan (their buttons go once answered)."""
    return f"sapaan:{person_id}"


def sapaan_buttons() -> list[list[tuple[str, str]]]:
    """Bapak / Ibu, for the person to choose how the bot addresses them."""
    return [[(s, encode(Cb.SAPAAN, s.lower())) for s in texts.SAPAAN]]


def sapaan_of(value: str) -> str | None:
    """The sapaan a button carries ("bapak" -> "Bapak"), None for anything else."""
    return next((s for s in texts.SAPAAN if s.lower() == value), None)


async def choose_sapaan(core: Core, origin: Origin, value: str) -> Outcome:
    """The person's own Bapak / Ibu (asked at /start); they may choose again later."""
    sapaan = sapaan_of(value)
    if sapaan is None:
        return Outcome(texts.BUTTON_INVALID)
    async with core.work(origin) as work:
        person = await org.person_by_telegram(work.conn, origin.telegram_id)
        if person is None:
            return Outcome(texts.NOT_REGISTERED, alert=True)
        if person.sapaan != sapaan:
            await org.set_sapaan(work.conn, person.id, sapaan)
            await work.audit("sapaan_set", "person", person.id, {"sapaan": sapaan}, person.id)
        await work.clear_buttons(sapaan_tag(person.id))
        await work.reply(texts.sapaan_saved(sapaan))
    return Outcome()


async def org_reactivate(work: Work, person: org.Person) -> None:
    """Make a deactivated person active again (audited)."""
    await people.reactivate(work.conn, person.id)
    await work.audit("person_reactivated", "person", person.id, {}, person_id=person.id)


async def invite_menu(core: Core, origin: Origin) -> Outcome:
    """/undang: the admin picks the role."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome()
        if not who.person.is_admin:
            await work.reply(texts.ADMIN_ONLY)
            return Outcome()
        buttons = [
            [(texts.role_title(r, short=True), encode(Cb.INVITE_ROLE, r.value))] for r in Role
        ]
        await work.reply(texts.invite_choose_role(), buttons)
    return Outcome()


async def invite_pick(
    core: Core, origin: Origin, role_value: str, unit_code: str | None
) -> Outcome:
    """/undang buttons: a role (then a unit for unit roles), then the link."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome(texts.NOT_REGISTERED, alert=True)
        if not who.person.is_admin:
            await work.reply(texts.ADMIN_ONLY)
            return Outcome(texts.ADMIN_ONLY)
        try:
            role = Role(role_value)
        except ValueError:
            return Outcome(texts.BUTTON_INVALID)
        if role.needs_unit and unit_code is None:
            units = await org.units(work.conn)
            buttons = [[(u.name, encode(Cb.INVITE_UNIT, role.value, u.code))] for u in units]
            await work.reply(texts.invite_choose_unit(role), buttons)
            return Outcome()
        try:
            created = await _create_invite(
                work, core, role, unit_code, None, False, who.person.id, core.config.bot_username
            )
        except InviteError:
            return Outcome(texts.BUTTON_INVALID)
        await work.reply(
            texts.invite_link(created.link, role, created.unit, created.invite.expires_at)
        )
    return Outcome()


async def register_group(core: Core, origin: Origin) -> Outcome:
    """/daftarkan_grup in a group: the admin makes it the agency group."""
    async with core.work(origin) as work:
        person = await org.person_by_telegram(work.conn, origin.telegram_id)
        if not origin.in_group:
            await work.reply(texts.GROUP_ONLY)
            return Outcome()
        if person is None or not person.is_admin:
            await work.reply(texts.ADMIN_ONLY)
            return Outcome()
        await org.register_group(work.conn, origin.chat_id, origin.chat_title, person.id, work.now)
        await work.audit(
            "group_registered",
            "group",
            origin.chat_id,
            {"title": origin.chat_title},
            person_id=person.id,
        )
        await work.reply(texts.group_registered(origin.chat_title))
    return Outcome()


async def help_(core: Core, origin: Origin) -> Outcome:
    """/bantuan for the sender's roles."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome()
        roles = [
            (g.role, await org.unit(work.conn, g.unit_code) if g.unit_code else None)
            for g in who.actor.grants
        ]
        await work.reply(texts.help_text(roles, who.person.is_admin))
    return Outcome()


async def say_only(core: Core, origin: Origin, text: str) -> Outcome:
    """Answer with a fixed text (unknown command, sticker, ...) and change nothing else."""
    async with core.work(origin) as work:
        person = await org.person_by_telegram(work.conn, origin.telegram_id)
        if person is None and not origin.in_group:
            await work.reply(texts.NOT_REGISTERED)
        elif not origin.in_group:
            await work.reply(text)
    return Outcome()


async def group_pointer(core: Core, origin: Origin) -> Outcome:
    """A command in the group that belongs in the private chat (other groups: refused)."""
    from bot.services.people.groups import refuse_stranger_group

    async with core.work(origin) as work:
        if await refuse_stranger_group(work):
            return Outcome()
        await work.reply(
            texts.fill(texts.GROUP_POINTER, link=f"https://t.me/{core.config.bot_username}")
        )
    return Outcome()


async def mark_handled(core: Core, origin: Origin) -> None:
    """Record an update that needs no answer (so a redelivery is skipped)."""
    try:
        async with core.work(origin):
            pass
    except AlreadyHandled:
        pass
