"""One classification of every comparison, by the indicator's ``arah`` (issue 19). Pure.

A figure that rose is good news only where more is better: the unemployment rate going from
3,5 to 3,9 has *memburuk*. Every reader of a comparison (the narrative, the Analisis sheet,
the chat chart, the suggestions, the summaries of steps 5 and 6) judges it here, so they can
never disagree:

- :func:`judge` turns a :class:`~bot.analysis.figures.Change` and a direction into a
  :class:`Judgement` (a change under ``TREND_TOLERANCE_PCT`` stays *tetap*; no comparison is
  *tanpa pembanding*);
- :func:`judged` gives one indicator's :class:`Judged` (a frozen record) against the previous
  quarter or the same quarter of last year;
- :func:`count` gives the :class:`DirectionCounts` of a set of them, whose parts add up to the
  indicators considered;
- :func:`largest` picks the largest improvement or decline, by the size of the change in
  percent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from bot.analysis.figures import Change, IndicatorTrend, Trend
from bot.model import Direction, Indicator


class Judgement(StrEnum):
    """What a comparison says about performance, by the indicator's direction."""

    MEMBAIK = "membaik"
    MEMBURUK = "memburuk"
    TETAP = "tetap"
    TANPA_PEMBANDING = "tanpa pembanding"


class Against(StrEnum):
    """The earlier figure a quarter is compared with."""

    PREVIOUS = "triwulan sebelumnya"  # Triwulan IV of last year for Triwulan I
    LAST_YEAR = "triwulan yang sama tahun lalu"


def judge(change: Change | None, direction: Direction) -> Judgement:
    """membaik / memburuk / tetap by ``direction``; tanpa pembanding without a comparison."""
    if change is None:
        return Judgement.TANPA_PEMBANDING
    if change.trend is Trend.TETAP:
        return Judgement.TETAP
    rose = change.trend is Trend.NAIK
    return Judgement.MEMBAIK if rose == (direction is Direction.UP) else Judgement.MEMBURUK


@dataclass(frozen=True, slots=True)
class Judged:
    """One indicator's comparison and its judgement."""

    indicator: Indicator
    against: Against
    change: Change | None  # None: no earlier figure, or no figure this quarter
    judgement: Judgement

    @property
    def movement(self) -> Trend | None:
        """Which way the figure moved (None without a comparison)."""
        return None if self.change is None else self.change.trend

    @property
    def size(self) -> Decimal | None:
        """The size of the change in percent of the earlier figure (None when that is 0)."""
        if self.change is None or self.change.pct is None:
            return None
        return abs(self.change.pct)


def judged(item: IndicatorTrend, against: Against) -> Judged:
    """``item``'s comparison with the previous quarter or the same quarter of last year."""
    found = item.vs_previous if against is Against.PREVIOUS else item.vs_last_year
    return Judged(item.indicator, against, found, judge(found, item.indicator.direction))


def judge_all(items: Iterable[IndicatorTrend], against: Against) -> tuple[Judged, ...]:
    """Every item judged against the same earlier figure, in input order."""
    return tuple(judged(item, against) for item in items)


@dataclass(frozen=True, slots=True)
class DirectionCounts:
    """How many indicators improved, worsened, held, or had nothing to compare with.

    ``membaik + memburuk + tetap`` is :attr:`compared` (the base a sentence names), and with
    ``tanpa_pembanding`` it is :attr:`considered`.
    """

    against: Against
    membaik: int = 0
    memburuk: int = 0
    tetap: int = 0
    tanpa_pembanding: int = 0

    @property
    def compared(self) -> int:
        """Indicators that have an earlier figure to compare with."""
        return self.membaik + self.memburuk + self.tetap

    @property
    def considered(self) -> int:
        """Every indicator counted."""
        return self.compared + self.tanpa_pembanding

    def of(self, judgement: Judgement) -> int:
        """The count of one judgement."""
        return {
            Judgement.MEMBAIK: self.membaik,
            Judgement.MEMBURUK: self.memburuk,
            Judgement.TETAP: self.tetap,
            Judgement.TANPA_PEMBANDING: self.tanpa_pembanding,
        }[judgement]


def count(judgements: Sequence[Judged], against: Against) -> DirectionCounts:
    """The counts of ``judgements`` (all made against ``against``)."""
    marks = [j.judgement for j in judgements]
    return DirectionCounts(
        against,
        membaik=marks.count(Judgement.MEMBAIK),
        memburuk=marks.count(Judgement.MEMBURUK),
        tetap=marks.count(Judgement.TETAP),
        tanpa_pembanding=marks.count(Judgement.TANPA_PEMBANDING),
    )


def counts(items: Sequence[IndicatorTrend], against: Against) -> DirectionCounts:
    """Judge every item against ``against`` and count: the one call most readers need."""
    return count(judge_all(items, against), against)


def largest(judgements: Iterable[Judged], judgement: Judgement) -> Judged | None:
    """The largest change in percent among those judged ``judgement`` (MEMBAIK or MEMBURUK);
    a change from 0 has no percentage and is never the largest. None if there is none."""
    found = [j for j in judgements if j.judgement is judgement and j.size is not None]
    if not found:
        return None
    return max(found, key=lambda j: j.size or Decimal(0))
