"""People coming and going: admins, deactivation, ended assignments, open invitations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.clock import from_iso, to_iso
from storage.org import Assignment, Invite, Person, _assignment, _invite, _person


@dataclass(frozen=True, slots=True)
class OpenInvite:
    """An unused, unrevoked invitation with its row number (the handle buttons carry)."""

    number: int
    invite: Invite


async def active_admins(conn: aiosqlite.Connection) -> list[Person]:
    """Admins who are not deactivated."""
    async with conn.execute(
        "SELECT * FROM people WHERE is_admin = 1 AND deactivated_at IS NULL ORDER BY id"
    ) as cur:
        rows = await cur.fetchall()
    return [_person(r) for r in rows]


async def has_live_admin_invite(conn: aiosqlite.Connection, now: datetime) -> bool:
    """Whether an admin invitation is waiting to be used (unused, unrevoked, unexpired)."""
    async with conn.execute(
        "SELECT 1 FROM invites WHERE is_admin = 1 AND used_by IS NULL AND revoked_at IS NULL"
        " AND expires_at > ? LIMIT 1",
        (to_iso(now),),
    ) as cur:
        return await cur.fetchone() is not None


async def revoke_admin(conn: aiosqlite.Connection, person_id: int) -> bool:
    """Take the admin right away; False if the person was not an admin."""
    cur = await conn.execute(
        "UPDATE people SET is_admin = 0 WHERE id = ? AND is_admin = 1", (person_id,)
    )
    return cur.rowcount == 1


async def deactivate(conn: aiosqlite.Connection, person_id: int, at: datetime) -> bool:
    """Mark a person deactivated (and no longer admin); False if already deactivated."""
    cur = await conn.execute(
        "UPDATE people SET deactivated_at = ?, is_admin = 0 WHERE id = ?"
        " AND deactivated_at IS NULL",
        (to_iso(at), person_id),
    )
    return cur.rowcount == 1


async def reactivate(conn: aiosqlite.Connection, person_id: int) -> None:
    """A deactivated person joins again with a new invitation."""
    await conn.execute("UPDATE people SET deactivated_at = NULL WHERE id = ?", (person_id,))


async def active_people(conn: aiosqlite.Connection) -> list[Person]:
    """Everyone not deactivated, by name."""
    async with conn.execute(
        "SELECT * FROM people WHERE deactivated_at IS NULL ORDER BY full_name, id"
    ) as cur:
        rows = await cur.fetchall()
    return [_person(r) for r in rows]


async def assignment(conn: aiosqlite.Connection, assignment_id: int) -> Assignment | None:
    """One assignment by id."""
    async with conn.execute("SELECT * FROM role_assignments WHERE id = ?", (assignment_id,)) as cur:
        row = await cur.fetchone()
    return _assignment(row) if row else None


async def end_assignment_by(
    conn: aiosqlite.Connection, assignment_id: int, at: datetime, ended_by: int | None
) -> bool:
    """End an assignment still running (or yet to start) at ``at``; False if it had ended."""
    cur = await conn.execute(
        "UPDATE role_assignments SET ends_at = ?, ended_by = ? WHERE id = ?"
        " AND (ends_at IS NULL OR ends_at > ?)",
        (to_iso(at), ended_by, assignment_id, to_iso(at)),
    )
    return cur.rowcount == 1


async def open_invites(conn: aiosqlite.Connection, now: datetime) -> list[OpenInvite]:
    """Invitations not used, not revoked and not expired, oldest first."""
    async with conn.execute(
        "SELECT rowid AS number, * FROM invites WHERE used_by IS NULL AND revoked_at IS NULL"
        " AND expires_at > ? ORDER BY rowid",
        (to_iso(now),),
    ) as cur:
        rows = await cur.fetchall()
    return [OpenInvite(int(r["number"]), _invite(r)) for r in rows]


async def invite_by_number(conn: aiosqlite.Connection, number: int) -> Invite | None:
    """An invitation by its row number."""
    async with conn.execute("SELECT * FROM invites WHERE rowid = ?", (number,)) as cur:
        row = await cur.fetchone()
    return _invite(row) if row else None


async def joined_at(conn: aiosqlite.Connection, person_id: int) -> datetime | None:
    """When a person first registered."""
    async with conn.execute("SELECT created_at FROM people WHERE id = ?", (person_id,)) as cur:
        row = await cur.fetchone()
    return from_iso(row[0]) if row else None
