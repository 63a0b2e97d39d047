"""A PNG chart of capaian per unit, for the Kepala Dinas to see the quarter at a glance."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")  # no display on a server

import matplotlib.pyplot as plt

from bot import numbers
from exports.report_data import ReportData, caps_by_unit, scored
from exports.report_style import PREDIKAT_COLOURS


def capaian_chart_png(data: ReportData) -> bytes:
    """Horizontal bars of each unit's mean capaian to date, coloured by predikat."""
    names, values, colours = [], [], []
    caps = caps_by_unit(scored(data))
    for unit in data.units:
        mean = numbers.mean(caps.get(unit.code, []))
        predikat = numbers.predikat(mean)
        names.append(unit.name)
        values.append(float(mean) if mean is not None else 0.0)
        colours.append(PREDIKAT_COLOURS.get(predikat.value, "#BBBBBB") if predikat else "#BBBBBB")
    height = max(3.0, 0.45 * len(names) + 1.5)
    figure, axis = plt.subplots(figsize=(9, height), dpi=100)
    try:
        axis.barh(names[::-1], values[::-1], color=colours[::-1])
        axis.axvline(100, color="#444444", linestyle="--", linewidth=1)
        for y, value in enumerate(values[::-1]):
            axis.text(value + 1, y, numbers.format_percent(value), va="center", fontsize=8)
        axis.set_xlabel("Capaian s.d. triwulan (%)")
        axis.set_title(f"Capaian Kinerja per Unit — {data.period_label}")
        axis.set_xlim(0, max([110.0, *values]) * 1.15)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    finally:
        plt.close(figure)
    return buffer.getvalue()
