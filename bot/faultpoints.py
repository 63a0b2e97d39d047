"""Named places where a crash test may kill the process, configured by environment.

``KINERJA_FAULTPOINTS="after_fetch:3,after_commit:5"`` makes the process kill itself with
SIGKILL the 3rd time it reaches ``after_fetch`` (and so on). Unset, :func:`hit` costs one
dictionary lookup. This is how the crash tests stop the bot at exact points, as a power cut
or the OOM killer would.
"""

from __future__ import annotations

import os
import signal
from collections import Counter

_ENV = "KINERJA_FAULTPOINTS"
_plan: dict[str, int] | None = None
_seen: Counter[str] = Counter()


def _load() -> dict[str, int]:
    plan: dict[str, int] = {}
    for part in os.environ.get(_ENV, "").split(","):
        name, _, count = part.strip().partition(":")
        if name:
            plan[name] = int(count or "1")
    return plan


def hit(name: str) -> None:
    """Count a pass through ``name``; kill the process when the plan says so."""
    global _plan
    if _plan is None:
        _plan = _load()
    if not _plan or name not in _plan:
        return
    _seen[name] += 1
    if _seen[name] == _plan[name]:
        os.kill(os.getpid(), signal.SIGKILL)
