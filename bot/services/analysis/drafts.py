"""The drafted analysis in chat (issue 14): step 4's narrative and step 6's suggestions.

When the last unit is approved the kasubag_kpep gets the narrative drafted by ``bot.analysis``
with **Pakai draf**, **Ubah** (the draft comes back to edit and send) and **Tulis sendiri**;
the narrative that goes up is marked in the audit as ``drafted``, ``edited`` or ``written``.
When the period reaches the Kepala Dinas, each suggested recommendation comes with **Pakai**
and **Ubah**; a kept one is an ordinary recommendation, distributed in step 8 as any other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot import analysis as an
from bot.callbacks import Cb, encode
from bot.model import Role
from bot.services.core import Caller, Core, Origin, Outcome, caller
from bot.services.dialogue import route
from bot.services.quarter.flow import refuse_role, stale, too_long
from bot.services.quarter.period_steps import (
    MAX_RECOMMENDATION,
    NARRATIVE,
    compile_buttons,
    head_buttons,
    period_in,
    period_tag,
)
from bot.services.work import Work
from bot.texts import agency as ta
from bot.texts import analysis as tx
from bot.texts import common as texts
from bot.texts import decide as td
from bot.texts import quarter as tq
from bot.workflow import Grant, PeriodState, Step
from storage import drafted, followups, org, periods, updates
from storage.updates import Dialog

SUGGESTION_EDIT = "suggestion_edit"
DRAFTED, EDITED, WRITTEN = "drafted", "edited", "written"  # how a narrative was made


def suggestion_tag(drafted_id: int) -> str:
    """The tag of one suggestion's buttons."""
    return f"saran:{drafted_id}"


async def offer_draft(work: Work, period: periods.Period, text: str) -> None:
    """Step 4 begins: the drafted narrative (``bot.services.analysis.analysed`` drafts it) to the
    kasubag_kpep; nothing if no rule fired. Drafted again (a unit returned and corrected)
    after a narrative was chosen, from figures that changed: the coordinator is told."""
    earlier = await drafted.of_period(work.conn, period.id, drafted.NARASI)
    changed = bool(period.narrative.strip()) and bool(earlier) and earlier[-1].text != text
    await drafted.retire(work.conn, period.id, drafted.NARASI)
    if not text:
        return
    draft_id = await drafted.add(work.conn, period.id, drafted.NARASI, text, work.now)
    await work.audit("narrative_drafted", "period", period.id, {"chars": len(text)}, None)
    if changed:
        await work.notify(Grant(Role.KASUBAG_KPEP), td.FIGURES_CHANGED)
    await _offer(work, period, draft_id, text)


async def _offer(work: Work, period: periods.Period, draft_id: int, text: str) -> None:
    """The draft to every kasubag_kpep, with its buttons (removed once step 4 is acted on)."""
    buttons = [
        [(tx.BTN_DRAFT_USE, encode(Cb.DRAFT_USE, period.id, draft_id))],
        [(tx.BTN_DRAFT_EDIT, encode(Cb.DRAFT_EDIT, period.id, draft_id))],
        [(tx.BTN_DRAFT_OWN, encode(Cb.COMPILE_NARRATIVE, period.id))],
    ]
    for member in await org.holders(work.conn, Grant(Role.KASUBAG_KPEP), work.now):
        await work.say(
            member.person.telegram_id,
            tx.draft_message(period.label, text),
            buttons,
            tag=period_tag(period.id, Step.COMPILE),
        )


async def offer_again(work: Work, period: periods.Period) -> None:
    """Back in step 4 after a return: the draft not yet used is offered again."""
    offered = [
        d
        for d in await drafted.of_period(work.conn, period.id, drafted.NARASI)
        if d.state == drafted.OFFERED
    ]
    if offered:
        await _offer(work, period, offered[-1].id, offered[-1].text)


async def _draft_for(
    work: Work, who: Caller | None, period_id: int, draft_id: int
) -> tuple[periods.Period, drafted.Drafted] | Outcome:
    """The period in step 4 and its offered draft, or the answer to give instead."""
    if who is None:
        return Outcome(texts.NOT_REGISTERED, alert=True)
    if not who.holds(Role.KASUBAG_KPEP):
        await refuse_role(work)
        return Outcome(texts.BUTTON_NOT_YOURS)
    period = await period_in(work, period_id, None, PeriodState.COMPILING)
    draft = await drafted.get(work.conn, draft_id)
    if period is None:
        return Outcome(tq.SUDAH_DIPROSES)
    if draft is None or draft.period_id != period.id or draft.kind != drafted.NARASI:
        return Outcome(texts.BUTTON_INVALID)
    if draft.state != drafted.OFFERED:
        await stale(work)
        return Outcome(tq.SUDAH_DIPROSES)
    return period, draft


async def use_draft(core: Core, origin: Origin, period_id: int, draft_id: int) -> Outcome:
    """Pakai draf: the draft becomes the narrative as it is."""
    async with core.work(origin) as work:
        found = await _draft_for(work, await caller(work), period_id, draft_id)
        if isinstance(found, Outcome):
            return found
        period, draft = found
        who = await caller(work)
        assert who is not None
        if not await drafted.settle(work.conn, draft.id, drafted.KEPT):
            await stale(work)
            return Outcome(tq.SUDAH_DIPROSES)
        # Kept whole: a draft is the bot's own text, and a cut narrative would be signed unread.
        await periods.set_narrative(work.conn, period.id, draft.text)
        await work.audit(
            "narrative_written",
            "period",
            period.id,
            {"chars": len(draft.text), "source": DRAFTED},
            who.person.id,
        )
        await work.clear_buttons(period_tag(period.id, Step.COMPILE))
        await work.reply(
            tx.DRAFT_USED, compile_buttons(period), tag=period_tag(period.id, Step.COMPILE)
        )
    return Outcome()


async def edit_draft(core: Core, origin: Origin, period_id: int, draft_id: int) -> Outcome:
    """Ubah: the draft comes back as text; what is sent back is the narrative."""
    async with core.work(origin) as work:
        found = await _draft_for(work, await caller(work), period_id, draft_id)
        if isinstance(found, Outcome):
            return found
        period, draft = found
        copy = tx.draft_text(draft.text)
        # Only the message replied to comes back: a draft that needs two messages would be
        # saved cut, so it is never offered in parts.
        if len(texts.split_message(copy)) > 1:
            await work.reply(tx.DRAFT_TOO_LONG_TO_EDIT)
            return Outcome()
        await updates.set_dialog(
            work.conn,
            origin.telegram_id,
            Dialog(NARRATIVE, {"period": period.id, "draft": draft.id}),
            work.now,
        )
        await work.reply(tx.EDIT_DRAFT)
        await work.reply(copy, force_reply=True, whole=True)
    return Outcome()


async def save_narrative(
    work: Work, who: Caller, period_id: int, data: dict[str, object], text: str
) -> None:
    """Store a narrative typed in step 4 and audit how it was made."""
    source = await narrative_source(work, period_id, data, text)
    # Whole: the dialogue already refuses a text longer than it keeps (Config.max_text_chars).
    await periods.set_narrative(work.conn, period_id, text)
    await work.audit(
        "narrative_written",
        "period",
        period_id,
        {"chars": len(text), "source": source},
        who.person.id,
    )


async def narrative_source(work: Work, period_id: int, data: dict[str, object], text: str) -> str:
    """How a narrative typed in step 4 was made: from the draft as it was, edited, or written."""
    draft_id = data.get("draft")
    draft = await drafted.get(work.conn, int(str(draft_id))) if draft_id is not None else None
    if draft is None or draft.period_id != period_id:
        # Written from nothing: the draft is not offered again after a return.
        await drafted.retire(work.conn, period_id, drafted.NARASI)
        return WRITTEN
    same = " ".join(text.split()) == " ".join(draft.text.split())
    await drafted.settle(work.conn, draft.id, drafted.KEPT if same else drafted.EDITED)
    return DRAFTED if same else EDITED


async def offer_suggestions(
    work: Work,
    period: periods.Period,
    suggestions: Sequence[an.Suggestion],
    unit_names: Mapping[str, str],
) -> None:
    """Step 6 begins: each suggested recommendation (``bot.services.analysis.analysed`` finds them)
    to the Kepala Dinas, to keep or edit."""
    # Back at step 6 after a return: a suggestion already kept (the same unit and reason) is
    # not offered again.
    settled = {
        (d.unit_code, d.reason)
        for d in await drafted.of_period(work.conn, period.id, drafted.SARAN)
        if d.state in (drafted.KEPT, drafted.EDITED)
    }
    found = [s for s in suggestions if (s.unit_code, s.reason) not in settled]
    await drafted.retire(work.conn, period.id, drafted.SARAN)
    if not found:
        return
    heads = await org.holders(work.conn, Grant(Role.KADIN), work.now)
    chats = list(dict.fromkeys(m.person.telegram_id for m in heads))
    for chat in chats:
        await work.say(chat, tx.suggestions_intro(period.label, len(found)))
    for number, item in enumerate(found, 1):
        text = item.sentence.text
        draft_id = await drafted.add(
            work.conn, period.id, drafted.SARAN, text, work.now, item.unit_code, item.reason
        )
        buttons = [
            [
                (tx.BTN_SUGGEST_KEEP, encode(Cb.SUGGEST_KEEP, draft_id)),
                (tx.BTN_SUGGEST_EDIT, encode(Cb.SUGGEST_EDIT, draft_id)),
            ]
        ]
        for chat in chats:
            await work.say(
                chat,
                tx.suggestion(number, unit_names.get(item.unit_code, item.unit_code), text),
                buttons,
                tag=suggestion_tag(draft_id),
            )
    await work.audit("recommendations_suggested", "period", period.id, {"count": len(found)}, None)


async def _suggestion_for(
    work: Work, who: Caller | None, draft_id: int
) -> tuple[periods.Period, drafted.Drafted] | Outcome:
    """The offered suggestion and its period in step 6, or the answer to give instead."""
    if who is None:
        return Outcome(texts.NOT_REGISTERED, alert=True)
    if not who.holds(Role.KADIN):
        await refuse_role(work)
        return Outcome(texts.BUTTON_NOT_YOURS)
    draft = await drafted.get(work.conn, draft_id)
    if draft is None or draft.kind != drafted.SARAN:
        return Outcome(texts.BUTTON_INVALID)
    period = await period_in(work, draft.period_id, None, PeriodState.HEAD_REVIEW)
    if period is None:
        return Outcome(tq.SUDAH_DIPROSES)
    if draft.state != drafted.OFFERED:
        await stale(work)
        return Outcome(tq.SUDAH_DIPROSES)
    return period, draft


async def _recommended(
    work: Work, who: Caller, period: periods.Period, draft: drafted.Drafted, text: str, edited: bool
) -> None:
    """A suggestion kept (as it was or edited): an ordinary recommendation for its unit."""
    rec_id = await followups.add_recommendation(
        work.conn, period.id, draft.unit_code, text, who.person.id, work.now
    )
    await work.audit(
        "recommendation_added",
        "recommendation",
        rec_id,
        {"unit": draft.unit_code, "source": "suggested_edited" if edited else "suggested"},
        who.person.id,
    )
    await work.clear_buttons(suggestion_tag(draft.id), tx.suggestion_kept(text, edited))
    count = len(await followups.recommendations(work.conn, period.id))
    await work.clear_buttons(period_tag(period.id, Step.HEAD_REVIEW))
    await work.reply(
        ta.recommendation_saved(count),
        await head_buttons(work, period),
        tag=period_tag(period.id, Step.HEAD_REVIEW),
    )


async def keep_suggestion(core: Core, origin: Origin, draft_id: int) -> Outcome:
    """Pakai: the suggestion becomes a recommendation for its unit as it is."""
    async with core.work(origin) as work:
        who = await caller(work)
        found = await _suggestion_for(work, who, draft_id)
        if isinstance(found, Outcome):
            return found
        period, draft = found
        assert who is not None
        if not await drafted.settle(work.conn, draft.id, drafted.KEPT):
            await stale(work)
            return Outcome(tq.SUDAH_DIPROSES)
        await _recommended(work, who, period, draft, draft.text, edited=False)
    return Outcome()


async def edit_suggestion(core: Core, origin: Origin, draft_id: int) -> Outcome:
    """Ubah: the suggestion comes back as text; what is sent back is the recommendation."""
    async with core.work(origin) as work:
        found = await _suggestion_for(work, await caller(work), draft_id)
        if isinstance(found, Outcome):
            return found
        _, draft = found
        await updates.set_dialog(
            work.conn, origin.telegram_id, Dialog(SUGGESTION_EDIT, {"draft": draft.id}), work.now
        )
        await work.reply(tx.EDIT_SUGGESTION)
        await work.reply(tx.draft_text(draft.text), force_reply=True)
    return Outcome()


@route(SUGGESTION_EDIT)
async def _suggestion_edited(
    core: Core, work: Work, who: Caller, dialog: Dialog, text: str
) -> None:
    assert work.origin is not None
    if await too_long(work, text, MAX_RECOMMENDATION, force_reply=True):
        return
    await updates.clear_dialog(work.conn, work.origin.telegram_id)
    found = await _suggestion_for(work, who, int(dialog.data["draft"]))
    if isinstance(found, Outcome):
        return
    period, draft = found
    if not text.strip():
        await work.reply(tq.REASON_EMPTY)
        return
    edited = " ".join(text.split()) != " ".join(draft.text.split())
    if not await drafted.settle(work.conn, draft.id, drafted.EDITED if edited else drafted.KEPT):
        await stale(work)
        return
    await _recommended(work, who, period, draft, text.strip(), edited=edited)
