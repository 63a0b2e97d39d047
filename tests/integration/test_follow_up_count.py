"""After each follow-up the unit reads what still awaits its answer, out of what is open, and
is told when it has answered everything (finding E: the count never went down)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.integration.office import Office
from tests.integration.test_follow_up_status import distributed, record


@pytest.fixture
async def office(tmp_path: Path) -> AsyncIterator[Office]:
    office = await Office.create(tmp_path / "kinerja.sqlite3")
    yield office
    await office.close()


async def test_the_count_goes_down_to_all_answered(office: Office) -> None:
    p = await distributed(office)
    op = p["op_pel"]  # the general recommendation and one for Pelatihan
    await record(op, 1, "direncanakan", "Dijadwalkan triwulan II")
    assert await op.saw("Masih 1 dari 2 rekomendasi terbuka untuk unit Anda belum dijawab.")
    await record(op, 2, "direncanakan", "Kerja sama dengan LPK dijajaki")
    assert await op.saw(
        "Semua rekomendasi untuk unit Anda telah dijawab; 2 di antaranya belum selesai"
    )
    assert not await op.saw("Masih")

    await record(p["op_sek"], 1, "direncanakan", "Rapat koordinasi bulanan")  # its only one
    assert await p["op_sek"].saw("Semua rekomendasi untuk unit Anda telah dijawab; 1 di")
    assert not await p["op_sek"].saw("Masih 1")
