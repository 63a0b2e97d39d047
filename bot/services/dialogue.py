"""Free text routed by where the person is in a dialogue (kept in the database, not memory)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.services.core import Caller, Core, Origin, Outcome, caller
from bot.services.files.previews import UPLOAD
from bot.services.uselog import short_module
from bot.services.work import Work
from bot.texts import common as texts
from storage import updates
from storage.updates import Dialog

TextStep = Callable[[Core, Work, Caller, Dialog, str], Awaitable[None]]
_ROUTES: dict[str, TextStep] = {}


def route(name: str) -> Callable[[TextStep], TextStep]:
    """Register the use case that takes free text while a person is in dialogue ``name``."""

    def register(fn: TextStep) -> TextStep:
        _ROUTES[name] = fn
        return fn

    return register


async def handle_text(core: Core, origin: Origin, text: str) -> Outcome:
    """A plain text message in a private chat."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome()
        if len(text) > core.config.max_text_chars:
            await work.reply(texts.fill(texts.TOO_LONG, limit=core.config.max_text_chars))
            return Outcome()
        dialog = await updates.dialog(work.conn, origin.telegram_id)
        step = _ROUTES.get(dialog.name) if dialog else None
        if dialog is None or step is None:
            if dialog is not None:
                await updates.clear_dialog(work.conn, origin.telegram_id)
            await work.reply(texts.NOTHING_TO_DO)
            return Outcome()
        # the log line names the step that took the text, not just this dispatcher
        work.use_case += f" → {short_module(step.__module__)}.{step.__name__}"
        await step(core, work, who, dialog, text.strip())
    return Outcome()


# A checked upload's dialogue waits for a button, not for text: typing must not drop it.
@route(UPLOAD)
async def _upload_waits(core: Core, work: Work, who: Caller, dialog: Dialog, text: str) -> None:
    """Text while an upload waits: an explanation it asked for, else a pointer to its buttons."""
    from bot.services.files.upload_explain import explain  # it builds on this module

    await explain(core, work, who, dialog, text)


async def cancel(core: Core, origin: Origin) -> Outcome:
    """/batal: leave the dialogue; everything answered so far stays saved."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome()
        left = await updates.clear_dialog(work.conn, origin.telegram_id)
        await work.reply(texts.CANCELLED if left else texts.NOTHING_TO_DO)
    return Outcome()
