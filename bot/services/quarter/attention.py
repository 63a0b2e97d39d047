"""What in a unit's form needs attention, judged once and shown alike to the operator, the
unit head (the brief of step 3) and the upload preview.

The judgements are ``bot.analysis.attention``'s; this module reads them off a loaded form.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from bot import checks, numbers
from bot.analysis import attention as rules
from bot.analysis.figures import TINGGI_FLOOR
from bot.model import Direction, Pembanding
from bot.numbers_format import format_number, format_percent
from bot.services.quarter.forms import UnitForm
from bot.texts import attention as ta
from bot.texts import fit as tf
from bot.texts import quarter as tq
from storage.catalog import StoredActivity, StoredIndicator

# A value this far from its quarter target (capaian, %) is shown to the approver: the bounds
# of the soft check on entry (PRODUCT.md "Checks on what is typed").
FAR_BELOW = checks.FAR_BELOW * 100
FAR_ABOVE = checks.FAR_ABOVE * 100


@dataclass(frozen=True, slots=True)
class SpendingMismatch:
    """An indicator whose progress and its sub kegiatan's spending disagree."""

    stored: StoredIndicator
    sub: StoredActivity
    progress: Decimal
    absorption: Decimal
    kind: rules.Mismatch


def readings(
    form: UnitForm, values: Mapping[int, Decimal] | None = None
) -> dict[int, rules.Reading]:
    """Every entered indicator of the form (or ``values`` by indicator id, e.g. of an upload
    not saved yet), judged with this year's earlier quarters."""
    if values is None:
        values = {k: e.value for k, e in form.current.items()}
    return {
        s.id: rules.reading(
            s.indicator, values[s.id], form.earlier.get(s.id, ()), form.period.quarter
        )
        for s in form.indicators
        if s.id in values
    }


def sub_absorption(form: UnitForm, sub: StoredActivity, spent: Decimal | None) -> Decimal | None:
    """A sub kegiatan's absorption s.d. triwulan with ``spent`` this quarter (None: not in)."""
    if spent is None:
        return None
    return numbers.absorption(form.spent_before.get(sub.id, Decimal(0)) + spent, sub.activity.pagu)


def unit_absorption(form: UnitForm) -> Decimal | None:
    """The unit's absorption s.d. triwulan (None while a sub kegiatan with a pagu lacks one)."""
    return form.absorption()


def own_figure(form: UnitForm, stored: StoredIndicator) -> Decimal | None:
    """The bot's own figure for an indicator with a unit-level ``pembanding`` (None: none,
    or not yet: the agency-wide one is checked at step 4)."""
    if stored.indicator.pembanding is Pembanding.PENYERAPAN_UNIT:
        return unit_absorption(form)
    return None


def soft_reasons(flags: Sequence[checks.Soft], computed: Decimal | None) -> list[str]:
    """Why a value is asked back, the bot's own figure beside a pembanding flag."""
    return [
        tq.computed_reason(format_percent(computed))
        if flag is checks.Soft.PEMBANDING
        else tq.soft_reason(flag)
        for flag in flags
    ]


def spending_mismatches(
    form: UnitForm,
    values: Mapping[int, Decimal] | None = None,
    budgets: Mapping[int, Decimal] | None = None,
) -> list[SpendingMismatch]:
    """Indicators under a sub kegiatan whose progress and spending disagree: as saved, or
    with ``values`` and ``budgets`` (by id) read from an upload in their place."""
    judged = readings(form, values)
    if budgets is None:
        budgets = {k: e.value for k, e in form.budgets.items()}
    subs = {s.activity.code: s for s in form.subs}
    found = []
    for stored in form.indicators:
        item, sub = judged.get(stored.id), subs.get(stored.indicator.activity_code)
        if item is None or sub is None or item.progress is None:
            continue
        absorption = sub_absorption(form, sub, budgets.get(sub.id))
        kind = rules.spending_mismatch(item.progress, absorption)
        if kind is not None and absorption is not None:
            found.append(SpendingMismatch(stored, sub, item.progress, absorption, kind))
    return found


def mismatch_lines(form: UnitForm, found: list[SpendingMismatch]) -> list[str]:
    """The mismatches as lines of a message."""
    return [
        ta.mismatch_line(
            form.chat_name(m.stored),
            format_percent(m.progress),
            form.sub_name(m.sub),
            format_percent(m.absorption),
            m.kind is rules.Mismatch.SPENDING_WITHOUT_PROGRESS,
        )
        for m in found
    ]


def upload_mismatches(
    form: UnitForm, values: Mapping[str, Decimal], budgets: Mapping[str, Decimal]
) -> list[str]:
    """The mismatch block of an upload's preview: the file's figures (by indicator and sub
    kegiatan code) over what the form holds, as they would stand once saved."""
    by_code = {s.indicator.code: s.id for s in form.indicators}
    subs = {s.activity.code: s.id for s in form.subs}
    found = spending_mismatches(
        form,
        {
            **{k: e.value for k, e in form.current.items()},
            **{by_code[c]: v for c, v in values.items() if c in by_code},
        },
        {
            **{k: e.value for k, e in form.budgets.items()},
            **{subs[c]: v for c, v in budgets.items() if c in subs},
        },
    )
    return ta.mismatch_block(mismatch_lines(form, found))


def _soft_names(value: str) -> str:
    names = []
    for flag in value.split(","):
        try:
            names.append(tq.soft_reason(checks.Soft(flag).name))
        except ValueError:
            names.append(tq.soft_reason(flag))
    return "; ".join(names)


def low_lines(form: UnitForm, judged: dict[int, rules.Reading] | None = None) -> list[str]:
    """Every entered indicator whose capaian s.d. triwulan is under "Tinggi"."""
    judged = readings(form) if judged is None else judged
    lines = []
    for stored in form.indicators:
        item = judged.get(stored.id)
        if item is not None and rules.below_floor(item.cap_to_date):
            # the capaian's own base: the figure and target s.d. triwulan (both set, or no
            # capaian), with the quarter's value beside it
            lines.append(
                ta.low_line(
                    form.chat_name(stored),
                    tq.num(item.to_date),
                    tq.num(numbers.target_to_date(stored.indicator, form.period.quarter)),
                    stored.indicator.satuan,
                    format_percent(item.cap_to_date),
                    format_number(item.value),
                    tq.num(form.previous.get(stored.id)),
                    stored.indicator.direction is Direction.DOWN,
                )
            )
    return lines


def sections(form: UnitForm, changes: list[str], low: list[str]) -> list[tuple[str, list[str]]]:
    """The brief's sections, what needs attention first: capaian under "Tinggi", absorption
    far behind, values far from target, values confirmed with an explanation, progress and
    spending that disagree, a typed figure off the bot's own that was never explained (its
    budgets corrected afterwards), then the changes after a return. ``low``: the lines of
    :func:`low_lines`, or the one saying they came in a message of their own."""
    quarter = form.period.quarter
    judged = readings(form)
    far, confirmed, own = [], [], []
    for stored in form.indicators:
        item = judged.get(stored.id)
        if item is None:
            continue
        ind, entry = stored.indicator, form.current[stored.id]
        computed = own_figure(form, stored)
        if checks.Soft.PEMBANDING.value not in entry.soft.split(",") and (
            rules.pembanding_differs(entry.value, computed)
        ):
            # typed before the budgets changed: never explained, so said here
            own.append(
                ta.pembanding_line(
                    form.chat_name(stored), format_percent(entry.value), format_percent(computed)
                )
            )
        if entry.soft:
            confirmed.append(
                ta.confirmed_line(
                    form.chat_name(stored),
                    format_number(entry.value),
                    ind.satuan,
                    _soft_names(entry.soft),
                    entry.explanation,
                    tq.num(form.previous.get(stored.id)),
                )
            )
        elif item.cap_quarter is not None and not (
            FAR_BELOW <= numbers.round2(item.cap_quarter) <= FAR_ABOVE
        ):
            far.append(
                tf.far_line(
                    form.chat_name(stored),
                    format_number(item.value),
                    ind.satuan,
                    format_percent(item.cap_quarter),
                    tq.num(form.previous.get(stored.id)),
                )
            )
    behind = []
    absorption = unit_absorption(form)
    against = rules.reference([(s.activity.pagu, s.activity.plan) for s in form.subs], quarter)
    if rules.absorption_behind(absorption, quarter, against):
        behind.append(
            ta.behind_line(
                format_percent(absorption), format_percent(against.share), against.planned
            )
        )
    far_title = ta.far_title(format_percent(FAR_BELOW), format_percent(FAR_ABOVE))
    return [
        (ta.low_title(format_percent(TINGGI_FLOOR)), low),
        (ta.BEHIND_TITLE, behind),
        (far_title, far),
        (ta.CONFIRMED_TITLE, confirmed),
        (ta.MISMATCH_TITLE, mismatch_lines(form, spending_mismatches(form))),
        (ta.PEMBANDING_TITLE, own),
        (ta.CHANGES_TITLE, changes),
    ]
