"""Steps 8–9: recommendations reach the units, each unit records its follow-up as a status
(direncanakan / dalam proses / selesai) with a text; the period closes once every unit has
recorded at least direncanakan for every recommendation it received, and a recommendation
stays open for its unit until that unit marks it selesai.

A unit-specific recommendation reaches its unit; a general one reaches every unit reporting
in the period, and each of them follows it up (SOP step 8: the head's recommendations go to
the bidang; step 9 is each bidang's). Evidence: ``bot.services.quarter.evidence``; the
coordinator's return, the Kepala Dinas's drop and the recap: ``followup_leaders``.
"""

from __future__ import annotations

from datetime import timedelta

from bot.callbacks import Cb, encode
from bot.clock import from_iso, to_iso
from bot.model import SEKRETARIAT, Role
from bot.services.core import Caller, Core, Origin, Outcome, caller
from bot.services.dialogue import route
from bot.services.files import recipes
from bot.services.quarter.flow import move_step, refuse_role, stale, too_long
from bot.services.quarter.followup_common import (
    DISTRIBUTED,
    MAX_FOLLOW_UP,
    default_status,
    due_of,
    long_day,
    maybe_close,
    open_recommendations,
    record,
    tell_unit,
    today,
)
from bot.services.work import Button, Work
from bot.texts import agency as ta
from bot.texts import common as texts
from bot.texts import fit as tf
from bot.texts import followup as tl
from bot.texts import quarter as tq
from bot.workflow import (
    FOLLOW_UP_TABLE,
    STATUS_ACTION,
    FollowUpState,
    Refused,
    Step,
    may_record_follow_up,
    transition_follow_up,
)
from storage import followups, org, periods, updates
from storage.followups import Recommendation
from storage.updates import Dialog

FOLLOW_UP = "follow_up"
EVIDENCE = "evidence"  # after a follow-up: files sent now are its evidence
EVIDENCE_WINDOW = timedelta(hours=12)


def may_follow_up(who: Caller, unit_code: str) -> bool:
    """Operators and the head of the unit record its follow-ups."""
    return may_record_follow_up(who.actor, unit_code)


def follow_up_units(who: Caller) -> set[str]:
    """The units whose follow-ups the person records."""
    units = set(who.actor.units_as(Role.OPERATOR)) | set(who.actor.units_as(Role.KABID))
    if who.holds(Role.SEKRETARIS):
        units.add(SEKRETARIAT)
    return units


async def distribute(core: Core, work: Work, period_id: int) -> int:
    """Send each unit its recommendations and the group the final report; open step 9.
    Returns how many units received recommendations."""
    period = await periods.period(work.conn, period_id)
    assert period is not None
    recs = await followups.recommendations(work.conn, period.id)
    names = {u.code: u.name for u in await org.units(work.conn)}
    reached = 0
    for report in await periods.unit_reports(work.conn, period.id):
        unit_code = report.unit_code
        items = [(r.unit_code is None, r.text) for r in recs if unit_code in r.units]
        if not items:
            continue
        reached += 1
        text = ta.unit_recommendations(period.label, names.get(unit_code, unit_code), items)
        await tell_unit(work, unit_code, text)
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
    await maybe_close(work, period.id)
    return reached


async def menu(core: Core, origin: Origin) -> Outcome:
    """/tindak_lanjut: open recommendations, oldest first, with their due dates: a unit picks
    one to record its status; the Kepala Dinas may close one as not pursued."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome()
        units = follow_up_units(who)
        if units:
            await _unit_menu(work, units)
        elif who.holds(Role.KADIN) or who.holds(Role.KASUBAG_KPEP):
            await _leader_menu(work, who.holds(Role.KADIN))
        else:
            await work.reply(ta.NOT_FOLLOW_UP_ROLE)
    return Outcome()


async def _unit_menu(work: Work, units: set[str]) -> None:
    pending = await open_recommendations(work, units)
    if not pending:
        await work.reply(ta.NO_FOLLOW_UPS)
        return
    labels = {p.id: p.label for p in await periods.periods(work.conn)}
    names = {u.code: u.name for u in await org.units(work.conn)}
    several = len({unit for _, unit in pending}) > 1
    items = []
    buttons: list[list[Button]] = []
    for n, (rec, unit) in enumerate(pending, 1):
        due = await due_of(work, rec)
        # someone following up for two units says for which one
        where = names.get(unit, unit) if several else ""
        items.append(
            (
                str(n),
                labels.get(rec.period_id, ""),
                where,
                rec.text,
                long_day(due),
                due < today(work),
                rec.state_of(unit).value,
            )
        )
        buttons.append([(tq.BTN_FOLLOW_UP.format(n=n), encode(Cb.FOLLOW_UP_UNIT, rec.id, unit))])
    await work.reply(tl.open_list(items) + "\n\n" + tl.unit_open_list_footer(), buttons)


async def _leader_menu(work: Work, head: bool) -> None:
    """Every open recommendation, once each; the Kepala Dinas gets a button to close each."""
    seen: dict[int, Recommendation] = {}
    for rec, _ in await open_recommendations(work):
        seen.setdefault(rec.id, rec)
    if not seen:
        await work.reply(tl.NO_OPEN_RECOMMENDATIONS)
        return
    labels = {p.id: p.label for p in await periods.periods(work.conn)}
    names = {u.code: u.name for u in await org.units(work.conn)}
    items = []
    buttons: list[list[Button]] = []
    for n, rec in enumerate(seen.values(), 1):
        due = await due_of(work, rec)
        target = names.get(rec.unit_code, rec.unit_code) if rec.unit_code else "Umum"
        items.append(
            (
                str(n),
                labels.get(rec.period_id, ""),
                target,
                rec.text,
                long_day(due),
                due < today(work),
                "",
            )
        )
        if head:
            buttons.append([(tl.BTN_DROP.format(n=n), encode(Cb.FOLLOW_UP_DROP, rec.id))])
    text = tl.open_list(items)
    await work.reply(text + "\n\n" + tl.head_open_list_footer() if head else text, buttons)


async def _checked(
    work: Work, who: Caller, rec_id: int, unit_code: str | None
) -> tuple[Recommendation, str] | Outcome:
    """The recommendation and unit a press names, re-checked: it exists, reaches the unit, the
    person records that unit's follow-ups, and it was distributed. Else the refusal."""
    rec = await followups.recommendation(work.conn, rec_id)
    if rec is None:
        work.refused = "forged"
        await work.reply(tl.REC_INVALID)
        return Outcome(texts.BUTTON_INVALID)
    mine = [u for u in rec.units if may_follow_up(who, u)]
    if unit_code is None:  # a button of an earlier version: the person's one open unit
        open_mine = [u for u in rec.open_units if u in mine]
        unit_code = open_mine[0] if open_mine else (mine[0] if mine else None)
    if unit_code is None or unit_code not in mine:
        if unit_code is not None and unit_code not in rec.units:
            work.refused = "forged"
            await work.reply(tl.REC_INVALID)
            return Outcome(texts.BUTTON_INVALID)
        await refuse_role(work)
        return Outcome(texts.BUTTON_NOT_YOURS)
    if not await _distributed(work, rec):
        await work.reply(ta.REC_NOT_DISTRIBUTED)
        return Outcome(ta.REC_NOT_DISTRIBUTED)
    return rec, unit_code


def status_buttons(rec: Recommendation, unit: str) -> list[list[Button]]:
    """The statuses a unit may record now (a done one offers none)."""
    state = rec.state_of(unit)
    row: list[Button] = []
    for status, action in STATUS_ACTION.items():
        if (state, action) in FOLLOW_UP_TABLE:
            data = encode(Cb.FOLLOW_UP_STATUS, rec.id, unit, status.value)
            row.append((tl.BTN_STATUS[status.value], data))
    return [row]


async def pick(core: Core, origin: Origin, rec_id: int, unit_code: str | None = None) -> Outcome:
    """A recommendation chosen (for one of the person's units): the status is chosen with
    buttons (direncanakan unless it is already in progress), the next text is the follow-up."""
    return await _ask(core, origin, rec_id, unit_code, None)


async def choose_status(core: Core, origin: Origin, rec_id: int, unit: str, status: str) -> Outcome:
    """A status button: the follow-up typed next records this status."""
    try:
        chosen = FollowUpState(status)
    except ValueError:
        chosen = None
    if chosen not in STATUS_ACTION:
        async with core.work(origin) as work:
            work.refused = "forged"
        return Outcome(texts.BUTTON_INVALID)
    return await _ask(core, origin, rec_id, unit, chosen)


async def _ask(
    core: Core, origin: Origin, rec_id: int, unit_code: str | None, status: FollowUpState | None
) -> Outcome:
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome(texts.NOT_REGISTERED, alert=True)
        checked = await _checked(work, who, rec_id, unit_code)
        if isinstance(checked, Outcome):
            return checked
        rec, unit = checked
        state = rec.state_of(unit)
        if status is None:
            status = default_status(rec, unit)
        try:
            transition_follow_up(state, STATUS_ACTION[status], who.actor, unit)
        except Refused:
            await stale(work)
            text = (
                tl.REC_DROPPED
                if state is FollowUpState.DROPPED
                else texts.fill(tl.STATUS_NOT_ALLOWED, status=tl.STATUS_NAMES[state.value])
            )
            if not origin.via_button:
                return Outcome()
            return Outcome(text, alert=True)
        await updates.set_dialog(
            work.conn,
            origin.telegram_id,
            Dialog(FOLLOW_UP, {"rec": rec.id, "unit": unit, "status": status.value}),
            work.now,
        )
        due = long_day(await due_of(work, rec))
        await work.reply(tl.ask_follow_up(rec.text, status.value, due), status_buttons(rec, unit))
    return Outcome()


@route(FOLLOW_UP)
async def _follow_up(core: Core, work: Work, who: Caller, dialog: Dialog, text: str) -> None:
    assert work.origin is not None
    if await too_long(work, text, MAX_FOLLOW_UP, force_reply=True):
        return
    await updates.clear_dialog(work.conn, work.origin.telegram_id)
    rec = await followups.recommendation(work.conn, int(dialog.data["rec"]))
    # A dialog begun before follow-ups were per unit carries no unit: the one it was for
    # then was the recommendation's own, or the Sekretariat's for a general one.
    unit = str(dialog.data.get("unit") or (rec.unit_code if rec else None) or SEKRETARIAT)
    status = FollowUpState(str(dialog.data.get("status") or FollowUpState.PLANNED.value))
    if rec is None or unit not in rec.units or not may_follow_up(who, unit):
        await refuse_role(work)
        return
    if not await _distributed(work, rec):
        await work.reply(ta.REC_NOT_DISTRIBUTED)
        return
    try:
        transition_follow_up(rec.state_of(unit), STATUS_ACTION[status], who.actor, unit)
    except Refused:
        await stale(work)
        return
    if not text:
        await updates.set_dialog(work.conn, work.origin.telegram_id, dialog, work.now)
        due = long_day(await due_of(work, rec))
        await work.reply(tl.ask_follow_up(rec.text, status.value, due), status_buttons(rec, unit))
        return
    await record(work, who, rec, unit, status, text)
    left = await open_recommendations(work, {unit})
    # Files sent soon after are its evidence; a file sent days later (a filled template,
    # say) is not taken for evidence by a dialogue left open.
    until = to_iso(work.now + EVIDENCE_WINDOW)
    await updates.set_dialog(
        work.conn,
        work.origin.telegram_id,
        Dialog(EVIDENCE, {"rec": rec.id, "unit": unit, "until": until}),
        work.now,
    )
    unanswered = sum(1 for r, u in left if r.state_of(u) is FollowUpState.NONE)
    await work.reply(tl.follow_up_recorded(status.value, unanswered, len(left)))
    await maybe_close(work, rec.period_id)


@route(EVIDENCE)
async def _text_while_evidence(
    core: Core, work: Work, who: Caller, dialog: Dialog, text: str
) -> None:
    """Text after a follow-up, where a file was awaited: say what is awaited; once the wait
    is over, the dialogue ends and the text is answered as any text outside one."""
    assert work.origin is not None
    until = dialog.data.get("until")
    if until and work.now > from_iso(str(until)):
        await updates.clear_dialog(work.conn, work.origin.telegram_id)
        await work.reply(texts.NOTHING_TO_DO)
        return
    await work.reply(tl.EVIDENCE_EXPECTED)


async def _distributed(work: Work, rec: Recommendation) -> bool:
    """A recommendation is followed up only once the kasubag_kpep has distributed it (step 8);
    before that the kadin may still change the report, and the unit has not received it."""
    period = await periods.period(work.conn, rec.period_id)
    return period is not None and period.state in DISTRIBUTED


async def status_lines(work: Work, period: periods.Period) -> list[str]:
    """For /status: per recommendation of a distributed period, which units followed it up."""
    if period.state not in DISTRIBUTED:
        return []
    recs = await followups.recommendations(work.conn, period.id)
    if not recs:
        return []
    names = {u.code: u.name for u in await org.units(work.conn)}
    return tf.follow_up_status(
        [
            (
                names.get(r.unit_code, r.unit_code) if r.unit_code else "Umum",
                r.text,
                [names.get(f.unit_code, f.unit_code) for f in r.follow_ups],
                [names.get(u, u) for u in r.unanswered_units],
            )
            for r in recs
        ]
    )
