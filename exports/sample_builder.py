"""How the sample catalogue (``exports/sample_catalog.py``) is written down: figures as
ints or exact text, Renstra figures, and the builder that collects the activity tree and the
indicators unit by unit."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from bot.model import (
    Activity,
    Aggregation,
    Catalog,
    Direction,
    Indicator,
    Level,
    Pembanding,
)

YEAR = 2026  # the sample catalogue's year

# ---- building the catalogue ------------------------------------------------------------------

# A figure as written below: an int, or text for a fraction so that "3.85" stays exact.
Figure = int | str
Quarters = tuple[Figure, Figure, Figure, Figure]
NAIK, TURUN = Direction.UP, Direction.DOWN


def _d(value: Figure) -> Decimal:
    return Decimal(str(value))


@dataclass(frozen=True, slots=True)
class Renstra:
    """The Renstra figures of an indicator: the end-of-period target and the result so far."""

    target: Figure
    target_rp: int | None = None
    realised: Figure | None = None  # realisation up to last year
    realised_rp: int | None = None


class CatalogBuilder:
    """Collects the activity tree and the indicators in catalogue order, unit by unit.

    Each indicator hangs on the activity declared last; ``sasaran`` is given with each
    programme and kegiatan, and a sub kegiatan's indicators share its kegiatan's.
    """

    def __init__(self) -> None:
        self.activities: list[Activity] = []
        self.indicators: list[Indicator] = []
        self._unit = ""
        self._program = ""
        self._kegiatan = ""
        self._current = ""
        self._sasaran = ""
        self._kegiatan_sasaran = ""

    def unit(self, code: str) -> None:
        """Start a unit's part of the catalogue."""
        self._unit = code

    def program(self, code: str, name: str, *, sasaran: str) -> None:
        """A programme; its indicators are outcomes."""
        self._add(Activity(Level.PROGRAM, code, name, self._unit))
        self._program = code
        self._sasaran = sasaran

    def kegiatan(self, code: str, name: str, *, sasaran: str) -> None:
        """A kegiatan of the programme declared last; its indicators are outputs."""
        self._add(Activity(Level.KEGIATAN, code, name, self._unit, self._program))
        self._kegiatan = code
        self._sasaran = self._kegiatan_sasaran = sasaran

    def sub(self, code: str, name: str, *, pagu: int) -> None:
        """A sub kegiatan of the kegiatan declared last, with its pagu in Rp."""
        activity = Activity(
            Level.SUB_KEGIATAN, code, name, self._unit, self._kegiatan, Decimal(pagu)
        )
        self._add(activity)
        self._sasaran = self._kegiatan_sasaran

    def jumlah(
        self,
        code: str,
        name: str,
        satuan: str,
        quarters: Quarters,
        *,
        direction: Direction = NAIK,
        renstra: Renstra | None = None,
    ) -> None:
        """A flow: the annual target is the sum of the four quarters."""
        annual = sum((_d(q) for q in quarters), Decimal(0))
        self._indicator(code, name, satuan, quarters, annual, direction, Aggregation.SUM, renstra)

    def posisi(
        self,
        code: str,
        name: str,
        satuan: str,
        quarters: Quarters,
        *,
        direction: Direction = NAIK,
        renstra: Renstra | None = None,
        pembanding: Pembanding | None = None,
    ) -> None:
        """A stock or a rate: the annual target is the fourth quarter's."""
        annual = _d(quarters[-1])
        self._indicator(
            code, name, satuan, quarters, annual, direction, Aggregation.LATEST, renstra
        )
        if pembanding is not None:
            self.indicators[-1] = replace(self.indicators[-1], pembanding=pembanding)

    def catalog(self) -> Catalog:
        """Everything declared, as one year's catalogue."""
        return Catalog(YEAR, tuple(self.activities), tuple(self.indicators))

    def _add(self, activity: Activity) -> None:
        self.activities.append(activity)
        self._current = activity.code

    def _indicator(
        self,
        code: str,
        name: str,
        satuan: str,
        quarters: Quarters,
        annual: Decimal,
        direction: Direction,
        aggregation: Aggregation,
        renstra: Renstra | None,
    ) -> None:
        q1, q2, q3, q4 = (_d(q) for q in quarters)
        self.indicators.append(
            Indicator(
                code=code,
                name=name,
                unit_code=self._unit,
                activity_code=self._current,
                satuan=satuan,
                direction=direction,
                aggregation=aggregation,
                target_annual=annual,
                targets_q=(q1, q2, q3, q4),
                sasaran=self._sasaran,
                renstra_target=_d(renstra.target) if renstra else None,
                renstra_target_rp=_optional(renstra.target_rp) if renstra else None,
                renstra_realisasi_lalu=_optional(renstra.realised) if renstra else None,
                renstra_realisasi_lalu_rp=_optional(renstra.realised_rp) if renstra else None,
            )
        )


def _optional(value: Figure | None) -> Decimal | None:
    return None if value is None else _d(value)
