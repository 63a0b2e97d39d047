"""Backups of a database being written to, a guarded restore, and carrying on after it."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest

from bot.workflow import UnitState
from storage import periods
from storage.backup import RestoreRefused, RunLock, backup, prune, restore, timestamped
from tests.integration.office import Office, set_up_agency


@pytest.fixture
async def office(tmp_path: Path) -> AsyncIterator[Office]:
    office = await Office.create(tmp_path / "live" / "kinerja.sqlite3")
    yield office
    await office.close()


async def test_backup_is_consistent_while_the_bot_writes(office: Office, tmp_path: Path) -> None:
    await set_up_agency(office)
    stop = asyncio.Event()

    async def writer() -> int:
        count = 0
        while not stop.is_set():
            async with office.core.db.transaction() as conn:
                await conn.execute(
                    "INSERT INTO settings (key, value) VALUES (?, 'x')", (f"k{count}",)
                )
            count += 1
            await asyncio.sleep(0)
        return count

    task = asyncio.create_task(writer())
    copies = []
    for n in range(3):
        await asyncio.sleep(0.05)
        copies.append(
            await asyncio.to_thread(
                backup, office.core.db.path, tmp_path / "b" / f"copy{n}.sqlite3"
            )
        )
    stop.set()
    written = await task
    sizes = []
    for copy in copies:
        conn = sqlite3.connect(copy)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        sizes.append(
            conn.execute("SELECT COUNT(*) FROM settings WHERE key LIKE 'k%'").fetchone()[0]
        )
        conn.close()
    assert sizes == sorted(sizes) and sizes[-1] <= written


async def test_restore_refused_while_running_or_damaged(office: Office, tmp_path: Path) -> None:
    await set_up_agency(office)
    db_path = office.core.db.path
    copy = backup(db_path, tmp_path / "copy.sqlite3")
    lock = RunLock(db_path)
    assert lock.acquire()
    try:
        with pytest.raises(RestoreRefused, match="running"):
            restore(copy, db_path)
    finally:
        lock.release()
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    with pytest.raises(RestoreRefused):
        restore(damaged, db_path)
    with pytest.raises(RestoreRefused):
        restore(tmp_path / "missing.sqlite3", db_path)


async def test_restore_then_carry_on_with_the_quarter(office: Office, tmp_path: Path) -> None:
    p = await set_up_agency(office)
    await p["kasubag"].send("/buka_periode")
    await p["kasubag"].tap("Triwulan I 2026")
    await p["sekretaris"].tap("Setujui")
    await p["op_pel"].send("/isi")
    await p["op_pel"].send("25")
    copy = backup(office.core.db.path, tmp_path / "mid-quarter.sqlite3")
    await p["op_pel"].send("9")  # after the backup: gone once restored
    await office.close()

    target = tmp_path / "restored" / "kinerja.sqlite3"
    target.parent.mkdir()
    restore(copy, target)
    again = await Office.create(target, start=office.clock.now())
    again.people = {name: person for name, person in office.people.items()}
    for person in again.people.values():
        person.office = again
    again.update_ids = office.update_ids
    await p["op_pel"].send("/isi")
    assert "Indikator 2/2" in await p["op_pel"].last_text()
    for answer in ("9", "Rp 1.000.000", "-", "-", "-", "-", "-"):
        await p["op_pel"].send(answer)
    await p["op_pel"].tap("Kirim ke Kepala Bidang")
    async with again.core.db.reading() as conn:
        period = await periods.current_period(conn)
        assert period is not None
        report = await periods.unit_report_for(conn, period.id, "pelatihan")
    assert report is not None and report.state is UnitState.SUBMITTED
    office.core = again.core  # the fixture closes the live one


def test_prune_keeps_the_newest(tmp_path: Path) -> None:
    for day in range(1, 6):
        timestamped(tmp_path, datetime(2026, 11, day)).write_bytes(b"x")
    removed = prune(tmp_path, 2)
    assert len(removed) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "kinerja-20261104-000000.sqlite3",
        "kinerja-20261105-000000.sqlite3",
    ]
