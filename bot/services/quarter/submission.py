"""The end of step 2: the operator sends the unit's report to its approver (chat and the Mini
App alike)."""

from __future__ import annotations

from bot.model import Role
from bot.services.core import Caller, Core, Origin, Outcome, caller
from bot.services.files.previews import forget_previews
from bot.services.quarter import review
from bot.services.quarter.editable import form_in_dialog
from bot.services.quarter.flow import move_step, refuse_role, stale
from bot.services.work import Work
from bot.texts import common as texts
from bot.texts import entry as te
from bot.texts import quarter as tq
from bot.workflow import Grant, Refused, Step, UnitAction, approver_for, transition_unit
from storage import org, periods, updates


async def submit(core: Core, origin: Origin, report_id: int, version: int) -> Outcome:
    """ "Kirim ke Kepala Bidang" (the Sekretaris for the Sekretariat): the report goes up."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome(texts.NOT_REGISTERED, alert=True)
        return await send_up(work, who, report_id, version)


async def send_up(work: Work, who: Caller, report_id: int, version: int) -> Outcome:
    """Submit the report at ``version`` inside an open use case (chat's button and the
    Mini App both come here); what went wrong is said with ``work.reply``."""
    assert work.origin is not None
    report = await periods.unit_report(work.conn, report_id)
    if report is None or report.version != version:
        await stale(work)
        return Outcome(tq.SUDAH_DIPROSES)
    form = await form_in_dialog(work, who, report_id)
    if form is None:
        return Outcome(tq.SUDAH_DIPROSES)
    missing = form.missing_required()
    if missing:
        await work.reply(
            texts.fill(te.ENTRY_NEED_ALL, missing="no. " + ", ".join(str(n) for n in missing[:20]))
        )
        return Outcome()
    approver = approver_for(report.unit_code, who.actor)
    try:
        new_state = transition_unit(report.state, UnitAction.SUBMIT, who.actor, report.unit_code)
    except Refused:
        await refuse_role(work)
        return Outcome(texts.BUTTON_NOT_YOURS)
    if not await periods.set_unit_state(
        work.conn, report, new_state, work.now, submitted_by=who.person.id, approver=approver
    ):
        await stale(work)
        return Outcome(tq.SUDAH_DIPROSES)
    await move_step(
        work,
        report.period_id,
        report.unit_code,
        Step.ENTER,
        Step.UNIT_CHECK,
        who,
        "dikirim",
        Role.OPERATOR,
    )
    await work.audit(
        "unit_submitted",
        "unit_report",
        report.id,
        {"approver": approver.role.value},
        who.person.id,
    )
    from bot.texts import upload as texts_upload

    # A file checked but not saved is not part of what was sent: its Simpan goes.
    await forget_previews(work, report.id, texts_upload.NOT_SAVED_SENT)
    await updates.clear_dialog(work.conn, work.origin.telegram_id)
    fresh = await periods.unit_report(work.conn, report.id)
    assert fresh is not None
    await review.send_review_request(work, form, fresh, who, approver)
    # The sentence names the report's unit already; its approver is named by title alone
    # ("dikirim ke Kepala Bidang", not "... ke Kepala Bidang (Bidang Pelatihan)").
    title = texts.role_title(approver.role)
    await work.reply(te.submitted(form.unit.name, title))
    # The unit's other operators learn it too: their /isi would find the form locked.
    told = {who.person.telegram_id}
    for member in await org.holders(work.conn, Grant(Role.OPERATOR, report.unit_code), work.now):
        if member.person.telegram_id not in told:
            told.add(member.person.telegram_id)
            await work.say(
                member.person.telegram_id,
                te.submitted_by(form.unit.name, who.person.full_name, title),
            )
    return Outcome()
