"""What every handler shares: getting the services, the origin, and answering taps."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.pump import origin_of
from bot.services.core import AlreadyHandled, Core, Origin, Outcome
from bot.texts import common as texts

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
Handler = Callable[[Update, Context], Coroutine[Any, Any, None]]


def core_of(context: Context) -> Core:
    """The services' core, placed in ``bot_data`` by the composition root."""
    core: Core = context.application.bot_data["core"]
    return core


def adapter(fn: Callable[[Update, Context, Core, Origin], Awaitable[Outcome | None]]) -> Handler:
    """Wrap a handler: pass core and origin, skip redeliveries, always answer a tap once."""

    @functools.wraps(fn)
    async def wrapped(update: Update, context: Context) -> None:
        try:
            outcome = await fn(update, context, core_of(context), origin_of(update))
        except AlreadyHandled:
            outcome = Outcome(texts.ALREADY_DONE)
        query = update.callback_query
        if query is not None:
            outcome = outcome or Outcome()
            try:
                await query.answer(outcome.toast, show_alert=outcome.alert)
            except TelegramError as exc:  # an expired query: the effect is committed anyway
                log.info("update %d: callback answer failed: %s", update.update_id, exc)

    return wrapped
