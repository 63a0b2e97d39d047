"""Texts that make the chat fit a phone: short names, the approver's brief, the
ready-to-fill message, follow-ups per unit, plain reminders and the opening date rule.

Formal Indonesian, HTML parse mode; every value from data is escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from bot.dates import long_date as _long_date
from bot.dates import since as _since_when
from bot.names import shorten as short
from bot.numbers_format import with_satuan
from bot.texts.common import (
    ADDRESS,
    address,
    coordinator_short,
    esc,
    utf16_len,
)

# A message longer than this needs scrolling on a phone: every message stays within it.
PHONE_LIMIT = 1500


def fit(
    head: Sequence[str],
    sections: Sequence[tuple[str, Sequence[str]]],
    tail: Sequence[str],
    more: str = "• … dan {n} lainnya",
    limit: int = PHONE_LIMIT,
    whole: int = 0,
) -> str:
    """``head``, each non-empty section (title, lines) and ``tail`` in one message of at
    most ``limit`` characters: lines that do not fit are counted ("… dan 3 lainnya").

    Every section gets its title and a line's room for the count first; then the first
    ``whole`` non-empty sections take all the lines that fit (what must be named), and the
    sections take the rest in turn, so one long section cannot crowd out the others.
    """
    present = [(title, list(lines)) for title, lines in sections if lines]
    # The reader's sapaan takes the place of ADDRESS when queued: count its longest form.
    fixed = "\n".join([*head, *tail]).replace(ADDRESS, address(""))
    budget = limit - utf16_len(fixed) - 1
    for title, lines in present:
        budget -= utf16_len(f"\n\n{title}\n") + utf16_len(more.format(n=len(lines)))
    shown: list[list[str]] = [[] for _ in present]
    for index, (_, lines) in enumerate(present[:whole]):
        for line in lines:
            cost = utf16_len(line) + 1
            if cost > budget:
                break
            shown[index].append(line)
            budget -= cost
    progress = True
    while progress:
        progress = False
        for index, (_, lines) in enumerate(present):
            taken = shown[index]
            if len(taken) < len(lines):
                cost = utf16_len(lines[len(taken)]) + 1
                if cost <= budget:
                    taken.append(lines[len(taken)])
                    budget -= cost
                    progress = True
    body: list[str] = []
    for (title, lines), taken in zip(present, shown, strict=True):
        body += ["", title, *taken]
        if len(taken) < len(lines):
            body.append(more.format(n=len(lines) - len(taken)))
    return "\n".join([*head, *body, *tail])


def chunks(head: str, lines: Sequence[str], limit: int = PHONE_LIMIT) -> list[str]:
    """``lines`` in messages of at most ``limit`` characters, each opening with ``head``
    and its part number when there is more than one ("(2/3)"); no ``head``: lines only
    (a message to be copied and sent back holds nothing else)."""
    room = limit - (utf16_len(head) + 12 if head else 0)
    parts: list[list[str]] = [[]]
    size = 0
    for line in lines:
        if parts[-1] and size + utf16_len(line) + 1 > room:
            parts.append([])
            size = 0
        parts[-1].append(line)
        size += utf16_len(line) + 1
    if not head:
        return ["\n".join(part) for part in parts]
    if len(parts) == 1:
        return ["\n".join([head, "", *parts[0]])]
    return ["\n".join([f"{head} ({n}/{len(parts)})", "", *part]) for n, part in enumerate(parts, 1)]


# ---- step 3: the approver's brief ------------------------------------------------------
BTN_SHOW_ALL = "Lihat semua isian"


def filled_counts(indicators: int, budgets: int) -> str:
    """How much the report holds."""
    return f"Berisi {indicators} indikator dan {budgets} sub kegiatan."


def change_line(name: str, old: str, new: str, satuan: str) -> str:
    """A value corrected after a return."""
    # One satuan for the pair, where EYD V puts it: "20 → 26 orang", "nilai 58 → 61,2".
    return f"• {esc(short(name))}: {with_satuan(f'{esc(old)} → <b>{esc(new)}</b>', esc(satuan))}"


def far_line(name: str, value: str, satuan: str, capaian: str, previous: str = "") -> str:
    """A value far from its quarter target (with last quarter's, when given)."""
    before = f"; TW lalu {esc(previous)}" if previous else ""
    return (
        f"• {esc(short(name))}: {esc(with_satuan(value, satuan))} "
        f"(capaian triwulan {esc(capaian)}{before})"
    )


def budget_brief(spent: str, pagu: str, absorption: str) -> str:
    """Budget absorption of the unit as one line."""
    return (
        f"Realisasi anggaran triwulan ini: {esc(spent)} dari pagu {esc(pagu)} "
        f"(penyerapan {esc(absorption)})."
    )


def all_entries_head(unit: str, label: str) -> str:
    """Heading of the complete list sent on "Lihat semua isian"."""
    return f"<b>Semua isian {esc(unit)} — {esc(label)}</b>"


def returned_ack(unit: str, operators: str) -> str:
    """To the approver after a return (the reason already stands in the edited request)."""
    return f"✔️ Laporan {esc(unit)} dikembalikan kepada {esc(operators)} untuk revisi."


# ---- step 2: the ready-to-fill message -------------------------------------------------
BTN_FILL_ALL = "Isi sekaligus"
FILL_SEPARATOR = "="


def fill_intro(unit: str, label: str, parts: int, prefilled: bool = False) -> str:
    """Before the ready-to-fill message(s): exactly what to copy, one message or several."""
    write = (
        "ubah jawaban sesudah tanda <code>=</code> pada baris yang perlu diubah"
        if prefilled
        else "tulis jawaban sesudah tanda <code>=</code>"
    )
    if parts == 1:
        how = f"Salin pesan berikut, {write}, lalu kirim kembali sebagai satu pesan."
    else:
        how = (
            f"Formulir ini terbagi atas {parts} pesan berikut. Salin tiap pesan, {write}, "
            "lalu kirim kembali masing-masing sebagai satu pesan; pesan yang tidak diubah "
            "tidak perlu dikirim."
        )
    keep = (
        "Baris yang tidak diubah tetap tersimpan."
        if prefilled
        else "Baris yang dibiarkan kosong dilewati; untuk catatan yang tidak ada, tulis "
        "<code>-</code>."
    )
    return (
        f"<b>Isi sekaligus — {esc(unit)}, {esc(label)}</b>\n{how} {keep} "
        "Atau jawab satu per satu di bawah ini."
    )


def form_complete(filled: int, total: int) -> str:
    """/isi on a form with every answer saved: nothing was lost."""
    return (
        f"✅ Semua isian sudah terisi ({filled} dari {total}). Jawaban yang tersimpan "
        "tercantum pada pesan siap-isi berikut untuk diubah bila perlu."
    )


def fill_unchanged(count: int) -> str:
    """Lines of a prefilled message sent back as they were."""
    return f"{count} baris tidak berubah."


def _plain(name: str) -> str:
    # "=" separates a question from its answer: a name must not contain one.
    return short(name).replace(FILL_SEPARATOR, "-")


def fill_indicator(n: int, name: str, satuan: str, previous: str) -> str:
    """An indicator line of the ready-to-fill message."""
    return f"{n}. {esc(_plain(name))} ({esc(satuan)}; TW lalu {esc(previous)}) {FILL_SEPARATOR} "


def fill_budget(n: int, name: str, pagu: str) -> str:
    """A budget line of the ready-to-fill message."""
    return f"{n}. Anggaran {esc(_plain(name))} (Rp; pagu {esc(pagu)}) {FILL_SEPARATOR} "


def fill_note(n: int, label: str) -> str:
    """A note line of the ready-to-fill message."""
    return f"{n}. {esc(label)} {FILL_SEPARATOR} "


def fill_skipped(count: int) -> str:
    """Lines of a ready-to-fill message left empty."""
    return f"{count} baris kosong dilewati."


# ---- target of 0 this quarter ------------------------------------------------------------
NO_QUARTER_TARGET = "belum ada target triwulan ini"


def annual_capaian(capaian: str) -> str:
    """Shown when the quarter has no target but the year has."""
    return f"{NO_QUARTER_TARGET}; capaian tahunan {esc(capaian)}"


# ---- steps 8–9: follow-ups per unit ------------------------------------------------------
def follow_up_status(items: Sequence[tuple[str, str, Sequence[str], Sequence[str]]]) -> list[str]:
    """/status: per recommendation (target, text, units done, units open)."""
    lines = ["", "<b>Tindak lanjut rekomendasi</b>"]
    for n, (target, text, done, left) in enumerate(items, 1):
        lines.append(f"{n}. <b>{esc(target)}</b>: {esc(short(text, 80))}")
        if done:
            lines.append(f"   ✅ sudah: {esc(', '.join(short(u, 40) for u in done))}")
        if left:
            lines.append(f"   ⏳ belum: {esc(', '.join(short(u, 40) for u in left))}")
    return lines


BTN_REMIND = "Ingatkan"
# Plain text, not HTML: a button's answer (a toast).
PLAIN_TEXT = frozenset({"reminded_again"})

# ---- reminders in plain words --------------------------------------------------------------
# What waits and what it waits for, per SOP step: "Laporan Bidang X menunggu pemeriksaan".
WAITING = {
    1: ("Permohonan pembukaan {label}", "persetujuan"),
    2: ("Laporan {unit}", "pengisian"),
    3: ("Laporan {unit}", "pemeriksaan"),
    4: ("Draf laporan Dinas {label}", "kompilasi dan analisis"),
    5: ("Draf laporan Dinas {label}", "telaah"),
    6: ("Laporan kinerja Dinas {label}", "telaah dan rekomendasi"),
    7: ("Laporan {label} yang disetujui Kepala Dinas", "penyerahan ke {koordinator}"),
    8: ("Rekomendasi Kepala Dinas {label}", "penyampaian ke unit"),
    9: ("Rekomendasi Kepala Dinas untuk {unit}", "tindak lanjut"),
}


def _since(started: datetime, now: datetime) -> str:
    """ "pukul 08.00 WIB" today, else the date and time."""
    return _since_when(started, now)


def _what(step: int, label: str, unit: str) -> tuple[str, str]:
    subject, action = WAITING.get(step, ("Langkah {label}", "tindakan"))
    action = action.format(koordinator=coordinator_short())
    return subject.format(label=esc(label), unit=esc(unit or "unit")), action


def reminder(
    label: str,
    step: int,
    unit: str,
    started: datetime,
    now: datetime,
    deadline: datetime,
    late: str,
    with_buttons: bool = False,
) -> str:
    """To whoever must act on a late step: since when, the deadline's clock time, how late."""
    subject, action = _what(step, label, unit)
    act = (
        f"Mohon {ADDRESS} berkenan memutuskannya dengan tombol di bawah ini."
        if with_buttons
        else f"Mohon {ADDRESS} berkenan menindaklanjutinya."
    )
    return (
        f"⏰ <b>Pengingat {esc(label)}</b>: {subject} menunggu {action} {ADDRESS} sejak "
        f"{_since(started, now)}; batas {_since(deadline, now)}, terlambat {esc(late)}. {act}"
    )


def escalation(
    label: str,
    step: int,
    unit: str,
    late_people: str,
    started: datetime,
    now: datetime,
    deadline: datetime,
    late: str,
    acting_hint: bool = False,
) -> str:
    """To the superior when the step is past twice its time (after a reminder went out)."""
    subject, action = _what(step, label, unit)
    who = esc(late_people) if late_people else "pejabat yang bersangkutan"
    lines = [
        f"⚠️ <b>Perlu perhatian {esc(label)}</b>: {subject} menunggu {action} oleh {who} sejak "
        f"{_since(started, now)}; batas {_since(deadline, now)}, terlambat {esc(late)}. "
        f"Pengingat sudah dikirim. Bila {ADDRESS} berkenan, tombol <b>{BTN_REMIND}</b> "
        "mengirimkan satu pengingat lagi."
    ]
    if acting_hint:  # only the admin may assign an acting official
        lines.append(
            "Bila pejabat tersebut berhalangan, pengelola bot dapat menugaskan Plt./Plh. "
            "melalui /plt."
        )
    return "\n".join(lines)


def reminded_again(names: str) -> str:
    """Toast after the Ingatkan button of an escalation."""
    return f"Pengingat dikirim kepada {short(names, 38)}."  # a toast is short


def nudged(label: str, step: int, unit: str, by: str) -> str:
    """The coordinator's reminder by hand (from /status)."""
    subject, action = _what(step, label, unit)
    return f"🔔 {esc(by)} mengingatkan: {subject} menunggu {action} Anda ({esc(label)})."


# ---- step 1: when a quarter may be opened --------------------------------------------------
def long_date(day: date) -> str:
    """E.g. "1 Maret 2026"."""
    return _long_date(day)


def too_early(label: str, opens: date) -> str:
    """Opening a triwulan before its last month has begun."""
    return (
        f"{esc(label)} belum dapat dibuka: triwulan dapat dibuka mulai hari pertama bulan "
        f"terakhirnya, yaitu <b>{long_date(opens)}</b>. Tidak ada perubahan."
    )


def nothing_to_open(opens: Sequence[tuple[str, date]]) -> str:
    """The menu when no triwulan may be opened yet."""
    lines = ["Belum ada triwulan yang dapat dibuka."]
    lines += [f"• {esc(label)}: mulai {long_date(day)}" for label, day in opens[:2]]
    return "\n".join(lines)
