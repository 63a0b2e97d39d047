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
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.app import Runtime, Settings
from bot.clock import FakeClock
from bot.demo_cast import CAST, LAST_YEAR_FACTORS, WAIT, YEAR, Demo, demo_value
from bot.demo_quarters import first_quarter, next_quarter
from bot.demo_web import DEMO_URL, links, serve_until_stopped
from bot.services.analysis.history import import_history_file
from bot.services.config import Config
from bot.services.files.catalog import import_catalog_file
from bot.services.people import admin, onboarding
from bot.sim import BotApiSimulator
from exports.org import read_org
from exports.samples import sample_catalog_path, sample_org_path
from storage import catalog

TOKEN = "424242:DEMO-offline-token-not-a-secret"
BOT_USERNAME = "kinerja_demo_bot"

log = logging.getLogger(__name__)


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
            report = await first_quarter(demo, out)
            second = await next_quarter(demo, out)
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
