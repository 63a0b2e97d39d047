"""Every collected and imported figure as one long table (``python -m bot export``, /unduh).

One row per indicator and quarter, one per sub kegiatan and quarter: the table an analyst, the
LKjIP writer or a BI tool reads, instead of copying figures out of the formatted report. The
columns are named as the report names them. pandas builds the table and writes it: CSV (UTF-8,
comma separated, a dot before decimals, no thousands separator, so that every tool reads it
the same way) or .xlsx (numbers as numbers). Capaian, predikat and absorption come from
``bot.numbers``, as the report's do. Data in, bytes out.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from bot import numbers
from bot.model import Activity, Indicator, Level

if TYPE_CHECKING:  # imported when a table is made: the bot starts without loading pandas
    import pandas as pd

JENIS_INDIKATOR = "Indikator"
JENIS_SUB_KEGIATAN = "Sub Kegiatan"
SOURCE_COLLECTED = "dikumpulkan"  # entered in the bot during a period that is closed
# ... during a period still under review: its figures may yet be returned and corrected
SOURCE_DRAFT = "dikumpulkan (belum final)"
SOURCE_IMPORTED = "diimpor"  # from ``python -m bot history import``

COL_JENIS = "Jenis"
COL_YEAR = "Tahun"
COL_QUARTER = "Triwulan"
COL_CODE = "Kode"
COL_REALISASI = "Realisasi Triwulan"
COL_SPENT = "Realisasi Anggaran Triwulan (Rp)"
COLUMNS = (
    COL_YEAR,
    COL_QUARTER,
    COL_JENIS,
    "Unit Penanggung Jawab",
    COL_CODE,
    "Program/Kegiatan/Sub Kegiatan",
    "Indikator Kinerja",
    "Satuan",
    "Arah",
    "Agregasi",
    "Target Renja Tahun",
    "Target Triwulan",
    "Target s.d. Triwulan",
    COL_REALISASI,
    "Realisasi s.d. Triwulan",
    "Capaian Renja s.d. Triwulan (%)",
    "Predikat",
    "Pagu (Rp)",
    COL_SPENT,
    "Realisasi Anggaran s.d. Triwulan (Rp)",
    "Penyerapan Anggaran s.d. Triwulan (%)",
    "Sumber",
)
FORMATS = ("csv", "xlsx")
Figures = Mapping[str, Sequence[Decimal | None]]  # code -> value per quarter I..IV


@dataclass(frozen=True, slots=True)
class YearFigures:
    """One year's catalogue and every figure of it, collected or imported."""

    year: int
    quarters: tuple[int, ...]  # the quarters that have figures, in order
    collected: frozenset[int]  # of those, the quarters collected in the bot
    final: frozenset[int]  # of those, the quarters whose period is closed
    units: Mapping[str, str]  # unit code -> name
    activities: tuple[Activity, ...]  # catalogue order; sub kegiatan rows carry the budget
    indicators: tuple[Indicator, ...]
    realisations: Figures
    spent: Figures


def _percent(value: Decimal | None) -> Decimal | None:
    """A percentage as the report shows it: two decimals, half up."""
    return None if value is None else numbers.round2(value)


def figure_rows(years: Sequence[YearFigures]) -> list[dict[str, object]]:
    """Every row of the long table, years and quarters in order, the catalogue's order within."""
    rows: list[dict[str, object]] = []
    for data in years:
        names = {a.code: a.name for a in data.activities}
        for quarter in data.quarters:
            source = SOURCE_IMPORTED
            if quarter in data.collected:
                source = SOURCE_COLLECTED if quarter in data.final else SOURCE_DRAFT
            for ind in data.indicators:
                rows.append(_indicator_row(data, ind, quarter, names, source))
            for activity in data.activities:
                if activity.level is Level.SUB_KEGIATAN:
                    rows.append(_budget_row(data, activity, quarter, source))
            rows += _uncatalogued(data, quarter, source)
    return rows


def _uncatalogued(data: YearFigures, quarter: int, source: str) -> list[dict[str, object]]:
    """Imported figures of codes no catalogue knows: the figure itself, nothing computed."""
    known = {i.code for i in data.indicators}
    subs = {a.code for a in data.activities if a.level is Level.SUB_KEGIATAN}
    rows: list[dict[str, object]] = []
    for jenis, table, catalogued, column in (
        (JENIS_INDIKATOR, data.realisations, known, COL_REALISASI),
        (JENIS_SUB_KEGIATAN, data.spent, subs, COL_SPENT),
    ):
        for code in sorted(set(table) - catalogued):
            value = table[code][quarter - 1]
            if value is not None:
                rows.append(
                    {
                        COL_YEAR: data.year,
                        COL_QUARTER: quarter,
                        COL_JENIS: jenis,
                        COL_CODE: code,
                        column: value,
                        "Sumber": source,
                    }
                )
    return rows


def _indicator_row(
    data: YearFigures, ind: Indicator, quarter: int, names: Mapping[str, str], source: str
) -> dict[str, object]:
    values = list(data.realisations.get(ind.code, (None,) * 4))
    to_date = numbers.value_to_date(values, ind.aggregation, quarter)
    target = numbers.target_to_date(ind, quarter)
    cap = numbers.capaian(to_date, target, ind.direction)
    predikat = numbers.predikat(cap)
    return {
        COL_YEAR: data.year,
        COL_QUARTER: quarter,
        COL_JENIS: JENIS_INDIKATOR,
        "Unit Penanggung Jawab": data.units.get(ind.unit_code, ind.unit_code),
        COL_CODE: ind.code,
        "Program/Kegiatan/Sub Kegiatan": names.get(ind.activity_code, ""),
        "Indikator Kinerja": ind.name,
        "Satuan": ind.satuan,
        "Arah": ind.direction.value,
        "Agregasi": ind.aggregation.value,
        "Target Renja Tahun": ind.target_annual,
        "Target Triwulan": ind.targets_q[quarter - 1],
        "Target s.d. Triwulan": target,
        COL_REALISASI: values[quarter - 1],
        "Realisasi s.d. Triwulan": to_date,
        "Capaian Renja s.d. Triwulan (%)": _percent(cap),
        "Predikat": predikat.value if predikat else None,
        "Sumber": source,
    }


def _budget_row(
    data: YearFigures, activity: Activity, quarter: int, source: str
) -> dict[str, object]:
    values = list(data.spent.get(activity.code, (None,) * 4))[:quarter]
    # A quarter without a figure leaves the sum to date unknown, never a smaller sum.
    known = [v for v in values if v is not None]
    to_date = sum(known, Decimal(0)) if len(known) == len(values) else None
    return {
        COL_YEAR: data.year,
        COL_QUARTER: quarter,
        COL_JENIS: JENIS_SUB_KEGIATAN,
        "Unit Penanggung Jawab": data.units.get(activity.unit_code, activity.unit_code),
        COL_CODE: activity.code,
        "Program/Kegiatan/Sub Kegiatan": activity.name,
        "Pagu (Rp)": activity.pagu,
        COL_SPENT: values[quarter - 1],
        "Realisasi Anggaran s.d. Triwulan (Rp)": to_date,
        "Penyerapan Anggaran s.d. Triwulan (%)": _percent(
            numbers.absorption(to_date, activity.pagu)
        ),
        "Sumber": source,
    }


def figures_frame(years: Sequence[YearFigures]) -> pd.DataFrame:
    """The long table: :data:`COLUMNS`, figures as exact decimals (empty: no figure)."""
    import pandas as pd

    # object columns: figures stay exact decimals and a missing one None, never a float NaN
    rows = [dict.fromkeys(COLUMNS) | row for row in figure_rows(years)]
    return pd.DataFrame(rows, columns=list(COLUMNS), dtype=object)


def _plain(value: object) -> object:
    """A decimal written plainly ("1250000.5", never "1.2500005E+6"); anything else as is."""
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def to_csv(frame: pd.DataFrame) -> bytes:
    """The table as CSV: UTF-8 with a byte-order mark, so that Excel reads its accents."""
    text = frame.map(_plain).to_csv(index=False, lineterminator="\n")
    return text.encode("utf-8-sig")


def to_xlsx(frame: pd.DataFrame) -> bytes:
    """The table as one .xlsx sheet, figures as numbers and text always as text."""
    import pandas as pd

    buffer = io.BytesIO()
    shown = frame.map(lambda v: float(v) if isinstance(v, Decimal) else v)
    with pd.ExcelWriter(
        buffer,
        engine="xlsxwriter",
        engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}},
    ) as writer:
        shown.to_excel(writer, sheet_name="Data Kinerja", index=False)
        sheet = writer.sheets["Data Kinerja"]
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, len(shown), len(COLUMNS) - 1)
        for col, name in enumerate(COLUMNS):
            # v == v leaves out NaN, which pandas may put for a missing figure
            longest = max((len(str(v)) for v in shown[name] if v is not None and v == v), default=0)
            sheet.set_column(col, col, min(60, max(len(name), longest) + 2))
    return buffer.getvalue()


def encode(frame: pd.DataFrame, fmt: str) -> bytes:
    """The table in ``fmt`` (``csv`` or ``xlsx``)."""
    if fmt == "csv":
        return to_csv(frame)
    if fmt == "xlsx":
        return to_xlsx(frame)
    raise ValueError(f"unknown format {fmt!r}")


def export_filename(year: int | None, fmt: str) -> str:
    """E.g. ``Data_Kinerja_2026.csv``; every year: ``Data_Kinerja.xlsx``."""
    return f"Data_Kinerja{'' if year is None else f'_{year}'}.{fmt}"
