"""The quarter the reliability runs play: the organisation set up in the database, then
scripted people going through all nine steps (chat entry, bulk lines, an .xlsx upload, returns
at steps 3, 5 and 6) against whatever bot answers the simulator, in-process or a subprocess.

It also takes the figures the runs compare: the database's lasting content, the report's
numbers and what each person received, normalised so that two runs at different wall times
can be compared.
"""

from __future__ import annotations

import asyncio
import io
import re
import sqlite3
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl

from bot.clock import SystemClock
from bot.model import Role
from bot.services.config import Config
from bot.services.core import Core
from bot.services.files.catalog import store_catalog
from bot.services.people import admin, onboarding
from bot.sim import BotApiSimulator, SimPerson
from bot.sim.chats import SimMessage
from bot.sim.people import SimGroup
from exports import template_layout
from storage.db import Database
from tests.integration.office import FOURTH, UNITS, four_unit_catalog

TOKEN = "424242:RELIABILITY-token-abcdefghijklmnopqrstuvwxyz"
BOT_USERNAME = "kinerja_rel_bot"
AGENCY = "Dinas Tenaga Kerja Kabupaten Contoh"
# Monday 2 March 2026, 08.30 WIB: the business clock of every run starts here (triwulan I
# can be opened from 1 March, the first day of its last month).
START = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)

ANSWERS = {  # per unit: two indicators, one budget, five notes
    "sekretariat": ["26", "9,5", "Rp 20.000.000", "Rapat tertunda", "-", "-", "-", "-"],
    "pelatihan": ["24", "8", "Rp 30.500.000", "-", "Dukungan APBN", "-", "-", "-"],
    "penempatan": ["27", "7,25", "Rp 15.000.000", "-", "-", "Cuaca", "-", "-"],
}
EVIDENCE_PHOTO = bytes.fromhex("ffd8ffe0") + b"foto penandatanganan kerja sama" * 30
UPLOADED = {"values": [25, 10], "budget": 40_000_000, "tindak_lanjut": "Mediasi lanjutan"}
CAST: dict[str, tuple[Role, str | None]] = {
    "kasubag": (Role.KASUBAG_KPEP, None),
    "sekretaris": (Role.SEKRETARIS, None),
    "kadin": (Role.KADIN, None),
    "op_sekretariat": (Role.OPERATOR, "sekretariat"),
    "op2_sekretariat": (Role.OPERATOR, "sekretariat"),
}
for _unit in ("pelatihan", "penempatan", "hubungan_industrial"):
    CAST[f"op_{_unit}"] = (Role.OPERATOR, _unit)
    CAST[f"kabid_{_unit}"] = (Role.KABID, _unit)

Moment = Callable[[str], Awaitable[None]]
# The prompt a "Minta revisi" tap answers with. Not just "alasan": the step 5 and 6
# requests themselves say "minta revisi dengan alasan", so a request arriving just after a
# tap on a stale button was taken for the prompt, and the reason then typed found no dialog.
ASKED_REASON = "menuliskan alasan"


def clock_offset_seconds() -> float:
    """Seconds to add to the machine's clock so that a run's business time starts at START."""
    return (START - datetime.now(UTC)).total_seconds()


async def prepare(db_path: Path) -> dict[str, str]:
    """Units, catalogue and one invite per person, written before any bot runs."""
    db = await Database.open(db_path)
    try:
        core = Core(db, SystemClock(), Config(bot_username=BOT_USERNAME))
        await admin.ensure_sekretariat(core)
        await admin.import_units(core, [*UNITS, FOURTH], AGENCY, "Contoh")
        catalog = four_unit_catalog()
        async with core.work(None) as work:
            assert (await store_catalog(work, catalog, None)).ok
        tokens = {}
        for key, (role, unit) in CAST.items():
            created = await onboarding.create_invite_cli(
                core, role, unit, None, key == "kasubag", BOT_USERNAME
            )
            tokens[key] = created.invite.token
        return tokens
    finally:
        await db.close()


def fill_template(data: bytes) -> bytes:
    """The operator's template with the unit's figures typed into the yellow cells."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    values = list(UPLOADED["values"])  # type: ignore[call-overload]
    sheet = book[template_layout.REALISASI]
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, template_layout.KEY_COL + 1).value and values:
            sheet.cell(row, template_layout.VALUE_COL + 1).value = values.pop(0)
    sheet = book[template_layout.ANGGARAN]
    sheet.cell(2, template_layout.BUDGET_COL + 1).value = UPLOADED["budget"]
    sheet = book[template_layout.CATATAN]
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, template_layout.NOTE_KEY_COL + 1).value == "tindak_lanjut":
            sheet.cell(row, template_layout.NOTE_COL + 1).value = UPLOADED["tindak_lanjut"]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass
class Player:
    """Drives the people; every wait is bounded by ``patience`` seconds."""

    sim: BotApiSimulator
    patience: float = 60.0
    moment: Moment | None = None
    people: dict[str, SimPerson] = field(default_factory=dict)
    group: SimGroup | None = None
    tapped: set[tuple[int, int, str]] = field(default_factory=set)
    retaps: int = 0

    async def mark(self, name: str) -> None:
        """Tell the driver where the quarter is (a crash run may kill the bot here)."""
        if self.moment is not None:
            await self.moment(name)

    async def say(self, key: str, text: str, expect: str | None = None) -> SimMessage:
        person = self.people[key]
        await person.send(text)
        return await person.wait_for(
            lambda m: expect in m.plain_text if expect else True, timeout=self.patience
        )

    async def tap(self, key: str, label: str, expect: str, within: str | None = None) -> None:
        """Tap the newest live ``label`` not tapped before; tap again if nothing came back."""
        person = self.people[key]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.patience
        floor: int | None = None  # the first tap's place: its answer counts whenever it comes
        while True:
            message = await person.wait_for(
                lambda m: (
                    m.button_data(label) is not None
                    and (m.chat_id, m.message_id, label) not in self.tapped
                    and (within is None or within in m.plain_text)
                ),
                timeout=max(1.0, deadline - loop.time()),
                since=0,
            )
            newest = [
                m
                for m in person.messages
                if not m.deleted
                and m.button_data(label) is not None
                and (m.chat_id, m.message_id, label) not in self.tapped
                and (within is None or within in m.plain_text)
            ]
            target = newest[-1] if newest else message
            self.tapped.add((target.chat_id, target.message_id, label))
            await person.tap(label, message=target)
            if floor is None:
                floor = person.cursor
            try:
                # since the FIRST tap, not this one: under load the answer to the first tap
                # can land just before a retap moves the cursor past it, and the retap
                # itself is then answered only "Sudah diproses"
                await person.wait_for(
                    lambda m: expect in m.plain_text,
                    timeout=min(20.0, max(1.0, deadline - loop.time())),
                    since=floor,
                )
                return
            except TimeoutError:
                # A duplicate of an answered message (a resend after a crash) has live
                # buttons that are stale: tap the next one.
                if loop.time() >= deadline:
                    raise
                self.retaps += 1

    async def join_all(self, tokens: dict[str, str]) -> None:
        for key in CAST:
            person = self.sim.person(key.replace("_", " ").title())
            self.people[key] = person
        for key, person in self.people.items():
            await person.send(f"/start {tokens[key]}")
        for person in self.people.values():
            await person.wait_for_text("Selamat datang", timeout=self.patience, since=0)
        self.group = self.sim.group("Dinas Tenaga Kerja")
        await self.people["kasubag"].send_in(self.group, "/daftarkan_grup")
        await self.group.wait_for_text("terdaftar", timeout=self.patience)

    async def play(self, tokens: dict[str, str]) -> None:
        """The whole quarter, step 1 to the closing of the period."""
        p = self.people
        await self.join_all(tokens)
        await self.mark("opening")
        await self.say("kasubag", "/buka_periode", "Pilih triwulan")
        await self.tap("kasubag", "Triwulan I 2026", "dikirim ke Sekretaris")
        await self.tap("sekretaris", "Setujui", "Disetujui", within="Persetujuan pembukaan")
        forms: dict[str, SimMessage] = {}
        for unit in (*ANSWERS, "hubungan_industrial"):
            forms[unit] = await p[f"op_{unit}"].wait_for(
                lambda m: m.document is not None, timeout=self.patience, since=0
            )

        # step 2: one answer at a time, bulk lines, and an upload
        await self.mark("entry")
        await self.say("op_sekretariat", "/isi", "no. 1 dari")
        for n, text in enumerate(ANSWERS["sekretariat"]):
            if n == 3:
                await self.mark("entry_mid")
            await self.say("op_sekretariat", text, "Tersimpan")
        await p["op_sekretariat"].wait_for_text("Ringkasan", since=0, timeout=self.patience)
        await self.tap("op_sekretariat", "Kirim ke Sekretaris", "dikirim ke")
        for unit in ("pelatihan", "penempatan"):
            lines = "\n".join(f"{n}. {a}" for n, a in enumerate(ANSWERS[unit], 1))
            await self.say(f"op_{unit}", "/isi", "no. 1 dari")
            await self.say(f"op_{unit}", lines, "Ringkasan")
            await self.tap(f"op_{unit}", "Kirim ke Kepala Bidang", "dikirim ke")
        form = forms["hubungan_industrial"]
        assert form.document is not None
        uploader = p["op_hubungan_industrial"]
        await uploader.upload(form.document.file_name, fill_template(form.document.data))
        await self.mark("upload")
        await uploader.wait_for_text("Pemeriksaan berkas", timeout=self.patience)
        await self.tap("op_hubungan_industrial", "Simpan", "Ringkasan")
        await self.tap("op_hubungan_industrial", "Kirim ke Kepala Bidang", "dikirim ke")

        # step 3: approvals, one return with a correction
        await self.mark("review")
        await self.tap("sekretaris", "Setujui", "Disetujui")
        await self.tap("kabid_pelatihan", "Setujui", "Disetujui")
        await self.tap("kabid_hubungan_industrial", "Setujui", "Disetujui")
        await self.tap("kabid_penempatan", "Minta revisi", ASKED_REASON)
        await self.say("kabid_penempatan", "Periksa indikator 1", "Dikembalikan")
        await p["op_penempatan"].wait_for_text(
            "Periksa indikator 1", since=0, timeout=self.patience
        )
        await self.say("op_penempatan", "/isi", "Ringkasan")
        await self.say("op_penempatan", "1. 28", "Ringkasan")
        await self.tap("op_penempatan", "Kirim ke Kepala Bidang", "dikirim ke")
        await p["kabid_penempatan"].wait_for_text("27 → 28", since=0, timeout=self.patience)
        await self.mark("report")
        await self.tap("kabid_penempatan", "Setujui", "Disetujui")
        await self.mark("steps_4_8")

        # steps 4 to 8, with returns at 5 and 6
        await p["kasubag"].wait_for_text("Semua laporan unit", since=0, timeout=self.patience)
        await self.tap("kasubag", "Kirim ke Sekretaris", "belum dipilih")  # asked first
        await self.tap("kasubag", "Kirim tanpa narasi", "tanpa narasi analisis")
        await self.tap("kasubag", "Ya, kirim tanpa narasi", "Diteruskan")
        await self.tap("sekretaris", "Minta revisi", ASKED_REASON, within="Telaah draf")
        await self.say("sekretaris", "Tambahkan narasi", "Dikembalikan")
        await self.tap("kasubag", "Tulis narasi analisis", "narasi")
        await self.say(
            "kasubag", "Capaian baik; penyerapan anggaran perlu dipercepat.", "tersimpan"
        )
        await self.tap("kasubag", "Kirim ke Sekretaris", "Diteruskan")
        await self.tap("sekretaris", "Setujui", "diteruskan ke")
        await self.tap("kadin", "Minta revisi", ASKED_REASON, within="Telaah laporan")
        await self.say("kadin", "Perjelas kendala", "Dikembalikan")
        await self.tap("kasubag", "Kirim ke Sekretaris", "Diteruskan")
        await self.tap("sekretaris", "Setujui", "diteruskan ke")
        await self.tap("kadin", "Tambah rekomendasi umum", "rekomendasi")
        await self.say("kadin", "Percepat penyerapan anggaran", "tersimpan")
        await self.tap("kadin", "Rekomendasi untuk unit", "memilih unit")
        await self.tap("kadin", "Bidang Pelatihan", "rekomendasi")
        await self.say("kadin", "Perluas pelatihan berbasis kompetensi", "tersimpan")
        await self.tap("kadin", "Setujui", "diteruskan ke")
        await self.mark("distribution")
        await self.tap("sekretaris", "Serahkan laporan dan rekomendasi", "Diteruskan")
        await self.tap("kasubag", "Sampaikan rekomendasi", "Disampaikan oleh")
        assert self.group is not None
        await self.group.wait_for(lambda m: m.document is not None, timeout=self.patience, since=0)
        await self.group.wait_for_text("Perluas pelatihan", since=0, timeout=self.patience)

        # step 9
        await self.mark("follow_up")
        # every unit follows up the general recommendation; Pelatihan its own one as well
        # (a plan stays open, so Pelatihan's own one is its second on the list)
        units = ("pelatihan", "pelatihan", "sekretariat", "penempatan", "hubungan_industrial")
        for n, unit in enumerate(units):
            key = f"op_{unit}"
            number = 2 if unit in units[:n] else 1
            await self.say(key, "/tindak_lanjut", "masih terbuka")
            await self.tap(key, f"Catat tindak lanjut no. {number}", "tindak lanjut")
            if number == 2:
                # Pelatihan's own one is done, with a photo sent before its text: a kill
                # between the file and the follow-up must lose neither
                await self.tap(key, "Selesai", "Status yang akan dicatat: selesai")
                await self.people[key].send_photo(EVIDENCE_PHOTO)
                await self.people[key].wait_for_text("Data dukung", timeout=self.patience)
                await self.mark("evidence")
                await self.say(key, "Kerja sama ditandatangani", "tersimpan")
                continue
            await self.say(key, "Dijadwalkan triwulan II", "tersimpan")
        await self.group.wait_for_text("ditutup", since=0, timeout=self.patience)


# ---- what the runs compare ---------------------------------------------------------------

_TIME = re.compile(r"\b\d{1,2}[.:]\d{2}(?::\d{2})?\b")
_DURATION = re.compile(r"\b\d+(?:,\d+)?\s*(menit|jam|detik|hari)\b")
_DATE = re.compile(r"\b\d{1,2} (Jan|Feb|Mar|Apr|Mei|Jun|Jul|Agu|Sep|Okt|Nov|Des)\w* \d{4}\b")


def normalise(text: str) -> str:
    """A message's text without the clock's traces (times, dates, durations)."""
    text = _TIME.sub("HH.MM", text)
    text = _DATE.sub("D M Y", text)
    return _DURATION.sub(r"N \1", text)


def received(
    sim: BotApiSimulator, people: dict[str, SimPerson], group: SimGroup | None
) -> dict[str, Counter[str]]:
    """Per person (and the group): the bot messages in their chat, as they read now."""
    chats: dict[str, list[int]] = {key: [person.chat_id] for key, person in people.items()}
    if group is not None:
        # a group upgraded to a supergroup: what it received under its old id counts too
        old = [was for was, now in sim.migrated.items() if now == group.chat_id]
        chats["group"] = [*old, group.chat_id]
    out: dict[str, Counter[str]] = {}
    for key, chat_ids in chats.items():
        counter: Counter[str] = Counter()
        for message in (m for chat_id in chat_ids for m in sim.chat_messages(chat_id)):
            if not message.from_bot or message.deleted:
                continue
            body = message.plain_text
            if message.document is not None:
                body = f"[{message.document.file_name}] {body}"
            counter[normalise(body)] += 1
        out[key] = counter
    return out


def report_figures(sim: BotApiSimulator, group: SimGroup | None) -> list[tuple[str, str, float]]:
    """Every number of the final report sent to the group, sheet by sheet, except timings."""
    assert group is not None
    documents = [m for m in group.messages if m.document is not None]
    if not documents:
        return []
    assert documents[-1].document is not None
    book = openpyxl.load_workbook(io.BytesIO(documents[-1].document.data), data_only=True)
    figures = []
    for sheet in book.worksheets:
        if "waktu" in sheet.title.lower() or "linimasa" in sheet.title.lower():
            continue  # the process timeline measures the wall clock, which differs per run
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    figures.append((sheet.title, cell.coordinate, float(cell.value)))
    return figures


# group_migrated: the fault run upgrades the group to a supergroup, which the reference does not
TRANSITION_ACTIONS_EXCLUDED = {"reminders_sent", "group_migrated"}


def database_facts(db_path: Path) -> dict[str, Any]:
    """The lasting content a crash must not change: values, states, transitions."""
    conn = sqlite3.connect(db_path)
    try:

        def rows(sql: str) -> list[tuple[Any, ...]]:
            return sorted((tuple(r) for r in conn.execute(sql).fetchall()), key=repr)

        return {
            "realisations": rows(
                "SELECT i.code, r.value, r.source, r.superseded_by IS NULL FROM realisations r"
                " JOIN indicators i ON i.id = r.indicator_id"
            ),
            "budgets": rows(
                "SELECT a.code, b.value, b.source, b.superseded_by IS NULL"
                " FROM budget_realisations b JOIN activities a ON a.id = b.activity_id"
            ),
            "notes": rows("SELECT unit_code, field, text, superseded_by IS NULL FROM unit_notes"),
            "periods": rows("SELECT year, quarter, state, version, narrative FROM periods"),
            "unit_reports": rows("SELECT unit_code, state, version FROM unit_reports"),
            "recommendations": rows("SELECT unit_code, text FROM recommendations"),
            "follow_ups": rows("SELECT unit_code, text, status FROM follow_ups"),
            "evidence": rows("SELECT unit_code, kind, size FROM evidence"),
            "steps": rows("SELECT step, unit_code, ended_at IS NULL, outcome FROM steps"),
            "people": rows("SELECT telegram_id, full_name FROM people"),
            "transitions": rows(
                # an invite's id is its random token: count invites, not which
                "SELECT action, entity, CASE entity WHEN 'invite' THEN NULL ELSE entity_id END,"
                " COUNT(*) FROM audit_log GROUP BY 1, 2, 3"
            ),
        }
    finally:
        conn.close()


def integrity_ok(db_path: Path) -> bool:
    """``PRAGMA integrity_check`` says ok."""
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


@dataclass
class Comparison:
    """How a run differs from the uninterrupted one."""

    answers_lost: int = 0
    transitions_doubled: int = 0
    duplicate_messages: int = 0
    messages_missing: int = 0
    report_differs: int = 0
    other_differences: list[str] = field(default_factory=list)


def compare(
    reference: dict[str, Any],
    run: dict[str, Any],
    ref_msgs: dict[str, Counter[str]],
    run_msgs: dict[str, Counter[str]],
    ref_report: list[tuple[str, str, float]],
    run_report: list[tuple[str, str, float]],
) -> Comparison:
    """Count what was lost, doubled or duplicated, and name anything else that differs."""
    out = Comparison()
    for key in ("realisations", "budgets", "notes", "recommendations", "follow_ups", "evidence"):
        ref, got = Counter(reference[key]), Counter(run[key])
        out.answers_lost += sum((ref - got).values())
        if ref != got:
            out.other_differences.append(f"{key}: expected {reference[key]} got {run[key]}")
    ref_t = {r[:3]: r[3] for r in reference["transitions"]}
    run_t = {r[:3]: r[3] for r in run["transitions"]}
    for action, count in run_t.items():
        if count > ref_t.get(action, 0) and action[0] not in TRANSITION_ACTIONS_EXCLUDED:
            out.transitions_doubled += count - ref_t.get(action, 0)
    for action, count in ref_t.items():
        if run_t.get(action, 0) < count and action[0] not in TRANSITION_ACTIONS_EXCLUDED:
            out.other_differences.append(f"transition missing: {action}")
    for key in ("periods", "unit_reports", "steps", "people"):
        if reference[key] != run[key]:
            out.other_differences.append(f"{key}: expected {reference[key]} got {run[key]}")
    for who, expected in ref_msgs.items():
        got = run_msgs.get(who, Counter())
        missing = expected - got
        out.messages_missing += sum(missing.values())
        out.duplicate_messages += sum((got - expected).values())
        if missing:
            out.other_differences.append(f"{who} did not receive {list(missing)[:3]}")
    if ref_report != run_report:
        out.report_differs = 1
        out.other_differences.append("report figures differ")
    return out
