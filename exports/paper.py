"""The paper every printed sheet is set up for, chosen by ``KINERJA_PAPER``.

Indonesian offices print on F4/Folio (8,5 × 13 in), so that is the default; ``a4`` and ``a3``
can be chosen. The numbers are Excel's paper indexes (xlsxwriter ``set_paper``).
"""

from __future__ import annotations

import logging
import os

log = logging.getLogger(__name__)

ENV = "KINERJA_PAPER"
FOLIO = 14
A4 = 9
A3 = 8
PAPERS = {"folio": FOLIO, "f4": FOLIO, "a4": A4, "a3": A3}


def paper_index() -> int:
    """Excel's paper index for ``KINERJA_PAPER`` (folio, f4, a4, a3); Folio when unset."""
    name = os.environ.get(ENV, "").strip().lower()
    if not name:
        return FOLIO
    if name not in PAPERS:
        # A typo must not stop a report from being built: say so, and print on Folio.
        log.warning("%s=%r is not one of %s; using folio", ENV, name, ", ".join(PAPERS))
        return FOLIO
    return PAPERS[name]
