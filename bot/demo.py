"""``python -m bot demo``: a whole quarter played by scripted officials, offline, and the
next one, in which the first quarter's open recommendations come back.

The local Bot API simulator and the real bot run in one process; officials of four units
type and tap through the nine steps on a simulated clock (a return at step 3 and one at
step 5; one head's check runs late, so her reminder and the escalation appear), and the
transcript, the database and the reports are left in ``--out``.

Last year's quarters are imported first (``python -m bot history import``, the file is left
in ``--out``), so the quarter is compared with the one before it and with the same quarter of
last year; the drafted narrative is used with an edit (step 4) and two suggested
recommendations are kept, one as it was and one edited (step 6).
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from bot.app import Runtime, Settings
from bot.clock import FakeClock
from bot.demo_web import DEMO_URL, links, serve_until_stopped
from bot.model import Aggregation, Direction, Indicator, Role
from bot.numbers_format import format_number
from bot.services.analysis.history import import_history_file
from bot.services.config import Config
from bot.services.files.catalog import import_catalog_file
from bot.services.people import admin, onboarding
from bot.services.quarter import reminders
from bot.sim import BotApiSimulator, SimGroup, SimMessage, SimPerson
from exports.org import read_org
from exports.samples import sample_catalog_path, sample_org_path
from storage import catalog

TOKEN = "424242:DEMO-offline-token-not-a-secret"
BOT_USERNAME = "kinerja_demo_bot"
YEAR = 2026
QUARTER = 1
STEP_PAUSE = timedelta(minutes=2)
ASKED_ALONE = re.compile(r"• no\. (\d+): [^\n]*tersendiri")
WAIT = 20.0

log = logging.getLogger(__name__)

# (key, full name, role, unit, sapaan given with the invite): two people per unit plus the
# pimpinan. One is invited without a sapaan, so the transcript shows the bot asking for it.
CAST: tuple[tuple[str, str, Role, str | None, str], ...] = (
    ("kasubag", "Sri Wahyuni", Role.KASUBAG_KPEP, None, "Ibu"),
    ("sekretaris", "Bambang Sutrisno", Role.SEKRETARIS, None, "Bapak"),
    ("kadin", "Hendra Kusuma", Role.KADIN, None, "Bapak"),
    ("op_sekretariat", "Rina Lestari", Role.OPERATOR, "sekretariat", "Ibu"),
    ("op_sekretariat2", "Agus Salim", Role.OPERATOR, "sekretariat", "Bapak"),
    ("kabid_pelatihan", "Joko Prasetyo", Role.KABID, "pelatihan", "Bapak"),
    ("op_pelatihan", "Tono Hartono", Role.OPERATOR, "pelatihan", "Bapak"),
    ("kabid_penempatan", "Dewi Anggraini", Role.KABID, "penempatan", "Ibu"),
    ("op_penempatan", "Eko Saputra", Role.OPERATOR, "penempatan", "Bapak"),
    ("kabid_hi", "Maria Ulfa", Role.KABID, "hubungan_industrial", "Ibu"),
    ("op_hi", "Yusuf Hidayat", Role.OPERATOR, "hubungan_industrial", ""),
)
FACTORS = (
    Decimal("1.00"),
    Decimal("0.92"),
    Decimal("1.05"),
    Decimal("0.85"),
    Decimal("0.97"),
    Decimal("1.10"),
    Decimal("0.70"),  # below 76 %: the drafted analysis suggests a recommendation for it
    Decimal("1.02"),
)
# Share of the pagu spent in the quarter; Penempatan lags far behind the year (a suggestion).
BUDGET_SHARE = {"penempatan": Decimal("0.03")}
LAST_YEAR_FACTORS = (Decimal("0.90"), Decimal("1.00"), Decimal("1.20"), Decimal("0.95"))


def demo_value(indicator: Indicator, index: int, quarter: int = QUARTER) -> Decimal:
    """A plausible realisation near the quarter's target, written as an official would."""
    target = indicator.targets_q[quarter - 1] or indicator.target_annual or Decimal(10)
    factor = FACTORS[index % len(FACTORS)]
    if indicator.direction is Direction.DOWN:
        factor = Decimal(2) - factor
    value = target * factor
    if indicator.is_percentage:
        value = min(value, Decimal(100))
    places = (
        Decimal("0.1")
        if not indicator.is_count
        and (indicator.is_percentage or indicator.aggregation is Aggregation.LATEST)
        else Decimal(1)  # a count (orang, paket) is whole, or the bot refuses it
    )
    return value.quantize(places)


class Demo:
    """The cast, the simulator and the running bot."""

    def __init__(self, sim: BotApiSimulator, runtime: Runtime, clock: FakeClock) -> None:
        self.sim = sim
        self.runtime = runtime
        self.clock = clock
        self.people: dict[str, SimPerson] = {}
        self.group: SimGroup | None = None

    def tick(self) -> None:
        """Officials take a moment between actions."""
        self.clock.advance(STEP_PAUSE)

    async def act(self, key: str, text: str, expect: str | None = None) -> SimMessage:
        """Someone types; wait for the bot's answer (containing ``expect`` if given)."""
        self.tick()
        person = self.people[key]
        await person.send(text)
        return await self._answer(person, expect)

    async def tap(self, key: str, label: str, expect: str | None = None) -> SimMessage:
        """Someone taps a button; wait for the bot's answer."""
        self.tick()
        person = self.people[key]
        await person.tap(label)
        return await self._answer(person, expect)

    async def _answer(self, person: SimPerson, expect: str | None) -> SimMessage:
        predicate: Callable[[SimMessage], bool] = (
            (lambda m: expect in m.plain_text) if expect else (lambda m: True)
        )
        return await person.wait_for(predicate, timeout=WAIT)


async def _set_up(demo: Demo) -> None:
    core = demo.runtime.core
    org_file = read_org(sample_org_path())
    await admin.import_units(
        core, org_file.units, org_file.agency_name, org_file.place, org_file.extra
    )
    await admin.load_config(core)
    result = await import_catalog_file(core, sample_catalog_path().read_bytes(), YEAR)
    if not result.ok:
        raise RuntimeError(result.summary)
    for key, name, role, unit, sapaan in CAST:
        first, _, last = name.partition(" ")
        person = demo.sim.person(first, last_name=last or None)
        demo.people[key] = person
        created = await onboarding.create_invite_cli(
            core, role, unit, name, key == "kasubag", BOT_USERNAME, sapaan
        )
        await demo.act(key, f"/start {created.invite.token}", "Selamat datang")
        if not sapaan:  # asked with the welcome
            await demo.tap(key, "Bapak", "Terima kasih")
    group = demo.sim.group(org_file.agency_name)
    demo.group = group
    for person in demo.people.values():
        group.add(person)
    demo.tick()
    await demo.people["kasubag"].send_in(group, "/daftarkan_grup")
    await group.wait_for_text("terdaftar", timeout=WAIT)


NOTES = (
    "Keterbatasan jumlah instruktur",
    "Dukungan anggaran APBD dan mitra industri",
    "Cuaca dan jadwal peserta",
    "Penjadwalan ulang kegiatan pada triwulan II",
    "Penambahan kelas pelatihan berbasis kompetensi dalam Renja 2027",
)


async def _fill_unit(
    demo: Demo,
    key: str,
    unit: str,
    how: str,
    out: Path,
    quarter: int = QUARTER,
    carried: Callable[[str], str] = lambda line: "",
) -> None:
    """An operator fills the unit's form: ``chat`` one answer at a time, ``lines`` a prepared
    numbered message, ``upload`` the fill-in template sent back as a file. ``carried`` answers
    an earlier recommendation's line of the ready-to-fill message ("" leaves it for later)."""
    async with demo.runtime.db.reading() as conn:
        indicators = await catalog.indicators(conn, YEAR, unit)
        subs = await catalog.sub_activities(conn, YEAR, unit)
    values = [demo_value(s.indicator, n, quarter) for n, s in enumerate(indicators)]
    share = BUDGET_SHARE.get(unit, Decimal("0.22"))
    budgets = [((s.activity.pagu or Decimal(0)) * share).quantize(Decimal(1000)) for s in subs]
    if how == "upload":
        await _upload_form(demo, key, unit, values, budgets, out)
        return
    person = demo.people[key]
    floor = person.cursor
    await demo.act(key, "/isi", "no. 1 dari")
    if how == "chat":
        for value in values:
            await demo.act(key, format_number(value))
        for budget in budgets:
            await demo.act(key, f"Rp {format_number(budget)}")
        for note in NOTES:
            await demo.act(key, note)
        return
    # The ready-to-fill message(s) /isi sent: copied, an answer typed after each "=", sent back.
    answers = [format_number(v) for v in values]
    answers += [f"Rp {format_number(b)}" for b in budgets]
    answers += list(NOTES)
    parts = [
        m.plain_text
        for m in person.messages
        if m.seq > floor and m.plain_text[:1].isdigit() and " =" in m.plain_text
    ]
    flagged: list[int] = []
    for part in parts:
        filled = []
        for line in part.splitlines():
            number = int(line.split(".", 1)[0])
            answer = answers[number - 1] if number <= len(answers) else carried(line)
            filled.append(f"{line.rstrip()} {answer}".rstrip())
        # "✔️ N jawaban tersimpan" or, when every line was refused, "Tidak ada jawaban yang
        # tersimpan"
        shown = await demo.act(key, "\n".join(filled), "tersimpan")
        flagged += [int(n) for n in ASKED_ALONE.findall(shown.plain_text)]
    # A value the checks ask about (far from the target, a jump) is answered again alone,
    # with an explanation if asked; the form asks them in order, the first still open first.
    for number in sorted(flagged):
        reply = await demo.act(key, answers[number - 1])
        if not reply.plain_text.startswith("✔️ Tersimpan"):
            await demo.act(key, "Sesuai jadwal kegiatan triwulan ini.", "Tersimpan")


async def _upload_form(
    demo: Demo, key: str, unit: str, values: list[Decimal], budgets: list[Decimal], out: Path
) -> None:
    """The operator fills the template the bot sent at the opening (as in Excel) and sends it."""
    import io

    import openpyxl

    person = demo.people[key]
    sent = await person.wait_for(
        lambda m: m.document is not None and m.document.file_name.startswith(f"Formulir_{unit}"),
        timeout=WAIT,
        since=0,
    )
    assert sent.document is not None
    book = openpyxl.load_workbook(io.BytesIO(sent.document.data))
    typed: dict[str, tuple[str, list[str] | list[float]]] = {
        "Realisasi": ("Realisasi", [format_number(v) for v in values]),  # typed as text: "12,5"
        "Anggaran": ("Realisasi Triwulan Ini (Rp)", [float(b) for b in budgets]),
        "Catatan": ("Isian", list(NOTES)),
    }
    for sheet_name, (column, cells) in typed.items():
        sheet = book[sheet_name]
        col = [c.value for c in sheet[1]].index(column) + 1
        for row, value in enumerate(cells, 2):
            sheet.cell(row, col).value = value
    buffer = io.BytesIO()
    book.save(buffer)
    filled = buffer.getvalue()
    name = sent.document.file_name.replace(".xlsx", "_terisi.xlsx")
    (out / name).write_bytes(filled)
    demo.tick()
    await person.upload(name, filled)
    await person.wait_for_text("Pemeriksaan berkas", timeout=WAIT)
    await demo.tap(key, "Simpan", "tersimpan")


async def _import_history(demo: Demo, out: Path) -> None:
    """Last year's four quarters, as ``python -m bot history import`` loads them."""
    from exports.history import INDIKATOR, HistoryRow, write_history_list

    rows: list[HistoryRow] = []
    async with demo.runtime.db.reading() as conn:
        for unit in await catalog.unit_codes_with_indicators(conn, YEAR):
            for n, stored in enumerate(await catalog.indicators(conn, YEAR, unit)):
                this_year = demo_value(stored.indicator, n)
                for quarter, factor in enumerate(LAST_YEAR_FACTORS, 1):
                    value = (this_year * factor).quantize(this_year)
                    code = stored.indicator.code
                    rows.append(HistoryRow(INDIKATOR, code, YEAR - 1, quarter, value))
    data = write_history_list(rows)
    path = out / f"riwayat_realisasi_{YEAR - 1}.xlsx"
    path.write_bytes(data)
    result = await import_history_file(demo.runtime.core, data, None, path.name)
    if not result.ok:
        raise RuntimeError(result.summary)
    log.warning("%s", result.summary)


async def _late_unit_check(demo: Demo) -> None:
    """The Kepala Bidang HI is in a meeting past twice step 3's 10 minutes.

    The bot's reminder loop runs :func:`reminders.check`; the demo runs it at two moments,
    so the transcript shows her reminder and, a few minutes later, the Sekretaris told.
    """
    demo.clock.advance(timedelta(minutes=21))
    if not await reminders.check(demo.runtime.core):
        raise RuntimeError("no reminder after the step's time standard passed")
    await demo.people["kabid_hi"].wait_for_text("Pengingat", timeout=WAIT)
    demo.clock.advance(timedelta(minutes=5))
    if not await reminders.check(demo.runtime.core):
        raise RuntimeError("no escalation after the reminder went unanswered")
    await demo.people["sekretaris"].wait_for_text("Perlu perhatian", timeout=WAIT)
    # The Sekretaris taps Ingatkan: one more reminder, with the request's buttons, on which the
    # Kepala Bidang HI then decides (the request above loses its buttons too).
    head = demo.people["kabid_hi"]
    seen = max((m.seq for m in head.messages), default=0)
    demo.tick()
    await demo.people["sekretaris"].tap("Ingatkan")
    await head.wait_for_text("Pengingat", timeout=WAIT, since=seen)


async def _quarter(demo: Demo, out: Path) -> Path:
    label = f"Triwulan {('I', 'II', 'III', 'IV')[QUARTER - 1]} {YEAR}"
    # step 1
    await demo.act("kasubag", "/buka_periode", "Pilih triwulan")
    await demo.tap("kasubag", label, "dikirim ke Sekretaris")
    await demo.people["sekretaris"].wait_for_text("Persetujuan pembukaan", timeout=WAIT)
    await demo.tap("sekretaris", "Setujui")
    template = await demo.people["op_pelatihan"].wait_for(
        lambda m: m.document is not None, timeout=WAIT
    )
    assert template.document is not None
    (out / template.document.file_name).write_bytes(template.document.data)
    # steps 2 and 3: two units answer one question at a time, one sends a prepared numbered
    # message, one fills the .xlsx template and uploads it; each head checks as soon as the
    # report arrives. Pelatihan is returned once; the Kepala Bidang HI is in a meeting, so
    # her check runs late and is escalated.
    plan = (
        ("op_sekretariat", "sekretariat", "chat", "sekretaris"),
        ("op_pelatihan", "pelatihan", "lines", "kabid_pelatihan"),
        ("op_penempatan", "penempatan", "chat", "kabid_penempatan"),
        ("op_hi", "hubungan_industrial", "upload", "kabid_hi"),
    )
    for key, unit, how, head in plan:
        await _fill_unit(demo, key, unit, how, out)
        send = "Kirim ke Sekretaris" if unit == "sekretariat" else "Kirim ke Kepala Bidang"
        await demo.act(key, "/isi", "Ringkasan")
        await demo.tap(key, send, "dikirim ke")
        if unit == "pelatihan":
            await demo.tap(head, "Minta revisi", "alasan")
            await demo.act(
                head, "Realisasi indikator 1 belum termasuk peserta angkatan II.", "Dikembalikan"
            )
            await demo.act(key, "/isi", "Ringkasan")
            await demo.act(key, "1. 130", "Ringkasan")
            await demo.tap(key, "Kirim ke Kepala Bidang", "dikirim ke")
        elif unit == "hubungan_industrial":
            await _late_unit_check(demo)
        await demo.tap(head, "Setujui", "Disetujui")
    # step 4 → 5, with a return at step 5
    await demo.people["kasubag"].wait_for_text("Semua laporan unit", timeout=WAIT)
    # Sent before a narrative was chosen: the bot asks first, and it goes without one only
    # when confirmed.
    await demo.tap("kasubag", "Kirim ke Sekretaris", "belum dipilih")
    await demo.tap("kasubag", "Kirim tanpa narasi", "tanpa narasi analisis")
    await demo.tap("kasubag", "Ya, kirim tanpa narasi", "Diteruskan")
    await demo.tap("sekretaris", "Minta revisi", "alasan")
    await demo.act("sekretaris", "Mohon tambahkan narasi analisis capaian.", "Dikembalikan")
    # The drafted narrative comes back with the return: used with one sentence added.
    await demo.people["kasubag"].wait_for_text("Draf narasi analisis", timeout=WAIT)
    await demo.tap("kasubag", "✏️ Ubah", "Salin draf")
    copy = await demo.people["kasubag"].wait_for(lambda m: m.force_reply, timeout=WAIT)
    # The message replied to is the whole draft, from its opening on the mean capaian.
    assert copy.plain_text.startswith("Rata-rata capaian kinerja Dinas"), copy.plain_text[:80]
    await demo.act(
        "kasubag",
        copy.plain_text + "\n\nPenyerapan anggaran Bidang Penempatan akan dipercepat dengan "
        "penjadwalan ulang kegiatan penempatan pada triwulan II.",
        "tersimpan",
    )
    await demo.tap("kasubag", "Kirim ke Sekretaris", "Diteruskan")
    await demo.tap("sekretaris", "Setujui", "diteruskan ke")
    # step 6: two suggested recommendations, the first kept, the second edited
    kadin = demo.people["kadin"]
    await kadin.wait_for_text("Saran rekomendasi", timeout=WAIT, since=0)
    first = await kadin.wait_for(lambda m: m.plain_text.startswith("1. "), WAIT, since=0)
    second = await kadin.wait_for(lambda m: m.plain_text.startswith("2. "), WAIT, since=0)
    demo.tick()
    await kadin.tap("✔️ Pakai", message=first)
    await kadin.wait_for_text("Rekomendasi tersimpan", timeout=WAIT)
    demo.tick()
    await kadin.tap("✏️ Ubah", message=second)
    suggestion = await kadin.wait_for(lambda m: m.force_reply, timeout=WAIT)
    await demo.act("kadin", suggestion.plain_text.replace(" agar ", " agar segera "), "tersimpan")
    await demo.tap("kadin", "Tambah rekomendasi umum", "rekomendasi")
    await demo.act("kadin", "Percepat penyerapan anggaran sesuai rencana kas.", "tersimpan")
    await demo.tap("kadin", "Rekomendasi untuk unit", "memilih unit")
    await demo.tap("kadin", "Bidang Pelatihan dan Produktivitas Tenaga Kerja", "rekomendasi")
    await demo.act("kadin", "Perluas kerja sama pelatihan dengan industri lokal.", "tersimpan")
    await demo.tap("kadin", "Setujui", "diteruskan ke")
    # steps 7, 8
    await demo.tap("sekretaris", "Serahkan laporan dan rekomendasi", "Diteruskan")
    await demo.tap("kasubag", "Sampaikan rekomendasi", "Disampaikan oleh")
    # step 9: every unit follows up each recommendation it received (the general one reaches
    # every unit), one at a time; the Kepala Bidang HI records his unit's himself
    # A plan stays open (direncanakan) until the unit marks it selesai, so each unit goes
    # down its list by number.
    for key in ("op_pelatihan", "op_sekretariat", "op_penempatan", "kabid_hi"):
        number = 1
        while True:
            shown = await demo.act(key, "/tindak_lanjut")
            label = f"Catat tindak lanjut no. {number}"
            if label not in [b for row in shown.buttons for b in row]:
                break
            await demo.tap(key, label, "tindak lanjut")
            await demo.act(key, "Telah dijadwalkan dalam rencana kerja triwulan II.", "tersimpan")
            number += 1
    assert demo.group is not None
    final = await demo.group.wait_for(lambda m: m.document is not None, timeout=WAIT, since=0)
    await demo.group.wait_for_text("ditutup", timeout=WAIT, since=0)
    assert final.document is not None
    path = out / final.document.file_name
    path.write_bytes(final.document.data)
    return path


GENERAL = "Percepat penyerapan anggaran sesuai rencana kas."
PHOTO = bytes.fromhex("ffd8ffe000104a464946") + b"foto rapat evaluasi rencana kas" * 40


async def _next_quarter(demo: Demo, out: Path) -> Path:
    """Triwulan II: triwulan I's recommendations, only planned in its step 9, come back in
    each unit's form. Pelatihan answers the general one selesai with a photo; the others
    report theirs dalam proses. The period runs to its close without new recommendations,
    and the Kepala Dinas's recap shows each unit's answer."""
    demo.clock.set(datetime(2026, 6, 1, 1, 0, tzinfo=UTC))  # Monday 1 June, 08:00 WIB
    await demo.act("kasubag", "/buka_periode", "Pilih triwulan")
    await demo.tap("kasubag", "Triwulan II 2026", "dikirim ke Sekretaris")
    await demo.people["sekretaris"].wait_for_text("Persetujuan pembukaan", timeout=WAIT)
    await demo.tap("sekretaris", "Setujui")
    plan = (
        ("op_sekretariat", "sekretariat", "sekretaris"),
        ("op_pelatihan", "pelatihan", "kabid_pelatihan"),
        ("op_penempatan", "penempatan", "kabid_penempatan"),
        ("op_hi", "hubungan_industrial", "kabid_hi"),
    )
    for key, unit, head in plan:

        def carried(line: str, unit: str = unit) -> str:
            if unit == "pelatihan" and GENERAL in line:
                return ""  # answered on its own below, with a photo
            return "dalam proses; Sedang dilaksanakan, dilaporkan kembali triwulan III."

        await _fill_unit(demo, key, unit, "lines", out, quarter=2, carried=carried)
        if unit == "pelatihan":
            # the form stops at the question left open: a photo, the status, what was done
            person = demo.people[key]
            demo.tick()
            await person.send_photo(PHOTO)
            await person.wait_for_text("Data dukung", timeout=WAIT)
            await demo.tap(key, "Selesai", "Status yang akan dicatat: selesai")
            await demo.act(
                key, "Rencana kas direvisi; penyerapan triwulan II sesuai jadwal.", "tersimpan"
            )
        send = "Kirim ke Sekretaris" if unit == "sekretariat" else "Kirim ke Kepala Bidang"
        await demo.tap(key, "Ringkasan", "Ubah jawaban")
        await demo.tap(key, send, "dikirim ke")
        await demo.tap(head, "Setujui", "Disetujui")
    await demo.people["kasubag"].wait_for_text("Semua laporan unit", timeout=WAIT)
    # the drafted narrative was used in triwulan I; this time the report goes without one
    await demo.tap("kasubag", "Kirim ke Sekretaris", "belum dipilih")
    await demo.tap("kasubag", "Kirim tanpa narasi", "tanpa narasi analisis")
    await demo.tap("kasubag", "Ya, kirim tanpa narasi", "Diteruskan")
    await demo.tap("sekretaris", "Setujui", "diteruskan ke")
    await demo.people["kadin"].wait_for_text("Triwulan II 2026", timeout=WAIT)
    await demo.tap("kadin", "Setujui", "diteruskan ke")
    # no recommendation this time: only the report is handed on and distributed
    await demo.tap("sekretaris", "Serahkan laporan", "Diteruskan")
    await demo.tap("kasubag", "Sampaikan laporan akhir", "Disampaikan oleh")
    await demo.people["kadin"].wait_for_text("Rekap tindak lanjut", timeout=WAIT)
    assert demo.group is not None
    final = await demo.group.wait_for(
        lambda m: m.document is not None and "TW2" in m.document.file_name, timeout=WAIT, since=0
    )
    assert final.document is not None
    path = out / final.document.file_name
    path.write_bytes(final.document.data)
    return path


async def run_demo(
    out: Path, quiet: bool = False, webapp: bool = False, listen: str = "127.0.0.1:8080"
) -> int:
    """Play the quarter; print the transcript; leave database and reports in ``out``.

    ``webapp``: the Mini App is on during the quarter (its buttons in chat), and afterwards
    served on ``listen`` until Ctrl-C, with an operator's and a leader's address printed."""
    out.mkdir(parents=True, exist_ok=True)
    db_path = out / "kinerja.sqlite3"
    for stale in (db_path, out / "kinerja.sqlite3-wal", out / "kinerja.sqlite3-shm"):
        stale.unlink(missing_ok=True)
    logging.basicConfig(level=logging.WARNING)
    # Monday 2 March 2026, 08:00 WIB: the first working day of the first quarter's last
    # month, the first day triwulan I can be opened.
    clock = FakeClock(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    async with BotApiSimulator(token=TOKEN, bot_username=BOT_USERNAME) as sim:
        runtime = await Runtime.create(
            Settings(
                token=TOKEN,
                db_path=db_path,
                api_url=sim.base_url,
                file_url=sim.file_base_url,
                clock=clock,
                config=Config(webapp_url=DEMO_URL if webapp else ""),
                webapp_listen=listen,
                rate_limit=False,
                poll_timeout=1,
                backup_every=None,
                remind_every=None,  # the script runs the reminder check at its own moments
            )
        )
        await admin.ensure_sekretariat(runtime.core)
        await runtime.start()
        try:
            demo = Demo(sim, runtime, clock)
            await _set_up(demo)
            await _import_history(demo, out)
            report = await _quarter(demo, out)
            second = await _next_quarter(demo, out)
            transcript = sim.format_transcript()
            _done(out, db_path, (report, second), transcript, quiet)
            if webapp:
                people = demo.people
                for line in links(runtime, TOKEN, people["op_pelatihan"], people["kadin"]):
                    print(line, flush=True)
                await serve_until_stopped()
        finally:
            await runtime.stop(flush_seconds=5)
    return 0


def _done(
    out: Path, db_path: Path, reports: tuple[Path, Path], transcript: str, quiet: bool
) -> None:
    """The transcript kept (and printed unless ``quiet``), and where the files are."""
    (out / "transkrip.txt").write_text(transcript, encoding="utf-8")
    if not quiet:
        print(transcript)
    print(
        f"\nSelesai. Laporan akhir: {reports[0]}, {reports[1]}\nBasis data: {db_path}\n"
        f"Transkrip: {out / 'transkrip.txt'}",
        file=sys.stderr,
        flush=True,
    )
