"""A synthetic agency for the benchmarks: units with indicators, any size."""

from __future__ import annotations

from decimal import Decimal

from bot.model import (
    Activity,
    Aggregation,
    Catalog,
    Direction,
    Indicator,
    Level,
    Unit,
    UnitKind,
)


def synthetic_catalog(units: int, per_unit: int, year: int = 2026) -> tuple[list[Unit], Catalog]:
    """``units`` bidang with ``per_unit`` indicators each, one sub kegiatan per 5 indicators."""
    unit_list = [Unit("sekretariat", "Sekretariat", UnitKind.SEKRETARIAT)] + [
        Unit(f"bidang_{n:02d}", f"Bidang {n:02d}", UnitKind.BIDANG) for n in range(1, units)
    ]
    activities: list[Activity] = []
    indicators: list[Indicator] = []
    for u, unit in enumerate(unit_list, 1):
        program = f"9.{u:02d}"
        activities.append(Activity(Level.PROGRAM, program, f"Program {u}", unit.code))
        for k in range(per_unit // 5 or 1):
            kegiatan = f"{program}.{k + 1}"
            sub = f"{kegiatan}.0001"
            activities.append(
                Activity(Level.KEGIATAN, kegiatan, f"Kegiatan {u}.{k}", unit.code, program)
            )
            activities.append(
                Activity(
                    Level.SUB_KEGIATAN,
                    sub,
                    f"Sub {u}.{k}",
                    unit.code,
                    kegiatan,
                    Decimal(50_000_000),
                )
            )
            for i in range(5):
                q = Decimal(10 + i)
                indicators.append(
                    Indicator(
                        f"IK{u}.{k}.{i}",
                        f"Indikator {u}.{k}.{i}",
                        unit.code,
                        sub,
                        "%" if i == 4 else "orang",
                        Direction.DOWN if i == 3 else Direction.UP,
                        Aggregation.LATEST if i == 4 else Aggregation.SUM,
                        q * 4,
                        (q, q, q, q),
                    )
                )
    return unit_list, Catalog(year, tuple(activities), tuple(indicators[: units * per_unit]))
