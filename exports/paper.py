"""The paper every printed sheet is set up for, chosen by ``KINERJA_PAPER``.

The one place that reads the setting: the report (exports/report_print.py) and the template
(exports/sheet_layout.py) both ask here. Indonesian offices print on F4/Folio (8,5 × 13 in),
so that is the default; ``A4`` and ``A3`` can be chosen (any case, ``folio`` is F4). The
numbers are Excel's paper indexes (xlsxwriter ``set_paper``).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

log = logging.getLogger(__name__)

ENV = "KINERJA_PAPER"
PAPER_ENV = ENV


@dataclass(frozen=True, slots=True)
class Paper:
    """A paper size: Excel's index for it and its sides in inches."""

    name: str
    index: int
    long_side: float
    short_side: float


PAPERS = {
    "F4": Paper("F4", 14, 13.0, 8.5),  # Excel calls 8,5 × 13 in "Folio"
    "FOLIO": Paper("F4", 14, 13.0, 8.5),
    "A4": Paper("A4", 9, 11.69, 8.27),
    "A3": Paper("A3", 8, 16.54, 11.69),
}
DEFAULT_PAPER = "F4"
FOLIO = PAPERS["F4"].index
A4 = PAPERS["A4"].index
A3 = PAPERS["A3"].index


class PaperError(ValueError):
    """An unknown paper name in the settings."""


def paper(name: str | None = None) -> Paper:
    """The paper named (or set in ``KINERJA_PAPER``; F4 when unset); unknown names raise.

    ``python -m bot run`` calls this at start, so a typo stops the start with a clear line
    instead of surfacing in the middle of a step.
    """
    key = (name if name is not None else os.environ.get(ENV, "")).strip().upper()
    if not key:
        key = DEFAULT_PAPER
    if key not in PAPERS:
        raise PaperError(f"{ENV}={key!r} tidak dikenal / unknown: pilih / choose F4, A4 atau/or A3")
    return PAPERS[key]


def paper_index() -> int:
    """Excel's paper index for ``KINERJA_PAPER``; Folio when unset or unknown."""
    try:
        return paper().index
    except PaperError:
        # A typo must not stop a template from being built: say so, and print on Folio.
        log.warning("%s=%r is not one of F4, A4, A3; using F4", ENV, os.environ.get(ENV))
        return FOLIO
