"""The agency's own titles and how the bot addresses its reader (issue 20). Pure data and
small functions; :mod:`bot.texts.common` re-exports them, so callers say ``texts.role_title``.

The coordinator's titles come from the organisation file (``judul_koordinator``,
``judul_koordinator_singkat``) and are kept per process, like the office's zone: the composition
root sets them at start-up and after an import, a worker process from its config.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from bot.model import Role, Unit, UnitKind

# Plain text, not HTML (titles for documents, buttons and ``fill``, which escape them later).
PLAIN_TEXT = frozenset(
    {"role_title", "role_label_plain", "operator_title", "titles", "address", "spoken"}
)

# The agency's own titles. The coordinator's comes from the organisation file (judul_koordinator,
# judul_koordinator_singkat) and the operators' per unit (judul_operator); these are the
# defaults, correct for the SOP's Dinas. No invented abbreviation: without a short form chosen
# by the agency, the full title is used everywhere.
DEFAULT_COORDINATOR_TITLE = "Kasubbag Keuangan, Perencanaan, Evaluasi, dan Pelaporan"
OPERATOR_TITLE_SEKRETARIAT = "Kasubbag/Pejabat Fungsional"
OPERATOR_TITLE_BIDANG = "Pejabat Fungsional/Pengelola Data"
# An operator role without a unit (choosing a role to invite): the SOP's column, which covers
# both the Sekretariat and the bidang.
OPERATOR_TITLE_ANY = "Pejabat Fungsional (pengisi data unit)"

ROLE_TITLES: dict[Role, str] = {
    Role.KASUBAG_KPEP: DEFAULT_COORDINATOR_TITLE,
    Role.SEKRETARIS: "Sekretaris",
    Role.KADIN: "Kepala Dinas",
    Role.KABID: "Kepala Bidang",
    Role.OPERATOR: OPERATOR_TITLE_ANY,
}


@dataclass(frozen=True, slots=True)
class AgencyTitles:
    """The coordinator's title in full (welcome, /bantuan, documents) and in short (chat)."""

    coordinator: str = DEFAULT_COORDINATOR_TITLE
    coordinator_short: str = DEFAULT_COORDINATOR_TITLE


_titles = AgencyTitles()


def set_titles(coordinator: str = "", coordinator_short: str = "") -> None:
    """Use the agency's own titles (the composition root and every worker call this)."""
    global _titles
    full = coordinator.strip() or DEFAULT_COORDINATOR_TITLE
    _titles = AgencyTitles(full, coordinator_short.strip() or full)


def titles() -> AgencyTitles:
    """The agency's titles, plain text (for documents and for texts that escape them later)."""
    return _titles


def coordinator_title() -> str:
    """The coordinator's full title, escaped."""
    return _esc(_titles.coordinator)


def coordinator_short() -> str:
    """The coordinator's title as the agency shortens it in chat (else in full), escaped."""
    return _esc(_titles.coordinator_short)


def operator_title(unit: Unit | None) -> str:
    """A unit's operator title: the organisation file's, else the default for its kind."""
    if unit is None:
        return OPERATOR_TITLE_ANY
    if unit.operator_title:
        return unit.operator_title
    return (
        OPERATOR_TITLE_SEKRETARIAT if unit.kind == UnitKind.SEKRETARIAT else OPERATOR_TITLE_BIDANG
    )


def role_title(role: Role, unit: Unit | None = None, *, short: bool = False) -> str:
    """A role's title as the agency writes it, plain text; ``short``: the coordinator's
    short form and "Operator", for chat lines and buttons where the full title would not fit."""
    if role == Role.KASUBAG_KPEP:
        return _titles.coordinator_short if short else _titles.coordinator
    if role == Role.OPERATOR:
        return "Operator" if short and unit is None else operator_title(unit)
    return ROLE_TITLES[role]


def role_label_plain(role: Role, unit: Unit | None = None, acting: str = "") -> str:
    """E.g. "Plt. Kepala Bidang (Bidang Pelatihan)", plain text for documents and ``fill``."""
    prefix = {"plt": "Plt. ", "plh": "Plh. "}.get(acting, "")
    label = prefix + role_title(role, unit)
    return f"{label} ({unit.name})" if unit else label


# ---- courtesy -------------------------------------------------------------------------------
SAPAAN = ("Bapak", "Ibu")
# Where a text speaks to its reader ("Mohon Bapak berkenan …"). A message is written once for
# everyone holding a role; when it is queued for a chat, the mark becomes that person's sapaan
# (bot.services.work.Work.say). A private-use character nobody types; esc() drops it from data.
ADDRESS = "\ue000"


def address(sapaan: str) -> str:
    """How to speak to someone: their sapaan, else the polite form for either."""
    return sapaan if sapaan in SAPAAN else "Bapak/Ibu"


def spoken(text: str, sapaan: str) -> str:
    """``text`` as its reader reads it: the mark of ADDRESS replaced by their sapaan."""
    return text.replace(ADDRESS, address(sapaan))


def addressed(sapaan: str, name: str) -> str:
    """A person greeted by name, e.g. "Bapak Hendra Kusuma" (the name alone while unknown)."""
    return f"{sapaan} {_esc(name)}" if sapaan in SAPAAN else _esc(name)


def ask_sapaan() -> str:
    """Asked once, at /start, when nobody said how the person is addressed."""
    return "Agar bot menyapa dengan tepat, mohon pilih sapaan untuk Anda:"


def sapaan_saved(sapaan: str) -> str:
    """After the person chose."""
    return f"Terima kasih. Bot akan menyapa Anda dengan <b>{_esc(sapaan)}</b>."


def _esc(text: str) -> str:
    # As bot.texts.common.esc: data never carries the reader's mark.
    return html.escape(text.replace(ADDRESS, ""), quote=False)
