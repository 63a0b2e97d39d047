"""A table read from a CSV file with pandas, cell by cell as typed.

Readers of spreadsheets people make (``exports/history.py``) take rows of cells; from CSV every
cell is the text in the file, so that numbers are read the way the reader decides (the
Indonesian way, or the export's own dot before decimals), never guessed by pandas.
"""

from __future__ import annotations

import io
from typing import Any


def csv_rows(data: bytes, max_rows: int) -> list[tuple[Any, ...]] | None:
    """A CSV file's rows, every cell as its text (an empty one as None); None if unreadable.

    The separator is the first line's most frequent of comma, semicolon and tab: Excel in an
    Indonesian locale saves CSV with semicolons. A first line without any is not a table.
    """
    import pandas as pd

    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return None
    if "\x00" in text:  # a binary file that happens to decode
        return None
    first = text.split("\n", 1)[0]
    separator = max((",", ";", "\t"), key=first.count)
    if separator not in first:  # one column: no table any reader here knows
        return None
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=separator,
            header=None,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=True,
            nrows=max_rows,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError):
        return None
    return [
        tuple(c if isinstance(c, str) and c.strip() else None for c in row)
        for row in frame.itertuples(index=False)
    ]
