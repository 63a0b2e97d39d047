"""Nothing decided blind (issue 19, item 3): the narrative chosen before step 4 is sent, the
summary that opens the requests of steps 5 and 6, what changed after a return, and figures
that changed after a narrative was chosen.

Formal Indonesian, HTML parse mode; every value from data is escaped here; numbers arrive
formatted by ``bot.numbers_format``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.texts.common import esc, when
from bot.texts.fit import short

BTN_SEND_BARE = "Kirim tanpa narasi"
BTN_SEND_BARE_YES = "Ya, kirim tanpa narasi"
BTN_NARRATIVE_FULL = "Lihat narasi lengkap"
# The narrative in a request is cut (at a word) after this many characters; the rest is a
# tap away, so that the request fits a phone with its summary.
NARRATIVE_IN_REQUEST = 600
# What changed after a return, in the request's first lines: the rest is counted.
CHANGES_CHARS = 300

CHOOSE_NARRATIVE_FIRST = (
    "<b>Narasi analisis belum dipilih.</b> Laporan yang dikirim tanpa narasi hanya memuat "
    "angka. Pilih salah satu:\n"
    "• <b>Pakai draf</b>: draf narasi yang disusun sistem;\n"
    "• <b>Tulis sendiri</b>: ketik narasi Anda;\n"
    "• <b>Kirim tanpa narasi</b>: diminta konfirmasi sekali lagi."
)
CONFIRM_BARE = (
    "Kirim draf laporan ke Sekretaris <b>tanpa narasi analisis</b>? Sekretaris dan Kepala "
    "Dinas hanya akan melihat angka dan ringkasannya."
)
NO_NARRATIVE = "<i>Tanpa narasi analisis.</i>"

# How the narrative that went up was made (the stamp on the draft's message).
SENT_HOW = {
    "drafted": "dengan narasi dari draf sistem",
    "edited": "dengan narasi dari draf yang diubah",
    "written": "dengan narasi yang ditulis sendiri",
    "none": "tanpa narasi analisis",
}


def sent_with(name: str, at: datetime, how: str, to: str = "") -> str:
    """Replaces the buttons of step 4's messages once sent: by whom, to whom, when, with what."""
    whom = f" ke {esc(to)}" if to else ""
    return (
        f"➡️ Diteruskan oleh {esc(name)}{whom}, {when(at)}, {SENT_HOW.get(how, SENT_HOW['none'])}."
    )


def summary_head(label: str) -> str:
    """Title of the summary that opens a request of step 5 or 6."""
    return f"<b>Ringkasan {esc(label)}</b>"


def summary_mean(capaian: str, predikat: str, counted: int, without: int) -> str:
    """Line 1: the agency's mean capaian, its predikat and what it is computed from."""
    rest = (
        f"; {without} lainnya belum memiliki target atau realisasi s.d. triwulan ini"
        if without
        else ""
    )
    return (
        f"• Capaian rata-rata <b>{esc(capaian)}</b> ({esc(predikat)}), dari {counted} "
        f"indikator yang memiliki target{rest}."
    )


def summary_absorption(absorption: str, reference: str, planned: bool) -> str:
    """Line 2: absorption against the plan (anggaran kas) or the share of the year elapsed."""
    against = "rencana penarikan dana s.d. triwulan ini" if planned else "waktu berjalan"
    what = "dari pagu" if planned else "tahun anggaran"
    return (
        f"• Penyerapan anggaran <b>{esc(absorption)}</b> dari pagu; {against} "
        f"{esc(reference)} {what}."
    )


# An indicator in the summary: its name cut (at a word) to this many characters, its code in
# brackets; the reviewers read names, and each line must stay a line or two on a phone.
SUMMARY_NAME_CHARS = 32


# Plain text: the caller escapes what it passes in and what it shows.
PLAIN_TEXT = frozenset({"indicator_label"})


def indicator_label(name: str, code: str) -> str:
    """An indicator as the summary names it: "Jumlah kasus Pekerja Migran… (PEN-12)" (plain;
    escaped where it is shown)."""
    return f"{short(name, SUMMARY_NAME_CHARS)} ({code})"


def summary_below(floor: str, units: Sequence[str], indicators: Sequence[str], more: int) -> str:
    """Line 3: units and indicators under "Tinggi" (``indicators``: from
    :func:`indicator_label`; ``more``: indicators not named)."""
    if not units and not indicators:
        return f"• Tidak ada unit atau indikator dengan capaian di bawah {esc(floor)}."
    parts = []
    if units:
        parts.append("unit " + ", ".join(esc(short(u, 40)) for u in units))
    if indicators:
        named = ", ".join(esc(i) for i in indicators)
        parts.append(f"indikator {named}" + (f" dan {more} lainnya" if more else ""))
    return f"• Di bawah {esc(floor)}: " + "; ".join(parts) + "."


def summary_moves(best: str, worst: str) -> str:
    """Line 4: the largest improvement and decline against the previous quarter, by
    direction ("" for either when there is none)."""
    parts = []
    if best:
        parts.append(f"paling membaik {esc(best)}")
    if worst:
        parts.append(f"paling memburuk {esc(worst)}")
    if not parts:
        return "• Dibanding triwulan lalu: tidak ada indikator yang membaik atau memburuk."
    return "• Dibanding triwulan lalu: " + "; ".join(parts) + "."


def move(code: str, before: str, after: str) -> str:
    """An indicator's move, e.g. "PEL-03 38 → 42" or, with a label from
    :func:`indicator_label`, "Jumlah peserta pelatihan (PEL-03) 38 → 42" (plain; escaped
    where it is shown)."""
    return f"{code} {before} → {after}"


def narrative_part(text: str, cut: bool) -> str:
    """The narrative under the summary, or its first part when it is long."""
    body = f"<b>Narasi analisis:</b>\n{esc(text)}"
    return body + (f"… (<b>{BTN_NARRATIVE_FULL}</b>)" if cut else "")


def narrative_full(label: str) -> str:
    """Heading of the whole narrative sent on "Lihat narasi lengkap"."""
    return f"<b>Narasi analisis {esc(label)}</b>"


def changed_after_return(changes: Sequence[str]) -> str:
    """Leads a request sent again after a return: the changes as far as they fit in a few
    lines, the rest counted (every value stands in the attached draft)."""
    head = "<b>Perubahan setelah dikembalikan:</b> "
    if not changes:
        return head + "tidak ada perubahan angka atau narasi."
    shown: list[str] = []
    for change in changes:
        if shown and len("; ".join([*shown, change])) > CHANGES_CHARS:
            break
        shown.append(short(change, CHANGES_CHARS))
    rest = len(changes) - len(shown)
    more = f"; dan {rest} perubahan lainnya (lihat berkas draf)" if rest else ""
    return head + "; ".join(esc(c) for c in shown) + more + "."


NARRATIVE_ADDED = "narasi ditambahkan"
NARRATIVE_CHANGED = "narasi diubah"
NARRATIVE_REMOVED = "narasi dihapus"

FIGURES_CHANGED = (
    "⚠️ <b>Angka berubah setelah narasi dipilih.</b> Narasi yang tersimpan disusun dari angka "
    "sebelumnya dan mungkin tidak sesuai lagi. Draf baru di bawah ini; pilih <b>Pakai draf</b> "
    "untuk menggantinya, atau tulis narasi sendiri."
)
