"""Texts of spreadsheet uploads, in formal Indonesian (HTML parse mode)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from bot.numbers import format_number, format_rupiah
from bot.texts import esc
from bot.texts_fit import short

TOO_LARGE = "Berkas terlalu besar (maksimal 10 MB). Tidak ada yang disimpan."
NOT_XLSX = "Hanya berkas Excel .xlsx yang dapat dibaca. Tidak ada yang disimpan."
NOT_EXPECTED = (
    "Berkas ini tidak diharapkan dari peran Anda. Operator mengirim formulir isian; "
    "Kasubbag KPEP mengirim katalog indikator."
)
SAVED_NOTE = "✔️ Semua nilai dari berkas tersimpan."
DISCARDED = "Unggahan dibatalkan; tidak ada yang disimpan."
NOT_SAVED_SENT = "Unggahan ini tidak disimpan: laporan sudah dikirim ke atasan."

REFUSALS = {
    "NOT_XLSX": "berkas bukan .xlsx yang sah",
    "TOO_LARGE": "berkas lebih dari 10 MB",
    "CORRUPT": "berkas rusak atau tidak dapat dibaca",
    "NOT_A_TEMPLATE": "berkas bukan formulir dari bot ini (unduh formulir dengan /unduh)",
    "OTHER_UNIT": "formulir ini milik unit kerja lain",
    "OTHER_PERIOD": "formulir ini untuk periode lain",
    "STRUCTURE_CHANGED": "struktur formulir diubah (baris, kolom, atau kunci)",
    "ZIP_BOMB": "isi berkas tidak wajar (terlalu besar saat dibuka)",
    "OLD_FORMAT": "formulir versi lama; unduh formulir terbaru dengan /unduh lalu isi kembali",
}


def refused(name: str) -> str:
    """A whole upload refused."""
    reason = REFUSALS.get(name, "berkas tidak dapat diterima")
    return f"❌ Berkas ditolak: {reason}. Tidak ada yang disimpan."


def value_line(name: str, old: Decimal | None, new: Decimal, satuan: str) -> str:
    """An indicator value to be saved, with what it replaces."""
    change = (
        f"{format_number(old)} → {format_number(new)}"
        if old is not None and old != new
        else format_number(new)
    )
    return f"• {esc(short(name))}: {change} {esc(satuan)}"


def budget_line(name: str, old: Decimal | None, new: Decimal) -> str:
    """A budget value to be saved, with what it replaces."""
    change = (
        f"{format_rupiah(old)} → {format_rupiah(new)}"
        if old is not None and old != new
        else format_rupiah(new)
    )
    return f"• {esc(short(name))}: {change}"


def preview(
    file_name: str,
    lines: Sequence[str],
    problems: Sequence[tuple[str, int | None, str | None, str, str]],
    can_save: bool,
) -> str:
    """What the upload would save, and every problem found."""
    out = [f"<b>Pemeriksaan berkas {esc(file_name)}</b>", ""]
    out += list(lines) or ["Tidak ada nilai yang diisi."]
    if problems:
        out += ["", f"<b>{len(problems)} masalah:</b>"]
        for sheet, row, column, value, reason in problems[:40]:
            out.append(
                f"• {esc(sheet)} baris {row or '-'} kolom {esc(column or '-')}: "
                f"{esc(reason)}" + (f" ({esc(value)})" if value else "")
            )
    out.append("")
    out.append(
        "Tekan <b>Simpan</b> untuk menyimpan semuanya sekaligus."
        if can_save
        else "Tidak ada yang disimpan. Perbaiki berkas lalu kirim ulang."
    )
    return "\n".join(out)
