"""Sentences of the drafted analysis (narrative for step 4, suggestions for step 6).

Plain text, not HTML: the draft is stored as the narrative and edited by people, so the
service escapes it when it goes into a chat message. Every figure arrives already formatted
the Indonesian way (``bot.numbers``); every name arrives as it is in the catalogue.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.texts.common import esc

# Plain text, not HTML (the narrative sentences, and the CLI's history summaries): tests that
# check HTML templates read this to know which functions of this module they must skip.
PLAIN_TEXT = frozenset(
    {
        "agency_mean",
        "incomplete",
        "largest_rise",
        "largest_fall",
        "year_on_year",
        "unit_below",
        "agency_absorption",
        "unit_absorption_behind",
        "factor",
        "factor_indicator",
        "open_follow_up",
        "open_follow_ups_count",
        "suggest_low",
        "suggest_absorption",
        "suggest_late",
        "suggest_follow_up",
        "history_imported",
        "history_problems",
    }
)

TREND_MARKS = {"naik": "▲ naik", "turun": "▼ turun", "tetap": "■ tetap"}
NO_EARLIER = "belum ada data pembanding"


def _names(items: Sequence[str]) -> str:
    """``A``, ``A dan B``, ``A, B, dan C``."""
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} dan {items[1]}"
    return ", ".join(items[:-1]) + ", dan " + items[-1]


def agency_mean(label: str, capaian: str, predikat: str, count: str) -> str:
    """The agency's mean capaian."""
    return (
        f"Rata-rata capaian kinerja Dinas s.d. {label} sebesar {capaian} dengan predikat "
        f"{predikat}, dihitung dari {count} indikator."
    )


def incomplete(count: str, indicators: Sequence[tuple[str, str]]) -> str:
    """Indicators whose figure to date cannot be computed: an earlier quarter is missing."""
    named = [f"{name} ({unit})" for name, unit in indicators]
    return (
        f"Sebanyak {count} indikator belum dihitung capaian s.d. triwulannya karena realisasi "
        f"triwulan sebelumnya belum tersedia: {_names(named)}."
    )


def largest_rise(indicator: str, unit: str, before: str, after: str, pct: str) -> str:
    """The indicator that rose most against the previous quarter."""
    return (
        f"Kenaikan terbesar dibanding triwulan sebelumnya terjadi pada indikator {indicator} "
        f"({unit}), dari {before} menjadi {after} (naik {pct})."
    )


def largest_fall(indicator: str, unit: str, before: str, after: str, pct: str) -> str:
    """The indicator that fell most against the previous quarter."""
    return (
        f"Penurunan terbesar dibanding triwulan sebelumnya terjadi pada indikator {indicator} "
        f"({unit}), dari {before} menjadi {after} (turun {pct})."
    )


def year_on_year(up: str, down: str, same: str) -> str:
    """How many indicators moved against the same quarter of last year."""
    return (
        f"Dibanding triwulan yang sama tahun lalu, {up} indikator naik, {down} indikator "
        f"turun, dan {same} indikator tetap."
    )


def unit_below(unit: str, capaian: str, predikat: str) -> str:
    """A unit whose mean capaian is below "Tinggi"."""
    return (
        f"{unit} berada di bawah predikat Tinggi dengan rata-rata capaian {capaian} ({predikat})."
    )


def agency_absorption(label: str, absorption: str, share: str) -> str:
    """The agency's budget absorption against the share of the year elapsed."""
    return (
        f"Penyerapan anggaran Dinas s.d. {label} sebesar {absorption} dari pagu, sementara "
        f"waktu tahun anggaran yang telah berjalan {share}."
    )


def unit_absorption_behind(unit: str, absorption: str, share: str) -> str:
    """A unit far behind in spending."""
    return (
        f"Penyerapan anggaran {unit} baru {absorption}, jauh di bawah {share} waktu tahun "
        "anggaran yang telah berjalan."
    )


def factor(kind: str, text: str, units: Sequence[str]) -> str:
    """A faktor pendorong/penghambat quoted from the units that wrote it."""
    return f"Faktor {kind}: “{text}” ({_names(units)})."


def factor_indicator(kind: str, text: str, indicator: str, unit: str) -> str:
    """A factor from the explanation given for a soft-checked value."""
    return f"Faktor {kind}: “{text}” (indikator {indicator}, {unit})."


def open_follow_up(text: str, unit: str, label: str) -> str:
    """A follow-up still open from an earlier period."""
    return f"Tindak lanjut atas rekomendasi {label} “{text}” ({unit}) belum selesai."


def open_follow_ups_count(count: str, overdue: str) -> str:
    """How many recommendations of earlier periods are still open, and how many overdue."""
    late = f"; {overdue} di antaranya telah melewati batas waktu" if overdue != "0" else ""
    return f"Terdapat {count} rekomendasi periode sebelumnya yang tindak lanjutnya belum selesai{late}."


def suggest_low(unit: str, indicators: Sequence[str]) -> str:
    """Suggestion: indicators with capaian below 76 %."""
    return (
        f"{unit} agar menyusun langkah percepatan pada triwulan berikutnya untuk indikator "
        f"{_names(indicators)} yang capaiannya di bawah 76 %."
    )


def suggest_absorption(unit: str, absorption: str, share: str) -> str:
    """Suggestion: spending far behind the year."""
    return (
        f"{unit} agar mempercepat penyerapan anggaran yang baru {absorption}, sementara "
        f"{share} waktu tahun anggaran telah berjalan."
    )


def suggest_late(unit: str, step: str, times: str) -> str:
    """Suggestion: a step late again and again."""
    return (
        f"{unit} agar menyelesaikan langkah {step} tepat waktu; langkah ini terlambat {times} kali."
    )


def suggest_follow_up(unit: str, text: str, label: str) -> str:
    """Suggestion: a follow-up still open."""
    return f"{unit} agar segera melaporkan tindak lanjut atas rekomendasi {label} “{text}”."


AGENCY = "Dinas"
PENDORONG = "pendorong"
PENGHAMBAT = "penghambat"


# ---- history import (``python -m bot history import``; plain text for the terminal) ------


def history_imported(
    source: str, layout: str, added: int, changed: int, same: int, skipped: Sequence[str]
) -> str:
    """What an import stored."""
    lines = [
        f"Riwayat realisasi dari {source} ({layout}) diimpor: {added} baru, {changed} diubah, "
        f"{same} sudah sama."
    ]
    if skipped:
        lines.append("Dilewati karena sudah dikumpulkan lewat bot: " + ", ".join(skipped) + ".")
    return "\n".join(lines)


def history_problems(problems: Sequence[tuple[str, int | None, str | None, str, str]]) -> str:
    """Every problem of a refused history file, with sheet, row and column."""
    lines = [f"Riwayat realisasi tidak diimpor; {len(problems)} masalah (tidak ada perubahan):"]
    for sheet, row, column, value, reason in problems[:50]:
        where = f"{sheet} baris {row if row is not None else '-'} kolom {column or '-'}"
        lines.append(f"• {where}: {reason}" + (f" ({value})" if value else ""))
    if len(problems) > 50:
        lines.append(f"… dan {len(problems) - 50} masalah lain.")
    return "\n".join(lines)


def chat_incomplete(items: Sequence[str]) -> str:
    """Chat analysis (HTML; ``items`` already escaped): indicators whose to-date is missing."""
    lines = [
        f"<b>Capaian s.d. triwulan belum dihitung ({len(items)} indikator):</b> realisasi "
        "triwulan sebelumnya belum tersedia (impor riwayat dengan "
        "<code>python -m bot history import</code>)."
    ]
    lines += [f"• {line}" for line in items[:15]]
    if len(items) > 15:
        lines.append(f"… dan {len(items) - 15} lainnya.")
    return "\n".join(lines)


# ---- in chat (HTML parse mode: every drafted text is escaped here) ------------------------

BTN_DRAFT_USE = "✔️ Pakai draf"
BTN_DRAFT_EDIT = "✏️ Ubah"
BTN_DRAFT_OWN = "📝 Tulis sendiri"
BTN_SUGGEST_KEEP = "✔️ Pakai"
BTN_SUGGEST_EDIT = "✏️ Ubah"
DRAFT_USED = "✔️ Draf dipakai sebagai narasi analisis."
EDIT_DRAFT = (
    "Salin draf berikut, ubah seperlunya, lalu kirim kembali sebagai balasan; "
    "teks yang Anda kirim menjadi narasi analisis."
)
EDIT_SUGGESTION = (
    "Salin saran berikut, ubah seperlunya, lalu kirim kembali sebagai balasan; "
    "teks yang Anda kirim menjadi rekomendasi untuk unit tersebut."
)


def draft_message(label: str, text: str) -> str:
    """Step 4: the drafted narrative, with Pakai draf / Ubah / Tulis sendiri."""
    return (
        f"<b>Draf narasi analisis {esc(label)}</b>\n"
        "<i>Disusun otomatis dari angka triwulan ini dan sebelumnya; periksa sebelum dipakai.</i>"
        f"\n\n{esc(text)}"
    )


def draft_text(text: str) -> str:
    """The draft alone, to copy and edit."""
    return esc(text)


def suggestions_intro(label: str, count: int) -> str:
    """Step 6: what the suggestions are."""
    return (
        f"<b>Saran rekomendasi {esc(label)}</b> ({count})\n"
        "<i>Disusun otomatis dari angka. Pilih <b>Pakai</b> untuk menjadikannya rekomendasi, "
        "<b>Ubah</b> untuk menyuntingnya, atau tambahkan rekomendasi Anda sendiri.</i>"
    )


def suggestion(number: int, unit: str, text: str) -> str:
    """One suggestion, with Pakai / Ubah."""
    return f"{number}. <b>{esc(unit)}</b>\n{esc(text)}"


def suggestion_kept(text: str, edited: bool) -> str:
    """Appended to a suggestion once kept (its buttons removed)."""
    if edited:
        return f"✔️ Dipakai setelah diubah:\n{esc(text)}"
    return "✔️ Dipakai sebagai rekomendasi."
