"""Telegram's service messages about the chats themselves."""

from __future__ import annotations

from telegram import Update

from bot.services.core import Core, Origin, Outcome
from bot.services.people import chats
from handlers.common import Context, adapter


@adapter
async def migrated(update: Update, context: Context, core: Core, origin: Origin) -> Outcome:
    """A group became a supergroup (the old chat says where to, the new one where from)."""
    message = update.effective_message
    assert message is not None
    if message.migrate_to_chat_id:
        return await chats.group_migrated(core, origin, message.chat_id, message.migrate_to_chat_id)
    assert message.migrate_from_chat_id
    return await chats.group_migrated(core, origin, message.migrate_from_chat_id, message.chat_id)
