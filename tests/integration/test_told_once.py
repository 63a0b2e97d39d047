"""A person is not told of their own action twice (finding C, issue 20): the request they
acted on is stamped with what happened and where it went, and no "✔️" message follows."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.texts import common as texts
from bot.texts import quarter as tq
from tests.integration.office import Office, Person, send_to_secretary, set_up_agency
from tests.integration.test_report_figures import collect


@pytest.fixture
async def office(tmp_path: Path) -> AsyncIterator[Office]:
    office = await Office.create(tmp_path / "kinerja.sqlite3")
    yield office
    await office.close()


async def stamps(office: Office, person: Person) -> list[str]:
    """The notes that replaced the buttons in the person's chat since their last action."""
    async with (
        office.core.db.reading() as conn,
        conn.execute(
            "SELECT payload FROM outbox WHERE chat_id = ? AND method = 'clearButtons'"
            " AND id > ? ORDER BY id",
            (person.telegram_id, person.cursor),
        ) as cur,
    ):
        rows = await cur.fetchall()
    notes = [json.loads(r["payload"]).get("note") or "" for r in rows]
    return [re.sub(r"<[^>]+>", "", n) for n in notes if n]


async def receipts(person: Person) -> list[str]:
    """The "✔️" messages the person got since their last action."""
    return [m.text for m in await person.new() if m.text.startswith("✔️")]


async def test_each_hand_on_is_said_once_in_its_stamp(office: Office) -> None:
    p = await set_up_agency(office)
    await collect(office, p, 1)
    coordinator = texts.titles().coordinator_short

    await send_to_secretary(p["kasubag"])
    assert any("ke Sekretaris" in s for s in await stamps(office, p["kasubag"]))
    assert await receipts(p["kasubag"]) == []

    await p["sekretaris"].tap("Setujui")
    assert any("dan diteruskan ke Kepala Dinas" in s for s in await stamps(office, p["sekretaris"]))
    assert await receipts(p["sekretaris"]) == []

    await p["kadin"].tap("Setujui")
    assert any("dan diteruskan ke Sekretaris" in s for s in await stamps(office, p["kadin"]))
    assert await receipts(p["kadin"]) == []

    await p["sekretaris"].tap(tq.BTN_FORWARD_REPORT)
    assert any(f"ke {coordinator}" in s for s in await stamps(office, p["sekretaris"]))
    assert await receipts(p["sekretaris"]) == []

    await p["kasubag"].tap(tq.BTN_DISTRIBUTE_REPORT)
    assert any("laporan akhir ke grup Dinas" in s for s in await stamps(office, p["kasubag"]))
    assert await receipts(p["kasubag"]) == []


async def test_a_return_names_the_units_operator_title_once(office: Office) -> None:
    p = await set_up_agency(office)
    await p["kasubag"].send("/buka_periode")
    await p["kasubag"].tap("Triwulan I 2026")
    await p["sekretaris"].tap("Setujui")
    await p["op_pel"].send("/isi")
    await p["op_pel"].send("1. 20\n2. 5\n3. 1.000.000\n4. -\n5. -\n6. -\n7. -\n8. -")
    await p["op_pel"].tap("Kirim ke Kepala Bidang")
    await p["kabid_pel"].tap("Minta revisi")
    await p["kabid_pel"].send("Angka belum lengkap")
    notes = await stamps(office, p["kabid_pel"])
    assert any(s.startswith("↩️ Dikembalikan kepada ") for s in notes), notes
    assert not any("operator" in s for s in notes), notes
    assert await receipts(p["kabid_pel"]) == []
