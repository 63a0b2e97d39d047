"""What a step sends its next approver: the draft, the chart and the request with the analysis.

Steps 4 to 6 begin here (the kasubag_kpep's package, the Sekretaris's and the Kepala Dinas's
requests); a hand-over offers the same again to a new holder (``chats``).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.callbacks import Cb, encode
from bot.model import Role
from bot.services.analysis import choice
from bot.services.core import Core
from bot.services.files import recipes
from bot.services.work import Button, Work
from bot.texts import agency as ta
from bot.texts import quarter as tq
from bot.workflow import Grant, Step
from storage import org, periods


async def send_compile_package(
    core: Core, work: Work, period_id: int, chats: Sequence[int] | None = None
) -> None:
    """Step 4 begins: the consolidated draft, the chart and the analysis to the kasubag_kpep
    (or only to ``chats``: the package offered again to a new holder).

    The files are built after the commit, and the analysis with the step's buttons and the
    drafted narrative are written after it (``bot.services.analysis.analysed``): reading and
    analysing a whole agency's figures must not hold the write lock."""
    period = await periods.period(work.conn, period_id)
    assert period is not None
    # The request goes to the same people as the files, even if the role moves meanwhile
    # (the minute's role check then hands both on, as for any request).
    to = await recipients(work, Grant(Role.KASUBAG_KPEP), chats)
    for chat in to:
        await _send_report_files(work, chat, period)
    await work.defer(recipes.COMPILE_MESSAGES, period, {"chats": to})


def secretary_buttons(period: periods.Period) -> list[list[Button]]:
    """The sekretaris's choices in step 5."""
    return [
        [
            (tq.BTN_APPROVE, encode(Cb.SECRETARY_APPROVE, period.id, period.version)),
            (tq.BTN_RETURN, encode(Cb.SECRETARY_RETURN, period.id, period.version)),
        ]
    ]


async def send_secretary_request(
    core: Core,
    work: Work,
    period: periods.Period,
    coordinator: str,
    chats: Sequence[int] | None = None,
) -> None:
    """Step 5 begins: the draft and the Setujui / Minta revisi request to the sekretaris."""
    await _send_with_report(
        work,
        period,
        Grant(Role.SEKRETARIS),
        ta.secretary_request(period.label, coordinator),
        Step.SECRETARY_REVIEW,
        chats,
    )


async def send_head_request(
    core: Core,
    work: Work,
    period: periods.Period,
    secretary: str,
    chats: Sequence[int] | None = None,
) -> None:
    """Step 6 begins: the draft and the review request to the kadin."""
    await _send_with_report(
        work,
        period,
        Grant(Role.KADIN),
        ta.head_request(period.label, secretary),
        Step.HEAD_REVIEW,
        chats,
    )


async def _send_report_files(work: Work, chat: int, period: periods.Period) -> None:
    """The draft report and its chart, built after the commit (bot.services.files.building)."""
    caption = ta.draft_caption(period.label)
    await work.send_built(chat, "sendDocument", recipes.report(period.id, draft=True), caption)
    await work.send_built(
        chat, "sendPhoto", recipes.chart(period.id), ta.chart_caption(period.label)
    )


async def recipients(work: Work, grant: Grant, chats: Sequence[int] | None) -> list[int]:
    """``chats`` if given, else the private chats of everyone holding ``grant`` now."""
    if chats is not None:
        return list(chats)
    holders = await org.holders(work.conn, grant, work.now)
    return list(dict.fromkeys(m.person.telegram_id for m in holders))


async def _send_with_report(
    work: Work,
    period: periods.Period,
    grant: Grant,
    text: str,
    step: Step,
    chats: Sequence[int] | None = None,
) -> None:
    """The files now (built after the commit), the request with the analysis and the
    buttons after the commit (``bot.services.analysis.analysed``)."""
    text = await choice.led_by_changes(work, period, step, text)
    to = await recipients(work, grant, chats)  # the files' and the request's, as above
    for chat in to:
        # The reviewer decides on the picture as much as on the figures (issue 12, item 7).
        await _send_report_files(work, chat, period)
    await work.defer(recipes.REVIEW_MESSAGE, period, {"step": int(step), "text": text, "chats": to})
