"""Where the fill-in template keeps what: its sheets, columns, hidden row keys and ``_meta`` rows.

Shared by the writer (``exports.template``) and the reader (``exports.upload``). A hidden key
per row maps it back to its indicator or sub kegiatan; a very hidden ``_meta`` sheet carries
the period, the unit and a fingerprint of the rows, so that an upload of another unit's,
another period's, or a reshaped template is recognised and refused.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from bot.model import Activity, Indicator, Level, Unit

FORMAT_VERSION = "2"  # 2: the Renja follow-up note row
TEMPLATE_MARK = "formulir-realisasi-kinerja"  # tells our template from any other workbook
MAX_TEXT_CHARS = 2000  # per note or explanation; the bot caps what it reads to the same

PETUNJUK = "Petunjuk"
REALISASI = "Realisasi"
ANGGARAN = "Anggaran"
CATATAN = "Catatan"
META = "_meta"

REALISASI_HEADERS = (
    "No",
    "Kode",
    "Program/Kegiatan/Sub Kegiatan",
    "Indikator",
    "Satuan",
    "Arah",
    "Target Tahunan",
    "Target Triwulan",
    "Realisasi Triwulan Lalu",
    "Realisasi",
    "Penjelasan",
    "Kunci",
)
ANGGARAN_HEADERS = (
    "Kode",
    "Sub Kegiatan",
    "Pagu (Rp)",
    "Realisasi s.d. Triwulan Lalu (Rp)",
    "Realisasi Triwulan Ini (Rp)",
    "Kunci",
)
CATATAN_HEADERS = ("Uraian", "Isian", "Kunci")
NOTE_FIELDS = (
    ("kendala", "Kendala/Permasalahan"),
    ("faktor_pendorong", "Faktor Pendorong"),
    ("faktor_penghambat", "Faktor Penghambat"),
    ("tindak_lanjut", "Tindak Lanjut Triwulan Berikutnya"),
    ("tindak_lanjut_renja", "Tindak Lanjut Renja Tahun Berikutnya"),
)

VALUE_COL = REALISASI_HEADERS.index("Realisasi")
EXPLAIN_COL = REALISASI_HEADERS.index("Penjelasan")
KEY_COL = REALISASI_HEADERS.index("Kunci")
BUDGET_COL = ANGGARAN_HEADERS.index("Realisasi Triwulan Ini (Rp)")
BUDGET_KEY_COL = ANGGARAN_HEADERS.index("Kunci")
NOTE_COL = CATATAN_HEADERS.index("Isian")
NOTE_KEY_COL = CATATAN_HEADERS.index("Kunci")


@dataclass(frozen=True)
class TemplateContext:
    """Everything a unit's template shows, and what an upload of it is checked against."""

    agency_name: str
    unit: Unit
    year: int
    quarter: int
    period_id: int
    indicators: tuple[Indicator, ...]  # the unit's indicators, in catalogue order
    activities: tuple[Activity, ...]  # the unit's programmes, kegiatan and sub kegiatan
    previous: Mapping[str, Decimal] = field(default_factory=dict)
    current: Mapping[str, Decimal] = field(default_factory=dict)
    budget_current: Mapping[str, Decimal] = field(default_factory=dict)
    budget_spent_before: Mapping[str, Decimal] = field(default_factory=dict)
    notes: Mapping[str, str] = field(default_factory=dict)
    # Earlier periods' recommendations still open for the unit, one row each after the
    # notes: (recommendation id, the question, the answer recorded this period or "").
    follow_ups: tuple[tuple[int, str, str], ...] = ()

    @property
    def subs(self) -> tuple[Activity, ...]:
        """The unit's sub kegiatan: one budget row each, in catalogue order."""
        return tuple(
            a
            for a in self.activities
            if a.level is Level.SUB_KEGIATAN and a.unit_code == self.unit.code
        )


def fingerprint(ctx: TemplateContext) -> str:
    """A hash of the ordered rows: an added, removed or reordered row changes it."""
    rows = [i.code for i in ctx.indicators] + ["|"] + [a.code for a in ctx.subs]
    if ctx.follow_ups:  # absent, the hash is what it was before follow-ups had rows
        rows += ["|"] + [str(rec_id) for rec_id, _, _ in ctx.follow_ups]
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def indicator_key(ctx: TemplateContext, indicator: Indicator) -> str:
    """The hidden key of an indicator row."""
    return f"K|{ctx.period_id}|{ctx.unit.code}|{indicator.code}"


def budget_key(ctx: TemplateContext, sub: Activity) -> str:
    """The hidden key of a budget row."""
    return f"B|{ctx.period_id}|{ctx.unit.code}|{sub.code}"


def note_key(ctx: TemplateContext, name: str) -> str:
    """The hidden key of a note row."""
    return f"N|{ctx.period_id}|{ctx.unit.code}|{name}"


def follow_up_key(ctx: TemplateContext, rec_id: int) -> str:
    """The hidden key of a carried recommendation's row."""
    return f"R|{ctx.period_id}|{ctx.unit.code}|{rec_id}"


def meta_rows(ctx: TemplateContext) -> tuple[tuple[str, str], ...]:
    """What the ``_meta`` sheet holds, as (name, value) pairs."""
    return (
        ("template", TEMPLATE_MARK),
        ("format", FORMAT_VERSION),
        ("period_id", str(ctx.period_id)),
        ("year", str(ctx.year)),
        ("quarter", str(ctx.quarter)),
        ("unit_code", ctx.unit.code),
        ("fingerprint", fingerprint(ctx)),
    )
