"""The catalogue sheet's layout: its name, its columns left to right, and the levels they fill.

Shared by the reader (``exports.catalog``) and the writer (``exports.catalog_write``).
"""

from __future__ import annotations

from bot.model import Level

SHEET = "Katalog"
# The layout, left to right. Optional columns may be left out of a sheet entirely.
_TREE = ("kode_program", "program", "kode_kegiatan", "kegiatan", "kode_sub_kegiatan")
_INDICATOR = ("kode_indikator", "indikator", "satuan", "arah", "agregasi")
TARGETS = ("target_tahunan", "target_tw1", "target_tw2", "target_tw3", "target_tw4")
REQUIRED_COLUMNS = ("unit", *_TREE, "sub_kegiatan", "pagu", *_INDICATOR, *TARGETS)
RENSTRA = ("target_renstra", "target_renstra_rp", "realisasi_renstra_lalu")
# bilangan_bulat: "ya" for a count (12,5 is refused), "tidak" for a measure; empty: by satuan.
# rencana_tw1..4: a sub kegiatan's planned cumulative disbursement s.d. each triwulan (anggaran
# kas, Rp), all four or none; without them absorption is judged against the year elapsed.
PLAN = ("rencana_tw1", "rencana_tw2", "rencana_tw3", "rencana_tw4")
# pembanding: a figure the bot can also compute (bot.model.Pembanding); empty: none.
# nama_singkat: the name a chat line shows (at most NAME_CHARS); empty: the name cut at a word.
OPTIONAL_COLUMNS = (
    "sasaran",
    *RENSTRA,
    "realisasi_renstra_lalu_rp",
    "bilangan_bulat",
    *PLAN,
    "pembanding",
    "nama_singkat",
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
REQUIRED_CELLS = ("unit", "kode_program", "program", "kode_indikator", "indikator", "satuan")
NUMBERS = ("pagu", *TARGETS, *RENSTRA, "realisasi_renstra_lalu_rp", *PLAN)
# Counts (K) of a percentage indicator cannot pass 100; the Rp columns are money.
PERCENT_BOUNDED = (*TARGETS, "target_renstra", "realisasi_renstra_lalu")
LEVELS = (  # (level, code column, name column), top down
    (Level.PROGRAM, "kode_program", "program"),
    (Level.KEGIATAN, "kode_kegiatan", "kegiatan"),
    (Level.SUB_KEGIATAN, "kode_sub_kegiatan", "sub_kegiatan"),
)
