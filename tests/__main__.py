"""``python3 -m tests``: prepare the environment if needed, then run the whole suite.

Most end-to-end tests wait on the simulated office rather than compute, so the suite runs in
worker processes (pytest-xdist; as many as there are cores, at most four). ``worksteal`` lets
an idle worker take tests still queued for a busy one. The ``paced`` tests assert that
Telegram's per-chat limits were never hit; the simulator counts arrivals, and another worker
taking the CPU can bunch a paced bot's messages on their way, so those run afterwards, alone.
Arguments are passed to both runs; naming ``-n`` or ``-m`` runs pytest once, as given.
"""

from __future__ import annotations

import os
import subprocess
import sys

from bot.bootstrap import ensure

NO_TESTS_COLLECTED = 5  # pytest's exit code when a selection is empty: not a failure here


def _names_its_own(given: list[str]) -> bool:
    """Whether the command line chooses workers or markers itself."""
    return any(
        a in ("-n", "--numprocesses", "-m") or a.startswith(("-n", "--numprocesses=", "-m"))
        for a in given
    )


def _pytest(args: list[str]) -> int:
    """pytest in a process of its own (two runs in one process would share imported state)."""
    code = subprocess.run([sys.executable, "-m", "pytest", *args], check=False).returncode
    return 0 if code == NO_TESTS_COLLECTED else code


def main(given: list[str]) -> int:
    """Run the suite; the first failing run's exit code, else 0."""
    if _names_its_own(given):
        return subprocess.run([sys.executable, "-m", "pytest", *given], check=False).returncode
    workers = max(1, min(4, os.cpu_count() or 1))
    parallel = _pytest(["-n", str(workers), "--dist", "worksteal", "-m", "not paced", *given])
    alone = _pytest(["-p", "no:xdist", "-m", "paced", *given])
    return parallel or alone


if __name__ == "__main__":
    ensure("tests", dev=True)
    sys.exit(main(sys.argv[1:]))
