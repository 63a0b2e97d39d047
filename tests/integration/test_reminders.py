"""Reminders and escalation on a controlled clock: at the right working times, never at
night or on a holiday, never lost or repeated across a restart."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.calendar import format_duration
from bot.services.quarter import reminders
from bot.texts import common as texts
from tests.integration.office import Office, set_up_agency

WIB = 7  # hours ahead of UTC


def wib(day: int, hour: int, minute: int = 0, month: int = 10) -> datetime:
    return datetime(2026, month, day, hour - WIB, minute, tzinfo=UTC)


@pytest.fixture
async def office(tmp_path: Path) -> AsyncIterator[Office]:
    office = await Office.create(tmp_path / "kinerja.sqlite3", start=wib(5, 8))  # Mon 08:00
    yield office
    await office.close()


async def open_quarter(office: Office) -> dict:
    p = await set_up_agency(office)  # people join on Monday morning, minutes apart
    await p["kasubag"].send("/buka_periode")
    await p["kasubag"].tap("Triwulan I 2026")
    await p["sekretaris"].tap("Setujui")
    return p


async def test_reminders_follow_working_time_and_never_repeat(
    office: Office, tmp_path: Path
) -> None:
    p = await open_quarter(office)
    opened = office.clock.now()
    office.clock.set(wib(5, 15))
    assert await reminders.check(office.core) == 0  # within the standard of one working day
    office.clock.set(wib(5, 21))
    assert await reminders.check(office.core) == 0  # night
    office.clock.set(wib(6, 9, 10))  # Tue 09:10: one working day (8 h 30) has passed
    assert opened < office.clock.now()
    sent = await reminders.check(office.core)
    assert sent == 3  # one operator in each of the three units
    assert any("Pengingat" in m.text for m in await p["op_pel"].inbox())
    assert await reminders.check(office.core) == 0  # the same interval: nothing again

    # a restart: the database remembers what was sent
    await office.close()
    again = await Office.create(office.core.db.path, start=wib(6, 9, 30))
    try:
        assert await reminders.check(again.core) == 0
        again.clock.set(wib(7, 9, 40))  # Wed: twice the standard
        sent = await reminders.check(again.core)
        kabid_inbox = await again.messages_to(p["kabid_pel"].telegram_id)
        sekretaris_inbox = await again.messages_to(p["sekretaris"].telegram_id)
    finally:
        office.core = again.core
    assert sent == 6  # a second reminder for each operator, and each unit head told
    assert any("Perlu perhatian" in m.text and "Tono Operator" in m.text for m in kabid_inbox)
    assert any("Perlu perhatian" in m.text for m in sekretaris_inbox)  # head of the Sekretariat


async def test_the_superior_is_told_only_after_a_reminder_at_an_earlier_moment(
    office: Office,
) -> None:
    p = await open_quarter(office)
    office.clock.set(wib(7, 10))  # Wed: past twice step 2's one working day, nobody reminded
    assert await reminders.check(office.core) == 3  # the operators only, not yet their heads
    reminder = [m.text for m in await p["op_pel"].inbox() if "Pengingat" in m.text]
    # The deadline's clock time (one working day after the opening) and how late it is now.
    opened, deadline = wib(5, 8, 11), wib(6, 8, 11)
    assert reminder == [
        "⏰ Pengingat Triwulan I 2026: Laporan Bidang Pelatihan menunggu pengisian Bapak/Ibu "
        f"sejak {texts.when(opened)}; batas {texts.when(deadline)}, terlambat "
        f"{format_duration(timedelta(hours=10, minutes=19), day=timedelta(hours=8, minutes=30))}. "
        "Mohon Bapak/Ibu berkenan menindaklanjutinya."
    ]
    assert not [m for m in await p["kabid_pel"].inbox() if "Perlu perhatian" in m.text]
    office.clock.set(wib(7, 10, 5))  # the next check: now the heads are told
    assert await reminders.check(office.core) == 3
    told = [m.text for m in await p["kabid_pel"].inbox() if "Perlu perhatian" in m.text]
    assert len(told) == 1 and "menunggu pengisian oleh Tono Operator sejak" in told[0]
    assert f"batas {texts.when(deadline)}, terlambat" in told[0]
    assert "/plt" not in told[0]  # only an admin is told that /plt exists


async def test_no_reminders_on_a_public_holiday(office: Office) -> None:
    await open_quarter(office)
    office.clock.set(datetime(2026, 12, 25, 3, 0, tzinfo=UTC))  # Christmas, 10:00 WIB
    assert await reminders.check(office.core) == 0
    office.clock.set(datetime(2026, 12, 28, 3, 0, tzinfo=UTC))  # the Monday after
    assert await reminders.check(office.core) > 0


async def test_coordinator_nudges_a_unit_from_status(office: Office) -> None:
    p = await open_quarter(office)
    await p["kasubag"].send("/status")
    assert "sedang diisi" in await p["kasubag"].last_text()
    await p["kasubag"].tap("Ingatkan Bidang Pelatihan")
    assert await p["op_pel"].saw("mengingatkan") or any(
        "mengingatkan" in m.text for m in await p["op_pel"].inbox()
    )
    outcome = await p["op_pel"].tap_data("nu:1:pelatihan")  # an operator cannot nudge
    assert outcome.toast and "bukan untuk Anda" in outcome.toast


async def test_status_shows_finished_steps_against_their_standards(office: Office) -> None:
    p = await open_quarter(office)  # step 1, approved at once: on time
    await p["op_pel"].send("/isi")
    await p["op_pel"].send("1. 25\n2. 8\n3. Rp 1.000.000\n4. -\n5. -\n6. -\n7. -\n8. -")
    await p["op_pel"].tap("Kirim ke Kepala Bidang")
    office.clock.advance(timedelta(minutes=25))  # the Kepala Bidang is in a meeting
    await p["kabid_pel"].tap("Setujui")
    await p["kasubag"].send("/status")
    text = await p["kasubag"].last_text()
    assert "Mutu baku waktu: 2 dari 3 langkah selesai tepat waktu (66,7%)." in text, text
    assert (
        # 25 minutes waited plus the minute the simulated office takes per action
        "⚠️ 3. Pemeriksaan Kepala Bidang — Bidang Pelatihan: 26 menit jam kerja "
        "(mutu baku 10 menit)" in text
    ), text
