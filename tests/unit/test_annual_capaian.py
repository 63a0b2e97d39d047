"""The annual capaian of a lower-is-better ``jumlah`` waits for Triwulan IV (issue 19, 5(d)).

Before Triwulan IV its year's flow is incomplete: 5 cases in Triwulan I against a yearly 12
would read (2 × 12 − 5) / 12 = 158 % by the inverse formula. So the annual capaian shows "–"
with "dihitung pada triwulan IV" and the capaian s.d. triwulan carries the predikat, in chat,
in the report (its formulas too) and in the analysis alike.
"""

from __future__ import annotations

import io
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from bot import numbers
from bot.model import Aggregation, Direction, Indicator
from bot.numbers_format import DASH
from bot.texts import quarter as tq
from exports.report import build_report
from exports.report_data import IndicatorRow, ReportData, scored
from tests.unit.test_report import _sub, make_data
from tests.unit.test_report_document import _engine_values, _same

D = Decimal
CASES = Indicator(
    "HI-09", "Jumlah kasus perselisihan hubungan industrial", "pelatihan", _sub("pelatihan"),
    "kasus", Direction.DOWN, Aggregation.SUM, D(12), (D(3), D(3), D(3), D(3)),
)  # fmt: skip
FLOW_UP = replace(CASES, code="HI-10", name="Jumlah perusahaan dibina", direction=Direction.UP)
STOCK_DOWN = replace(
    CASES, code="HI-11", name="Rata-rata hari mediasi", aggregation=Aggregation.LATEST
)


def test_the_rule_applies_to_lower_is_better_flows_before_triwulan_iv_only() -> None:
    for quarter in (1, 2, 3):
        assert numbers.annual_waits(CASES, quarter)
        assert numbers.annual_capaian(D(5), CASES, quarter) is None
        assert not numbers.annual_waits(FLOW_UP, quarter)
        assert not numbers.annual_waits(STOCK_DOWN, quarter)
        assert numbers.annual_capaian(D(5), FLOW_UP, quarter) == D(5) * 100 / 12
        assert numbers.annual_capaian(D(5), STOCK_DOWN, quarter) == (24 - D(5)) * 100 / 12
    assert not numbers.annual_waits(CASES, 4)
    assert numbers.annual_capaian(D(14), CASES, 4) == (24 - D(14)) * 100 / 12


def _data(quarter: int) -> ReportData:
    base = make_data()
    spent = (D(5), D(4), D(3), D(2))[:quarter] + (None,) * (4 - quarter)
    rows = (IndicatorRow(CASES, spent), IndicatorRow(FLOW_UP, spent))  # type: ignore[arg-type]
    return replace(base, quarter=quarter, indicators=base.indicators + rows)


def _rincian_rows(raw: bytes) -> dict[str, tuple[object, ...]]:
    sheet = openpyxl.load_workbook(io.BytesIO(raw), data_only=True)["Rincian"]
    return {r[2]: r for r in sheet.iter_rows(min_row=7, values_only=True) if r[2]}


def test_the_report_shows_a_dash_and_says_why_and_the_predikat_follows_to_date() -> None:
    raw = build_report(_data(1))
    rows = _rincian_rows(raw)
    cases, flow = rows["HI-09"], rows["HI-10"]
    # Capaian s.d. triwulan I: (2 × 3 − 5) / 3 = 33,33 %, and its predikat.
    assert cases[22] == pytest.approx(100 / 3) and cases[25] == "Sangat Rendah"
    assert cases[24] == DASH  # not 158 %
    assert "capaian tahunan dihitung pada triwulan IV" in str(cases[31])
    assert flow[24] == pytest.approx(5 * 100 / 12)  # more is better: shown as before
    assert "dihitung pada triwulan IV" not in str(flow[31] or "")
    annual = {s.indicator.code: s.annual for s in scored(_data(1))}
    assert annual["HI-09"] is None and annual["HI-10"] == D(5) * 100 / 12


def test_in_triwulan_iv_the_formula_computes_and_an_engine_agrees(tmp_path: Path) -> None:
    raw = build_report(_data(4))
    rows = _rincian_rows(raw)
    # 5 + 4 + 3 + 2 = 14 cases against 12: (24 − 14) / 12 = 83,33 %.
    assert rows["HI-09"][24] == pytest.approx(1000 / 12)
    path = tmp_path / "laporan.xlsx"
    path.write_bytes(raw)
    computed = _engine_values(path)
    book = openpyxl.load_workbook(path)
    cached = openpyxl.load_workbook(path, data_only=True)
    sheet = book["Rincian"]
    row = next(r[0].row for r in sheet.iter_rows(min_row=7) if r[2].value == "HI-09")
    cell = sheet.cell(row=row, column=25)
    assert cell.data_type == "f"
    assert _same(cached["Rincian"][cell.coordinate].value, computed[("RINCIAN", cell.coordinate)])


def test_chat_says_it_waits_for_triwulan_iv() -> None:
    line = tq.indicator_line(3, CASES.name, D(5), "kasus", None, "", None, annual_later=True)
    assert "capaian tahunan –, dihitung pada triwulan IV" in line
    assert "%" not in line
