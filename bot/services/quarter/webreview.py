"""Step 3 in the Mini App: the head's review of a unit's report as a page, and the decision.

The page is the operator's form, read-only, led by the same brief as the chat request
(:func:`bot.services.quarter.review.review_brief`). **Setujui** and **Minta revisi** call the
same use cases as the chat's buttons (:func:`~bot.services.quarter.review.approve_in`,
:func:`~bot.services.quarter.review.return_in`): compare-and-set on the report's version, the
chat request's buttons removed, the operator told. Each decision keeps its request id, as the
form's writes do (:func:`bot.services.quarter.webform.once`).
"""

from __future__ import annotations

from typing import Any

from bot.services.core import Caller, Core, Origin
from bot.services.quarter import forms, review
from bot.services.quarter.webform import (
    Reply,
    form_view,
    message,
    once,
    reason_refusal,
    who_of,
)
from bot.services.work import Work
from bot.texts import common as texts
from bot.texts import quarter as tq
from bot.texts import web as tw
from bot.workflow import UnitAction
from storage import org, periods

DECISIONS = ("approve", "return")


async def view(core: Core, origin: Origin, report_id: int) -> Reply:
    """The unit's report for its head: the brief first, every answer read-only, and the
    decision's buttons while it waits on them."""
    async with core.db.reading() as conn:
        work = Work(conn, core.now(), origin, core.config)
        who = await who_of(work)
        if who is None:
            return message(403, texts.NOT_REGISTERED)
        report = await periods.unit_report(conn, report_id)
        if report is None:
            return message(404, tw.NO_SUCH_REPORT)
        if not review.may_read(who, report):
            return message(403, tw.FORBIDDEN)
        return Reply(200, await _page(work, who, report))


async def _page(work: Work, who: Caller, report: periods.UnitReport) -> dict[str, Any]:
    form = await forms.load(work, report)
    sender = await org.person(work.conn, report.submitted_by) if report.submitted_by else None
    brief = await review.review_brief(work, form, report, sender.full_name if sender else "-")
    page = form_view(form, tw.review_state(tq.UNIT_STATE_LABELS[report.state]))
    page |= {
        "editable": False,
        "brief": tw.plain(texts.spoken(brief, who.person.sapaan)),  # as the chat's request
        "decide": review.may_decide(who, report, UnitAction.APPROVE),
        "review": tw.REVIEW,
    }
    return page


async def decide(
    core: Core,
    origin: Origin,
    request_id: str,
    report_id: int,
    version: int,
    decision: str,
    reason: str,
) -> Reply:
    """Setujui or Minta revisi (with its reason) from the page: the chat's decision."""
    if decision not in DECISIONS:
        return message(400, tw.BAD_REQUEST)

    async def write(work: Work, who: Caller) -> Reply:
        before = await periods.unit_report(work.conn, report_id)
        if decision == "approve":
            outcome = await review.approve_in(core, work, who, report_id, version)
            said = outcome.toast or ""
        else:
            refusal = reason_refusal(reason)
            if refusal is not None:
                return refusal
            await review.return_in(work, who, report_id, version, reason.strip())
            said = ""
        fresh = await periods.unit_report(work.conn, report_id)
        # Decided now only if the version asked for was current and has moved on.
        if before is not None and fresh is not None and before.version == version < fresh.version:
            done = tw.APPROVED if decision == "approve" else tw.RETURNED
            return Reply(200, {"status": "decided", "message": done})
        said = " ".join(tw.plain(r) for r in work.replies) or tw.plain(said or tq.SUDAH_DIPROSES)
        return Reply(403 if work.refused == "role" else 409, {"status": "refused", "message": said})

    return await once(core, origin, request_id, write)
