"""Joining and the organisation: /start, /undang, /anggota, /daftarkan_grup, /bantuan."""

from __future__ import annotations

from telegram import Update

from bot.services.core import Core, Origin, Outcome
from bot.services.people import members as members_service
from bot.services.people import onboarding
from bot.texts import common as texts
from handlers.common import Context, adapter


@adapter
async def start(update: Update, context: Context, core: Core, origin: Origin) -> Outcome:
    """/start [token]: join with an invite, or learn how to get one."""
    payload = " ".join(context.args or []) or None
    return await onboarding.start(core, origin, payload)


@adapter
async def invite(update: Update, context: Context, core: Core, origin: Origin) -> Outcome:
    """/undang: the admin makes an invite link."""
    return await onboarding.invite_menu(core, origin)


@adapter
async def members(update: Update, context: Context, core: Core, origin: Origin) -> Outcome:
    """/anggota: who holds which role (page 0 of the list)."""
    return await members_service.show_page(core, origin, 0)


@adapter
async def register_group(update: Update, context: Context, core: Core, origin: Origin) -> Outcome:
    """/daftarkan_grup: make this group the agency group."""
    return await onboarding.register_group(core, origin)


@adapter
async def help_(update: Update, context: Context, core: Core, origin: Origin) -> Outcome:
    """/bantuan: help for the sender's roles."""
    return await onboarding.help_(core, origin)


@adapter
async def group_command(update: Update, context: Context, core: Core, origin: Origin) -> Outcome:
    """A private-chat command sent in the group: point to the private chat."""
    return await onboarding.group_pointer(core, origin)


@adapter
async def unknown_command(update: Update, context: Context, core: Core, origin: Origin) -> Outcome:
    """A command the bot does not have."""
    return await onboarding.say_only(core, origin, texts.UNKNOWN_COMMAND)


@adapter
async def not_text(update: Update, context: Context, core: Core, origin: Origin) -> Outcome:
    """A sticker, photo, voice note...: explain what the bot understands."""
    return await onboarding.say_only(core, origin, texts.NOT_TEXT)


@adapter
async def edited(update: Update, context: Context, core: Core, origin: Origin) -> Outcome:
    """An edited message: not applied, the person is told so."""
    return await onboarding.say_only(core, origin, texts.EDITED_IGNORED)
