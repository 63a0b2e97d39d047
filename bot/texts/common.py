"""Every sentence a user reads, in formal Indonesian, in one place (HTML parse mode).

Functions take plain values and return ready HTML; anything a person typed is escaped here.
Workflow-specific texts live in the package's other modules (:mod:`bot.texts.quarter`,
:mod:`bot.texts.entry`, :mod:`bot.texts.checks`, ...) to keep each file readable.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.dates import office_zone as office_zone
from bot.dates import set_zone as set_zone
from bot.dates import when as when
from bot.model import Role, Unit

# The agency's titles and the reader's sapaan live in bot.texts.titles (which imports nothing
# from here); every texts module and service reaches them as ``texts.<name>`` too.
from bot.texts.titles import ADDRESS as ADDRESS
from bot.texts.titles import ROLE_TITLES as ROLE_TITLES
from bot.texts.titles import SAPAAN as SAPAAN
from bot.texts.titles import address as address
from bot.texts.titles import addressed as addressed
from bot.texts.titles import ask_sapaan as ask_sapaan
from bot.texts.titles import coordinator_short as coordinator_short
from bot.texts.titles import coordinator_title as coordinator_title
from bot.texts.titles import operator_title as operator_title
from bot.texts.titles import role_label_plain as role_label_plain
from bot.texts.titles import role_title as role_title
from bot.texts.titles import sapaan_saved as sapaan_saved
from bot.texts.titles import set_titles as set_titles
from bot.texts.titles import spoken as spoken
from bot.texts.titles import titles as titles

MAX_MESSAGE_UTF16 = 4096
TZ = ZoneInfo("Asia/Jakarta")

ROLE_DUTIES: dict[Role, str] = {
    Role.KASUBAG_KPEP: (
        "membuka periode (/buka_periode), menyusun dan menganalisis laporan Dinas, "
        "serta menyampaikan rekomendasi ke bidang"
    ),
    Role.SEKRETARIS: (
        "menyetujui pembukaan periode, menelaah draf laporan Dinas, dan menyerahkan laporan "
        "yang disetujui; juga menyetujui laporan Sekretariat"
    ),
    Role.KADIN: "menelaah laporan kinerja Dinas, memberi rekomendasi, dan menyetujuinya",
    Role.KABID: "memeriksa laporan unit Anda lalu menyetujui atau meminta revisi",
    Role.OPERATOR: (
        "mengisi realisasi kinerja dan anggaran unit Anda tiap triwulan (/isi) "
        "dan mencatat tindak lanjut rekomendasi (/tindak_lanjut)"
    ),
}

COMMAND_MENU: tuple[tuple[str, str], ...] = (
    ("status", "Posisi periode berjalan"),
    ("isi", "Isi realisasi unit Anda"),
    ("buka_periode", "Buka periode triwulan"),
    ("unduh", "Unduh formulir dan laporan"),
    ("tindak_lanjut", "Catat tindak lanjut rekomendasi"),
    ("anggota", "Daftar anggota per unit"),
    ("undang", "Buat tautan undangan"),
    # /plt is not in the menu everyone sees: only the admin may use it, and learns of it from
    # /bantuan and from an escalation.
    ("bantuan", "Bantuan sesuai peran Anda"),
    ("batal", "Keluar dari dialog (jawaban tetap tersimpan)"),
)


def esc(text: object) -> str:
    """Escape anything a person typed (or any value) for HTML parse mode."""
    return html.escape(str(text).replace(ADDRESS, ""), quote=False)


# Plain text: the caller escapes what it passes in and what it shows.
PLAIN_TEXT = frozenset({"against_target"})


def against_target(realisasi: str, target: str, lower_better: bool) -> str:
    """A realisation cited beside the target its capaian was computed from (plain text; the
    caller escapes what it passes). Where less is better the target is a ceiling: "5 dari
    target 4" would read as more than achieved."""
    if lower_better:
        return f"{realisasi}, target paling banyak {target}"
    return f"{realisasi} dari target {target}"


def unit_first(unit: str, text: str, inline: bool) -> str:
    """``text`` for ``unit`` with the unit in bold, named once: a text that opens with the
    unit's name (a suggested recommendation does) gets it set in bold; any other follows the
    bold name after ": " (``inline``) or on the next line."""
    if unit and text.startswith(unit):
        return f"<b>{esc(unit)}</b>{esc(text[len(unit) :])}"
    return f"<b>{esc(unit)}</b>{': ' if inline else chr(10)}{esc(text)}"


def fill(template: str, **values: object) -> str:
    """A format-string text with every value escaped: the values come from data."""
    return template.format(**{name: esc(value) for name, value in values.items()})


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def split_message(text: str, limit: int = MAX_MESSAGE_UTF16 - 96) -> list[str]:
    """Split on line breaks so every part stays under Telegram's limit (tags never span lines)."""
    if utf16_len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while utf16_len(line) > limit:  # a single huge line: cut it, escaping is per line
            head, line = _balance(*_cut_utf16(line, limit))
            if current:
                parts.append(current)
                current = ""
            parts.append(head)
        candidate = f"{current}\n{line}" if current else line
        if utf16_len(candidate) > limit:
            # A heading ("Perlu ditinjau sebelum dikirim:") goes with what it introduces, not
            # alone at the foot of the part before.
            above, cut, heading = current.rpartition("\n")
            carried = f"{heading}\n{line}"
            titled = _TAG.sub("", heading).rstrip().endswith(":")
            if cut and above.strip() and titled and utf16_len(carried) <= limit:
                parts.append(above)
                current = carried
            else:
                parts.append(current)
                current = line
        else:
            current = candidate
    if current:
        parts.append(current)
    return parts


def _cut_utf16(line: str, limit: int) -> tuple[str, str]:
    count = 0
    for index, char in enumerate(line):
        count += 2 if ord(char) > 0xFFFF else 1
        if count > limit:
            # never cut inside an HTML entity such as &amp;
            amp = line.rfind("&", max(0, index - 8), index)
            if amp != -1 and ";" not in line[amp:index]:
                index = amp
            # nor inside a tag such as <b> (user text is escaped, so "<" starts a tag)
            opening = line.rfind("<", 0, index)
            if opening > line.rfind(">", 0, index):
                index = opening
            return line[:index], line[index:]
    return line, ""


_TAG = re.compile(r"<(/?)([a-z][a-z0-9-]*)[^>]*>")
_TELEGRAM_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre", "a"}


def _balance(head: str, rest: str) -> tuple[str, str]:
    """Close the tags still open at a cut and reopen them after it (e.g. a long <b>note</b>),
    so that each part is valid HTML on its own: Telegram refuses a whole message otherwise."""
    open_tags: list[tuple[str, str]] = []
    for match in _TAG.finditer(head):
        name = match.group(2)
        if name not in _TELEGRAM_TAGS:
            continue
        if match.group(1):
            if open_tags and open_tags[-1][0] == name:
                open_tags.pop()
        else:
            open_tags.append((name, match.group(0)))
    if not open_tags:
        return head, rest
    closing = "".join(f"</{name}>" for name, _ in reversed(open_tags))
    reopening = "".join(tag for _, tag in open_tags)
    return head + closing, reopening + rest


def unit_label(unit: Unit | None) -> str:
    """A unit's name, escaped."""
    return esc(unit.name) if unit else "–"


def role_label(role: Role, unit: Unit | None = None, acting: str = "") -> str:
    """E.g. "Plt. Kepala Bidang (Bidang Pelatihan)"."""
    return esc(role_label_plain(role, unit, acting))


# ---- onboarding -------------------------------------------------------------------------


def welcome(
    name: str, roles: Sequence[tuple[Role, Unit | None]], is_admin: bool, sapaan: str = ""
) -> str:
    """Reply to a successful /start with an invite."""
    lines = [f"Selamat datang, <b>{addressed(sapaan, name)}</b>. Anda terdaftar sebagai:"]
    for role, unit in roles:
        lines.append(f"• <b>{role_label(role, unit)}</b>")
    lines.append("")
    lines.append("Tugas Anda di bot ini:")
    for role in dict.fromkeys(role for role, _ in roles):
        lines.append(f"• {ROLE_DUTIES[role]}")
    if is_admin:
        lines.append("• sebagai pengelola bot: mengundang anggota (/undang) dan mendaftarkan grup")
    lines.append("")
    lines.append("Silakan ketik /bantuan untuk daftar perintah.")
    if sapaan not in SAPAAN:
        lines += ["", ask_sapaan()]
    return "\n".join(lines)


def added_role(role: Role, unit: Unit | None) -> str:
    """Reply when a registered person redeems another invite."""
    return f"Peran baru ditambahkan: <b>{role_label(role, unit)}</b>."


def already_has_role(role: Role, unit: Unit | None) -> str:
    """The invite's role is one the person already holds."""
    return f"Anda sudah terdaftar sebagai <b>{role_label(role, unit)}</b>. Tidak ada perubahan."


def start_no_token() -> str:
    """/start without an invite: how to get one (from the coordinator, by full title)."""
    return (
        "Bot ini melayani pengumpulan data kinerja triwulanan Dinas.\n\n"
        "Untuk bergabung, mohon minta <b>tautan undangan</b> kepada pengelola bot "
        f"({coordinator_title()}), lalu buka tautan tersebut."
    )


START_REGISTERED = (
    "Anda sudah terdaftar. Ketik /bantuan untuk daftar perintah, /status untuk posisi periode."
)
INVITE_MALFORMED = (
    "Kode undangan tidak dikenali. Mohon periksa kembali tautan dari pengelola bot. "
    "Tidak ada perubahan."
)
INVITE_UNKNOWN = "Undangan tidak ditemukan. Mintalah tautan undangan baru kepada pengelola bot."
INVITE_USED = (
    "Undangan ini sudah digunakan. Setiap undangan hanya berlaku sekali; mintalah yang baru "
    "kepada pengelola bot."
)
INVITE_EXPIRED = (
    "Undangan ini sudah kedaluwarsa (berlaku 7 hari). Mintalah yang baru kepada pengelola bot."
)
INVITE_REVOKED = "Undangan ini sudah dicabut oleh pengelola bot. Tidak ada perubahan."
NOT_REGISTERED = (
    "Maaf, Anda belum terdaftar sebagai anggota. Mintalah tautan undangan kepada pengelola bot, "
    "lalu buka tautan tersebut. Pesan Anda tidak diproses."
)
ADMIN_ONLY = "Maaf, perintah ini hanya untuk pengelola bot."
NOT_ALLOWED = "Maaf, perintah ini tidak tersedia untuk peran Anda."
GROUP_POINTER = "Silakan gunakan perintah ini di percakapan pribadi dengan bot: {link}"
GROUP_ONLY = "Perintah ini dikirim di grup Dinas yang akan didaftarkan."
UNKNOWN_COMMAND = "Perintah tidak dikenal. Ketik /bantuan untuk daftar perintah."
NOT_TEXT = "Maaf, bot hanya memahami pesan teks, tombol, dan berkas .xlsx. Tidak ada yang diubah."
EDITED_IGNORED = (
    "Pesan yang diedit tidak diproses. Kirim ulang jawaban sebagai pesan baru bila perlu; "
    "data yang tersimpan tidak berubah."
)
TOO_LONG = "Pesan terlalu panjang (maksimal {limit} karakter). Tidak ada yang disimpan."
TOO_LONG_SHORT = "terlalu panjang (maksimal {limit} karakter), tidak disimpan"
NOTHING_TO_DO = "Tidak ada dialog yang sedang berjalan. Ketik /bantuan untuk daftar perintah."
CANCELLED = "Dialog ditutup. Jawaban yang sudah dikirim tetap tersimpan."
ERROR = "Maaf, terjadi kesalahan saat memproses pesan Anda. Data yang sudah tersimpan aman; silakan coba lagi."
ALREADY_DONE = "Sudah diproses."
STALE_BUTTON = "Tombol ini sudah tidak berlaku (sudah diproses)."
BUTTON_INVALID = "Tombol tidak dikenali."
BUTTON_NOT_YOURS = "Maaf, tombol ini bukan untuk Anda."
UPLOAD_WAITING = (
    "Berkas yang Anda unggah belum disimpan. Ketuk <b>Simpan</b> atau <b>Batalkan</b> pada "
    "pesan pratinjaunya, atau ketik /batal."
)


def invite_choose_role() -> str:
    """/undang: first question."""
    return "Buat undangan. Pilih <b>peran</b> anggota yang diundang:"


def invite_choose_unit(role: Role) -> str:
    """/undang: second question for unit roles."""
    return f"Peran: <b>{esc(role_title(role))}</b>. Pilih <b>unit kerja</b>:"


def invite_link(link: str, role: Role, unit: Unit | None, expires: datetime) -> str:
    """The invite link to pass on."""
    return (
        f"Tautan undangan untuk <b>{role_label(role, unit)}</b>:\n{esc(link)}\n\n"
        f"Berlaku sekali pakai sampai {when(expires)}. Teruskan kepada yang bersangkutan."
    )


def group_registered(title: str) -> str:
    """Reply in the group after /daftarkan_grup."""
    return (
        f"Grup <b>{esc(title)}</b> terdaftar sebagai grup Dinas. Bot akan mengumumkan "
        "pembukaan periode, laporan akhir, dan rekomendasi di sini."
    )


def members_list(rows: Iterable[tuple[str, str, str]]) -> str:
    """/anggota: (unit name, role label, person name) rows grouped by unit."""
    lines = ["<b>Anggota terdaftar</b>"]
    current = None
    for unit_name, role, name in rows:
        if unit_name != current:
            lines.append(f"\n<b>{esc(unit_name)}</b>")
            current = unit_name
        lines.append(f"• {esc(role)}: {esc(name)}")
    if current is None:
        lines.append("Belum ada anggota.")
    return "\n".join(lines)


def help_text(roles: Sequence[tuple[Role, Unit | None]], is_admin: bool) -> str:
    """/bantuan for the sender's own roles, each under its full title (an operator's as the
    unit has it)."""
    lines = ["<b>Bantuan</b>", "", "Untuk semua anggota:"]
    lines += [
        "/status — posisi periode berjalan, siapa yang ditunggu dan sejak kapan",
        "/unduh — formulir, laporan, dan data kinerja yang boleh Anda lihat",
        "/batal — keluar dari dialog (jawaban tetap tersimpan)",
    ]
    per_role: dict[Role, list[str]] = {
        Role.KASUBAG_KPEP: [
            "/buka_periode — buka periode triwulan (langkah 1)",
            "Kirim berkas katalog indikator (.xlsx) untuk mengimpor katalog",
            "/tindak_lanjut — rekomendasi yang masih terbuka beserta batas waktunya",
        ],
        Role.OPERATOR: [
            "/isi — isi atau lanjutkan formulir realisasi unit (langkah 2)",
            "Kirim formulir .xlsx yang sudah diisi untuk mengunggah sekaligus",
            "/tindak_lanjut — catat tindak lanjut rekomendasi (langkah 9)",
        ],
        Role.KABID: [
            "Tombol Setujui / Minta revisi muncul saat laporan unit dikirim (langkah 3)",
            "/tindak_lanjut — catat tindak lanjut rekomendasi (langkah 9)",
        ],
        Role.SEKRETARIS: [
            "Tombol persetujuan muncul pada langkah 1, 3 (Sekretariat), 5, dan 7",
            "/anggota — daftar anggota",
        ],
        Role.KADIN: [
            "Tombol telaah dan rekomendasi muncul pada langkah 6",
            "/tindak_lanjut — rekomendasi yang masih terbuka; tutup yang tidak dilanjutkan",
            "/anggota — daftar anggota",
        ],
    }
    titles: dict[Role, list[str]] = {}
    for role, unit in roles:
        title = role_title(role, unit)
        if title not in titles.setdefault(role, []):
            titles[role].append(title)
    for role in sorted(titles, key=list(Role).index):
        lines += ["", f"Sebagai {esc(' / '.join(titles[role]))}:"] + per_role[role]
    if is_admin:
        lines += [
            "",
            "Sebagai pengelola bot:",
            "/undang — buat tautan undangan",
            "/anggota — daftar anggota; akhiri atau serahkan peran, nonaktifkan, cabut undangan",
            "/daftarkan_grup — kirim di grup Dinas untuk mendaftarkannya",
            "/plt — tugaskan pelaksana tugas (Plt./Plh.) untuk jangka waktu tertentu",
        ]
    return "\n".join(lines)


def person_blocked_bot(name: str) -> str:
    """To the coordinator: a person cannot be reached."""
    return (
        f"⚠️ Pesan untuk <b>{esc(name)}</b> tidak dapat dikirim karena yang bersangkutan "
        "memblokir bot. Mohon hubungi langsung dan minta membuka blokir (kirim /start ke bot)."
    )


OWN_SUBMISSION = (
    "Anda tidak dapat menyetujui laporan yang Anda kirim sendiri. "
    "Persetujuan dialihkan ke atasan berikutnya."
)

CATALOG_IN_USE = (
    "Katalog {year} sudah dipakai oleh periode yang dibuka; katalog tidak diganti. "
    "Tidak ada perubahan."
)
CATALOG_UNKNOWN_UNITS = "Unit kerja tidak dikenal: {units}. Impor struktur organisasi dulu."


def catalog_imported(year: int, indicators: int, units: int) -> str:
    """A catalogue was stored."""
    return f"Katalog {year} diimpor: {indicators} indikator untuk {units} unit kerja."


def catalog_problems(problems: list[tuple[str, int | None, str | None, str, str]]) -> str:
    """Every problem of a refused catalogue, with sheet, row and column."""
    lines = [f"Katalog tidak diimpor; {len(problems)} masalah:"]
    for sheet, row, column, value, reason in problems[:50]:
        where = f"{sheet} baris {row if row is not None else '-'} kolom {column or '-'}"
        lines.append(f"• {esc(where)}: {esc(reason)}" + (f" ({esc(value)})" if value else ""))
    if len(problems) > 50:
        lines.append(f"… dan {len(problems) - 50} masalah lain.")
    return "\n".join(lines)


# ---- groups other than the agency group (issue 11) ------------------------------------------
STRANGER_GROUP = (
    "Bot ini hanya melayani grup Dinas yang terdaftar. Perintah di grup ini tidak diproses."
)
