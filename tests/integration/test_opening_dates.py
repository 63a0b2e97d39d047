"""A triwulan opens when it can be reported: from the first day of its last month, and once.

The office runs on a simulated clock (FakeClock), set to the days that matter.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.calendar import JAKARTA
from bot.callbacks import Cb, encode
from bot.services.quarter.opening import opens_on
from storage import periods
from tests.integration.office import Office, set_up_agency


def wib(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of 2026 on the agency's clock (WIB)."""
    return datetime(2026, month, day, hour, minute, tzinfo=JAKARTA).astimezone(UTC)


@pytest.fixture
async def office(tmp_path: Path) -> AsyncIterator[Office]:
    office = await Office.create(tmp_path / "kinerja.sqlite3", start=wib(1, 5, 8))  # 5 January
    yield office
    await office.close()


async def every_period(office: Office) -> list[periods.Period]:
    async with office.core.db.reading() as conn:
        return await periods.periods(conn)


def test_a_triwulan_opens_on_the_first_day_of_its_last_month() -> None:
    assert [opens_on(2026, q).isoformat() for q in (1, 2, 3, 4)] == [
        "2026-03-01",
        "2026-06-01",
        "2026-09-01",
        "2026-12-01",
    ]


async def test_opening_a_quarter_too_early_is_refused_with_the_date(office: Office) -> None:
    p = await set_up_agency(office)
    kasubag = p["kasubag"]
    await kasubag.send("/buka_periode")
    menu = await kasubag.last_text()
    assert "Belum ada triwulan yang dapat dibuka." in menu
    assert "Triwulan I 2026: mulai 1 Maret 2026" in menu
    # a button made earlier, or forged, for triwulan I and IV on 5 January
    for quarter, day in ((1, "1 Maret 2026"), (4, "1 Desember 2026")):
        await kasubag.tap_data(encode(Cb.OPEN_QUARTER, 2026, quarter))
        refusal = await kasubag.last_text()
        assert "belum dapat dibuka" in refusal and f"yaitu {day}." in refusal, refusal
    assert await every_period(office) == []

    # 28 February, 23.59 WIB: still too early; 1 March, 00.00 WIB: the agency's date counts
    office.clock.set(wib(2, 28, 23, 58))  # a person's action takes a minute in this office
    await kasubag.tap_data(encode(Cb.OPEN_QUARTER, 2026, 1))
    assert "1 Maret 2026" in await kasubag.last_text()
    assert await every_period(office) == []
    office.clock.set(wib(3, 1, 0, 0))
    await kasubag.send("/buka_periode")
    labels = [label for m in await kasubag.new() for row in m.buttons for label, _ in row]
    assert labels == ["Triwulan I 2026"]  # only the quarter that can be reported
    await kasubag.tap("Triwulan I 2026")
    assert [(x.quarter, x.state) for x in await every_period(office)] == [
        (1, "menunggu_persetujuan")
    ]


async def test_an_open_or_closed_quarter_is_not_opened_again(office: Office) -> None:
    p = await set_up_agency(office)
    office.clock.set(wib(3, 2, 8))
    kasubag = p["kasubag"]
    await kasubag.send("/buka_periode")
    await kasubag.tap("Triwulan I 2026")
    await p["sekretaris"].tap("Setujui")
    again = await kasubag.tap_data(encode(Cb.OPEN_QUARTER, 2026, 1))
    assert again.toast == "Sudah diproses."
    assert len(await every_period(office)) == 1
    # a closed triwulan stays closed: the quarter is not offered, and a tap changes nothing
    async with office.core.work(None) as work:
        period = (await periods.periods(work.conn))[0]
        await work.conn.execute("UPDATE periods SET state = 'selesai' WHERE id = ?", (period.id,))
    await kasubag.send("/buka_periode")
    assert "Triwulan I 2026" not in [
        label for m in await kasubag.new() for row in m.buttons for label, _ in row
    ]
    await kasubag.tap_data(encode(Cb.OPEN_QUARTER, 2026, 1))
    assert "sudah pernah dibuka" in await kasubag.last_text()
    assert len(await every_period(office)) == 1
