"""Uploads checked but not saved: the dialog that holds one, and ending them.

Below :mod:`bot.services.quarter.submission` (a report sent for review ends them) and
:mod:`bot.services.files.uploads` (which opens them), so that neither imports the other's way up.
"""

from __future__ import annotations

from bot.services.work import Work
from storage import updates

UPLOAD = "upload"  # the dialog of an upload waiting for Simpan or Batalkan


async def forget_previews(work: Work, report_id: int, note: str) -> None:
    """End every checked but unsaved upload of the report (any operator of the unit may have
    one open): each preview's buttons give way to ``note``."""
    for telegram_id, pending in await updates.dialogs_about(work.conn, UPLOAD, "report", report_id):
        await updates.clear_dialog(work.conn, telegram_id)
        await work.clear_buttons(f"upload:{pending.data.get('token')}", note)
