"""``python tests/benchmarks/reliability.py [--quick]``: "nothing lost, nobody in", in figures.

Runs the crash run (the bot as a subprocess, killed with SIGKILL over a whole quarter and
restarted, and stopped with SIGTERM while sends are slow), the fault run (a quarter while Bot
API calls fail and a live bot's faults strike: a locked database, 409s, a group upgraded to a
supergroup, an unparseable update), and, when present, the access
and fuzz runs (``rel_access.py``, ``rel_fuzz.py``), then prints one ``name: value`` line per
figure. Exits non-zero if anything was lost, doubled or let in, or a handler died.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bot.bootstrap import ensure  # noqa: E402

if __name__ == "__main__":
    ensure("tests.benchmarks.reliability", dev=True)

FIGURES = (
    "kills",
    "workers_killed",
    "faults_injected_pct",
    "inputs_tried",
    "access_cases",
    "answers_lost",
    "transitions_doubled",
    "let_in",
    "unhandled_exceptions",
    "given_up",
    "duplicate_messages",
    # the faults of a live bot, each counted where it struck (rel_live.py, rel_crash.py)
    "busy_lock_waits",
    "conflicts_409",
    "groups_migrated",
    "stops_during_slow_sends",
    "updates_parked",
)
LIVE_FAULTS = FIGURES[-5:]
MUST_BE_ZERO = ("answers_lost", "transitions_doubled", "let_in", "unhandled_exceptions", "given_up")
PARTS = ("rel_crash", "rel_faults", "rel_access", "rel_fuzz")


async def collect(quick: bool, only: tuple[str, ...] = PARTS) -> dict[str, int]:
    """Run every part that exists; sum their counters (the fault share is taken, not summed)."""
    totals = dict.fromkeys(FIGURES, 0)
    for name in (part for part in PARTS if part in only):
        try:
            module = importlib.import_module(f"tests.benchmarks.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.benchmarks.{name}":
                raise
            print(f"# {name}: not present, skipped", file=sys.stderr)
            continue
        started = time.monotonic()
        try:
            figures = await module.run(quick)
        except Exception as exc:  # a part that breaks is a failure, not a crash of the report
            print(f"# {name} failed: {exc!r}", file=sys.stderr)
            totals["unhandled_exceptions"] += 1
            continue
        print(f"# {name}: {time.monotonic() - started:.1f} s {figures}", file=sys.stderr)
        for key, value in figures.items():
            if key == "faults_injected_pct":
                totals[key] = max(totals[key], int(value))
            elif key in totals:
                totals[key] += int(value)
    return totals


def verdict(totals: dict[str, int], quick: bool) -> int:
    """0 if nothing was lost, doubled or let in; the full run also needs its sizes."""
    bad = any(totals[key] for key in MUST_BE_ZERO)
    # a live fault that never struck proves nothing
    bad = bad or any(totals[key] < 1 for key in LIVE_FAULTS)
    # a worker's death that never happened proves nothing either (--quick keeps one)
    bad = bad or totals["workers_killed"] < 1
    if not quick and (totals["kills"] < 20 or totals["faults_injected_pct"] < 20):
        bad = True
    return 1 if bad else 0


def main(argv: list[str]) -> int:
    """Run, print the figures, return the exit code."""
    quick = "--quick" in argv
    # ``--only rel_crash`` (repeatable) runs just those parts, to chase one part's failure;
    # the verdict then still asks for every live fault, so such a run is for reading
    only = tuple(argv[n + 1] for n, arg in enumerate(argv[:-1]) if arg == "--only") or PARTS
    started = time.monotonic()
    totals = asyncio.run(collect(quick, only))
    for key in FIGURES:
        print(f"{key}: {totals[key]}")
    print(f"# {time.monotonic() - started:.0f} s", file=sys.stderr)
    return verdict(totals, quick)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
