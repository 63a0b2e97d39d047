"""The token stays secret: not in the log (httpx at DEBUG included), not in a logged traceback,
not in the database or a backup. And SIGTERM is a graceful stop: the update in hand finishes,
its reply is flushed, the process exits 0 within 10 s."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import signal
import sqlite3
import sys
import time
from pathlib import Path

from bot.app import TokenRedactor
from bot.sim import BotApiSimulator, Fault
from tests.e2e.conftest import BOT_USERNAME, TOKEN
from tests.e2e.test_crash import ROOT, make_invite, start_bot


async def stop(bot: asyncio.subprocess.Process) -> tuple[int, bytes, float]:
    """SIGTERM; exit code, stderr and seconds taken (bounded at 10 s)."""
    started = time.monotonic()
    bot.send_signal(signal.SIGTERM)
    _, err = await asyncio.wait_for(bot.communicate(), 10)
    assert bot.returncode is not None
    return bot.returncode, err, time.monotonic() - started


def test_a_logged_traceback_is_redacted() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(TokenRedactor(TOKEN))
    log = logging.getLogger("tests.secrets")
    log.addHandler(handler)
    try:
        try:
            raise RuntimeError(f"POST http://127.0.0.1/bot{TOKEN}/sendMessage failed")
        except RuntimeError:
            log.exception("update %d from person %d in chat %d failed", 7, 8, 8)
    finally:
        log.removeHandler(handler)
    text = stream.getvalue()
    assert "Traceback" in text and "/bot<token>/sendMessage" in text
    assert TOKEN not in text


async def test_the_token_is_in_no_log_no_database_and_no_backup(tmp_path: Path) -> None:
    db_path = tmp_path / "kinerja.sqlite3"
    invite = await make_invite(db_path)
    async with BotApiSimulator(token=TOKEN, bot_username=BOT_USERNAME) as sim:
        # Failing calls make the transport and PTB log errors and tracebacks with the URL.
        sim.faults.add(Fault("drop", method="sendmessage", count=1))
        sim.faults.add(Fault("500", method="getupdates", count=1))
        sim.faults.add(Fault("timeout_before", method="sendmessage", count=1, delay=6))
        person = sim.person("Rina")
        bot = await start_bot(sim, db_path, KINERJA_LOG_LEVEL="DEBUG")
        await person.send(f"/start {invite}")
        await person.wait_for_text("Selamat datang", timeout=40)
        await person.send("/bantuan")
        await person.wait_for_text("Bantuan", timeout=30)
        code, err, _ = await stop(bot)
    assert code == 0
    # the request lines are there, redacted
    assert b"bot.transport" in err and b"/bot<token>/" in err
    assert TOKEN.encode() not in err
    assert TOKEN.split(":")[1].encode() not in err

    backup = tmp_path / "copy.sqlite3"
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "backup",
        "--to",
        str(backup),
        cwd=ROOT,
        env={**os.environ, "KINERJA_DB": str(db_path)},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    assert await asyncio.wait_for(proc.wait(), 30) == 0
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert backup in written and db_path in written
    for path in written:
        assert TOKEN.split(":")[1].encode() not in path.read_bytes(), path


async def test_sigterm_finishes_the_update_in_hand_and_flushes_its_reply(tmp_path: Path) -> None:
    db_path = tmp_path / "kinerja.sqlite3"
    invite = await make_invite(db_path)
    async with BotApiSimulator(token=TOKEN, bot_username=BOT_USERNAME) as sim:
        # The reply's delivery is slow, so the stop has to wait for the outbox.
        sim.faults.add(Fault("slow", method="sendmessage", count=1, delay=2))
        person = sim.person("Rina")
        # SIGTERM arrives right after the /start update was fetched, before it is handled.
        bot = await start_bot(sim, db_path, faults="after_fetch:1:term")
        started = time.monotonic()
        await person.send(f"/start {invite}")
        _, err = await asyncio.wait_for(bot.communicate(), 40)
        polls_at_exit = sum(1 for c in sim.calls if c.method == "getupdates")
        assert bot.returncode == 0, err.decode()[-2000:]
        assert [m for m in person.messages if "Selamat datang" in m.text]
        assert b"stopping" in err
        assert time.monotonic() - started < 40
        assert sum(1 for c in sim.calls if c.method == "getupdates") == polls_at_exit
    conn = sqlite3.connect(db_path)
    try:
        pending = conn.execute("SELECT COUNT(*) FROM outbox WHERE status = 'pending'")
        assert pending.fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM people").fetchone()[0] == 1
    finally:
        conn.close()


async def test_sigterm_when_idle_exits_0_within_10_seconds(tmp_path: Path) -> None:
    db_path = tmp_path / "kinerja.sqlite3"
    invite = await make_invite(db_path)
    async with BotApiSimulator(token=TOKEN, bot_username=BOT_USERNAME) as sim:
        person = sim.person("Rina")
        bot = await start_bot(sim, db_path)
        await person.send(f"/start {invite}")
        await person.wait_for_text("Selamat datang", timeout=30)
        code, err, seconds = await stop(bot)  # in the middle of a long poll
    assert code == 0, err.decode()[-2000:]
    assert seconds < 10
