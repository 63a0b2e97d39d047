"""Steps 8–9: recommendations reach the units, each unit records its follow-ups, the
period closes when every recommendation has one. General recommendations are followed up
by the Sekretariat (the unit of the coordinator)."""

from __future__ import annotations

from bot import texts
from bot import texts_agency as ta
from bot.callbacks import Cb, encode
from bot.model import SEKRETARIAT, Role
from bot.services import reporting
from bot.services.core import Caller, Core, Origin, Outcome, Work, caller
from bot.services.dialogue import route
from bot.services.flow import move_step, refuse_role, stale, too_long
from bot.workflow import Grant, PeriodAction, PeriodState, Step, transition
from storage import entries, org, periods, updates
from storage.entries import Recommendation
from storage.updates import Dialog

FOLLOW_UP = "follow_up"
MAX_FOLLOW_UP = 2000


def owner_unit(rec: Recommendation) -> str:
    """The unit that follows a recommendation up."""
    return rec.unit_code or SEKRETARIAT


def may_follow_up(who: Caller, unit_code: str) -> bool:
    """Operators and the head of the unit record its follow-ups."""
    if who.holds(Role.OPERATOR, unit_code) or who.holds(Role.KABID, unit_code):
        return True
    return unit_code == SEKRETARIAT and who.holds(Role.SEKRETARIS)


async def distribute(core: Core, work: Work, period_id: int) -> None:
    """Send each unit its recommendations and the group the final report; open step 9."""
    period = await periods.period(work.conn, period_id)
    assert period is not None
    recs = await entries.recommendations(work.conn, period.id)
    names = {u.code: u.name for u in await org.units(work.conn)}
    by_unit: dict[str, list[str]] = {}
    for rec in recs:
        by_unit.setdefault(owner_unit(rec), []).append(rec.text)
    for unit_code, items in by_unit.items():
        text = ta.unit_recommendations(period.label, names.get(unit_code, unit_code), items)
        await work.notify(Grant(Role.OPERATOR, unit_code), text)
        head = Grant(Role.KABID, unit_code) if unit_code != SEKRETARIAT else None
        if head:
            await work.notify(head, text)
        await move_step(work, period.id, unit_code, None, Step.FOLLOW_UP, None, "")
    data = await reporting.report_data(core, work.conn, period)
    await work.post_group_document(
        reporting.filename(data), reporting.workbook(data), ta.final_caption(period.label)
    )
    await work.post_group_photo(reporting.chart(data), ta.chart_caption(period.label))
    await work.post_group(
        ta.group_final(period.label, [(names.get(r.unit_code or "", "Umum"), r.text) for r in recs])
    )
    await work.reply(ta.distributed(len(by_unit)))
    await _maybe_close(work, period.id)


async def menu(core: Core, origin: Origin) -> Outcome:
    """/tindak_lanjut: the open recommendations of the person's units."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome()
        units = set(who.actor.units_as(Role.OPERATOR)) | set(who.actor.units_as(Role.KABID))
        if who.holds(Role.SEKRETARIS):
            units.add(SEKRETARIAT)
        if not units:
            await work.reply(ta.NOT_FOLLOW_UP_ROLE)
            return Outcome()
        open_recs = await _open_for(work, units)
        if not open_recs:
            await work.reply(ta.NO_FOLLOW_UPS)
            return Outcome()
        labels = {p.id: p.label for p in await periods.periods(work.conn)}
        items = [(str(n), labels.get(r.period_id, ""), r.text) for n, r in enumerate(open_recs, 1)]
        buttons = [
            [(f"Catat tindak lanjut no. {n}", encode(Cb.FOLLOW_UP, r.id))]
            for n, r in enumerate(open_recs, 1)
        ]
        await work.reply(ta.follow_up_list(items), buttons)
    return Outcome()


async def _open_for(work: Work, units: set[str]) -> list[Recommendation]:
    """Open recommendations of distributed periods (earlier ones carried over) for units."""
    distributed = {
        p.id
        for p in await periods.periods(work.conn)
        if p.state in (PeriodState.FOLLOW_UP, PeriodState.CLOSED)
    }
    return [
        r
        for r in await entries.recommendations(work.conn, open_only=True)
        if r.period_id in distributed and owner_unit(r) in units
    ]


async def pick(core: Core, origin: Origin, rec_id: int) -> Outcome:
    """A recommendation chosen: the next text is its follow-up."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome(texts.NOT_REGISTERED, alert=True)
        rec = await entries.recommendation(work.conn, rec_id)
        if rec is None:
            return Outcome(texts.BUTTON_INVALID)
        if not may_follow_up(who, owner_unit(rec)):
            await refuse_role(work)
            return Outcome(texts.BUTTON_NOT_YOURS)
        if not await _distributed(work, rec):
            await work.reply(ta.REC_NOT_DISTRIBUTED)
            return Outcome(ta.REC_NOT_DISTRIBUTED)
        if rec.follow_up is not None:
            await stale(work)
            return Outcome(texts.ALREADY_DONE)
        await updates.set_dialog(
            work.conn, origin.telegram_id, Dialog(FOLLOW_UP, {"rec": rec.id}), work.now
        )
        await work.reply(texts.fill(ta.ASK_FOLLOW_UP, text=rec.text), force_reply=True)
    return Outcome()


@route(FOLLOW_UP)
async def _follow_up(core: Core, work: Work, who: Caller, dialog: Dialog, text: str) -> None:
    assert work.origin is not None
    if await too_long(work, text, MAX_FOLLOW_UP, force_reply=True):
        return
    await updates.clear_dialog(work.conn, work.origin.telegram_id)
    rec = await entries.recommendation(work.conn, int(dialog.data["rec"]))
    if rec is None or not may_follow_up(who, owner_unit(rec)):
        await refuse_role(work)
        return
    if rec.follow_up is not None:
        await stale(work)
        return
    if not await _distributed(work, rec):
        await work.reply(ta.REC_NOT_DISTRIBUTED)
        return
    if not text:
        await work.reply(texts.fill(ta.ASK_FOLLOW_UP, text=rec.text), force_reply=True)
        return
    await entries.add_follow_up(work.conn, rec.id, text, who.person.id, work.now)
    await work.audit("follow_up_recorded", "recommendation", rec.id, {}, who.person.id)
    unit = owner_unit(rec)
    left = [r for r in await _open_for(work, {unit})]
    if not [r for r in left if r.period_id == rec.period_id]:
        await move_step(
            work,
            rec.period_id,
            unit,
            Step.FOLLOW_UP,
            None,
            who,
            "selesai",
            Role.OPERATOR if who.holds(Role.OPERATOR, unit) else Role.KABID,
        )
    await work.reply(ta.follow_up_saved(len(left)))
    await _maybe_close(work, rec.period_id)


async def _distributed(work: Work, rec: Recommendation) -> bool:
    """A recommendation is followed up only once the kasubag_kpep has distributed it (step 8);
    before that the kadin may still change the report, and the unit has not received it."""
    period = await periods.period(work.conn, rec.period_id)
    return period is not None and period.state in (PeriodState.FOLLOW_UP, PeriodState.CLOSED)


async def _maybe_close(work: Work, period_id: int) -> None:
    """All recommendations of the period followed up: close it."""
    period = await periods.period(work.conn, period_id)
    if period is None or period.state is not PeriodState.FOLLOW_UP:
        return
    if await entries.recommendations(work.conn, period.id, open_only=True):
        return
    new_state = transition(period.state, PeriodAction.ALL_FOLLOWED_UP, None)
    if not await periods.set_period_state(work.conn, period, new_state, work.now):
        return
    await work.audit("period_closed", "period", period.id)
    await work.post_group(ta.group_closed(period.label))
    await work.notify(Grant(Role.KASUBAG_KPEP), ta.period_closed(period.label))
