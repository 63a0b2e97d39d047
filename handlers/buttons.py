"""Every inline button press: decoded in one place, then handed to its use case."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update

from bot.callbacks import Callback, Cb, decode_exact
from bot.services.analysis import choice, drafts
from bot.services.core import Core, Origin, Outcome
from bot.services.files import downloads, uploads
from bot.services.people import acting, members, onboarding
from bot.services.quarter import (
    agency,
    entry,
    evidence,
    followup,
    followup_leaders,
    leadership,
    opening,
    reminders,
    review,
    submission,
)
from bot.texts import common as texts
from handlers.common import Context, adapter

Press = Callable[[Core, Origin, Callback], Awaitable[Outcome]]

ROUTES: dict[Cb, Press] = {
    Cb.OPEN_QUARTER: lambda core, o, cb: opening.open_pick(core, o, cb.int(0), cb.int(1)),
    Cb.OPEN_APPROVE: lambda core, o, cb: opening.approve(core, o, cb.int(0), cb.int(1)),
    Cb.OPEN_REJECT: lambda core, o, cb: opening.reject(core, o, cb.int(0), cb.int(1)),
    Cb.ENTRY_SKIP: lambda core, o, cb: entry.press(core, o, cb.kind, cb.int(0), cb.int(1)),
    Cb.ENTRY_BACK: lambda core, o, cb: entry.press(core, o, cb.kind, cb.int(0), cb.int(1)),
    Cb.ENTRY_GOTO: lambda core, o, cb: entry.press(core, o, cb.kind, cb.int(0), cb.int(1)),
    Cb.ENTRY_SUMMARY: lambda core, o, cb: entry.press(core, o, cb.kind, cb.int(0), 0),
    Cb.ENTRY_SUBMIT: lambda core, o, cb: submission.submit(core, o, cb.int(0), cb.int(1)),
    Cb.UNIT_APPROVE: lambda core, o, cb: review.approve(core, o, cb.int(0), cb.int(1)),
    Cb.UNIT_RETURN: lambda core, o, cb: review.return_(core, o, cb.int(0), cb.int(1)),
    Cb.COMPILE_NARRATIVE: lambda core, o, cb: agency.write_narrative(core, o, cb.int(0)),
    Cb.COMPILE_RETURN_UNIT: lambda core, o, cb: agency.return_unit(
        core, o, cb.int(0), cb.int(1), cb.str(2)
    ),
    Cb.COMPILE_SUBMIT: lambda core, o, cb: agency.submit_to_secretary(
        core, o, cb.int(0), cb.int(1)
    ),
    Cb.COMPILE_BARE: lambda core, o, cb: choice.confirm_bare(core, o, cb.int(0), cb.int(1)),
    Cb.COMPILE_BARE_YES: lambda core, o, cb: agency.submit_to_secretary(
        core, o, cb.int(0), cb.int(1), bare=True
    ),
    Cb.NARRATIVE_FULL: lambda core, o, cb: choice.show_narrative(core, o, cb.int(0)),
    Cb.SECRETARY_APPROVE: lambda core, o, cb: agency.secretary_decides(
        core, o, cb.int(0), cb.int(1), True
    ),
    Cb.SECRETARY_RETURN: lambda core, o, cb: agency.secretary_decides(
        core, o, cb.int(0), cb.int(1), False
    ),
    Cb.HEAD_RECOMMEND: lambda core, o, cb: leadership.recommend(core, o, cb.int(0), cb.str(1)),
    Cb.HEAD_APPROVE: lambda core, o, cb: leadership.head_decides(
        core, o, cb.int(0), cb.int(1), True
    ),
    Cb.HEAD_RETURN: lambda core, o, cb: leadership.head_decides(
        core, o, cb.int(0), cb.int(1), False
    ),
    Cb.FORWARD: lambda core, o, cb: leadership.forward(core, o, cb.int(0), cb.int(1)),
    Cb.DISTRIBUTE: lambda core, o, cb: leadership.distribute(core, o, cb.int(0), cb.int(1)),
    Cb.FOLLOW_UP: lambda core, o, cb: followup.pick(core, o, cb.int(0)),
    Cb.FOLLOW_UP_UNIT: lambda core, o, cb: followup.pick(core, o, cb.int(0), cb.str(1)),
    Cb.FOLLOW_UP_STATUS: lambda core, o, cb: followup.choose_status(
        core, o, cb.int(0), cb.str(1), cb.str(2)
    ),
    Cb.EVIDENCE_SHOW: lambda core, o, cb: evidence.show(core, o, cb.int(0), cb.str(1)),
    Cb.FOLLOW_UP_REOPEN: lambda core, o, cb: followup_leaders.reopen(
        core, o, cb.int(0), cb.str(1), cb.int(2)
    ),
    Cb.FOLLOW_UP_DROP: lambda core, o, cb: followup_leaders.drop(core, o, cb.int(0)),
    Cb.REC_DUE: lambda core, o, cb: followup_leaders.ask_due(core, o, cb.int(0)),
    Cb.ENTRY_STATUS: lambda core, o, cb: entry.choose_status(
        core, o, cb.int(0), cb.int(1), cb.str(2)
    ),
    Cb.REVIEW_ALL: lambda core, o, cb: review.show_all(core, o, cb.int(0)),
    Cb.ENTRY_FILL_ALL: lambda core, o, cb: entry.fill_all(core, o, cb.int(0)),
    Cb.ENTRY_SAVE_UPLOAD: lambda core, o, cb: uploads.save(
        core, o, cb.int(0), cb.int(1), cb.str(2)
    ),
    Cb.ENTRY_DISCARD_UPLOAD: lambda core, o, cb: uploads.discard(core, o, cb.int(0)),
    Cb.DOWNLOAD_TEMPLATE: lambda core, o, cb: downloads.template(core, o, cb.int(0)),
    Cb.DOWNLOAD_REPORT: lambda core, o, cb: downloads.report(core, o, cb.int(0)),
    Cb.DOWNLOAD_FIGURES: lambda core, o, cb: downloads.figures(core, o, cb.str(0)),
    Cb.NUDGE: lambda core, o, cb: reminders.nudge(core, o, cb.int(0), cb.str(1)),
    Cb.ACTING_PERSON: lambda core, o, cb: acting.pick(core, o, cb.int(0), None, None),
    Cb.ACTING_ROLE: lambda core, o, cb: acting.pick(core, o, cb.int(0), cb.str(1), None),
    Cb.ACTING_UNIT: lambda core, o, cb: acting.pick(core, o, cb.int(0), cb.str(1), cb.str(2)),
    Cb.MEMBER_PAGE: lambda core, o, cb: members.show_page(core, o, cb.int(0)),
    Cb.MEMBER_SHOW: lambda core, o, cb: members.show_person(core, o, cb.int(0)),
    Cb.MEMBER_END: lambda core, o, cb: members.ask_end(core, o, cb.int(0)),
    Cb.MEMBER_END_TODAY: lambda core, o, cb: members.end_today(core, o, cb.int(0)),
    Cb.MEMBER_DEACTIVATE: lambda core, o, cb: members.deactivate(core, o, cb.int(0), False),
    Cb.MEMBER_DEACTIVATE_YES: lambda core, o, cb: members.deactivate(core, o, cb.int(0), True),
    Cb.MEMBER_ADMIN: lambda core, o, cb: members.revoke_admin(core, o, cb.int(0), False),
    Cb.MEMBER_ADMIN_YES: lambda core, o, cb: members.revoke_admin(core, o, cb.int(0), True),
    Cb.MEMBER_HANDOVER: lambda core, o, cb: members.pick_successor(core, o, cb.int(0)),
    Cb.MEMBER_HANDOVER_TO: lambda core, o, cb: members.hand_over(core, o, cb.int(0), cb.int(1)),
    Cb.MEMBER_HANDOVER_INVITE: lambda core, o, cb: members.hand_over(core, o, cb.int(0), None),
    Cb.INVITE_LIST: lambda core, o, cb: members.list_invites(core, o, cb.int(0)),
    Cb.INVITE_REVOKE: lambda core, o, cb: members.revoke_invite(core, o, cb.int(0)),
    Cb.SAPAAN: lambda core, o, cb: onboarding.choose_sapaan(core, o, cb.str(0)),
    Cb.MEMBER_SAPAAN: lambda core, o, cb: members.set_sapaan(core, o, cb.int(0), cb.str(1)),
    Cb.REMIND_AGAIN: lambda core, o, cb: reminders.remind_again(core, o, cb.int(0)),
    Cb.INVITE_ROLE: lambda core, origin, cb: onboarding.invite_pick(core, origin, cb.str(0), None),
    Cb.INVITE_UNIT: lambda core, origin, cb: onboarding.invite_pick(
        core, origin, cb.str(0), cb.str(1)
    ),
    Cb.DRAFT_USE: lambda core, o, cb: drafts.use_draft(core, o, cb.int(0), cb.int(1)),
    Cb.DRAFT_EDIT: lambda core, o, cb: drafts.edit_draft(core, o, cb.int(0), cb.int(1)),
    Cb.SUGGEST_KEEP: lambda core, o, cb: drafts.keep_suggestion(core, o, cb.int(0)),
    Cb.SUGGEST_EDIT: lambda core, o, cb: drafts.edit_suggestion(core, o, cb.int(0)),
}


async def dispatch(core: Core, origin: Origin, data: str | None) -> Outcome:
    """Decode a press and run its use case; anything malformed is refused and changes nothing.

    The bot never puts buttons in the group, so a press from a group is forged and refused.
    """
    callback = decode_exact(data)
    press = ROUTES.get(callback.kind) if callback else None
    if callback is None or press is None or origin.in_group:
        await onboarding.mark_handled(core, origin)
        return Outcome(texts.BUTTON_INVALID)
    try:
        return await press(core, origin, callback)
    except (IndexError, ValueError):  # a forged button with missing or non-numeric fields
        await onboarding.mark_handled(core, origin)
        return Outcome(texts.BUTTON_INVALID)


@adapter
async def pressed(update: Update, context: Context, core: Core, origin: Origin) -> Outcome:
    """Decode, route, and let the adapter answer the query."""
    assert update.callback_query is not None
    return await dispatch(core, origin, update.callback_query.data)
