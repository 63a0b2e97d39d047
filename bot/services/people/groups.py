"""The one group the bot serves: the registered agency group. Any other group learns nothing."""

from __future__ import annotations

from bot.services.work import Work
from bot.texts import common as texts
from storage import org


async def refuse_stranger_group(work: Work) -> bool:
    """True if the origin is a group other than the agency group (after queuing a refusal).

    The refusal is short, says nothing about the agency, and goes to each group only once
    (the outbox key is unique), so a stranger group cannot make the bot talk on.
    """
    origin = work.origin
    if origin is None or not origin.in_group:
        return False
    if await org.agency_group(work.conn) == origin.chat_id:
        return False
    await work.say(origin.chat_id, texts.STRANGER_GROUP, key=f"stranger-group:{origin.chat_id}")
    work.refused = "unregistered group"
    return True
