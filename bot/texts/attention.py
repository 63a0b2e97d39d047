"""What needs attention: the head's brief (step 3), the consistency checks a Kasubbag would
make (progress against spending, a target reached early, a figure the bot can compute), and
the explanations given for soft-checked values, whole.

Formal Indonesian, HTML parse mode; every value from data is escaped here; numbers arrive
formatted by ``bot.numbers_format``.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.numbers_format import with_satuan
from bot.texts.common import ADDRESS, against_target, esc
from bot.texts.fit import BTN_SHOW_ALL, fit, short

# An explanation longer than this does not fit beside the others in the brief: it is named
# there and shown whole in the complete list ("Lihat semua isian").
BRIEF_EXPLANATION_CHARS = 300
# A line of the complete list holds at most this much of a long explanation; the rest follows
# on the next lines, so that a message can be split between them.
LIST_LINE_CHARS = 600
# The brief names every indicator under "Tinggi"; when their lines take more than this, they
# go in a message of their own just before the brief, which counts them.
LOW_ROOM = 700

NOTHING_NEEDS_ATTENTION = (
    "Tidak ada yang perlu perhatian: tidak ada capaian di bawah {floor}, penyerapan anggaran "
    "tidak tertinggal, tidak ada nilai yang jauh dari target atau dikonfirmasi dengan "
    "penjelasan, dan tidak ada perubahan."
)


def low_title(floor: str) -> str:
    """The section of indicators under "Tinggi"."""
    return f"<b>Capaian s.d. triwulan di bawah {esc(floor)}:</b>"


BEHIND_TITLE = "<b>Penyerapan anggaran tertinggal:</b>"


def far_title(low: str, high: str) -> str:
    """The section of values far from their quarter target."""
    return (
        f"<b>Jauh dari target triwulan (capaian di bawah {esc(low)} atau di atas {esc(high)}):</b>"
    )


CONFIRMED_TITLE = "<b>Nilai yang dikonfirmasi dengan penjelasan:</b>"
MISMATCH_TITLE = "<b>Progres fisik dan penyerapan anggaran tidak sejalan:</b>"
PEMBANDING_TITLE = "<b>Berbeda dengan hitungan sistem:</b>"
MISMATCH_HINT = (
    "Periksa kembali nilai indikator atau realisasi anggarannya; bila keduanya benar, "
    "jelaskan pada kendala/permasalahan."
)
CHANGES_TITLE = "<b>Perubahan setelah revisi (lama → baru):</b>"


def low_line(
    name: str,
    to_date: str,
    target: str,
    satuan: str,
    capaian: str,
    value: str,
    previous: str,
    lower_better: bool = False,
) -> str:
    """An indicator under "Tinggi": the realisation and target s.d. triwulan its capaian was
    computed from (a ceiling where less is better), then this quarter's value and last
    quarter's."""
    cited = against_target(esc(with_satuan(to_date, satuan)), esc(target), lower_better)
    return (
        f"• {esc(short(name))}: s.d. triwulan {cited}, capaian <b>{esc(capaian)}</b> "
        f"(TW ini {esc(value)}; TW lalu {esc(previous)})"
    )


def low_apart(count: int) -> str:
    """In the brief, when the indicators under "Tinggi" came in the message before it."""
    return f"• {count} indikator, semuanya disebut pada pesan sebelum pesan ini."


def low_list_head(unit: str, label: str, floor: str) -> str:
    """Heading of the message naming every indicator under "Tinggi" before the brief."""
    return f"<b>{esc(unit)} — {esc(label)}: capaian s.d. triwulan di bawah {esc(floor)}</b>"


def behind_line(absorption: str, reference: str, planned: bool) -> str:
    """The unit's absorption far behind its plan (anggaran kas) or the year elapsed."""
    against = (
        f"rencana penarikan dana s.d. triwulan ini ({esc(reference)} dari pagu)"
        if planned
        else f"{esc(reference)} waktu tahun anggaran yang telah berjalan"
    )
    return (
        f"• Penyerapan s.d. triwulan ini <b>{esc(absorption)}</b> dari pagu, jauh di bawah "
        f"{against}."
    )


def confirmed_line(
    name: str, value: str, satuan: str, reasons: str, explanation: str, previous: str = ""
) -> str:
    """A value confirmed with an explanation: the explanation whole, or a pointer to it
    (with last quarter's value, when given)."""
    text = " ".join(explanation.split())
    if len(text) > BRIEF_EXPLANATION_CHARS:
        said = f"penjelasan panjang, lengkap pada <b>{BTN_SHOW_ALL}</b>"
    else:
        said = f"<i>{esc(text)}</i>"
    before = f"; TW lalu {esc(previous)}" if previous else ""
    return (
        f"• {esc(short(name))}: <b>{esc(with_satuan(value, satuan))}</b> "
        f"({esc(reasons)}{before}) — {said}"
    )


def mismatch_line(name: str, progress: str, sub: str, absorption: str, spending_ahead: bool) -> str:
    """Progress and spending that disagree for one indicator."""
    what = (
        "anggaran sudah banyak terserap, progres masih rendah"
        if spending_ahead
        else "progres sudah mencapai target tahunan, anggaran baru sedikit terserap"
    )
    return (
        f"• {esc(short(name))}: progres {esc(progress)} dari target tahunan; sub kegiatan "
        f"{esc(short(sub, 40))} terserap {esc(absorption)} ({what})"
    )


def mismatch_block(lines: Sequence[str]) -> list[str]:
    """Mismatches for the operator (summary and upload preview): the lines and what to do."""
    return ["", MISMATCH_TITLE, *lines, MISMATCH_HINT] if lines else []


def pembanding_line(name: str, typed: str, computed: str) -> str:
    """A typed figure beside the bot's own."""
    return f"• {esc(short(name))}: diisi {esc(typed)}, hitungan sistem {esc(computed)}"


def explanation_lines(explanation: str) -> list[str]:
    """An explanation for the complete list, whole, in lines a message can be split between."""
    words = " ".join(explanation.split()).split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        if current and len(current) + 1 + len(word) > LIST_LINE_CHARS:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return [
        f"   <i>{'Penjelasan: ' if n == 0 else ''}{esc(line)}</i>" for n, line in enumerate(lines)
    ]


def head_brief(
    unit: str,
    label: str,
    sender: str,
    filled: str,
    floor: str,
    sections: Sequence[tuple[str, Sequence[str]]],
    budget: str,
) -> str:
    """To the unit's approver (step 3): what needs attention first (the indicators under
    "Tinggi" named in full), then the rest; the complete list a tap away."""
    head = [
        f"<b>Pemeriksaan laporan {esc(unit)} — {esc(label)}</b>",
        f"Dikirim oleh {esc(sender)}. {filled}",
        f"Mohon {ADDRESS} berkenan memeriksa, lalu menyetujui atau meminta revisi.",
    ]
    tail = [
        "",
        budget,
        "",
        f"Seluruh isian: tombol <b>{BTN_SHOW_ALL}</b>, atau berkas formulir melalui /unduh.",
    ]
    if not any(lines for _, lines in sections):
        head = [*head, "", NOTHING_NEEDS_ATTENTION.format(floor=esc(floor))]
    return fit(head, sections, tail, whole=1)


# ---- step 4: what the coordinator should review before sending ----------------------------
CHECKS_TITLE = "<b>Perlu ditinjau sebelum dikirim:</b>"
OWN_FIGURE_TITLE = (
    "<i>Berbeda dengan hitungan sistem dari realisasi anggaran seluruh unit (nilai yang diisi "
    "tetap dipakai; unit dapat dikembalikan untuk diperbaiki atau dijelaskan):</i>"
)
REACHED_TITLE = "<i>Target tahunan sudah tercapai: tinjau target.</i>"


def own_figure_line(code: str, name: str, unit: str, typed: str, computed: str) -> str:
    """An agency-wide figure typed by a unit beside the bot's own."""
    return (
        f"• {esc(code)} {esc(short(name))} ({esc(unit)}): diisi {esc(typed)}, "
        f"hitungan sistem {esc(computed)}"
    )


def reached_line(code: str, name: str, unit: str, to_date: str, capaian: str) -> str:
    """An indicator already at its annual target before Triwulan IV."""
    return (
        f"• {esc(code)} {esc(short(name))} ({esc(unit)}): s.d. triwulan ini {esc(to_date)}, "
        f"capaian tahunan {esc(capaian)}"
    )


def coordinator_checks(own: Sequence[str], reached: Sequence[str]) -> str:
    """The consistency checks of step 4 as one block ("" when none applies)."""
    if not (own or reached):
        return ""
    lines = [CHECKS_TITLE]
    if own:
        lines += [OWN_FIGURE_TITLE, *own]
    if reached:
        lines += [REACHED_TITLE, *reached]
    return "\n".join(lines)
