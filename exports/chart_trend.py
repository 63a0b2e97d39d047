"""The chat chart's second panel (issue 14): the agency's mean capaian and budget absorption
by quarter, below the per-unit bars that ``exports/chart.py`` draws.

Kept apart from ``chart.py`` so either can change its looks alone; the two images are stacked
into one PNG. A quarter without figures is a gap in the line, never a point at 0. Below the
lines, each unit's indicators against the previous quarter, judged by their direction
(issue 19): a rate that rose counts as *memburuk* where less is better.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")  # no display on a server

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator
from PIL import Image

from bot import analysis as an
from bot import numbers
from bot.numbers_format import format_percent
from exports.report_data import ReportData
from exports.report_trend import analysis_input

CAPAIAN_COLOUR = "#1F4E79"
ABSORPTION_COLOUR = "#C55A11"
# One colour per judgement of bot.analysis.direction, the order they are stacked in.
JUDGEMENT_COLOURS = (
    (an.Judgement.MEMBAIK, "#2E7D32"),
    (an.Judgement.TETAP, "#9E9E9E"),
    (an.Judgement.MEMBURUK, "#C62828"),
    (an.Judgement.TANPA_PEMBANDING, "#E0E0E0"),
)


def direction_rows(data: ReportData) -> list[tuple[str, an.DirectionCounts]]:
    """Each unit's indicators against the previous quarter, counted by direction (the same
    classification as the narrative and the Analisis sheet)."""
    items = an.trends(analysis_input(data))
    return [
        (
            unit.name,
            an.counts(
                [t for t in items if t.indicator.unit_code == unit.code], an.Against.PREVIOUS
            ),
        )
        for unit in data.units
    ]


def _direction_panel(axis: Axes, rows: list[tuple[str, an.DirectionCounts]]) -> None:
    """Stacked bars per unit: membaik, tetap, memburuk, tanpa pembanding."""
    names = [name for name, _ in rows][::-1]
    left = [0] * len(rows)
    for judgement, colour in JUDGEMENT_COLOURS:
        widths = [found.of(judgement) for _, found in rows][::-1]
        axis.barh(names, widths, left=left, color=colour, label=judgement.value)
        for y, (start, width) in enumerate(zip(left, widths, strict=True)):
            if width:
                axis.text(start + width / 2, y, str(width), ha="center", va="center", fontsize=8)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    axis.set_title("Indikator dibanding triwulan sebelumnya, menurut arah indikator")
    axis.set_xlabel("Jumlah indikator")
    axis.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no 0,25 of an indicator
    # Below the axis, so that no bar hides behind it.
    axis.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), fontsize=8, ncol=4, frameon=False)


def trend_png(data: ReportData) -> bytes:
    """Lines of the agency's mean capaian and absorption s.d. each quarter of the year, and
    below them each unit's indicators counted by direction against the previous quarter."""
    points = an.quarter_series(analysis_input(data))
    labels = [f"TW {numbers.quarter_roman(p.quarter)}" for p in points]
    rows = direction_rows(data)
    figure, (axis, lower) = plt.subplots(
        2,
        1,
        figsize=(9, 3.4 + 0.4 * len(rows) + 2.0),
        dpi=100,
        gridspec_kw={"height_ratios": [3.2, 0.4 * len(rows) + 2.0]},
    )
    try:
        for name, values, colour in (
            ("Capaian rata-rata Dinas", [p.capaian for p in points], CAPAIAN_COLOUR),
            ("Penyerapan anggaran Dinas", [p.absorption for p in points], ABSORPTION_COLOUR),
        ):
            ys = [float(v) if v is not None else float("nan") for v in values]
            axis.plot(labels, ys, marker="o", color=colour, label=name)
            for x, value in enumerate(values):
                if value is not None:
                    axis.annotate(
                        format_percent(value),
                        (x, float(value)),
                        textcoords="offset points",
                        xytext=(0, 7),
                        ha="center",
                        fontsize=8,
                        color=colour,
                    )
        present = [float(v) for p in points for v in (p.capaian, p.absorption) if v is not None]
        axis.set_ylim(0, max([110.0, *present]) * 1.15)
        axis.set_ylabel("%")
        axis.set_title(f"Tren Capaian dan Penyerapan Anggaran {data.year} (s.d. triwulan)")
        axis.legend(loc="lower right", fontsize=8)
        axis.grid(axis="y", alpha=0.3)
        _direction_panel(lower, rows)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    finally:
        plt.close(figure)
    return buffer.getvalue()


def with_trend(panel: bytes, data: ReportData) -> bytes:
    """``panel`` (a PNG) with the trend panel stacked below it, as one PNG."""
    top = Image.open(io.BytesIO(panel)).convert("RGB")
    bottom = Image.open(io.BytesIO(trend_png(data))).convert("RGB")
    width = max(top.width, bottom.width)
    both = Image.new("RGB", (width, top.height + bottom.height), "white")
    both.paste(top, (0, 0))
    both.paste(bottom, (0, top.height))
    buffer = io.BytesIO()
    both.save(buffer, format="PNG")
    return buffer.getvalue()
