"""People come and go: end a role, hand it over, deactivate a person, revoke admin, revoke an
unused invite. Shared by the admin's /anggota buttons and ``python -m bot member|invite``.

Each function runs inside the caller's transaction (``work``), checks what it is asked against
the database (never against the button that asked), audits who did it from which chat
(``by`` is None from the command line), tells the person concerned, and lets the decisions
waiting on a role follow it (``bot.services.people.handover``). Refusals raise :class:`PeopleError`
with the Indonesian sentence to show; nothing is changed then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from bot.services.core import Core
from bot.services.people import handover, onboarding
from bot.services.work import Work
from bot.texts import common as texts
from bot.texts import people as tp
from bot.workflow import Grant
from storage import org, people, updates


class PeopleError(Exception):
    """A change refused; ``text`` says why (formal Indonesian, HTML-safe)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


@dataclass(frozen=True, slots=True)
class Handed:
    """The outcome of a hand-over: the sentence for the admin and the invite, if one was made."""

    text: str
    invite: onboarding.CreatedInvite | None = None


def _via(work: Work) -> str:
    return "chat" if work.origin is not None else "cli"


async def role_title(work: Work, assignment: org.Assignment) -> str:
    """An assignment as a title (escaped), e.g. "Plt. Kepala Bidang (Bidang Pelatihan)"."""
    unit = await org.unit(work.conn, assignment.unit_code) if assignment.unit_code else None
    return texts.role_label(assignment.role, unit, assignment.acting)


async def role_title_plain(work: Work, assignment: org.Assignment) -> str:
    """The same title unescaped, for ``texts.fill`` (which escapes every value itself)."""
    unit = await org.unit(work.conn, assignment.unit_code) if assignment.unit_code else None
    return texts.role_label_plain(assignment.role, unit, assignment.acting)


async def running(work: Work, assignment_id: int) -> tuple[org.Assignment, org.Person]:
    """An assignment still in force (or yet to start) and its active holder."""
    found = await people.assignment(work.conn, assignment_id)
    if found is None:
        raise PeopleError(texts.BUTTON_INVALID)
    if found.ends_at is not None and found.ends_at <= work.now:
        raise PeopleError(tp.NOT_ACTIVE)
    person = await org.person(work.conn, found.person_id)
    if person is None or not person.active:
        raise PeopleError(tp.PERSON_GONE)
    return found, person


async def active_person(work: Work, person_id: int) -> org.Person:
    """A person not deactivated."""
    person = await org.person(work.conn, person_id)
    if person is None:
        raise PeopleError(texts.BUTTON_INVALID)
    if not person.active:
        raise PeopleError(tp.PERSON_GONE)
    return person


def end_instant(core: Core, work: Work, on: date | None, starts_at: datetime) -> datetime:
    """When a role ended "on" a date: now for today (or no date), the start of that day in the
    office's time zone otherwise, never before the assignment began."""
    tz = core.config.calendar.tz
    today = work.now.astimezone(tz).date()
    if on is None or on == today:
        return work.now
    return max(datetime.combine(on, time(0), tz), starts_at)


async def end_role(
    core: Core, work: Work, assignment_id: int, on: date | None, by: int | None
) -> str:
    """End one role of a person (today, or at the start of ``on``); return the admin's note."""
    assignment, person = await running(work, assignment_id)
    at = end_instant(core, work, on, assignment.starts_at)
    if not await people.end_assignment_by(work.conn, assignment.id, at, by):
        raise PeopleError(tp.NOT_ACTIVE)
    title = await role_title(work, assignment)
    await work.audit(
        "role_ended",
        "person",
        person.id,
        {
            "assignment": assignment.id,
            "role": assignment.role.value,
            "unit": assignment.unit_code,
            "at": at.isoformat(),
            "via": _via(work),
        },
        by,
    )
    await work.say(person.telegram_id, tp.your_role_ended(title, at))
    await handover.sync(core, work)
    return tp.role_ended(person.full_name, title, at)


async def _refuse_last_admin(work: Work, person: org.Person) -> None:
    admins = await people.active_admins(work.conn)
    if person.is_admin and [a.id for a in admins] == [person.id]:
        raise PeopleError(texts.fill(tp.LAST_ADMIN, name=person.full_name))


async def deactivate(core: Core, work: Work, person_id: int, by: int | None) -> str:
    """Deactivate a person: every role ends now, admin goes, they are told once."""
    person = await active_person(work, person_id)
    await _refuse_last_admin(work, person)
    ended = []
    for assignment in await org.assignments_of(work.conn, person.id):
        if await people.end_assignment_by(work.conn, assignment.id, work.now, by):
            ended.append(assignment.id)
    if not await people.deactivate(work.conn, person.id, work.now):
        raise PeopleError(tp.PERSON_GONE)
    await updates.clear_dialog(work.conn, person.telegram_id)  # no half-typed answer survives
    await work.audit(
        "person_deactivated",
        "person",
        person.id,
        {"assignments": ended, "was_admin": person.is_admin, "via": _via(work)},
        by,
    )
    await work.say(person.telegram_id, tp.YOU_ARE_DEACTIVATED)
    await handover.sync(core, work)
    return tp.deactivated(person.full_name)


async def revoke_admin(work: Work, person_id: int, by: int | None) -> str:
    """Take the admin right from a person (never from the last admin)."""
    person = await active_person(work, person_id)
    if not person.is_admin:
        raise PeopleError(tp.NOT_AN_ADMIN)
    await _refuse_last_admin(work, person)
    if not await people.revoke_admin(work.conn, person.id):
        raise PeopleError(tp.NOT_AN_ADMIN)
    await work.audit("admin_revoked", "person", person.id, {"via": _via(work)}, by)
    await work.say(person.telegram_id, tp.YOUR_ADMIN_REVOKED)
    return tp.admin_revoked(person.full_name)


async def hand_over(
    core: Core,
    work: Work,
    assignment_id: int,
    to_person_id: int | None,
    by: int | None,
    bot_username: str,
) -> Handed:
    """Hand a role to another registered person, or (``to_person_id`` None) end it now and
    make an invite for the successor. What waits on the role follows it."""
    assignment, old = await running(work, assignment_id)
    grant = Grant(assignment.role, assignment.unit_code)
    title = await role_title(work, assignment)
    new = await active_person(work, to_person_id) if to_person_id is not None else None
    if new is not None:
        if new.id == old.id:
            raise PeopleError(tp.SAME_PERSON)
        if (await org.actor(work.conn, new, work.now)).holds(grant.role, grant.unit_code):
            raise PeopleError(texts.fill(tp.ALREADY_HOLDS, name=new.full_name))
    at = max(work.now, assignment.starts_at)
    if not await people.end_assignment_by(work.conn, assignment.id, at, by):
        raise PeopleError(tp.NOT_ACTIVE)
    detail: dict[str, object] = {
        "assignment": assignment.id,
        "role": grant.role.value,
        "unit": grant.unit_code,
        "from": old.id,
        "via": _via(work),
    }
    await work.say(old.telegram_id, tp.your_role_ended(title, at))
    created = None
    if new is not None:
        # The successor takes the rest of the term (an acting one ends when it would have).
        new_id = await org.add_assignment(
            work.conn, new.id, grant, at, assignment.ends_at, by, work.now, acting=assignment.acting
        )
        detail.update(to=new.id, new_assignment=new_id)
        await work.say(new.telegram_id, tp.you_took_over(title, old.full_name))
        text = tp.handed_over(title, old.full_name, new.full_name)
    else:
        created = await onboarding.create_invite_in(
            work, core, grant.role, grant.unit_code, by, bot_username
        )
        detail.update(invite=created.invite.token[:6])
        text = tp.handed_over_by_invite(
            title, old.full_name, created.link, created.invite.expires_at
        )
    await work.audit("role_handed_over", "person", old.id, detail, by)
    await handover.sync(core, work)
    return Handed(text, created)


async def revoke_invite(work: Work, token: str, by: int | None) -> str:
    """Revoke an invitation not yet used."""
    if not await org.revoke_invite(work.conn, token, work.now):
        raise PeopleError(tp.INVITE_GONE)
    await work.audit("invite_revoked", "invite", token[:6], {"via": _via(work)}, by)
    return tp.INVITE_REVOKED_TOAST


async def find_assignment(work: Work, person: org.Person, grant: Grant) -> org.Assignment | None:
    """The person's running assignment of ``grant`` (for the command line)."""
    for assignment in await org.assignments_of(work.conn, person.id):
        if (
            assignment.role == grant.role
            and assignment.unit_code == grant.unit_code
            and (assignment.ends_at is None or assignment.ends_at > work.now)
        ):
            return assignment
    return None
