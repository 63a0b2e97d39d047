"""Evidence (*data dukung*) of a follow-up: a photo, a PDF or a spreadsheet sent in chat.

The bot keeps Telegram's file id with the name, kind, size, sender and time, and sends the
file back by that id: the bytes are never copied into the database or its backups. A file is
taken as evidence only while its sender is recording a follow-up (the ``follow_up`` or
``evidence`` dialogue), and it is recorded in the same transaction that marks its update
handled, so a crash can neither lose it nor record it twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.clock import from_iso
from bot.model import Role
from bot.services.core import Caller, Core, Origin, Outcome, caller
from bot.services.quarter import followup
from bot.services.quarter.flow import refuse_role
from bot.services.quarter.questions import ENTRY
from bot.services.work import Work
from bot.texts import common as texts
from bot.texts import followup as tl
from bot.workflow import FollowUpState
from storage import followups, org, updates
from storage.updates import Dialog

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024  # what a bot may fetch from Telegram at all
PHOTO = "foto"
PDF = "pdf"
SPREADSHEET = "lembar_kerja"
_KINDS_BY_SUFFIX = {
    ".pdf": PDF,
    ".xlsx": SPREADSHEET,
    ".xls": SPREADSHEET,
    ".ods": SPREADSHEET,
    ".csv": SPREADSHEET,
    ".jpg": PHOTO,
    ".jpeg": PHOTO,
    ".png": PHOTO,
    ".webp": PHOTO,
    ".heic": PHOTO,
}
# A file's type is judged by its name and, when Telegram names one, its MIME type too: a
# renamed executable is refused even if it is called "bukti.pdf".
_MIME_PREFIXES = {
    PDF: ("application/pdf",),
    SPREADSHEET: (
        "application/vnd.openxmlformats-officedocument.spreadsheetml",
        "application/vnd.ms-excel",
        "application/vnd.oasis.opendocument.spreadsheet",
        "text/csv",
        "text/plain",
    ),
    PHOTO: ("image/",),
}


@dataclass(frozen=True, slots=True)
class Incoming:
    """What Telegram told of a file someone sent."""

    file_id: str
    file_name: str
    size: int
    mime_type: str = ""
    is_photo: bool = False  # sent as a photo (compressed), not as a file


def kind_of(incoming: Incoming) -> str | None:
    """``foto``, ``pdf`` or ``lembar_kerja``; None for any other file."""
    if incoming.is_photo:
        return PHOTO
    name = incoming.file_name.lower()
    suffix = name[name.rfind(".") :] if "." in name else ""
    kind = _KINDS_BY_SUFFIX.get(suffix)
    if kind is None:
        return None
    mime = incoming.mime_type.lower()
    if mime and mime != "application/octet-stream" and not mime.startswith(_MIME_PREFIXES[kind]):
        return None
    return kind


def awaits_evidence(dialog: Dialog | None, now: datetime, incoming: Incoming) -> bool:
    """Whether a file the person sends now is taken as evidence: while a follow-up is being
    recorded, for a while after it was saved, and at a carried recommendation's question of
    the form (a photo or PDF there: a spreadsheet is the form's template)."""
    if dialog is None:
        return False
    if dialog.name == followup.FOLLOW_UP:
        return True
    if dialog.name == ENTRY:
        return "rec" in dialog.data and kind_of(incoming) in (PHOTO, PDF)
    until = dialog.data.get("until")
    return dialog.name == followup.EVIDENCE and (not until or now <= from_iso(str(until)))


async def photo_received(core: Core, origin: Origin, incoming: Incoming) -> Outcome:
    """A photo in a private chat: evidence if one is awaited, else refused with the reason."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome()
        dialog = await updates.dialog(work.conn, origin.telegram_id)
        if not awaits_evidence(dialog, work.now, incoming):
            work.refused = "not expected"
            await work.reply(tl.EVIDENCE_NOT_EXPECTED)
            return Outcome()
        assert dialog is not None
        await take(work, who, dialog, incoming)
    return Outcome()


async def take(work: Work, who: Caller, dialog: Dialog, incoming: Incoming) -> None:
    """Record a file as evidence of the dialogue's follow-up, or refuse it with the reason
    (changing nothing): not a photo, PDF or spreadsheet; too large; not the person's unit;
    a recommendation closed as not pursued."""
    kind = kind_of(incoming)
    if kind is None:
        work.refused = "file type"
        await work.reply(tl.EVIDENCE_WRONG_TYPE)
        return
    if incoming.size > MAX_EVIDENCE_BYTES:
        work.refused = "too large"
        await work.reply(
            texts.fill(tl.EVIDENCE_TOO_LARGE, limit=MAX_EVIDENCE_BYTES // (1024 * 1024))
        )
        return
    rec = await followups.recommendation(work.conn, int(dialog.data["rec"]))
    unit = str(dialog.data.get("unit") or "")
    # The dialogue was opened for this person and unit, but roles change: check again.
    if rec is None or unit not in rec.units or not followup.may_follow_up(who, unit):
        work.refused = "role"
        await work.reply(tl.EVIDENCE_NOT_YOURS)
        return
    if rec.state_of(unit) is FollowUpState.DROPPED:
        work.refused = "dropped"
        await work.reply(tl.EVIDENCE_CLOSED)
        return
    # A photo has no name of its own: it is named after the recommendation and its number.
    count = len(await followups.evidence(work.conn, rec.id, unit)) + 1
    name = incoming.file_name or f"foto-{rec.id}-{unit}-{count}.jpg"
    evidence_id = await followups.add_evidence(
        work.conn,
        rec.id,
        unit,
        kind,
        incoming.file_id,
        name,
        incoming.size,
        who.person.id,
        work.now,
    )
    await work.audit(
        "evidence_received",
        "recommendation",
        rec.id,
        {"unit": unit, "evidence": evidence_id, "kind": kind, "size": incoming.size},
        who.person.id,
    )
    if dialog.name == ENTRY:  # the form's question still waits for its answer
        await work.reply(tl.evidence_saved_in_form(name, count))
    else:
        await work.reply(tl.evidence_saved(name, count))


def may_see_evidence(who: Caller, unit_code: str) -> bool:
    """The unit itself, the coordinator, the Sekretaris and the Kepala Dinas."""
    if followup.may_follow_up(who, unit_code):
        return True
    return any(who.holds(role) for role in (Role.KASUBAG_KPEP, Role.SEKRETARIS, Role.KADIN))


async def show(core: Core, origin: Origin, rec_id: int, unit_code: str) -> Outcome:
    """A "data dukung" button: the unit's evidence files, sent again by their file ids."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome(texts.NOT_REGISTERED, alert=True)
        rec = await followups.recommendation(work.conn, rec_id)
        if rec is None or unit_code not in rec.units:
            work.refused = "forged"
            return Outcome(texts.BUTTON_INVALID)
        if not may_see_evidence(who, unit_code):
            await refuse_role(work)
            return Outcome(tl.evidence_not_allowed(), alert=True)
        files = await followups.evidence(work.conn, rec.id, unit_code)
        if not files:
            await work.reply(tl.NO_EVIDENCE)
            return Outcome()
        unit = await org.unit(work.conn, unit_code)
        name = unit.name if unit else unit_code
        for item in files:
            method = "sendPhoto" if item.kind == PHOTO else "sendDocument"
            sender = await org.person(work.conn, item.sent_by)
            caption = tl.evidence_caption(
                name, rec.text, item.file_name, sender.full_name if sender else "", item.sent_at
            )
            await work.send_file_id(origin.chat_id, method, item.file_id, caption)
        await work.audit(
            "evidence_shown", "recommendation", rec.id, {"unit": unit_code}, who.person.id
        )
    return Outcome()
