"""Use cases about chats themselves: a group Telegram upgraded to a supergroup."""

from __future__ import annotations

import logging

from bot.services.core import Core, Origin, Outcome
from bot.services.work import Work
from storage import chats

log = logging.getLogger(__name__)


async def move_group(work: Work, old_chat_id: int, new_chat_id: int) -> bool:
    """Inside a use case: the group now has a new id; its registration and queued messages
    follow, audited once. False if there was nothing to move (it moved before)."""
    known = await chats.move_group(work.conn, old_chat_id, new_chat_id)
    readdressed = await chats.readdress_pending(work.conn, old_chat_id, new_chat_id)
    if not known and not readdressed:
        return False
    await work.audit(
        "group_migrated",
        "group_chat",
        new_chat_id,
        {"from": old_chat_id, "to": new_chat_id, "known": known, "readdressed": readdressed},
    )
    log.warning(
        "group %d became supergroup %d; it is known by the new id", old_chat_id, new_chat_id
    )
    return True


async def group_migrated(core: Core, origin: Origin, old_chat_id: int, new_chat_id: int) -> Outcome:
    """Telegram's service message about an upgrade: move the group before anything is sent."""
    async with core.work(origin) as work:
        await move_group(work, old_chat_id, new_chat_id)
    return Outcome()
