"""``python -m bot org | catalog | history import``: the office's files loaded into the database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli_env import EXIT_USAGE, db_path, office


async def org_import(args: argparse.Namespace) -> int:
    """``org import FILE``: the units from a .toml or .xlsx file; each problem on a line."""
    from bot.services.core import Core
    from bot.services.people.admin import import_units
    from exports.org import read_org
    from storage.db import Database

    path = Path(args.file)
    result = read_org(path)
    if result.problems:
        for p in result.problems:
            print(
                f"{p.sheet} baris {p.row or '-'} kolom {p.column or '-'}: {p.reason} ({p.value})",
                file=sys.stderr,
            )
        return 1
    db = await Database.open(db_path())
    try:
        core = Core(db, *office())
        count = await import_units(
            core, result.units, result.agency_name, result.place, result.extra
        )
    finally:
        await db.close()
    print(f"{count} unit kerja diimpor dari {path.name}.")
    return 0


async def catalog_import(args: argparse.Namespace) -> int:
    """``catalog import FILE``: a year's indicator catalogue from .xlsx."""
    from bot.services.core import Core
    from bot.services.files.catalog import import_catalog_file
    from storage.db import Database

    path = Path(args.file)
    db = await Database.open(db_path())
    try:
        core = Core(db, *office())
        report = await import_catalog_file(core, path.read_bytes(), args.year)
    finally:
        await db.close()
    print(report.summary)
    return 0 if report.ok else 1


async def history_import(args: argparse.Namespace) -> int:
    """``history import FILE``: earlier quarters' realisations (issue 14)."""
    from bot.clock import SystemClock
    from bot.services.analysis.history import import_history_file
    from bot.services.config import Config
    from bot.services.core import Core
    from storage.db import Database

    path = Path(args.file)
    if not path.is_file():
        print(f"Berkas tidak ditemukan / no such file: {path}", file=sys.stderr)
        return EXIT_USAGE
    db = await Database.open(db_path())
    try:
        core = Core(db, SystemClock(), Config())
        report = await import_history_file(core, path.read_bytes(), args.year, path.name)
    finally:
        await db.close()
    print(report.summary, file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 1
