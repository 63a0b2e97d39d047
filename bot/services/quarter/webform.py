"""Step 2 in the Mini App: the unit's whole form as data for one page, and its writes.

The page reads and writes through these use cases, which use the same form
(:mod:`bot.services.quarter.forms`), checks (:mod:`bot.checks`), storage, audit and
submission (:func:`bot.services.quarter.submission.send_up`) as chat, so chat, upload and the
page never disagree. Each write runs in one transaction that also keeps its request id
with its result: a request sent again returns that result and changes nothing twice.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bot.checks import CheckResult, Hard, check_budget_value, check_indicator_value
from bot.model import Direction, Role
from bot.numbers_format import format_number
from bot.services.core import Caller, Core, Origin
from bot.services.quarter import attention, followup_common, forms, submission
from bot.services.quarter.bulk import MAX_NOTE, audit_entry
from bot.services.quarter.editable import editable_report
from bot.services.quarter.flow import MAX_REASON
from bot.services.work import Work
from bot.texts import checks as tc
from bot.texts import common as texts
from bot.texts import entry as te
from bot.texts import followup as tl
from bot.texts import quarter as tq
from bot.texts import web as tw
from bot.workflow import EDITABLE_UNIT_STATES, unit_head
from storage import entries, org, periods, webapp

MAX_REQUEST_ID = 64
# indicator, budget, note, a carried recommendation: the kinds the page has fields for
ANSWERABLE = frozenset("ibnr")


@dataclass(frozen=True, slots=True)
class Reply:
    """What the page gets: an HTTP status and a JSON body."""

    status: int
    body: dict[str, Any]


def message(code: int, text: str, **extra: Any) -> Reply:
    """A reply carrying one sentence for the page (``extra``: more fields of the body)."""
    return Reply(code, {"message": tw.plain(text), **extra})


async def who_of(work: Work) -> Caller | None:
    """The registered, active person behind the page (acting terms included), or None."""
    assert work.origin is not None
    person = await org.person_by_telegram(work.conn, work.origin.telegram_id)
    if person is None:
        return None
    work.who = Caller(person, await org.actor(work.conn, person, work.now))
    return work.who


async def _report(work: Work, who: Caller) -> tuple[periods.UnitReport | None, Reply | None]:
    """The operator's report this period (also one sent up, shown read-only), or the refusal."""
    if not who.actor.units_as(Role.OPERATOR):
        work.refused = "role"
        return None, message(403, te.NOT_OPERATOR)
    report, why = await editable_report(work, who)
    if report is not None:
        return report, None
    period = await periods.current_period(work.conn)
    if period is not None:
        for code in who.actor.units_as(Role.OPERATOR):
            sent = await periods.unit_report_for(work.conn, period.id, code)
            if sent is not None:
                return sent, None
    return None, message(409, why)


def _value(q: forms.Question, form: forms.UnitForm) -> tuple[str, str, bool]:
    """A question's saved answer as typed back (value, explanation, soft-confirmed)."""
    if q.kind == "i":
        saved = form.current.get(int(q.key))
        if saved is None:
            return "", "", False
        return format_number(saved.value), saved.explanation, bool(saved.soft)
    if q.kind == "b":
        budget = form.budgets.get(int(q.key))
        return (format_number(budget.value) if budget else ""), "", False
    if q.kind == "r":
        rec = form.carried[int(q.key)]
        done = rec.follow_up_of(form.unit.code)
        if not form.follow_up_answered(rec) or done is None:
            return "", "", False
        return tl.template_answer(rec.state_of(form.unit.code).value, done.text), "", False
    return form.notes.get(q.key, ""), "", False


def _question(form: forms.UnitForm, number: int) -> dict[str, Any]:
    """One question as the page shows it: label with its number as in chat, hint, answer."""
    q = form.questions[number - 1]
    value, explanation, soft = _value(q, form)
    shown: dict[str, Any] = {
        "n": number,
        "kind": q.kind,
        "value": value,
        "explanation": explanation,
        "soft": soft,
        "answered": form.answered(q),
        "required": q.kind != "n",
    }
    if q.kind == "i":
        stored = form.indicator(int(q.key))
        ind = stored.indicator
        shown |= {
            "label": f"{number}. {ind.name}",
            "unit": ind.satuan,
            "hint": tw.indicator_hint(
                tq.num(ind.targets_q[form.period.quarter - 1]),
                tq.num(ind.target_annual),
                tq.num(form.previous.get(stored.id)),
                ind.direction is Direction.UP,
            ),
            "group": form.hierarchy(ind.activity_code),
        }
    elif q.kind == "b":
        sub = form.sub(int(q.key))
        shown |= {
            "label": f"{number}. {sub.activity.name}",
            "unit": tw.PAGE["rupiah"],
            "hint": tw.budget_hint(sub.activity.pagu, form.spent_before.get(sub.id, Decimal(0))),
            "group": tw.GROUP_BUDGET,
        }
    elif q.kind == "n":
        shown |= {
            "label": f"{number}. {te.NOTE_LABELS[q.key]}",
            "unit": "",
            "hint": tw.PAGE["note_hint"],
            "group": tw.GROUP_NOTES,
        }
    elif q.kind == "r":
        rec = form.carried[int(q.key)]
        shown |= {
            "label": f"{number}. {tl.web_question(form.carried_from.get(rec.id, ''), rec.text)}",
            "unit": "",
            "hint": tl.WEB_HINT,
            "group": tl.WEB_GROUP,
        }
    else:
        # A kind of question the page has no field for yet: shown, answered in chat.
        shown |= {
            "label": f"{number}. {tw.OTHER_QUESTION}",
            "unit": "",
            "hint": tw.ANSWER_IN_CHAT,
            "group": tw.GROUP_OTHER,
            "chat_only": True,
        }
    return shown


def form_view(form: forms.UnitForm, notice: str) -> dict[str, Any]:
    """The whole form: questions grouped as in the template, and what the page needs."""
    groups: list[dict[str, Any]] = []
    for number in range(1, len(form.questions) + 1):
        question = _question(form, number)
        title = question.pop("group")
        if not groups or groups[-1]["title"] != title:
            groups.append({"title": title, "questions": []})
        groups[-1]["questions"].append(question)
    return {
        "title": tw.title(form.unit.name, form.period.label),
        "report": form.report.id,
        "version": form.report.version,
        "editable": form.report.state in EDITABLE_UNIT_STATES,
        "notice": notice,
        "send": tw.send_label(unit_head(form.unit.code).role is Role.SEKRETARIS),
        "groups": groups,
        "texts": tw.PAGE,
    }


def _notice(form: forms.UnitForm) -> str:
    """Why the form is read-only, or the reason it was returned (plain text)."""
    state = form.report.state
    if state not in EDITABLE_UNIT_STATES:
        return tw.plain(
            texts.fill(te.NOT_EDITABLE, unit=form.unit.name, state=tq.UNIT_STATE_LABELS[state])
        )
    if state == "dikembalikan" and form.report.return_reason:
        # The reason exactly as the head typed it: the page shows it as text.
        return tw.returned(tq.UNIT_STATE_LABELS[state], form.report.return_reason)
    return ""


async def _reading(core: Core, origin: Origin, use: Callable[[forms.UnitForm], Reply]) -> Reply:
    """Read the caller's form (writing nothing) and answer what ``use`` makes of it."""
    async with core.db.reading() as conn:
        work = Work(conn, core.now(), origin, core.config)
        who = await who_of(work)
        if who is None:
            return message(403, texts.NOT_REGISTERED)
        report, refusal = await _report(work, who)
        if report is None:
            assert refusal is not None
            return refusal
        return use(await forms.load(work, report))


async def form(core: Core, origin: Origin) -> Reply:
    """The operator's form for the page (read-only once it was sent up)."""
    return await _reading(
        core, origin, lambda loaded: Reply(200, form_view(loaded, _notice(loaded)))
    )


def _checked(form: forms.UnitForm, number: int, typed: str) -> CheckResult:
    q = form.questions[number - 1]
    if q.kind == "b":
        sub = form.sub(int(q.key))
        return check_budget_value(
            typed, sub.activity.pagu, form.spent_before.get(sub.id, Decimal(0))
        )
    stored = form.indicator(int(q.key))
    return check_indicator_value(
        typed,
        stored.indicator,
        form.period.quarter,
        form.previous.get(stored.id),
        attention.own_figure(form, stored),  # a unit's absorption: checked as in chat
    )


def _verdict(result: CheckResult, typed: str) -> Reply | None:
    """A hard refusal or a soft ask-back as the page shows it, or None when it is fine."""
    if result.hard or result.value is None:
        return message(
            422,
            tc.hard_problem(result.hard or Hard.NOT_A_NUMBER, typed, result.suggestions),
            status="refused",
        )
    if result.soft:
        return message(
            200,
            tw.soft_ask(result.value, [tc.soft_reason(s) for s in result.soft]),
            status="explain",
        )
    return None


async def check(core: Core, origin: Origin, number: int, typed: str) -> Reply:
    """The checks on a value as it is typed (hard refusals, soft ask-backs); saves nothing."""

    def verdict(loaded: forms.UnitForm) -> Reply:
        if not 1 <= number <= len(loaded.questions):
            return message(400, tw.NO_SUCH_QUESTION)
        fine = Reply(200, {"status": "ok", "message": ""})
        if loaded.questions[number - 1].kind not in ("i", "b") or not typed.strip():
            return fine
        verdict = _verdict(_checked(loaded, number, typed), typed)
        # A question answered: "refused" is the answer, not a failed request (200).
        return Reply(200, verdict.body) if verdict else fine

    return await _reading(core, origin, verdict)


def reason_refusal(reason: str) -> Reply | None:
    """Why a return's reason typed in the page cannot be taken (empty, too long), or None."""
    if not reason.strip():
        return message(422, tw.REASON_MISSING, status="refused")
    if len(reason.strip()) > MAX_REASON:
        return message(422, texts.fill(texts.TOO_LONG, limit=MAX_REASON), status="refused")
    return None


Write = Callable[[Work, Caller], Awaitable[Reply]]


async def once(core: Core, origin: Origin, request_id: str, write: Write) -> Reply:
    """Run a write once per request id: its result is kept in the same transaction."""
    if not request_id or len(request_id) > MAX_REQUEST_ID or not request_id.isprintable():
        return message(400, tw.BAD_REQUEST)
    async with core.work(origin) as work:
        who = await who_of(work)
        if who is None:
            work.refused = "not registered"
            return message(403, texts.NOT_REGISTERED)
        first = await webapp.answered(work.conn, who.person.id, request_id)
        if first is not None:
            work.use_case += " (repeated)"
            return Reply(first.status, first.body)
        reply = await write(work, who)
        await webapp.record(
            work.conn, who.person.id, request_id, reply.status, reply.body, work.now
        )
        return reply


async def save(
    core: Core, origin: Origin, request_id: str, number: int, typed: str, explanation: str
) -> Reply:
    """Save one answer (with the explanation a soft-checked value needs)."""

    async def write(work: Work, who: Caller) -> Reply:
        report, why = await editable_report(work, who)
        if report is None:
            status = 403 if not who.actor.units_as(Role.OPERATOR) else 409
            return message(status, why)
        loaded = await forms.load(work, report)
        if not 1 <= number <= len(loaded.questions):
            return message(400, tw.NO_SUCH_QUESTION)
        q = loaded.questions[number - 1]
        if q.kind not in ANSWERABLE:
            return message(409, tw.ANSWER_IN_CHAT, status="refused")
        text, reason = typed.strip(), explanation.strip()
        if len(text) > MAX_NOTE or len(reason) > MAX_NOTE:
            return message(422, texts.fill(texts.TOO_LONG, limit=MAX_NOTE), status="refused")
        if q.kind == "r":
            rec = loaded.carried[int(q.key)]
            problem = await followup_common.answer_carried(work, who, rec, loaded.unit.code, text)
            if problem:
                return message(422, problem, status="refused")
        elif q.kind == "n":
            note = "" if text == "-" else text
            await entries.save_note(
                work.conn, loaded.period.id, loaded.unit.code, q.key, note, who.person.id, work.now
            )
            await audit_entry(work, who, loaded, q, note)
        else:
            result = _checked(loaded, number, text)
            verdict = _verdict(result, text)
            if verdict is not None and not (verdict.status == 200 and reason):
                return verdict
            assert result.value is not None
            if q.kind == "b":
                await entries.save_budget(
                    work.conn,
                    loaded.period.id,
                    int(q.key),
                    result.value,
                    who.person.id,
                    work.now,
                    "chat",
                )
            else:
                await entries.save_realisation(
                    work.conn,
                    loaded.period.id,
                    int(q.key),
                    result.value,
                    reason if result.soft else "",
                    ",".join(s.value for s in result.soft),
                    who.person.id,
                    work.now,
                    "chat",
                )
            await audit_entry(work, who, loaded, q, result.value)
        loaded = await forms.reload_answers(work, loaded)
        question = _question(loaded, number)
        del question["group"]
        return Reply(200, {"status": "saved", "message": tw.PAGE["saved"], "question": question})

    return await once(core, origin, request_id, write)


async def submit(core: Core, origin: Origin, request_id: str, version: int) -> Reply:
    """ "Kirim ke Kepala Bidang" from the page: the same submission as chat's button."""

    async def write(work: Work, who: Caller) -> Reply:
        report, refusal = await _report(work, who)
        if report is None:
            assert refusal is not None
            return refusal
        await submission.send_up(work, who, report.id, version)
        said = " ".join(tw.plain(r) for r in work.replies)
        fresh = await periods.unit_report(work.conn, report.id)
        if fresh is not None and fresh.state != report.state:
            return Reply(200, {"status": "submitted", "message": said})
        status = 403 if work.refused == "role" else 409
        return Reply(status, {"status": "refused", "message": said or tq.SUDAH_DIPROSES})

    return await once(core, origin, request_id, write)
