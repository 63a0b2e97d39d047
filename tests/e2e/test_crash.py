"""The bot as a real process: killed with SIGKILL right after fetching an update, restarted,
it handles that update exactly once. SIGTERM stops it cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from pathlib import Path

from bot.clock import SystemClock
from bot.model import Role
from bot.services.config import Config
from bot.services.core import Core
from bot.services.people import onboarding
from bot.services.people.admin import ensure_sekretariat
from bot.sim import BotApiSimulator
from storage.db import Database
from tests.e2e.conftest import BOT_USERNAME, TOKEN

ROOT = Path(__file__).resolve().parents[2]


async def make_invite(db_path: Path) -> str:
    db = await Database.open(db_path)
    try:
        core = Core(db, SystemClock(), Config(bot_username=BOT_USERNAME))
        await ensure_sekretariat(core)
        # The agency's admin invite comes first (a plain one is refused until there is one).
        await onboarding.create_invite_cli(core, Role.KASUBAG_KPEP, None, None, True, BOT_USERNAME)
        created = await onboarding.create_invite_cli(
            core, Role.OPERATOR, "sekretariat", None, False, BOT_USERNAME
        )
        return created.invite.token
    finally:
        await db.close()


async def start_bot(
    sim: BotApiSimulator, db_path: Path, faults: str = "", **extra: str
) -> asyncio.subprocess.Process:
    """``python -m bot run`` against the simulator (``extra``: more environment)."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": sim.base_url,
        "TELEGRAM_FILE_URL": sim.file_base_url,
        "KINERJA_DB": str(db_path),
        "KINERJA_RATE_LIMIT": "0",
        "KINERJA_FAULTPOINTS": faults,
        **extra,
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_sigkill_after_fetch_then_exactly_once(tmp_path: Path) -> None:
    db_path = tmp_path / "kinerja.sqlite3"
    token = await make_invite(db_path)
    async with BotApiSimulator(token=TOKEN, bot_username=BOT_USERNAME) as sim:
        person = sim.person("Rina", last_name="Wati")
        bot = await start_bot(sim, db_path, faults="after_fetch:1")
        await person.send(f"/start {token}")
        code = await asyncio.wait_for(bot.wait(), 30)
        assert code == -signal.SIGKILL
        assert not [m for m in person.messages if "Selamat" in m.text]

        bot = await start_bot(sim, db_path)
        try:
            await person.wait_for_text("Selamat datang", timeout=30)
            await person.send("/bantuan")
            await person.wait_for_text("Bantuan", timeout=30)
        finally:
            bot.send_signal(signal.SIGTERM)
            code = await asyncio.wait_for(bot.wait(), 10)
        assert code == 0
        welcomes = [m for m in person.messages if "Selamat datang" in m.text]
        assert len(welcomes) == 1

    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM people").fetchone()[0] == 1
        assert conn.execute("SELECT COUNT(*) FROM role_assignments").fetchone()[0] == 1
        joined = conn.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'joined'")
        assert joined.fetchone()[0] == 1
    finally:
        conn.close()


async def test_missing_token_exits_with_code_2(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env["KINERJA_DB"] = str(tmp_path / "x.sqlite3")
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
    _, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 2
    assert b"TELEGRAM_BOT_TOKEN" in err
