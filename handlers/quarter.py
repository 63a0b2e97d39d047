"""The quarter's commands: /buka_periode, /isi, /status, /tindak_lanjut."""

from __future__ import annotations

from telegram import Update

from bot.services.core import Core, Origin, Outcome
from bot.services.files import downloads
from bot.services.people import acting
from bot.services.quarter import entry, followup, opening, status
from handlers.common import Context, adapter


@adapter
async def open_period(update: Update, context: Context, core: Core, origin: Origin) -> Outcome:
    """/buka_periode: step 1."""
    return await opening.open_menu(core, origin)


@adapter
async def fill(update: Update, context: Context, core: Core, origin: Origin) -> Outcome:
    """/isi: step 2, start or resume."""
    return await entry.start(core, origin)


@adapter
async def show_status(update: Update, context: Context, core: Core, origin: Origin) -> Outcome:
    """/status: where the period stands."""
    return await status.status(core, origin)


@adapter
async def follow_up(update: Update, context: Context, core: Core, origin: Origin) -> Outcome:
    """/tindak_lanjut: step 9."""
    return await followup.menu(core, origin)


@adapter
async def download(update: Update, context: Context, core: Core, origin: Origin) -> Outcome:
    """/unduh: templates and reports the person may see."""
    return await downloads.menu(core, origin)


@adapter
async def acting_official(update: Update, context: Context, core: Core, origin: Origin) -> Outcome:
    """/plt: the admin assigns an acting official."""
    return await acting.menu(core, origin)
