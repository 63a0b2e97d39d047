"""Documents sent in chat: a filled template (operator) or a catalogue (kasubag_kpep).

A template upload is checked whole and shown back first ("lama → baru" for values already
entered); nothing is saved until the operator taps Simpan, and then all of it at once.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from bot import texts
from bot import texts_quarter as tq
from bot import texts_upload as tu
from bot.model import Role
from bot.services import forms, upload_explain
from bot.services.catalog import store_catalog
from bot.services.core import Caller, Core, Origin, Outcome, Work, caller
from bot.services.entry import editable_report
from bot.services.flow import refuse_role, stale
from bot.services.previews import UPLOAD
from bot.services.questions import goto
from bot.services.templates import template_context
from storage import entries, org, periods, updates
from storage.updates import Dialog

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def is_spreadsheet_name(file_name: str) -> bool:
    """Only .xlsx files are read at all."""
    return file_name.lower().endswith(".xlsx")


async def received(
    core: Core, origin: Origin, file_name: str, data: bytes | None, size: int
) -> Outcome:
    """A document arrived (``data`` is None when it was too large to fetch)."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome()
        # The name first: the handler fetches only .xlsx files, so any other file arrives
        # without data and would otherwise be called too large.
        if not is_spreadsheet_name(file_name):
            await work.reply(tu.NOT_XLSX)
            return Outcome()
        if data is None or size > MAX_UPLOAD_BYTES:
            await work.reply(tu.TOO_LARGE)
            return Outcome()
        from exports.upload import container_refusal

        # Before anything looks inside: a zip bomb must not be inflated even to be told
        # apart as a catalogue or a template.
        refusal = container_refusal(data, file_name)
        if refusal is not None:
            await work.reply(tu.refused(refusal.name))
            return Outcome()
        if who.holds(Role.KASUBAG_KPEP) and _looks_like_catalog(data):
            await _catalog(work, who, data)
            return Outcome()
        if who.actor.units_as(Role.OPERATOR):
            await _template(work, who, file_name, data)
            return Outcome()
        await work.reply(tu.NOT_EXPECTED)
    return Outcome()


def _looks_like_catalog(data: bytes) -> bool:
    from io import BytesIO
    from zipfile import BadZipFile, ZipFile

    try:
        with ZipFile(BytesIO(data)) as archive:
            workbook = archive.read("xl/workbook.xml")
    except (BadZipFile, KeyError, OSError):
        return False
    return b'name="Katalog"' in workbook


async def _catalog(work: Work, who: Caller, data: bytes) -> None:
    from exports.catalog import read_catalog

    known = [u.code for u in await org.units(work.conn)]
    year = work.now.astimezone(work.config.calendar.tz).year  # the office's year, not UTC's
    result = read_catalog(data, year=year, known_units=known)
    if result.catalog is None:
        await work.reply(
            texts.catalog_problems(
                [(p.sheet, p.row, p.column, p.value, p.reason) for p in result.problems]
            )
        )
        return
    report = await store_catalog(work, result.catalog, who.person.id)
    await work.reply(report.summary)


async def _template(work: Work, who: Caller, file_name: str, data: bytes) -> None:
    from exports.upload import parse_upload

    report, why = await editable_report(work, who)
    if report is None:
        await work.reply(why)
        return
    form = await forms.load(work, report)
    result = parse_upload(data, filename=file_name, ctx=await template_context(work, form))
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
                stored.indicator.name,
                old.value if old else None,
                value.value,
                stored.indicator.satuan,
            )
        )
    for budget in result.budgets:
        sub = subs[budget.sub_code]
        old = form.budgets.get(sub.id)
        lines.append(tu.budget_line(sub.activity.name, old.value if old else None, budget.value))
    problems = [(p.sheet, p.row, p.column, p.value, p.reason) for p in result.problems]
    # The soft checks of chat entry, on every value read: numbered where the file gave no
    # explanation, so that the operator can type one before Simpan (upload_explain).
    asked = [n for n, v in enumerate(result.values) if v.soft and not v.explanation]
    numbers = {row: number for number, row in enumerate(asked, 1)}
    soft = [
        tu.soft_line(
            numbers.get(n),
            by_code[v.indicator_code].indicator.name,
            v.value,
            by_code[v.indicator_code].indicator.satuan,
            [tq.soft_reason(flag) for flag in v.soft],
            v.explanation,
        )
        for n, v in enumerate(result.values)
        if v.soft
    ]
    if not result.ok:
        await work.reply(tu.preview(file_name, lines, problems, can_save=False, soft=soft))
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
        "asked": asked,
    }
    assert work.origin is not None
    await updates.set_dialog(work.conn, work.origin.telegram_id, Dialog(UPLOAD, pending), work.now)
    await work.reply(
        tu.preview(file_name, lines, problems, can_save=True, soft=soft, asking=len(asked)),
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
                (n, by_code[rows[dialog.data["asked"][n - 1]][0]].indicator.name) for n in missing
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
