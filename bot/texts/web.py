"""What the Mini App's page says (formal Indonesian, EYD V).

The page receives these as JSON and sets them as text (never as HTML); sentences shared with
chat (refusals, check results) come from :mod:`bot.texts.quarter` and are turned into plain
text by :func:`plain`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from decimal import Decimal

from bot.numbers_format import format_number, format_rupiah
from bot.texts import quarter as tq
from bot.texts.titles import spoken

BTN_OPEN_FORM = "Buka formulir"
OPEN_FORM_HINT = "Seluruh isian juga dapat diisi dalam satu layar: tekan <b>Buka formulir</b>."

# Labels the page shows; keys are what app.js asks for.
PAGE: dict[str, str] = {
    "loading": "Memuat formulir …",
    "save": tq.BTN_SAVE,
    "back": tq.BTN_BACK,
    "saving": "Menyimpan …",
    "saved": "Tersimpan.",
    "explain_label": "Penjelasan (wajib bila nilainya benar)",
    "empty_title": "Belum diisi",
    "empty_none": "Semua isian sudah terisi.",
    "confirm_title": "Kirim laporan?",
    "confirm_blocked": "Isian wajib di atas harus dilengkapi sebelum laporan dapat dikirim.",
    "confirm_notes": "Catatan yang masih kosong boleh dikirim kosong.",
    "offline": "Tidak tersambung ke server. Isian yang belum tersimpan tetap di layar; coba lagi.",
    "no_launch": (
        "Halaman ini dibuka dari tombol Buka formulir di percakapan dengan bot di Telegram."
    ),
    "unit_label": "Satuan",
    "rupiah": "rupiah",
    "note_hint": "Tulis teksnya, atau - bila tidak ada.",
    "busy": "Terlalu banyak permintaan dalam waktu singkat. Tunggu sebentar, lalu coba lagi.",
}

UNAUTHORIZED = (
    "Data peluncuran dari Telegram tidak sah atau sudah kedaluwarsa. Tutup halaman ini dan "
    "buka lagi dari tombol Buka formulir. Tidak ada yang diubah."
)
FORBIDDEN = "Maaf, formulir ini bukan untuk Anda. Tidak ada yang diubah."
BAD_REQUEST = "Permintaan tidak dapat dibaca. Tidak ada yang diubah."
TOO_LARGE = "Isian terlalu besar untuk dikirim. Tidak ada yang diubah."
NO_SUCH_QUESTION = "Nomor pertanyaan tidak ada di formulir ini. Tidak ada yang diubah."
TOO_MANY = PAGE["busy"]

GROUP_BUDGET = "Realisasi anggaran"
GROUP_NOTES = "Catatan"
GROUP_OTHER = "Pertanyaan lain"
OTHER_QUESTION = "Pertanyaan tambahan formulir"
ANSWER_IN_CHAT = "Pertanyaan ini dijawab di percakapan dengan bot: ketik /isi."
# Plain text, not HTML: the page sets it as text (tests/unit/test_texts_hostile.py reads this).
PLAIN_TEXT = (
    "plain", "title", "indicator_hint", "budget_hint", "soft_ask", "send_label", "returned",
    "review_state",
)  # fmt: skip

# The head's review (step 3) as a page.
BTN_OPEN_REVIEW = "Buka di aplikasi"
NO_SUCH_REPORT = "Laporan ini tidak ditemukan. Tidak ada yang diubah."
REASON_MISSING = "Alasan revisi wajib diisi. Tidak ada yang diubah."
APPROVED = "Laporan disetujui. Operator unit sudah diberi tahu."
RETURNED = "Laporan dikembalikan dengan alasan Anda. Operator unit sudah diberi tahu."
REVIEW: dict[str, str] = {
    "brief_title": "Yang perlu diperhatikan",
    "entries_title": "Seluruh isian",
    "approve": tq.BTN_APPROVE,
    "return": tq.BTN_RETURN,
    "reason_label": "Alasan revisi (wajib, dibaca oleh operator unit)",
    "send_return": "Kembalikan untuk revisi",
    "cancel": "Batal",
    "deciding": "Memproses …",
}


def review_state(state: str) -> str:
    """The line above a report under review: where it stands now."""
    return f"Status laporan: {state}."


def returned(state: str, reason: str) -> str:
    """A returned report's notice: its state and the head's reason, as typed."""
    return f"Laporan {state}. Alasan: {reason}"


def title(unit: str, period: str) -> str:
    """The page's heading: the unit and the period."""
    return f"{unit} — {period}"


def plain(text: str) -> str:
    """A chat text (Telegram HTML) as plain text for the page, which shows it as text; a
    reader's mark not made their sapaan before reads as the polite form for either."""
    return spoken(html.unescape(re.sub(r"<[^>]+>", "", text)).strip(), "")


def indicator_hint(target_q: str, target_year: str, previous: str, direction_up: bool) -> str:
    """The line under an indicator's field: targets, last quarter, which way is better."""
    arah = "makin tinggi makin baik" if direction_up else "makin rendah makin baik"
    return (
        f"Target triwulan ini: {target_q} · Target tahunan: {target_year} · "
        f"Triwulan lalu: {previous} · {arah}"
    )


def budget_hint(pagu: Decimal | None, spent_before: Decimal) -> str:
    """The line under a budget field: the pagu and what was spent before this quarter."""
    return (
        f"Pagu: {format_rupiah(pagu)} · terserap s.d. triwulan lalu: {format_rupiah(spent_before)}"
    )


def soft_ask(value: Decimal, reasons: Sequence[str]) -> str:
    """A value far from expectations: the explanation is asked for in place."""
    return (
        f"Nilai {format_number(value)} {'; '.join(reasons)}. "
        "Jika benar, tulis penjelasan singkat di bawah (dicatat di keterangan), lalu Simpan. "
        "Jika keliru, perbaiki nilainya."
    )


def send_label(to_sekretaris: bool) -> str:
    """The submit button, as chat says it."""
    return tq.BTN_SEND_SEKRETARIS if to_sekretaris else tq.BTN_SEND_KABID
