"""Make ``python3 -m bot`` and ``python3 -m tests`` work on a fresh machine (stdlib only).

When the project's dependencies are not importable, create ``.venv`` beside the project,
install the project into it (with the ``dev`` extra), and re-run the same command with the
virtual environment's interpreter. Nothing happens when they are already importable.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
REQUIRED = (
    "telegram",
    "aiosqlite",
    "pandas",
    "xlsxwriter",
    "openpyxl",
    "babel",
    "aiohttp",
    "matplotlib",
    "holidays",
    "sniffio",
    "defusedxml",
)
_PREPARED = "KINERJA_ENV_PREPARED"
DEV = (
    "pytest",
    "pytest_asyncio",
    "pytest_timeout",
    "xdist",
    "hypothesis",
    "formulas",
    "msoffcrypto",
)


def _missing(modules: tuple[str, ...]) -> list[str]:
    return [m for m in modules if importlib.util.find_spec(m) is None]


def _venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure(module: str, dev: bool = False) -> None:
    """Re-run ``python -m module`` inside a prepared venv unless everything is importable.

    A venv made before a dependency was added is brought up to date the same way.
    """
    needed = REQUIRED + (DEV if dev else ())
    if not _missing(needed):
        return
    python = _venv_python()
    if os.environ.get(_PREPARED):
        raise SystemExit(f"dependencies missing even in {VENV}: {_missing(needed)}")
    if not python.exists():
        print(
            f"Menyiapkan lingkungan / preparing the environment in {VENV} ...",
            file=sys.stderr,
            flush=True,
        )
        venv.create(VENV, with_pip=True)
    check = subprocess.run(
        [str(python), "-c", "import " + ", ".join(needed)], capture_output=True, check=False
    )
    if check.returncode != 0:
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True
        )
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[dev]"], check=True
        )
    os.environ[_PREPARED] = "1"  # the re-run must not prepare again: no loop if pip failed
    os.chdir(Path.cwd())
    os.execv(str(python), [str(python), "-m", module, *sys.argv[1:]])
