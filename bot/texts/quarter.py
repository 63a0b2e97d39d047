"""Texts shared by the quarter's steps (buttons, labels, reasons) and of its opening (step 1)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from bot.numbers import quarter_roman
from bot.numbers_format import format_number
from bot.texts.common import ADDRESS, esc, when

# ---- buttons ---------------------------------------------------------------------------
BTN_APPROVE = "Setujui"
BTN_RETURN = "Minta revisi"
BTN_REJECT = "Tolak"
BTN_SKIP = "Lewati"
BTN_BACK = "Kembali"
BTN_SUMMARY = "Ringkasan"
BTN_SAVE = "Simpan"
BTN_DISCARD = "Batalkan"
BTN_CONTINUE = "Lanjutkan mengisi"
BTN_SEND_KABID = "Kirim ke Kepala Bidang"
BTN_SEND_SEKRETARIS = "Kirim ke Sekretaris"
BTN_NARRATIVE = "Tulis narasi analisis"
BTN_RETURN_UNIT = "Kembalikan laporan unit"
BTN_REC_GENERAL = "Tambah rekomendasi umum"
BTN_REC_UNIT = "Rekomendasi untuk unit"
BTN_FORWARD = "Serahkan laporan dan rekomendasi"
BTN_DISTRIBUTE = "Sampaikan rekomendasi"
BTN_FORWARD_REPORT = "Serahkan laporan"  # no recommendations: only the report goes on
BTN_DISTRIBUTE_REPORT = "Sampaikan laporan akhir"
BTN_FOLLOW_UP = "Catat tindak lanjut no. {n}"
BTN_NUDGE = "Ingatkan {unit}"

SUDAH_DIPROSES = "Sudah diproses."

UNIT_STATE_LABELS = {
    "pengisian": "sedang diisi",
    "menunggu_persetujuan": "menunggu persetujuan",
    "dikembalikan": "dikembalikan untuk revisi",
    "disetujui": "disetujui",
}


def period_label(year: int, quarter: int) -> str:
    """E.g. "Triwulan III 2026"."""
    return f"Triwulan {quarter_roman(quarter)} {year}"


def num(value: Decimal | None) -> str:
    """A number the Indonesian way, "–" when missing."""
    return format_number(value)


# ---- step 1 ----------------------------------------------------------------------------
NO_CATALOG = (
    "Katalog indikator belum diimpor. Kirim berkas katalog (.xlsx) ke bot ini, atau minta "
    "pengelola bot menjalankan <code>python -m bot catalog import</code>."
)
PERIOD_ACTIVE = (
    "Periode {label} sedang berjalan ({state}). Selesaikan dulu sebelum membuka yang baru."
)
CHOOSE_QUARTER = "Pilih triwulan yang akan dibuka:"
QUARTER_TAKEN = "Periode {label} sudah pernah dibuka. Tidak ada perubahan."


def opening_requested(label: str, units: int, indicators: int) -> str:
    """To the kasubag_kpep after choosing the quarter."""
    return (
        f"Permohonan pembukaan <b>{esc(label)}</b> dikirim ke Sekretaris.\n"
        f"Formulir disiapkan untuk {units} unit kerja ({indicators} indikator)."
    )


def approve_opening(label: str, requester: str, units: Sequence[tuple[str, int]]) -> str:
    """To the sekretaris: approve opening the period."""
    lines = [
        f"<b>Persetujuan pembukaan {esc(label)}</b>",
        f"Diajukan oleh {esc(requester)}.",
        "",
        "Formulir per unit kerja:",
    ]
    lines += [f"• {esc(name)}: {count} indikator" for name, count in units]
    lines += [
        "",
        f"Mohon {ADDRESS} berkenan menyetujui pembukaan ini agar formulir dikirim kepada "
        "pengisi data tiap unit.",
    ]
    return "\n".join(lines)


def opening_approved_note(name: str, at: datetime) -> str:
    """Replaces the buttons once the opening is approved."""
    return f"✅ Disetujui oleh {esc(name)}, {when(at)}."


def form_sent(label: str, unit: str, count: int, deadline: datetime) -> str:
    """To each unit's operators at the opening."""
    return (
        f"<b>{esc(label)} dibuka.</b> Mohon {ADDRESS} mengisi realisasi <b>{esc(unit)}</b> "
        f"({count} indikator) paling lambat <b>{when(deadline)}</b>.\n\n"
        "Ketik /isi untuk mengisi di sini, satu pertanyaan per pesan; jawaban langsung "
        "tersimpan. Atau isi formulir .xlsx terlampir lalu kirim kembali ke bot ini."
    )


def group_opening(label: str, deadline: datetime, units: int) -> str:
    """To the agency group at the opening."""
    return (
        f"📢 <b>Pengumpulan data kinerja {esc(label)} dibuka.</b>\n"
        f"{units} unit kerja diminta mengisi realisasi paling lambat <b>{when(deadline)}</b>."
    )


def opening_rejected(label: str, name: str, reason: str) -> str:
    """To the kasubag_kpep when the sekretaris refuses the opening."""
    return f"Pembukaan {esc(label)} <b>ditolak</b> oleh {esc(name)}.\nAlasan: {esc(reason)}"


# ---- reasons ---------------------------------------------------------------------------
ASK_REASON = (
    "Mohon " + ADDRESS + " menuliskan <b>alasan</b> {what} (wajib), lalu mengirimkannya. "
    "Ketik /batal untuk membatalkan."
)
REASON_EMPTY = "Alasan tidak boleh kosong. Mohon tuliskan alasannya, atau ketik /batal."


def returned_note(name: str, at: datetime, reason: str, to: str = "") -> str:
    """Replaces the buttons once a report was returned (``to``: to whom, so that no receipt
    need follow)."""
    whom = f" kepada {esc(to)}" if to else ""
    return f"↩️ Dikembalikan{whom} oleh {esc(name)}, {when(at)}. Alasan: {esc(reason)}"


def approved_note(name: str, at: datetime, to: str = "") -> str:
    """Replaces the buttons once a report was approved (``to``: where it went on)."""
    on = f", dan diteruskan ke {esc(to)}" if to else ""
    return f"✅ Disetujui oleh {esc(name)}, {when(at)}{on}."
