"""One catalogue row checked cell by cell into activities and an indicator, or problems."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from bot.checks import Hard, check_cell_value
from bot.model import (
    NO_PLAN,
    Activity,
    Aggregation,
    Catalog,
    Direction,
    Indicator,
    Level,
    Pembanding,
)
from bot.names import NAME_CHARS
from bot.numbers_format import format_number
from exports.catalog_columns import (
    COLUMNS,
    LEVELS,
    NUMBERS,
    PERCENT_BOUNDED,
    PLAN,
    REQUIRED_CELLS,
    SHEET,
)
from exports.org import ImportProblem

_YES_NO = {"ya": True, "y": True, "tidak": False, "t": False}
_E = TypeVar("_E", bound=StrEnum)
HUNDRED = Decimal(100)
_NUMBER_REASONS = {
    Hard.FORMULA: "rumus tidak diperbolehkan",
    Hard.NEGATIVE: "tidak boleh negatif",
    Hard.AMBIGUOUS: "angka tidak jelas",
    Hard.TWO_VALUES: "berisi lebih dari satu angka",
}


@dataclass(frozen=True, slots=True)
class CatalogImport:
    """The catalogue, or None with every problem found."""

    catalog: Catalog | None
    problems: tuple[ImportProblem, ...]


def blank(value: object) -> bool:
    """Whether a cell holds nothing, or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def _is_formula(cell: Any) -> bool:
    return getattr(cell, "data_type", None) == "f"


def _shown(value: object) -> str:
    """A cell's value as a problem shows it: short, and a formula's text, not its object."""
    return str(getattr(value, "text", value))[:80] if value is not None else ""


def _tidy(value: Decimal) -> Decimal:
    """A whole number without a trailing ``.0`` (a float cell's 1250000.0 is 1250000)."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


class RowReader:
    """Checks rows one by one, gathering activities, indicators and every problem."""

    def __init__(self, year: int, units: set[str]) -> None:
        self.year = year
        self.units = units
        self.rows = 0
        self.problems: list[ImportProblem] = []
        self.activities: dict[str, Activity] = {}
        self.first_row: dict[str, int] = {}  # activity code -> the row that defined it
        self.indicators: list[Indicator] = []
        self.indicator_rows: dict[str, int] = {}

    def problem(self, row: int, column: str | None, value: object, reason: str) -> None:
        """Record a problem at a row and column."""
        self.problems.append(ImportProblem(SHEET, row, column, _shown(value), reason))

    def result(self) -> CatalogImport:
        """The catalogue if no row had a problem, else the problems alone."""
        if self.problems:
            return CatalogImport(None, tuple(self.problems))
        catalog = Catalog(self.year, tuple(self.activities.values()), tuple(self.indicators))
        return CatalogImport(catalog, ())

    def text(self, row: int, cells: dict[str, Any], column: str) -> str:
        """A text cell, trimmed; a formula or a fractional number in it is a problem."""
        cell = cells.get(column)
        value = None if cell is None else cell.value
        if _is_formula(cell):
            self.problem(row, column, value, "rumus tidak diperbolehkan")
            return ""
        if isinstance(value, float) and not value.is_integer():
            # 1.10 typed as a number arrives as 1.1: the code is already lost, so ask for text.
            self.problem(row, column, value, "harus diketik sebagai teks")
            return ""
        if isinstance(value, float):
            value = int(value)
        return "" if value is None else str(value).strip()

    def number(self, row: int, cells: dict[str, Any], column: str) -> Decimal | None:
        """A number cell: a real number or Indonesian text; None when empty or refused."""
        cell = cells.get(column)
        value = None if cell is None else cell.value
        if blank(value):
            return None
        if _is_formula(cell):
            self.problem(row, column, value, "rumus tidak diperbolehkan")
            return None
        result = check_cell_value(value)
        if result.value is None or result.hard is not None:
            reason = (
                _NUMBER_REASONS.get(result.hard, "bukan angka") if result.hard else "bukan angka"
            )
            if result.suggestions:
                reason += ": " + " atau ".join(format_number(s) for s in result.suggestions) + "?"
            self.problem(row, column, value, reason)
            return None
        return _tidy(result.value)

    def add(self, row: int, cells: dict[str, Any]) -> None:
        """Check one indicator row and, if it is clean, take its activities and indicator."""
        self.rows += 1
        before = len(self.problems)
        text = {c: self.text(row, cells, c) for c in COLUMNS if c not in NUMBERS}
        numbers = {c: self.number(row, cells, c) for c in NUMBERS}
        for column in REQUIRED_CELLS:
            if not text[column] and not self._reported(before, row, column):
                self.problem(row, column, "", "wajib diisi")
        unit = text["unit"]
        if unit and unit not in self.units:
            self.problem(row, "unit", unit, "unit tidak dikenal")
        direction = self._choice(row, "arah", text["arah"], Direction, before)
        aggregation = self._choice(row, "agregasi", text["agregasi"], Aggregation, before)
        chain = self._levels(row, text, numbers, before)
        whole = self._yes_no(row, "bilangan_bulat", text["bilangan_bulat"])
        pembanding = self._pembanding(row, text["pembanding"])
        if len(text["nama_singkat"]) > NAME_CHARS:
            # A longer one would be cut in chat anyway, which is what it was meant to avoid.
            self.problem(
                row, "nama_singkat", text["nama_singkat"], f"lebih dari {NAME_CHARS} karakter"
            )
        code = text["kode_indikator"]
        if code in self.indicator_rows:
            other = self.indicator_rows[code]
            self.problem(
                row, "kode_indikator", code, f"kode indikator ganda (juga di baris {other})"
            )
        elif code:
            self.indicator_rows[code] = row
        if not chain or direction is None or aggregation is None:
            return
        indicator = Indicator(
            code=code,
            name=text["indikator"],
            unit_code=unit,
            activity_code=chain[-1].code,
            satuan=text["satuan"],
            direction=direction,
            aggregation=aggregation,
            target_annual=numbers["target_tahunan"],
            targets_q=(
                numbers["target_tw1"],
                numbers["target_tw2"],
                numbers["target_tw3"],
                numbers["target_tw4"],
            ),
            sasaran=text["sasaran"],
            renstra_target=numbers["target_renstra"],
            renstra_target_rp=numbers["target_renstra_rp"],
            renstra_realisasi_lalu=numbers["realisasi_renstra_lalu"],
            renstra_realisasi_lalu_rp=numbers["realisasi_renstra_lalu_rp"],
            whole_number=whole,
            pembanding=pembanding,
            short_name=text["nama_singkat"],
        )
        if pembanding is not None and not indicator.is_percentage:
            self.problem(row, "pembanding", text["pembanding"], "hanya untuk satuan persen")
        if indicator.is_percentage:
            for column in PERCENT_BOUNDED:
                value = numbers[column]
                if value is not None and value > HUNDRED:
                    self.problem(row, column, cells[column].value, "persentase lebih dari 100")
        if len(self.problems) == before:
            self.indicators.append(indicator)

    def _yes_no(self, row: int, column: str, text: str) -> bool | None:
        """An optional ya/tidak cell: None when empty (the default applies)."""
        if not text:
            return None
        answer = _YES_NO.get(text.lower())
        if answer is None:
            self.problem(row, column, text, "harus ya atau tidak (atau kosong)")
        return answer

    def _pembanding(self, row: int, text: str) -> Pembanding | None:
        """An optional pembanding cell: None when empty."""
        if not text:
            return None
        try:
            return Pembanding(text.lower())
        except ValueError:
            allowed = " atau ".join(p.value for p in Pembanding)
            self.problem(row, "pembanding", text, f"harus {allowed} (atau kosong)")
            return None

    def _reported(self, before: int, row: int, column: str) -> bool:
        """Whether this row's column already has a problem (a formula, say)."""
        return any(p.row == row and p.column == column for p in self.problems[before:])

    def _choice(self, row: int, column: str, text: str, kind: type[_E], before: int) -> _E | None:
        """The enum member a cell names (case-insensitive), or None with a problem."""
        if not text:
            if not self._reported(before, row, column):
                self.problem(row, column, "", "wajib diisi")
            return None
        try:
            return kind(text.lower())
        except ValueError:
            allowed = " atau ".join(member.value for member in kind)
            self.problem(row, column, text, f"harus {allowed}")
            return None

    def _levels(
        self, row: int, text: dict[str, str], numbers: dict[str, Decimal | None], before: int
    ) -> list[Activity]:
        """The row's activities, top down; each is checked against its earlier rows."""
        chain: list[Activity] = []
        parent: str | None = None
        for level, code_column, name_column in LEVELS:
            code, name = text[code_column], text[name_column]
            if not code and not name:
                break
            if not code or not name:
                empty = name_column if code else code_column
                if not self._reported(before, row, empty):
                    self.problem(row, empty, "", "wajib diisi")
                return []
            pagu = numbers["pagu"] if level is Level.SUB_KEGIATAN else None
            plan = self._plan(row, numbers, pagu) if level is Level.SUB_KEGIATAN else NO_PLAN
            activity = Activity(level, code, name, text["unit"], parent, pagu, plan)
            if activity.code in self.activities:
                self._same_as_before(row, activity, code_column, name_column)
            else:
                # Registered even if the row has other problems, so that later rows are
                # compared with the first listing and every inconsistency shows at once.
                self.activities[activity.code] = activity
                self.first_row[activity.code] = row
            chain.append(activity)
            parent = code
        if not chain:
            return []  # the empty programme cells are already reported as required
        if len(chain) < len(LEVELS):
            for _, code_column, name_column in LEVELS[len(chain) + 1 :]:
                for column in (code_column, name_column):
                    if text[column]:
                        self.problem(row, column, text[column], "tingkat di atasnya kosong")
            if numbers["pagu"] is not None:
                self.problem(row, "pagu", numbers["pagu"], "pagu hanya untuk sub kegiatan")
            for column in PLAN:
                if numbers[column] is not None:
                    self.problem(row, column, numbers[column], "rencana hanya untuk sub kegiatan")
        elif chain[-1].pagu is None and not self._reported(before, row, "pagu"):
            self.problem(row, "pagu", "", "pagu sub kegiatan wajib diisi")
        return chain

    def _plan(
        self, row: int, numbers: dict[str, Decimal | None], pagu: Decimal | None
    ) -> tuple[Decimal | None, Decimal | None, Decimal | None, Decimal | None]:
        """A sub kegiatan's disbursement plan: all four quarters or none, cumulative (never
        falling) and within the pagu. A problem leaves the row out, so the plan is NO_PLAN."""
        q1, q2, q3, q4 = (numbers[c] for c in PLAN)
        plan = (q1, q2, q3, q4)
        given = [c for c, v in zip(PLAN, plan, strict=True) if v is not None]
        if not given:
            return NO_PLAN
        if len(given) < len(PLAN):
            for column in PLAN:
                if column not in given:
                    self.problem(row, column, "", "isi keempat kolom rencana atau kosongkan semua")
            return NO_PLAN
        for n, (column, value) in enumerate(zip(PLAN, plan, strict=True)):
            assert value is not None
            earlier = plan[n - 1] if n else None
            if earlier is not None and value < earlier:
                self.problem(row, column, value, "rencana kumulatif tidak boleh lebih kecil")
            elif pagu is not None and value > pagu:
                self.problem(row, column, value, "rencana melebihi pagu")
        return plan

    def _same_as_before(
        self, row: int, activity: Activity, code_column: str, name_column: str
    ) -> None:
        """An activity listed again must keep its level, name, parent and pagu."""
        known = self.activities[activity.code]
        first = self.first_row[activity.code]
        if known.level is not activity.level:
            self.problem(
                row, code_column, activity.code, f"kode dipakai di tingkat lain (baris {first})"
            )
            return
        if known.name != activity.name:
            self.problem(
                row,
                name_column,
                activity.name,
                f"nama berbeda untuk kode yang sama (baris {first})",
            )
        if known.parent_code != activity.parent_code:
            upper = "kode_program" if activity.level is Level.KEGIATAN else "kode_kegiatan"
            self.problem(
                row,
                upper,
                activity.parent_code,
                f"induk berbeda untuk {activity.code} (baris {first})",
            )
        if activity.plan != NO_PLAN and known.plan == NO_PLAN:
            # The plan may stand on any of the sub kegiatan's rows: the first that gives it.
            self.activities[activity.code] = replace(known, plan=activity.plan)
        elif activity.plan != NO_PLAN and known.plan != activity.plan:
            self.problem(
                row,
                PLAN[0],
                activity.plan[0],
                f"rencana berbeda untuk sub kegiatan yang sama (baris {first})",
            )
        if activity.pagu is not None and known.pagu is not None and known.pagu != activity.pagu:
            self.problem(
                row,
                "pagu",
                activity.pagu,
                f"pagu berbeda untuk sub kegiatan yang sama (baris {first})",
            )
