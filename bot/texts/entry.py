"""Texts of data entry in chat (step 2): the questions, the answers, the summary, sending."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from bot.numbers_format import DASH, format_percent, format_quantity, format_rupiah
from bot.texts.common import ADDRESS, esc
from bot.texts.fit import NO_QUARTER_TARGET, short
from bot.texts.quarter import num

NOTE_LABELS = {
    "kendala": "Kendala/permasalahan",
    "faktor_pendorong": "Faktor pendorong",
    "faktor_penghambat": "Faktor penghambat",
    "tindak_lanjut": "Tindak lanjut triwulan berikutnya",
    "tindak_lanjut_renja": "Tindak lanjut Renja tahun berikutnya",
}

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
        lines += [f"• {p}" for p in _runs(problems)]
    return "\n".join(lines)


_NUMBERED_PROBLEM = re.compile(r"no\. (\d+): (.*)", re.DOTALL)


def _runs(problems: Sequence[str]) -> list[str]:
    """Consecutive questions refused for the same reason as one line ("no. 1–18: …"): a
    pasted form with one mistake throughout reads as one problem, not eighteen."""
    out: list[str] = []
    run: tuple[int, int, str] | None = None  # first, last, reason

    def close() -> None:
        if run is not None:
            first, last, reason = run
            numbers = f"{first}–{last}" if last > first else str(first)
            out.append(f"no. {numbers}: {reason}")

    for problem in problems:
        found = _NUMBERED_PROBLEM.fullmatch(problem)
        if found is None:
            close()
            run = None
            out.append(problem)
            continue
        number, reason = int(found.group(1)), found.group(2)
        if run is not None and reason == run[2] and number == run[1] + 1:
            run = (run[0], number, reason)
            continue
        close()
        run = (number, number, reason)
    close()
    return out


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
