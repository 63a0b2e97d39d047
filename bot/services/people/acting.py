"""Acting officials (Plt./Plh.): a role held from a start date to an end date.

From the start the acting person receives the role's messages and buttons (every
notification goes to the holders at that moment); after the end the assignment lapses on
its own, with nothing to undo. The audit log and the report name them "Plt. …".
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from bot.callbacks import Cb, encode
from bot.model import Role
from bot.services.core import Core, Origin, Outcome, caller
from bot.services.dialogue import route
from bot.services.quarter.flow import refuse_role
from bot.services.work import Button, Work
from bot.texts import acting as tx
from bot.texts import common as texts
from bot.workflow import Grant
from storage import org, updates
from storage.updates import Dialog

ACTING = "acting"
_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def parse_dates(text: str) -> tuple[date, date] | None:
    """Two dates typed as ``1/12/2026 - 31/12/2026`` (day first); None if not understood."""
    found = _DATE.findall(text)
    if len(found) != 2:
        return None
    try:
        start, end = (date(int(y), int(m), int(d)) for d, m, y in found)
    except ValueError:
        return None
    return (start, end) if start <= end else None


async def assign(
    work: Work,
    person_id: int,
    grant: Grant,
    start: date,
    end: date,
    kind: str,
    created_by: int | None,
    tz: Any,
) -> int:
    """Record an acting assignment from the start of ``start`` to the end of ``end``."""
    starts_at = datetime.combine(start, time(0), tz)
    ends_at = datetime.combine(end + timedelta(days=1), time(0), tz)
    assignment_id = await org.add_assignment(
        work.conn, person_id, grant, starts_at, ends_at, created_by, work.now, acting=kind
    )
    await work.audit(
        "acting_assigned",
        "person",
        person_id,
        {
            "role": grant.role.value,
            "unit": grant.unit_code,
            "kind": kind,
            "from": start.isoformat(),
            "to": end.isoformat(),
        },
        created_by,
    )
    return assignment_id


async def menu(core: Core, origin: Origin) -> Outcome:
    """/plt: the admin picks the person."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome()
        if not who.person.is_admin:
            await work.reply(texts.ADMIN_ONLY)
            return Outcome()
        seen: dict[int, str] = {}
        for member in await org.members(work.conn, work.now):
            seen.setdefault(member.person.id, member.person.full_name)
        buttons = [[(name[:40], encode(Cb.ACTING_PERSON, pid))] for pid, name in seen.items()]
        await work.reply(tx.PICK_PERSON, buttons[:40])
    return Outcome()


async def pick(
    core: Core, origin: Origin, person_id: int, role: str | None, unit: str | None
) -> Outcome:
    """The admin's choices: person, then role, then unit; then the dates are typed."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome(texts.NOT_REGISTERED, alert=True)
        if not who.person.is_admin:
            await refuse_role(work)
            return Outcome(texts.BUTTON_NOT_YOURS)
        person = await org.person(work.conn, person_id)
        if person is None:
            return Outcome(texts.BUTTON_INVALID)
        if role is None:
            buttons: list[list[Button]] = [
                [(texts.role_title(r, short=True), encode(Cb.ACTING_ROLE, person_id, r.value))]
                for r in Role
            ]
            await work.reply(tx.pick_role(person.full_name), buttons)
            return Outcome()
        chosen = Role(role)
        if chosen.needs_unit and unit is None:
            buttons = [
                [(u.name, encode(Cb.ACTING_UNIT, person_id, chosen.value, u.code))]
                for u in await org.units(work.conn)
            ]
            await work.reply(tx.PICK_UNIT, buttons)
            return Outcome()
        if unit is not None and await org.unit(work.conn, unit) is None:
            return Outcome(texts.BUTTON_INVALID)
        await updates.set_dialog(
            work.conn,
            origin.telegram_id,
            Dialog(
                ACTING,
                {
                    "person": person_id,
                    "role": chosen.value,
                    "unit": unit if chosen.needs_unit else None,
                },
            ),
            work.now,
        )
        await work.reply(tx.ASK_DATES, force_reply=True)
    return Outcome()


@route(ACTING)
async def _dates(core: Core, work: Work, who: Any, dialog: Dialog, text: str) -> None:
    dates = parse_dates(text)
    if dates is None:
        await work.reply(tx.BAD_DATES, force_reply=True)
        return
    assert work.origin is not None
    await updates.clear_dialog(work.conn, work.origin.telegram_id)
    if not who.person.is_admin:
        await refuse_role(work)
        return
    kind = "plh" if "plh" in text.lower() else "plt"
    grant = Grant(Role(dialog.data["role"]), dialog.data.get("unit"))
    person = await org.person(work.conn, int(dialog.data["person"]))
    assert person is not None
    await assign(
        work, person.id, grant, dates[0], dates[1], kind, who.person.id, core.config.calendar.tz
    )
    unit = await org.unit(work.conn, grant.unit_code) if grant.unit_code else None
    title = texts.role_label(grant.role, unit, kind)
    await work.reply(tx.assigned(person.full_name, title, dates[0], dates[1]))
    await work.say(person.telegram_id, tx.you_are_acting(title, dates[0], dates[1]))
    from bot.services.people import handover

    await handover.sync(core, work)  # a term starting today takes what waits on the role
