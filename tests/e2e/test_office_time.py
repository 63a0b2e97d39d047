"""The command line keeps the office's time (KINERJA_TZ, KINERJA_CLOCK_OFFSET) like ``run``
does, restore refuses an unknown schema, and the running bot prunes by itself."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.clock import FakeClock
from bot.model import Role
from storage import updates
from storage.backup import backup
from storage.migrations import MIGRATIONS
from tests.e2e.conftest import Harness
from tests.integration.office import UNITS, Office

ROOT = Path(__file__).resolve().parents[2]


async def cli(db_path: Path, *args: str, **env: str) -> tuple[int, str, str]:
    """``python -m bot ARGS`` on ``db_path``; exit code, stdout, stderr."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=ROOT,
        env={**os.environ, "KINERJA_DB": str(db_path), **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def office_with_an_operator(db_path: Path) -> int:
    """Units, an admin and an operator; the operator's Telegram id."""
    from bot.services.people.admin import import_units

    office = await Office.create(db_path, start=datetime.now(UTC))
    try:
        await import_units(office.core, UNITS, "Dinas Tenaga Kerja")
        await office.join("Sri Kasubag", Role.KASUBAG_KPEP, admin_=True)
        operator = await office.join("Tono Operator", Role.OPERATOR, "pelatihan")
        return operator.telegram_id
    finally:
        await office.close()


async def test_plt_and_invite_keep_the_office_zone_and_clock_offset(tmp_path: Path) -> None:
    db_path = tmp_path / "kinerja.sqlite3"
    telegram_id = await office_with_an_operator(db_path)
    office = {"KINERJA_TZ": "Asia/Jayapura", "KINERJA_CLOCK_OFFSET": str(30 * 86400)}
    code, _, err = await cli(
        db_path,
        "plt",
        "--telegram-id",
        str(telegram_id),
        "--role",
        "kabid",
        "--unit",
        "pelatihan",
        "--from",
        "2026-12-01",
        "--to",
        "2026-12-31",
        **office,
    )
    assert code == 0, err
    code, out, err = await cli(
        db_path,
        "invite",
        "--role",
        "operator",
        "--unit",
        "penempatan",
        "--bot-username",
        "kinerja_test_bot",
        **office,
    )
    assert code == 0, err
    assert "https://t.me/kinerja_test_bot?start=" in out
    conn = sqlite3.connect(db_path)
    try:
        starts, ends = conn.execute(
            "SELECT starts_at, ends_at FROM role_assignments WHERE acting = 'plt'"
        ).fetchone()
        created, expires = conn.execute(
            "SELECT created_at, expires_at FROM invites ORDER BY created_at DESC LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    # Midnight in Jayapura (UTC+9), not in Jakarta (UTC+7).
    assert datetime.fromisoformat(starts) == datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
    assert datetime.fromisoformat(ends) == datetime(2026, 12, 31, 15, 0, tzinfo=UTC)
    # The invite was made on the shifted clock, like everything the running bot does.
    made = datetime.fromisoformat(created)
    assert abs(made - (datetime.now(UTC) + timedelta(days=30))) < timedelta(minutes=5)
    assert datetime.fromisoformat(expires) - made == timedelta(days=7)


async def test_restore_from_the_command_line_refuses_a_newer_schema(tmp_path: Path) -> None:
    db_path = tmp_path / "kinerja.sqlite3"
    await office_with_an_operator(db_path)
    newer = backup(db_path, tmp_path / "newer.sqlite3")
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    before = db_path.read_bytes()
    code, _, err = await cli(tmp_path / "kinerja.sqlite3", "restore", str(newer))
    assert code == 1
    assert "restore refused" in err and f"schema version {len(MIGRATIONS) + 1}" in err
    assert "update the bot first" in err
    assert db_path.read_bytes() == before


async def test_the_running_bot_prunes_old_update_ids_at_start(harness: Harness) -> None:
    assert harness.runtime is not None
    assert isinstance(harness.clock, FakeClock)
    async with harness.runtime.core.work(None) as work:
        await updates.mark_processed(work.conn, 1, work.now - timedelta(days=3))
        await updates.mark_processed(work.conn, 2, work.now)
    await harness.restart()
    assert harness.runtime is not None
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 10
    while True:
        async with harness.runtime.db.reading() as conn:
            if not await updates.is_processed(conn, 1):
                assert await updates.is_processed(conn, 2)
                break
        assert loop.time() < deadline, "the housekeeping task did not run"
        await asyncio.sleep(0.02)


async def test_people_commands_refuse_an_unknown_zone_in_one_line(tmp_path: Path) -> None:
    """``member``, ``invite`` and ``plt`` read the office's settings as ``run`` does: a
    mistyped KINERJA_TZ is one line and exit 2, and nothing is written."""
    db_path = tmp_path / "kinerja.sqlite3"
    telegram_id = await office_with_an_operator(db_path)
    before = db_path.read_bytes()
    for args in (
        ("member", "list"),
        ("invite", "--role", "operator", "--unit", "penempatan", "--bot-username", "x_bot"),
        ("member", "deactivate", "--telegram-id", str(telegram_id)),
    ):
        code, out, err = await cli(db_path, *args, KINERJA_TZ="Asia/Jakrta")
        assert code == 2, (args, err)
        assert err.strip() == "KINERJA_TZ tidak dikenal / unknown time zone: 'Asia/Jakrta'"
        assert "Traceback" not in err and not out
    assert db_path.read_bytes() == before
