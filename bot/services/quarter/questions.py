"""How a unit's form looks in chat: one question at a time, and the summary at the end.

Data entry (``bot.services.quarter.entry``) and uploads move the operator with :func:`goto`.
"""

from __future__ import annotations

from decimal import Decimal

from bot.callbacks import Cb, encode
from bot.model import Direction, Pembanding, Role
from bot.numbers_format import format_number, format_percent, format_rupiah
from bot.services.config import Config, webapp_link
from bot.services.quarter import attention, forms
from bot.services.quarter.followup_common import default_status, long_day
from bot.services.work import Button, WebAppButton, Work
from bot.texts import attention as ta
from bot.texts import common as texts
from bot.texts import dashboard as td
from bot.texts import fit as tf
from bot.texts import followup as tl
from bot.texts import quarter as tq
from bot.texts import web as tw
from bot.workflow import FOLLOW_UP_TABLE, STATUS_ACTION, unit_head
from storage import followups, periods, updates
from storage.updates import Dialog

ENTRY = "entry"  # the dialogue of a person answering their unit's form


def open_form_button(config: Config) -> list[list[Button]]:
    """The "Buka formulir" button that opens the Mini App (none when it is off). Telegram
    accepts it in private chats only."""
    if not config.webapp_url:
        return []
    return [[WebAppButton(tw.BTN_OPEN_FORM, config.webapp_url)]]


def dashboard_button(config: Config) -> list[list[Button]]:
    """The "Buka dasbor" button that opens the leaders' dashboard (none when the Mini App is
    off). For private chats only, as every button opening the Mini App."""
    if not config.webapp_url:
        return []
    return [[WebAppButton(td.BTN_OPEN_DASHBOARD, webapp_link(config, view="dashboard"))]]


async def goto(
    work: Work, form: forms.UnitForm, position: int, lead: str = "", status: str | None = None
) -> None:
    """Move to question ``position`` (or the summary past the last) and show it.

    ``lead`` (what was just saved) opens the same message: one message per answer keeps
    the chat short on a phone. At a carried recommendation the dialogue names it (a photo or
    PDF sent there is its evidence) and the status chosen with its buttons.
    """
    assert work.origin is not None
    position = max(0, min(position, len(form.questions)))
    data: dict[str, object] = {"report": form.report.id, "pos": position}
    if position < len(form.questions) and form.questions[position].kind == "r":
        rec = form.carried[int(form.questions[position].key)]
        status = status or default_status(rec, form.unit.code).value
        data.update(rec=rec.id, unit=form.unit.code, status=status)
    await updates.set_dialog(work.conn, work.origin.telegram_id, Dialog(ENTRY, data), work.now)
    if position == len(form.questions):
        await show_summary(work, form, lead)
        return
    text = (
        await carried_text(work, form, position, status or "")
        if status
        else (question_text(form, position))
    )
    await work.reply(f"{lead}\n\n{text}" if lead else text, question_buttons(form, position))


async def carried_text(work: Work, form: forms.UnitForm, position: int, status: str) -> str:
    """A carried recommendation's question, with its due date and the evidence sent."""
    q = form.questions[position]
    rec = form.carried[int(q.key)]
    owner = await periods.period(work.conn, rec.period_id)
    assert owner is not None
    due = followups.due_date(rec, owner.year, owner.quarter)
    sent = len(await followups.evidence(work.conn, rec.id, form.unit.code))
    return tl.question_follow_up(
        position + 1,
        len(form.questions),
        q.index,
        q.count,
        owner.label,
        rec.text,
        long_day(due),
        status,
        sent,
    )


def question_text(form: forms.UnitForm, position: int) -> str:
    """The question at ``position``: what is asked, its target and what was entered so far."""
    q = form.questions[position]
    number, total = position + 1, len(form.questions)
    quarter = form.period.quarter
    if q.kind == "i":
        s = form.indicator(int(q.key))
        ind = s.indicator
        entry = form.current.get(s.id)
        card = tq.question_indicator(
            number,
            total,
            q.index,
            q.count,
            form.period.label,
            form.hierarchy(ind.activity_code),
            ind.name,
            ind.satuan,
            ind.direction is Direction.UP,
            ind.targets_q[quarter - 1],
            ind.target_annual,
            form.previous.get(s.id),
            entry.value if entry else None,
        )
        if s.indicator.pembanding is Pembanding.PENYERAPAN_UNIT:
            # the bot's own figure beside the one to type (a dash until the budgets are in)
            own = attention.own_figure(form, s)
            head, _, ask = card.rpartition("\n")
            card = f"{head}\n{tq.computed_line(format_percent(own))}\n{ask}"
        return card
    if q.kind == "b":
        sub = form.sub(int(q.key))
        budget = form.budgets.get(sub.id)
        return tq.question_budget(
            number,
            total,
            q.index,
            q.count,
            form.period.label,
            sub.activity.name,
            sub.activity.pagu,
            form.spent_before.get(sub.id, Decimal(0)),
            budget.value if budget else None,
        )
    return tq.question_note(number, total, q.index, q.key, form.notes.get(q.key), q.count)


def question_buttons(form: forms.UnitForm, position: int) -> list[list[Button]]:
    """Kembali (after the first), Lewati, and Ringkasan; the statuses a carried
    recommendation may take."""
    rid = form.report.id
    row = [(tq.BTN_SKIP, encode(Cb.ENTRY_SKIP, rid, position))]
    if position > 0:
        row.insert(0, (tq.BTN_BACK, encode(Cb.ENTRY_BACK, rid, position)))
    statuses: list[list[Button]] = []
    q = form.questions[position]
    if q.kind == "r":
        state = form.carried[int(q.key)].state_of(form.unit.code)
        statuses.append(
            [
                (tl.BTN_STATUS[status.value], encode(Cb.ENTRY_STATUS, rid, position, status.value))
                for status, action in STATUS_ACTION.items()
                if (state, action) in FOLLOW_UP_TABLE
            ]
        )
    return [
        *statuses,
        row,
        [
            (tq.BTN_SUMMARY, encode(Cb.ENTRY_SUMMARY, rid)),
            (tf.BTN_FILL_ALL, encode(Cb.ENTRY_FILL_ALL, rid)),
        ],
    ]


async def show_summary(work: Work, form: forms.UnitForm, lead: str = "") -> None:
    """Every answer numbered, what is missing, and Kirim once nothing required is."""
    missing = form.missing_required()
    summary = tq.entry_summary(
        form.period.label,
        form.unit.name,
        forms.summary_lines(form)
        + ta.mismatch_block(attention.mismatch_lines(form, attention.spending_mismatches(form))),
        len(missing),
        form.report.return_reason if form.report.state == "dikembalikan" else None,
    )
    text = f"{lead}\n\n{summary}" if lead else summary
    buttons: list[list[Button]] = [
        [
            (
                tq.BTN_CONTINUE,
                encode(
                    Cb.ENTRY_GOTO, form.report.id, form.first_open() % max(1, len(form.questions))
                ),
            ),
            (tf.BTN_FILL_ALL, encode(Cb.ENTRY_FILL_ALL, form.report.id)),
        ]
    ]
    if not missing:
        # The Sekretariat has no Kepala Bidang: its report goes to the Sekretaris.
        send = (
            tq.BTN_SEND_SEKRETARIS
            if unit_head(form.unit.code).role is Role.SEKRETARIS
            else tq.BTN_SEND_KABID
        )
        buttons.insert(0, [(send, encode(Cb.ENTRY_SUBMIT, form.report.id, form.report.version))])
    await work.reply(text, buttons)


def fill_lines(form: forms.UnitForm, prefilled: bool = False) -> list[str]:
    """Every question as a line of the ready-to-fill message: its number, what it asks,
    its unit and last quarter's value, then "= " for the answer (what ``entry`` reads);
    ``prefilled``: each followed by the answer saved now, to change any line."""
    lines = []
    for n, q in enumerate(form.questions, 1):
        if q.kind == "i":
            stored = form.indicator(int(q.key))
            ind = stored.indicator
            line = tf.fill_indicator(
                n, form.chat_name(stored), ind.satuan, tq.num(form.previous.get(stored.id))
            )
        elif q.kind == "b":
            sub = form.sub(int(q.key))
            line = tf.fill_budget(n, form.sub_name(sub), format_rupiah(sub.activity.pagu))
        elif q.kind == "r":
            rec = form.carried[int(q.key)]
            line = tl.fill_carried(n, form.carried_from.get(rec.id, ""), rec.text)
        else:
            line = tf.fill_note(n, tq.NOTE_LABELS[q.key])
        lines.append(line + texts.esc(answer_text(form, q)) if prefilled else line)
    return lines


def answer_text(form: forms.UnitForm, q: forms.Question) -> str:
    """The saved answer as it would be typed back ("" when none): a number the Indonesian
    way, a note on one line ("-" for a note left empty)."""
    if q.kind == "i":
        entry = form.current.get(form.indicator(int(q.key)).id)
        return tq.num(entry.value) if entry else ""
    if q.kind == "b":
        budget = form.budgets.get(form.sub(int(q.key)).id)
        return format_number(budget.value) if budget else ""
    if q.kind == "r":  # "selesai; what was done", once answered in this period
        rec = form.carried[int(q.key)]
        done = rec.follow_up_of(form.unit.code)
        if not form.follow_up_answered(rec) or done is None:
            return ""
        text = tl.template_answer(rec.state_of(form.unit.code).value, done.text)
        return " ".join(text.split())
    if q.key not in form.notes:
        return ""
    return " ".join(form.notes[q.key].split()) or "-"


async def send_fill(work: Work, form: forms.UnitForm) -> None:
    """The ready-to-fill message(s), after a line on how to use them; the operator's next
    message is read as the form's answers (the form's dialogue is opened if it was not).
    A complete form says so, and its message comes prefilled with the answers saved."""
    assert work.origin is not None
    dialog = await updates.dialog(work.conn, work.origin.telegram_id)
    if dialog is None or dialog.name != ENTRY or dialog.data.get("report") != form.report.id:
        await updates.set_dialog(
            work.conn,
            work.origin.telegram_id,
            Dialog(ENTRY, {"report": form.report.id, "pos": form.first_open()}),
            work.now,
        )
    complete = form.first_open() == len(form.questions)
    parts = tf.chunks("", fill_lines(form, prefilled=complete))
    if complete:
        total = len(form.questions)
        await work.reply(tf.form_complete(total, total))
    await work.reply(tf.fill_intro(form.unit.name, form.period.label, len(parts), complete))
    for part in parts:
        await work.reply(part)
