"""Domain records shared by every room: roles, units, the indicator catalogue.

Pure data: no Telegram, no SQL, no spreadsheets. Numbers are ``Decimal`` so that a value
typed by an official is kept exactly as typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

SEKRETARIAT = "sekretariat"


class Role(StrEnum):
    """The SOP's actors (PRODUCT.md, Roles)."""

    KASUBAG_KPEP = "kasubag_kpep"
    SEKRETARIS = "sekretaris"
    KADIN = "kadin"
    KABID = "kabid"
    OPERATOR = "operator"

    @property
    def needs_unit(self) -> bool:
        """Whether an assignment of this role is tied to a unit kerja."""
        return self in (Role.KABID, Role.OPERATOR)


class UnitKind(StrEnum):
    """A unit kerja is the Sekretariat or a Bidang."""

    SEKRETARIAT = "sekretariat"
    BIDANG = "bidang"


class Direction(StrEnum):
    """Whether more realisation is better (``naik``) or less is better (``turun``)."""

    UP = "naik"
    DOWN = "turun"


class Aggregation(StrEnum):
    """How quarters add up to the figure to date (PRODUCT.md, The numbers)."""

    SUM = "jumlah"  # a flow: the sum of the quarters
    LATEST = "posisi"  # a stock or a rate: the latest quarter's value


class Level(StrEnum):
    """The budget hierarchy of the Permendagri 86/2017 form."""

    PROGRAM = "program"
    KEGIATAN = "kegiatan"
    SUB_KEGIATAN = "sub_kegiatan"


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit kerja: the Sekretariat or a Bidang."""

    code: str
    name: str
    kind: UnitKind
    # The title of the unit's data officers as the agency writes it; empty: the default for
    # its kind (a bidang has no Kasubbag, so its officers are not called one).
    operator_title: str = ""


NO_PLAN: tuple[Decimal | None, Decimal | None, Decimal | None, Decimal | None] = (
    None,
    None,
    None,
    None,
)


@dataclass(frozen=True, slots=True)
class Activity:
    """A programme, kegiatan or sub kegiatan; only a sub kegiatan carries a pagu (Rp).

    ``plan`` is a sub kegiatan's planned cumulative disbursement s.d. each triwulan (anggaran
    kas / rencana penarikan dana, Rp), when the catalogue has one: absorption is then judged
    against it rather than against the share of the year elapsed.
    """

    level: Level
    code: str
    name: str
    unit_code: str
    parent_code: str | None = None
    pagu: Decimal | None = None
    plan: tuple[Decimal | None, Decimal | None, Decimal | None, Decimal | None] = NO_PLAN


class Pembanding(StrEnum):
    """A figure the bot can also compute: the catalogue's optional column ``pembanding``.

    The typed figure stands (the Dinas's whole budget may include spending outside the
    catalogue, such as salaries); the bot's own is shown beside it and a difference asked about.
    """

    PENYERAPAN_UNIT = "penyerapan_unit"  # the unit's budget absorption s.d. triwulan
    PENYERAPAN_DINAS = "penyerapan_dinas"  # the agency's, known once every unit is in


@dataclass(frozen=True, slots=True)
class Indicator:
    """A performance indicator of one unit under a programme, kegiatan or sub kegiatan.

    ``targets_q`` holds the target of each triwulan (I..IV); ``None`` where none is set.
    The Renstra figures are optional and only shown in the report.
    """

    code: str
    name: str
    unit_code: str
    activity_code: str
    satuan: str
    direction: Direction
    aggregation: Aggregation
    target_annual: Decimal | None
    targets_q: tuple[Decimal | None, Decimal | None, Decimal | None, Decimal | None]
    sasaran: str = ""
    renstra_target: Decimal | None = None
    renstra_target_rp: Decimal | None = None
    renstra_realisasi_lalu: Decimal | None = None
    renstra_realisasi_lalu_rp: Decimal | None = None
    # Whether the satuan counts whole things (12,5 paket is a typo); None: judged by the satuan.
    whole_number: bool | None = None
    # What the bot can compute for this indicator from what it collects (None: nothing).
    pembanding: Pembanding | None = None

    @property
    def is_percentage(self) -> bool:
        """A satuan of percent means a value above 100 is refused."""
        return self.satuan.strip().lower() in {"%", "persen", "persentase"}

    @property
    def is_count(self) -> bool:
        """A count (orang, paket, ...) takes whole numbers only: the catalogue's word, else the
        satuan's (:func:`counts_whole_things`)."""
        if self.whole_number is not None:
            return self.whole_number
        return counts_whole_things(self.satuan)


# Satuan that count whole things. A satuan not listed (hari, nilai, indeks, Rp, ton, ...) may
# hold fractions; the catalogue's ``bilangan_bulat`` column overrides this guess either way.
COUNT_SATUAN = frozenset(
    {
        "orang", "jiwa", "peserta", "pencari kerja", "tenaga kerja", "pekerja", "lulusan",
        "paket", "perusahaan", "badan usaha", "usaha", "koperasi", "lembaga", "organisasi",
        "kelompok", "desa", "kelurahan", "kecamatan", "unit", "buah", "kegiatan", "kali",
        "dokumen", "laporan", "berkas", "surat", "sertifikat", "izin", "rekomendasi",
        "kasus", "perkara", "temuan", "aduan", "pengaduan", "lowongan", "perjanjian",
        "program", "sub kegiatan", "pelatihan", "angkatan", "kelas", "sekolah", "titik",
        "set", "eksemplar", "judul", "aplikasi", "sistem", "sarana", "ruang", "pegawai", "asn",
    }
)  # fmt: skip


def counts_whole_things(satuan: str) -> bool:
    """Whether a satuan counts whole things ("orang", "Paket", " dokumen "): a default only."""
    return " ".join(satuan.lower().split()) in COUNT_SATUAN


@dataclass(frozen=True, slots=True)
class Catalog:
    """One year's indicator catalogue: the activity tree and its indicators."""

    year: int
    activities: tuple[Activity, ...] = field(default_factory=tuple)
    indicators: tuple[Indicator, ...] = field(default_factory=tuple)

    def unit_codes(self) -> set[str]:
        """Units that own at least one activity or indicator."""
        return {a.unit_code for a in self.activities} | {i.unit_code for i in self.indicators}
