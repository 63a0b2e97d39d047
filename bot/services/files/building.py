"""Files queued as recipes are built here: after their transaction, off the event loop.

One round reads what a recipe needs (a short read), builds the file in a worker process
(``core.offload``), and stores the bytes in a short transaction; the outbox sender sends it
then, and the chat's later messages after it. A file is built from the data as they are when
it is built, a moment after the step that asked for it. Recipes alike in one round (the same
draft to three reviewers) are built once.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock, SystemClock
from bot.offload import worker_died
from bot.services.config import Config
from bot.services.core import Core, core_on_file
from bot.services.files import recipes, reporting
from bot.services.files.templates import template_context
from bot.services.quarter import forms
from bot.services.work import Work
from bot.texts import agency as ta
from storage import outbox, periods
from storage.db import is_busy

log = logging.getLogger(__name__)

# A recipe that fails this often (a bug, a period deleted) is given up, so that the chat's
# later messages are not held behind it forever.
MAX_BUILD_ATTEMPTS = 3
RETRY_AFTER = timedelta(seconds=5)

Built = tuple[str, bytes]  # (file name, bytes)


async def build_pending(core: Core, wall: Clock | None = None) -> int:
    """Build every queued recipe that is due; return how many files were stored."""
    wall = wall or SystemClock()
    async with core.db.reading() as conn:
        items = await outbox.unbuilt(conn)
    built: dict[str, Built] = {}
    stored = 0
    for item in items:
        if item.recipe is None or (
            item.next_attempt_at is not None and item.next_attempt_at > wall.now()
        ):
            continue
        key = json.dumps(item.recipe, sort_keys=True)
        try:
            if key not in built:
                built[key] = await build(core, item.recipe)
        except Exception as exc:
            await _failed(core, item, exc, wall.now())
            continue
        name, data = built[key]
        # Not flushed: a power cut that undoes it only means the file is built again.
        async with core.db.transaction(flush=False) as conn:
            if await outbox.set_built(conn, item.id, name, data):
                stored += 1
        core.wake_sender()
    return stored


async def build(core: Core, recipe: recipes.Recipe) -> Built:
    """The file a recipe describes, read and built in a worker.

    The worker reads the database itself (a second reader beside the bot's connection,
    which SQLite's WAL allows): reading a 50-unit report's data is a tenth of a second of
    CPU that would otherwise run on the event loop, holding the bot's connection.
    """
    path = str(core.db.path)
    if path == ":memory:":  # nothing another process could open
        return await _read_and_build(core, recipe, core.offload.run)
    return await core.offload.run(build_from_file, path, recipe, core.now(), core.config)


def build_from_file(path: str, recipe: recipes.Recipe, now: datetime, config: Config) -> Built:
    """In a worker: open the database file, read what ``recipe`` needs, build the file."""
    return asyncio.run(_build_from_file(path, recipe, now, config))


async def _build_from_file(
    path: str, recipe: recipes.Recipe, now: datetime, config: Config
) -> Built:
    async def here(fn: Callable[..., bytes], *args: Any) -> bytes:
        return fn(*args)

    async with core_on_file(path, now, config) as core:
        return await _read_and_build(core, recipe, here)


Run = Callable[..., Awaitable[bytes]]  # how the CPU part runs: here, or in a worker


async def _read_and_build(core: Core, recipe: recipes.Recipe, run: Run) -> Built:
    kind = recipe.get("kind")
    if kind in (recipes.REPORT, recipes.CHART):
        async with core.db.reading() as conn:
            period = await periods.period(conn, int(recipe["period"]))
            if period is None:
                raise LookupError(f"period {recipe['period']} is gone")
            data = await reporting.report_data(core, conn, period)
        if kind == recipes.CHART:
            return "grafik.png", await run(reporting.chart, data)
        draft = bool(recipe.get("draft"))
        return reporting.filename(data, draft=draft), await run(reporting.workbook, data, draft)
    if kind == recipes.FIGURES:
        from bot.services.files import exporting
        from exports.figures import export_filename

        fmt = str(recipe["format"])
        async with core.db.reading() as conn:
            years = await exporting.year_figures(conn, None, str(recipe["reader"]))
        return export_filename(None, fmt), await run(exporting.table_bytes, years, fmt)
    if kind == recipes.TEMPLATE:
        from exports.template import build_template, template_filename

        async with core.db.reading() as conn:
            report = await periods.unit_report(conn, int(recipe["report"]))
            if report is None:
                raise LookupError(f"unit report {recipe['report']} is gone")
            # Reading only: the Work is the forms' way to the connection, the clock and the
            # settings; nothing is queued or written through it.
            work = Work(conn, core.now(), None, core.config)
            context = await template_context(work, await forms.load(work, report))
        return template_filename(context), await run(build_template, context)
    raise ValueError(f"unknown recipe {recipe!r}")


async def _failed(core: Core, item: outbox.OutboxItem, error: Exception, now: datetime) -> None:
    """Retry later (a database another process holds is waited out without counting); the
    last failure tells the chat, in the file's place, and lets its later messages go."""
    busy = is_busy(error)
    # A worker's death (bot.offload) is passing too, but counts: a file that kills its
    # worker every time is given up after its attempts like any other failure.
    passing = busy or worker_died(error)
    last = not busy and item.attempts + 1 >= MAX_BUILD_ATTEMPTS
    kind = str((item.recipe or {}).get("kind"))
    log.log(
        logging.WARNING if passing and not last else logging.ERROR,
        "outbox %d: the %s for chat %d could not be built%s%s",
        item.id,
        kind,
        item.chat_id,
        " (its worker process died)" if worker_died(error) else "",
        "; given up" if last else "; will retry",
        exc_info=None if passing else error,
    )
    async with core.work(None) as work:
        await outbox.build_failed(
            work.conn,
            item.id,
            f"build: {type(error).__name__}: {error}"[:500],
            None if last else now + RETRY_AFTER * (item.attempts + 1),
            counted=not busy,
        )
        if last:
            work.use_case = "building.given_up"
            await work.say(item.chat_id, ta.file_not_built(kind))
