"""Texts of the quarter's workflow (steps 1–9), in formal Indonesian, HTML parse mode."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from bot.numbers import quarter_roman
from bot.numbers_format import DASH, format_number, format_percent, format_quantity, format_rupiah
from bot.texts.common import ADDRESS, esc, when
from bot.texts.fit import NO_QUARTER_TARGET, short

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

NOTE_LABELS = {
    "kendala": "Kendala/permasalahan",
    "faktor_pendorong": "Faktor pendorong",
    "faktor_penghambat": "Faktor penghambat",
    "tindak_lanjut": "Tindak lanjut triwulan berikutnya",
    "tindak_lanjut_renja": "Tindak lanjut Renja tahun berikutnya",
}

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


# ---- step 2: data entry ------------------------------------------------------------------
NOT_OPERATOR = "Perintah /isi untuk operator unit kerja. Peran Anda tidak mencakup pengisian."
NO_COLLECTING = "Belum ada periode yang dibuka untuk pengisian."
NOT_EDITABLE = "Laporan {unit} sedang {state}; tidak dapat diubah sampai dikembalikan."
ENTRY_NEED_ALL = "Belum bisa dikirim: {missing} belum diisi. Lengkapi dulu (lihat Ringkasan)."
ENTRY_SKIPPED = "Dilewati."
ENTRY_NOTE_HINT = "Ketik teksnya, atau <code>-</code> bila tidak ada."
MULTI_NONE = "Tidak ada baris bernomor yang dikenali (contoh: <code>1. 120</code>)."


def question_indicator(
    number: int,
    total: int,
    index: int,
    count: int,
    label: str,
    hierarchy: str,
    name: str,
    satuan: str,
    direction_up: bool,
    target_q: Decimal | None,
    target_year: Decimal | None,
    previous: Decimal | None,
    saved: Decimal | None,
) -> str:
    """One indicator question, with what a person needs to answer it."""
    arah = "makin tinggi makin baik" if direction_up else "makin rendah makin baik"
    lines = [
        f"<b>Indikator {index}/{count}</b> · no. {number} dari {total} · {esc(label)}",
        f"<i>{esc(' › '.join(short(part, 40) for part in hierarchy.split(' › ')))}</i>"
        if hierarchy
        else "",
        f"<b>{esc(name)}</b>",
        f"Satuan: {esc(satuan)} · {arah}",
        target_line(target_q, target_year),
        f"Realisasi triwulan lalu: {num(previous)}",
    ]
    if saved is not None:
        lines.append(f"Tersimpan: <b>{num(saved)}</b> (ketik nilai baru untuk mengubah)")
    lines.append(
        "Ketik realisasi triwulan ini (contoh: <code>12,5</code> atau <code>1.250</code>)."
    )
    return "\n".join(line for line in lines if line)


def question_budget(
    number: int,
    total: int,
    index: int,
    count: int,
    label: str,
    name: str,
    pagu: Decimal | None,
    spent_before: Decimal,
    saved: Decimal | None,
) -> str:
    """One budget question for a sub kegiatan."""
    lines = [
        f"<b>Anggaran {index}/{count}</b> · no. {number} dari {total} · {esc(label)}",
        f"Sub kegiatan: <b>{esc(name)}</b>",
        f"Pagu: {format_rupiah(pagu)} · terserap s.d. triwulan lalu: {format_rupiah(spent_before)}",
    ]
    if saved is not None:
        lines.append(f"Tersimpan: <b>{format_rupiah(saved)}</b>")
    lines.append("Ketik realisasi anggaran triwulan ini (contoh: <code>Rp12.500.000</code>).")
    return "\n".join(lines)


def question_note(
    number: int,
    total: int,
    index: int,
    field: str,
    saved: str | None,
    count: int = len(NOTE_LABELS),
) -> str:
    """One of the notes ("Catatan 5/5")."""
    lines = [
        f"<b>Catatan {index}/{count}</b> · no. {number} dari {total}",
        f"<b>{NOTE_LABELS[field]}</b>",
    ]
    if saved:
        lines.append(f"Tersimpan: {esc(saved)}")
    lines.append(ENTRY_NOTE_HINT)
    return "\n".join(lines)


def saved_value(shown: str) -> str:
    """Acknowledges a saved answer."""
    return f"✔️ Tersimpan: <b>{esc(shown)}</b>"


def soft_question(value: str, reasons: Sequence[str]) -> str:
    """A value far from expectations: ask for an explanation before saving."""
    return (
        f"Nilai <b>{esc(value)}</b> {'; '.join(reasons)}.\n"
        "Jika benar, ketik <b>penjelasan singkat</b> (akan dicatat di keterangan). "
        "Jika keliru, ketik nilai yang benar."
    )


def entry_summary(
    label: str, unit: str, lines: Sequence[str], missing: int, returned_reason: str | None
) -> str:
    """The summary before sending."""
    head = [f"<b>Ringkasan {esc(unit)} — {esc(label)}</b>"]
    if returned_reason:
        head.append(f"Dikembalikan dengan alasan: <i>{esc(returned_reason)}</i>")
    tail = [""]
    if missing:
        tail.append(f"⚠️ {missing} isian wajib belum diisi.")
    tail.append(
        "Ubah jawaban: ketik nomornya (mis. <code>3</code>) atau nomor dan nilai "
        "(mis. <code>3. 120</code>; beberapa baris sekaligus boleh)."
    )
    return "\n".join([*head, "", *lines, *tail])


def multi_result(saved: int, problems: Sequence[str]) -> str:
    """Reply to a multi-line message answering several questions."""
    if not saved and problems:  # nothing was saved: no success tick
        lines = ["⚠️ Tidak ada jawaban yang tersimpan:"]
    else:
        lines = [f"✔️ {saved} jawaban tersimpan."]
        if problems:
            lines.append("Belum tersimpan:")
    if problems:
        lines += [f"• {p}" for p in problems]
    return "\n".join(lines)


def submitted(unit: str, approver: str) -> str:
    """To the operator after sending."""
    return (
        f"Laporan <b>{esc(unit)}</b> dikirim ke {esc(approver)} untuk diperiksa. "
        "Isian tidak dapat diubah sampai dikembalikan."
    )


def submitted_by(unit: str, name: str, approver: str) -> str:
    """To the unit's other operators when one of them sent the report."""
    return (
        f"Laporan <b>{esc(unit)}</b> telah dikirim oleh {esc(name)} ke {esc(approver)} untuk "
        "diperiksa. Isian tidak dapat diubah sampai dikembalikan."
    )


def unit_approved(unit: str, name: str) -> str:
    """To the unit's operators."""
    return f"✅ Laporan <b>{esc(unit)}</b> disetujui oleh {esc(name)}."


def unit_returned(unit: str, name: str, reason: str) -> str:
    """To the unit's operators after a return."""
    return (
        f"↩️ Laporan <b>{esc(unit)}</b> dikembalikan oleh {esc(name)}.\n"
        f"Alasan: <i>{esc(reason)}</i>\n\nMohon {ADDRESS} memperbaikinya melalui /isi, lalu "
        "mengirimkannya kembali."
    )


def indicator_line(
    number: int,
    name: str,
    value: Decimal | None,
    satuan: str,
    capaian: Decimal | None,
    flag: str = "",
    annual: Decimal | None = None,
    annual_later: bool = False,
) -> str:
    """A line of a summary: "3. Nama: 120 orang (capaian 100,00%)". Without a quarter
    target but with an annual one, ``annual`` is the capaian against the annual target;
    ``annual_later`` says it waits for Triwulan IV (a lower-is-better count)."""
    shown = "<i>belum diisi</i>" if value is None else esc(format_quantity(value, satuan))
    if capaian is not None:
        cap = f" (capaian {format_percent(capaian)})"
    elif annual_later:
        cap = f" ({NO_QUARTER_TARGET}; capaian tahunan {DASH}, dihitung pada triwulan IV)"
    elif annual is not None:
        cap = f" ({NO_QUARTER_TARGET}; capaian tahunan {format_percent(annual)})"
    else:
        cap = ""
    return f"{number}. {esc(short(name))}: {shown}{cap}{esc(flag)}"


def budget_line(number: int, name: str, value: Decimal | None, pagu: Decimal | None) -> str:
    """A budget line of a summary: the realisasi anggaran and its share of the pagu."""
    shown = "<i>belum diisi</i>" if value is None else format_rupiah(value)
    share = ""
    if value is not None and pagu:
        share = f" (penyerapan {format_percent(value / pagu * 100)})"
    return (
        f"{number}. Realisasi anggaran {esc(short(name))}: {shown} dari pagu "
        f"{format_rupiah(pagu)}{share}"
    )


def note_line(number: int, field: str, text: str | None) -> str:
    """A note line of a summary (a long note cut: the documents keep it whole)."""
    return f"{number}. {NOTE_LABELS[field]}: {esc(short(text, 160)) if text else '<i>–</i>'}"


def target_line(target_q: Decimal | None, target_year: Decimal | None) -> str:
    """The targets of a question; a quarter without a target says so in words."""
    if not target_q and target_year:
        return f"Target: {NO_QUARTER_TARGET} · Target tahunan: {num(target_year)}"
    return f"Target triwulan ini: {num(target_q)} · Target tahunan: {num(target_year)}"


# ---- checks on what is typed ---------------------------------------------------------------
HARD_REASONS = {
    "EMPTY": "isian kosong",
    "NOT_A_NUMBER": "bukan angka",
    "TWO_VALUES": "berisi lebih dari satu angka; isikan satu angka saja",
    "AMBIGUOUS": "penulisan angka bermakna ganda",
    "NEGATIVE": "tidak boleh negatif",
    "PERCENT_ABOVE_100": "persentase tidak boleh lebih dari 100",
    "ABOVE_PAGU": "melebihi sisa pagu sub kegiatan",
    "FORMULA": "rumus tidak diperbolehkan, isikan angka",
    "WRONG_UNIT": "satuan tidak sesuai (mis. persen untuk rupiah)",
}
SOFT_REASONS = {
    "FAR_BELOW_TARGET": "kurang dari 50% target triwulan",
    "FAR_ABOVE_TARGET": "lebih dari 150% target triwulan",
    "POSISI_JUMP": "berubah lebih dari separuh dibanding triwulan lalu",
}
NOT_NUMBERED = "baris tanpa nomor (format: <code>3. 120</code>)"
NO_SUCH_QUESTION = "nomor pertanyaan tidak ada"
ANSWER_ALONE = "jawab no. {n} tersendiri agar dapat diberi penjelasan"


def hard_short(problem: object, suggestions: Sequence[Decimal] = ()) -> str:
    """The reason a value was refused, short (for lists)."""
    name = getattr(problem, "name", str(problem))
    reason = HARD_REASONS.get(name, "nilai tidak dapat diterima")
    if suggestions:
        reason += " (maksud Anda " + " atau ".join(num(s) for s in suggestions) + "?)"
    return reason


def hard_problem(problem: object, typed: str, suggestions: Sequence[Decimal] = ()) -> str:
    """The reply to a refused value: what was typed, why, and how to write it."""
    return (
        f"❌ <b>{esc(typed[:60])}</b>: {hard_short(problem, suggestions)}. "
        "Tidak disimpan; ketik ulang. Desimal memakai koma (<code>12,5</code>), ribuan "
        "memakai titik (<code>1.250.000</code>)."
    )


def soft_reason(flag: object) -> str:
    """Why a value is asked back."""
    name = getattr(flag, "name", str(flag))
    return SOFT_REASONS.get(name, "di luar kewajaran")


# Issue 12: a fraction for a count (kept apart from the table above so edits there merge).
HARD_REASONS["NOT_WHOLE"] = "satuan ini dihitung utuh: isikan bilangan bulat (mis. 12, bukan 12,5)"


# Issue 19: a figure the bot can compute itself (the catalogue's ``pembanding``).
SOFT_REASONS["PEMBANDING"] = "berbeda lebih dari 1 poin dengan hitungan sistem"


def computed_line(figure: str) -> str:
    """In a question card: the bot's own figure for an indicator with a pembanding."""
    return f"Hitungan sistem dari realisasi anggaran: <b>{esc(figure)}</b>"


def computed_reason(figure: str) -> str:
    """Why a value far from the bot's own figure is asked back, with that figure."""
    return f"{SOFT_REASONS['PEMBANDING']} ({esc(figure)})"
