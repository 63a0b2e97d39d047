"""Callback data as a small codec: ``prefix:field:field...``, at most 64 bytes, parsed here only.

Decoding validates shape, not meaning: the service re-checks the person, the role and the
state, so a forged or replayed button can at worst be refused.
"""

from __future__ import annotations

import builtins
import re
from dataclasses import dataclass
from enum import StrEnum

MAX_BYTES = 64
_FIELD = re.compile(r"^[a-z0-9_]{1,32}$")
# An id or version: plain ASCII digits, small enough for an SQLite INTEGER (int() would also
# take "1_000", and a 30-digit id would overflow the driver instead of being refused).
_NUMBER = re.compile(r"^[0-9]{1,18}$")


class Cb(StrEnum):
    """Button kinds; the value is the prefix on the wire."""

    INVITE_ROLE = "ir"  # role
    INVITE_UNIT = "iu"  # role, unit
    OPEN_QUARTER = "oq"  # year, quarter
    OPEN_APPROVE = "oa"  # period id, version
    OPEN_REJECT = "or"  # period id, version
    ENTRY_SKIP = "es"  # report id, position
    ENTRY_BACK = "eb"  # report id, position
    ENTRY_SUMMARY = "em"  # report id
    ENTRY_GOTO = "eg"  # report id, position
    ENTRY_SUBMIT = "ek"  # report id, version
    ENTRY_SAVE_UPLOAD = "eu"  # report id, version, upload token
    ENTRY_DISCARD_UPLOAD = "ex"  # report id
    UNIT_APPROVE = "ua"  # report id, version
    UNIT_RETURN = "ur"  # report id, version
    COMPILE_RETURN_UNIT = "cr"  # period id, version, unit
    COMPILE_NARRATIVE = "cn"  # period id
    COMPILE_SUBMIT = "cs"  # period id, version
    SECRETARY_APPROVE = "sa"  # period id, version
    SECRETARY_RETURN = "sr"  # period id, version
    HEAD_RECOMMEND = "kr"  # period id, unit or "umum"
    HEAD_APPROVE = "ka"  # period id, version
    HEAD_RETURN = "kx"  # period id, version
    FORWARD = "fw"  # period id, version
    DISTRIBUTE = "ds"  # period id, version
    FOLLOW_UP = "fu"  # recommendation id
    NUDGE = "nu"  # period id, unit
    DOWNLOAD_TEMPLATE = "dt"  # unit report id
    DOWNLOAD_REPORT = "dr"  # period id
    DOWNLOAD_FIGURES = "dk"  # format (csv or xlsx)
    ACTING_PERSON = "ap"  # person id
    ACTING_ROLE = "ar"  # person id, role
    ACTING_UNIT = "au"  # person id, role, unit
    # The drafted analysis (issue 14)
    DRAFT_USE = "nd"  # period id, drafted id: step 4, the draft becomes the narrative
    DRAFT_EDIT = "ne"  # period id, drafted id: step 4, the draft comes back to edit
    SUGGEST_KEEP = "sk"  # drafted id: step 6, a suggestion kept as a recommendation
    SUGGEST_EDIT = "se"  # drafted id: step 6, a suggestion comes back to edit
    FOLLOW_UP_UNIT = "fv"  # recommendation id, unit (a general one is followed up per unit)
    REVIEW_ALL = "va"  # unit report id: "Lihat semua isian" of a review request
    ENTRY_FILL_ALL = "ef"  # unit report id: the ready-to-fill message of the form
    # Nothing decided blind (issue 19)
    COMPILE_BARE = "cb"  # period id, version: step 4 sent without a narrative, asked first
    COMPILE_BARE_YES = "cy"  # period id, version: ... and confirmed
    NARRATIVE_FULL = "nf"  # period id: the whole narrative of a step 5 or 6 request
    # The admin's /anggota (bot/services/people/members.py); every press re-checks the admin.
    MEMBER_PAGE = "mp"  # page
    MEMBER_SHOW = "ms"  # person id
    MEMBER_END = "me"  # assignment id: ask the end date
    MEMBER_END_TODAY = "mt"  # assignment id
    MEMBER_DEACTIVATE = "md"  # person id: ask to confirm
    MEMBER_DEACTIVATE_YES = "mk"  # person id
    MEMBER_ADMIN = "ma"  # person id: ask to confirm revoking admin
    MEMBER_ADMIN_YES = "mb"  # person id
    MEMBER_HANDOVER = "mh"  # assignment id: pick the successor
    MEMBER_HANDOVER_TO = "mg"  # assignment id, person id
    MEMBER_HANDOVER_INVITE = "mi"  # assignment id
    INVITE_LIST = "il"  # page
    INVITE_REVOKE = "iv"  # invite number
    # Courtesy (issue 20): how a person is addressed, chosen by the person or by the admin.
    SAPAAN = "sp"  # "bapak" or "ibu": the person's own choice
    MEMBER_SAPAAN = "mz"  # person id, "bapak" or "ibu": the admin's, in /anggota
    REMIND_AGAIN = "ra"  # step run id: an escalation's Ingatkan, one more reminder
    # A follow-up is a status with evidence (issue 23); every press re-checks person and state.
    FOLLOW_UP_STATUS = "ft"  # recommendation id, unit, status
    EVIDENCE_SHOW = "fe"  # recommendation id, unit
    FOLLOW_UP_REOPEN = "fr"  # recommendation id, unit, follow-up id (the "selesai" returned)
    FOLLOW_UP_DROP = "fd"  # recommendation id
    REC_DUE = "rd"  # recommendation id: step 6, the Kepala Dinas sets its due date
    ENTRY_STATUS = "ez"  # unit report id, position, status: a carried recommendation's status


@dataclass(frozen=True, slots=True)
class Callback:
    """A decoded button press."""

    kind: Cb
    fields: tuple[str, ...]

    def int(self, index: int) -> int:
        """Field ``index`` as an integer; ValueError unless it is a plain, bounded number."""
        field = self.fields[index]
        if not _NUMBER.match(field):
            raise ValueError(f"not an id: {field!r}")
        return int(field)

    def str(self, index: builtins.int) -> builtins.str:
        """Field ``index`` as text."""
        return self.fields[index]


def encode(kind: Cb, *fields: object) -> str:
    """Build callback data; raises ValueError if it would not fit Telegram's 64 bytes."""
    parts = [str(f) for f in fields]
    for part in parts:
        if not _FIELD.match(part):
            raise ValueError(f"bad callback field {part!r}")
    data = ":".join([kind.value, *parts])
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data too long: {data!r}")
    return data


def decode(data: str | None) -> Callback | None:
    """Parse callback data; None for anything malformed."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    prefix, *fields = data.split(":")
    try:
        kind = Cb(prefix)
    except ValueError:
        return None
    if not all(_FIELD.match(f) for f in fields):
        return None
    return Callback(kind, tuple(fields))


# How many fields each kind carries (see the comments on :class:`Cb`).
ARITY: dict[Cb, int] = {
    Cb.INVITE_ROLE: 1,
    Cb.INVITE_UNIT: 2,
    Cb.OPEN_QUARTER: 2,
    Cb.OPEN_APPROVE: 2,
    Cb.OPEN_REJECT: 2,
    Cb.ENTRY_SKIP: 2,
    Cb.ENTRY_BACK: 2,
    Cb.ENTRY_SUMMARY: 1,
    Cb.ENTRY_GOTO: 2,
    Cb.ENTRY_SUBMIT: 2,
    Cb.ENTRY_SAVE_UPLOAD: 3,
    Cb.ENTRY_DISCARD_UPLOAD: 1,
    Cb.UNIT_APPROVE: 2,
    Cb.UNIT_RETURN: 2,
    Cb.COMPILE_RETURN_UNIT: 3,
    Cb.COMPILE_NARRATIVE: 1,
    Cb.COMPILE_SUBMIT: 2,
    Cb.SECRETARY_APPROVE: 2,
    Cb.SECRETARY_RETURN: 2,
    Cb.HEAD_RECOMMEND: 2,
    Cb.HEAD_APPROVE: 2,
    Cb.HEAD_RETURN: 2,
    Cb.FORWARD: 2,
    Cb.DISTRIBUTE: 2,
    Cb.FOLLOW_UP: 1,
    Cb.NUDGE: 2,
    Cb.DOWNLOAD_TEMPLATE: 1,
    Cb.DOWNLOAD_REPORT: 1,
    Cb.DOWNLOAD_FIGURES: 1,
    Cb.ACTING_PERSON: 1,
    Cb.ACTING_ROLE: 2,
    Cb.ACTING_UNIT: 3,
    Cb.DRAFT_USE: 2,
    Cb.DRAFT_EDIT: 2,
    Cb.SUGGEST_KEEP: 1,
    Cb.SUGGEST_EDIT: 1,
    Cb.FOLLOW_UP_UNIT: 2,
    Cb.REVIEW_ALL: 1,
    Cb.ENTRY_FILL_ALL: 1,
    Cb.COMPILE_BARE: 2,
    Cb.COMPILE_BARE_YES: 2,
    Cb.NARRATIVE_FULL: 1,
    Cb.MEMBER_PAGE: 1,
    Cb.MEMBER_SHOW: 1,
    Cb.MEMBER_END: 1,
    Cb.MEMBER_END_TODAY: 1,
    Cb.MEMBER_DEACTIVATE: 1,
    Cb.MEMBER_DEACTIVATE_YES: 1,
    Cb.MEMBER_ADMIN: 1,
    Cb.MEMBER_ADMIN_YES: 1,
    Cb.MEMBER_HANDOVER: 1,
    Cb.MEMBER_HANDOVER_TO: 2,
    Cb.MEMBER_HANDOVER_INVITE: 1,
    Cb.INVITE_LIST: 1,
    Cb.INVITE_REVOKE: 1,
    Cb.SAPAAN: 1,
    Cb.MEMBER_SAPAAN: 2,
    Cb.REMIND_AGAIN: 1,
    Cb.FOLLOW_UP_STATUS: 3,
    Cb.EVIDENCE_SHOW: 2,
    Cb.FOLLOW_UP_REOPEN: 3,
    Cb.FOLLOW_UP_DROP: 1,
    Cb.REC_DUE: 1,
    Cb.ENTRY_STATUS: 3,
}


def decode_exact(data: str | None) -> Callback | None:
    """Like :func:`decode`, but also None unless the kind has exactly its number of fields.

    A button the bot made always has its kind's arity, so anything shorter (truncated) or
    longer (padded) was not made by the bot.
    """
    callback = decode(data)
    if callback is None or len(callback.fields) != ARITY[callback.kind]:
        return None
    return callback
