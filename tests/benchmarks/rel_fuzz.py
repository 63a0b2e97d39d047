"""Hostile input in every conversation state: text, commands, numbers, documents, formulas.

The quarter of :mod:`tests.benchmarks.rel_access` is played once; each conversation state
(idle, each question of the form incl. budget and notes, a value waiting for its explanation,
the summary, every ForceReply reason dialogue, the narrative, a recommendation, a follow-up,
the acting dates, an upload waiting for Simpan) is then fed thousands of generated messages
(hypothesis) and documents. After every input the state is put back, so each input meets the
state it was meant for. Every input must be answered, in valid Telegram HTML, below the
length limit, with no exception; user text that reaches a spreadsheet stays text.

``run(quick)`` returns the counters for the reliability report; :func:`run_fuzz` the details.
"""

from __future__ import annotations

import asyncio
import io
import itertools
import json
import logging
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import seed as hypothesis_seed  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from bot.callbacks import Cb  # noqa: E402
from bot.services.core import AlreadyHandled, Outcome  # noqa: E402
from bot.services.files import building, uploads  # noqa: E402
from bot.sim.chats import EntityError, check_html, utf16_len  # noqa: E402
from bot.texts.common import MAX_MESSAGE_UTF16  # noqa: E402
from storage import updates  # noqa: E402
from storage.updates import Dialog  # noqa: E402
from tests.benchmarks.rel_access import (  # noqa: E402
    Actor,
    Session,
    Stage,
    _ErrorLogs,
    build_stages,
    open_copy,
    route_command,
)
from tests.integration.office import take_document  # noqa: E402

# -- what is typed ----------------------------------------------------------------------------

NUMBERS = [
    "12,5",
    "1.250.000",
    "1.250.000,75",
    "Rp 1.250.000",
    "Rp1.250.000,00",
    "75,5 %",
    "75.5",
    "75,5%",
    "1e5",
    "1E-3",
    "٣",
    "١٢٫٥",
    "１２",
    "１２,５",
    "𝟏𝟐",
    "--5",
    "-5",
    "+5",
    "−5",
    "5-",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "sNaN",
    "0",
    "-0",
    "0,0",
    "00012",
    "1,250",
    "1.5",
    "1.000",
    "1 000",
    "1\u00a0000",
    "1'000",
    "½",
    "²",
    "0x10",
    "1_000",
    "12.5.3",
    "9" * 40,
    "0," + "0" * 30 + "1",
    "1" * 400,
    "Rp",
    "%",
    "Rp -5",
    "12,5 orang",
    "dua belas",
    "\u200b12",
    "12\u200b",
    "12\u200f",
    "\u202e21",
    "١",
    "12,",
    ",5",
    ".5",
    "5.",
    "1.2,3",
]
NASTY = [
    "",
    " ",
    "\n",
    "\t\t",
    "-",
    "—",
    "–",
    "0",
    "/",
    "//",
    "/batal",
    "/BATAL",
    "/isi@kinerja_bot",
    "/start",
    "/start " + "A" * 22,
    "/start <script>",
    "/status",
    "/unknown",
    "/isi extra words",
    "<b>tebal</b>",
    "<script>alert(1)</script>",
    "a < b & c > d",
    "&amp;",
    "&#0;",
    "<",
    "&",
    "</b>",
    "<a href='javascript:x'>x</a>",
    "😀" * 10,
    "👨‍👩‍👧‍👦",
    "🏳️‍🌈",
    "\u202eRTL text\u202c",
    "مرحبا بالعالم",
    "שלום",
    "\u200b\u200c\u200d\ufeff",
    "\u0000",
    "\x07bell",
    "\ud7ff",
    "=1+1",
    '=HYPERLINK("http://x","klik")',
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1)",
    "=cmd|' /C calc'!A0",
    "1. 12\n2. 9\n3. Rp 5.000.000",
    "1. =1+1\n2. abc",
    "3) 5",
    "0. 5",
    "999. 1",
    "1.",
    "1. ",
    "7",
    "8",
    "99",
    "1\n2\n3",
    "Robert'); DROP TABLE periods;--",
    "' OR 1=1 --",
    "${jndi:ldap://x}",
    "{{7*7}}",
    "%s%s%n",
    "\\x00",
    "null",
    "None",
    "undefined",
    "x" * 4096,
    "é" * 4096,
    "😀" * 2048,
    "a\n" * 2048,
    "x" * 3999,
    "x" * 4000,
    "x" * 4001,
    "Kendala: anggaran terlambat cair",
    "plt 1/12/2026 - 31/12/2026",
    "plh 1/1/2026-2/1/2026",
    "31/02/2026 - 1/3/2026",
    "1/12/2026 - 1/11/2026",
    "99/99/9999 - 1/1/2026",
]
MARKERS = ("=HYPERLINK", "+SUM(", "-2+3", "@SUM(", "=1+1", "=cmd|")


def text_strategy() -> st.SearchStrategy[str]:
    """Messages people might send, and messages nobody should."""
    chars = st.characters(blacklist_categories=("Cs",))
    corpus = st.sampled_from(NUMBERS + NASTY)
    decorated = st.tuples(
        st.sampled_from(["", " ", "\u200b", "\u202e", "Rp ", "😀", "=", "+", "-", "@", "/"]),
        corpus,
        st.sampled_from(["", " ", "%", " %", "\u200f", "😀", "\n", ",5", ".000"]),
    ).map("".join)
    numberish = st.from_regex(r"[-+]?(Rp ?)?[0-9.,\u0660-\u0669\uff10-\uff19 ]{1,20}( ?%)?")
    numbered = st.lists(
        st.tuples(st.integers(0, 12), st.sampled_from(["). ", ". ", ") "]), corpus).map(
            lambda t: f"{t[0]}{t[1]}{t[2]}"
        ),
        min_size=1,
        max_size=8,
    ).map("\n".join)
    return st.one_of(
        corpus,
        decorated,
        numberish,
        numbered,
        st.text(chars, max_size=60),
        st.text(chars, min_size=3990, max_size=4100),
    )


def draw_texts(count: int, seed: int) -> list[str]:
    """``count`` generated messages (hypothesis, reproducible by ``seed``)."""
    found: list[str] = []

    @hypothesis_seed(seed)
    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(text_strategy())
    def collect(text: str) -> None:
        found.append(text)

    collect()
    return found


# -- documents --------------------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb(inflated: int = 60 * 1024 * 1024, catalog: bool = False) -> bytes:
    """An .xlsx whose sheet (or, ``catalog``, whose workbook.xml) inflates to ``inflated``."""
    filler = b"<!--" + b" " * (inflated - 7) + b"-->"
    workbook = b'<workbook><sheets><sheet name="Katalog"/></sheets></workbook>'
    members = {"[Content_Types].xml": b"<Types/>"}
    if catalog:
        members["xl/workbook.xml"] = workbook + filler
    else:
        members["xl/workbook.xml"] = workbook
        members["xl/worksheets/sheet1.xml"] = filler
    return _zip(members)


def documents(template: bytes) -> list[tuple[str, bytes | None, int]]:
    """(file name, data or None when too large to fetch, declared size)."""
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
    bomb = zip_bomb()
    docs: list[tuple[str, bytes | None, int]] = [
        ("laporan.pdf", pdf, len(pdf)),
        ("data.csv", b"a,b\n1,2\n", 8),
        ("foto.jpg", b"\xff\xd8\xff\xe0" + b"0" * 100, 104),
        ("palsu.xlsx", pdf, len(pdf)),
        ("kosong.xlsx", b"", 0),
        ("rusak.xlsx", template[: len(template) // 2], len(template) // 2),
        ("acak.xlsx", bytes(range(256)) * 8, 2048),
        ("zip_kosong.xlsx", _zip({}), len(_zip({}))),
        ("bom.xlsx", bomb, len(bomb)),
        ("besar.xlsx", None, 25 * 1024 * 1024),
        ("tanpa_nama", template, len(template)),
        ("TEMPLATE.XLSX", template, len(template)),
        ("isian.xlsx", template, len(template)),
        ("<b>nama</b>&.xlsx", template, len(template)),
        ("😀" * 40 + ".xlsx", template, len(template)),
    ]
    return docs


async def send_document(
    session: Session, actor: Actor, name: str, data: bytes | None, size: int
) -> Outcome:
    """What ``handlers.dialogue.document`` does after fetching."""
    if data is not None and not uploads.is_spreadsheet_name(name):
        data = b""
    return await take_document(session.core, session.origin(actor), name, data, size)


# -- the states -------------------------------------------------------------------------------


@dataclass
class State:
    """A conversation state: a stage, a person, and how to put them in the state."""

    name: str
    stage: str
    actor: str
    press: str | None = None  # a button prefix pressed to enter it
    dialog: dict[str, Any] | None = None  # or a dialogue set directly
    texts_before: tuple[str, ...] = ()


STATES = [
    State("idle", "collecting", "op_pel", texts_before=("/batal",)),
    State("outsider", "collecting", "outsider"),
    State("entry_indicator", "collecting", "op_pel", dialog={"pos": 0}),
    State("entry_percent", "collecting", "op_pel", dialog={"pos": 1}),
    State("entry_budget", "collecting", "op_pel", dialog={"pos": 2}),
    State("entry_note", "collecting", "op_pel", dialog={"pos": 3}),
    State("entry_last_note", "collecting", "op_pel", dialog={"pos": 6}),
    State("entry_explanation", "collecting", "op_pel", dialog={"pos": 0}, texts_before=("60",)),
    State("entry_summary", "collecting", "op_pel", dialog={"pos": 7}),
    State("reason_unit", "collecting", "kabid_pen", press="ur:"),
    State("reason_opening", "awaiting", "sekretaris", press="or:"),
    State("reason_coordinator", "compiling", "kasubag", press="cr:*:pelatihan"),
    State("reason_secretary", "secretary", "sekretaris", press="sr:"),
    State("reason_head", "head", "kadin", press="kx:"),
    State("narrative", "compiling", "kasubag", press="cn:"),
    State("recommendation", "head", "kadin", press="kr:*:umum"),
    State("recommendation_unit", "head", "kadin", press="kr:*:pelatihan"),
    State("follow_up", "followup", "op_pel", press="fu:"),
    State("acting_dates", "idle", "kasubag", press="au:"),
    State("upload_waiting", "upload", "op_pel"),
]


def _matches(data: str, pattern: str) -> bool:
    head, *rest = pattern.split("*")
    if not data.startswith(head):
        return False
    return not rest or data.endswith(rest[-1])


@dataclass
class Fuzz:
    counters: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            ("inputs_tried", "unhandled_exceptions", "answers_lost", "bad_html", "formulas"), 0
        )
    )
    failures: list[str] = field(default_factory=list)

    def fail(self, counter: str, detail: str) -> None:
        self.counters[counter] += 1
        if len(self.failures) < 200:
            self.failures.append(f"{counter}: {detail[:300]}")


class Restorer:
    """Puts a state back after each input: the person's dialogue and the workflow rows."""

    def __init__(self, session: Session, telegram_id: int) -> None:
        self.session = session
        self.telegram_id = telegram_id
        self.rows: dict[str, list[tuple[Any, ...]]] = {}
        self.columns: dict[str, list[str]] = {}
        self.top: dict[str, int] = {}
        self.dialog: tuple[str, str] | None = None

    async def save(self) -> None:
        async with self.session.core.db.reading() as conn:
            for table in ("periods", "unit_reports", "recommendations"):
                async with conn.execute(f"PRAGMA table_info({table})") as cur:
                    self.columns[table] = [r[1] for r in await cur.fetchall()]
                async with conn.execute(f"SELECT * FROM {table} ORDER BY id") as cur:
                    self.rows[table] = [tuple(r) for r in await cur.fetchall()]
            for table in ("follow_ups", "recommendations", "role_assignments"):
                async with conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}") as cur:
                    row = await cur.fetchone()
                    self.top[table] = int(row[0]) if row else 0
            async with conn.execute(
                "SELECT name, data FROM dialogs WHERE telegram_id = ?", (self.telegram_id,)
            ) as cur:
                row = await cur.fetchone()
            self.dialog = (row[0], row[1]) if row else None

    async def restore(self) -> None:
        core = self.session.core
        async with core.db.transaction() as conn:
            for table in ("follow_ups", "recommendations", "role_assignments"):
                await conn.execute(f"DELETE FROM {table} WHERE id > ?", (self.top[table],))
            for table in ("periods", "unit_reports", "recommendations"):
                cols = self.columns[table]
                sets = ", ".join(f"{c} = ?" for c in cols[1:])
                for row in self.rows[table]:
                    await conn.execute(
                        f"UPDATE {table} SET {sets} WHERE id = ?",
                        (*row[1:], row[0]),
                    )
            await conn.execute("DELETE FROM dialogs WHERE telegram_id = ?", (self.telegram_id,))
            if self.dialog is not None:
                await conn.execute(
                    "INSERT INTO dialogs (telegram_id, name, data, updated_at)"
                    " VALUES (?, ?, ?, '2026-01-01T00:00:00+00:00')",
                    (self.telegram_id, *self.dialog),
                )


async def enter(session: Session, stage: Stage, state: State, actor: Actor) -> None:
    """Put ``actor`` into ``state`` the way a person gets there."""
    if state.press:
        data = next(
            p.data
            for p in stage.presses
            if _matches(p.data, state.press) and actor.key in p.rightful
        )
        await session.press(actor, data)
    if state.dialog is not None:
        report = next(
            p.data for p in stage.presses if p.data.startswith(Cb.ENTRY_SUMMARY.value + ":")
        ).split(":")[1]
        async with session.core.work(None) as work:
            await updates.set_dialog(
                work.conn,
                actor.telegram_id,
                Dialog("entry", {"report": int(report), **state.dialog}),
                work.now,
            )
    for text in state.texts_before:
        await route_command(session.core, session.origin(actor), text)


async def check_input(
    session: Session, actor: Actor, what: str, run: Callable[[], Any], fuzz: Fuzz
) -> None:
    """One input: no exception, an answer, valid HTML within the limit."""
    fuzz.counters["inputs_tried"] += 1
    await session.delta()
    try:
        await run()
    except AlreadyHandled:
        pass
    except Exception as exc:
        fuzz.fail("unhandled_exceptions", f"{what}: {exc!r}")
        return
    _, sent = await session.delta()
    # A decision is answered by stamping the request it was taken on (a person is not told
    # of their own action twice), so a stamp with its note in the person's chat answers too.
    answers = [
        s
        for s in sent
        if s.chat_id == actor.chat_id
        and (s.method == "sendMessage" or (s.method == "clearButtons" and s.text))
    ]
    if not answers:
        fuzz.fail("answers_lost", what)
    for message in sent:
        if message.method != "sendMessage":
            continue
        try:
            check_html(message.text)
        except EntityError as exc:
            fuzz.fail("bad_html", f"{what}: {exc} in {message.text[:200]!r}")
        if utf16_len(message.text) > MAX_MESSAGE_UTF16:
            fuzz.fail("bad_html", f"{what}: {utf16_len(message.text)} UTF-16 units")


async def fuzz_state(
    stage: Stage,
    state: State,
    people: dict[str, Actor],
    inputs: list[str],
    docs: list[tuple[str, bytes | None, int]],
    workdir: Path,
    first_update: int,
    fuzz: Fuzz,
) -> None:
    actor = people[state.actor]
    session = await open_copy(stage, workdir / f"fuzz-{state.name}.sqlite3", first_update)
    try:
        await enter(session, stage, state, actor)
        restorer = Restorer(session, actor.telegram_id)
        await restorer.save()
        for text in inputs:
            await check_input(
                session,
                actor,
                f"{state.name} text {text[:80]!r}",
                lambda t=text: route_command(session.core, session.origin(actor), t),
                fuzz,
            )
            await restorer.restore()
        for name, data, size in docs:
            await check_input(
                session,
                actor,
                f"{state.name} document {name!r}",
                lambda n=name, d=data, z=size: send_document(session, actor, n, d, z),
                fuzz,
            )
            await restorer.restore()
    finally:
        await session.office.close()


# -- formulas ---------------------------------------------------------------------------------


async def _files(session: Session) -> list[tuple[str, bytes]]:
    await building.build_pending(session.core)  # files are built after their use case
    async with (
        session.core.db.reading() as conn,
        conn.execute(
            "SELECT file_name, file_data FROM outbox WHERE id > ? AND file_data IS NOT NULL",
            (session.outbox_seen,),
        ) as cur,
    ):
        rows = await cur.fetchall()
    return [(r[0], bytes(r[1])) for r in rows]


def formula_cells(data: bytes, markers: tuple[str, ...] = MARKERS) -> list[str]:
    """Cells holding user text that openpyxl reads as a formula (there must be none)."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" and any(m in str(cell.value) for m in markers):
                    found.append(f"{sheet.title}!{cell.coordinate}={cell.value!r}")
    return found


def text_cells(data: bytes) -> set[str]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "s" and cell.value is not None
    }


INJECTIONS = {
    # stage: (actor, steps...) — each step a press prefix or a text
    "collecting": (
        "op_pel",
        [
            "@entry:3",
            '=HYPERLINK("http://x","klik")',
            "+SUM(1,2)",
            "-2+3",
            "@SUM(A1)",
            "!dt:",
            "!dr:",
        ],
    ),
    "compiling": ("kasubag", ["cn:", "=1+1", "!dr:"]),
    "head": ("kadin", ["kr:*:umum", "=cmd|' /C calc'!A0", "kr:*:pelatihan", "@SUM(A1)", "!dr:"]),
    "followup": ("op_pel", ["fu:", "-2+3", "!dr:"]),
}


async def injection_case(
    stage: Stage, people: dict[str, Actor], workdir: Path, first_update: int, fuzz: Fuzz
) -> int:
    """Type formula-looking text where it reaches a spreadsheet; the file must keep it text."""
    key, steps = INJECTIONS[stage.name]
    actor = people[key]
    session = await open_copy(stage, workdir / f"inject-{stage.name}.sqlite3", first_update)
    typed: list[str] = []
    checked = 0
    try:
        await session.delta()
        for step in steps:
            if step.startswith("@entry:"):
                await enter(
                    session,
                    stage,
                    State("x", stage.name, key, dialog={"pos": int(step[7:])}),
                    actor,
                )
            elif step.startswith("!"):
                # the file goes to whoever may fetch it: the operator's template, the
                # coordinator's report
                prefix = step[1:]
                candidates = [p for p in stage.presses if p.data.startswith(prefix)]
                press = next((p for p in candidates if key in p.rightful), candidates[0])
                tapper = people[sorted(press.rightful)[0]] if press.rightful else actor
                await session.press(tapper, press.data)
            elif ":" in step and step.split(":")[0] in {c.value for c in Cb}:
                press = next(
                    p for p in stage.presses if _matches(p.data, step) and key in p.rightful
                )
                await session.press(actor, press.data)
            else:
                typed.append(step)
                await route_command(session.core, session.origin(actor), step)
        seen: set[str] = set()
        for name, data in await _files(session):
            checked += 1
            for cell in formula_cells(data):
                fuzz.fail("formulas", f"{stage.name} {name}: {cell}")
            seen |= text_cells(data)
        for text in typed:
            if not any(text in cell for cell in seen):
                fuzz.fail("formulas", f"{stage.name}: {text!r} is in no file as text")
        if not checked:
            fuzz.fail("formulas", f"{stage.name}: no spreadsheet was produced")
    finally:
        await session.office.close()
    return checked


UPLOADED_NOTES = {
    "B2": '=HYPERLINK("http://x","klik")',
    "B3": "+SUM(1,2)",
    "B4": "@SUM(A1)",
    "B5": "-2+3",
}


def fill_notes(template: bytes, cells: dict[str, str]) -> bytes:
    """The template with its note cells typed in a spreadsheet program (as formulas)."""
    book = openpyxl.load_workbook(io.BytesIO(template))
    for coordinate, value in cells.items():
        book["Catatan"][coordinate] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def upload_injection_case(
    stage: Stage,
    people: dict[str, Actor],
    template: bytes,
    workdir: Path,
    first_update: int,
    fuzz: Fuzz,
) -> int:
    """Formulas typed into the template's notes, uploaded and saved: text in every file."""
    op = people["op_pel"]
    session = await open_copy(stage, workdir / "inject-upload.sqlite3", first_update)
    checked = 0
    try:
        await session.delta()
        await send_document(session, op, "isian.xlsx", fill_notes(template, UPLOADED_NOTES), 1)
        async with (
            session.core.db.reading() as conn,
            conn.execute(
                "SELECT payload FROM outbox WHERE chat_id = ? AND payload LIKE '%\"eu:%'"
                " ORDER BY id DESC LIMIT 1",
                (op.chat_id,),
            ) as cur,
        ):
            row = await cur.fetchone()
        if row is None:
            fuzz.fail("formulas", "the upload with formula notes offered no Simpan")
            return 0
        markup = json.loads(row[0])["reply_markup"]["inline_keyboard"]
        save = next(
            b["callback_data"] for r in markup for b in r if b["callback_data"][:3] == "eu:"
        )
        await session.press(op, save)
        await session.press(
            op,
            next(
                p.data for p in stage.presses if p.data.startswith("dt:") and "op_pel" in p.rightful
            ),
        )
        await session.press(
            people["kasubag"], next(p.data for p in stage.presses if p.data.startswith("dr:"))
        )
        seen: set[str] = set()
        for name, data in await _files(session):
            checked += 1
            for cell in formula_cells(data):
                fuzz.fail("formulas", f"upload {name}: {cell}")
            seen |= text_cells(data)
        for text in UPLOADED_NOTES.values():
            if not any(text in cell for cell in seen):
                fuzz.fail("formulas", f"upload: {text!r} is in no file as text")
    finally:
        await session.office.close()
    return checked


# -- the run ----------------------------------------------------------------------------------


async def run_fuzz(
    quick: bool = False, workdir: Path | None = None, per_state: int | None = None
) -> Fuzz:
    """Fuzz every state; ``per_state`` generated texts each (default: 420 full, 40 quick)."""
    fuzz = Fuzz()
    errors = _ErrorLogs()
    logging.getLogger().addHandler(errors)
    own_dir = None
    if workdir is None:
        shm = Path("/dev/shm")
        own_dir = tempfile.TemporaryDirectory(dir=shm if shm.is_dir() else None)
        workdir = Path(own_dir.name)
    count = per_state if per_state is not None else (40 if quick else 420)
    try:
        stages, people = await build_stages(workdir)
        by_name = {s.name: s for s in stages}
        first = itertools.count(50_000_000, 1_000_000)
        template = await _template(by_name["collecting"], people, workdir, next(first))
        docs = documents(template)
        fixed = NUMBERS + NASTY
        for n, state in enumerate(STATES):
            generated = draw_texts(count, seed=n)
            inputs = (fixed if not quick else fixed[:: max(1, len(fixed) // 15)]) + generated
            await fuzz_state(
                by_name[state.stage],
                state,
                people,
                inputs,
                docs if not quick or n < 3 else docs[:4],
                workdir,
                next(first),
                fuzz,
            )
        for name in INJECTIONS:
            fuzz.counters["inputs_tried"] += await injection_case(
                by_name[name], people, workdir, next(first), fuzz
            )
        fuzz.counters["inputs_tried"] += await upload_injection_case(
            by_name["collecting"], people, template, workdir, next(first), fuzz
        )
    finally:
        logging.getLogger().removeHandler(errors)
        if own_dir is not None:
            own_dir.cleanup()
    fuzz.counters["unhandled_exceptions"] += errors.count
    return fuzz


async def _template(stage: Stage, people: dict[str, Actor], workdir: Path, first: int) -> bytes:
    session = await open_copy(stage, workdir / "template.sqlite3", first)
    try:
        press = next(
            p for p in stage.presses if p.data.startswith("dt:") and "op_pel" in p.rightful
        )
        await session.press(people["op_pel"], press.data)
        files = await _files(session)
        return files[-1][1]
    finally:
        await session.office.close()


async def run(quick: bool) -> dict[str, int]:
    """Counters for the reliability report."""
    fuzz = await run_fuzz(quick)
    counters = dict(fuzz.counters)
    # Invalid HTML is an answer the person never receives (Telegram refuses the message).
    counters["answers_lost"] += counters.pop("bad_html")
    # A formula in the filed report is a defect of the same weight as a crash.
    counters["unhandled_exceptions"] += counters.pop("formulas")
    return counters


if __name__ == "__main__":
    started = time.perf_counter()
    result = asyncio.run(run_fuzz("--quick" in sys.argv))
    for key, value in result.counters.items():
        print(f"{key}: {value}")
    for failure in result.failures[:60]:
        print(" ", failure)
    print(f"seconds: {time.perf_counter() - started:.1f}")
