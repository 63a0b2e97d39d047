"""``python -m bot run`` that cannot start exits non-zero within 30 s with one line saying why,
releases the run lock, and never prints the token: a revoked token (401), an unreachable Bot
API, a malformed TELEGRAM_API_URL."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import time
from pathlib import Path

import pytest

from bot.sim import BotApiSimulator
from storage.backup import RunLock
from tests.e2e.conftest import BOT_USERNAME, TOKEN
from tests.e2e.test_crash import ROOT

SECRET = TOKEN.split(":")[1]


async def run_bot(db_path: Path, api_url: str) -> tuple[int, str, str, float]:
    """``python -m bot run``; (exit code, stdout, stderr, seconds), bounded at 40 s."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": api_url,
        "KINERJA_DB": str(db_path),
        "KINERJA_RATE_LIMIT": "0",
    }
    started = time.monotonic()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(), 40)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode(), time.monotonic() - started


def closed_port() -> int:
    """A local port nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def assert_failed_cleanly(
    code: int, out: str, err: str, seconds: float, db_path: Path, reason: str
) -> None:
    assert code != 0
    assert seconds < 30
    lines = [line for line in err.splitlines() if line.strip()]
    assert len([line for line in lines if "CRITICAL" in line]) == 1, err
    assert reason in err, err
    assert "Traceback" not in err
    for text in (out, err):
        assert TOKEN not in text and SECRET not in text
    lock = RunLock(db_path)
    assert lock.acquire(), "the run lock was not released"
    lock.release()


async def test_a_refused_token_exits_3_with_one_line(tmp_path: Path) -> None:
    db_path = tmp_path / "k.sqlite3"
    async with BotApiSimulator(token="999:OTHER-TOKEN", bot_username=BOT_USERNAME) as sim:
        code, out, err, seconds = await run_bot(db_path, sim.base_url)
    assert code == 3
    assert_failed_cleanly(code, out, err, seconds, db_path, "refused the token (401)")


async def test_an_unreachable_api_exits_3_with_one_line(tmp_path: Path) -> None:
    db_path = tmp_path / "k.sqlite3"
    code, out, err, seconds = await run_bot(db_path, f"http://127.0.0.1:{closed_port()}/bot")
    assert code == 3
    assert_failed_cleanly(code, out, err, seconds, db_path, "cannot be reached")


@pytest.mark.parametrize("url", ["htp://127.0.0.1/bot", "http://127.0.0.1:port/bot"])
async def test_a_malformed_api_url_exits_2_without_the_token(tmp_path: Path, url: str) -> None:
    db_path = tmp_path / "k.sqlite3"
    code, out, err, seconds = await run_bot(db_path, url)
    assert code == 2
    assert_failed_cleanly(code, out, err, seconds, db_path, "TELEGRAM_API_URL")
