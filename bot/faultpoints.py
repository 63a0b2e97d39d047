"""Named places where a crash test may kill the process, configured by environment.

``KINERJA_FAULTPOINTS="after_fetch:3,after_commit:5"`` makes the process kill itself with
SIGKILL the 3rd time it reaches ``after_fetch`` (and so on). Unset, :func:`hit` costs one
dictionary lookup. This is how the crash tests stop the bot at exact points, as a power cut
or the OOM killer would. ``after_fetch:1:term`` sends SIGTERM instead: a graceful stop asked
for while an update is in hand.

The points: ``after_fetch`` (pump, an update fetched, not handled), ``before_commit`` and
``after_commit`` (unit of work), ``before_send`` and ``after_send`` (sender, around the call).
"""

from __future__ import annotations

import os
import signal
from collections import Counter

_ENV = "KINERJA_FAULTPOINTS"
_SIGNALS = {"kill": signal.SIGKILL, "term": signal.SIGTERM}
_plan: dict[str, tuple[int, signal.Signals]] | None = None
_seen: Counter[str] = Counter()


def _load() -> dict[str, tuple[int, signal.Signals]]:
    plan: dict[str, tuple[int, signal.Signals]] = {}
    for part in os.environ.get(_ENV, "").split(","):
        name, _, rest = part.strip().partition(":")
        count, _, how = rest.partition(":")
        if name:
            plan[name] = (int(count or "1"), _SIGNALS[how or "kill"])
    return plan


def hit(name: str) -> None:
    """Count a pass through ``name``; kill the process when the plan says so."""
    global _plan
    if _plan is None:
        _plan = _load()
    if not _plan or name not in _plan:
        return
    _seen[name] += 1
    count, how = _plan[name]
    if _seen[name] == count:
        os.kill(os.getpid(), how)
