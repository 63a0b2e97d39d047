"""The figures out: every collected and imported figure as one long table (issue 22).

``python -m bot export`` writes it from the command line; /unduh offers it to the coordinator
and the pimpinan, built after the commit like the report (``recipes.figures``). The figures
are the report's: collected periods first, imported history where no period of that quarter
was collected (``history.year_figures``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import aiosqlite

from bot.model import Activity, Indicator, Level
from bot.services.analysis import history
from bot.workflow import PeriodState
from exports import figures
from storage import catalog, org, periods
from storage import history as stored_history

# Who sees which collected quarter: the command line (the server's administrator) every one;
# the coordinator those whose report /unduh offers; the pimpinan the closed ones.
EVERY = "all"
COORDINATOR = "coordinator"
PIMPINAN = "pimpinan"
_NOT_COLLECTED = (PeriodState.CANCELLED, PeriodState.AWAITING_OPENING)


def _visible(reader: str) -> Callable[[periods.Period], bool]:
    if reader == PIMPINAN:
        return lambda p: p.state is PeriodState.CLOSED
    if reader == COORDINATOR:
        return lambda p: p.state not in (*_NOT_COLLECTED, PeriodState.COLLECTING)
    if reader == EVERY:
        return lambda p: p.state not in _NOT_COLLECTED
    raise ValueError(f"unknown reader {reader!r}")


async def year_figures(
    conn: aiosqlite.Connection, year: int | None = None, reader: str = EVERY
) -> list[figures.YearFigures]:
    """Each year's figures (only ``year`` if given) as ``reader`` may see them.

    The years are those with a catalogue or imported figures. A quarter collected in a period
    the reader may not see yet is left out whole, never replaced by an imported figure of the
    same quarter. A year imported without its catalogue borrows names, units and kinds from
    the nearest catalogue's indicators of the same code, without their targets (targets
    belong to their year).
    """
    visible = _visible(reader)
    units = {u.code: u.name for u in await org.units(conn)}
    imported = await stored_history.figures_of(conn)
    catalogued = await catalog.years(conn)
    out = []
    for y in sorted(set(catalogued) | {fy for (_, _, fy, _) in imported}):
        if year is not None and y != year:
            continue
        opened = [p for p in await periods.periods(conn, y) if p.state is not PeriodState.CANCELLED]
        shown = {p.quarter for p in opened if visible(p)}
        hidden = {p.quarter for p in opened if not visible(p)}
        from_history = {q for (_, _, fy, q) in imported if fy == y}
        realisations, spent = await history.year_figures(conn, y)
        for table in (realisations, spent):
            for values in table.values():
                for q in hidden:
                    values[q - 1] = None
        if y in catalogued:
            activities = tuple(a.activity for a in await catalog.activities(conn, y))
            indicators = tuple(s.indicator for s in await catalog.indicators(conn, y))
        elif catalogued:
            nearest = min(catalogued, key=lambda c: (abs(c - y), -c))
            activities, indicators = await _borrowed(conn, nearest, realisations, spent)
        else:
            activities, indicators = (), ()
        out.append(
            figures.YearFigures(
                year=y,
                quarters=tuple(sorted((shown | from_history) - hidden)),
                collected=frozenset(shown),
                final=frozenset(p.quarter for p in opened if p.state is PeriodState.CLOSED),
                units=units,
                activities=activities,
                indicators=indicators,
                realisations=realisations,
                spent=spent,
            )
        )
    return out


async def _borrowed(
    conn: aiosqlite.Connection, year: int, realisations: history.Figures, spent: history.Figures
) -> tuple[tuple[Activity, ...], tuple[Indicator, ...]]:
    """Another year's activities and indicators that have figures here, without targets."""
    no_targets = (None, None, None, None)
    indicators = tuple(
        replace(s.indicator, target_annual=None, targets_q=no_targets)
        for s in await catalog.indicators(conn, year)
        if s.indicator.code in realisations
    )
    activities = tuple(
        replace(a.activity, pagu=None)
        for a in await catalog.activities(conn, year)
        if a.activity.level is not Level.SUB_KEGIATAN or a.activity.code in spent
    )
    return activities, indicators


def table_bytes(years: list[figures.YearFigures], fmt: str) -> bytes:
    """The long table in ``fmt``: the CPU part, run in a worker by the builder."""
    return figures.encode(figures.figures_frame(years), fmt)


async def anything_to_export(conn: aiosqlite.Connection, reader: str) -> bool:
    """Whether ``reader`` would find any figure: a period they may see, or an import (cheap
    enough for every /unduh, unlike reading the figures themselves)."""
    visible = _visible(reader)
    if any(visible(p) for p in await periods.periods(conn)):
        return True
    return await stored_history.any_figures(conn)
