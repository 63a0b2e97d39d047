"""Step 2 in one message: several numbered answers ("1. 120" lines), or the lines of the
ready-to-fill message sent back ("1. Jumlah peserta (orang; TW lalu 5) = 120").

Used by ``bot.services.quarter.entry``, which handles the one-answer-at-a-time dialogue.
"""

from __future__ import annotations

import html
import re
from decimal import Decimal

from bot.checks import Hard, check_budget_value, check_indicator_value
from bot.services.core import Caller
from bot.services.quarter import attention, followup_common, forms
from bot.services.quarter.questions import answer_text, fill_lines, goto
from bot.services.work import Work
from bot.texts import common as texts
from bot.texts import fit as tf
from bot.texts import quarter as tq
from storage import entries

MAX_NOTE = 2000
# "3. 120" or "3) 120"; "25.000.000" must stay a number, so a dot needs a space after it.
NUMBERED = re.compile(r"^\s*(\d{1,3})\s*(?:\.\s+|\)\s*)(.*)$")
BARE_NUMBER = re.compile(r"^\s*(\d{1,3})\s*$")


async def audit_entry(
    work: Work, who: Caller, form: forms.UnitForm, q: forms.Question, value: object
) -> None:
    """Record an answer in the audit log."""
    await work.audit(
        "value_entered",
        "unit_report",
        form.report.id,
        {"kind": q.kind, "key": q.key, "value": str(value)},
        who.person.id,
    )


def filled(lines: list[str]) -> bool:
    """Whether every line is a line of the ready-to-fill message ("3. … = 120")."""
    return bool(lines) and all(
        (m := NUMBERED.match(line)) and tf.FILL_SEPARATOR in m.group(2) for line in lines
    )


def _answer_part(form: forms.UnitForm, q: forms.Question, number: int, typed: str) -> str:
    """The answer in a numbered line: all of "120" in "3. 120"; what follows the question
    in a line of the ready-to-fill message, "3. Jumlah peserta (orang; TW lalu 5) = 120".

    A number never holds "=", so for a value the text after the last one is the answer; a
    note (or a follow-up) may, so there the question's label must be the text before the
    first one.
    """
    sep = tf.FILL_SEPARATOR
    if sep not in typed:
        return typed
    if q.kind not in ("n", "r"):
        return typed.rsplit(sep, 1)[1].strip()
    label, answer = typed.split(sep, 1)
    listed = fill_lines(form)[number - 1]
    if html.unescape(listed).split(sep, 1)[0].split(".", 1)[1].strip() == label.strip():
        return answer.strip()
    return typed


async def answer_many(work: Work, who: Caller, form: forms.UnitForm, lines: list[str]) -> None:
    """ "1. 120" / "2. 85,5" ...: answer several questions in one message (also the lines of
    the ready-to-fill message, where a line left empty after "=" is skipped)."""
    saved = 0
    skipped = 0
    unchanged = 0
    problems: list[str] = []
    for line in lines:
        match = NUMBERED.match(line)
        if not match:
            problems.append(f"{texts.esc(line[:40])}: {tq.NOT_NUMBERED}")
            continue
        number, value = int(match.group(1)), match.group(2).strip()
        if not 1 <= number <= len(form.questions):
            problems.append(f"no. {number}: {tq.NO_SUCH_QUESTION}")
            continue
        q = form.questions[number - 1]
        value = _answer_part(form, q, number, value)
        if not value:
            skipped += 1
            continue
        if value == answer_text(form, q):
            # A prefilled line sent back as it was: the answer stays, checked and confirmed
            # as it was saved (a value confirmed once is not asked about again).
            unchanged += 1
            continue
        if q.kind == "i":
            stored = form.indicator(int(q.key))
            if stored.indicator.pembanding is not None:
                # its budgets may be among the lines just saved
                form = await forms.reload_answers(work, form)
            computed = attention.own_figure(form, stored)
            result = check_indicator_value(
                value,
                stored.indicator,
                form.period.quarter,
                form.previous.get(stored.id),
                computed,
            )
            if result.hard or result.value is None:
                problems.append(
                    f"no. {number}: "
                    + tq.hard_short(result.hard or Hard.NOT_A_NUMBER, result.suggestions)
                )
                continue
            if result.soft:
                problems.append(
                    f"no. {number}: "
                    + "; ".join(attention.soft_reasons(result.soft, computed))
                    + f" — {texts.fill(tq.ANSWER_ALONE, n=number)}"
                )
                continue
            await entries.save_realisation(
                work.conn,
                form.period.id,
                stored.id,
                result.value,
                "",
                "",
                who.person.id,
                work.now,
                "chat",
            )
        elif q.kind == "b":
            sub = form.sub(int(q.key))
            result = check_budget_value(
                value, sub.activity.pagu, form.spent_before.get(sub.id, Decimal(0))
            )
            if result.hard or result.value is None:
                problems.append(
                    f"no. {number}: "
                    + tq.hard_short(result.hard or Hard.NOT_A_NUMBER, result.suggestions)
                )
                continue
            await entries.save_budget(
                work.conn, form.period.id, sub.id, result.value, who.person.id, work.now, "chat"
            )
        elif q.kind == "r":
            rec = form.carried[int(q.key)]
            problem = await followup_common.answer_carried(work, who, rec, form.unit.code, value)
            if problem:
                problems.append(f"no. {number}: {problem}")
                continue
        else:
            if len(value) > MAX_NOTE:
                problems.append(
                    f"no. {number}: " + texts.fill(texts.TOO_LONG_SHORT, limit=MAX_NOTE)
                )
                continue
            note = "" if value == "-" else value
            await entries.save_note(
                work.conn, form.period.id, form.unit.code, q.key, note, who.person.id, work.now
            )
        await audit_entry(work, who, form, q, value)
        saved += 1
    form = await forms.reload_answers(work, form)
    lead = tq.multi_result(saved, problems)
    if skipped:
        lead += "\n" + tf.fill_skipped(skipped)
    if unchanged:
        lead += "\n" + tf.fill_unchanged(unchanged)
    await goto(work, form, form.first_open(), lead=lead)
