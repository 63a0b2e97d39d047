"""Helpers the workflow's use cases share: moving steps, naming actors, the reason dialogue."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from bot.model import Role
from bot.services.core import Caller, Core
from bot.services.dialogue import route
from bot.services.work import Button, Work
from bot.texts import common as texts
from bot.texts import quarter as tq
from bot.workflow import Grant, Step
from storage import org, periods, updates
from storage.updates import Dialog

REASON_DIALOG = "reason"
MAX_REASON = 1000
ReasonStep = Callable[[Work, Caller, dict[str, Any], str], Awaitable[None]]
_REASON_ACTIONS: dict[str, ReasonStep] = {}


def on_reason(action: str) -> Callable[[ReasonStep], ReasonStep]:
    """Register what happens when the reason for ``action`` has been typed."""

    def register(fn: ReasonStep) -> ReasonStep:
        _REASON_ACTIONS[action] = fn
        return fn

    return register


async def ask_reason(work: Work, action: str, what: str, **data: Any) -> None:
    """Ask for a reason with ForceReply; the next text completes ``action``."""
    assert work.origin is not None
    await updates.set_dialog(
        work.conn,
        work.origin.telegram_id,
        Dialog(REASON_DIALOG, {"action": action, **data}),
        work.now,
    )
    await work.reply(texts.fill(tq.ASK_REASON, what=what), force_reply=True)


@route(REASON_DIALOG)
async def take_reason(core: Core, work: Work, who: Caller, dialog: Dialog, text: str) -> None:
    """The typed reason: complete the pending action (it re-checks role and state)."""
    if not text.strip():
        await work.reply(tq.REASON_EMPTY, force_reply=True)
        return
    if await too_long(work, text, MAX_REASON, force_reply=True):
        return
    assert work.origin is not None
    await updates.clear_dialog(work.conn, work.origin.telegram_id)
    action = _REASON_ACTIONS.get(str(dialog.data.get("action")))
    if action is None:
        await work.reply(texts.NOTHING_TO_DO)
        return
    await action(work, who, dialog.data, text.strip())


async def complete_with_reason(
    work: Work, who: Caller, action: str, data: dict[str, Any], reason: str
) -> None:
    """Complete ``action`` with a reason typed elsewhere (the Mini App's page): the same step
    the chat's reason dialogue runs (it re-checks role, state and version)."""
    await _REASON_ACTIONS[action](work, who, data, reason)


async def too_long(work: Work, text: str, limit: int, *, force_reply: bool = False) -> bool:
    """Refuse (and say so) a text longer than what is stored, rather than cut it silently;
    the dialogue stays open, so the person can send it shorter."""
    if len(text.strip()) <= limit:
        return False
    await work.reply(texts.fill(texts.TOO_LONG, limit=limit), force_reply=force_reply)
    return True


async def actor_label(work: Work, who: Caller, role: Role, unit_code: str | None = None) -> str:
    """The person with the title they act under, e.g. "Plt. Kepala Bidang Budi"."""
    acting = ""
    for a in await org.assignments_of(work.conn, who.person.id):
        if (
            a.role == role
            and a.active_at(work.now)
            and (unit_code is None or a.unit_code == unit_code)
        ):
            acting = a.acting
            break
    # For the Jejak Proses sheet, a document: the full title, the operator's as its unit has it.
    unit = await org.unit(work.conn, unit_code) if unit_code and role == Role.OPERATOR else None
    prefix = {"plt": "Plt. ", "plh": "Plh. "}.get(acting, "")
    return f"{prefix}{texts.role_title(role, unit)} {who.person.full_name}"


async def move_step(
    work: Work,
    period_id: int,
    unit_code: str | None,
    ended: Step | None,
    started: Step | None,
    who: Caller | None,
    outcome: str,
    role: Role | None = None,
) -> None:
    """Close the run of ``ended`` and open a run of ``started`` (for the time standards)."""
    if ended is not None:
        label = await actor_label(work, who, role, unit_code) if who and role else None
        await periods.close_step(
            work.conn,
            period_id,
            unit_code,
            ended,
            work.now,
            who.person.id if who else None,
            label,
            outcome,
        )
    if started is not None:
        await periods.open_step(work.conn, period_id, unit_code, started, work.now)


async def stale(work: Work) -> None:
    """A tap on an old button (or a stale answer): say so, change nothing.

    For a button the caller answers the press with the same words in its pop-up: a chat
    message as well would say it twice.
    """
    work.refused = "stale"
    if work.origin is not None and work.origin.via_button:
        return
    await work.reply(tq.SUDAH_DIPROSES)


async def refuse_role(work: Work) -> None:
    """A tap or command by someone whose role does not allow it."""
    work.refused = "role"
    await work.reply(texts.BUTTON_NOT_YOURS)


async def unit_name(work: Work, code: str | None) -> str:
    """The unit's display name ("Umum" for None)."""
    if code is None:
        return "Umum"
    unit = await org.unit(work.conn, code)
    return unit.name if unit else code


async def offer(
    work: Work,
    grant: Grant,
    chats: Sequence[int] | None,
    text: str,
    buttons: Sequence[Sequence[Button]],
    tag: str,
) -> None:
    """Queue a decision's request: to everyone holding ``grant`` now, or to ``chats`` only
    (a request offered again to a new holder, see ``bot.services.people.handover``)."""
    if chats is None:
        await work.notify(grant, text, buttons, tag=tag)
        return
    for chat in chats:
        await work.say(chat, text, buttons, tag=tag)


async def last_actor_name(work: Work, period_id: int, step: Step) -> str:
    """The name of whoever last ended a run of ``step`` in the period ("-" if nobody did)."""
    for run in reversed(await periods.steps(work.conn, period_id)):
        if run.step is step and run.unit_code is None and run.ended_by is not None:
            person = await org.person(work.conn, run.ended_by)
            if person is not None:
                return person.full_name
    return "-"
