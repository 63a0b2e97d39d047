"""Sentences of the drafted analysis (narrative for step 4, suggestions for step 6).

Plain text, not HTML: the draft is stored as the narrative and edited by people, so the
service escapes it when it goes into a chat message. Every figure arrives already formatted
the Indonesian way (``bot.numbers_format``); every name arrives as it is in the catalogue.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.texts.common import against_target, esc, unit_first

# Plain text, not HTML (the narrative sentences, and the CLI's history summaries): tests that
# check HTML templates read this to know which functions of this module they must skip.
PLAIN_TEXT = frozenset(
    {
        "agency_mean",
        "incomplete",
        "largest_change",
        "direction_counts",
        "trend_mark",
        "unit_below",
        "agency_absorption",
        "unit_absorption_behind",
        "factor",
        "explanation",
        "open_follow_up",
        "open_follow_ups_count",
        "suggest_low",
        "suggest_indicator",
        "suggest_absorption",
        "suggest_late",
        "suggest_follow_up",
        "history_imported",
        "history_problems",
    }
)

TREND_MARKS = {"naik": "▲ naik", "turun": "▼ turun", "tetap": "■ tetap"}
NO_EARLIER = "belum ada data pembanding"
# The judgements of bot.analysis.direction as a reader sees them (keys: Judgement values).
MEMBAIK, MEMBURUK, TETAP = "membaik", "memburuk", "tetap"


def _names(items: Sequence[str]) -> str:
    """``A``, ``A dan B``, ``A, B, dan C``."""
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} dan {items[1]}"
    return ", ".join(items[:-1]) + ", dan " + items[-1]


def agency_mean(
    label: str, capaian: str, predikat: str, count: str, total: str, without: str
) -> str:
    """The agency's mean capaian, with its base: the indicators that have one, of all."""
    text = (
        f"Rata-rata capaian kinerja Dinas s.d. {label} sebesar {capaian} dengan predikat "
        f"{predikat}, dihitung dari {count} dari {total} indikator"
    )
    if without != "0":
        return text + (
            f" ({without} indikator belum memiliki target atau realisasi s.d. triwulan ini)."
        )
    return text + "."


def incomplete(count: str, indicators: Sequence[tuple[str, str]]) -> str:
    """Indicators whose figure to date cannot be computed: an earlier quarter is missing."""
    named = [f"{name} ({unit})" for name, unit in indicators]
    return (
        f"Sebanyak {count} indikator belum dihitung capaian s.d. triwulannya karena realisasi "
        f"triwulan sebelumnya belum tersedia: {_names(named)}."
    )


def largest_change(
    better: bool,
    against: str,
    indicator: str,
    unit: str,
    before: str,
    after: str,
    movement: str,
    pct: str,
) -> str:
    """The largest improvement (``better``) or decline against an earlier quarter, judged by
    the indicator's direction; ``movement`` is which way the figure went (naik/turun)."""
    what = "Perbaikan" if better else "Penurunan kinerja"
    return (
        f"{what} terbesar dibanding {against} terjadi pada indikator {indicator} ({unit}), "
        f"dari {before} menjadi {after} ({movement} {pct}, "
        f"{MEMBAIK if better else MEMBURUK})."
    )


def direction_counts(
    against: str, compared: str, better: str, worse: str, same: str, without: str
) -> str:
    """How many indicators improved, worsened or held against an earlier quarter, by each
    indicator's direction, with the base named and those without a comparison apart."""
    text = (
        f"Dibanding {against}, dari {compared} indikator yang memiliki pembanding: "
        f"{better} {MEMBAIK}, {worse} {MEMBURUK}, {same} {TETAP}"
    )
    if without != "0":
        return text + f"; {without} indikator tanpa pembanding."
    return text + "."


def trend_mark(rose: bool | None, judgement: str) -> str:
    """A cell's movement (``rose``; None: held) with its judgement: "▲ naik · memburuk";
    a figure that held is "■ tetap" alone."""
    if rose is None:
        return TREND_MARKS[TETAP]
    return f"{TREND_MARKS['naik' if rose else 'turun']} · {judgement}"


def unit_below(unit: str, capaian: str, predikat: str) -> str:
    """A unit whose mean capaian is below "Tinggi"."""
    return (
        f"{unit} berada di bawah predikat Tinggi dengan rata-rata capaian {capaian} ({predikat})."
    )


def agency_absorption(label: str, absorption: str, share: str, planned: bool) -> str:
    """The agency's budget absorption against its plan (``planned``) or the year elapsed."""
    against = (
        f"rencana penarikan dana s.d. {label} {share} dari pagu"
        if planned
        else f"waktu tahun anggaran yang telah berjalan {share}"
    )
    return f"Penyerapan anggaran Dinas s.d. {label} sebesar {absorption} dari pagu, sementara {against}."


def unit_absorption_behind(
    unit: str, label: str, absorption: str, share: str, planned: bool
) -> str:
    """A unit far behind in spending, against its plan (``planned``) or the year elapsed."""
    against = (
        f"rencana penarikan dana s.d. {label} sebesar {share} dari pagu"
        if planned
        else f"{share} waktu tahun anggaran yang telah berjalan"
    )
    return f"Penyerapan anggaran {unit} baru {absorption}, jauh di bawah {against}."


def factor(kind: str, text: str, units: Sequence[str]) -> str:
    """A faktor pendorong/penghambat quoted from the units that wrote it."""
    return f"Faktor {kind}: “{text}” ({_names(units)})."


def explanation(text: str, indicator: str, unit: str) -> str:
    """A unit's explanation of a soft-checked value (moved much, or far from target)."""
    end = "" if text.endswith((".", "!", "?")) else "."
    return f"Penjelasan {unit} atas nilai indikator {indicator}: “{text}”{end}"


def open_follow_up(text: str, unit: str, label: str) -> str:
    """A follow-up still open from an earlier period."""
    return f"Tindak lanjut atas rekomendasi {label} “{text}” ({unit}) belum selesai."


def open_follow_ups_count(count: str, overdue: str) -> str:
    """How many recommendations of earlier periods are still open, and how many overdue."""
    late = f"; {overdue} di antaranya telah melewati batas waktu" if overdue != "0" else ""
    return f"Terdapat {count} rekomendasi periode sebelumnya yang tindak lanjutnya belum selesai{late}."


# The verb of a suggestion follows the indicator's direction: nobody is asked to speed up
# the cases they want fewer of.
VERB_UP = "meningkatkan"
VERB_DOWN = "menekan"
ABSORPTION_VERB = "mempercepat"


def suggest_indicator(
    verb: str,
    indicator: str,
    realisasi: str,
    target: str,
    capaian: str,
    worse: bool,
    lower_better: bool = False,
) -> str:
    """One indicator inside a suggestion, with the figures it stands on (its target a ceiling
    where ``lower_better``); ``worse`` when it also got worse than the previous quarter (by
    its direction)."""
    trend = f", {MEMBURUK} dibanding triwulan sebelumnya" if worse else ""
    cited = against_target(realisasi, target, lower_better)
    return f"{verb} {indicator} (realisasi {cited}, capaian {capaian}{trend})"


def suggest_low(unit: str, parts: Sequence[str], more: str) -> str:
    """Suggestion: the unit's indicators below Tinggi (``parts`` from suggest_indicator, the
    worst first; ``more`` others not listed, "0" for none)."""
    rest = f", serta {more} indikator lain" if more != "0" else ""
    return (
        f"{unit} agar pada triwulan berikutnya {_names(parts)}{rest}, yang capaiannya masih "
        "di bawah predikat Tinggi."
    )


def suggest_absorption(
    unit: str, label: str, absorption: str, reference: str, planned: bool, gap: str
) -> str:
    """Suggestion: spending far behind the plan (``planned``) or the year elapsed."""
    against = (
        f"rencana penarikan dana s.d. {label} {reference} dari pagu"
        if planned
        else f"waktu tahun anggaran yang telah berjalan {reference}"
    )
    return (
        f"{unit} agar {ABSORPTION_VERB} penyerapan anggaran yang s.d. {label} baru "
        f"{absorption} dari pagu, sementara {against} (tertinggal {gap} poin)."
    )


def suggest_late(unit: str, step: str, times: str) -> str:
    """Suggestion: a step late again and again."""
    return (
        f"{unit} agar menyelesaikan langkah {step} tepat waktu; langkah ini terlambat {times} kali."
    )


def suggest_follow_up(unit: str, text: str, label: str) -> str:
    """Suggestion: a follow-up still open (recorded as planned or in progress, or not yet).

    A recommendation that opens with the unit's name (a drafted one does: "X agar …") goes
    on without it and unquoted, after ", yaitu", so the unit is named once; a quoted one keeps its own final
    mark inside the quotation marks, with no second period after them."""
    lead = f"{unit} agar segera menuntaskan tindak lanjut atas rekomendasi {label}"
    if unit and text.startswith(unit + " "):
        rest = text[len(unit) :].strip().rstrip(".")
        # "… rekomendasi Triwulan I, yaitu agar …": the recommendation's own "agar" clause
        # set off, not run on after the suggestion's
        return f"{lead}, yaitu {rest}."
    end = "" if text.endswith((".", "!", "?")) else "."
    return f"{lead} “{text}{end}”"


AGENCY = "Dinas"
# The annual capaian of a lower-is-better ``jumlah`` indicator before Triwulan IV
# (bot.numbers.annual_waits): shown as "–" with this.
ANNUAL_AT_Q4 = "capaian tahunan dihitung pada triwulan IV"
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
    "Salin draf pada pesan berikut secara utuh, ubah seperlunya, lalu kirim kembali sebagai "
    "satu balasan; teks yang Anda kirim menjadi narasi analisis."
)
DRAFT_TOO_LONG_TO_EDIT = (
    "Draf ini terlalu panjang untuk disalin dan dikirim kembali dalam satu pesan. Pilih "
    "<b>Pakai draf</b>, atau <b>Tulis sendiri</b> narasi yang lebih ringkas."
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
    """One suggestion, with Pakai / Ubah: the unit the sentence opens with is set in bold
    rather than named again above it."""
    return f"{number}. {unit_first(unit, text, inline=False)}"


def suggestion_kept(text: str, edited: bool) -> str:
    """Appended to a suggestion once kept (its buttons removed)."""
    if edited:
        return f"✔️ Dipakai setelah diubah:\n{esc(text)}"
    return "✔️ Dipakai sebagai rekomendasi."


# ``python -m bot export`` (issue 22): lines for the terminal, escaped like every text here
# and printed without their markup.
EXPORT_XLSX_NOT_TO_STDOUT = "Berkas .xlsx tidak dapat ditulis ke stdout; sebutkan --out BERKAS."


def export_no_database(path: str) -> str:
    """The database file named by KINERJA_DB does not exist."""
    return f"Basis data tidak ditemukan: {esc(path)}"


def export_no_year(year: int) -> str:
    """A year with neither a catalogue nor imported figures."""
    return f"Tidak ada data tahun {year}: tahun itu tidak ada di katalog maupun di riwayat."


def export_written(rows: int, path: str) -> str:
    """How many rows the table has and where it went."""
    return f"{rows} baris data kinerja ditulis ke {esc(path)}."
