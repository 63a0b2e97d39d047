"""``python -m bot run`` with the Mini App switched on by its environment variables: the
page is served where ``KINERJA_WEBAPP_LISTEN`` says, and a malformed setting stops the start
with one line (exit code 2), never the token."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from bot.sim import BotApiSimulator
from bot.web.server import CSP
from tests.e2e.conftest import BOT_USERNAME, TOKEN
from tests.e2e.test_crash import ROOT
from tests.e2e.test_startup import assert_failed_cleanly, closed_port


def env(db_path: Path, api_url: str, **web: str) -> dict[str, str]:
    return {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": api_url,
        "KINERJA_DB": str(db_path),
        "KINERJA_RATE_LIMIT": "0",
        **web,
    }


async def test_the_running_bot_serves_the_page_where_it_is_told(tmp_path: Path) -> None:
    port = closed_port()
    async with BotApiSimulator(token=TOKEN, bot_username=BOT_USERNAME) as sim:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=ROOT,
            env=env(
                tmp_path / "k.sqlite3",
                sim.base_url,
                KINERJA_WEBAPP_URL="https://kinerja.example.go.id/",
                KINERJA_WEBAPP_LISTEN=f"127.0.0.1:{port}",
            ),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            deadline = time.monotonic() + 30
            async with aiohttp.ClientSession() as http:
                while True:
                    try:
                        async with http.get(f"http://127.0.0.1:{port}/") as page:
                            assert page.status == 200
                            assert page.headers["Content-Security-Policy"] == CSP
                            assert 'src="app.js"' in await page.text()
                            break
                    except aiohttp.ClientConnectionError:
                        assert time.monotonic() < deadline, "the web front never answered"
                        await asyncio.sleep(0.2)
                async with http.get(f"http://127.0.0.1:{port}/api/form") as api:
                    assert api.status == 401  # no launch data, no form
        finally:
            proc.send_signal(signal.SIGTERM)
            _, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, err.decode()
    assert f"web front listening on 127.0.0.1:{port}" in err.decode()


@pytest.mark.parametrize(
    ("web", "reason"),
    [
        ({"KINERJA_WEBAPP_URL": "http://kinerja.example.go.id/"}, "KINERJA_WEBAPP_URL"),
        ({"KINERJA_WEBAPP_URL": "https://kinerja example/"}, "KINERJA_WEBAPP_URL"),
        (
            {
                "KINERJA_WEBAPP_URL": "https://kinerja.example.go.id/",
                "KINERJA_WEBAPP_LISTEN": "8080",
            },
            "KINERJA_WEBAPP_LISTEN",
        ),
    ],
)
async def test_a_malformed_web_setting_exits_2_with_one_line(
    tmp_path: Path, web: dict[str, str], reason: str
) -> None:
    db_path = tmp_path / "k.sqlite3"
    started = time.monotonic()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=ROOT,
        env=env(db_path, f"http://127.0.0.1:{closed_port()}/bot", **web),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 40)
    assert proc.returncode == 2
    assert_failed_cleanly(
        proc.returncode, out.decode(), err.decode(), time.monotonic() - started, db_path, reason
    )
