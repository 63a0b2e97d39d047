"""Trends in the report and the chat chart (issue 14), against a computation made here.

Expected figures follow PRODUCT.md "The numbers" and the issue's trend rule (a change under
1 % of the earlier figure is "tetap"), computed without ``bot.analysis`` or ``bot.numbers``.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
from PIL import Image

from bot.model import Activity, Aggregation, Direction, Indicator, Level, Unit, UnitKind
from bot.services.files.reporting import chart
from exports.chart import capaian_chart_png
from exports.chart_trend import direction_rows
from exports.report import build_report
from exports.report_data import BudgetRow, IndicatorRow, ReportData

D = Decimal
UNITS = (
    Unit("latih", "Bidang Pelatihan", UnitKind.BIDANG),
    Unit("tempat", "Bidang Penempatan", UnitKind.BIDANG),
)
T = (D(100), D(100), D(100), D(100))


def ind(code: str, unit: str, agg: Aggregation, direction: Direction = Direction.UP) -> Indicator:
    return Indicator(
        code, f"Indikator {code}", unit, f"s.{unit}", "orang", direction, agg, D(400), T
    )


ROWS = (
    IndicatorRow(ind("A1", "latih", Aggregation.SUM), (D(80), D(120), None, None)),  # +50 %
    IndicatorRow(ind("A2", "latih", Aggregation.LATEST), (D(90), D("90.5"), None, None)),  # tetap
    IndicatorRow(ind("B1", "tempat", Aggregation.SUM, Direction.DOWN), (D(50), D(40), None, None)),
    IndicatorRow(ind("B2", "tempat", Aggregation.SUM), (None, D(70), None, None)),  # no TW I
)
LAST_YEAR = (
    ("A1", (D(60), D(100), D(90), D(70))),
    ("B1", (D(45), D(0), D(50), D(50))),  # 0 last year: no percentage, still a mark
)
ACTIVITIES = tuple(
    Activity(Level.SUB_KEGIATAN, f"s.{u.code}", f"Sub {u.name}", u.code, None, D(1000))
    for u in UNITS
)
BUDGETS = (
    BudgetRow(ACTIVITIES[0], (D(100), D(300), None, None)),
    BudgetRow(ACTIVITIES[1], (D(50), None, None, None)),  # TW II not reported
)
DATA = ReportData(
    agency_name="Dinas Contoh",
    year=2026,
    quarter=2,
    generated_at=datetime(2026, 7, 10, tzinfo=UTC),
    units=UNITS,
    activities=ACTIVITIES,
    indicators=ROWS,
    budgets=BUDGETS,
    last_year=LAST_YEAR,
)


def two(value: Decimal) -> Decimal:
    return value.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def close(cell: object, expected: Decimal) -> bool:
    return isinstance(cell, int | float) and abs(D(str(cell)) - two(expected)) < D("0.005")


def mark(before: Decimal, after: Decimal, direction: Direction) -> str:
    """The movement and, unless it held, its judgement by the indicator's direction."""
    if before == 0:
        moved = 0 if after == 0 else 1
    else:
        pct = (after - before) / before * 100
        moved = 0 if abs(pct) < 1 else (1 if pct > 0 else -1)
    if moved == 0:
        return "■ tetap"
    better = (moved > 0) == (direction is Direction.UP)
    return ("▲ naik" if moved > 0 else "▼ turun") + (" · membaik" if better else " · memburuk")


def test_trend_columns_equal_an_independent_computation() -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(build_report(DATA)))["Analisis"]
    cells = list(sheet.iter_rows(values_only=True))
    top = next(i for i, r in enumerate(cells) if r[0] == "Kode" and r[1] == "Indikator")
    table = {r[0]: r for r in cells[top + 1 : top + 1 + len(ROWS)]}
    last = dict(LAST_YEAR)
    for row in ROWS:
        code = row.indicator.code
        got = table[code]
        q1, q2 = row.realisasi_q[0], row.realisasi_q[1]
        assert got[1] == row.indicator.name and got[4] == (float(q1) if q1 is not None else None)
        assert got[5] == float(q2)  # type: ignore[arg-type]
        if q1 is None:
            assert got[6] is None and got[7] == "belum ada data pembanding"
        else:
            assert close(got[6], (q2 - q1) / q1 * 100) and got[7] == mark(
                q1, q2, row.indicator.direction
            )  # type: ignore[operator]
        before = last.get(code, (None,) * 4)[1]
        if before is None:
            assert got[8] is None and got[10] == "belum ada data pembanding"
        elif before == 0:
            assert (
                got[8] == 0
                and got[9] == "–"
                and got[10] == mark(before, q2, row.indicator.direction)
            )  # type: ignore[arg-type]
        else:
            assert close(got[9], (q2 - before) / before * 100)  # type: ignore[operator]
            assert got[10] == mark(before, q2, row.indicator.direction)  # type: ignore[arg-type]
    assert table["A2"][7] == "■ tetap"  # 90 → 90,5: inside the tolerance
    assert table["B1"][7] == "▼ turun · membaik"  # fewer where fewer is better
    assert table["B1"][10] == "▲ naik · memburuk"  # 0 → 40 against last year: worse
    # The counts above the table name their base and add up: A1 and B1 improved, A2 held, B2
    # has no triwulan I; against last year only A1 (100 → 120) and B1 (0 → 40) compare.
    assert (
        "Dibanding triwulan sebelumnya, dari 3 indikator yang memiliki pembanding: "
        "2 membaik, 0 memburuk, 1 tetap; 1 indikator tanpa pembanding." in cells[top - 2]
    )
    assert (
        "Dibanding triwulan yang sama tahun lalu, dari 2 indikator yang memiliki pembanding: "
        "1 membaik, 1 memburuk, 0 tetap; 2 indikator tanpa pembanding." in cells[top - 1]
    )

    # The agency's series: mean capaian s.d. each quarter, absorption s.d. each quarter.
    start = next(i for i, r in enumerate(cells) if r[0] == "Triwulan")
    series = cells[start + 1 : start + 3]
    caps_q1 = [D(80), D(90), 2 * D(100) - D(50)]  # B2 has no TW I: left out, not 0
    caps_q2 = [D(200) / 2, D("90.5"), (2 * D(200) - D(90)) / 2]  # B2 incomplete s.d. TW II
    assert series[0][0] == "TW I" and series[1][0] == "TW II"
    assert close(series[0][1], sum(caps_q1, D(0)) / 3)
    assert close(series[1][1], sum(caps_q2, D(0)) / 3)
    assert close(series[0][2], D(150) / D(2000) * 100)
    assert series[1][2] is None  # Penempatan's TW II spending is missing: not computed

    with zipfile.ZipFile(io.BytesIO(build_report(DATA))) as archive:
        charts = [
            archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/charts/")
        ]
    # The Ringkasan's bar chart draws its 76 % and 100 % lines as line series too.
    (line,) = [c for c in charts if "<c:lineChart>" in c and "Tren Capaian" in c]
    rows = f"${start + 2}:$B${start + 3}"  # the series table, as Excel numbers rows
    assert f"Analisis!$B{rows}" in line and f"Analisis!$C{rows.replace('B', 'C')}" in line
    assert "dispBlanksAs" not in line or 'dispBlanksAs val="gap"' in line  # gaps, not zeros


def test_chat_chart_counts_each_unit_by_direction() -> None:
    rows = dict(direction_rows(DATA))
    latih, tempat = rows["Bidang Pelatihan"], rows["Bidang Penempatan"]
    assert (latih.membaik, latih.memburuk, latih.tetap, latih.tanpa_pembanding) == (1, 0, 1, 0)
    # B1 fell where less is better: membaik, never the bad news a bare "turun" suggests.
    assert (tempat.membaik, tempat.memburuk, tempat.tetap, tempat.tanpa_pembanding) == (1, 0, 0, 1)


def test_chat_chart_has_the_trend_as_a_second_panel() -> None:
    bars = Image.open(io.BytesIO(capaian_chart_png(DATA)))
    both = Image.open(io.BytesIO(chart(DATA)))
    assert both.format == "PNG"
    assert both.width == bars.width and both.height > bars.height * 1.5
