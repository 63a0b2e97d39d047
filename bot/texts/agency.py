"""Texts of steps 4–9, /status and /unduh, in formal Indonesian (HTML parse mode)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.numbers_format import format_percent, with_satuan
from bot.texts.common import ADDRESS, against_target, coordinator_short, esc, unit_first, when
from bot.texts.fit import fit, short

FILE_KINDS = {
    "report": "laporan",
    "chart": "grafik capaian",
    "template": "formulir isian",
    "figures": "data kinerja",
}


def file_not_built(kind: str) -> str:
    """A file the bot was to send could not be made (after its retries)."""
    what = FILE_KINDS.get(kind, "berkas")
    return (
        f"⚠️ Maaf, {what} tidak dapat dibuat saat ini. Silakan minta lagi melalui /unduh"
        " beberapa saat lagi."
    )


ASK_NARRATIVE = "Tulis <b>narasi analisis</b> triwulan ini (akan dimuat di lembar Analisis)."
NARRATIVE_SAVED = "✔️ Narasi analisis tersimpan."
PICK_UNIT_TO_RETURN = "Pilih unit yang laporannya dikembalikan untuk revisi:"
PICK_UNIT_FOR_RECOMMENDATION = "Mohon " + ADDRESS + " memilih unit yang diberi rekomendasi:"
REC_NOT_DISTRIBUTED = (
    "Rekomendasi ini belum disampaikan kepada unit; tindak lanjut dicatat setelah langkah 8."
)
NO_FOLLOW_UPS = "Tidak ada rekomendasi yang menunggu tindak lanjut unit Anda."
NOT_FOLLOW_UP_ROLE = "Perintah /tindak_lanjut untuk operator dan Kepala Bidang unit kerja."
ASK_FOLLOW_UP = "Tulis <b>tindak lanjut</b> untuk rekomendasi berikut:\n<i>{text}</i>"
NO_PERIOD = "Belum ada periode yang dibuka."
NOTHING_TO_DOWNLOAD = "Belum ada berkas yang dapat Anda unduh."


def draft_caption(label: str) -> str:
    """Caption of the consolidated draft."""
    return f"Draf laporan kinerja Dinas — {esc(label)}"


def final_caption(label: str) -> str:
    """Caption of the final report."""
    return f"Laporan kinerja Dinas — {esc(label)} (final)"


def chart_caption(label: str) -> str:
    """Caption of the capaian chart."""
    return f"Capaian kinerja per unit — {esc(label)}"


def compile_intro(label: str) -> str:
    """Step 4 begins."""
    return (
        f"<b>Semua laporan unit {esc(label)} telah disetujui.</b>\n"
        f"Draf laporan Dinas dan grafik capaian terlampir. Mohon {ADDRESS} menambahkan narasi "
        "analisis bila perlu dan mengembalikan laporan unit yang perlu diperbaiki, lalu "
        "mengirimkannya ke Sekretaris."
    )


def sent_note(name: str, at: datetime, to: str = "") -> str:
    """Replaces the buttons once sent on (``to``: to whom)."""
    whom = f" ke {esc(to)}" if to else ""
    return f"➡️ Diteruskan oleh {esc(name)}{whom}, {when(at)}."


def distributed_note(name: str, at: datetime, units: int) -> str:
    """Replaces the distribution request's button (step 8): what went where."""
    what = (
        f"rekomendasi ke {units} unit kerja dan laporan akhir ke grup Dinas. Unit mencatat "
        "tindak lanjut dengan /tindak_lanjut."
        if units
        else "laporan akhir ke grup Dinas. Tidak ada rekomendasi yang perlu ditindaklanjuti unit."
    )
    return f"➡️ Disampaikan oleh {esc(name)}, {when(at)}: {what}"


def returned_to(title: str) -> str:
    """Acknowledges a return of the agency draft (the reason stands in the request above)."""
    return f"✔️ Dikembalikan kepada {esc(title)} untuk revisi."


def sent_to(title: str) -> str:
    """Acknowledges a hand-over."""
    return f"✔️ Diteruskan ke {esc(title)}."


def secretary_request(label: str, sender: str) -> str:
    """Step 5: to the sekretaris."""
    return (
        f"<b>Telaah draf laporan kinerja Dinas — {esc(label)}</b>\n"
        f"Dikirim oleh {esc(sender)}. Mohon {ADDRESS} berkenan menelaah draf ini, lalu "
        "menyetujuinya untuk diteruskan kepada Kepala Dinas atau meminta revisi dengan alasan."
    )


def head_request(label: str, sender: str) -> str:
    """Step 6: to the kadin."""
    return (
        f"<b>Telaah laporan kinerja Dinas — {esc(label)}</b>\n"
        f"Diteruskan oleh {esc(sender)}. Mohon {ADDRESS} berkenan menelaah laporan ini dan "
        "memberikan rekomendasi (umum atau per unit), lalu menyetujuinya; atau meminta revisi "
        "dengan alasan."
    )


def agency_returned(label: str, name: str, reason: str) -> str:
    """To the kasubag_kpep when the draft comes back."""
    return (
        f"↩️ Draf laporan Dinas {esc(label)} dikembalikan oleh {esc(name)}.\n"
        f"Alasan: <i>{esc(reason)}</i>\nMohon {ADDRESS} memperbaikinya, lalu mengirimkannya "
        "kembali ke Sekretaris."
    )


def ask_recommendation(unit: str | None) -> str:
    """Step 6: the kadin types a recommendation."""
    target = f"untuk <b>{esc(unit)}</b>" if unit else "<b>umum</b> (seluruh Dinas)"
    return f"Mohon {ADDRESS} menuliskan rekomendasi {target}:"


def recommendation_saved(count: int) -> str:
    """After a recommendation."""
    return f"✔️ Rekomendasi tersimpan ({count} rekomendasi periode ini)."


def forward_request(label: str, kadin: str, count: int) -> str:
    """Step 7: to the sekretaris (without recommendations, only the report goes on)."""
    if not count:
        return (
            f"<b>Laporan kinerja Dinas {esc(label)} disetujui</b> oleh {esc(kadin)} "
            f"tanpa rekomendasi. Mohon {ADDRESS} berkenan menyerahkan laporan ke "
            f"{coordinator_short()}."
        )
    return (
        f"<b>Laporan kinerja Dinas {esc(label)} disetujui</b> oleh {esc(kadin)} "
        f"dengan {count} rekomendasi. Mohon {ADDRESS} berkenan menyerahkan laporan dan "
        f"rekomendasi ke {coordinator_short()}."
    )


def recommendation_lines(items: Sequence[tuple[str, str]]) -> list[str]:
    """Numbered (unit, text) lines, each unit named once."""
    return [
        f"{n}. {unit_first(unit, text, inline=True)}" for n, (unit, text) in enumerate(items, 1)
    ]


def distribute_request(label: str, sender: str, items: Sequence[tuple[str, str]]) -> str:
    """Step 8: to the kasubag_kpep (without recommendations, only the final report goes on)."""
    if not items:
        return (
            f"<b>Laporan {esc(label)}</b> diserahkan oleh {esc(sender)}, tanpa rekomendasi "
            f"Kepala Dinas.\n\nMohon {ADDRESS} berkenan menyampaikan laporan akhir ke grup Dinas."
        )
    lines = [f"<b>Laporan dan rekomendasi {esc(label)}</b> diserahkan oleh {esc(sender)}.", ""]
    lines += recommendation_lines(items)
    lines += [
        "",
        f"Mohon {ADDRESS} berkenan menyampaikan rekomendasi ke unit dan laporan akhir ke grup "
        "Dinas.",
    ]
    return "\n".join(lines)


def unit_recommendations(label: str, unit: str, items: Sequence[tuple[bool, str]]) -> str:
    """Step 8: to a unit, (general?, text) of its own recommendations and the general ones."""
    lines = [f"<b>Rekomendasi Kepala Dinas untuk {esc(unit)} — {esc(label)}</b>", ""]
    lines += [
        f"{n}. {'(umum) ' if general else ''}{esc(text)}"
        for n, (general, text) in enumerate(items, 1)
    ]
    lines.append("")
    if any(general for general, _ in items):
        lines.append("Rekomendasi umum ditindaklanjuti oleh setiap unit.")
    lines.append(
        f"Mohon {ADDRESS} berkenan mencatat tindak lanjut unit untuk tiap rekomendasi dengan "
        "/tindak_lanjut."
    )
    return "\n".join(lines)


def group_final(label: str, items: Sequence[tuple[str, str]]) -> str:
    """Step 8: to the agency group."""
    lines = [f"📊 <b>Laporan kinerja Dinas {esc(label)}</b> telah disetujui Kepala Dinas."]
    if not items:
        return lines[0] + "\nKepala Dinas tidak memberikan rekomendasi untuk periode ini."
    lines += ["", "<b>Rekomendasi:</b>", *recommendation_lines(items)]
    return "\n".join(lines)


def follow_up_list(items: Sequence[tuple[str, str, str]]) -> str:
    """/tindak_lanjut: (number, period label, text) of open recommendations."""
    lines = ["<b>Rekomendasi yang menunggu tindak lanjut:</b>", ""]
    lines += [f"{esc(n)}. ({esc(period)}) {esc(text)}" for n, period, text in items]
    lines += ["", "Pilih nomor untuk mencatat tindak lanjutnya."]
    return "\n".join(lines)


def follow_up_saved(left: int) -> str:
    """After a follow-up."""
    more = (
        f" Masih {left} rekomendasi menunggu."
        if left
        else " Semua rekomendasi unit Anda sudah ditindaklanjuti."
    )
    return "✔️ Tindak lanjut tersimpan." + more


def group_closed(label: str, recommended: bool = True) -> str:
    """Step 9 done: to the agency group (``recommended``: the period had recommendations)."""
    if not recommended:
        return (
            f"✅ Periode <b>{esc(label)}</b> ditutup. Tidak ada rekomendasi Kepala Dinas yang "
            "perlu ditindaklanjuti."
        )
    return (
        f"✅ Periode <b>{esc(label)}</b> ditutup: setiap unit kerja telah mencatat tindak "
        "lanjut atas rekomendasi Kepala Dinas. Rekomendasi yang belum selesai tetap dipantau "
        "melalui /tindak_lanjut hingga selesai."
    )


def period_closed(label: str) -> str:
    """Step 9 done: to the kasubag_kpep."""
    return f"✅ Periode <b>{esc(label)}</b> selesai. Laporan akhir dapat diunduh dengan /unduh."


def distributed(units: int) -> str:
    """Step 8 done: to the kasubag_kpep."""
    if not units:
        return (
            "✔️ Laporan akhir dikirim ke grup Dinas. Tidak ada rekomendasi yang perlu "
            "ditindaklanjuti unit."
        )
    return (
        f"✔️ Rekomendasi disampaikan ke {units} unit kerja; laporan akhir dikirim ke grup "
        "Dinas. Unit mencatat tindak lanjut dengan /tindak_lanjut."
    )


def mean_base(counted: int, without: int) -> str:
    """What a mean capaian is computed from: the indicators that have one, the rest apart."""
    rest = f" ({without} lainnya tanpa target atau realisasi)" if without else ""
    return f"dari {counted} indikator{rest}"


def below_line(
    name: str,
    unit: str,
    to_date: str,
    target: str,
    satuan: str,
    capaian: str,
    lower_better: bool,
) -> str:
    """An indicator under 76% in the chat analysis, with the realisation and target s.d.
    triwulan its capaian was computed from (a ceiling where less is better)."""
    cited = against_target(esc(with_satuan(to_date, satuan)), esc(target), lower_better)
    return f"• {esc(short(name))} ({esc(short(unit, 30))}): s.d. triwulan {cited}, {esc(capaian)}"


def analysis(
    label: str,
    agency_capaian: str,
    agency_predikat: str,
    agency_base: tuple[int, int],
    units: Sequence[tuple[str, str, str, str, int, int]],
    below: Sequence[str],
    limit: int = 1100,
) -> str:
    """The chat analysis: the agency's mean with its base (indicators counted, without a
    capaian), then (unit, capaian, predikat, absorption, counted, without) rows, each mean
    saying what it counts; at most ``limit`` characters, so that it fits a phone with the
    request it is sent with."""
    lines = [
        f"<b>Analisis {esc(label)}</b>",
        f"Capaian rata-rata Dinas (s.d. triwulan): <b>{esc(agency_capaian)}</b> "
        f"({esc(agency_predikat)}), {mean_base(*agency_base)}",
        "",
    ]
    for name, capaian, predikat, absorption, counted, without in units:
        lines.append(
            f"• {esc(short(name, 40))}: capaian {esc(capaian)} ({esc(predikat)}), "
            f"{mean_base(counted, without)}, penyerapan anggaran {esc(absorption)}"
        )
    return fit(
        lines,
        [(f"<b>Indikator dengan capaian di bawah 76% ({len(below)}):</b>", below)],
        [],
        more="• … dan {n} lainnya (lihat lembar Analisis)",
        limit=limit,
    )


DOWNLOAD_MENU = "Pilih berkas yang akan diunduh:"


def download_template_label(unit: str, label: str) -> str:
    """Button: a unit's form."""
    return f"Formulir {unit} — {label}"[:60]


def download_figures_label(fmt: str) -> str:
    """Button: every figure as one long table, for analysis."""
    return f"Data kinerja semua triwulan (.{fmt})"


FIGURES_CAPTION = (
    "Data kinerja per indikator dan per sub kegiatan setiap triwulan (format panjang untuk"
    " analisis), dari periode yang dikumpulkan dan data yang diimpor."
)


def download_report_label(label: str, final: bool) -> str:
    """Button: an agency report."""
    return f"Laporan Dinas {label}" + ("" if final else " (draf)")


def template_caption(unit: str, label: str) -> str:
    """Caption of a unit's template."""
    return (
        f"Formulir isian {esc(unit)} — {esc(label)}. Isi sel berwarna kuning, simpan, "
        "lalu kirim kembali berkas ini ke bot."
    )


NUDGE_SENT = "Pengingat dikirim."
NUDGE_STALE = "Langkah ini sudah tidak menunggu."


def timeliness(on_time: int, finished: int) -> str:
    """The share of finished steps that kept their time standard."""
    share = format_percent(on_time * 100 / finished, decimals=1)
    return (
        f"<b>Mutu baku waktu</b>: {on_time} dari {finished} langkah selesai tepat waktu ({share})."
    )


def late_step(step: str, unit: str, took: str, standard: str) -> str:
    """A finished step that took longer than its standard."""
    where = f" — {esc(unit)}" if unit else ""
    return f"• ⚠️ {esc(step)}{where}: {esc(took)} jam kerja (mutu baku {esc(standard)})"
