"""Steps 8–9: recommendations reach the units, each unit records its follow-ups, the
period closes when every unit has followed up every recommendation it received.

A unit-specific recommendation reaches its unit; a general one reaches every unit reporting
in the period, and each of them follows it up (SOP step 8: the head's recommendations go to
the bidang; step 9 is each bidang's).
"""

from __future__ import annotations

from bot.callbacks import Cb, encode
from bot.model import SEKRETARIAT, Role
from bot.services.core import Button, Caller, Core, Origin, Outcome, Work, caller
from bot.services.dialogue import route
from bot.services.files import recipes
from bot.services.quarter.flow import move_step, refuse_role, stale, too_long
from bot.texts import agency as ta
from bot.texts import common as texts
from bot.texts import fit as tf
from bot.texts import quarter as tq
from bot.workflow import Grant, PeriodAction, PeriodState, Step, transition, unit_head
from storage import entries, org, periods, updates
from storage.entries import Recommendation
from storage.updates import Dialog

FOLLOW_UP = "follow_up"
MAX_FOLLOW_UP = 2000


def may_follow_up(who: Caller, unit_code: str) -> bool:
    """Operators and the head of the unit record its follow-ups."""
    if who.holds(Role.OPERATOR, unit_code) or who.holds(Role.KABID, unit_code):
        return True
    return unit_code == SEKRETARIAT and who.holds(Role.SEKRETARIS)


def follow_up_units(who: Caller) -> set[str]:
    """The units whose follow-ups the person records."""
    units = set(who.actor.units_as(Role.OPERATOR)) | set(who.actor.units_as(Role.KABID))
    if who.holds(Role.SEKRETARIS):
        units.add(SEKRETARIAT)
    return units


async def _tell_unit(work: Work, unit_code: str, text: str) -> None:
    """The unit's operators and its head, each once (a person may hold both roles)."""
    seen: set[int] = set()
    for grant in (Grant(Role.OPERATOR, unit_code), unit_head(unit_code)):
        for member in await org.holders(work.conn, grant, work.now):
            if member.person.telegram_id not in seen:
                seen.add(member.person.telegram_id)
                await work.say(member.person.telegram_id, text)


async def distribute(core: Core, work: Work, period_id: int) -> None:
    """Send each unit its recommendations and the group the final report; open step 9."""
    period = await periods.period(work.conn, period_id)
    assert period is not None
    recs = await entries.recommendations(work.conn, period.id)
    names = {u.code: u.name for u in await org.units(work.conn)}
    reached = 0
    for report in await periods.unit_reports(work.conn, period.id):
        unit_code = report.unit_code
        items = [(r.unit_code is None, r.text) for r in recs if unit_code in r.units]
        if not items:
            continue
        reached += 1
        text = ta.unit_recommendations(period.label, names.get(unit_code, unit_code), items)
        await _tell_unit(work, unit_code, text)
        await move_step(work, period.id, unit_code, None, Step.FOLLOW_UP, None, "")
    await work.post_group_built(
        "sendDocument", recipes.report(period.id, draft=False), ta.final_caption(period.label)
    )
    await work.post_group_built(
        "sendPhoto", recipes.chart(period.id), ta.chart_caption(period.label)
    )
    await work.post_group(
        ta.group_final(period.label, [(names.get(r.unit_code or "", "Umum"), r.text) for r in recs])
    )
    await work.reply(ta.distributed(reached))
    await _maybe_close(work, period.id)


async def menu(core: Core, origin: Origin) -> Outcome:
    """/tindak_lanjut: the recommendations the person's units have still to follow up."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome()
        units = follow_up_units(who)
        if not units:
            await work.reply(ta.NOT_FOLLOW_UP_ROLE)
            return Outcome()
        pending = await _open_for(work, units)
        if not pending:
            await work.reply(ta.NO_FOLLOW_UPS)
            return Outcome()
        labels = {p.id: p.label for p in await periods.periods(work.conn)}
        names = {u.code: u.name for u in await org.units(work.conn)}
        several = len({unit for _, unit in pending}) > 1
        items = []
        buttons: list[list[Button]] = []
        for n, (rec, unit) in enumerate(pending, 1):
            where = labels.get(rec.period_id, "")
            if several:  # someone following up for two units says for which one
                where += f" · {names.get(unit, unit)}"
            items.append((str(n), where, tf.short(rec.text, 300)))
            buttons.append(
                [(tq.BTN_FOLLOW_UP.format(n=n), encode(Cb.FOLLOW_UP_UNIT, rec.id, unit))]
            )
        await work.reply(ta.follow_up_list(items), buttons)
    return Outcome()


async def _open_for(work: Work, units: set[str]) -> list[tuple[Recommendation, str]]:
    """(recommendation, unit) pairs still to follow up, of distributed periods (earlier ones
    carried over), for the given units."""
    distributed = {
        p.id
        for p in await periods.periods(work.conn)
        if p.state in (PeriodState.FOLLOW_UP, PeriodState.CLOSED)
    }
    return [
        (r, unit)
        for r in await entries.recommendations(work.conn, open_only=True)
        if r.period_id in distributed
        for unit in r.open_units
        if unit in units
    ]


async def pick(core: Core, origin: Origin, rec_id: int, unit_code: str | None = None) -> Outcome:
    """A recommendation chosen (for one of the person's units): the next text is its
    follow-up. Without a unit (a button of an earlier version), the person's one open unit."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome(texts.NOT_REGISTERED, alert=True)
        rec = await entries.recommendation(work.conn, rec_id)
        if rec is None:
            return Outcome(texts.BUTTON_INVALID)
        mine = [u for u in rec.units if may_follow_up(who, u)]
        if unit_code is None:
            open_mine = [u for u in rec.open_units if u in mine]
            unit_code = open_mine[0] if open_mine else (mine[0] if mine else None)
        if unit_code is None or unit_code not in mine:
            if unit_code is not None and unit_code not in rec.units:
                return Outcome(texts.BUTTON_INVALID)
            await refuse_role(work)
            return Outcome(texts.BUTTON_NOT_YOURS)
        if not await _distributed(work, rec):
            await work.reply(ta.REC_NOT_DISTRIBUTED)
            return Outcome(ta.REC_NOT_DISTRIBUTED)
        if rec.follow_up_of(unit_code) is not None:
            await stale(work)
            return Outcome(texts.ALREADY_DONE)
        await updates.set_dialog(
            work.conn,
            origin.telegram_id,
            Dialog(FOLLOW_UP, {"rec": rec.id, "unit": unit_code}),
            work.now,
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
    # A dialog begun before follow-ups were per unit carries no unit: the one it was for
    # then was the recommendation's own, or the Sekretariat's for a general one.
    unit = str(dialog.data.get("unit") or (rec.unit_code if rec else None) or SEKRETARIAT)
    if rec is None or unit not in rec.units or not may_follow_up(who, unit):
        await refuse_role(work)
        return
    if rec.follow_up_of(unit) is not None:
        await stale(work)
        return
    if not await _distributed(work, rec):
        await work.reply(ta.REC_NOT_DISTRIBUTED)
        return
    if not text:
        await updates.set_dialog(work.conn, work.origin.telegram_id, dialog, work.now)
        await work.reply(texts.fill(ta.ASK_FOLLOW_UP, text=rec.text), force_reply=True)
        return
    await entries.add_follow_up(work.conn, rec.id, unit, text, who.person.id, work.now)
    await work.audit("follow_up_recorded", "recommendation", rec.id, {"unit": unit}, who.person.id)
    left = await _open_for(work, {unit})
    if not [r for r, _ in left if r.period_id == rec.period_id]:
        await move_step(
            work,
            rec.period_id,
            unit,
            Step.FOLLOW_UP,
            None,
            who,
            "selesai",
            Role.OPERATOR if who.holds(Role.OPERATOR, unit) else unit_head(unit).role,
        )
    await work.reply(ta.follow_up_saved(len(left)))
    await _maybe_close(work, rec.period_id)


async def _distributed(work: Work, rec: Recommendation) -> bool:
    """A recommendation is followed up only once the kasubag_kpep has distributed it (step 8);
    before that the kadin may still change the report, and the unit has not received it."""
    period = await periods.period(work.conn, rec.period_id)
    return period is not None and period.state in (PeriodState.FOLLOW_UP, PeriodState.CLOSED)


async def _maybe_close(work: Work, period_id: int) -> None:
    """Every unit has followed up every recommendation it received: close the period."""
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


async def status_lines(work: Work, period: periods.Period) -> list[str]:
    """For /status: per recommendation of a distributed period, which units followed it up."""
    if period.state not in (PeriodState.FOLLOW_UP, PeriodState.CLOSED):
        return []
    recs = await entries.recommendations(work.conn, period.id)
    if not recs:
        return []
    names = {u.code: u.name for u in await org.units(work.conn)}
    return tf.follow_up_status(
        [
            (
                names.get(r.unit_code, r.unit_code) if r.unit_code else "Umum",
                r.text,
                [names.get(f.unit_code, f.unit_code) for f in r.follow_ups],
                [names.get(u, u) for u in r.open_units],
            )
            for r in recs
        ]
    )
