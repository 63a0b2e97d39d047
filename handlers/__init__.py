"""Thin Telegram adapters; :func:`register` wires them into the Application."""

from __future__ import annotations

from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from handlers import buttons, chats, dialogue, errors, onboarding

PRIVATE = filters.ChatType.PRIVATE
GROUPS = filters.ChatType.GROUPS


def register(application: Application) -> None:
    """Register every handler, most specific first (group 0 only; one handler per update)."""
    add = application.add_handler
    add(MessageHandler(filters.StatusUpdate.MIGRATE, chats.migrated))
    add(MessageHandler(filters.UpdateType.EDITED, onboarding.edited))
    add(CommandHandler("daftarkan_grup", onboarding.register_group))
    add(
        MessageHandler(
            GROUPS & filters.COMMAND & ~filters.Regex(r"^/status(@\w+)?\b"),
            onboarding.group_command,
        )
    )
    add(CommandHandler("start", onboarding.start, filters=PRIVATE))
    add(CommandHandler("undang", onboarding.invite, filters=PRIVATE))
    add(CommandHandler("anggota", onboarding.members, filters=PRIVATE))
    add(CommandHandler("bantuan", onboarding.help_, filters=PRIVATE))
    add(CommandHandler("batal", dialogue.cancel, filters=PRIVATE))
    for command, callback in dialogue.COMMANDS.items():
        add(CommandHandler(command, callback, filters=PRIVATE if command != "status" else None))
    add(CallbackQueryHandler(buttons.pressed))
    add(MessageHandler(PRIVATE & filters.Document.ALL, dialogue.document))
    add(MessageHandler(PRIVATE & filters.PHOTO, dialogue.photo))
    add(MessageHandler(PRIVATE & filters.TEXT & ~filters.COMMAND, dialogue.text))
    add(MessageHandler(PRIVATE & filters.COMMAND, onboarding.unknown_command))
    add(MessageHandler(PRIVATE, onboarding.not_text))
    application.add_error_handler(errors.on_error)
