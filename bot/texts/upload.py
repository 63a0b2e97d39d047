"""Texts of spreadsheet uploads, in formal Indonesian (HTML parse mode)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from bot.numbers_format import format_number, format_quantity, format_rupiah, with_satuan
from bot.texts.common import esc
from bot.texts.fit import short

TOO_LARGE = "Berkas terlalu besar (maksimal 10 MB). Tidak ada yang disimpan."
NOT_CHECKED = (
    "Berkas Anda tidak dapat diambil atau diperiksa saat ini. Silakan kirim ulang berkas"
    " tersebut. Tidak ada yang disimpan."
)

TOO_HEAVY = (
    "❌ Berkas ditolak: memeriksa isinya memerlukan memori melebihi batas yang diizinkan"
    " (berkas terlalu berat atau tidak wajar). Tidak ada yang disimpan."
)


def not_checked_worker_died(file_name: str) -> str:
    """To the sender: the check of their document stopped every time it was tried."""
    return (
        f"Berkas {esc(file_name)} tidak dapat diperiksa: pemeriksaannya terhenti di tengah"
        " jalan tiga kali berturut-turut. Tidak ada yang disimpan. Silakan buka berkas itu,"
        " simpan ulang sebagai .xlsx, lalu kirim kembali. Bila hal ini berulang, mohon"
        " hubungi admin bot."
    )


def worker_deaths_admin(file_name: str, sender: str, deaths: int) -> str:
    """To the admins, once per document: a check given up because its worker kept dying."""
    return (
        f"⚠️ Berkas {esc(file_name)} dari {esc(sender)} tidak diperiksa: proses pemeriksanya"
        f" berhenti mendadak {deaths} kali (kemungkinan kehabisan memori atau dihentikan oleh"
        " sistem). Pengirim sudah diberi tahu; tidak ada yang disimpan. Mohon periksa memori"
        " server bila hal ini berulang."
    )


NOT_XLSX = "Hanya berkas Excel .xlsx yang dapat dibaca. Tidak ada yang disimpan."
NOT_EXPECTED = (
    "Berkas ini tidak diharapkan dari peran Anda. Pengisi data unit mengirim formulir isian; "
    "koordinator kinerja Dinas mengirim katalog indikator."
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
    "DTD": "berkas memuat deklarasi yang tidak diizinkan",
    "ENCRYPTED": (
        "berkas dilindungi kata sandi sehingga tidak dapat dibaca; simpan ulang berkas tanpa"
        " kata sandi, lalu kirim kembali"
    ),
}


def refused(name: str) -> str:
    """A whole upload refused."""
    reason = REFUSALS.get(name, "berkas tidak dapat diterima")
    return f"❌ Berkas ditolak: {reason}. Tidak ada yang disimpan."


def value_line(name: str, old: Decimal | None, new: Decimal, satuan: str) -> str:
    """An indicator value to be saved, with what it replaces."""
    if old is None or old == new:
        return f"• {esc(short(name))}: {esc(format_quantity(new, satuan))}"
    # One satuan for the pair, where EYD V puts it: "20 → 26 orang", "nilai 58 → 61,2".
    change = f"{format_number(old)} → {format_number(new)}"
    return f"• {esc(short(name))}: {esc(with_satuan(change, satuan))}"


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
    soft: Sequence[str] = (),
    asking: int = 0,
    mismatches: Sequence[str] = (),
) -> str:
    """What the upload would save, the values far from expectations, progress and spending
    that disagree (``mismatches``: rendered lines with their title), and every problem."""
    out = [f"<b>Pemeriksaan berkas {esc(file_name)}</b>", ""]
    out += list(lines) or ["Tidak ada nilai yang diisi."]
    if soft:
        out += ["", f"<b>{len(soft)} nilai perlu penjelasan:</b>", *soft]
    out += mismatches
    if problems:
        out += ["", f"<b>{len(problems)} masalah:</b>"]
        for sheet, row, column, value, reason in problems[:40]:
            out.append(
                f"• {esc(sheet)} baris {row or '-'} kolom {esc(column or '-')}: "
                f"{esc(reason)}" + (f" ({esc(value)})" if value else "")
            )
    out.append("")
    if can_save and asking:
        out.append(explain_request(asking))
    else:
        out.append(
            "Tekan <b>Simpan</b> untuk menyimpan semuanya sekaligus."
            if can_save
            else "Tidak ada yang disimpan. Perbaiki berkas lalu kirim ulang."
        )
    return "\n".join(out)


# ---- explanations a checked upload still needs (issue 12) -------------------------------------

EXPLAIN_FIRST_SHORT = "Penjelasan belum lengkap; belum disimpan."


def soft_line(
    number: int | None,
    name: str,
    value: Decimal,
    satuan: str,
    reasons: Sequence[str],
    explanation: str,
) -> str:
    """A value a soft check flagged: numbered when its explanation is still to be typed."""
    head = f"{number}." if number is not None else "•"
    shown = esc(format_quantity(value, satuan))
    line = f"{head} {esc(name)}: <b>{shown}</b> — {'; '.join(reasons)}"
    if explanation:
        shown = explanation if len(explanation) <= 80 else explanation[:79] + "…"
        line += f" (penjelasan di berkas: <i>{esc(shown)}</i>)"
    return line


def explain_request(asking: int) -> str:
    """The preview's last lines while explanations are missing."""
    how = (
        "Ketik penjelasannya (alasan nilai tersebut)."
        if asking == 1
        else "Ketik penjelasannya, satu baris per nomor, misalnya:\n"
        "<code>1. Ada pelatihan tambahan dari APBN</code>\n<code>2. Data triwulan lalu keliru</code>"
    )
    return (
        f"{how}\nTombol <b>Simpan</b> muncul setelah semua nilai bernomor dijelaskan. "
        "Bila nilainya keliru, perbaiki berkas lalu kirim ulang."
    )


def explain_no_such(number: int) -> str:
    """A numbered explanation for a number the preview did not ask about."""
    return f"no. {number}: nomor itu tidak ditanyakan"


def explain_empty(number: int) -> str:
    """A number without any text after it."""
    return f"no. {number}: penjelasan kosong"


def explain_too_long(number: int, limit: int) -> str:
    """An explanation past the limit."""
    return f"no. {number}: penjelasan terlalu panjang (maks. {limit:_} karakter)".replace("_", ".")


def explain_progress(saved: Sequence[int], missing: Sequence[int], problems: Sequence[str]) -> str:
    """What an explanation message did, and what is still missing."""
    out: list[str] = []
    if saved:
        out.append("✔️ Penjelasan dicatat: no. " + ", ".join(str(n) for n in saved) + ".")
    if problems:
        out.append("⚠️ " + "\n⚠️ ".join(problems))
    if missing:
        out.append(
            "Masih perlu penjelasan: no. " + ", ".join(str(n) for n in missing) + ". "
            "Ketik dengan nomornya, mis. <code>" + f"{missing[0]}. alasan singkat</code>."
        )
    else:
        out.append(
            "Semua nilai sudah dijelaskan. Tekan <b>Simpan</b> untuk menyimpan semuanya "
            "sekaligus; penjelasan dicatat bersama nilainya."
        )
    return "\n".join(out)


def explain_first(items: Sequence[tuple[int, str]]) -> str:
    """Simpan pressed while explanations are missing: nothing saved, and what to type."""
    listed = "\n".join(f"{n}. {esc(name)}" for n, name in items)
    return (
        "Belum disimpan: nilai berikut perlu penjelasan lebih dahulu.\n"
        f"{listed}\n{explain_request(len(items))}"
    )


def checking(file_name: str) -> str:
    """A large file was taken in: its check takes a few seconds."""
    return (
        f"⏳ Berkas <b>{esc(short(file_name))}</b> diterima dan sedang diperiksa. "
        "Hasilnya dikirim sebentar lagi."
    )
