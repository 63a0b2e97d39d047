"""Step 9 and after: a recommendation's follow-up as a status, its evidence, the leaders'
recap, overdue reminders."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.texts.common import esc, unit_first, when
from bot.texts.fit import FILL_SEPARATOR, short
from bot.texts.titles import ADDRESS, coordinator_short, titles

STATUS_NAMES = {
    "belum": "belum dicatat",
    "direncanakan": "direncanakan",
    "dalam_proses": "dalam proses",
    "selesai": "selesai",
    "tidak_dilanjutkan": "tidak dilanjutkan",
}
STATUS_ICONS = {
    "belum": "⏳",
    "direncanakan": "🗓️",
    "dalam_proses": "🔄",
    "selesai": "✅",
    "tidak_dilanjutkan": "⛔",
}

BTN_STATUS = {
    "direncanakan": "Direncanakan",
    "dalam_proses": "Dalam proses",
    "selesai": "Selesai",
}
BTN_EVIDENCE = "Data dukung: {unit} ({n})"
BTN_SHOW_EVIDENCE = "Lihat data dukung {unit}"
BTN_REOPEN = "Kembalikan ke dalam proses"
BTN_DROP = "Tutup (tidak dilanjutkan) no. {n}"
BTN_SET_DUE = "Atur batas waktu"

REOPEN_WHAT = "tindak lanjut ini dikembalikan ke status dalam proses"
DROP_WHAT = "rekomendasi ini ditutup sebagai tidak dilanjutkan"
ASK_DUE = (
    "Tulis <b>batas waktu</b> tindak lanjut rekomendasi terakhir dengan format "
    "HH-BB-TTTT, misalnya 30-09-2026."
)
DUE_INVALID = (
    "Tanggal tidak dapat dibaca atau sudah lewat. Tulis dengan format HH-BB-TTTT, "
    "misalnya 30-09-2026."
)
EVIDENCE_EXPECTED = (
    "Tindak lanjut sudah tercatat. Data dukung dapat dikirim sebagai foto, PDF, atau lembar "
    "kerja; ketik /batal bila tidak ada."
)
EVIDENCE_WRONG_TYPE = (
    "Berkas ini tidak diterima sebagai data dukung: kirim foto, PDF, atau lembar kerja "
    "(.xlsx, .xls, .ods, .csv). Tidak ada yang disimpan."
)
EVIDENCE_TOO_LARGE = (
    "Berkas data dukung paling besar {limit} MB. Perkecil atau pisahkan berkasnya, lalu kirim "
    "kembali. Tidak ada yang disimpan."
)
EVIDENCE_NOT_EXPECTED = (
    "Foto atau berkas ini tidak sedang ditunggu. Data dukung dikirim setelah memilih "
    "rekomendasi di /tindak_lanjut, oleh operator atau kepala unit yang bersangkutan."
)
EVIDENCE_NOT_YOURS = (
    "Data dukung hanya dapat dikirim oleh operator atau kepala unit yang menindaklanjuti "
    "rekomendasi ini. Tidak ada yang disimpan."
)
EVIDENCE_CLOSED = (
    "Rekomendasi ini sudah ditutup sebagai tidak dilanjutkan; data dukung tidak disimpan."
)
NO_EVIDENCE = "Belum ada data dukung untuk tindak lanjut ini."


def evidence_not_allowed() -> str:
    """A tap on evidence by someone who may not see it (a button's alert: plain text)."""
    return (
        "Data dukung hanya dapat dilihat oleh unit yang bersangkutan, "
        f"{titles().coordinator_short}, Sekretaris, dan Kepala Dinas."
    )


REC_INVALID = "Rekomendasi ini tidak ditemukan atau tidak ditujukan kepada unit Anda."
REC_DROPPED = "Rekomendasi ini sudah ditutup sebagai tidak dilanjutkan."
STATUS_NOT_ALLOWED = "Status ini tidak dapat dipilih lagi: tindak lanjut sudah {status}."
NOTHING_TO_DROP = "Tidak ada rekomendasi terbuka yang dapat ditutup."
NO_OPEN_RECOMMENDATIONS = "Tidak ada rekomendasi yang masih terbuka."


def status_name(status: str) -> str:
    """A status in words (HTML-safe)."""
    return esc(STATUS_NAMES.get(status, status))


def ask_follow_up(text: str, status: str, due: str) -> str:
    """Step 9: the status is chosen with the buttons, the text typed."""
    return (
        f"Rekomendasi: <i>{esc(text)}</i>\nBatas waktu: {esc(due)}\n\n"
        f"Status yang akan dicatat: <b>{status_name(status)}</b> (ubah dengan tombol).\n"
        f"Mohon {ADDRESS} menuliskan <b>tindak lanjut</b> unit: apa yang direncanakan atau "
        "telah dilakukan."
    )


def follow_up_recorded(status: str, unanswered: int, still_open: int) -> str:
    """After a follow-up: where it stands, what of the unit's open recommendations (neither
    selesai nor dropped, ``still_open``) still awaits a first answer (``unanswered``), and that
    evidence may follow."""
    if unanswered:
        more = (
            f" Masih {unanswered} dari {still_open} rekomendasi terbuka untuk unit Anda "
            "belum dijawab."
        )
    elif still_open:
        more = (
            f" Semua rekomendasi untuk unit Anda telah dijawab; {still_open} di antaranya belum "
            "selesai dan tetap dipantau melalui /tindak_lanjut."
        )
    else:
        more = " Tidak ada lagi rekomendasi terbuka untuk unit Anda."
    return (
        f"✔️ Tindak lanjut tersimpan dengan status <b>{status_name(status)}</b>.{more}\n"
        "Bila ada data dukung, kirim sekarang sebagai foto, PDF, atau lembar kerja "
        "(paling besar 20 MB); ketik /batal bila tidak ada."
    )


def evidence_saved(file_name: str, count: int) -> str:
    """A file kept as evidence."""
    return (
        f"📎 Data dukung <b>{esc(file_name)}</b> tersimpan ({count} berkas untuk tindak lanjut "
        "ini). Kirim berkas lain bila ada, atau ketik /batal bila sudah."
    )


def evidence_saved_in_form(file_name: str, count: int) -> str:
    """A file kept as evidence of a carried recommendation, from the form."""
    return (
        f"📎 Data dukung <b>{esc(file_name)}</b> tersimpan ({count} berkas). Tulis apa yang "
        "telah dilakukan untuk menjawab pertanyaan ini."
    )


def open_list(items: Sequence[tuple[str, str, str, str, str, bool, str]]) -> str:
    """/tindak_lanjut: (number, period, unit or "", text, due, overdue, status or "") of open
    ones, oldest first."""
    lines = ["<b>Rekomendasi yang masih terbuka:</b>", ""]
    for n, period, unit, text, due, overdue, status in items:
        where = f"{period} · {unit}" if unit else period
        late = " ⚠️ <b>lewat batas waktu</b>" if overdue else ""
        lines.append(f"{esc(n)}. ({esc(where)}) {esc(short(text, 300))}")
        state = f"Status: {status_name(status)} · " if status else ""
        lines.append(f"   {state}Batas waktu: {esc(due)}{late}")
    return "\n".join(lines)


def unit_open_list_footer() -> str:
    """Under the list, for a unit."""
    return "Pilih nomor untuk mencatat status tindak lanjutnya."


def head_open_list_footer() -> str:
    """Under the list, for the Kepala Dinas."""
    return "Rekomendasi yang tidak akan dilanjutkan dapat ditutup dengan tombol di bawah."


def completed_note(unit: str, text: str, follow_up: str, evidence: int) -> str:
    """To the coordinator: a unit marked a recommendation done."""
    return (
        f"✅ <b>{esc(unit)}</b> menandai rekomendasi berikut <b>selesai</b>:\n"
        f"<i>{esc(short(text, 300))}</i>\n\nTindak lanjut: {esc(short(follow_up, 500))}\n"
        f"Data dukung saat ini: {evidence} berkas (dapat menyusul; lihat dengan tombol di bawah)."
    )


def reopened(unit: str, text: str, reason: str) -> str:
    """To the unit: the coordinator returned its "selesai"."""
    return (
        f"↩️ Tindak lanjut <b>{esc(unit)}</b> atas rekomendasi <i>{esc(short(text, 300))}</i> "
        f"dikembalikan ke status <b>dalam proses</b> oleh {coordinator_short()}.\n"
        f"Alasan: {esc(reason)}\n"
        f"Mohon {ADDRESS} berkenan memperbarui statusnya dengan /tindak_lanjut."
    )


def reopen_done(unit: str) -> str:
    """To the coordinator, after a return."""
    return f"✔️ Tindak lanjut {esc(unit)} dikembalikan ke status dalam proses."


def dropped(text: str, reason: str) -> str:
    """To the units and the coordinator: the Kepala Dinas closed a recommendation."""
    return (
        f"⛔ Rekomendasi <i>{esc(short(text, 300))}</i> ditutup oleh Kepala Dinas sebagai "
        f"<b>tidak dilanjutkan</b>.\nAlasan: {esc(reason)}"
    )


def drop_done(text: str) -> str:
    """To the Kepala Dinas, after closing one."""
    return f"✔️ Rekomendasi <i>{esc(short(text, 200))}</i> ditutup sebagai tidak dilanjutkan."


def due_set(due: str) -> str:
    """Step 6: the Kepala Dinas set a due date."""
    return f"✔️ Batas waktu tindak lanjut rekomendasi terakhir: <b>{esc(due)}</b>."


def recap(
    label: str,
    items: Sequence[tuple[str, str, str, bool, Sequence[tuple[str, str, int]]]],
) -> str:
    """Step 9 closed: per recommendation (period, target, text, carried from earlier?,
    [(unit, status, evidence count)])."""
    lines = [f"📋 <b>Rekap tindak lanjut rekomendasi — {esc(label)}</b>"]
    for n, (period, target, text, carried, units) in enumerate(items, 1):
        if carried:  # the unit, then the period; a text opening with the unit goes on after it
            own = bool(target) and text.startswith(target + " ")
            body = text[len(target) :].strip() if own else text
            head = f"<b>{esc(target)}</b> · {esc(period)}: {esc(short(body, 200))}"
        else:
            head = unit_first(target, short(text, 200), inline=True)
        lines += ["", f"{n}. {head}"]
        for unit, status, evidence in units:
            files = f" · data dukung: {evidence}" if evidence else ""
            lines.append(
                f"   {STATUS_ICONS.get(status, '•')} {esc(short(unit, 40))}: "
                f"{status_name(status)}{files}"
            )
    if not items:
        lines += ["", "Tidak ada rekomendasi."]
    return "\n".join(lines)


def overdue_reminder(unit: str, items: Sequence[tuple[str, str, str]]) -> str:
    """To a unit: (period, text, due) of recommendations past their due date, still open."""
    lines = [f"⚠️ Tindak lanjut <b>{esc(unit)}</b> yang melewati batas waktu:"]
    for period, text, due in items:
        lines.append(f"• ({esc(period)}) {esc(short(text, 200))}; batas waktu {esc(due)}")
    lines.append(f"Mohon {ADDRESS} berkenan memperbarui statusnya dengan /tindak_lanjut.")
    return "\n".join(lines)


def overdue_status(items: Sequence[tuple[str, str, str, Sequence[str]]]) -> list[str]:
    """/status of the coordinator and the Kepala Dinas: (period, text, due, units) overdue."""
    if not items:
        return []
    lines = ["", "<b>Tindak lanjut lewat batas waktu</b>"]
    for period, text, due, units in items:
        lines.append(f"• ({esc(period)}) {esc(short(text, 80))}; batas waktu {esc(due)}")
        lines.append(f"   ⚠️ {esc(', '.join(short(u, 40) for u in units))}")
    return lines


def evidence_caption(unit: str, text: str, file_name: str, sender: str, at: datetime) -> str:
    """The caption of an evidence file sent back (at most 1,024 characters)."""
    return (
        f"📎 Data dukung {esc(short(unit, 60))}: {esc(short(file_name, 80))}\n"
        f"Rekomendasi: {esc(short(text, 300))}\n"
        f"Dikirim oleh {esc(short(sender, 60))}, {esc(when(at))}"
    )


# ---- the next quarter's form: earlier recommendations still open ----------------------------
CARRIED_HOW = (
    "Ubah status dengan tombol bila perlu, lalu tulis apa yang telah dilakukan. Data dukung "
    "(foto atau PDF) dapat dikirim sebelum menulis jawaban."
)


def question_follow_up(
    number: int,
    total: int,
    index: int,
    count: int,
    period: str,
    text: str,
    due: str,
    status: str,
    evidence: int,
) -> str:
    """A carried recommendation as a question of the form: its status and what was done."""
    files = f"\nData dukung terkirim: {evidence} berkas." if evidence else ""
    return (
        f"<b>Pertanyaan {number}/{total}</b> · Tindak lanjut rekomendasi {index}/{count}\n"
        f"Rekomendasi Kepala Dinas ({esc(period)}): <i>{esc(short(text, 600))}</i>\n"
        f"Batas waktu: {esc(due)}{files}\n\n"
        f"Status yang akan dicatat: <b>{status_name(status)}</b>.\n{CARRIED_HOW}"
    )


def carried_line(number: int, text: str, status: str, follow_up: str) -> str:
    """The summary's line of a carried recommendation ("" status: not answered yet)."""
    answer = f"{status_name(status)}: {esc(short(follow_up, 200))}" if status else "–"
    return f"{number}. Tindak lanjut “{esc(short(text, 120))}”: {answer}"


def fill_carried(number: int, period: str, text: str) -> str:
    """The ready-to-fill line of a carried recommendation (the answer after "=")."""
    return (
        f"{number}. Tindak lanjut rekomendasi {esc(period)} “{esc(short(text, 200))}” "
        f"(status: direncanakan / dalam proses / selesai; lalu apa yang dilakukan) {FILL_SEPARATOR} "
    )


def carried_saved(status: str) -> str:
    """After a carried recommendation's answer."""
    return f"✔️ Tindak lanjut tersimpan dengan status <b>{status_name(status)}</b>."


CARRIED_TEXT_MISSING = "tulis apa yang telah dilakukan setelah statusnya"


# ---- the template's Catatan sheet (plain text, not HTML: a spreadsheet cell) ----------------
PLAIN_TEXT = frozenset(
    {"template_question", "template_answer", "web_question", "evidence_not_allowed"}
)


def template_question(period: str, text: str) -> str:
    """A carried recommendation's row label in the template."""
    return (
        f"Tindak lanjut rekomendasi {period}: {text} — tulis status (direncanakan / dalam "
        'proses / selesai), lalu apa yang dilakukan, mis. "selesai; Kerja sama ditandatangani"'
    )


def template_answer(status: str, text: str) -> str:
    """The answer already recorded, as the template shows it back."""
    return f"{STATUS_NAMES.get(status, status)}; {text}"


# ---- the Mini App's form (plain text: the page sets it as text, never as HTML) ---------------
WEB_GROUP = "Tindak lanjut rekomendasi"
WEB_HINT = (
    "Tulis status (direncanakan / dalam proses / selesai), titik koma, lalu apa yang "
    "dilakukan; misalnya: selesai; Kerja sama ditandatangani. Data dukung dikirim di "
    "percakapan dengan bot melalui /tindak_lanjut."
)


def web_question(period: str, text: str) -> str:
    """A carried recommendation's label on the page."""
    return f"Tindak lanjut rekomendasi {period}: {text}"
