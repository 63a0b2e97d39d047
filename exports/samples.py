"""The sample files that ship with the project (a Dinas Tenaga Kerja kabupaten)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _data(name: str) -> Path:
    return Path(str(files("bot") / "data" / name))


def sample_org_path() -> Path:
    """The sample organisation (TOML)."""
    return _data("org_disnaker.toml")


def sample_catalog_path() -> Path:
    """The sample indicator catalogue for 2026 (.xlsx)."""
    return _data("katalog_disnaker_2026.xlsx")
