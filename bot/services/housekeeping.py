"""Housekeeping run by the daily job: forget what can never be needed again."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from bot.services.core import Core
from storage import outbox, updates

log = logging.getLogger(__name__)

# Telegram keeps an unconfirmed update for about 24 hours; a day's margin on top keeps a bot
# that was down (or a clock that jumped) from ever seeing a forgotten id again.
REDELIVERY_WINDOW = timedelta(hours=24)
KEEP_UPDATE_IDS = REDELIVERY_WINDOW * 2
# The bytes of a delivered file are kept a day, for whoever looks into a delivery problem.
KEEP_SENT_FILES = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Pruned:
    """What one housekeeping run removed."""

    update_ids: int
    files: int


async def prune(core: Core) -> Pruned:
    """Drop processed update ids past the redelivery window and delivered files' bytes."""
    async with core.work(None) as work:
        result = Pruned(
            update_ids=await updates.prune_processed(work.conn, work.now - KEEP_UPDATE_IDS),
            files=await outbox.drop_delivered_files(work.conn, work.now - KEEP_SENT_FILES),
        )
    if result.update_ids or result.files:
        log.info(
            "housekeeping: forgot %d processed update ids, freed %d delivered files",
            result.update_ids,
            result.files,
        )
    return result
