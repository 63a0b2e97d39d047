"""Step 3: the unit head approves a unit's report or returns it with a reason."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from bot.analysis.figures import TINGGI_FLOOR
from bot.callbacks import Cb, encode
from bot.model import Role
from bot.numbers_format import format_number, format_percent, format_rupiah
from bot.services.config import Config, webapp_link
from bot.services.core import Caller, Core, Origin, Outcome, caller
from bot.services.quarter import attention, forms
from bot.services.quarter.flow import ask_reason, move_step, offer, on_reason, refuse_role, stale
from bot.services.work import Button, WebAppButton, Work
from bot.texts import attention as ta
from bot.texts import common as texts
from bot.texts import entry as te
from bot.texts import fit as tf
from bot.texts import quarter as tq
from bot.texts import web as tw
from bot.texts.common import utf16_len
from bot.workflow import (
    Grant,
    PeriodAction,
    PeriodState,
    Reason,
    Refused,
    Step,
    UnitAction,
    UnitState,
    transition,
    transition_unit,
    unit_head,
)
from storage import entries, org, periods


def unit_tag(report_id: int) -> str:
    """The tag of the approval request of a unit report (for removing its buttons)."""
    return f"unit:{report_id}"


async def grant_title(work: Work, grant: Grant) -> str:
    """A grant as a title, e.g. "Kepala Bidang (Bidang Pelatihan)"."""
    unit = await org.unit(work.conn, grant.unit_code) if grant.unit_code else None
    return texts.role_label_plain(grant.role, unit)


def review_buttons(report: periods.UnitReport, config: Config | None = None) -> list[list[Button]]:
    """The approver's choices in step 3 (with the Mini App on: also "Buka di aplikasi", which
    opens the same review as a page; the request always goes to a private chat)."""
    rows: list[list[Button]] = [
        [
            (tq.BTN_APPROVE, encode(Cb.UNIT_APPROVE, report.id, report.version)),
            (tq.BTN_RETURN, encode(Cb.UNIT_RETURN, report.id, report.version)),
        ],
        [(tf.BTN_SHOW_ALL, encode(Cb.REVIEW_ALL, report.id))],
    ]
    if config is not None and config.webapp_url:
        rows.append([WebAppButton(tw.BTN_OPEN_REVIEW, webapp_link(config, review=report.id))])
    return rows


async def send_review_request(
    work: Work,
    form: forms.UnitForm,
    report: periods.UnitReport,
    who: Caller,
    approver: Grant,
    chats: Sequence[int] | None = None,
) -> None:
    """Ask the approver (or only ``chats``) to check the unit's report: first what needs
    attention (see :func:`review_brief`), the complete list one tap away ("Lihat semua
    isian"); ``who`` is the operator who sent it."""
    low = attention.low_lines(form)
    if utf16_len("\n".join(low)) > ta.LOW_ROOM:
        # Every indicator under "Tinggi" is named: too many for the brief, so just before it.
        floor = format_percent(TINGGI_FLOOR)
        for part in tf.chunks(ta.low_list_head(form.unit.name, form.period.label, floor), low):
            if chats is None:
                await work.notify(approver, part)
            for chat in chats or ():
                await work.say(chat, part)
        low = [ta.low_apart(len(low))]
    text = await review_brief(work, form, report, who.person.full_name, low)
    await offer(
        work, approver, chats, text, review_buttons(report, work.config), unit_tag(report.id)
    )


async def review_brief(
    work: Work,
    form: forms.UnitForm,
    report: periods.UnitReport,
    sender: str,
    low: list[str] | None = None,
) -> str:
    """The head's brief of a unit's report (Telegram HTML), as the chat request and the Mini
    App's review page show it: what needs attention first (capaian under "Tinggi", absorption
    far behind, values far from target, values confirmed with an explanation, progress and
    spending that disagree, changes after a return). ``low``: the lines of the indicators
    under "Tinggi" as the chat shows them; None: every one of them (the page has the room)."""
    changes = []
    if report.return_mark is not None:
        by_id = {s.id: s for s in form.indicators}
        for change in await entries.changes_since(
            work.conn, form.period.id, list(by_id), report.return_mark
        ):
            changed = by_id[change.target_id]
            changes.append(
                tf.change_line(
                    form.chat_name(changed),
                    format_number(change.old),
                    format_number(change.new),
                    changed.indicator.satuan,
                )
            )
    spent = sum((b.value for b in form.budgets.values()), Decimal(0))
    pagu = sum((s.activity.pagu or Decimal(0) for s in form.subs), Decimal(0))
    absorption = format_percent(spent / pagu * 100) if pagu > 0 else format_percent(None)
    return ta.head_brief(
        form.unit.name,
        form.period.label,
        sender,
        tf.filled_counts(len(form.current), len(form.budgets)),
        format_percent(TINGGI_FLOOR),
        attention.sections(form, changes, attention.low_lines(form) if low is None else low),
        tf.budget_brief(format_rupiah(spent), format_rupiah(pagu), absorption),
    )


def may_read(who: Caller, report: periods.UnitReport) -> bool:
    """Whether ``who`` may read the unit's answers: its head (or the approver it went to),
    its operators, and the Sekretariat's leaders and coordinator."""
    head = report.approver or unit_head(report.unit_code)
    return (
        who.holds(head.role, head.unit_code)
        or who.holds(Role.OPERATOR, report.unit_code)
        or any(who.holds(r) for r in (Role.SEKRETARIS, Role.KASUBAG_KPEP, Role.KADIN))
    )


def may_decide(who: Caller, report: periods.UnitReport, action: UnitAction) -> bool:
    """Whether ``who`` may take ``action`` on the report now (its state, role, own report)."""
    try:
        _check(report, who, action)
    except Refused:
        return False
    return True


async def show_all(core: Core, origin: Origin, report_id: int) -> Outcome:
    """ "Lihat semua isian": every answer of the unit's report, in phone-sized messages."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome(texts.NOT_REGISTERED, alert=True)
        report = await periods.unit_report(work.conn, report_id)
        if report is None:
            return Outcome(texts.BUTTON_INVALID)
        if not may_read(who, report):
            await refuse_role(work)
            return Outcome(texts.BUTTON_NOT_YOURS)
        form = await forms.load(work, report)
        for part in tf.chunks(
            tf.all_entries_head(form.unit.name, form.period.label), forms.summary_lines(form)
        ):
            await work.reply(part)
    return Outcome()


async def _report_for(work: Work, report_id: int, version: int) -> periods.UnitReport | None:
    report = await periods.unit_report(work.conn, report_id)
    if report is None or report.version != version or report.state is not UnitState.SUBMITTED:
        await stale(work)
        return None
    return report


def _check(report: periods.UnitReport, who: Caller, action: UnitAction) -> UnitState:
    return transition_unit(
        report.state,
        action,
        who.actor,
        report.unit_code,
        report.approver or unit_head(report.unit_code),
        report.submitted_by,
    )


async def approve(core: Core, origin: Origin, report_id: int, version: int) -> Outcome:
    """Setujui: the unit's report is approved; when all are, step 4 begins."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome(texts.NOT_REGISTERED, alert=True)
        return await approve_in(core, work, who, report_id, version)


async def approve_in(core: Core, work: Work, who: Caller, report_id: int, version: int) -> Outcome:
    """Setujui inside an open use case (the chat's button and the Mini App's page): the
    report's version must still be ``version``; the chat request's buttons are removed."""
    report = await _report_for(work, report_id, version)
    if report is None:
        return Outcome(tq.SUDAH_DIPROSES)
    try:
        new_state = _check(report, who, UnitAction.APPROVE)
    except Refused as refused:
        await _refused(work, refused)
        return Outcome(texts.BUTTON_NOT_YOURS)
    if not await periods.set_unit_state(work.conn, report, new_state, work.now):
        await stale(work)
        return Outcome(tq.SUDAH_DIPROSES)
    approver = report.approver or unit_head(report.unit_code)
    await move_step(
        work,
        report.period_id,
        report.unit_code,
        Step.UNIT_CHECK,
        None,
        who,
        "disetujui",
        approver.role,
    )
    await work.audit("unit_approved", "unit_report", report.id, {}, who.person.id)
    await work.clear_buttons(unit_tag(report.id), tq.approved_note(who.person.full_name, work.now))
    unit_name = (await org.unit(work.conn, report.unit_code) or report).name  # type: ignore[union-attr]
    await work.notify(
        Grant(Role.OPERATOR, report.unit_code),
        te.unit_approved(unit_name, who.person.full_name),
    )
    await _maybe_compile(core, work, report.period_id)
    return Outcome()


async def _refused(work: Work, refused: Refused) -> None:
    if refused.reason is Reason.OWN_SUBMISSION:
        await work.reply(texts.OWN_SUBMISSION)
    else:
        await refuse_role(work)


async def _maybe_compile(core: Core, work: Work, period_id: int) -> None:
    """Every unit approved: the period moves to step 4 and the kasubag_kpep gets the draft."""
    reports = await periods.unit_reports(work.conn, period_id)
    if not reports or any(r.state is not UnitState.APPROVED for r in reports):
        return
    period = await periods.period(work.conn, period_id)
    assert period is not None
    if period.state is not PeriodState.COLLECTING:
        return
    new_state = transition(period.state, PeriodAction.ALL_UNITS_APPROVED, None)
    if not await periods.set_period_state(work.conn, period, new_state, work.now):
        return
    await move_step(work, period.id, None, None, Step.COMPILE, None, "")
    await work.audit("all_units_approved", "period", period.id)
    from bot.services.quarter import step_requests

    await step_requests.send_compile_package(core, work, period.id)


async def return_(core: Core, origin: Origin, report_id: int, version: int) -> Outcome:
    """Minta revisi: ask the reason, then return the report to its operators."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome(texts.NOT_REGISTERED, alert=True)
        report = await _report_for(work, report_id, version)
        if report is None:
            return Outcome(tq.SUDAH_DIPROSES)
        try:
            _check(report, who, UnitAction.RETURN)
        except Refused as refused:
            await _refused(work, refused)
            return Outcome(texts.BUTTON_NOT_YOURS)
        await ask_reason(work, "unit_return", "revisi", report=report_id, version=version)
    return Outcome()


async def return_in(work: Work, who: Caller, report_id: int, version: int, reason: str) -> None:
    """Minta revisi with its reason already typed (the Mini App's page): the same return as
    the chat's reason dialogue completes."""
    await _unit_returned(work, who, {"report": report_id, "version": version}, reason)


@on_reason("unit_return")
async def _unit_returned(work: Work, who: Caller, data: dict[str, Any], reason: str) -> None:
    report = await _report_for(work, int(data["report"]), int(data["version"]))
    if report is None:
        return
    try:
        new_state = _check(report, who, UnitAction.RETURN)
    except Refused as refused:
        await _refused(work, refused)
        return
    if not await periods.set_unit_state(
        work.conn, report, new_state, work.now, return_reason=reason
    ):
        await stale(work)
        return
    approver = report.approver or unit_head(report.unit_code)
    await move_step(
        work,
        report.period_id,
        report.unit_code,
        Step.UNIT_CHECK,
        Step.ENTER,
        who,
        "dikembalikan",
        approver.role,
    )
    await work.audit("unit_returned", "unit_report", report.id, {"reason": reason}, who.person.id)
    unit = await org.unit(work.conn, report.unit_code)
    operators = texts.role_title(Role.OPERATOR, unit)
    await work.clear_buttons(
        unit_tag(report.id), tq.returned_note(who.person.full_name, work.now, reason, operators)
    )
    await work.notify(
        Grant(Role.OPERATOR, report.unit_code),
        te.unit_returned(unit.name if unit else report.unit_code, who.person.full_name, reason),
    )
    # The reason already stands in the request the buttons were removed from: say it once.
    await work.acknowledge(tf.returned_ack(unit.name if unit else report.unit_code, operators))
