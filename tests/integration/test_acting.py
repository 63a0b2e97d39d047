"""Acting officials: the buttons reach them from the start date and stop after the end date."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.model import Role
from bot.services.people.acting import parse_dates
from tests.integration.office import Office, set_up_agency


@pytest.fixture
async def office(tmp_path: Path) -> AsyncIterator[Office]:
    office = await Office.create(
        tmp_path / "kinerja.sqlite3", start=datetime(2026, 9, 28, 1, 0, tzinfo=UTC)
    )
    yield office
    await office.close()


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("1/10/2026 - 31/10/2026", True),
        ("01-10-2026 s.d. 05.10.2026 plh", True),
        ("31/10/2026 - 1/10/2026", False),
        ("besok", False),
        ("30/2/2026 - 1/3/2026", False),
    ],
)
def test_date_ranges(text: str, ok: bool) -> None:
    assert (parse_dates(text) is not None) is ok


async def test_acting_head_gets_the_buttons_only_within_the_dates(office: Office) -> None:
    p = await set_up_agency(office)
    stand_in = await office.join("Sari Pengganti", Role.OPERATOR, "penempatan")
    admin = p["kasubag"]
    await admin.send("/plt")
    await admin.tap("Sari Pengganti")
    await admin.tap("Kepala Bidang")
    await admin.tap("Bidang Pelatihan")
    await admin.send("5/10/2026 - 9/10/2026")
    assert "Plt. Kepala Bidang" in await admin.last_text()
    assert "Plt. Kepala Bidang" in await stand_in.last_text()

    # not yet acting on 28 September: a unit report would go to the kabid only
    async with office.core.db.reading() as conn:
        from bot.workflow import Grant
        from storage import org

        before = await org.holders(conn, Grant(Role.KABID, "pelatihan"), office.clock.now())
        office.clock.set(datetime(2026, 10, 6, 2, 0, tzinfo=UTC))
        during = await org.holders(conn, Grant(Role.KABID, "pelatihan"), office.clock.now())
        after = await org.holders(
            conn, Grant(Role.KABID, "pelatihan"), datetime(2026, 10, 10, 2, 0, tzinfo=UTC)
        )
    assert [m.person.full_name for m in before] == ["Joko Kabid"]
    assert sorted(m.person.full_name for m in during) == ["Joko Kabid", "Sari Pengganti"]
    assert [m.person.full_name for m in after] == ["Joko Kabid"]
    acting = next(m for m in during if m.person.full_name == "Sari Pengganti")
    assert acting.assignment.acting == "plt"
    office.clock.advance(timedelta(minutes=1))


async def test_only_the_admin_assigns(office: Office) -> None:
    p = await set_up_agency(office)
    await p["op_pel"].send("/plt")
    assert "hanya untuk pengelola bot" in await p["op_pel"].last_text()
