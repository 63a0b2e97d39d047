"""Earlier quarters: importing their realisations, and each figure per quarter by code.

A quarter collected in the bot (a period of that year and triwulan that was not cancelled)
wins over an imported one: its rows in a history file are skipped and said so.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

import aiosqlite

from bot import numbers
from bot.model import Level
from bot.services.core import Core
from bot.texts import analysis as tx
from bot.workflow import PeriodState
from exports.history import ANGGARAN, INDIKATOR, read_history
from storage import catalog, entries, history, periods

Figures = dict[str, list[Decimal | None]]  # code -> value per quarter I..IV


@dataclass(frozen=True, slots=True)
class HistoryReport:
    """What an import did, for the person who asked."""

    ok: bool
    summary: str


async def collected_quarters(conn: aiosqlite.Connection) -> set[tuple[int, int]]:
    """(year, quarter) of every period opened in the bot and not cancelled."""
    return {
        (p.year, p.quarter)
        for p in await periods.periods(conn)
        if p.state is not PeriodState.CANCELLED
    }


async def import_history_file(
    core: Core, data: bytes, year: int | None, source: str
) -> HistoryReport:
    """``python -m bot history import``: read and check all, then store or refuse all."""
    async with core.work(None) as work:
        known: dict[tuple[str, int], Collection[str] | None] = {}
        for y in await catalog.years(work.conn):
            known[(INDIKATOR, y)] = {
                s.indicator.code for s in await catalog.indicators(work.conn, y)
            }
            known[(ANGGARAN, y)] = {
                s.activity.code
                for s in await catalog.activities(work.conn, y)
                if s.activity.level is Level.SUB_KEGIATAN
            }
        result = read_history(data, year=year, known=lambda kind, y: known.get((kind, y)))
        if result.problems:
            return HistoryReport(
                False,
                tx.history_problems(
                    [(p.sheet, p.row, p.column, p.value, p.reason) for p in result.problems]
                ),
            )
        collected = await collected_quarters(work.conn)
        kept = [r for r in result.rows if (r.year, r.quarter) not in collected]
        skipped = sorted({(r.year, r.quarter) for r in result.rows} & collected)
        saved = await history.save(
            work.conn,
            (((r.kind, r.code, r.year, r.quarter), r.value) for r in kept),
            source,
            work.now,
        )
        await work.audit(
            "history_imported",
            "history",
            source,
            {"added": saved.added, "changed": saved.changed, "same": saved.same},
            None,
        )
        labels = [f"Triwulan {numbers.quarter_roman(q)} {y}" for y, q in skipped]
        return HistoryReport(
            True,
            tx.history_imported(
                source, result.layout, saved.added, saved.changed, saved.same, labels
            ),
        )


async def year_figures(
    conn: aiosqlite.Connection,
    year: int,
    quarters: Collection[int] | None = None,
    codes: Collection[str] | None = None,
) -> tuple[Figures, Figures]:
    """Indicators' realisations and sub kegiatan budgets of ``year`` per quarter, by code.

    Collected periods first, imported history where no period of that quarter was collected.
    ``quarters`` and ``codes`` (indicators' and sub kegiatan's alike) narrow what is read: one
    unit's form needs its own earlier quarters, not the whole agency's year.
    """
    indicators: Figures = {}
    budgets: Figures = {}
    collected = {
        p.id: p.quarter
        for p in await periods.periods(conn, year)
        if p.state is not PeriodState.CANCELLED and (quarters is None or p.quarter in quarters)
    }
    done = set(collected.values())
    imported = await history.figures_of(conn, [year], quarters=quarters, codes=codes)
    for (kind, code, _, quarter), value in imported.items():
        if quarter in done:
            continue
        target = indicators if kind == INDIKATOR else budgets
        target.setdefault(code, [None] * 4)[quarter - 1] = value
    if not collected:
        return indicators, budgets
    ids = list(collected)
    indicator_codes = await catalog.codes(conn, "indicators", year, codes)
    narrowed = None if codes is None else list(indicator_codes)
    for (pid, iid), entry in (await entries.realisations(conn, ids, narrowed)).items():
        if iid in indicator_codes:
            indicators.setdefault(indicator_codes[iid], [None] * 4)[collected[pid] - 1] = (
                entry.value
            )
    activity_codes = await catalog.codes(conn, "activities", year, codes)
    narrowed = None if codes is None else list(activity_codes)
    for (pid, aid), entry in (await entries.budgets(conn, ids, narrowed)).items():
        if aid in activity_codes:
            budgets.setdefault(activity_codes[aid], [None] * 4)[collected[pid] - 1] = entry.value
    return indicators, budgets
