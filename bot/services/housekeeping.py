"""Housekeeping run by the daily job: forget what can never be needed again."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from bot.services.core import Core
from storage import outbox, updates, webapp

log = logging.getLogger(__name__)

# Telegram keeps an unconfirmed update for about 24 hours; a day's margin on top keeps a bot
# that was down (or a clock that jumped) from ever seeing a forgotten id again.
REDELIVERY_WINDOW = timedelta(hours=24)
KEEP_UPDATE_IDS = REDELIVERY_WINDOW * 2
# The bytes of a delivered file are kept a day, for whoever looks into a delivery problem.
KEEP_SENT_FILES = timedelta(days=1)
# A Mini App request can be sent again only with launch data at most a day old
# (bot/web/initdata.py refuses older before anything else), so its id need not be kept longer.
KEEP_REQUEST_IDS = timedelta(days=2)


@dataclass(frozen=True, slots=True)
class Pruned:
    """What one housekeeping run removed."""

    update_ids: int
    files: int
    request_ids: int = 0  # the Mini App's (bot/web/)


async def prune(core: Core) -> Pruned:
    """Drop processed update ids past the redelivery window, the Mini App's old request ids
    and delivered files' bytes."""
    async with core.work(None) as work:
        result = Pruned(
            update_ids=await updates.prune_processed(work.conn, work.now - KEEP_UPDATE_IDS),
            files=await outbox.drop_delivered_files(work.conn, work.now - KEEP_SENT_FILES),
            request_ids=await webapp.prune(work.conn, work.now - KEEP_REQUEST_IDS),
        )
    if result.update_ids or result.files or result.request_ids:
        log.info(
            "housekeeping: forgot %d processed update ids and %d Mini App request ids,"
            " freed %d delivered files",
            result.update_ids,
            result.request_ids,
            result.files,
        )
    return result
