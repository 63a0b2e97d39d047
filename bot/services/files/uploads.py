"""Documents sent in chat: a filled template (operator) or a catalogue (kasubag_kpep).

A template upload is checked whole and shown back first ("lama → baru" for values already
entered); nothing is saved until the operator taps Simpan, and then all of it at once.

A document is taken in by :func:`received` (its update confirmed at once) and checked by
:func:`check` afterwards, from the intake queue (``bot.background``): the file is fetched and
read off the event loop, so nobody waits while it is.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

from bot.model import Role
from bot.services.core import Caller, Core, Origin, Outcome, caller
from bot.services.files import upload_explain
from bot.services.files.catalog import store_catalog
from bot.services.files.previews import UPLOAD
from bot.services.files.templates import template_context
from bot.services.quarter import attention, evidence, followup_common, forms
from bot.services.quarter.editable import editable_report
from bot.services.quarter.flow import refuse_role, stale
from bot.services.quarter.questions import goto
from bot.services.work import Work
from bot.texts import checks as tc
from bot.texts import common as texts
from bot.texts import quarter as tq
from bot.texts import upload as tu
from storage import entries, intake, org, periods, updates
from storage.updates import Dialog

if TYPE_CHECKING:
    from exports.catalog_rows import CatalogImport
    from exports.upload import Refusal, UploadResult

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# From this size on, reading a file takes seconds: its sender is told it is being checked.
ACKNOWLEDGED_FROM_BYTES = 1024 * 1024
# A check whose data changed under it is computed again this often before it is answered
# with the write lock held (the form changed each time it was read: very unlikely).
MAX_RACES = 2

Fetch = Callable[[str], Awaitable[bytes]]  # a Telegram file id -> its bytes


def is_spreadsheet_name(file_name: str) -> bool:
    """Only .xlsx files are read at all."""
    return file_name.lower().endswith(".xlsx")


async def received(
    core: Core, origin: Origin, file_name: str, file_id: str, size: int, mime_type: str = ""
) -> Outcome:
    """A document arrived: evidence of a follow-up while one is being recorded; else refused
    at once by its name, its size or the sender's role, or queued for its check
    (:func:`check`), which runs after this update is confirmed, so that nobody waits while
    the file is fetched and read."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome()
        dialog = await updates.dialog(work.conn, origin.telegram_id)
        incoming = evidence.Incoming(file_id, file_name, size, mime_type)
        if evidence.awaits_evidence(dialog, work.now, incoming):
            assert dialog is not None
            await evidence.take(work, who, dialog, incoming)
            return Outcome()
        # The name first: any other file would otherwise be called too large.
        if not is_spreadsheet_name(file_name):
            await work.reply(tu.NOT_XLSX)
            return Outcome()
        if size > MAX_UPLOAD_BYTES:
            await work.reply(tu.TOO_LARGE)
            return Outcome()
        if not who.holds(Role.KASUBAG_KPEP) and not who.actor.units_as(Role.OPERATOR):
            await work.reply(tu.NOT_EXPECTED)
            return Outcome()
        await intake.add(
            work.conn,
            telegram_id=origin.telegram_id,
            chat_id=origin.chat_id,
            full_name=origin.full_name,
            file_id=file_id,
            file_name=file_name,
            size=size,
            now=work.now,
        )
        work.background += 1
        if size >= ACKNOWLEDGED_FROM_BYTES:
            await work.reply(tu.checking(file_name))
    return Outcome()


@dataclass(frozen=True)
class Intent:
    """What a document will be checked as, read before the check and again after it: the
    answer is written only if nothing it depends on changed meanwhile."""

    refusal: str = ""  # answered with this, nothing read
    catalog_year: int | None = None  # a catalogue, for this year
    known_units: tuple[str, ...] = ()
    report: periods.UnitReport | None = None  # a template, for this unit report
    context: Any = None  # the template's context the file is checked against


async def check(core: Core, received: intake.Received, fetch: Fetch) -> None:
    """Fetch and read a queued document off the event loop, then answer in one short
    transaction (which also takes it off the queue, so a crash only repeats the check).

    A passing failure to fetch propagates: the caller tries again later.
    """
    origin = origin_of(received)
    data = await fetch(received.file_id)
    from exports.intake import inspect

    refusal, is_catalog = (
        (None, False)
        if len(data) > MAX_UPLOAD_BYTES
        else await core.offload.run(inspect, data, received.file_name)
    )
    if refusal is not None or len(data) > MAX_UPLOAD_BYTES:
        # Refused before anything looks inside (a zip bomb is not even parsed).
        async with core.work(origin) as work:
            await _answer(work, received, data, refusal, Intent(), None)
        return
    for race in range(MAX_RACES + 1):
        async with core.db.reading() as conn:
            seen = Work(conn, core.now(), origin, core.config)
            intent = await _intent(seen, origin, is_catalog)
        held = race == MAX_RACES
        if held:
            # Read and checked under the write lock: nothing can change in between.
            async with core.work(origin) as work:
                intent = await _intent(work, origin, is_catalog)
                result = await _read(core, intent, data, received.file_name)
                await _answer(work, received, data, refusal, intent, result)
            return
        result = await _read(core, intent, data, received.file_name)
        async with core.work(origin) as work:
            if await _intent(work, origin, is_catalog) == intent:
                await _answer(work, received, data, refusal, intent, result)
                return
            work.refused = "changed while checked"


def origin_of(received: intake.Received) -> Origin:
    """The document's sender, for the transaction that answers (its update is long done)."""
    return Origin(
        telegram_id=received.telegram_id,
        chat_id=received.chat_id,
        update_id=None,
        full_name=received.full_name,
        chat_type="private" if received.chat_id == received.telegram_id else "group",
    )


async def _intent(work: Work, origin: Origin, is_catalog: bool) -> Intent:
    """Read only: what the document is checked as (see :class:`Intent`)."""
    person = await org.person_by_telegram(work.conn, origin.telegram_id)
    if person is None:
        return Intent(refusal=texts.NOT_REGISTERED)
    who = Caller(person, await org.actor(work.conn, person, work.now))
    if who.holds(Role.KASUBAG_KPEP) and is_catalog:
        return Intent(
            catalog_year=work.now.astimezone(work.config.calendar.tz).year,  # the office's
            known_units=tuple(u.code for u in await org.units(work.conn)),
        )
    if not who.actor.units_as(Role.OPERATOR):
        return Intent(refusal=tu.NOT_EXPECTED)
    report, why = await editable_report(work, who)
    if report is None:
        return Intent(refusal=why)
    form = await forms.load(work, report)
    return Intent(report=report, context=await template_context(work, form))


async def _read(core: Core, intent: Intent, data: bytes, file_name: str) -> Any:
    """The CPU part, in a worker: the catalogue or template read (None if nothing to read)."""
    if intent.catalog_year is not None:
        from exports.catalog import read_catalog

        return await core.offload.run(
            read_catalog, data, year=intent.catalog_year, known_units=intent.known_units
        )
    if intent.context is not None:
        from exports.upload import parse_upload

        return await core.offload.run(parse_upload, data, filename=file_name, ctx=intent.context)
    return None


async def _answer(
    work: Work,
    received: intake.Received,
    data: bytes,
    refusal: Refusal | None,
    intent: Intent,
    result: Any,
) -> None:
    """Inside the answering transaction: take the document off the queue, then answer."""
    if not await intake.done(work.conn, received.id):
        work.refused = "checked before"
        return  # answered already (the check ran twice around a crash)
    who = await caller(work)
    if who is None:
        return
    if len(data) > MAX_UPLOAD_BYTES:
        await work.reply(tu.TOO_LARGE)
    elif refusal is not None:
        # Decided before anything looked inside: a zip bomb is not inflated even to be told
        # apart as a catalogue or a template.
        await work.reply(tu.refused(refusal.name))
    elif intent.refusal:
        work.refused = "not expected"
        await work.reply(intent.refusal)
    elif intent.catalog_year is not None:
        await _catalog(work, who, result)
    else:
        assert intent.report is not None
        await _template(work, intent.report, received.file_name, result)


async def _catalog(work: Work, who: Caller, result: CatalogImport) -> None:
    if result.catalog is None:
        await work.reply(
            texts.catalog_problems(
                [(p.sheet, p.row, p.column, p.value, p.reason) for p in result.problems]
            )
        )
        return
    report = await store_catalog(work, result.catalog, who.person.id)
    await work.reply(report.summary)


async def _template(
    work: Work, report: periods.UnitReport, file_name: str, result: UploadResult
) -> None:
    form = await forms.load(work, report)
    if result.refusal is not None:
        await work.reply(tu.refused(result.refusal.name))
        return
    by_code = {s.indicator.code: s for s in form.indicators}
    subs = {s.activity.code: s for s in form.subs}
    lines = []
    for value in result.values:
        stored = by_code[value.indicator_code]
        old = form.current.get(stored.id)
        lines.append(
            tu.value_line(
                form.chat_name(stored),
                old.value if old else None,
                value.value,
                stored.indicator.satuan,
            )
        )
    for budget in result.budgets:
        sub = subs[budget.sub_code]
        old = form.budgets.get(sub.id)
        lines.append(tu.budget_line(form.sub_name(sub), old.value if old else None, budget.value))
    problems = [(p.sheet, p.row, p.column, p.value, p.reason) for p in result.problems]
    # The soft checks of chat entry, on every value read: numbered where the file gave no
    # explanation, so that the operator can type one before Simpan (upload_explain).
    asked = [n for n, v in enumerate(result.values) if v.soft and not v.explanation]
    numbers = {row: number for number, row in enumerate(asked, 1)}
    soft = [
        tu.soft_line(
            numbers.get(n),
            form.chat_name(by_code[v.indicator_code]),
            v.value,
            by_code[v.indicator_code].indicator.satuan,
            [tc.soft_reason(flag) for flag in v.soft],
            v.explanation,
        )
        for n, v in enumerate(result.values)
        if v.soft
    ]
    mismatches = attention.upload_mismatches(
        form,
        {v.indicator_code: v.value for v in result.values},
        {b.sub_code: b.value for b in result.budgets},
    )
    preview = partial(tu.preview, file_name, lines, problems, soft=soft, mismatches=mismatches)
    if not result.ok:
        await work.reply(preview(can_save=False))
        return
    token = secrets.token_hex(4)
    pending = {
        "report": report.id,
        "version": report.version,
        "token": token,
        "values": [
            [v.indicator_code, str(v.value), v.explanation, ",".join(s.value for s in v.soft)]
            for v in result.values
        ],
        "budgets": [[b.sub_code, str(b.value)] for b in result.budgets],
        "notes": dict(result.notes),
        "follow_ups": {str(rec_id): text for rec_id, text in result.follow_ups.items()},
        "asked": asked,
    }
    assert work.origin is not None
    await updates.set_dialog(work.conn, work.origin.telegram_id, Dialog(UPLOAD, pending), work.now)
    await work.reply(
        preview(can_save=True, asking=len(asked)),
        upload_explain.save_buttons(pending),
        tag=f"upload:{token}",
    )


async def save(core: Core, origin: Origin, report_id: int, version: int, token: str) -> Outcome:
    """Simpan: every value of the checked upload, all at once."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome(texts.NOT_REGISTERED, alert=True)
        dialog = await updates.dialog(work.conn, origin.telegram_id)
        if dialog is None or dialog.name != UPLOAD or dialog.data.get("token") != token:
            await stale(work)
            return Outcome(tq.SUDAH_DIPROSES)
        report = await periods.unit_report(work.conn, report_id)
        if report is None or not who.holds(Role.OPERATOR, report.unit_code):
            await refuse_role(work)
            return Outcome(texts.BUTTON_NOT_YOURS)
        if report.version != version or report.id != dialog.data.get("report"):
            await stale(work)
            return Outcome(tq.SUDAH_DIPROSES)
        form = await forms.load(work, report)
        by_code = {s.indicator.code: s for s in form.indicators}
        subs = {s.activity.code: s for s in form.subs}
        missing = await upload_explain.unexplained(work, dialog)
        if missing:
            # A soft-flagged value is saved only with its explanation, as in chat.
            rows = dialog.data["values"]
            names = [
                (n, form.chat_name(by_code[rows[dialog.data["asked"][n - 1]][0]])) for n in missing
            ]
            await work.reply(tu.explain_first(names))
            return Outcome(tu.EXPLAIN_FIRST_SHORT)
        for code, value, explanation, soft in dialog.data["values"]:
            await entries.save_realisation(
                work.conn,
                report.period_id,
                by_code[code].id,
                Decimal(value),
                explanation,
                soft,
                who.person.id,
                work.now,
                "upload",
            )
        for code, value in dialog.data["budgets"]:
            await entries.save_budget(
                work.conn,
                report.period_id,
                subs[code].id,
                Decimal(value),
                who.person.id,
                work.now,
                "upload",
            )
        for field, text in dialog.data["notes"].items():
            await entries.save_note(
                work.conn, report.period_id, report.unit_code, field, text, who.person.id, work.now
            )
        await _save_follow_ups(work, who, form, dialog.data.get("follow_ups") or {})
        await updates.clear_dialog(work.conn, origin.telegram_id)
        await work.audit(
            "upload_saved",
            "unit_report",
            report.id,
            {"values": len(dialog.data["values"]), "budgets": len(dialog.data["budgets"])},
            who.person.id,
        )
        await work.clear_buttons(f"upload:{token}", tu.SAVED_NOTE)
        form = await forms.load(work, report)
        await goto(work, form, len(form.questions))
    return Outcome(tu.SAVED_NOTE)


async def _save_follow_ups(
    work: Work, who: Caller, form: forms.UnitForm, answers: dict[str, str]
) -> None:
    """The carried recommendations answered in the template; one the table refuses (a
    selesai set back to direncanakan, say) is left as it was."""
    for rec_id, answer in answers.items():
        if int(rec_id) in form.carried:
            await followup_common.answer_carried(
                work, who, form.carried[int(rec_id)], form.unit.code, answer
            )


async def discard(core: Core, origin: Origin, report_id: int) -> Outcome:
    """Batalkan: forget the checked upload; nothing was saved."""
    async with core.work(origin) as work:
        if await caller(work) is None:
            return Outcome(texts.NOT_REGISTERED, alert=True)
        dialog = await updates.dialog(work.conn, origin.telegram_id)
        # The button names its upload's report: an older preview's Batalkan must not drop
        # the upload now waiting.
        if dialog is None or dialog.name != UPLOAD or dialog.data.get("report") != report_id:
            await stale(work)
            return Outcome(tq.SUDAH_DIPROSES)
        await updates.clear_dialog(work.conn, origin.telegram_id)
        await work.clear_buttons(f"upload:{dialog.data.get('token')}", tu.DISCARDED)
        await work.reply(tu.DISCARDED)
    return Outcome()
