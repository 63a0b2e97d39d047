"""``python tests/benchmarks/run.py``: speed and memory figures, printed as ``name: value``.

Four measurements, the first three each beside its floor on the same machine:
- update handling: data entry for 40 units × 25 indicators through the simulator, against a
  bare python-telegram-bot echo bot and the same echo bot committing every update to SQLite;
- export: the consolidated report for 50 units × 200 indicators, against bare xlsxwriter
  writing the same cells and pandas ``to_excel`` with openpyxl;
- upload: parsing a filled 1,000-row template;
- nobody waits (``during_upload``, tests/benchmarks/during_upload.py): another person's
  /bantuan answered while a padded 2 MB upload and a 50-unit report are processed, the bot
  running as ``python -m bot run`` in its own process (``p99_ms_during_upload``, target
  below 100; also ``p50_ms_during_upload``, ``bantuan_answered_during_upload``,
  ``upload_and_report_s``, ``upload_bytes``).
They print; they do not pass or fail. ``--only during_upload`` (or any of ``updates``,
``export``, ``upload``) runs just those; the default runs all four.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import io
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bot.bootstrap import ensure  # noqa: E402

if __name__ == "__main__":
    ensure("tests.benchmarks.run", dev=True)

from telegram import Update  # noqa: E402
from telegram.ext import Application, ContextTypes, MessageHandler, filters  # noqa: E402

from bot.app import Runtime, Settings  # noqa: E402
from bot.clock import FakeClock  # noqa: E402
from bot.model import Level, Role  # noqa: E402
from bot.services.config import Config  # noqa: E402
from bot.services.files.catalog import store_catalog  # noqa: E402
from bot.services.people import admin, onboarding  # noqa: E402
from bot.sim import BotApiSimulator  # noqa: E402
from exports.report_data import BudgetRow, IndicatorRow, ReportData  # noqa: E402
from tests.benchmarks.synthetic import synthetic_catalog  # noqa: E402

TOKEN = "777777:BENCHMARK-token-abcdefghijklmnopqrstu"
ECHO_MESSAGES = 1000
ROUNDS = 2  # turns of report and floor (export)
# Turns of floors and bot for the update figures; the ratio reported is their median, so one
# lucky (or unlucky) round moves it no more than any other.
UPDATE_ROUNDS = 3


async def bench_updates(units: int = 40, per_unit: int = 25) -> dict[str, float]:
    """The bot's update handling against the two echo floors on the same simulator.

    The machine's speed drifts (other tenants share it), so floors and bot take turns for
    ``UPDATE_ROUNDS`` rounds; each round's bot is compared with that round's floors, and each
    figure is the median over the rounds: a slow spell cannot favour one side, and the ratio
    does not depend on the luckiest round.
    """
    echo: list[float] = []
    durable: list[float] = []
    rate: list[float] = []
    latencies: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(UPDATE_ROUNDS):
            async with BotApiSimulator(token=TOKEN, bot_username="bench_bot") as sim:
                echo.append(await _echo(sim, durable=None))
                durable.append(await _echo(sim, durable=Path(tmp) / f"echo{n}.sqlite3"))
            async with BotApiSimulator(token=TOKEN, bot_username="bench_bot") as sim:
                round_rate, round_latencies = await _quarter_entry(
                    sim, Path(tmp) / f"bot{n}.sqlite3", units, per_unit
                )
            rate.append(round_rate)
            latencies += round_latencies
            print(
                f"# updates round {n + 1}: bot {round_rate:.1f}/s, durable floor "
                f"{durable[-1]:.1f}/s, echo floor {echo[-1]:.1f}/s, "
                f"ratio {round_rate / durable[-1]:.3f}",
                file=sys.stderr,
            )
    ordered = sorted(latencies)
    return {
        "updates_per_s": statistics.median(rate),
        "echo_floor_updates_per_s": statistics.median(echo),
        "durable_echo_floor_updates_per_s": statistics.median(durable),
        "update_ratio": statistics.median(r / d for r, d in zip(rate, durable, strict=True)),
        "update_ratio_vs_echo": statistics.median(r / e for r, e in zip(rate, echo, strict=True)),
        # every round's latencies: a slow spell shows here, as it would for a user
        "p50_ms": statistics.median(ordered),
        "p99_ms": ordered[int(len(ordered) * 0.99) - 1],
    }


async def _echo(sim: BotApiSimulator, durable: Path | None) -> float:
    """A bare PTB echo bot (its own Updater), optionally committing each update first."""
    app = (
        Application.builder()
        .token(TOKEN)
        .base_url(sim.base_url)
        .base_file_url(sim.file_base_url)
        .build()
    )
    conn = None
    if durable is not None:
        conn = sqlite3.connect(durable, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("CREATE TABLE seen (update_id INTEGER PRIMARY KEY, text TEXT)")

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        if conn is not None:
            conn.execute(
                "INSERT INTO seen VALUES (?, ?)", (update.update_id, update.effective_message.text)
            )
        await update.effective_message.reply_text(update.effective_message.text or "")

    app.add_handler(MessageHandler(filters.TEXT, echo))
    person = sim.person("Echo", last_name=f"{'durable' if durable else 'bare'}")
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        started = time.perf_counter()
        for n in range(ECHO_MESSAGES):
            await person.send(f"pesan {n}")
        await person.wait_for(
            lambda m: m.text == f"pesan {ECHO_MESSAGES - 1}", timeout=300, since=0
        )
        elapsed = time.perf_counter() - started
        await app.updater.stop()
        await app.stop()
    if conn is not None:
        conn.close()
    return ECHO_MESSAGES / elapsed


async def _quarter_entry(
    sim: BotApiSimulator, db_path: Path, units: int, per_unit: int
) -> tuple[float, list[float]]:
    """Every unit's operator answers the whole form; returns updates/s and latencies."""
    unit_list, catalog = synthetic_catalog(units, per_unit)
    clock = FakeClock(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))  # triwulan I opens from 1 March
    runtime = await Runtime.create(
        Settings(
            token=TOKEN,
            db_path=db_path,
            api_url=sim.base_url,
            file_url=sim.file_base_url,
            clock=clock,
            config=Config(),
            rate_limit=False,
            poll_timeout=1,
            backup_every=None,
            remind_every=None,
        )
    )
    await runtime.start()
    core = runtime.core
    await admin.import_units(core, unit_list, "Dinas Benchmark")
    async with core.work(None) as work:
        assert (await store_catalog(work, catalog, None)).ok
    people = {}
    for key, role, unit in [
        ("kasubag", Role.KASUBAG_KPEP, None),
        ("sekretaris", Role.SEKRETARIS, None),
    ] + [(f"op_{u.code}", Role.OPERATOR, u.code) for u in unit_list]:
        person = sim.person(key)
        created = await onboarding.create_invite_cli(
            core, role, unit, key, key == "kasubag", "bench_bot"
        )
        await person.send(f"/start {created.invite.token}")
        people[key] = person
    await people["kasubag"].send("/buka_periode")
    await people["kasubag"].wait_for_text("Pilih triwulan", timeout=60)
    await people["kasubag"].tap("Triwulan I 2026")
    await people["sekretaris"].wait_for_text("Persetujuan", timeout=60)
    await people["sekretaris"].tap("Setujui")
    await people[f"op_{unit_list[-1].code}"].wait_for_text("dibuka", timeout=120)
    await _drain(runtime)
    runtime.pump.latencies_ms.clear()
    before = runtime.pump.handled
    started = time.perf_counter()
    sent = 0
    for unit in unit_list:
        operator = people[f"op_{unit.code}"]
        await operator.send("/isi")
        answers = [str(10 + n % 7) for n in range(per_unit)]
        answers += ["Rp 1.000.000"] * (per_unit // 5 or 1) + ["-"] * 5
        for answer in answers:
            await operator.send(answer)
        sent += 1 + len(answers)
    while runtime.pump.handled - before < sent:
        await asyncio.sleep(0.01)
    elapsed = time.perf_counter() - started
    latencies = list(runtime.pump.latencies_ms)
    await runtime.stop(flush_seconds=0.5)
    return sent / elapsed, latencies


async def _drain(runtime: Runtime) -> None:
    """Let the opening's messages go out before the clock starts."""
    await runtime.sender.flush(120)


def bench_export(units: int = 50, per_unit: int = 200) -> dict[str, float]:
    """The consolidated report beside bare xlsxwriter and pandas+openpyxl for the same cells."""
    import pandas as pd
    import xlsxwriter

    from exports.report import build_report

    unit_list, catalog = synthetic_catalog(units, per_unit)
    rows = tuple(
        IndicatorRow(i, (Decimal(11), Decimal(12), Decimal(9), None)) for i in catalog.indicators
    )
    budgets = tuple(
        BudgetRow(a, (Decimal(1_000_000), Decimal(2_000_000), None, None))
        for a in catalog.activities
        if a.level is Level.SUB_KEGIATAN
    )
    data = ReportData(
        "Dinas Benchmark",
        2026,
        3,
        datetime(2026, 10, 1, tzinfo=UTC),
        tuple(unit_list),
        catalog.activities,
        rows,
        budgets,
    )

    def report() -> bytes:
        return build_report(data)

    # The floors write exactly the cells the report holds (every sheet, values only): what
    # the report adds is formats, hierarchy, charts and computing the figures.
    sheets = _cells_of(report())

    def bare() -> bytes:
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        for name, rows in sheets.items():
            sheet = workbook.add_worksheet(name)
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    if isinstance(value, int | float):
                        sheet.write_number(r, c, value)
                    elif value is not None:
                        sheet.write_string(r, c, str(value))
        workbook.close()
        return buffer.getvalue()

    def pandas_openpyxl() -> bytes:
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            for name, rows in sheets.items():
                pd.DataFrame(rows).to_excel(writer, sheet_name=name, index=False, header=False)
        return buffer.getvalue()

    best = _best_interleaved({"report": report, "bare": bare}, repeat=ROUNDS + 1)
    report_s, floor_s = best["report"], best["bare"]
    openpyxl_s = _best(pandas_openpyxl, repeat=1)
    gc.collect()
    tracemalloc.start()
    report()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "report_s": report_s,
        "xlsxwriter_floor_s": floor_s,
        "report_vs_xlsxwriter": report_s / floor_s,
        "pandas_openpyxl_s": openpyxl_s,
        "speedup_vs_openpyxl": openpyxl_s / report_s,
        "report_peak_mb": peak / 2**20,
    }


def bench_upload(rows: int = 1000) -> dict[str, float]:
    """Parse a filled 1,000-row template."""
    import openpyxl

    from exports.template import build_template
    from exports.template_layout import TemplateContext
    from exports.upload import parse_upload

    unit_list, catalog = synthetic_catalog(2, rows)
    unit = unit_list[1]
    indicators = tuple(i for i in catalog.indicators if i.unit_code == unit.code)
    activities = tuple(a for a in catalog.activities if a.unit_code == unit.code)
    ctx = TemplateContext(
        agency_name="Dinas",
        unit=unit,
        year=2026,
        quarter=1,
        period_id=1,
        indicators=indicators,
        activities=activities,
        previous={},
        current={},
        budget_current={},
        budget_spent_before={},
        notes={},
    )
    book = openpyxl.load_workbook(io.BytesIO(build_template(ctx)))
    sheet = book["Realisasi"]
    header = [c.value for c in sheet[1]]
    column = header.index("Realisasi") + 1 if "Realisasi" in header else None
    filled = 0
    for row in sheet.iter_rows(min_row=2):
        if column and row[0].value is not None:
            row[column - 1].value = 12.0  # whole: most rows count orang
            filled += 1
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    seconds = _best(lambda: parse_upload(data, filename="isi.xlsx", ctx=ctx))
    return {"upload_1000_rows_s": seconds, "upload_rows_filled": float(filled)}


def _cells_of(workbook: bytes) -> dict[str, list[list[object]]]:
    """Every sheet's cell values, as rows."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(workbook), read_only=True)
    try:
        return {
            sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
            for sheet in book.worksheets
        }
    finally:
        book.close()


def _best_interleaved(fns: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Each function's best time, running them in turns so a slow spell hits all alike."""
    best = dict.fromkeys(fns, float("inf"))
    for _ in range(repeat):
        for name, fn in fns.items():
            started = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - started)
    return best


def _best(fn: object, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()  # type: ignore[operator]
        best = min(best, time.perf_counter() - started)
    return best


BENCHES = ("updates", "export", "upload", "during_upload")


def main(argv: list[str] | None = None) -> int:
    """Run every measurement (or those named with ``--only``) and print every figure."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--only", nargs="+", choices=BENCHES, default=list(BENCHES), help="these measurements"
    )
    only = set(parser.parse_args(argv).only)
    figures: dict[str, float] = {}
    if "updates" in only:
        figures.update(asyncio.run(bench_updates()))
    if "export" in only:
        figures.update(bench_export())
    if "upload" in only:
        figures.update(bench_upload())
    if "during_upload" in only:
        from tests.benchmarks.during_upload import bench_during_upload

        figures.update(asyncio.run(bench_during_upload()))
    for name, value in figures.items():
        print(f"{name}: {value:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
