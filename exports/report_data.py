"""What the consolidated report is made of: plain records that services fill from storage.

The report module turns a ``ReportData`` into .xlsx bytes; capaian, predikat and absorption
come from ``bot.numbers`` (through :func:`scored` here) so that the report, its chart and the
chat analysis agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot import numbers
from bot.dates import long_datetime
from bot.model import Activity, Indicator, Unit
from exports.paper import Paper, paper

Quarterly = tuple[Decimal | None, Decimal | None, Decimal | None, Decimal | None]


@dataclass(frozen=True, slots=True)
class UnitNotes:
    """A unit's narrative for the quarter (step 2)."""

    unit_code: str
    kendala: str = ""
    faktor_pendorong: str = ""
    faktor_penghambat: str = ""
    tindak_lanjut: str = ""  # for the next quarter
    tindak_lanjut_renja: str = ""  # for next year's Renja


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    """One indicator with its realisation per triwulan of the year (``None`` = not entered)."""

    indicator: Indicator
    realisasi_q: Quarterly
    note: str = ""  # keterangan: e.g. the explanation given for a soft-checked value


@dataclass(frozen=True, slots=True)
class BudgetRow:
    """One sub kegiatan's budget spent per triwulan (Rp)."""

    activity: Activity
    realisasi_q: Quarterly


@dataclass(frozen=True, slots=True)
class FollowUpRow:
    """A unit's follow-up of a recommendation."""

    unit_code: str
    text: str
    by: str
    at: datetime
    status: str = "direncanakan"  # bot.workflow.FollowUpState's value


@dataclass(frozen=True, slots=True)
class RecommendationRow:
    """A recommendation of the Kepala Dinas, the units it reached and their follow-ups."""

    number: int
    unit_code: str | None  # None: a general recommendation for the whole agency
    text: str
    given_by: str
    given_at: datetime
    period_label: str  # e.g. "Triwulan II 2026"; differs from the report's for carried items
    units: tuple[str, ...] = ()  # the units that follow it up (every unit for a general one)
    follow_ups: tuple[FollowUpRow, ...] = ()
    due: date | None = None  # when the follow-up is due
    dropped: bool = False  # closed by the Kepala Dinas as tidak dilanjutkan
    evidence: tuple[tuple[str, int], ...] = ()  # (unit, files sent as evidence)

    def follow_up_of(self, unit_code: str) -> FollowUpRow | None:
        """The unit's follow-up, if recorded."""
        return next((f for f in self.follow_ups if f.unit_code == unit_code), None)

    def status_of(self, unit_code: str) -> str:
        """Where the unit stands with it (bot.workflow.FollowUpState's value)."""
        done = self.follow_up_of(unit_code)
        if done is not None and done.status == "selesai":
            return "selesai"
        if self.dropped:
            return "tidak_dilanjutkan"
        return done.status if done else "belum"

    @property
    def is_open(self) -> bool:
        """Still open for some unit: neither done nor dropped."""
        units = self.units or ((self.unit_code,) if self.unit_code else ())
        return any(self.status_of(u) in ("belum", "direncanakan", "dalam_proses") for u in units)

    def evidence_of(self, unit_code: str) -> int:
        """How many files the unit sent as evidence."""
        return dict(self.evidence).get(unit_code, 0)


@dataclass(frozen=True, slots=True)
class StepRow:
    """One SOP step as it happened, for the ``Jejak Proses`` sheet."""

    step: int
    name: str
    unit_code: str | None  # None for agency-level steps
    actor: str  # e.g. "Plt. Kepala Bidang Budi Santoso"
    started_at: datetime
    ended_at: datetime | None
    standard: timedelta
    working_duration: timedelta | None  # in working time, None while the step is open
    on_time: bool | None


@dataclass(frozen=True, slots=True)
class ReportData:
    """Everything the consolidated report of one period shows."""

    agency_name: str
    year: int
    quarter: int
    generated_at: datetime
    units: tuple[Unit, ...]
    activities: tuple[Activity, ...]
    indicators: tuple[IndicatorRow, ...]
    budgets: tuple[BudgetRow, ...]
    unit_notes: tuple[UnitNotes, ...] = ()
    narrative: str = ""
    recommendations: tuple[RecommendationRow, ...] = ()
    carried_over: tuple[RecommendationRow, ...] = ()
    steps: tuple[StepRow, ...] = ()
    place: str = ""
    kadin_name: str = ""
    kadin_nip: str = ""
    kadin_title: str = "Kepala Dinas"
    extra: dict[str, str] = field(default_factory=dict)
    draft: bool = False  # a draft says DRAF in its title rows and page headers
    paper: str = ""  # F4 (default), A4 or A3; empty: the KINERJA_PAPER setting
    timezone: str = "Asia/Jakarta"  # the office's zone, for the dates the document shows
    # Last year's realisation per quarter by indicator code (collected or imported), for the
    # trend against the same quarter of last year; an indicator without any is left out.
    last_year: tuple[tuple[str, Quarterly], ...] = ()

    @property
    def period_label(self) -> str:
        """Human label of the period, e.g. "Triwulan III 2026"."""
        return f"Triwulan {('I', 'II', 'III', 'IV')[self.quarter - 1]} {self.year}"

    @property
    def zone(self) -> ZoneInfo:
        """The office's time zone."""
        return ZoneInfo(self.timezone)

    @property
    def paper_size(self) -> Paper:
        """The paper every sheet is set up for."""
        return paper(self.paper or None)

    @property
    def made_label(self) -> str:
        """When the bot made the file, formally: "5 Januari 2026 pukul 08.30 WIB"."""
        return long_datetime(self.generated_at, self.zone)


@dataclass(frozen=True, slots=True)
class ScoredRow:
    """An indicator row with its figures to date, computed once for every sheet and chart."""

    row: IndicatorRow
    to_date: Decimal | None  # realisasi s.d. triwulan, by the indicator's aggregation
    cap: Decimal | None  # capaian s.d. triwulan against the target to date
    annual: Decimal | None  # capaian against the annual target (None: none, or waits for TW IV)
    predikat: numbers.Predikat | None = None  # of ``cap``, judged once for every sheet

    @property
    def indicator(self) -> Indicator:
        """The row's indicator."""
        return self.row.indicator


def scored(data: ReportData) -> list[ScoredRow]:
    """Every indicator row of the report with its figures, in the report's order."""
    quarter = data.quarter
    result = []
    for row in data.indicators:
        ind = row.indicator
        to_date = numbers.value_to_date(row.realisasi_q, ind.aggregation, quarter)
        cap = numbers.capaian(to_date, numbers.target_to_date(ind, quarter), ind.direction)
        annual = numbers.annual_capaian(to_date, ind, quarter)
        result.append(ScoredRow(row, to_date, cap, annual, numbers.predikat(cap)))
    return result


def caps_by_unit(rows: list[ScoredRow]) -> dict[str, list[Decimal | None]]:
    """Each unit's capaian figures (None: no target), in row order."""
    caps: dict[str, list[Decimal | None]] = {}
    for item in rows:
        caps.setdefault(item.indicator.unit_code, []).append(item.cap)
    return caps


def why_no_capaian(item: ScoredRow, quarter: int, annual_target: object = None) -> str:
    """Why an indicator shows no capaian: an earlier quarter is missing, or there is no target.

    A ``jumlah`` figure to date over a missing quarter is not computed (never read as 0), and
    the report says which quarters are missing rather than blaming the target. Without a
    target to date but with an annual one (a job fair planned for later), the quarter simply
    has no target yet; the annual capaian stands in its own column.
    """
    if item.cap is not None:
        return ""
    missing = [
        numbers.quarter_roman(q)
        for q in range(1, quarter + 1)
        if item.row.realisasi_q[q - 1] is None
    ]
    if item.to_date is None and missing:
        return "realisasi triwulan " + ", ".join(missing) + " belum tersedia"
    return "belum ada target triwulan ini" if annual_target else "target belum ditetapkan"
