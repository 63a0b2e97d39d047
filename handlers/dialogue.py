"""Free text, documents, /batal and the workflow's commands: routed to the services."""

from __future__ import annotations

from telegram import Update

from bot.services import dialogue as dialogue_service
from bot.services.core import Core, Origin, Outcome
from bot.services.files import uploads
from bot.services.quarter import evidence
from handlers.common import Context, Handler, adapter


@adapter
async def text(update: Update, context: Context, core: Core, origin: Origin) -> Outcome:
    """A typed answer: the service knows which question it answers."""
    assert update.effective_message is not None
    return await dialogue_service.handle_text(core, origin, update.effective_message.text or "")


@adapter
async def cancel(update: Update, context: Context, core: Core, origin: Origin) -> Outcome:
    """/batal: leave the dialogue, keep the answers."""
    return await dialogue_service.cancel(core, origin)


@adapter
async def document(update: Update, context: Context, core: Core, origin: Origin) -> Outcome:
    """A document: taken in by the upload use case; fetched and read after it is confirmed."""
    message = update.effective_message
    assert message is not None and message.document is not None
    doc = message.document
    return await uploads.received(
        core, origin, doc.file_name or "", doc.file_id, doc.file_size or 0, doc.mime_type or ""
    )


@adapter
async def photo(update: Update, context: Context, core: Core, origin: Origin) -> Outcome:
    """A photo: evidence of a follow-up, if one is being recorded (the largest size kept)."""
    message = update.effective_message
    assert message is not None and message.photo
    largest = message.photo[-1]
    incoming = evidence.Incoming(largest.file_id, "", largest.file_size or 0, is_photo=True)
    return await evidence.photo_received(core, origin, incoming)


def _commands() -> dict[str, Handler]:
    from handlers import quarter

    return {
        "buka_periode": quarter.open_period,
        "isi": quarter.fill,
        "status": quarter.show_status,
        "tindak_lanjut": quarter.follow_up,
        "unduh": quarter.download,
        "plt": quarter.acting_official,
    }


COMMANDS: dict[str, Handler] = _commands()
