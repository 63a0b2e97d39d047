"""A simulated office at the service layer: people type and tap, the outbox is what they see.

Used by integration tests that need no network: every action goes through the same service
functions and button routes the Telegram handlers call, with a real SQLite file.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from bot.callbacks import decode
from bot.clock import FakeClock
from bot.model import (
    Activity,
    Aggregation,
    Catalog,
    Direction,
    Indicator,
    Level,
    Role,
    Unit,
    UnitKind,
)
from bot.services import dialogue
from bot.services.config import Config
from bot.services.core import AlreadyHandled, Core, Origin, Outcome
from bot.services.files import downloads, uploads
from bot.services.files.catalog import store_catalog
from bot.services.people import acting, admin, members, onboarding
from bot.services.quarter import entry, opening
from handlers.buttons import ROUTES
from storage.db import Database

_TAGS = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Seen:
    """A message as a person sees it."""

    id: int
    text: str
    buttons: list[list[tuple[str, str]]]
    method: str


class Person:
    """Someone in the office with a private chat."""

    def __init__(self, office: Office, name: str, telegram_id: int) -> None:
        self.office = office
        self.name = name
        self.telegram_id = telegram_id
        self.cursor = 0

    def origin(
        self,
        chat_id: int | None = None,
        chat_type: str = "private",
        title: str = "",
        via_button: bool = False,
    ) -> Origin:
        self.office.clock.advance(timedelta(minutes=1))  # people take a moment to act
        return Origin(
            self.telegram_id,
            chat_id or self.telegram_id,
            next(self.office.update_ids),
            self.name,
            None,
            chat_type,
            title,
            via_button,
        )

    async def send(self, text: str) -> Outcome:
        """Type a message (commands are routed like the handlers route them)."""
        self.cursor = await self.office.outbox_size()
        outcome = await self.office.route_text(self, text)
        await settle(self.office.core)
        return outcome

    async def tap(self, label: str) -> Outcome:
        """Tap the newest button with this label in the private chat."""
        for message in reversed(await self.inbox()):
            for row in message.buttons:
                for text, data in row:
                    if text == label:
                        return await self.tap_data(data)
        raise LookupError(f"{self.name} has no button {label!r}")

    async def tap_data(self, data: str) -> Outcome:
        """Press a button with raw callback data (forged ones included)."""
        self.cursor = await self.office.outbox_size()
        callback = decode(data)
        press = ROUTES.get(callback.kind) if callback else None
        if callback is None or press is None:
            return Outcome("invalid")
        try:
            outcome = await press(self.office.core, self.origin(via_button=True), callback)
        except AlreadyHandled:
            return Outcome("dup")
        await settle(self.office.core)
        return outcome

    async def inbox(self) -> list[Seen]:
        return await self.office.messages_to(self.telegram_id)

    async def new(self) -> list[Seen]:
        """Messages that arrived since this person's last action."""
        return [m for m in await self.inbox() if m.id > self.cursor]

    async def last_text(self) -> str:
        messages = [m for m in await self.inbox() if m.method == "sendMessage"]
        return messages[-1].text if messages else ""

    async def saw(self, fragment: str) -> bool:
        return any(fragment in m.text for m in await self.new())


class Office:
    """The agency: a database, a fake clock, and people."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self.update_ids = itertools.count(1)
        self.people: dict[str, Person] = {}
        self._ids = itertools.count(1001)

    @classmethod
    async def create(cls, path: Path, start: datetime | None = None) -> Office:
        db = await Database.open(path)
        clock = FakeClock(start or datetime(2026, 10, 5, 2, 0, tzinfo=UTC))
        return cls(Core(db, clock, Config(bot_username="kinerja_test_bot")))

    async def close(self) -> None:
        await self.core.db.close()

    @property
    def clock(self) -> FakeClock:
        assert isinstance(self.core.clock, FakeClock)
        return self.core.clock

    async def outbox_size(self) -> int:
        async with (
            self.core.db.reading() as conn,
            conn.execute("SELECT COALESCE(MAX(id), 0) FROM outbox") as cur,
        ):
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def messages_to(self, chat_id: int) -> list[Seen]:
        import json

        await settle(self.core)  # a use case called directly leaves its step's messages too
        async with (
            self.core.db.reading() as conn,
            conn.execute(
                "SELECT id, method, payload FROM outbox WHERE chat_id = ? ORDER BY id", (chat_id,)
            ) as cur,
        ):
            rows = await cur.fetchall()
        seen = []
        for row in rows:
            payload: dict[str, Any] = json.loads(row["payload"])
            markup = payload.get("reply_markup") or {}
            buttons = [
                # A button opening the Mini App carries its address instead of callback data.
                [(b["text"], b.get("callback_data") or b["web_app"]["url"]) for b in r]
                for r in markup.get("inline_keyboard", [])
            ]
            text = payload.get("text") or payload.get("caption") or ""
            seen.append(Seen(row["id"], _TAGS.sub("", text), buttons, row["method"]))
        return seen

    async def route_text(self, person: Person, text: str) -> Outcome:
        core, origin = self.core, person.origin()
        command, _, rest = text.partition(" ")
        commands = {
            "/start": lambda: onboarding.start(core, origin, rest or None),
            "/undang": lambda: onboarding.invite_menu(core, origin),
            "/anggota": lambda: members.show_page(core, origin, 0),
            "/bantuan": lambda: onboarding.help_(core, origin),
            "/batal": lambda: dialogue.cancel(core, origin),
            "/buka_periode": lambda: opening.open_menu(core, origin),
            "/isi": lambda: entry.start(core, origin),
            "/plt": lambda: acting.menu(core, origin),
            "/unduh": lambda: downloads.menu(core, origin),
        }
        if command in commands:
            return await commands[command]()
        if command == "/status":
            from bot.services.quarter import status

            return await status.status(core, origin)
        if command == "/tindak_lanjut":
            from bot.services.quarter import followup

            return await followup.menu(core, origin)
        return await dialogue.handle_text(core, origin, text)

    async def join(
        self,
        name: str,
        role: Role,
        unit: str | None = None,
        admin_: bool = False,
        sapaan: str = "",
    ) -> Person:
        """Invite someone from the command line (``--sapaan`` too) and let them /start."""
        created = await onboarding.create_invite_cli(
            self.core, role, unit, name, admin_, "kinerja_test_bot", sapaan
        )
        person = self.people.get(name) or Person(self, name, next(self._ids))
        self.people[name] = person
        await person.send("/start " + created.invite.token)
        return person


UNITS = (
    Unit("sekretariat", "Sekretariat", UnitKind.SEKRETARIAT),
    Unit("pelatihan", "Bidang Pelatihan", UnitKind.BIDANG),
    Unit("penempatan", "Bidang Penempatan", UnitKind.BIDANG),
)


def small_catalog(year: int = 2026) -> Catalog:
    """Two indicators and one budget line per unit, both directions and aggregations."""
    activities = []
    indicators = []
    for n, unit in enumerate(UNITS, 1):
        program = f"2.07.0{n}"
        kegiatan = f"{program}.1.01"
        sub = f"{kegiatan}.0001"
        activities += [
            Activity(Level.PROGRAM, program, f"Program {unit.name}", unit.code),
            Activity(Level.KEGIATAN, kegiatan, f"Kegiatan {unit.name}", unit.code, program),
            Activity(
                Level.SUB_KEGIATAN,
                sub,
                f"Sub kegiatan {unit.name}",
                unit.code,
                kegiatan,
                Decimal("100000000"),
            ),
        ]
        q = Decimal(25)
        indicators += [
            Indicator(
                f"IK-{n}.1",
                f"Jumlah layanan {unit.name}",
                unit.code,
                sub,
                "orang",
                Direction.UP,
                Aggregation.SUM,
                Decimal(100),
                (q, q, q, q),
            ),
            Indicator(
                f"IK-{n}.2",
                f"Persentase keluhan {unit.name}",
                unit.code,
                kegiatan,
                "%",
                Direction.DOWN,
                Aggregation.LATEST,
                Decimal(10),
                (Decimal(10), Decimal(10), Decimal(10), Decimal(10)),
            ),
        ]
    return Catalog(year, tuple(activities), tuple(indicators))


async def set_up_agency(office: Office) -> dict[str, Person]:
    """Units, a catalogue, and two people per unit plus the pimpinan."""
    await admin.import_units(office.core, UNITS, "Dinas Tenaga Kerja Kabupaten Contoh", "Contoh")
    async with office.core.work(None) as work:
        report = await store_catalog(work, small_catalog(), None)
        assert report.ok, report.summary
    people = {
        "kasubag": await office.join("Sri Kasubag", Role.KASUBAG_KPEP, admin_=True),
        "sekretaris": await office.join("Budi Sekretaris", Role.SEKRETARIS),
        "kadin": await office.join("Ani Kadin", Role.KADIN),
        "op_sek": await office.join("Rina Operator", Role.OPERATOR, "sekretariat"),
        "kabid_pel": await office.join("Joko Kabid", Role.KABID, "pelatihan"),
        "op_pel": await office.join("Tono Operator", Role.OPERATOR, "pelatihan"),
        "kabid_pen": await office.join("Dewi Kabid", Role.KABID, "penempatan"),
        "op_pen": await office.join("Eko Operator", Role.OPERATOR, "penempatan"),
    }
    return people


FOURTH = Unit("hubungan_industrial", "Bidang Hubungan Industrial", UnitKind.BIDANG)


def four_unit_catalog(year: int = 2026) -> Catalog:
    """:func:`small_catalog` plus a fourth unit (:data:`FOURTH`) shaped like the Sekretariat."""
    base = small_catalog(year)

    def moved(code: str) -> str:
        return code.replace("2.07.01", "2.07.05")

    activities = tuple(
        Activity(
            a.level,
            moved(a.code),
            a.name,
            FOURTH.code,
            a.parent_code and moved(a.parent_code),
            a.pagu,
        )
        for a in base.activities
        if a.unit_code == "sekretariat"
    )
    indicators = tuple(
        Indicator(
            i.code.replace("IK-1", "IK-4"),
            i.name.replace("Sekretariat", "Bidang HI"),
            FOURTH.code,
            moved(i.activity_code),
            i.satuan,
            i.direction,
            i.aggregation,
            i.target_annual,
            i.targets_q,
        )
        for i in base.indicators
        if i.unit_code == "sekretariat"
    )
    return Catalog(base.year, base.activities + activities, base.indicators + indicators)


async def every_unit_approved(p: dict[str, Person]) -> None:
    """From the opening to step 4: Triwulan I 2026 opened, every unit's report entered, sent
    and approved (``p`` is :func:`set_up_agency`'s people)."""
    await p["kasubag"].send("/buka_periode")
    await p["kasubag"].tap("Triwulan I 2026")
    await p["sekretaris"].tap("Setujui")
    for op in ("op_sek", "op_pel", "op_pen"):
        await p[op].send("/isi")
        await p[op].send("1. 20\n2. 5\n3. 1.000.000\n4. -\n5. -\n6. -\n7. -\n8. -")
        await p[op].tap("Kirim ke Sekretaris" if op == "op_sek" else "Kirim ke Kepala Bidang")
    for head in ("sekretaris", "kabid_pel", "kabid_pen"):
        await p[head].tap("Setujui")


async def take_document(
    core: Core, origin: Origin, name: str, data: bytes | None, size: int
) -> Outcome:
    """A document as the running bot takes it in: received, then fetched and checked by the
    background intake (fetching the bytes at hand instead of Telegram's file)."""
    from bot.background import Background

    outcome = await uploads.received(core, origin, name, f"file-{origin.update_id}", size)

    async def fetch(_: str) -> bytes:
        return data or b""

    await Background(core, fetch).drain()
    return outcome


async def settle(core: Core) -> None:
    """Write the messages a step left for after its commit (the running bot's background
    does so at once), so that what people see is what they would see in chat."""
    from bot.services.analysis import analysed

    while await analysed.write_next(core):
        pass


async def send_to_secretary(kasubag: Person) -> None:
    """Step 4's "Kirim ke Sekretaris"; with no narrative chosen, the bot asks first and the
    coordinator sends without one ("Kirim tanpa narasi", confirmed)."""
    await kasubag.tap("Kirim ke Sekretaris")
    if any("Narasi analisis belum dipilih" in m.text for m in await kasubag.new()):
        await kasubag.tap("Kirim tanpa narasi")
        await kasubag.tap("Ya, kirim tanpa narasi")
