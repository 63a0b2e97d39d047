"""One log line per use case: who (person id and roles), what, which period and unit, outcome.

Written by the unit of work (:meth:`bot.services.core.Core.work`) for every use case, so no
use case has to remember it. The line carries ids, role and unit codes and the names of the
audited changes, never what an official typed (reasons, notes, recommendations stay in the
database). Use cases a person caused are logged at INFO; the bot's own jobs (reminders,
housekeeping) at INFO only when they changed something, else at DEBUG.
"""

from __future__ import annotations

import logging
import sys
from datetime import datetime
from typing import Protocol

import aiosqlite

from bot.services.who import Caller, Origin
from storage import audit, org, periods

log = logging.getLogger("bot.usecase")


class Work(Protocol):
    """What the line reads of a use case's unit of work (:class:`bot.services.work.Work`).

    A protocol rather than an import: the unit of work writes this line, so this module
    stays below it.
    """

    @property
    def conn(self) -> aiosqlite.Connection: ...
    @property
    def who(self) -> Caller | None: ...
    @property
    def changes(self) -> list[tuple[str, str, str | None]]: ...
    @property
    def refused(self) -> str | None: ...
    @property
    def queued(self) -> int: ...


_OWN_MODULES = ("bot.services.core", "bot.services.uselog", "contextlib")


def short_module(module: str) -> str:
    """``bot.services.quarter.review`` -> ``review``: a log line names the module, not its room."""
    return module.rpartition(".")[2]


def use_case_name() -> str:
    """The service function that opened the unit of work, e.g. ``review.approve``.

    Read from the call stack (the frame that entered ``core.work``), so that no use case has
    to name itself; a few frame hops, no ``inspect.stack()``.
    """
    frame = sys._getframe(1)
    while frame is not None:
        module = str(frame.f_globals.get("__name__", ""))
        if not module.startswith(_OWN_MODULES):
            return f"{short_module(module)}.{frame.f_code.co_name}"
        frame = frame.f_back  # type: ignore[assignment]
    return "?"


def level(origin: Origin | None, work: Work | None) -> int:
    """INFO for what a person caused or a job that changed something, DEBUG otherwise."""
    if origin is not None or (work is not None and work.changes):
        return logging.INFO
    return logging.DEBUG


async def subject(work: Work) -> tuple[str, str]:
    """(period, unit) the use case concerned, read inside its transaction; never raises.

    From the audited changes first (a report's period and unit), else the current period
    and the person's only unit.
    """
    try:
        period_id: int | None = None
        unit: str | None = None
        for _, entity, entity_id in work.changes:
            found_period, found_unit = await audit.subject_of(work.conn, entity, entity_id)
            period_id = period_id or found_period
            unit = unit or found_unit
        period = (
            await periods.period(work.conn, period_id)
            if period_id is not None
            else await periods.current_period(work.conn)
        )
        if unit is None and work.who is not None:
            units = {g.unit_code for g in work.who.actor.grants if g.unit_code}
            unit = units.pop() if len(units) == 1 else None
        return (f"#{period.id} {period.label}" if period else "-"), unit or "-"
    except Exception:  # the log line must never undo the use case
        return "?", "?"


async def registered(conn: aiosqlite.Connection, telegram_id: int, now: datetime) -> Caller | None:
    """The registered person with ``telegram_id`` and their grants now, or None; never raises
    (read for the line only, when the use case did not ask)."""
    try:
        person = await org.person_by_telegram(conn, telegram_id)
        return None if person is None else Caller(person, await org.actor(conn, person, now))
    except Exception:  # the log line must never undo the use case
        return None


def who(origin: Origin | None, work: Work | None) -> str:
    """``person 3 (kabid:pelatihan)``, ``telegram 123 (not registered)`` or ``system``."""
    if origin is None:
        return "system"
    if work is None or work.who is None:
        return f"telegram {origin.telegram_id} (not registered)"
    roles = sorted(
        f"{g.role.value}:{g.unit_code}" if g.unit_code else g.role.value
        for g in work.who.actor.grants
    )
    admin = ["admin"] if work.who.person.is_admin else []
    return f"person {work.who.person.id} ({', '.join([*roles, *admin]) or 'no role'})"


def outcome(work: Work | None) -> str:
    """The audited changes (``unit_approved``), or ``no change``; and the messages queued."""
    if work is None:
        return "no change"
    done = ", ".join(dict.fromkeys(action for action, _, _ in work.changes)) or "no change"
    if work.refused and not work.changes:
        done = f"refused ({work.refused})"
    return f"{done}; {work.queued} message(s) queued"


def write(
    use_case: str,
    origin: Origin | None,
    work: Work | None,
    where: tuple[str, str],
    result: str,
) -> None:
    """Emit the line."""
    update = f"update {origin.update_id} " if origin and origin.update_id is not None else ""
    chat = f" in chat {origin.chat_id}" if origin and origin.in_group else ""
    log.log(
        level(origin, work),
        "%suse case %s by %s%s, period %s, unit %s: %s",
        update,
        use_case,
        who(origin, work),
        chat,
        where[0],
        where[1],
        result,
    )
