"""Steps 7 to 9 when the Kepala Dinas approves without a recommendation: every message says
what is true (no "0 rekomendasi", nothing to follow up) and offers only buttons that fit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.texts import agency as ta
from bot.texts import quarter as tq
from bot.workflow import PeriodState
from storage import periods
from tests.integration.office import Office, send_to_secretary, set_up_agency
from tests.integration.test_report_figures import collect
from tests.integration.test_told_once import stamps


@pytest.fixture
async def office(tmp_path: Path) -> AsyncIterator[Office]:
    office = await Office.create(tmp_path / "kinerja.sqlite3")
    yield office
    await office.close()


def labels(messages: list) -> set[str]:  # type: ignore[type-arg]
    return {text for m in messages for row in m.buttons for text, _ in row}


async def test_approved_without_recommendations(office: Office) -> None:
    p = await set_up_agency(office)
    await collect(office, p, 1)
    await send_to_secretary(p["kasubag"])
    await p["sekretaris"].tap("Setujui")
    await p["kadin"].tap("Setujui")

    asked = [m.text for m in await p["sekretaris"].new()]
    assert any("tanpa rekomendasi" in t for t in asked), asked
    assert not any("0 rekomendasi" in t or "dan rekomendasi" in t for t in asked), asked
    assert labels(await p["sekretaris"].new()) == {tq.BTN_FORWARD_REPORT}
    await p["sekretaris"].tap(tq.BTN_FORWARD_REPORT)

    asked = [m.text for m in await p["kasubag"].new()]
    request = [t for t in asked if "berkenan menyampaikan laporan akhir ke grup Dinas" in t]
    assert request and request[-1].count("Mohon ") == 1, asked
    assert not any("Sampaikan rekomendasi" in t for t in asked), asked
    assert labels(await p["kasubag"].new()) == {tq.BTN_DISTRIBUTE_REPORT}
    await p["kasubag"].tap(tq.BTN_DISTRIBUTE_REPORT)

    # what was done stands in the request's stamp (no receipt follows: finding C)
    told = [m.text for m in await p["kasubag"].new()] + await stamps(office, p["kasubag"])
    assert not any("0 unit" in t for t in told), told
    assert any("Tidak ada rekomendasi yang perlu ditindaklanjuti" in t for t in told), told
    async with office.core.db.reading() as conn:
        period = await periods.current_period(conn)
    assert period is not None and period.state is PeriodState.CLOSED


def test_group_told_nothing_to_follow_up() -> None:
    closed = ta.group_closed("Triwulan I 2026", recommended=False)
    assert "tindak lanjut atas rekomendasi" not in closed
    assert "Tidak ada rekomendasi Kepala Dinas yang perlu ditindaklanjuti" in closed
    final = ta.group_final("Triwulan I 2026", [])
    assert "Rekomendasi:" not in final and "tidak memberikan rekomendasi" in final
