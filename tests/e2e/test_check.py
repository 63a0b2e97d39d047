"""``python -m bot check`` as a subprocess against the simulator: healthy, a refused token, a
stuck outbox, a stale heartbeat. One line per check, exit 0 only if all pass, no token."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.clock import to_iso
from storage import health
from tests.e2e.conftest import TOKEN, Harness
from tests.e2e.test_crash import ROOT

CHECKS = ["token", "database", "migrations", "outbox", "poll"]


async def check(
    h: Harness, token: str = TOKEN, extra_env: dict[str, str] | None = None
) -> tuple[int, dict[str, tuple[str, str]]]:
    """Run ``python -m bot check``; (exit code, {check: (verdict, detail)})."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_API_URL": h.sim.base_url,
        "KINERJA_DB": str(h.db_path),
        **(extra_env or {}),
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "check",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    for stream in (out, err):
        assert TOKEN.split(":")[1].encode() not in stream
        assert token.split(":")[-1].encode() not in stream
    lines = out.decode().splitlines()
    verdicts: dict[str, tuple[str, str]] = {}
    for line in lines:
        verdict, rest = line.split(maxsplit=1)
        name, detail = rest.split(": ", 1)
        verdicts[name] = (verdict, detail)
    expected = [*CHECKS, "webapp"] if env.get("KINERJA_WEBAPP_URL") else CHECKS
    assert list(verdicts) == expected, out.decode() + err.decode()
    assert proc.returncode is not None
    return proc.returncode, verdicts


def failing(verdicts: dict[str, tuple[str, str]]) -> list[str]:
    return [name for name, (verdict, _) in verdicts.items() if verdict != "ok"]


async def wait_for_heartbeat(h: Harness) -> None:
    assert h.runtime is not None
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 10
    while loop.time() < deadline:
        async with h.runtime.db.reading() as conn:
            if await health.last_beat(conn, health.POLL) is not None:
                return
        await asyncio.sleep(0.05)
    raise AssertionError("no heartbeat after the first poll")


def write(db_path: Path, sql: str, *params: object) -> None:
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        conn.execute(sql, params)
    finally:
        conn.close()


async def test_check_passes_when_healthy_and_names_each_failure(harness: Harness) -> None:
    await wait_for_heartbeat(harness)
    code, verdicts = await check(harness)
    assert code == 0, verdicts
    assert failing(verdicts) == []
    assert verdicts["token"][1].startswith("@kinerja_test_bot")

    code, verdicts = await check(harness, token="123456:REVOKED-abcdefghijklmnopqrstuvwxyz")
    assert code == 1
    assert failing(verdicts) == ["token"]

    await harness.stop()  # so that nothing delivers the stuck message below
    old = to_iso(datetime.now(UTC) - timedelta(minutes=20))
    write(
        harness.db_path,
        "INSERT INTO outbox (chat_id, method, payload, created_at) VALUES (1, 'sendMessage',"
        " '{}', ?)",
        old,
    )
    code, verdicts = await check(harness)
    assert code == 1
    assert failing(verdicts) == ["outbox"]
    assert verdicts["outbox"][1].startswith("1 ")

    write(harness.db_path, "DELETE FROM outbox WHERE created_at = ?", old)
    # A document never checked is stuck work too (the bot's background checks it at once).
    write(
        harness.db_path,
        "INSERT INTO intake (telegram_id, chat_id, file_id, file_name, size, received_at)"
        " VALUES (1, 1, 'f', 'isian.xlsx', 10, ?)",
        old,
    )
    code, verdicts = await check(harness)
    assert failing(verdicts) == ["outbox"] and verdicts["outbox"][1].startswith("1 ")
    write(harness.db_path, "DELETE FROM intake WHERE received_at = ?", old)
    write(harness.db_path, "UPDATE heartbeats SET at = ? WHERE name = 'poll'", old)
    code, verdicts = await check(harness)
    assert code == 1
    assert failing(verdicts) == ["poll"]


async def test_check_says_whether_the_web_front_answers(harness: Harness) -> None:
    harness.webapp_url = "https://kinerja.example.go.id/"
    await harness.restart()
    assert harness.runtime is not None and harness.runtime.web is not None
    await wait_for_heartbeat(harness)
    web = {
        "KINERJA_WEBAPP_URL": harness.webapp_url,
        "KINERJA_WEBAPP_LISTEN": f"127.0.0.1:{harness.runtime.web.port}",
    }
    code, verdicts = await check(harness, extra_env=web)
    assert code == 0, verdicts
    assert verdicts["webapp"][1].endswith("/healthz answered 200")
    port = harness.runtime.web.port
    await harness.stop()
    code, verdicts = await check(
        harness, extra_env=web | {"KINERJA_WEBAPP_LISTEN": f"127.0.0.1:{port}"}
    )
    assert code == 1
    assert "webapp" in failing(verdicts)
    assert "tidak menjawab" in verdicts["webapp"][1]
