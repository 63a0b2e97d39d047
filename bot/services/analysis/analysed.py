"""The messages of steps 4 to 6 that say what the figures show, written after the step.

Reading a whole agency's figures and analysing them (the analysis in the request, the
drafted narrative, the suggested recommendations) takes a tenth of a second or more of CPU;
inside the step's transaction it would hold the write lock and the event loop. So the step
queues them (``Work.defer``); here they are computed in a worker, which reads the database
file itself, and written in a short transaction that re-checks what they were computed from:
the period still at the version the step left it (else the step has moved on, and they are
dropped) and every unit report at the version read (else they are computed again).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiosqlite

from bot import analysis as an
from bot.analysis import attention
from bot.analysis.summary import summarise
from bot.clock import Clock, SystemClock
from bot.model import Role
from bot.numbers_format import format_percent, format_quantity
from bot.offload import worker_died
from bot.services.analysis import choice, drafting
from bot.services.analysis.drafts import offer_draft, offer_suggestions
from bot.services.config import Config
from bot.services.core import Core, core_on_file
from bot.services.files import recipes, reporting
from bot.services.quarter.period_steps import compile_buttons, head_buttons, period_tag
from bot.services.quarter.questions import dashboard_button
from bot.services.quarter.step_requests import recipients, secretary_buttons
from bot.services.work import Work
from bot.texts import agency as ta
from bot.texts import attention as tat
from bot.workflow import Grant, Step
from storage import deferred, periods
from storage.db import is_busy

log = logging.getLogger(__name__)

MAX_RACES = 2  # computed again this often when a unit's figures changed meanwhile
MAX_ATTEMPTS = 3  # a step's messages that fail this often (a bug) are given up, logged
RETRY_AFTER = timedelta(seconds=5)

Versions = tuple[tuple[str, int], ...]  # (unit code, unit report version), in unit order


@dataclass(frozen=True)
class Figures:
    """What the messages say, computed from one consistent read of the period."""

    analysis: str  # the analysis as a chat message
    narrative: str  # the drafted narrative ("" when no rule fired)
    suggestions: tuple[an.Suggestion, ...]
    unit_names: dict[str, str]
    versions: Versions  # the unit reports the figures were read from
    checks: str = ""  # what the coordinator should review before sending (step 4)
    summary: str = ""  # what a reviewer reads first (steps 5 and 6)


# What a step says when its figures could not be computed: the request and its buttons
# still go out (a decision must not wait for ever), without the analysis.
WITHOUT_FIGURES = Figures("", "", (), {}, ())


async def write_next(core: Core, wall: Clock | None = None) -> bool:
    """Write the oldest step's messages that are due; True if there was one.

    A period's messages go out in the order its steps queued them: while an earlier one
    waits for a retry, the later ones wait too.
    """
    now = (wall or SystemClock()).now()
    async with core.db.reading() as conn:
        waiting = await deferred.waiting(conn)
    held: set[int] = set()
    for item in waiting:
        if item.period_id in held:
            continue
        if item.next_attempt_at is not None and item.next_attempt_at > now:
            held.add(item.period_id)
            continue
        try:
            await _write(core, item)
        except Exception as exc:
            await _failed(core, item, exc, now)
        return True
    return False


async def _failed(core: Core, item: deferred.Deferred, error: Exception, now: datetime) -> None:
    """Retry later; a database another process holds is waited out without counting. The
    last try writes the messages without the figures."""
    busy = is_busy(error)
    # A worker's death (bot.offload) is passing too, but counts against the attempts.
    passing = busy or worker_died(error)
    last = not busy and item.attempts + 1 >= MAX_ATTEMPTS
    log.log(
        logging.WARNING if passing and not last else logging.ERROR,
        "the %s messages of period %d could not be written%s%s",
        item.kind,
        item.period_id,
        " (a worker process died)" if worker_died(error) else "",
        "; sent without the figures" if last else "; will retry",
        exc_info=None if passing else error,
    )
    if last:
        try:
            async with core.work(None) as work:
                await _messages(work, item, WITHOUT_FIGURES)
        except Exception:
            log.exception("the %s messages of period %d are given up", item.kind, item.period_id)
            async with core.db.transaction() as conn:
                await deferred.done(conn, item.id)
        return
    async with core.db.transaction() as conn:
        await deferred.retry_later(
            conn,
            item.id,
            now + RETRY_AFTER * (item.attempts + 1),
            f"{type(error).__name__}: {error}"[:500],
            counted=not busy,
        )


async def _write(core: Core, item: deferred.Deferred) -> None:
    for race in range(MAX_RACES + 1):
        if race == MAX_RACES:
            # Computed under the write lock: nothing can change in between.
            async with core.work(None) as work:
                period = await periods.period(work.conn, item.period_id)
                held = None if period is None else await _compute(core, work.conn, period)
                await _messages(work, item, held)
            return
        figures = await compute(core, item.period_id)
        async with core.work(None) as work:
            if figures is None or await _versions(work.conn, item.period_id) == figures.versions:
                await _messages(work, item, figures)
                return
            work.refused = "figures changed while computed"


async def _messages(work: Work, item: deferred.Deferred, figures: Figures | None) -> None:
    """Inside the writing transaction: take the item off the queue, then write."""
    work.use_case = f"analysed.{item.kind}"
    if not await deferred.done(work.conn, item.id):
        work.refused = "written before"
        return
    period = await periods.period(work.conn, item.period_id)
    if period is None or figures is None or period.version != item.version:
        work.refused = "the step moved on"
        return
    chats = item.args.get("chats")
    if item.kind == recipes.COMPILE_MESSAGES:
        for chat in await recipients(work, Grant(Role.KASUBAG_KPEP), chats):
            await work.say(
                chat,
                _with_analysis(ta.compile_intro(period.label), figures)
                + (f"\n\n{figures.checks}" if figures.checks else ""),
                compile_buttons(period) + dashboard_button(work.config),
                tag=period_tag(period.id, Step.COMPILE),
            )
        await offer_draft(work, period, figures.narrative)
    elif item.kind == recipes.REVIEW_MESSAGE:
        step = Step(int(item.args["step"]))
        head = step is Step.HEAD_REVIEW
        role = Role.KADIN if head else Role.SEKRETARIS
        buttons = await head_buttons(work, period) if head else secretary_buttons(period)
        buttons += dashboard_button(work.config)  # the same decision, with the figures drawn
        # The summary and the narrative replace the block of figures: the decision's facts
        # first, the narrative it is argued in under them, the whole of it a tap away.
        above = "\n\n".join(p for p in (str(item.args["text"]), figures.summary) if p)
        narrative, more = choice.narrative_block(period, above)
        parts = [above, narrative]
        for chat in await recipients(work, Grant(role), chats):
            await work.say(
                chat,
                "\n\n".join(p for p in parts if p),
                [*more, *buttons],
                tag=period_tag(period.id, step),
            )
    elif item.kind == recipes.SUGGESTIONS:
        await offer_suggestions(work, period, figures.suggestions, figures.unit_names)
    else:
        raise ValueError(f"unknown deferred kind {item.kind!r}")


def _with_analysis(text: str, figures: Figures) -> str:
    return f"{text}\n\n{figures.analysis}" if figures.analysis else text


async def compute(core: Core, period_id: int) -> Figures | None:
    """The period's figures, read and computed in a worker (None if the period is gone)."""
    path = str(core.db.path)
    if path == ":memory:":  # nothing another process could open
        return await _read_figures(core, period_id)
    return await core.offload.run(figures_from_file, path, period_id, core.now(), core.config)


async def _read_figures(core: Core, period_id: int) -> Figures | None:
    async with core.db.reading() as conn:
        period = await periods.period(conn, period_id)
        return None if period is None else await _compute(core, conn, period)


def figures_from_file(path: str, period_id: int, now: datetime, config: Config) -> Figures | None:
    """In a worker: open the database file, read the period, compute its figures."""
    return asyncio.run(_figures_from_file(path, period_id, now, config))


async def _figures_from_file(
    path: str, period_id: int, now: datetime, config: Config
) -> Figures | None:
    async with core_on_file(path, now, config) as core:
        return await _read_figures(core, period_id)


async def _compute(core: Core, conn: aiosqlite.Connection, period: periods.Period) -> Figures:
    data = await reporting.report_data(core, conn, period)
    inp = await drafting.analysis_input(core, conn, period, data)
    found = tuple(an.suggestions(inp))
    return Figures(
        analysis=reporting.analysis_text(data),
        narrative=an.narrative_text(an.narrative(inp)),
        suggestions=found,
        unit_names={s.unit_code: inp.unit_name(s.unit_code) for s in found},
        versions=await _versions(conn, period.id),
        checks=coordinator_checks(inp),
        summary=choice.summary_text(
            period.label,
            summarise(inp),
            {u.code: u.name for u in inp.units},
            {h.indicator.code: h.indicator.name for h in inp.indicators},
        ),
    )


def coordinator_checks(inp: an.AnalysisInput) -> str:
    """Step 4's consistency checks: agency-wide figures against the units' budgets, and
    annual targets already reached before Triwulan IV."""
    own = [
        tat.own_figure_line(
            f.indicator.code,
            f.indicator.name,
            inp.unit_name(f.indicator.unit_code),
            format_percent(f.typed),
            format_percent(f.computed),
        )
        for f in attention.agency_figures_differ(inp)
    ]
    reached = [
        tat.reached_line(
            r.indicator.code,
            r.indicator.name,
            inp.unit_name(r.indicator.unit_code),
            format_quantity(r.to_date, r.indicator.satuan),
            format_percent(r.capaian),
        )
        for r in attention.reached_early(inp)
    ]
    return tat.coordinator_checks(own, reached)


async def _versions(conn: aiosqlite.Connection, period_id: int) -> Versions:
    return tuple((r.unit_code, r.version) for r in await periods.unit_reports(conn, period_id))
