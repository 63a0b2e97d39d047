"""``tests/benchmarks/reliability.py --quick`` as a user runs it: exit 0, every figure printed,
nothing lost, doubled or let in, no handler died, and the bot was really killed and faulted,
the live faults included (a locked database, 409, a migrated group, a stop while sends are
slow, an unparseable update), and its worker processes were killed without a job given up."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "benchmarks" / "reliability.py"
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
    "flood_refusals",
    "busy_lock_waits",
    "conflicts_409",
    "groups_migrated",
    "stops_during_slow_sends",
    "updates_parked",
)
LIVE_FAULTS = FIGURES[-5:]


@pytest.mark.slow
@pytest.mark.timeout(300)  # the run bounds itself at 240 s; the suite's default is 120
async def test_reliability_quick_run_loses_nothing() -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(SCRIPT),
        "--quick",
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(), 240)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise
    report = err.decode(errors="replace")[-3000:]
    assert proc.returncode == 0, report
    lines = out.decode().splitlines()
    assert [line.split(":")[0] for line in lines] == list(FIGURES), lines
    figures = {name: int(value) for name, value in (line.split(": ") for line in lines)}
    zero = ("answers_lost", "transitions_doubled", "let_in", "unhandled_exceptions")
    for name in (*zero, "flood_refusals"):  # a figure the full run requires 0 of, as here
        assert figures[name] == 0, (name, report)
    assert figures["given_up"] == 0, report  # a worker's death costs a retry, not the job
    assert figures["kills"] >= 3 and figures["workers_killed"] >= 1, report
    for name in LIVE_FAULTS:  # each live fault struck, and nothing above was lost for it
        assert figures[name] >= 1, (name, report)
    assert figures["faults_injected_pct"] >= 10
    # an ambiguous send can arrive twice; it must stay the exception
    assert figures["duplicate_messages"] <= 2 * figures["kills"] + 5, report
