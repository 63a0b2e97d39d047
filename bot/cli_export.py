"""``python -m bot export [--year N] [--format csv|xlsx] [--out FILE]``: every figure out.

Writes the long table of ``exports/figures.py`` (one row per indicator and quarter, one per
sub kegiatan and quarter) for an analyst or a BI tool. It only reads the database, so it is
safe beside the running bot.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli_env import EXIT_USAGE


def add_export_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """``export``: the options of the command."""
    from exports.figures import FORMATS

    export = sub.add_parser(
        "export", help="every collected and imported figure as one long table (CSV or .xlsx)"
    )
    export.add_argument("--year", type=int, help="only this year (default: every year)")
    export.add_argument(
        "--format", choices=FORMATS, help="csv or xlsx (default: from --out's name, else csv)"
    )
    export.add_argument(
        "--out", help="the file to write (default: Data_Kinerja[_YEAR].csv here; - for stdout)"
    )


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    if args.out and args.out.lower().endswith(".xlsx"):
        return "xlsx"
    return "csv"


async def export(args: argparse.Namespace, db_path: Path) -> int:
    """Read every figure and write the table; exit 0, or 1 with a line saying why not."""
    from bot.cli_people import plain
    from bot.services.files import exporting
    from bot.texts import analysis as tx
    from exports.figures import encode, export_filename, figures_frame
    from storage.db import Database

    fmt = _format(args)
    if fmt == "xlsx" and args.out == "-":
        print(plain(tx.EXPORT_XLSX_NOT_TO_STDOUT), file=sys.stderr)
        return EXIT_USAGE
    if not db_path.is_file():
        print(plain(tx.export_no_database(str(db_path))), file=sys.stderr)
        return 1
    db = await Database.open(db_path)
    try:
        async with db.reading() as conn:
            years = await exporting.year_figures(conn, args.year)
    finally:
        await db.close()
    if args.year is not None and not years:
        print(plain(tx.export_no_year(args.year)), file=sys.stderr)
        return 1
    frame = figures_frame(years)
    data = encode(frame, fmt)
    if args.out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    out = Path(args.out or export_filename(args.year, fmt))
    out.write_bytes(data)
    print(plain(tx.export_written(len(frame), str(out))), file=sys.stderr)
    return 0
