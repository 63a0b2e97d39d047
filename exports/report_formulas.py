"""The report's formulas: capaian, predikat, sums and means that recompute after an edit.

Kept to functions every spreadsheet program has (IF, ISNUMBER, MAX, ROUND, SUM, COUNT,
AVERAGE, IFERROR, SUMIF, COUNTIFS, AVERAGEIF): Excel, LibreOffice and WPS give the same
results, and the bot writes its own figure as each formula's cached value. "–" is the result
where a figure cannot be computed (no target, nothing entered).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from bot.model import Direction
from bot.numbers_format import DASH

_BANDS = ((91, "Sangat Tinggi"), (76, "Tinggi"), (66, "Sedang"), (51, "Rendah"))


_LETTERS = [xl_col_to_name(c) for c in range(64)]


def cell(row: int, col: int, sheet: str = "") -> str:
    """``C7`` or ``Rincian!C7``."""
    ref = f"{_LETTERS[col]}{row + 1}" if col < len(_LETTERS) else xl_rowcol_to_cell(row, col)
    return f"{_sheet(sheet)}{ref}" if sheet else ref


def column_range(first: int, last: int, col: int, sheet: str = "") -> str:
    """``Rincian!$W$6:$W$40``: a fixed range down one column."""
    name = xl_col_to_name(col)
    return f"{_sheet(sheet)}${name}${first + 1}:${name}${last + 1}"


def _sheet(sheet: str) -> str:
    if not sheet:
        return ""
    return f"'{sheet}'!" if " " in sheet else f"{sheet}!"


def number(value: Decimal) -> str:
    """A constant as a formula writes it (no exponent, no trailing zeros)."""
    return format(value.normalize(), "f")


def to_date(refs: Sequence[str], summed: bool) -> str:
    """Realisasi s.d. triwulan: the sum of the quarters (``jumlah``) or the latest one.

    Empty ("") as the bot leaves it: a ``posisi`` without this quarter's figure, and a
    ``jumlah`` with any quarter up to this one missing (not computed, never a sum that reads
    the missing quarter as 0: numbers.value_to_date).
    """
    if not summed or len(refs) == 1:
        return f'=IF(ISNUMBER({refs[-1]}),{refs[-1]},"")'
    joined = ",".join(refs)
    # "=" rather than "<": a formula without characters XML must escape (report speed).
    return f'=IF(COUNT({joined})={len(refs)},SUM({joined}),"")'


def capaian(real: str, target: str | Decimal, direction: Direction) -> str:
    """Capaian (%) of ``real`` against ``target``, uncapped.

    ``target`` is a cell (checked for a positive figure) or a positive constant.
    Less-is-better indicators use (2 × target − realisasi) / target, floored at 0.
    """
    goal = number(target) if isinstance(target, Decimal) else target
    if direction is Direction.UP:
        ratio = f"{real}/{goal}*100"
    else:
        ratio = f"MAX(0,(2*{goal}-{real})/{goal}*100)"
    if not isinstance(target, Decimal):
        # SIGN rather than ">": a positive target, with no character XML must escape.
        ratio = f'IF(SIGN({goal})=1,{ratio},"{DASH}")'
    return f'=IF(ISNUMBER({real}),{ratio},"{DASH}")'


def absorption(spent: str, pagu: str) -> str:
    """Penyerapan anggaran (%)."""
    return f'=IF(SIGN({pagu})=1,{spent}/{pagu}*100,"{DASH}")'


_LOWER_BOUNDS = "{" + ",".join(["0"] + [str(b) for b, _ in reversed(_BANDS)]) + "}"
_NAMES = (
    "{" + ",".join(f'"{n}"' for n in ["Sangat Rendah"] + [n for _, n in reversed(_BANDS)]) + "}"
)


def predikat(ref: str) -> str:
    """The predikat of the capaian in ``ref``, rounded to two places, by the lower bounds."""
    return f'=IF(ISNUMBER({ref}),LOOKUP(ROUND({ref},2),{_LOWER_BOUNDS},{_NAMES}),"{DASH}")'


def mean(values: str) -> str:
    """The plain mean of the numbers in a range (text such as "–" left out)."""
    return f'=IFERROR(AVERAGE({values}),"{DASH}")'


def mean_if(keys: str, key: str, values: str) -> str:
    """The mean of ``values`` on the rows whose ``keys`` cell equals ``key``'s."""
    return f'=IFERROR(AVERAGEIF({keys},{key},{values}),"{DASH}")'
