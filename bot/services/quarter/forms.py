"""A unit's form for a period: its questions, what was entered, what came before.

Loaded once per use case and shared by chat entry, the .xlsx template, uploads and the
approver's summary, so all four show the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from bot import numbers
from bot.model import Activity, Aggregation, Level, Pembanding, Unit
from bot.names import distinct_names, indicator_names
from bot.numbers_format import format_percent
from bot.services.analysis import history
from bot.services.work import Work
from bot.texts import attention as ta
from bot.texts import checks as tc
from bot.texts import entry as te
from bot.texts import followup as tl
from bot.workflow import OPEN_FOLLOW_UP_STATES, FollowUpState, PeriodState
from storage import catalog, entries, followups, org, periods
from storage.catalog import StoredActivity, StoredIndicator
from storage.entries import NOTE_FIELDS, Entry
from storage.followups import Recommendation


@dataclass(frozen=True, slots=True)
class Question:
    """One thing to answer: an indicator (``i``), a budget line (``b``), a note (``n``) or the
    follow-up of an earlier period's recommendation still open for the unit (``r``)."""

    kind: str
    key: str  # indicator id, activity id, or note field
    index: int  # 1-based within its kind
    count: int  # how many of its kind


@dataclass
class UnitForm:
    """Everything about one unit's report in one period."""

    period: periods.Period
    report: periods.UnitReport
    unit: Unit
    indicators: list[StoredIndicator]
    subs: list[StoredActivity]
    activities: dict[str, Activity]
    current: dict[int, Entry]
    previous: dict[int, Decimal]
    budgets: dict[int, Entry]
    spent_before: dict[int, Decimal]
    notes: dict[str, str]
    questions: list[Question] = field(default_factory=list)
    # Realisations of the year's earlier quarters summed per indicator: the figure to date of
    # a ``jumlah`` indicator (for the annual capaian of a quarter without a target).
    earlier_sum: dict[int, Decimal] = field(default_factory=dict)
    # This year's earlier quarters per indicator (None where missing): the figure to date.
    earlier: dict[int, tuple[Decimal | None, ...]] = field(default_factory=dict)
    # Earlier periods' recommendations still open for the unit when this period opened (or
    # answered since): each is one more question, by recommendation id.
    carried: dict[int, Recommendation] = field(default_factory=dict)
    carried_from: dict[int, str] = field(default_factory=dict)  # rec id -> its period's label

    def follow_up_answered(self, rec: Recommendation) -> bool:
        """The unit recorded a status for ``rec`` since this period opened (or it was dropped)."""
        if rec.state_of(self.unit.code) is FollowUpState.DROPPED:
            return True
        done = rec.follow_up_of(self.unit.code)
        return done is not None and done.recorded_at >= self.period.created_at

    _names: dict[str, str] = field(default_factory=dict, repr=False)
    _sub_names: dict[str, str] = field(default_factory=dict, repr=False)

    def chat_name(self, stored: StoredIndicator) -> str:
        """An indicator's name in a chat line: its short name, never equal to another one of
        the unit (issue 20: "… (HI-08)")."""
        if not self._names:
            self._names = indicator_names(s.indicator for s in self.indicators)
        return self._names[stored.indicator.code]

    def sub_name(self, sub: StoredActivity) -> str:
        """A sub kegiatan's name in a chat line, never equal to another one of the unit."""
        if not self._sub_names:
            self._sub_names = distinct_names(
                (s.activity.code, s.activity.name, "") for s in self.subs
            )
        return self._sub_names[sub.activity.code]

    def annual_capaian(self, indicator_id: int, value: Decimal | None) -> Decimal | None:
        """Capaian to date against the annual target (None without an annual target, and
        for a lower-is-better ``jumlah`` before Triwulan IV: ``numbers.annual_waits``)."""
        ind = self.indicator(indicator_id).indicator
        if value is None or not ind.target_annual:
            return None
        to_date = value
        if ind.aggregation is Aggregation.SUM:
            to_date += self.earlier_sum.get(indicator_id, Decimal(0))
        return numbers.annual_capaian(to_date, ind, self.period.quarter)

    def absorption(self) -> Decimal | None:
        """The unit's absorption s.d. triwulan (None while a sub kegiatan with a pagu lacks
        this quarter's figure): the bot's own figure for a unit-level ``pembanding``."""
        with_pagu = [s for s in self.subs if s.activity.pagu]
        if not with_pagu or any(s.id not in self.budgets for s in with_pagu):
            return None
        spent = sum(
            (self.spent_before.get(s.id, Decimal(0)) + self.budgets[s.id].value for s in with_pagu),
            Decimal(0),
        )
        pagu = sum((s.activity.pagu or Decimal(0) for s in with_pagu), Decimal(0))
        return numbers.absorption(spent, pagu)

    def indicator(self, indicator_id: int) -> StoredIndicator:
        """An indicator of this form by id."""
        return next(s for s in self.indicators if s.id == indicator_id)

    def sub(self, activity_id: int) -> StoredActivity:
        """A sub kegiatan of this form by id."""
        return next(s for s in self.subs if s.id == activity_id)

    def hierarchy(self, activity_code: str) -> str:
        """ "Program › Kegiatan › Sub kegiatan" names for an indicator's activity."""
        names = []
        code: str | None = activity_code
        while code and code in self.activities:
            names.append(self.activities[code].name)
            code = self.activities[code].parent_code
        return " › ".join(reversed(names))

    def answered(self, q: Question) -> bool:
        """Whether the question has a saved answer."""
        if q.kind == "i":
            return int(q.key) in self.current
        if q.kind == "b":
            return int(q.key) in self.budgets
        if q.kind == "r":
            return self.follow_up_answered(self.carried[int(q.key)])
        return q.key in self.notes  # "-" is an answer: saved as an empty note

    def missing_required(self) -> list[int]:
        """1-based numbers of required questions (indicators, budgets, carried follow-ups)
        still empty."""
        return [
            n for n, q in enumerate(self.questions, 1) if q.kind != "n" and not self.answered(q)
        ]

    def first_open(self) -> int:
        """The first unanswered question (0-based), or the summary position."""
        for n, q in enumerate(self.questions):
            if not self.answered(q):
                return n
        return len(self.questions)


async def load(
    work: Work, report: periods.UnitReport, period: periods.Period | None = None
) -> UnitForm:
    """Load a unit report's form (``period``: the report's, when the caller has it)."""
    if period is None or period.id != report.period_id:
        period = await periods.period(work.conn, report.period_id)
    unit = await org.unit(work.conn, report.unit_code)
    assert period is not None and unit is not None
    part = await catalog.unit_catalog(work.conn, period.year, unit.code)
    indicators = list(part.indicators)
    all_activities = part.activities
    subs = [
        a
        for a in all_activities
        if a.activity.unit_code == unit.code and a.activity.level is Level.SUB_KEGIATAN
    ]
    ind_ids = [s.id for s in indicators]
    sub_ids = [s.id for s in subs]
    # Earlier quarters by code, collected or imported (history import): a quarter opened in
    # the bot wins, and Triwulan I's "triwulan lalu" is Triwulan IV of the year before.
    # Only this unit's codes and the quarters before this one: the form is loaded on every
    # answer, and the whole agency's year grows with every answer saved.
    own = [s.indicator.code for s in indicators] + [a.activity.code for a in subs]
    year_ind, year_sub = await history.year_figures(
        work.conn, period.year, range(1, period.quarter), own
    )
    if period.quarter > 1:
        before, index = year_ind, period.quarter - 2
    else:
        last_year = await history.year_figures(work.conn, period.year - 1, [4], own)
        before, index = last_year[0], 3
    previous: dict[int, Decimal] = {}
    earlier: dict[int, tuple[Decimal | None, ...]] = {}
    earlier_sum: dict[int, Decimal] = {}
    for s in indicators:
        last = before.get(s.indicator.code, [None] * 4)[index]
        if last is not None:
            previous[s.id] = last
        values = tuple(year_ind.get(s.indicator.code, [None] * 4)[: period.quarter - 1])
        earlier[s.id] = values
        if any(v is not None for v in values):
            earlier_sum[s.id] = sum((v for v in values if v is not None), Decimal(0))
    spent_before: dict[int, Decimal] = {}
    for sub in subs:
        spent = [
            v
            for v in year_sub.get(sub.activity.code, [None] * 4)[: period.quarter - 1]
            if v is not None
        ]
        if spent:
            spent_before[sub.id] = sum(spent, Decimal(0))
    current, budgets, notes = await _answers(work, period.id, unit.code, ind_ids, sub_ids)
    form = UnitForm(
        period,
        report,
        unit,
        indicators,
        subs,
        {a.activity.code: a.activity for a in all_activities},
        current,
        previous,
        budgets,
        spent_before,
        notes,
    )
    # A unit's absorption typed as an indicator is asked after the budgets it is checked
    # against (the bot shows its own figure beside it).
    after = [s for s in indicators if s.indicator.pembanding is Pembanding.PENYERAPAN_UNIT]
    before_budgets = [s for s in indicators if s not in after]
    asked = [
        Question("i", str(s.id), n, len(indicators))
        for n, s in enumerate(before_budgets + after, 1)
    ]
    form.questions = (
        asked[: len(before_budgets)]
        + [Question("b", str(s.id), n, len(subs)) for n, s in enumerate(subs, 1)]
        + asked[len(before_budgets) :]
        + [Question("n", f, n, len(NOTE_FIELDS)) for n, f in enumerate(NOTE_FIELDS, 1)]
    )
    form.earlier_sum = earlier_sum
    form.earlier = earlier
    every_period = await periods.periods(work.conn)
    form.carried = await carried(work, period, unit.code, every_period)
    labels = {p.id: p.label for p in every_period}
    form.carried_from = {rec.id: labels.get(rec.period_id, "") for rec in form.carried.values()}
    form.questions += [
        Question("r", str(rec_id), n, len(form.carried)) for n, rec_id in enumerate(form.carried, 1)
    ]
    return form


async def carried(
    work: Work, period: periods.Period, unit_code: str, every_period: list[periods.Period]
) -> dict[int, Recommendation]:
    """Earlier periods' recommendations (distributed) still open for the unit, or answered
    since ``period`` opened, oldest first (``every_period``: all periods, read once by the
    caller)."""
    earlier = {
        p.id
        for p in every_period
        if (p.year, p.quarter) < (period.year, period.quarter)
        and p.state in (PeriodState.FOLLOW_UP, PeriodState.CLOSED)
    }
    found = {}
    for rec in await followups.recommendations(work.conn):
        if rec.period_id not in earlier or unit_code not in rec.units:
            continue
        done = rec.follow_up_of(unit_code)
        since = done is not None and done.recorded_at >= period.created_at
        if since or rec.state_of(unit_code) in OPEN_FOLLOW_UP_STATES:
            found[rec.id] = rec
    return found


async def _answers(
    work: Work, period_id: int, unit_code: str, ind_ids: list[int], sub_ids: list[int]
) -> tuple[dict[int, Entry], dict[int, Entry], dict[str, str]]:
    """What the unit has entered so far: realisations, budgets spent, notes."""
    current = {
        k[1]: v for k, v in (await entries.realisations(work.conn, [period_id], ind_ids)).items()
    }
    budgets = {k[1]: v for k, v in (await entries.budgets(work.conn, [period_id], sub_ids)).items()}
    notes = (await entries.notes(work.conn, period_id, unit_code)).get(unit_code, {})
    return current, budgets, notes


async def reload_answers(work: Work, form: UnitForm) -> UnitForm:
    """The same form with its answers read again (after a save in the same use case).

    The catalogue part and earlier quarters cannot change inside one transaction.
    """
    form.current, form.budgets, form.notes = await _answers(
        work,
        form.period.id,
        form.unit.code,
        [s.id for s in form.indicators],
        [s.id for s in form.subs],
    )
    for rec_id in form.carried:  # the same recommendations, with their follow-ups now
        fresh = await followups.recommendation(work.conn, rec_id)
        if fresh is not None:
            form.carried[rec_id] = fresh
    return form


def summary_lines(form: UnitForm) -> list[str]:
    """Numbered lines of every answer, as the operator and the approver see them."""
    lines = []
    quarter = form.period.quarter
    for n, q in enumerate(form.questions, 1):
        if q.kind == "i":
            stored = form.indicator(int(q.key))
            entry = form.current.get(stored.id)
            value = entry.value if entry else None
            target = stored.indicator.targets_q[quarter - 1]
            cap = numbers.capaian(value, target, stored.indicator.direction)
            flag = " ⚠️" if entry and entry.soft else ""
            annual = form.annual_capaian(stored.id, value) if not target else None
            later = (
                not target
                and value is not None
                and bool(stored.indicator.target_annual)
                and numbers.annual_waits(stored.indicator, quarter)
            )
            lines.append(
                te.indicator_line(
                    n,
                    form.chat_name(stored),
                    value,
                    stored.indicator.satuan,
                    cap,
                    flag,
                    annual,
                    annual_later=later,
                )
            )
            if stored.indicator.pembanding is Pembanding.PENYERAPAN_UNIT:
                lines.append("   " + tc.computed_line(format_percent(form.absorption())))
            if entry and entry.soft and entry.explanation:
                # whole here, however long: the brief may only point to it
                lines += ta.explanation_lines(entry.explanation)
        elif q.kind == "b":
            sub = form.sub(int(q.key))
            budget = form.budgets.get(sub.id)
            lines.append(
                te.budget_line(
                    n, form.sub_name(sub), budget.value if budget else None, sub.activity.pagu
                )
            )
        elif q.kind == "r":
            rec = form.carried[int(q.key)]
            done = rec.follow_up_of(form.unit.code) if form.answered(q) else None
            lines.append(
                tl.carried_line(
                    n,
                    rec.text,
                    rec.state_of(form.unit.code).value if form.answered(q) else "",
                    done.text if done else "",
                )
            )
        else:
            lines.append(te.note_line(n, q.key, form.notes.get(q.key)))
    return lines
