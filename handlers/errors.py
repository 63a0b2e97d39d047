"""The last resort: log with the update's context, tell the person, change nothing."""

from __future__ import annotations

import logging

from telegram import Update

from bot.pump import MAX_ATTEMPTS, attempts_of, is_busy, is_transient, origin_of, run_again
from bot.services.core import AlreadyHandled
from bot.services.people.onboarding import say_only
from bot.texts import common as texts
from handlers.common import Context, core_of

log = logging.getLogger(__name__)


async def on_error(update: object, context: Context) -> None:
    """Log first (update id, person, chat), then apologise in the private chat."""
    if not isinstance(update, Update):
        log.error("error outside an update", exc_info=context.error)
        return
    origin = origin_of(update)
    if is_busy(context.error):
        # Another process (a backup, a person with sqlite3) held the write lock past the busy
        # timeout: the use case rolled back, so the update runs again once the lock is free,
        # for as long as that takes, and is not confirmed meanwhile.
        log.warning(
            "update %d from person %d in chat %d: the database is locked by another process;"
            " it runs again",
            update.update_id,
            origin.telegram_id,
            origin.chat_id,
        )
        run_again(context.application, update.update_id, counted=False)
        return
    if is_transient(context.error) and (
        attempts_of(context.application, update.update_id) < MAX_ATTEMPTS
    ):
        # Nothing was committed (the failure came before the use case): let the update come
        # back rather than tell the person to send it again.
        log.warning(
            "update %d from person %d in chat %d met a passing failure (%s); it runs again",
            update.update_id,
            origin.telegram_id,
            origin.chat_id,
            context.error,
        )
        run_again(context.application, update.update_id)
        return
    log.error(
        "update %d from person %d in chat %d (period %s) failed",
        update.update_id,
        origin.telegram_id,
        origin.chat_id,
        await core_of(context).current_period_label(),
        exc_info=context.error,
    )
    try:
        # The failed use case rolled back, update mark included, so this reply can take it.
        await say_only(core_of(context), origin, texts.ERROR)
    except AlreadyHandled:
        pass
    except Exception:
        log.exception("update %d: could not send the error notice", update.update_id)
    if update.callback_query is not None:
        try:
            await update.callback_query.answer(texts.ERROR[:190])
        except Exception:
            log.info("update %d: callback answer after error failed", update.update_id)
