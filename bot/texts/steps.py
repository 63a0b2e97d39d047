"""The SOP's steps and a period's stages in words (plain text, escaped where placed).

The coordinator is named by the agency's own title (bot.texts.titles): its short form in chat,
the full one in documents.
"""

from __future__ import annotations

from bot.texts.titles import titles

# Plain text, not HTML: stage and step names, escaped where they are placed.
PLAIN_TEXT = frozenset({"period_state_label", "step_name"})

PERIOD_STATE_LABELS = {
    "menunggu_persetujuan": "menunggu persetujuan pembukaan oleh Sekretaris (langkah 1)",
    "pengisian": "pengisian dan pemeriksaan laporan unit (langkah 2–3)",
    "kompilasi": "kompilasi dan analisis oleh {koordinator} (langkah 4)",
    "telaah_sekretaris": "telaah Sekretaris (langkah 5)",
    "telaah_kadin": "telaah dan rekomendasi Kepala Dinas (langkah 6)",
    "penyerahan": "penyerahan laporan ke {koordinator} (langkah 7)",
    "distribusi": "penyampaian rekomendasi ke bidang (langkah 8)",
    "tindak_lanjut": "tindak lanjut rekomendasi oleh unit (langkah 9)",
    "selesai": "selesai",
    "dibatalkan": "dibatalkan",
}

STEP_NAMES = {
    1: "Pembukaan periode",
    2: "Pengisian realisasi",
    3: "Pemeriksaan Kepala Bidang",
    4: "Kompilasi dan analisis",
    5: "Telaah Sekretaris",
    6: "Telaah Kepala Dinas",
    7: "Penyerahan ke {koordinator}",
    8: "Penyampaian rekomendasi",
    9: "Tindak lanjut",
}


def period_state_label(state: str) -> str:
    """A period's stage in words, plain text (the coordinator by the agency's short title)."""
    label = PERIOD_STATE_LABELS.get(state, state)  # a state without words shows as it is
    return label.replace("{koordinator}", titles().coordinator_short)


def step_name(step: int, *, full: bool = False) -> str:
    """An SOP step's name, plain text; ``full`` for documents, which use the full title."""
    agency = titles()
    name = STEP_NAMES.get(step, f"Langkah {step}")
    return name.replace("{koordinator}", agency.coordinator if full else agency.coordinator_short)
