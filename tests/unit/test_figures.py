"""The long table of every figure (exports/figures.py), from plain records: a missing figure is
empty, never 0; a figure of a code no catalogue knows is kept; text stays text in .xlsx."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pandas as pd

from bot.model import Activity, Aggregation, Direction, Indicator, Level
from exports.figures import COLUMNS, YearFigures, encode, figures_frame

D = Decimal
SUB = Activity(Level.SUB_KEGIATAN, "1.01.0001", "Sub kegiatan", "u", "1.01", D(1000))
KEGIATAN = Activity(Level.KEGIATAN, "1.01", "Kegiatan", "u", None)
FLOW = Indicator(
    "IK-1", '=HYPERLINK("http://x","y")', "u", "1.01.0001", "orang", Direction.UP,
    Aggregation.SUM, D(100), (D(25), D(25), D(25), D(25)),
)  # fmt: skip
YEAR = YearFigures(
    year=2026,
    quarters=(1, 2),
    collected=frozenset({2}),
    final=frozenset({2}),
    units={"u": "Bidang U"},
    activities=(KEGIATAN, SUB),
    indicators=(FLOW,),
    realisations={"IK-1": [None, D("30.5"), None, None], "IK-9": [D(4), None, None, None]},
    spent={"1.01.0001": [D(100), D(300), None, None]},
)


def _rows() -> dict[tuple[str, str, int], dict[str, object]]:
    frame = figures_frame([YEAR])
    assert list(frame.columns) == list(COLUMNS)
    return {(r["Jenis"], r["Kode"], r["Triwulan"]): r for r in frame.to_dict("records")}


def test_a_missing_quarter_is_empty_and_its_sum_to_date_not_computed() -> None:
    rows = _rows()
    first, second = rows[("Indikator", "IK-1", 1)], rows[("Indikator", "IK-1", 2)]
    assert first["Realisasi Triwulan"] is None and first["Capaian Renja s.d. Triwulan (%)"] is None
    assert second["Realisasi Triwulan"] == D("30.5")
    assert second["Realisasi s.d. Triwulan"] is None  # jumlah over a missing Triwulan I
    assert second["Target s.d. Triwulan"] == D(50)
    assert (first["Sumber"], second["Sumber"]) == ("diimpor", "dikumpulkan")
    budget = rows[("Sub Kegiatan", "1.01.0001", 2)]
    assert budget["Realisasi Anggaran s.d. Triwulan (Rp)"] == D(400)
    assert budget["Penyerapan Anggaran s.d. Triwulan (%)"] == D("40.00")


def test_a_figure_of_a_code_no_catalogue_knows_is_kept() -> None:
    row = _rows()[("Indikator", "IK-9", 1)]
    assert row["Realisasi Triwulan"] == D(4) and row["Indikator Kinerja"] is None
    assert ("Indikator", "IK-9", 2) not in _rows()  # no figure, no row


def test_csv_and_xlsx_hold_the_same_figures_and_text_stays_text() -> None:
    frame = figures_frame([YEAR])
    csv = pd.read_csv(io.BytesIO(encode(frame, "csv")), dtype=str, keep_default_na=False)
    flows = csv[csv["Kode"] == "IK-1"].set_index("Triwulan")["Realisasi Triwulan"]
    assert flows.to_dict() == {"1": "", "2": "30.5"}
    sheet = openpyxl.load_workbook(io.BytesIO(encode(frame, "xlsx"))).active
    assert sheet is not None
    names = [c for c in sheet["G"][1:] if c.value]
    assert names and all(c.data_type == "s" for c in names)  # "=HYPERLINK(…)" as typed
    quarter_two = [r for r in sheet.iter_rows(values_only=True) if r[1] == 2 and r[4] == "IK-1"]
    assert quarter_two[0][13] == 30.5
