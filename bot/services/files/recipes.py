"""What a file queued before it is built says about itself (``Work.send_built``).

Plain JSON-able dicts, so that the outbox can keep them and any use case can queue them
without importing what builds them (``bot.services.files.building``).
"""

from __future__ import annotations

from typing import Any

REPORT = "report"
CHART = "chart"
TEMPLATE = "template"
FIGURES = "figures"

Recipe = dict[str, Any]


# The messages of a step that carry the analysis, written after the step's transaction
# (``Work.defer``, ``bot.services.analysis.analysed``).
COMPILE_MESSAGES = "compile"  # step 4: the analysis and the drafted narrative
REVIEW_MESSAGE = "review"  # steps 5 and 6: the request with the analysis and its buttons
SUGGESTIONS = "suggest"  # step 6: the suggested recommendations


def report(period_id: int, *, draft: bool) -> Recipe:
    """The consolidated .xlsx of a period (a draft says DRAF)."""
    return {"kind": REPORT, "period": period_id, "draft": draft}


def chart(period_id: int) -> Recipe:
    """The PNG chart of a period's capaian per unit, with the trend by quarter."""
    return {"kind": CHART, "period": period_id}


def figures(reader: str, fmt: str) -> Recipe:
    """Every figure ``reader`` may see as one long table (``exports/figures.py``), in ``fmt``."""
    return {"kind": FIGURES, "reader": reader, "format": fmt}


def template(report_id: int) -> Recipe:
    """A unit's fill-in template, with what is already entered."""
    return {"kind": TEMPLATE, "report": report_id}
