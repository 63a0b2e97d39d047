"""The access matrix: every command and every button × every kind of person, at every stage.

A quarter is played once at the service level (``tests.integration.office``) and the database
is copied at each stage of the SOP. At each stage every button that is valid *now* is pressed
by every person in the matrix (each role, the head and the operator of another unit, an acting
official whose term ended, an outsider, people in the group chat): whoever may not take the
action must be refused, politely, with nothing changed (a snapshot of every table but the
outbox, the update marks and the refusals in the audit log). The person who may is let in on
a throwaway copy, which proves the button was valid. Then the buttons are forged (ids, versions,
tokens, truncated, padded, oversized, garbage), replayed, taken from other stages, and pressed
twice at once; and every command is sent by everyone.

``run(quick)`` returns the counters for the reliability report; :func:`run_matrix` the details
for the tests.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import sqlite3
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.callbacks import Cb, encode  # noqa: E402
from bot.model import Role  # noqa: E402
from bot.services import dialogue  # noqa: E402
from bot.services.core import AlreadyHandled, Core, Origin, Outcome  # noqa: E402
from bot.services.files import downloads  # noqa: E402
from bot.services.people import acting, members, onboarding  # noqa: E402
from bot.services.quarter import entry, followup, opening, status  # noqa: E402
from bot.texts import agency as ta  # noqa: E402
from bot.texts import common as texts  # noqa: E402
from bot.texts import entry as te  # noqa: E402
from bot.texts import quarter as tq  # noqa: E402
from bot.workflow import Grant  # noqa: E402
from handlers.buttons import dispatch  # noqa: E402
from storage import followups, org, periods, updates  # noqa: E402
from storage.updates import Dialog  # noqa: E402
from tests.integration.office import Office, Person, set_up_agency, settle  # noqa: E402

GROUP_ID = -1001234567
GROUP_TITLE = "Dinas Tenaga Kerja"
OUTSIDER_ID = 999_001
ENDED_ID = 999_002
PLT_SEK_ID = 999_003
UPLOAD_TOKEN = "abcd1234"

# Tables whose every row must be unchanged by a refusal (timestamps of dialogs aside).
_SKIPPED_TABLES = {
    "outbox",
    "processed_updates",
    "audit_log",
    "dialogs",
    "sqlite_sequence",
    "_changes",
}

ADMIN = frozenset({"kasubag"})
SEK = frozenset({"sekretaris", "plt_sek"})
KADIN = frozenset({"kadin"})
KASUBAG = frozenset({"kasubag"})


@dataclass(frozen=True)
class Actor:
    """Someone pressing and typing: a private chat, or a person in the group."""

    key: str
    telegram_id: int
    chat_id: int
    chat_type: str = "private"

    @property
    def in_group(self) -> bool:
        return self.chat_type != "private"


@dataclass(frozen=True)
class Press:
    """Callback data valid at a stage, and who may press it."""

    data: str
    rightful: frozenset[str]
    transition: bool = False  # a state change: replays and double taps must not repeat it


@dataclass
class Stage:
    """A copy of the database at one point of the quarter, with its valid buttons."""

    name: str
    path: Path
    presses: list[Press] = field(default_factory=list)


@dataclass
class Report:
    """What the matrix found; every list should be empty."""

    counters: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            (
                "access_cases",
                "let_in",
                "unhandled_exceptions",
                "answers_lost",
                "transitions_doubled",
                "rightful_refused",
            ),
            0,
        )
    )
    failures: list[str] = field(default_factory=list)

    def fail(self, counter: str, detail: str) -> None:
        self.counters[counter] += 1
        if len(self.failures) < 200:
            self.failures.append(f"{counter}: {detail}")


class _ErrorLogs(logging.Handler):
    """Counts ERROR records (handlers/errors.py logs every failed update at ERROR)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


# -- the people -------------------------------------------------------------------------------


def actors(p: dict[str, Person]) -> dict[str, Actor]:
    """Everyone in the matrix, by key (``p``: the people of ``set_up_agency``)."""
    found = {key: Actor(key, person.telegram_id, person.telegram_id) for key, person in p.items()}
    kadin = p["kadin"].telegram_id
    found |= {
        "ended_kabid_pel": Actor("ended_kabid_pel", ENDED_ID, ENDED_ID),
        "plt_sek": Actor("plt_sek", PLT_SEK_ID, PLT_SEK_ID),
        "outsider": Actor("outsider", OUTSIDER_ID, OUTSIDER_ID),
        "group_kadin": Actor("group_kadin", kadin, GROUP_ID, "supergroup"),
        "group_outsider": Actor("group_outsider", OUTSIDER_ID, GROUP_ID, "supergroup"),
    }
    return found


class Session:
    """An office opened on one database file, acting as any :class:`Actor`."""

    def __init__(self, office: Office, first_update: int) -> None:
        self.office = office
        self.update_ids = itertools.count(first_update)
        self.changes_seen = 0
        self.outbox_seen = 0

    async def delta(self) -> tuple[list[str], list[Sent]]:
        """Tables changed (by the watch triggers) and messages queued since the last call."""
        async with self.core.db.reading() as conn:
            async with conn.execute(
                "SELECT id, tbl FROM _changes WHERE id > ? ORDER BY id", (self.changes_seen,)
            ) as cur:
                rows = await cur.fetchall()
            async with conn.execute(
                "SELECT id, chat_id, method, payload FROM outbox WHERE id > ? ORDER BY id",
                (self.outbox_seen,),
            ) as cur:
                sent_rows = await cur.fetchall()
        if rows:
            self.changes_seen = rows[-1][0]
        if sent_rows:
            self.outbox_seen = sent_rows[-1][0]
        # A stamp (clearButtons with a note) carries its text as "note".
        payloads = [json.loads(r[3]) for r in sent_rows]
        sent = [
            Sent(r[1], r[2], p.get("text") or p.get("note") or "")
            for r, p in zip(sent_rows, payloads, strict=True)
        ]
        return sorted({r[1] for r in rows}), sent

    @property
    def core(self) -> Core:
        return self.office.core

    def origin(self, actor: Actor) -> Origin:
        self.office.clock.advance(_MINUTE)
        return Origin(
            actor.telegram_id,
            actor.chat_id,
            next(self.update_ids),
            actor.key,
            None,
            actor.chat_type,
            GROUP_TITLE if actor.in_group else "",
        )

    async def press(self, actor: Actor, data: str) -> Outcome:
        """A button press, exactly as the handler routes it."""
        try:
            outcome = await dispatch(self.core, self.origin(actor), data)
        except AlreadyHandled:
            return Outcome(texts.ALREADY_DONE)
        await settle(self.core)
        return outcome

    async def command(self, actor: Actor, text: str) -> Outcome:
        """A command, routed the way ``handlers.register`` routes it."""
        outcome = await route_command(self.core, self.origin(actor), text)
        await settle(self.core)
        return outcome


_MINUTE = timedelta(minutes=1)


async def route_command(core: Core, origin: Origin, text: str) -> Outcome:
    """Mirror of ``handlers.register``: group commands other than /status and
    /daftarkan_grup get the pointer to the private chat; unknown ones get their answer."""
    command, _, rest = text.strip().partition(" ")
    name = command[1:].split("@", 1)[0] if command.startswith("/") else ""
    if origin.in_group:
        if name == "daftarkan_grup":
            return await onboarding.register_group(core, origin)
        if name == "status":
            return await status.status(core, origin)
        return await onboarding.group_pointer(core, origin)
    routes: dict[str, Callable[[], Awaitable[Outcome]]] = {
        "start": lambda: onboarding.start(core, origin, rest.strip() or None),
        "undang": lambda: onboarding.invite_menu(core, origin),
        "anggota": lambda: members.show_page(core, origin, 0),
        "bantuan": lambda: onboarding.help_(core, origin),
        "daftarkan_grup": lambda: onboarding.register_group(core, origin),
        "batal": lambda: dialogue.cancel(core, origin),
        "buka_periode": lambda: opening.open_menu(core, origin),
        "isi": lambda: entry.start(core, origin),
        "status": lambda: status.status(core, origin),
        "tindak_lanjut": lambda: followup.menu(core, origin),
        "unduh": lambda: downloads.menu(core, origin),
        "plt": lambda: acting.menu(core, origin),
    }
    if name in routes:
        return await routes[name]()
    if name:
        return await onboarding.say_only(core, origin, texts.UNKNOWN_COMMAND)
    return await dialogue.handle_text(core, origin, text)


# -- database views ---------------------------------------------------------------------------


async def snapshot(core: Core) -> dict[str, list[tuple[Any, ...]]]:
    """Every row that a refusal must leave alone."""
    shot: dict[str, list[tuple[Any, ...]]] = {}
    async with core.db.reading() as conn:
        async with conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'") as cur:
            tables = [row[0] for row in await cur.fetchall()]
        for table in sorted(tables):
            if table in _SKIPPED_TABLES:
                continue
            async with conn.execute(f"SELECT * FROM {table} ORDER BY rowid") as cur:
                shot[table] = [tuple(r) for r in await cur.fetchall()]
        async with conn.execute(
            "SELECT id, person_id, action, entity, entity_id, detail FROM audit_log"
            " WHERE action NOT LIKE '%refused%' ORDER BY id"
        ) as cur:
            shot["audit_log"] = [tuple(r) for r in await cur.fetchall()]
        async with conn.execute(
            "SELECT telegram_id, name, data FROM dialogs ORDER BY telegram_id"
        ) as cur:
            shot["dialogs"] = [tuple(r) for r in await cur.fetchall()]
    return shot


def changed(before: dict[str, list[tuple[Any, ...]]], after: dict[str, Any]) -> list[str]:
    """Names of tables whose rows differ."""
    return [t for t in sorted(set(before) | set(after)) if before.get(t) != after.get(t)]


async def shape(core: Core) -> tuple[Any, ...]:
    """States, versions and row counts: equal after one press and after a double press."""
    async with core.db.reading() as conn:
        async with conn.execute("SELECT id, state, version FROM periods ORDER BY id") as cur:
            ps = [tuple(r) for r in await cur.fetchall()]
        async with conn.execute("SELECT id, state, version FROM unit_reports ORDER BY id") as cur:
            rs = [tuple(r) for r in await cur.fetchall()]
        counts = []
        for table in ("invites", "realisations", "recommendations", "follow_ups", "steps"):
            async with conn.execute(f"SELECT COUNT(*) FROM {table}") as cur:
                row = await cur.fetchone()
                counts.append(row[0] if row else 0)
        async with conn.execute(
            "SELECT action, COUNT(*) FROM audit_log WHERE action NOT LIKE '%refused%'"
            " GROUP BY action ORDER BY action"
        ) as cur:
            actions = [tuple(r) for r in await cur.fetchall()]
    return (ps, rs, counts, actions)


@dataclass(frozen=True)
class Sent:
    chat_id: int
    method: str
    text: str


def copy_db(source: Path, target: Path) -> Path:
    """A consistent copy of a live database (WAL included)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(str(source))
    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def watch(path: Path) -> None:
    """Triggers that log every change a refusal must not make into ``_changes``."""
    conn = sqlite3.connect(str(path))
    try:
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if r[0] not in ("outbox", "processed_updates", "sqlite_sequence", "_changes")
        ]
        conn.execute(
            "CREATE TABLE IF NOT EXISTS _changes (id INTEGER PRIMARY KEY, tbl TEXT NOT NULL)"
        )
        for table in tables:
            log = f"INSERT INTO _changes (tbl) VALUES ('{table}');"
            insert_when = update_when = ""
            if table == "audit_log":
                insert_when = "WHEN NEW.action NOT LIKE '%refused%'"
            if table == "dialogs":
                update_when = "WHEN OLD.name IS NOT NEW.name OR OLD.data IS NOT NEW.data"
            for event, when in (("INSERT", insert_when), ("UPDATE", update_when), ("DELETE", "")):
                conn.execute(
                    f"CREATE TRIGGER IF NOT EXISTS _watch_{table}_{event.lower()} AFTER {event}"
                    f" ON {table} {when} BEGIN {log} END"
                )
        conn.commit()
    finally:
        conn.close()


async def open_copy(stage: Stage, target: Path, first_update: int) -> Session:
    copy_db(stage.path, target)
    watch(target)
    office = await Office.create(target, start=_STAGE_CLOCK[stage.name])
    session = Session(office, first_update)
    await session.delta()
    return session


_STAGE_CLOCK: dict[str, Any] = {}


# -- playing the quarter ----------------------------------------------------------------------


async def _ids(core: Core, op_pel: int) -> dict[str, Any]:
    async with core.db.reading() as conn:
        period = await periods.current_period(conn)
        reports = (
            {r.unit_code: r for r in await periods.unit_reports(conn, period.id)} if period else {}
        )
        # every period's: a recommendation stays open after its period closes
        recs = await followups.recommendations(conn) if period else []
        person = await org.person_by_telegram(conn, op_pel)
        assert person is not None
        role = next(a.id for a in await org.assignments_of(conn, person.id) if a.ends_at is None)
        members = await org.members(conn, core.now())
        kadin = next(m.person.id for m in members if m.assignment.role is Role.KADIN)
    return {
        "period": period,
        "reports": reports,
        "recs": recs,
        "op_pel_id": person.id,
        "op_pel_role": role,
        "kadin_id": kadin,
    }


# Who may see /anggota's pages: the admin and the pimpinan (acting ones included).
VIEWERS = frozenset({"kasubag", "sekretaris", "kadin", "plt_sek"})


def _people_presses(ids: dict[str, Any]) -> list[Press]:
    """The admin's /anggota buttons that only show or ask, on the operator of Pelatihan.

    The ones that change people (end, deactivate, hand over, revoke) are not in the matrix:
    its forgeries of a valid press (an id one digit shorter) may name another real person,
    whom the admin may rightly change. ``tests/integration/test_access_matrix.py`` presses
    them as every other actor instead.
    """
    pid, role = ids["op_pel_id"], ids["op_pel_role"]
    return [
        Press(encode(Cb.MEMBER_PAGE, 0), VIEWERS),
        Press(encode(Cb.MEMBER_SHOW, pid), ADMIN),
        Press(encode(Cb.MEMBER_DEACTIVATE, pid), ADMIN),
        Press(encode(Cb.MEMBER_ADMIN, pid), ADMIN),
        Press(encode(Cb.MEMBER_HANDOVER, role), ADMIN),
        Press(encode(Cb.INVITE_LIST, 0), ADMIN),
    ]


def people_changes(ids: dict[str, Any]) -> list[str]:
    """The admin's /anggota buttons that change people, on the operator of Pelatihan."""
    pid, role = ids["op_pel_id"], ids["op_pel_role"]
    return [
        encode(Cb.MEMBER_END, role),
        encode(Cb.MEMBER_END_TODAY, role),
        encode(Cb.MEMBER_DEACTIVATE_YES, pid),
        encode(Cb.MEMBER_ADMIN_YES, pid),
        encode(Cb.MEMBER_HANDOVER_TO, role, ids["kadin_id"]),
        encode(Cb.MEMBER_HANDOVER_INVITE, role),
        encode(Cb.INVITE_REVOKE, 1),
    ]


def _always(ids: dict[str, Any]) -> list[Press]:
    """Buttons whose meaning does not depend on the stage: the admin's menus."""
    pid = ids["op_pel_id"]
    found = [
        Press(encode(Cb.INVITE_ROLE, "operator"), ADMIN),
        Press(encode(Cb.INVITE_ROLE, "kadin"), ADMIN),
        Press(encode(Cb.INVITE_UNIT, "operator", "pelatihan"), ADMIN),
        Press(encode(Cb.ACTING_PERSON, pid), ADMIN),
        Press(encode(Cb.ACTING_ROLE, pid, "kabid"), ADMIN),
        Press(encode(Cb.ACTING_ROLE, pid, "kadin"), ADMIN),
        Press(encode(Cb.ACTING_UNIT, pid, "kabid", "pelatihan"), ADMIN),
        *_people_presses(ids),
    ]
    reports = ids["reports"]
    unit_people = {
        "pelatihan": frozenset({"op_pel", "kabid_pel"}),
        "sekretariat": frozenset({"op_sek"}),
        "penempatan": frozenset({"op_pen", "kabid_pen"}),
    }
    for code, report in reports.items():
        found.append(Press(encode(Cb.DOWNLOAD_TEMPLATE, report.id), unit_people[code]))
    return found


def _stage_presses(name: str, ids: dict[str, Any]) -> list[Press]:
    period = ids["period"]
    reports = ids["reports"]
    found: list[Press] = []
    if period is not None:
        pid, ver = period.id, period.version
        readers = KASUBAG if name != "closed" else KASUBAG | KADIN | SEK
        found.append(
            Press(
                encode(Cb.DOWNLOAD_REPORT, pid),
                frozenset() if name in ("awaiting", "next") else readers,
            )
        )
    # Every figure as a table: the coordinator and the pimpinan, at every stage (what each
    # sees of it follows their reports).
    found.append(Press(encode(Cb.DOWNLOAD_FIGURES, "csv"), KASUBAG | KADIN | SEK))
    if name == "idle":
        found.append(Press(encode(Cb.OPEN_QUARTER, 2026, 1), KASUBAG, True))
    elif name in ("awaiting", "next"):
        found += [
            Press(encode(Cb.OPEN_APPROVE, pid, ver), SEK, True),
            Press(encode(Cb.OPEN_REJECT, pid, ver), SEK),
        ]
    elif name == "collecting":
        pel, sek, pen = reports["pelatihan"], reports["sekretariat"], reports["penempatan"]
        op = frozenset({"op_pel"})
        found += [
            Press(encode(Cb.ENTRY_SKIP, pel.id, 0), op),
            Press(encode(Cb.ENTRY_BACK, pel.id, 0), op),
            Press(encode(Cb.ENTRY_SUMMARY, pel.id), op),
            Press(encode(Cb.ENTRY_GOTO, pel.id, 2), op),
            Press(encode(Cb.ENTRY_SUBMIT, pel.id, pel.version), op, True),
            Press(encode(Cb.UNIT_APPROVE, sek.id, sek.version), SEK, True),
            Press(encode(Cb.UNIT_RETURN, sek.id, sek.version), SEK),
            Press(encode(Cb.UNIT_APPROVE, pen.id, pen.version), frozenset({"kabid_pen"}), True),
            Press(encode(Cb.UNIT_RETURN, pen.id, pen.version), frozenset({"kabid_pen"})),
            Press(encode(Cb.NUDGE, pid, "pelatihan"), KASUBAG),
            Press(encode(Cb.NUDGE, pid, "penempatan"), KASUBAG),
            Press(encode(Cb.ENTRY_FILL_ALL, pel.id), op),
            # every answer of a submitted report: its head and operators, and those above
            Press(
                encode(Cb.REVIEW_ALL, pen.id),
                frozenset({"kabid_pen", "op_pen"}) | SEK | KASUBAG | KADIN,
            ),
        ]
    elif name == "upload":
        pel = reports["pelatihan"]
        op = frozenset({"op_pel"})
        found += [
            Press(encode(Cb.ENTRY_SAVE_UPLOAD, pel.id, pel.version, UPLOAD_TOKEN), op, True),
            Press(encode(Cb.ENTRY_DISCARD_UPLOAD, pel.id), op),
        ]
    elif name == "compiling":
        found += [
            Press(encode(Cb.COMPILE_RETURN_UNIT, pid, ver, "pilih"), KASUBAG),
            Press(encode(Cb.COMPILE_RETURN_UNIT, pid, ver, "pelatihan"), KASUBAG),
            Press(encode(Cb.COMPILE_NARRATIVE, pid), KASUBAG),
            Press(encode(Cb.COMPILE_SUBMIT, pid, ver), KASUBAG, True),
        ]
    elif name == "secretary":
        found += [
            Press(encode(Cb.SECRETARY_APPROVE, pid, ver), SEK, True),
            Press(encode(Cb.SECRETARY_RETURN, pid, ver), SEK),
        ]
    elif name == "head":
        found += [
            Press(encode(Cb.HEAD_RECOMMEND, pid, "umum"), KADIN),
            Press(encode(Cb.HEAD_RECOMMEND, pid, "pilih"), KADIN),
            Press(encode(Cb.HEAD_RECOMMEND, pid, "pelatihan"), KADIN),
            Press(encode(Cb.HEAD_APPROVE, pid, ver), KADIN, True),
            Press(encode(Cb.HEAD_RETURN, pid, ver), KADIN),
        ]
    elif name == "forwarding":
        found.append(Press(encode(Cb.FORWARD, pid, ver), SEK, True))
    elif name == "distributing":
        found.append(Press(encode(Cb.DISTRIBUTE, pid, ver), KASUBAG, True))
    if name in ("followup", "closed", "next"):
        # a general recommendation reaches every unit, and each unit follows it up; a plan
        # (direncanakan) stays open after the period closes, into the next one
        unit_people = {
            "sekretariat": frozenset({"op_sek"}) | SEK,
            "pelatihan": frozenset({"op_pel", "kabid_pel"}),
            "penempatan": frozenset({"op_pen", "kabid_pen"}),
        }
        for rec in ids["recs"]:
            owners = frozenset().union(*(unit_people[u] for u in rec.units))
            found.append(Press(encode(Cb.FOLLOW_UP, rec.id), owners))
            # the Kepala Dinas may close it; a due date is set in step 6 only; nothing is
            # done yet, so nobody may return a "selesai"
            found.append(Press(encode(Cb.FOLLOW_UP_DROP, rec.id), KADIN))
            found.append(Press(encode(Cb.REC_DUE, rec.id), frozenset()))
            for unit in rec.units:
                found.append(Press(encode(Cb.FOLLOW_UP_UNIT, rec.id, unit), unit_people[unit]))
                for status in ("direncanakan", "dalam_proses", "selesai"):
                    found.append(
                        Press(encode(Cb.FOLLOW_UP_STATUS, rec.id, unit, status), unit_people[unit])
                    )
                # evidence: the unit, the coordinator, the Sekretaris and the Kepala Dinas
                found.append(
                    Press(
                        encode(Cb.EVIDENCE_SHOW, rec.id, unit),
                        unit_people[unit] | KASUBAG | SEK | KADIN,
                    )
                )
                found.append(Press(encode(Cb.FOLLOW_UP_REOPEN, rec.id, unit, 1), frozenset()))
    return found


async def build_stages(workdir: Path) -> tuple[list[Stage], dict[str, Actor]]:
    """Play a quarter once, copying the database at every stage."""
    path = workdir / "build.sqlite3"
    office = await Office.create(path)
    stages: list[Stage] = []
    try:
        p = await set_up_agency(office)
        core = office.core
        async with core.work(None) as work:
            ended = await org.add_person(work.conn, ENDED_ID, "Ended Plt", None, False, work.now)
            await acting.assign(
                work,
                ended,
                Grant(Role.KABID, "pelatihan"),
                date(2026, 9, 1),
                date(2026, 9, 30),
                "plt",
                None,
                core.config.calendar.tz,
            )
            plt = await org.add_person(
                work.conn, PLT_SEK_ID, "Plt Sekretaris", None, False, work.now
            )
            await acting.assign(
                work,
                plt,
                Grant(Role.SEKRETARIS),
                date(2026, 10, 1),
                date(2026, 12, 31),
                "plt",
                None,
                core.config.calendar.tz,
            )
        kasubag = p["kasubag"]
        await onboarding.register_group(core, kasubag.origin(GROUP_ID, "supergroup", GROUP_TITLE))
        everyone = actors(p)

        async def keep(name: str) -> None:
            target = copy_db(path, workdir / f"{name}.sqlite3")
            _STAGE_CLOCK[name] = office.clock.now()
            ids = await _ids(core, p["op_pel"].telegram_id)
            stages.append(Stage(name, target, _always(ids) + _stage_presses(name, ids)))

        await keep("idle")
        await kasubag.send("/buka_periode")
        await kasubag.tap("Triwulan I 2026")
        await keep("awaiting")
        await p["sekretaris"].tap("Setujui")
        for key, answers in (
            ("op_sek", ["25", "9", "Rp 20.000.000", "-", "-", "-", "-", "-"]),
            ("op_pen", ["25", "9", "25.000.000", "-", "-", "-", "-", "-"]),
            ("op_pel", ["25", "9", "Rp 30.000.000", "Kendala", "-", "-", "-", "-"]),
        ):
            await p[key].send("/isi")
            for text in answers:
                await p[key].send(text)
            if key != "op_pel":
                await p[key].tap(tq.BTN_SEND_SEKRETARIS if key == "op_sek" else tq.BTN_SEND_KABID)
        pel = (await _ids(core, p["op_pel"].telegram_id))["reports"]["pelatihan"]
        await p["op_pel"].tap_data(encode(Cb.ENTRY_GOTO, pel.id, 0))
        await keep("collecting")
        async with core.work(None) as work:
            await updates.set_dialog(
                work.conn,
                p["op_pel"].telegram_id,
                Dialog(
                    "upload",
                    {
                        "report": pel.id,
                        "version": pel.version,
                        "token": UPLOAD_TOKEN,
                        "values": [],
                        "budgets": [],
                        "notes": {"kendala": "Dari berkas"},
                    },
                ),
                work.now,
            )
        await keep("upload")
        await p["op_pel"].send("/batal")
        await p["op_pel"].tap(tq.BTN_SEND_KABID)
        await p["sekretaris"].tap("Setujui")
        await p["kabid_pel"].tap("Setujui")
        await p["kabid_pen"].tap("Setujui")
        # a narrative chosen: "Kirim ke Sekretaris" sends at once (without one it asks first)
        await kasubag.tap(tq.BTN_NARRATIVE)
        await kasubag.send("Capaian triwulan ini sesuai rencana.")
        await keep("compiling")
        await kasubag.tap(tq.BTN_SEND_SEKRETARIS)
        await keep("secretary")
        await p["sekretaris"].tap("Setujui")
        await keep("head")
        await p["kadin"].tap(tq.BTN_REC_GENERAL)
        await p["kadin"].send("Tingkatkan koordinasi")
        await p["kadin"].tap(tq.BTN_REC_UNIT)
        await p["kadin"].tap("Bidang Pelatihan")
        await p["kadin"].send("Perluas pelatihan")
        await p["kadin"].tap("Setujui")
        await keep("forwarding")
        await p["sekretaris"].tap(tq.BTN_FORWARD)
        await keep("distributing")
        await kasubag.tap(tq.BTN_DISTRIBUTE)
        await keep("followup")
        # Pelatihan follows up the general recommendation and its own; the others the general
        # (a plan stays open, so Pelatihan's own one is its second on the list)
        for key, number in (("op_pel", 1), ("op_pel", 2), ("op_sek", 1), ("op_pen", 1)):
            await p[key].send("/tindak_lanjut")
            await p[key].tap(f"Catat tindak lanjut no. {number}")
            await p[key].send("Sudah dijadwalkan")
        await keep("closed")
        # The next quarter: every button of the first one now comes from another period.
        await kasubag.send("/buka_periode")
        await kasubag.tap("Triwulan II 2026")
        await keep("next")
        return stages, everyone
    finally:
        await office.close()


# -- forging ----------------------------------------------------------------------------------

_NUMERIC = {"id", "ver", "pos"}
# The role of each field, by kind: what a forger would change.
_SCHEMA: dict[Cb, tuple[str, ...]] = {
    Cb.INVITE_ROLE: ("role",),
    Cb.INVITE_UNIT: ("role", "unit"),
    Cb.OPEN_QUARTER: ("year", "quarter"),
    Cb.OPEN_APPROVE: ("id", "ver"),
    Cb.OPEN_REJECT: ("id", "ver"),
    Cb.ENTRY_SKIP: ("id", "pos"),
    Cb.ENTRY_BACK: ("id", "pos"),
    Cb.ENTRY_SUMMARY: ("id",),
    Cb.ENTRY_GOTO: ("id", "free"),
    Cb.ENTRY_SUBMIT: ("id", "ver"),
    Cb.ENTRY_SAVE_UPLOAD: ("id", "ver", "token"),
    Cb.ENTRY_DISCARD_UPLOAD: ("free",),
    Cb.UNIT_APPROVE: ("id", "ver"),
    Cb.UNIT_RETURN: ("id", "ver"),
    Cb.COMPILE_RETURN_UNIT: ("id", "ver", "unit"),
    Cb.COMPILE_NARRATIVE: ("id",),
    Cb.COMPILE_SUBMIT: ("id", "ver"),
    Cb.SECRETARY_APPROVE: ("id", "ver"),
    Cb.SECRETARY_RETURN: ("id", "ver"),
    Cb.HEAD_RECOMMEND: ("id", "unit"),
    Cb.HEAD_APPROVE: ("id", "ver"),
    Cb.HEAD_RETURN: ("id", "ver"),
    Cb.FORWARD: ("id", "ver"),
    Cb.DISTRIBUTE: ("id", "ver"),
    Cb.FOLLOW_UP: ("id",),
    Cb.FOLLOW_UP_UNIT: ("id", "unit"),
    Cb.FOLLOW_UP_STATUS: ("id", "unit", "status"),
    Cb.EVIDENCE_SHOW: ("id", "unit"),
    Cb.FOLLOW_UP_REOPEN: ("id", "unit", "id"),
    Cb.FOLLOW_UP_DROP: ("id",),
    Cb.REC_DUE: ("id",),
    Cb.ENTRY_STATUS: ("id", "pos", "status"),
    Cb.REVIEW_ALL: ("id",),
    Cb.ENTRY_FILL_ALL: ("id",),
    Cb.NUDGE: ("id", "unit"),
    Cb.DOWNLOAD_TEMPLATE: ("id",),
    Cb.DOWNLOAD_REPORT: ("id",),
    Cb.DOWNLOAD_FIGURES: ("format",),
    Cb.ACTING_PERSON: ("id",),
    Cb.ACTING_ROLE: ("id", "role"),
    Cb.ACTING_UNIT: ("id", "role", "unit"),
    Cb.DRAFT_USE: ("id", "id"),
    Cb.DRAFT_EDIT: ("id", "id"),
    Cb.SUGGEST_KEEP: ("id",),
    Cb.SUGGEST_EDIT: ("id",),
    Cb.MEMBER_PAGE: ("pos",),
    Cb.MEMBER_SHOW: ("id",),
    Cb.MEMBER_END: ("id",),
    Cb.MEMBER_END_TODAY: ("id",),
    Cb.MEMBER_DEACTIVATE: ("id",),
    Cb.MEMBER_DEACTIVATE_YES: ("id",),
    Cb.MEMBER_ADMIN: ("id",),
    Cb.MEMBER_ADMIN_YES: ("id",),
    Cb.MEMBER_HANDOVER: ("id",),
    Cb.MEMBER_HANDOVER_TO: ("id", "id"),
    Cb.MEMBER_HANDOVER_INVITE: ("id",),
    Cb.INVITE_LIST: ("pos",),
    Cb.INVITE_REVOKE: ("id",),
}
_GARBAGE = (
    "",
    ":",
    "::::",
    "ua:",
    "ua::",
    "\x00\x01\x02",
    "ua:1:1\x00",
    "ua:١:١",
    "ua:１:１",
    "ua:1_0:1",
    "ua:+1:1",
    "ua: 1:1",
    "ua:1e3:1",
    "😀:1:1",
    "ua:😀:1",
    "\u202eau:1:1",
    "\u200bua:1:1",
    "ua:1:1\n",
    "UA:1:1",
    "<b>ua</b>:1:1",
    "ua:1:1;DROP TABLE periods",
    "ua:99999999999999999999999999999:1",
    "ua:1:99999999999999999999",
    "x" * 64,
    "ua:" + "1" * 61,
    "ua:" + "1:" * 40,
    "ÿþ\ufffd",
    "\ufeffua:1:1",
)


def forgeries(data: str) -> list[str]:
    """Variants of a valid press that the bot never made, each of which must be refused."""
    prefix, *fields = data.split(":")
    kind = Cb(prefix)
    schema = _SCHEMA[kind]
    out = [
        ":".join([prefix, *fields[:-1]]) if fields else prefix + ":",  # truncated
        data[:-1],
        data + ":1",  # padded
        data + ":" + "9" * 64,  # oversized
        data.upper(),
    ]
    for index, role in enumerate(schema):

        def with_(value: str, index: int = index) -> str:
            return ":".join([prefix, *fields[:index], value, *fields[index + 1 :]])

        if role == "id":
            out += [with_("0"), with_("999999"), with_("9" * 30), with_("-1"), with_("1e2")]
        elif role == "ver":
            out += [with_(str(int(fields[index]) + 1)), with_(str(max(0, int(fields[index]) - 1)))]
        elif role == "pos":
            out.append(with_(str(int(fields[index]) + 1)))
        elif role == "token":
            out += [with_("ffffffff"), with_("abcd123")]
        elif role == "unit" and fields[index] not in ("pilih", "umum"):
            out.append(with_("tidak_ada"))
        elif role == "role":
            out += [with_("raja"), with_("admin")]
        elif role == "status":  # states a unit never picks itself
            out += [with_("tidak_dilanjutkan"), with_("belum"), with_("selesai_")]
        elif role == "year":
            out += [with_("1999"), with_("99999999999999999999")]
        elif role == "quarter":
            out += [with_("0"), with_("5")]
        elif role == "format":
            out += [with_("pdf"), with_("xls")]
    return [f for f in dict.fromkeys(out) if f != data]


# -- the checks -------------------------------------------------------------------------------

_REFUSALS = {
    texts.NOT_REGISTERED,
    texts.ADMIN_ONLY,
    texts.NOT_ALLOWED,
    texts.GROUP_ONLY,
    texts.BUTTON_INVALID,
    texts.BUTTON_NOT_YOURS,
    texts.OWN_SUBMISSION,
    texts.ALREADY_DONE,
    tq.SUDAH_DIPROSES,
    te.NOT_OPERATOR,
    ta.NOT_FOLLOW_UP_ROLE,
    ta.NUDGE_STALE,
}


def _is_refusal(text: str) -> bool:
    return text in _REFUSALS or text.startswith(texts.GROUP_POINTER.split("{")[0])


async def refused_case(
    session: Session, actor: Actor, run: Callable[[], Awaitable[Outcome]], what: str, report: Report
) -> None:
    """Run a press or a command that must be refused; record anything let in or unanswered."""
    report.counters["access_cases"] += 1
    await session.delta()
    try:
        outcome = await run()
    except Exception as exc:
        report.fail("unhandled_exceptions", f"{what} by {actor.key}: {exc!r}")
        return
    diff, sent = await session.delta()
    elsewhere = {s.chat_id for s in sent if s.chat_id != actor.chat_id}
    if diff or elsewhere:
        report.fail("let_in", f"{what} by {actor.key} changed {diff} / messaged {elsewhere}")
        return
    answers = [s.text for s in sent if s.method in ("sendMessage", "sendDocument")]
    if not (outcome.toast or answers):
        report.fail("answers_lost", f"{what} by {actor.key}: no answer")


async def rightful_case(
    stage: Stage, press: Press, actor: Actor, workdir: Path, first_update: int, report: Report
) -> None:
    """The person who may press it, on a throwaway copy: let in; replayed and doubled: once."""
    report.counters["access_cases"] += 1
    label = f"{stage.name} {press.data} by {actor.key}"
    session = await open_copy(stage, workdir / "rightful.sqlite3", first_update)
    try:
        try:
            outcome = await session.press(actor, press.data)
        except Exception as exc:
            report.fail("unhandled_exceptions", f"{label}: {exc!r}")
            return
        diff, sent = await session.delta()
        mine = [s for s in sent if s.chat_id == actor.chat_id and s.method == "sendMessage"]
        refusal = (outcome.toast and _is_refusal(outcome.toast)) or any(
            _is_refusal(s.text) for s in mine
        )
        if refusal or not (diff or sent):
            report.fail(
                "rightful_refused", f"{label}: {outcome.toast!r} {[s.text[:60] for s in mine]}"
            )
            return
        if press.transition:
            once = await shape(session.core)
            report.counters["access_cases"] += 1
            await refused_case(
                session, actor, lambda: session.press(actor, press.data), f"replay {label}", report
            )
            if await shape(session.core) != once:
                report.fail("transitions_doubled", f"replayed {label}")
    finally:
        await session.office.close()
    if press.transition:
        await double_case(stage, press, actor, workdir, first_update + 100, once, report)


async def double_case(
    stage: Stage,
    press: Press,
    actor: Actor,
    workdir: Path,
    first_update: int,
    once: tuple[Any, ...],
    report: Report,
    others: Iterable[Actor] = (),
) -> None:
    """The same button pressed twice at once (and by a second holder): one transition."""
    session = await open_copy(stage, workdir / "double.sqlite3", first_update)
    try:
        tappers = [actor, actor, *others]
        report.counters["access_cases"] += len(tappers)
        results = await asyncio.gather(
            *(session.press(a, press.data) for a in tappers), return_exceptions=True
        )
        for result in results:
            if isinstance(result, BaseException):
                report.fail("unhandled_exceptions", f"double {press.data}: {result!r}")
        if await shape(session.core) != once:
            report.fail("transitions_doubled", f"{stage.name} {press.data} by {len(tappers)}")
    finally:
        await session.office.close()


COMMANDS = (
    "/start",
    "/bantuan",
    "/undang",
    "/anggota",
    "/daftarkan_grup",
    "/plt",
    "/buka_periode",
    "/isi",
    "/status",
    "/unduh",
    "/tindak_lanjut",
    "/batal",
)
_REGISTERED = {
    "kasubag",
    "sekretaris",
    "kadin",
    "op_sek",
    "kabid_pel",
    "op_pel",
    "kabid_pen",
    "op_pen",
    "ended_kabid_pel",
    "plt_sek",
}
_COMMAND_RIGHTS: dict[str, set[str]] = {
    "/start": _REGISTERED | {"outsider"},
    "/bantuan": _REGISTERED,
    "/undang": {"kasubag"},
    "/anggota": {"kasubag", "sekretaris", "kadin", "plt_sek"},
    "/daftarkan_grup": set(),
    "/plt": {"kasubag"},
    "/buka_periode": {"kasubag"},
    "/isi": {"op_sek", "op_pel", "op_pen"},
    "/status": _REGISTERED | {"group_kadin", "group_outsider"},
    "/unduh": _REGISTERED,
    "/tindak_lanjut": {
        "kasubag",
        "kadin",
        "op_sek",
        "op_pel",
        "op_pen",
        "kabid_pel",
        "kabid_pen",
        "sekretaris",
        "plt_sek",
    },
    "/batal": _REGISTERED,
}


async def command_cases(
    stage: Stage, people: dict[str, Actor], workdir: Path, first_update: int, report: Report
) -> None:
    """Every command by everyone: refused ones change nothing and say so politely."""
    session = await open_copy(stage, workdir / f"commands-{stage.name}.sqlite3", first_update)
    try:
        for command in COMMANDS:
            for actor in people.values():
                what = f"{stage.name} {command}"
                if actor.key in _COMMAND_RIGHTS[command]:
                    report.counters["access_cases"] += 1
                    await session.delta()
                    try:
                        await session.command(actor, command)
                    except Exception as exc:
                        report.fail("unhandled_exceptions", f"{what} by {actor.key}: {exc!r}")
                        continue
                    diff, sent = await session.delta()
                    diff = [t for t in diff if t != "dialogs"]
                    if diff or any(s.chat_id != actor.chat_id for s in sent):
                        report.fail("let_in", f"{what} by {actor.key} changed {diff}")
                    if not sent:
                        report.fail("answers_lost", f"{what} by {actor.key}")
                    continue

                report.counters["access_cases"] += 1
                await session.delta()
                try:
                    await session.command(actor, command)
                except Exception as exc:
                    report.fail("unhandled_exceptions", f"{what} by {actor.key}: {exc!r}")
                    continue
                diff, sent = await session.delta()
                answers = [s.text for s in sent if s.method == "sendMessage"]
                if diff or any(s.chat_id != actor.chat_id for s in sent):
                    report.fail("let_in", f"{what} by {actor.key} changed {diff}")
                elif not all(_is_refusal(t) for t in answers):
                    report.fail("let_in", f"{what} by {actor.key}: {answers[0][:80]!r}")
                elif not answers:
                    report.fail("answers_lost", f"{what} by {actor.key}")
    finally:
        await session.office.close()


async def run_matrix(quick: bool = False, workdir: Path | None = None) -> Report:
    """Build the stages and run every case; quick keeps fewer forgeries and people."""
    report = Report()
    errors = _ErrorLogs()
    logging.getLogger().addHandler(errors)
    own_dir = None
    if workdir is None:
        shm = Path("/dev/shm")  # no fsync cost: the matrix commits thousands of times
        own_dir = tempfile.TemporaryDirectory(dir=shm if shm.is_dir() else None)
        workdir = Path(own_dir.name)
    try:
        stages, people = await build_stages(workdir)
        siblings = {"collecting": "upload", "upload": "collecting"}
        by_stage = {s.name: {p.data for p in s.presses} for s in stages}
        all_data = {d for names in by_stage.values() for d in names}
        updates_base = itertools.count(10_000_000, 1_000_000)
        for stage in stages:
            session = await open_copy(
                stage, workdir / f"matrix-{stage.name}.sqlite3", next(updates_base)
            )
            valid = by_stage[stage.name] | by_stage.get(siblings.get(stage.name, ""), set())
            try:
                for press in stage.presses:
                    for actor in people.values():
                        if actor.key in press.rightful:
                            continue
                        await refused_case(
                            session,
                            actor,
                            lambda a=actor, d=press.data, s=session: s.press(a, d),
                            f"{stage.name} {press.data}",
                            report,
                        )
                    # Forgeries of a valid button, pressed by whoever may press the real one.
                    tappers = [people[k] for k in sorted(press.rightful)] or [people["kasubag"]]
                    if quick:
                        tappers = tappers[:1]
                    for forged in forgeries(press.data):
                        for actor in tappers:
                            await refused_case(
                                session,
                                actor,
                                lambda a=actor, d=forged, s=session: s.press(a, d),
                                f"{stage.name} forged {forged!r}",
                                report,
                            )
                # Buttons of other stages (stale, replayed, another period's) and garbage.
                foreign = sorted(all_data - valid) + list(_GARBAGE)
                crowd = list(people.values())
                if quick:
                    crowd = [
                        people[k] for k in ("kasubag", "sekretaris", "kadin", "op_pel", "kabid_pel")
                    ]
                for data in foreign:
                    for actor in crowd:
                        await refused_case(
                            session,
                            actor,
                            lambda a=actor, d=data, s=session: s.press(a, d),
                            f"{stage.name} foreign {data!r}",
                            report,
                        )
            finally:
                await session.office.close()
            for press in stage.presses:
                for key in sorted(press.rightful):
                    await rightful_case(
                        stage, press, people[key], workdir, next(updates_base), report
                    )
            second = [people["plt_sek"]]
            for press in stage.presses:
                if press.transition and press.rightful == SEK:
                    shot = await _once(
                        stage, press, people["sekretaris"], workdir, next(updates_base)
                    )
                    await double_case(
                        stage,
                        press,
                        people["sekretaris"],
                        workdir,
                        next(updates_base),
                        shot,
                        report,
                        second,
                    )
            if not quick or stage.name in ("collecting", "followup"):
                await command_cases(stage, people, workdir, next(updates_base), report)
    finally:
        logging.getLogger().removeHandler(errors)
        if own_dir is not None:
            own_dir.cleanup()
    report.counters["unhandled_exceptions"] += errors.count
    return report


async def _once(stage: Stage, press: Press, actor: Actor, workdir: Path, first: int) -> Any:
    session = await open_copy(stage, workdir / "once.sqlite3", first)
    try:
        await session.press(actor, press.data)
        return await shape(session.core)
    finally:
        await session.office.close()


async def run(quick: bool) -> dict[str, int]:
    """Counters for the reliability report."""
    report = await run_matrix(quick)
    counters = dict(report.counters)
    if counters.pop("rightful_refused"):
        # A valid press refused to the person it is for: the matrix proves nothing (and the
        # product is broken); say so loudly rather than report a clean matrix.
        raise RuntimeError("rightful presses refused: " + "; ".join(report.failures[:5]))
    return counters


if __name__ == "__main__":
    started = time.perf_counter()
    result = asyncio.run(run_matrix("--quick" in sys.argv))
    for key, value in result.counters.items():
        print(f"{key}: {value}")
    for failure in result.failures[:50]:
        print(" ", failure)
    print(f"seconds: {time.perf_counter() - started:.1f}")
