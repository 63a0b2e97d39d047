"""Texts of people coming and going (/anggota's actions, invites) and of decisions that follow
the role to its new holder, in formal Indonesian. Every value from data is escaped."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from babel.dates import format_date

from bot.texts.common import esc, when
from bot.texts.fit import short

# The members list is cut into pages well below Telegram's limit, so a page reads on a phone.
MAX_PAGE_CHARS = 1500

# Plain text, not HTML: button labels (Telegram shows them as typed).
PLAIN_TEXT = frozenset({"btn_sapaan"})
BTN_PREV = "‹ Sebelumnya"
BTN_NEXT = "Berikutnya ›"
BTN_INVITES = "Undangan belum dipakai"
BTN_TODAY = "Hari ini"
BTN_DEACTIVATE = "Nonaktifkan"
BTN_DEACTIVATE_YES = "Ya, nonaktifkan"
BTN_REVOKE_ADMIN = "Cabut hak pengelola bot"
BTN_REVOKE_ADMIN_YES = "Ya, cabut hak pengelola bot"
BTN_BY_INVITE = "Lewat undangan baru"

ASK_END_DATE = (
    "Akhiri peran <b>{role}</b> dari <b>{name}</b>. Ketuk <b>Hari ini</b>, atau ketik "
    "tanggal berakhirnya, mis. <code>31/12/2026</code> (peran berakhir pada awal hari itu)."
)
BAD_END_DATE = "Tanggal tidak dikenali. Tulis hari/bulan/tahun, mis. <code>31/12/2026</code>."
NOT_ACTIVE = "Peran ini sudah berakhir. Tidak ada perubahan."
PERSON_GONE = "Anggota ini sudah dinonaktifkan. Tidak ada perubahan."
NOT_AN_ADMIN = "Anggota ini bukan pengelola bot. Tidak ada perubahan."
LAST_ADMIN = (
    "Ditolak: <b>{name}</b> adalah satu-satunya pengelola bot. Jadikan anggota lain "
    "pengelola bot lebih dulu (undangan dengan hak pengelola bot). Tidak ada perubahan."
)
SAME_PERSON = "Peran tidak dapat diserahkan kepada pemegangnya sendiri. Tidak ada perubahan."
ALREADY_HOLDS = "<b>{name}</b> sudah memegang peran ini. Tidak ada perubahan."
INVITE_GONE = "Undangan ini sudah dipakai, dicabut, atau kedaluwarsa. Tidak ada perubahan."
NO_INVITES = "Tidak ada undangan yang belum dipakai."
PICK_SUCCESSOR = "Serahkan peran <b>{role}</b> dari <b>{name}</b> kepada:"
DEACTIVATED_TOAST = "Anggota dinonaktifkan."
ADMIN_REVOKED_TOAST = "Hak pengelola bot dicabut."
INVITE_REVOKED_TOAST = "Undangan dicabut."


def _d(day: date) -> str:
    return format_date(day, "d MMMM yyyy", locale="id_ID")


def members_page(lines: Sequence[str], page: int, pages: int, is_admin: bool) -> str:
    """One page of /anggota: ``lines`` are already escaped."""
    head = "<b>Anggota terdaftar</b>" + (f" (hal. {page + 1}/{pages})" if pages > 1 else "")
    body = list(lines) or ["Belum ada anggota."]
    foot = ["", "Ketuk nama anggota untuk mengubah perannya."] if is_admin and lines else []
    return "\n".join([head, *body, *foot])


def member_line(name: str, roles: Sequence[str], is_admin: bool) -> str:
    """A person on the list: name (cut as plain text, then escaped: a page cuts nothing),
    roles (already escaped labels), admin mark."""
    mark = " (admin)" if is_admin else ""
    return f"• <b>{esc(short(name))}</b>{mark}: " + ("; ".join(roles) or "tanpa peran aktif")


def member_card(
    name: str, roles: Sequence[str], is_admin: bool, joined: datetime, sapaan: str = ""
) -> str:
    """One person with what the admin can do."""
    lines = [f"<b>{esc(name)}</b>" + (" — pengelola bot" if is_admin else "")]
    lines += [f"• {r}" for r in roles] or ["• tanpa peran aktif"]
    lines += ["", f"Sapaan: {esc(sapaan) if sapaan else 'belum dipilih'}."]
    lines += [f"Terdaftar sejak {when(joined)}.", "Pilih tindakan:"]
    return "\n".join(lines)


def btn_sapaan(sapaan: str) -> str:
    """Button: address the person so from now on."""
    return f"Sapa dengan {sapaan}"


def sapaan_changed(name: str, sapaan: str) -> str:
    """To the admin after changing how someone is addressed."""
    return f"✔️ <b>{esc(name)}</b> kini disapa <b>{esc(sapaan)}</b>."


def btn_end(role: str) -> str:
    """Button: end one of the person's roles (``role`` plain text)."""
    return f"Akhiri: {role}"[:60]


def btn_hand_over(role: str) -> str:
    """Button: hand one of the person's roles to someone else."""
    return f"Serahkan: {role}"[:60]


def confirm_deactivate(name: str) -> str:
    """Asked before deactivating."""
    return (
        f"Nonaktifkan <b>{esc(name)}</b>? Semua perannya berakhir sekarang, hak pengelola bot "
        "dicabut, dan tombol lamanya tidak berlaku lagi."
    )


def confirm_revoke_admin(name: str) -> str:
    """Asked before taking the admin right away."""
    return f"Cabut hak pengelola bot <b>{esc(name)}</b>? Perannya yang lain tetap."


def role_ended(name: str, role: str, at: datetime) -> str:
    """To the admin: a role was ended."""
    return f"Peran <b>{role}</b> dari <b>{esc(name)}</b> berakhir {when(at)}."


def your_role_ended(role: str, at: datetime) -> str:
    """To the person whose role was ended."""
    return f"Peran Anda sebagai <b>{role}</b> berakhir {when(at)}. Terima kasih."


def deactivated(name: str) -> str:
    """To the admin."""
    return f"<b>{esc(name)}</b> dinonaktifkan; semua perannya berakhir."


YOU_ARE_DEACTIVATED = (
    "Keanggotaan Anda di bot kinerja Dinas telah dinonaktifkan oleh pengelola bot; "
    "semua peran Anda berakhir. Terima kasih atas kerja samanya."
)
YOUR_ADMIN_REVOKED = "Hak pengelola bot Anda di bot kinerja Dinas telah dicabut."


def admin_revoked(name: str) -> str:
    """To the admin who did it."""
    return f"Hak pengelola bot <b>{esc(name)}</b> dicabut."


def handed_over(role: str, old: str, new: str) -> str:
    """To the admin: a role moved to a registered person."""
    return f"Peran <b>{role}</b> diserahkan dari <b>{esc(old)}</b> kepada <b>{esc(new)}</b>."


def you_took_over(role: str, old: str) -> str:
    """To the successor."""
    return f"Anda kini memegang peran <b>{role}</b> (sebelumnya {esc(old)})."


def handed_over_by_invite(role: str, old: str, link: str, expires: datetime) -> str:
    """To the admin: the role ended; the successor joins with this link."""
    return (
        f"Peran <b>{role}</b> dari <b>{esc(old)}</b> berakhir. Tautan undangan untuk "
        f"penggantinya:\n{esc(link)}\n\nBerlaku sekali pakai sampai {when(expires)}. Keputusan "
        "yang menunggu peran ini dialihkan kepadanya begitu ia bergabung."
    )


def invites_list(rows: Sequence[tuple[int, str, datetime, datetime]]) -> str:
    """Open invitations: (number, role label escaped, created, expires)."""
    lines = ["<b>Undangan belum dipakai</b>"]
    for number, role, created, expires in rows:
        lines.append(f"{number}. {role} — dibuat {when(created)}, berlaku s.d. {when(expires)}")
    return "\n".join(lines)


def btn_revoke_invite(number: int) -> str:
    """Button: revoke one invitation."""
    return f"Cabut undangan {number}"


def end_date_label(day: date) -> str:
    """A date as people read it."""
    return _d(day)


# ---- decisions that follow the role -------------------------------------------------------


def reoffered(role: str) -> str:
    """Before a request handed on to a new holder."""
    return (
        f"Keputusan berikut menunggu pemegang peran <b>{role}</b>, yang kini Anda pegang. "
        "Silakan ditindaklanjuti."
    )


def moved_note(names: Sequence[str]) -> str:
    """Replaces a former holder's request (its buttons removed)."""
    if not names:
        return "Peran ini tidak lagi Anda pegang; tombol keputusan dinonaktifkan."
    return (
        "Peran ini tidak lagi Anda pegang; keputusan dialihkan kepada "
        + ", ".join(esc(n) for n in names)
        + "."
    )


WAITING_ON_YOU = "<b>Menunggu keputusan Anda</b>"


def waiting_item(step: int, step_name: str, label: str, unit: str | None) -> str:
    """One decision waiting on the caller, above its buttons."""
    where = f" — {esc(unit)}" if unit else ""
    return f"Langkah {step}: {esc(step_name)}{where} ({esc(label)})"
