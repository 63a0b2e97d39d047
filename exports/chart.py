"""A PNG chart of capaian per unit, for the Kepala Dinas to see the quarter at a glance.

The same look as the report's native chart: bars in their predikat's colour, the axis from 0,
each bar's figure written on it, and the 76% (lowest Tinggi) and 100% (target) lines.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")  # no display on a server

import matplotlib.pyplot as plt
from matplotlib.axes import Axes

from bot import numbers
from bot.numbers_format import format_percent
from exports.report_data import ReportData, caps_by_unit, scored
from exports.report_style import NO_PREDIKAT_COLOUR, PREDIKAT_COLOURS

REFERENCE_LINES = ((76.0, "Batas Tinggi 76%", "#7F7F7F"), (100.0, "Target 100%", "#000000"))


def capaian_chart_png(data: ReportData) -> bytes:
    """Horizontal bars of each unit's mean capaian to date, coloured by predikat."""
    names, values, colours = [], [], []
    caps = caps_by_unit(scored(data))
    for unit in data.units:
        mean = numbers.mean(caps.get(unit.code, []))
        predikat = numbers.predikat(mean)
        names.append(unit.name)
        values.append(None if mean is None else float(mean))
        colours.append(PREDIKAT_COLOURS[predikat.value] if predikat else NO_PREDIKAT_COLOUR)
    height = max(3.0, 0.45 * len(names) + 1.8)
    figure, axis = plt.subplots(figsize=(9, height), dpi=100)
    try:
        capaian_panel(axis, names, values, colours)
        axis.set_title(f"Capaian Kinerja per Unit — {data.period_label}")
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    finally:
        plt.close(figure)
    return buffer.getvalue()


def capaian_panel(
    axis: Axes, names: list[str], values: list[float | None], colours: list[str]
) -> None:
    """The capaian bars on one axis (kept apart so a second panel can sit beside it)."""
    shown = [0.0 if v is None else v for v in values]
    axis.barh(names[::-1], shown[::-1], color=colours[::-1], edgecolor="#404040", linewidth=0.5)
    for level, label, colour in REFERENCE_LINES:
        axis.axvline(level, color=colour, linestyle="--", linewidth=1, label=label)
    right = max([110.0, *shown]) * 1.18
    for y, value in enumerate(values[::-1]):
        text = "–" if value is None else format_percent(value)
        axis.text((value or 0.0) + right * 0.01, y, text, va="center", fontsize=9)
    axis.set_xlim(0, right)  # from 0: bar lengths compare as the figures do
    axis.set_xlabel("Capaian s.d. triwulan (%)")
    axis.legend(loc="lower right", fontsize=8, framealpha=0.9)
