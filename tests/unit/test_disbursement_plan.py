"""Absorption against the plan when the agency has one (issue 19, item 6).

The catalogue may carry, per sub kegiatan, the planned cumulative disbursement s.d. each
triwulan (anggaran kas: ``rencana_tw1`` .. ``rencana_tw4``, Rp). Absent, everything is as
before; present, absorption is judged against it, and every sentence says which.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from bot import analysis as an
from bot.model import NO_PLAN, Activity, Aggregation, Direction, Indicator, Level, Unit, UnitKind
from bot.numbers_format import format_percent
from exports.catalog_columns import COLUMNS, PLAN, REQUIRED_COLUMNS
from exports.catalog_write import write_catalog_xlsx
from exports.report_data import BudgetRow, IndicatorRow, ReportData
from exports.report_trend import analysis_input, unit_budgets
from tests.unit.test_catalog_import import S, read, row, sheet_bytes, where

D = Decimal
PLANNED = {"rencana_tw1": 50_000_000, "rencana_tw2": 200_000_000}
PLANNED |= {"rencana_tw3": 350_000_000, "rencana_tw4": 485_000_000}


def test_a_catalogue_without_the_plan_columns_reads_as_before() -> None:
    header = [c for c in COLUMNS if c not in PLAN]
    result = read(sheet_bytes([row()], header=header))
    assert result.problems == ()
    assert result.catalog is not None
    (sub,) = [a for a in result.catalog.activities if a.level is Level.SUB_KEGIATAN]
    assert sub.plan == NO_PLAN
    assert not set(PLAN) & set(REQUIRED_COLUMNS)


def test_the_plan_is_read_and_written_back_unchanged() -> None:
    # The plan on the second row of the sub kegiatan counts for it as well.
    result = read(sheet_bytes([row(), row(kode_indikator="PEL-02", **PLANNED)]))
    assert result.problems == ()
    assert result.catalog is not None
    (sub,) = [a for a in result.catalog.activities if a.code == S]
    assert sub.plan == (D(50_000_000), D(200_000_000), D(350_000_000), D(485_000_000))
    assert read(write_catalog_xlsx(result.catalog)).catalog == result.catalog


@pytest.mark.parametrize(
    ("cells", "problem"),
    [
        ({"rencana_tw1": 10, "rencana_tw2": 20}, (2, "rencana_tw3")),  # all four or none
        ({**PLANNED, "rencana_tw3": 100_000_000}, (2, "rencana_tw3")),  # cumulative: not less
        ({**PLANNED, "rencana_tw4": 500_000_000}, (2, "rencana_tw4")),  # above the pagu
        ({**PLANNED, "rencana_tw2": "dua ratus juta"}, (2, "rencana_tw2")),  # not a number
        ({**PLANNED, "kode_sub_kegiatan": None, "sub_kegiatan": None, "pagu": None}, (2, PLAN[0])),
    ],
    ids=["partial", "falling", "above pagu", "not a number", "not a sub kegiatan"],
)
def test_a_bad_plan_refuses_the_file(cells: dict[str, object], problem: tuple[int, str]) -> None:
    assert problem in where(sheet_bytes([row(**cells)]))


def test_two_rows_with_different_plans_for_one_sub_kegiatan_are_refused() -> None:
    other = {**PLANNED, "rencana_tw1": 60_000_000}
    found = where(sheet_bytes([row(**PLANNED), row(kode_indikator="PEL-02", **other)]))
    assert (3, "rencana_tw1") in found


UNITS = (Unit("a", "Bidang Alfa", UnitKind.BIDANG), Unit("b", "Bidang Bravo", UnitKind.BIDANG))


def _sub(code: str, unit: str, plan: tuple[Decimal | None, ...] = NO_PLAN) -> Activity:
    return Activity(Level.SUB_KEGIATAN, code, f"Sub {code}", unit, None, D(1000), plan)  # type: ignore[arg-type]


def _data(budgets: tuple[BudgetRow, ...]) -> ReportData:
    indicator = Indicator(
        "A1",
        "Peserta",
        "a",
        "s1",
        "orang",
        Direction.UP,
        Aggregation.SUM,
        D(4),
        (D(1),) * 4,  # type: ignore[arg-type]
    )
    return ReportData(
        agency_name="Dinas Contoh",
        year=2026,
        quarter=1,
        generated_at=datetime(2026, 4, 10, tzinfo=UTC),
        units=UNITS,
        activities=tuple(b.activity for b in budgets),
        indicators=(IndicatorRow(indicator, (D(1), None, None, None)),),
        budgets=budgets,
    )


def test_a_unit_is_judged_against_its_plan_only_when_every_sub_kegiatan_has_one() -> None:
    plan = (D(500), D(700), D(900), D(1000))
    budgets = (
        BudgetRow(_sub("s1", "a", plan), (D(50), None, None, None)),
        BudgetRow(_sub("s2", "a", plan), (D(50), None, None, None)),
        BudgetRow(_sub("s3", "b", plan), (D(100), None, None, None)),
        BudgetRow(_sub("s4", "b"), (D(100), None, None, None)),  # no plan: time elapsed
    )
    alfa, bravo = unit_budgets(_data(budgets))
    assert alfa.plan == (D(1000), D(1400), D(1800), D(2000))
    assert bravo.plan == NO_PLAN
    inp = analysis_input(_data(budgets))
    pct = format_percent
    text = {s.units[0] if s.units else "": s.text for s in an.narrative(inp)}
    # Alfa: 100 of 2000 spent (5 %) against 1000 planned (50 %); Bravo: 10 % against 25 %.
    assert text["a"] == (
        f"Penyerapan anggaran Bidang Alfa baru {pct(D(5))}, jauh di bawah rencana penarikan "
        f"dana s.d. Triwulan I sebesar {pct(D(50))} dari pagu."
    )
    assert "b" not in text
    # The agency as a whole has no complete plan: judged against the year elapsed, and says so.
    assert text[""].endswith(f"sementara waktu tahun anggaran yang telah berjalan {pct(D(25))}.")
    (money,) = [s for s in an.suggestions(inp) if s.reason == "anggaran"]
    assert money.unit_code == "a" and money.gap == D(45)


def test_a_plan_of_nothing_in_triwulan_i_is_a_plan() -> None:
    """Zero planned is a figure, not a missing one: nothing is behind a plan of nothing."""
    budgets = (BudgetRow(_sub("s1", "a", (D(0), D(300), D(600), D(1000))), (D(0),) + (None,) * 3),)  # type: ignore[arg-type]
    (alfa, _) = unit_budgets(replace(_data(budgets), units=UNITS))
    assert alfa.plan[0] == D(0)
    inp = analysis_input(_data(budgets))
    assert an.benchmark(inp.budgets[:1], 1) == an.Benchmark(D(0), planned=True)
    assert [s for s in an.suggestions(inp) if s.reason == "anggaran"] == []
