"""Units, people, role assignments, invites and the agency group."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.clock import from_iso, to_iso
from bot.model import Role, Unit, UnitKind
from bot.workflow import Actor, Grant


@dataclass(frozen=True, slots=True)
class Person:
    """A registered official."""

    id: int
    telegram_id: int
    full_name: str
    username: str | None
    is_admin: bool
    blocked: bool
    active: bool = True  # False once deactivated: answered as unregistered
    sapaan: str = ""  # "Bapak" or "Ibu"; empty until the person or the admin says which


@dataclass(frozen=True, slots=True)
class Assignment:
    """A role held by a person, possibly for a unit and for a limited time (Plt./Plh.)."""

    id: int
    person_id: int
    role: Role
    unit_code: str | None
    acting: str  # '', 'plt' or 'plh'
    starts_at: datetime
    ends_at: datetime | None

    def active_at(self, at: datetime) -> bool:
        """Whether the assignment is in force at ``at``."""
        return self.starts_at <= at and (self.ends_at is None or at < self.ends_at)


@dataclass(frozen=True, slots=True)
class Invite:
    """A single-use invitation to join with a role."""

    token: str
    role: Role
    unit_code: str | None
    name: str | None
    is_admin: bool
    created_at: datetime
    expires_at: datetime
    used_by: int | None
    revoked_at: datetime | None
    sapaan: str = ""  # given to the person who joins with it, so they need not be asked


@dataclass(frozen=True, slots=True)
class Member:
    """A person with one active assignment, for listings and notifications."""

    person: Person
    assignment: Assignment


def _person(row: aiosqlite.Row) -> Person:
    return Person(
        id=row["id"],
        telegram_id=row["telegram_id"],
        full_name=row["full_name"],
        username=row["username"],
        is_admin=bool(row["is_admin"]),
        blocked=row["blocked_at"] is not None,
        active=row["deactivated_at"] is None,
        sapaan=row["sapaan"],
    )


def _assignment(row: aiosqlite.Row) -> Assignment:
    return Assignment(
        id=row["id"],
        person_id=row["person_id"],
        role=Role(row["role"]),
        unit_code=row["unit_code"],
        acting=row["acting"],
        starts_at=from_iso(row["starts_at"]),
        ends_at=from_iso(row["ends_at"]) if row["ends_at"] else None,
    )


async def upsert_unit(conn: aiosqlite.Connection, unit: Unit, position: int, now: datetime) -> None:
    """Create or rename a unit."""
    await conn.execute(
        "INSERT INTO units (code, name, kind, position, operator_title, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind,"
        " position = excluded.position, operator_title = excluded.operator_title",
        (unit.code, unit.name, unit.kind.value, position, unit.operator_title, to_iso(now)),
    )


def _unit(row: aiosqlite.Row) -> Unit:
    return Unit(row["code"], row["name"], UnitKind(row["kind"]), row["operator_title"])


async def units(conn: aiosqlite.Connection) -> list[Unit]:
    """All units, the Sekretariat first, then in import order."""
    async with conn.execute(
        "SELECT code, name, kind, operator_title FROM units"
        " ORDER BY kind = 'bidang', position, code"
    ) as cur:
        rows = await cur.fetchall()
    return [_unit(r) for r in rows]


async def unit(conn: aiosqlite.Connection, code: str) -> Unit | None:
    """One unit by code."""
    async with conn.execute(
        "SELECT code, name, kind, operator_title FROM units WHERE code = ?", (code,)
    ) as cur:
        r = await cur.fetchone()
    return _unit(r) if r else None


async def person_by_telegram(conn: aiosqlite.Connection, telegram_id: int) -> Person | None:
    """The registered person behind a Telegram user id (None once deactivated)."""
    found = await person_by_telegram_any(conn, telegram_id)
    return found if found and found.active else None


async def person_by_telegram_any(conn: aiosqlite.Connection, telegram_id: int) -> Person | None:
    """The person behind a Telegram user id, deactivated or not (for re-joining)."""
    async with conn.execute("SELECT * FROM people WHERE telegram_id = ?", (telegram_id,)) as cur:
        row = await cur.fetchone()
    return _person(row) if row else None


async def person(conn: aiosqlite.Connection, person_id: int) -> Person | None:
    """A person by id."""
    async with conn.execute("SELECT * FROM people WHERE id = ?", (person_id,)) as cur:
        row = await cur.fetchone()
    return _person(row) if row else None


async def count_people(conn: aiosqlite.Connection) -> int:
    """How many people are registered."""
    async with conn.execute("SELECT COUNT(*) FROM people") as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0


async def add_person(
    conn: aiosqlite.Connection,
    telegram_id: int,
    full_name: str,
    username: str | None,
    is_admin: bool,
    now: datetime,
    sapaan: str = "",
) -> int:
    """Register a person; return the new id."""
    cur = await conn.execute(
        "INSERT INTO people (telegram_id, full_name, username, is_admin, created_at, sapaan)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (telegram_id, full_name, username, int(is_admin), to_iso(now), sapaan),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


async def set_sapaan(conn: aiosqlite.Connection, person_id: int, sapaan: str) -> None:
    """Record how a person is addressed (Bapak or Ibu)."""
    await conn.execute("UPDATE people SET sapaan = ? WHERE id = ?", (sapaan, person_id))


async def sapaan_of_chat(conn: aiosqlite.Connection, chat_id: int) -> str:
    """How the person of a private chat is addressed ("" when unknown, or a group)."""
    async with conn.execute("SELECT sapaan FROM people WHERE telegram_id = ?", (chat_id,)) as cur:
        row = await cur.fetchone()
    return str(row["sapaan"]) if row else ""


async def make_admin(conn: aiosqlite.Connection, person_id: int) -> None:
    """Give a person the admin right."""
    await conn.execute("UPDATE people SET is_admin = 1 WHERE id = ?", (person_id,))


async def set_blocked(conn: aiosqlite.Connection, person_id: int, at: datetime | None) -> None:
    """Record that the person blocked the bot (``None``: they are reachable again)."""
    await conn.execute(
        "UPDATE people SET blocked_at = ? WHERE id = ?",
        (to_iso(at) if at else None, person_id),
    )


async def add_assignment(
    conn: aiosqlite.Connection,
    person_id: int,
    grant: Grant,
    starts_at: datetime,
    ends_at: datetime | None,
    created_by: int | None,
    now: datetime,
    acting: str = "",
) -> int:
    """Give a person a role from ``starts_at`` (until ``ends_at`` when set)."""
    cur = await conn.execute(
        "INSERT INTO role_assignments"
        " (person_id, role, unit_code, acting, starts_at, ends_at, created_by, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            person_id,
            grant.role.value,
            grant.unit_code,
            acting,
            to_iso(starts_at),
            to_iso(ends_at) if ends_at else None,
            created_by,
            to_iso(now),
        ),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


async def end_assignment(conn: aiosqlite.Connection, assignment_id: int, at: datetime) -> None:
    """End an assignment at ``at`` (nothing is deleted)."""
    await conn.execute(
        "UPDATE role_assignments SET ends_at = ? WHERE id = ?", (to_iso(at), assignment_id)
    )


async def assignments_of(conn: aiosqlite.Connection, person_id: int) -> list[Assignment]:
    """Every assignment a person ever had."""
    async with conn.execute(
        "SELECT * FROM role_assignments WHERE person_id = ? ORDER BY id", (person_id,)
    ) as cur:
        rows = await cur.fetchall()
    return [_assignment(r) for r in rows]


async def actor(conn: aiosqlite.Connection, person_: Person, at: datetime) -> Actor:
    """The person with the grants in force at ``at``."""
    grants = frozenset(
        Grant(a.role, a.unit_code)
        for a in await assignments_of(conn, person_.id)
        if a.active_at(at)
    )
    return Actor(person_.id, grants)


async def members(conn: aiosqlite.Connection, at: datetime) -> list[Member]:
    """Every active assignment with its person, ordered for display."""
    async with conn.execute(
        "SELECT p.*, a.id AS a_id, a.person_id, a.role, a.unit_code, a.acting, a.starts_at,"
        " a.ends_at FROM role_assignments a JOIN people p ON p.id = a.person_id"
        " WHERE a.starts_at <= ? AND (a.ends_at IS NULL OR a.ends_at > ?)"
        " ORDER BY a.unit_code IS NOT NULL, a.unit_code, a.role, p.full_name",
        (to_iso(at), to_iso(at)),
    ) as cur:
        rows = await cur.fetchall()
    result = []
    for r in rows:
        assignment = Assignment(
            id=r["a_id"],
            person_id=r["person_id"],
            role=Role(r["role"]),
            unit_code=r["unit_code"],
            acting=r["acting"],
            starts_at=from_iso(r["starts_at"]),
            ends_at=from_iso(r["ends_at"]) if r["ends_at"] else None,
        )
        result.append(Member(_person(r), assignment))
    return result


async def holders(conn: aiosqlite.Connection, grant: Grant, at: datetime) -> list[Member]:
    """The people holding ``grant`` at ``at`` (acting officials included)."""
    return [
        m
        for m in await members(conn, at)
        if m.assignment.role == grant.role
        and (grant.unit_code is None or m.assignment.unit_code == grant.unit_code)
    ]


async def add_invite(conn: aiosqlite.Connection, invite: Invite, created_by: int | None) -> None:
    """Store a new invitation."""
    await conn.execute(
        "INSERT INTO invites (token, role, unit_code, name, is_admin, created_by, created_at,"
        " expires_at, sapaan) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            invite.token,
            invite.role.value,
            invite.unit_code,
            invite.name,
            int(invite.is_admin),
            created_by,
            to_iso(invite.created_at),
            to_iso(invite.expires_at),
            invite.sapaan,
        ),
    )


async def invite(conn: aiosqlite.Connection, token: str) -> Invite | None:
    """An invitation by token."""
    async with conn.execute("SELECT * FROM invites WHERE token = ?", (token,)) as cur:
        r = await cur.fetchone()
    return _invite(r) if r is not None else None


def _invite(r: aiosqlite.Row) -> Invite:
    return Invite(
        token=r["token"],
        role=Role(r["role"]),
        unit_code=r["unit_code"],
        name=r["name"],
        is_admin=bool(r["is_admin"]),
        created_at=from_iso(r["created_at"]),
        expires_at=from_iso(r["expires_at"]),
        used_by=r["used_by"],
        revoked_at=from_iso(r["revoked_at"]) if r["revoked_at"] else None,
        sapaan=r["sapaan"],
    )


async def use_invite(conn: aiosqlite.Connection, token: str, person_id: int, now: datetime) -> bool:
    """Mark an invitation used; False if someone used or revoked it first."""
    cur = await conn.execute(
        "UPDATE invites SET used_by = ?, used_at = ? WHERE token = ? AND used_by IS NULL"
        " AND revoked_at IS NULL",
        (person_id, to_iso(now), token),
    )
    return cur.rowcount == 1


async def revoke_invite(conn: aiosqlite.Connection, token: str, now: datetime) -> bool:
    """Revoke an unused invitation."""
    cur = await conn.execute(
        "UPDATE invites SET revoked_at = ? WHERE token = ? AND used_by IS NULL"
        " AND revoked_at IS NULL",
        (to_iso(now), token),
    )
    return cur.rowcount == 1


async def register_group(
    conn: aiosqlite.Connection, chat_id: int, title: str, person_id: int, now: datetime
) -> None:
    """Make ``chat_id`` the agency group (the previous one stops receiving posts)."""
    await conn.execute("UPDATE group_chats SET active = 0 WHERE chat_id != ?", (chat_id,))
    await conn.execute(
        "INSERT INTO group_chats (chat_id, title, registered_by, registered_at, active)"
        " VALUES (?, ?, ?, ?, 1) ON CONFLICT (chat_id) DO UPDATE SET title = excluded.title,"
        " registered_by = excluded.registered_by, registered_at = excluded.registered_at,"
        " active = 1",
        (chat_id, title, person_id, to_iso(now)),
    )


async def agency_group(conn: aiosqlite.Connection) -> int | None:
    """The chat id of the registered agency group, if any."""
    async with conn.execute("SELECT chat_id FROM group_chats WHERE active = 1") as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else None


async def get_setting(conn: aiosqlite.Connection, key: str) -> str | None:
    """A stored setting (e.g. the agency's name)."""
    async with conn.execute("SELECT value FROM settings WHERE key = ?", (key,)) as cur:
        row = await cur.fetchone()
    return str(row[0]) if row else None


async def set_setting(conn: aiosqlite.Connection, key: str, value: str) -> None:
    """Store a setting."""
    await conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )
