"""What the leaders' dashboard in the Mini App says (formal Indonesian, EYD V).

The page receives these as JSON and sets them as text, never as HTML: every function here
returns plain text (see ``PLAIN_TEXT``).
"""

from __future__ import annotations

from bot.texts import quarter as tq
from bot.texts.titles import titles

BTN_OPEN_DASHBOARD = "Buka dasbor"
NO_DECISION = "Tidak ada keputusan yang menunggu Anda pada tahap ini. Tidak ada yang diubah."
GENERAL = "Umum (semua unit)"
APPROVED = "Laporan disetujui dan diteruskan ke tahap berikutnya."


def forbidden() -> str:
    """Anyone but the three who may open the dashboard (the coordinator by the agency's title)."""
    return (
        f"Maaf, dasbor ini hanya untuk {titles().coordinator_short}, Sekretaris, dan Kepala "
        "Dinas. Tidak ada yang diubah."
    )


def returned() -> str:
    """After a leader's return from the dashboard."""
    return f"Laporan dikembalikan ke {titles().coordinator_short} dengan alasan Anda."


# Headings and labels the page shows; keys are what dashboard.js asks for.
PAGE: dict[str, str] = {
    "loading": "Memuat dasbor …",
    "no_launch": "Halaman ini dibuka dari tombol Buka dasbor di percakapan dengan bot di Telegram.",
    "offline": "Tidak tersambung ke server. Coba lagi sebentar lagi.",
    "units_title": "Posisi per unit",
    "steps_title": "Langkah SOP dan mutu baku waktu",
    "capaian_title": "Capaian kinerja per unit (s.d. triwulan)",
    "absorption_title": "Serapan anggaran per unit",
    "trend_title": "Arah perubahan indikator dibanding triwulan lalu",
    "series_title": "Capaian dan serapan Dinas per triwulan",
    "below_title": "Indikator dengan capaian di bawah 76%",
    "follow_ups_title": "Tindak lanjut rekomendasi yang belum selesai",
    "none": "Tidak ada.",
    "agency": "Dinas",
    "capaian": "Capaian",
    "absorption": "Serapan",
    "floor": "Batas Tinggi (76%)",
    "improved": "membaik",
    "worsened": "memburuk",
    "steady": "tetap",
    "no_base": "tanpa pembanding",
    "on_time": "tepat waktu",
    "late": "terlambat",
    "running": "berjalan",
    "standard": "mutu baku",
    "taken": "waktu kerja",
    "decision_title": "Keputusan Anda",
    "approve": tq.BTN_APPROVE,
    "return": tq.BTN_RETURN,
    "reason_label": "Alasan revisi (wajib, dibaca oleh {koordinator})",
    "send_return": "Kembalikan untuk revisi",
    "cancel": "Batal",
    "deciding": "Memproses …",
}
PLAIN_TEXT = (
    "title", "stage", "decision_lead", "waiting", "open_units", "demo_links_head", "demo_link",
    "forbidden", "returned",
)  # fmt: skip


def page() -> dict[str, str]:
    """The page's labels, the coordinator named by the agency's own title."""
    label = PAGE["reason_label"].replace("{koordinator}", titles().coordinator_short)
    return {**PAGE, "reason_label": label}


def title(period: str) -> str:
    """The page's heading."""
    return f"Dasbor pimpinan — {period}"


def stage(state: str) -> str:
    """Where the period stands, e.g. "Tahap: telaah Sekretaris (langkah 5)"."""
    return f"Tahap: {state}"


def decision_lead(step: int, name: str) -> str:
    """What the Sekretaris or the Kepala Dinas is asked to decide here."""
    return f"Langkah {step}: {name}. Mohon berkenan memberikan keputusan."


def waiting(names: str, since: str) -> str:
    """Who a unit's open step waits on, and since when."""
    return f"menunggu {names} sejak {since}"


def open_units(names: list[str]) -> str:
    """The units for which a recommendation is still open (not yet selesai)."""
    return "Belum selesai: " + ", ".join(names)


# ``python -m bot demo --webapp``: printed in the terminal, plain text.
DEMO_FORM = "Formulir operator"
DEMO_DASHBOARD = "Dasbor pimpinan"


def demo_links_head() -> str:
    """The line above the demo's two addresses."""
    return "Mini App demo (buka di peramban; Ctrl-C untuk berhenti):"


def demo_link(what: str, person: str, url: str) -> str:
    """One address of the demo, for whom it is signed."""
    return f"  {what} ({person}): {url}"
