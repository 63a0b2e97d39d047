"""Step 2 in chat: one question at a time, each answer saved the moment it arrives.

The person's place (question number, a value waiting for its explanation) is kept in the
``dialogs`` table, so leaving, /batal or a restart resumes exactly where they were. Which
report may be edited is decided in ``bot.services.quarter.editable``; sending it up, in
``bot.services.quarter.submission``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bot.callbacks import Cb
from bot.checks import Hard, check_budget_value, check_indicator_value
from bot.numbers_format import format_number, format_quantity, format_rupiah
from bot.services.core import Caller, Core, Origin, Outcome, caller
from bot.services.dialogue import route
from bot.services.quarter import attention, followup_common, forms
from bot.services.quarter.bulk import (
    BARE_NUMBER,
    MAX_NOTE,
    NUMBERED,
    answer_many,
    audit_entry,
    filled,
)
from bot.services.quarter.editable import editable_report, form_in_dialog
from bot.services.quarter.flow import stale, too_long
from bot.services.quarter.followup_common import MAX_FOLLOW_UP, default_status, maybe_close
from bot.services.quarter.questions import ENTRY, goto, open_form_button, send_fill
from bot.services.work import Work
from bot.texts import checks as tc
from bot.texts import common as texts
from bot.texts import entry as te
from bot.texts import followup as tl
from bot.texts import quarter as tq
from bot.texts import web as tw
from bot.workflow import (
    FOLLOW_UP_TABLE,
    STATUS_ACTION,
    FollowUpState,
)
from storage import entries, updates
from storage.updates import Dialog


async def start(core: Core, origin: Origin) -> Outcome:
    """/isi: start or resume the unit's form."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome()
        report, why = await editable_report(work, who)
        if report is None:
            await work.reply(why)
            return Outcome()
        form = await forms.load(work, report)
        dialog = await updates.dialog(work.conn, origin.telegram_id)
        position = form.first_open()
        if dialog and dialog.name == ENTRY and dialog.data.get("report") == report.id:
            position = int(dialog.data.get("pos", position))
        if core.config.webapp_url and not origin.in_group:
            # Telegram allows a button opening the Mini App in private chats only.
            await work.reply(tw.OPEN_FORM_HINT, open_form_button(core.config))
        await send_fill(work, form)
        await goto(work, form, position)
    return Outcome()


async def fill_all(core: Core, origin: Origin, report_id: int) -> Outcome:
    """ "Isi sekaligus": the ready-to-fill message of the form again."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome(texts.NOT_REGISTERED, alert=True)
        form = await form_in_dialog(work, who, report_id)
        if form is None:
            return Outcome(tq.SUDAH_DIPROSES)
        await send_fill(work, form)
    return Outcome()


@route(ENTRY)
async def answer(core: Core, work: Work, who: Caller, dialog: Dialog, text: str) -> None:
    """A typed answer (or several numbered lines) to the form."""
    form = await form_in_dialog(work, who, int(dialog.data["report"]))
    if form is None:
        return
    position = int(dialog.data.get("pos", 0))
    lines = [line for line in text.splitlines() if line.strip()]
    # a note or a follow-up is free text: several lines are one answer there
    at_note = position < len(form.questions) and form.questions[position].kind in ("n", "r")
    numbered = bool(NUMBERED.match(text)) and not BARE_NUMBER.match(text)
    # "3. 120" is never a value, so it numbers an answer; a note may hold any text, though,
    # unless every line is one of the ready-to-fill message's ("3. … = 120").
    if (not at_note and (len(lines) > 1 or numbered)) or (at_note and filled(lines)):
        await answer_many(work, who, form, lines)
        return
    if position >= len(form.questions):
        bare = BARE_NUMBER.match(text)
        if bare:
            await goto(work, form, int(bare.group(1)) - 1)
        else:
            await work.reply(te.MULTI_NONE)
        return
    pending = dialog.data.get("pending")
    if form.questions[position].kind == "r":
        saved, reply = await _answer_follow_up(work, who, form, position, text, dialog)
        if saved:  # a follow-up lives with its recommendation: read the form's again
            form = await forms.reload_answers(work, form)
    else:
        # _answer_one keeps the answer it saved in the form: no second read of every answer
        saved, reply = await _answer_one(work, who, form, position, text, pending)
    if not saved:
        return
    await goto(work, form, _next_position(form, position), lead=reply)


def _next_position(form: forms.UnitForm, position: int) -> int:
    for n in range(position + 1, len(form.questions)):
        if not form.answered(form.questions[n]):
            return n
    return len(form.questions) if position + 1 >= len(form.questions) else position + 1


async def _answer_one(
    work: Work,
    who: Caller,
    form: forms.UnitForm,
    position: int,
    text: str,
    pending: dict[str, Any] | None,
) -> tuple[bool, str]:
    """Check and save one answer, kept in ``form`` too; (saved?, acknowledgement)."""
    q = form.questions[position]
    if q.kind == "n":
        if await too_long(work, text, MAX_NOTE):
            return False, ""
        note = "" if text.strip() == "-" else text.strip()
        await entries.save_note(
            work.conn, form.period.id, form.unit.code, q.key, note, who.person.id, work.now
        )
        form.notes[q.key] = note
        await audit_entry(work, who, form, q, note)
        return True, te.saved_value(note or "–")
    if q.kind == "b":
        sub = form.sub(int(q.key))
        result = check_budget_value(
            text, sub.activity.pagu, form.spent_before.get(sub.id, Decimal(0))
        )
        if result.hard or result.value is None:
            await work.reply(
                tc.hard_problem(result.hard or Hard.NOT_A_NUMBER, text, result.suggestions)
            )
            return False, ""
        kept = await entries.save_budget(
            work.conn, form.period.id, sub.id, result.value, who.person.id, work.now, "chat"
        )
        if kept is not None:
            form.budgets[sub.id] = kept
        await audit_entry(work, who, form, q, result.value)
        return True, te.saved_value(format_rupiah(result.value))
    stored = form.indicator(int(q.key))
    computed = attention.own_figure(form, stored)
    result = check_indicator_value(
        text, stored.indicator, form.period.quarter, form.previous.get(stored.id), computed
    )
    if pending and result.hard in (Hard.NOT_A_NUMBER, Hard.AMBIGUOUS, Hard.TWO_VALUES):
        # Not a clean number while a value waits for its explanation: this is the explanation.
        if await too_long(work, text, MAX_NOTE):
            return False, ""
        value = Decimal(pending["value"])
        kept = await entries.save_realisation(
            work.conn,
            form.period.id,
            stored.id,
            value,
            text,
            ",".join(pending["soft"]),
            who.person.id,
            work.now,
            "chat",
        )
        if kept is not None:
            form.current[stored.id] = kept
        await audit_entry(work, who, form, q, value)
        return True, te.saved_value(format_quantity(value, stored.indicator.satuan))
    if result.hard or result.value is None:
        await work.reply(
            tc.hard_problem(result.hard or Hard.NOT_A_NUMBER, text, result.suggestions)
        )
        return False, ""
    if result.soft:
        assert work.origin is not None
        await updates.set_dialog(
            work.conn,
            work.origin.telegram_id,
            Dialog(
                ENTRY,
                {
                    "report": form.report.id,
                    "pos": position,
                    "pending": {"value": str(result.value), "soft": [s.value for s in result.soft]},
                },
            ),
            work.now,
        )
        await work.reply(
            te.soft_question(
                format_number(result.value), attention.soft_reasons(result.soft, computed)
            )
        )
        return False, ""
    kept = await entries.save_realisation(
        work.conn, form.period.id, stored.id, result.value, "", "", who.person.id, work.now, "chat"
    )
    if kept is not None:
        form.current[stored.id] = kept
    await audit_entry(work, who, form, q, result.value)
    return True, te.saved_value(format_quantity(result.value, stored.indicator.satuan))


async def _answer_follow_up(
    work: Work, who: Caller, form: forms.UnitForm, position: int, text: str, dialog: Dialog
) -> tuple[bool, str]:
    """A carried recommendation's answer: what was done, with the status chosen."""
    if await too_long(work, text, MAX_FOLLOW_UP):
        return False, ""
    rec = form.carried[int(form.questions[position].key)]
    chosen = str(dialog.data.get("status") or default_status(rec, form.unit.code).value)
    status = FollowUpState(chosen)
    if not text.strip():
        return False, ""
    if not await followup_common.record(work, who, rec, form.unit.code, status, text.strip()):
        state = rec.state_of(form.unit.code).value
        await work.reply(texts.fill(tl.STATUS_NOT_ALLOWED, status=tl.STATUS_NAMES[state]))
        return False, ""
    await maybe_close(work, rec.period_id)
    return True, tl.carried_saved(status.value)


async def _form_at(
    work: Work, origin: Origin, report_id: int, unset: int
) -> tuple[forms.UnitForm, int] | Outcome:
    """For a button of the form: the presser's form and the question their dialogue is at
    (``unset`` when the dialogue keeps no position, -1 when it is not the form's), or the
    answer to give."""
    who = await caller(work)
    if who is None:
        return Outcome(texts.NOT_REGISTERED, alert=True)
    form = await form_in_dialog(work, who, report_id)
    if form is None:
        return Outcome(tq.SUDAH_DIPROSES)
    dialog = await updates.dialog(work.conn, origin.telegram_id)
    position = int(dialog.data.get("pos", unset)) if dialog and dialog.name == ENTRY else -1
    return form, position


async def choose_status(
    core: Core, origin: Origin, report_id: int, position: int, status: str
) -> Outcome:
    """A status button of a carried recommendation: the answer typed next records it."""
    async with core.work(origin) as work:
        opened = await _form_at(work, origin, report_id, unset=-1)
        if isinstance(opened, Outcome):
            return opened
        form, at = opened
        try:
            chosen = FollowUpState(status)
        except ValueError:
            return Outcome(texts.BUTTON_INVALID)
        q = form.questions[position] if 0 <= position < len(form.questions) else None
        if q is None or q.kind != "r" or chosen not in STATUS_ACTION:
            return Outcome(texts.BUTTON_INVALID)
        rec = form.carried[int(q.key)]
        if at != position or (rec.state_of(form.unit.code), STATUS_ACTION[chosen]) not in (
            FOLLOW_UP_TABLE
        ):
            await stale(work)
            return Outcome(tq.SUDAH_DIPROSES)
        await goto(work, form, position, status=chosen.value)
    return Outcome()


async def press(core: Core, origin: Origin, kind: Cb, report_id: int, arg: int) -> Outcome:
    """Skip, back, summary and go-to buttons of the form."""
    async with core.work(origin) as work:
        opened = await _form_at(work, origin, report_id, unset=0)
        if isinstance(opened, Outcome):
            return opened
        form, position = opened
        if kind in (Cb.ENTRY_SKIP, Cb.ENTRY_BACK) and position != arg:
            await stale(work)
            return Outcome(tq.SUDAH_DIPROSES)
        if kind is Cb.ENTRY_SKIP:
            await goto(work, form, arg + 1)
            return Outcome(te.ENTRY_SKIPPED)
        if kind is Cb.ENTRY_BACK:
            await goto(work, form, arg - 1)
        elif kind is Cb.ENTRY_SUMMARY:
            await goto(work, form, len(form.questions))
        else:
            await goto(work, form, arg)
    return Outcome()
