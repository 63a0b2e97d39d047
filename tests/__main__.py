"""``python3 -m tests``: prepare the environment if needed, then run the whole suite.

The suite runs in worker processes (pytest-xdist), at most four, as many as there are cores:
most end-to-end tests wait on the simulated office rather than compute. ``worksteal`` lets an
idle worker take tests still queued for a busy one, so the long tests do not leave one worker
alone at the end. ``-n 0`` (or any ``-n``) given on the command line wins.
"""

from __future__ import annotations

import os
import sys

from bot.bootstrap import ensure


def _arguments(given: list[str]) -> list[str]:
    """``given``, led by the workers' options unless it names its own."""
    if any(a in ("-n", "--numprocesses") or a.startswith(("-n", "--numprocesses=")) for a in given):
        return given
    workers = max(1, min(4, os.cpu_count() or 1))
    return ["-n", str(workers), "--dist", "worksteal", *given]


if __name__ == "__main__":
    ensure("tests", dev=True)
    import pytest

    sys.exit(pytest.main(_arguments(sys.argv[1:])))
