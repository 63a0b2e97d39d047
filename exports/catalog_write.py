"""The indicator catalogue written as .xlsx, in the layout ``exports.catalog`` reads (also a
blank template for an agency to fill)."""

from __future__ import annotations

import io
from decimal import Decimal

import xlsxwriter

from bot.model import Activity, Catalog, Indicator, Level
from exports.catalog_columns import COLUMNS, LEVELS, PLAN, SHEET


def write_catalog_xlsx(catalog: Catalog) -> bytes:
    """The catalogue in the layout :func:`read_catalog` reads (also a blank template)."""
    buffer = io.BytesIO()
    # Every text stays text: a name typed as "=..." must not become a formula here.
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False}
    )
    sheet = book.add_worksheet(SHEET)
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    money = book.add_format({"num_format": "#,##0"})
    for column, name in enumerate(COLUMNS):
        sheet.write_string(0, column, name, bold)
    by_code = {a.code: a for a in catalog.activities}
    for row, indicator in enumerate(catalog.indicators, 1):
        values = {**_chain(indicator.activity_code, by_code), **_indicator_cells(indicator)}
        for column, name in enumerate(COLUMNS):
            value = values.get(name)
            if isinstance(value, Decimal):
                money_column = name == "pagu" or name in PLAN
                sheet.write_number(row, column, float(value), money if money_column else None)
            elif value:
                sheet.write_string(row, column, str(value))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(catalog.indicators), 1), len(COLUMNS) - 1)
    sheet.set_column(0, len(COLUMNS) - 1, 14)
    for name in ("program", "kegiatan", "sub_kegiatan", "indikator", "sasaran"):
        sheet.set_column(COLUMNS.index(name), COLUMNS.index(name), 40)
    book.close()
    return buffer.getvalue()


def _chain(code: str, by_code: dict[str, Activity]) -> dict[str, object]:
    """The code and name cells of an activity and its ancestors, and the sub kegiatan's pagu."""
    cells: dict[str, object] = {}
    seen: set[str] = set()
    activity = by_code.get(code)
    while activity is not None and activity.code not in seen:  # a cycle cannot hang us
        seen.add(activity.code)
        _, code_column, name_column = next(x for x in LEVELS if x[0] is activity.level)
        cells[code_column], cells[name_column] = activity.code, activity.name
        if activity.level is Level.SUB_KEGIATAN:
            cells["pagu"] = activity.pagu
            cells.update(zip(PLAN, activity.plan, strict=True))
        activity = by_code.get(activity.parent_code or "")
    return cells


def _indicator_cells(indicator: Indicator) -> dict[str, object]:
    tw1, tw2, tw3, tw4 = indicator.targets_q
    return {
        "unit": indicator.unit_code,
        "kode_indikator": indicator.code,
        "indikator": indicator.name,
        "satuan": indicator.satuan,
        "arah": indicator.direction.value,
        "agregasi": indicator.aggregation.value,
        "target_tahunan": indicator.target_annual,
        "target_tw1": tw1,
        "target_tw2": tw2,
        "target_tw3": tw3,
        "target_tw4": tw4,
        "sasaran": indicator.sasaran,
        "target_renstra": indicator.renstra_target,
        "target_renstra_rp": indicator.renstra_target_rp,
        "realisasi_renstra_lalu": indicator.renstra_realisasi_lalu,
        "realisasi_renstra_lalu_rp": indicator.renstra_realisasi_lalu_rp,
        "bilangan_bulat": {True: "ya", False: "tidak", None: ""}[indicator.whole_number],
        "pembanding": indicator.pembanding.value if indicator.pembanding else "",
        "nama_singkat": indicator.short_name,
    }
