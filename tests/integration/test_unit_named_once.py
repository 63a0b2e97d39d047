"""A unit is named once in a sentence (finding D): the operator's "dikirim ke Kepala Bidang",
the follow-up recap, and the suggestion that quotes an earlier drafted recommendation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.sim.telegram_html import html_to_text
from bot.texts import analysis as tx
from bot.texts import followup as tl
from tests.integration.office import Office, set_up_agency

UNIT = "Bidang Penempatan Tenaga Kerja"
DRAFTED = f"{UNIT} agar mempercepat penyerapan anggaran (tertinggal 22,00 poin)."


@pytest.fixture
async def office(tmp_path: Path) -> AsyncIterator[Office]:
    office = await Office.create(tmp_path / "kinerja.sqlite3")
    yield office
    await office.close()


async def test_the_operator_reads_the_unit_once(office: Office) -> None:
    p = await set_up_agency(office)
    await p["kasubag"].send("/buka_periode")
    await p["kasubag"].tap("Triwulan I 2026")
    await p["sekretaris"].tap("Setujui")
    op = p["op_pel"]
    await op.send("/isi")
    await op.send("1. 20\n2. 5\n3. 1.000.000\n4. -\n5. -\n6. -\n7. -\n8. -")
    await op.tap("Kirim ke Kepala Bidang")
    sent = next(m.text for m in await op.new() if "dikirim ke Kepala Bidang" in m.text)
    assert "dikirim ke Kepala Bidang untuk diperiksa" in sent, sent


def test_the_recap_names_a_carried_unit_once() -> None:
    text = html_to_text(
        tl.recap("Triwulan II 2026", [("Triwulan I 2026", UNIT, DRAFTED, True, [])])
    )
    assert text.count(UNIT) == 1, text
    assert f"{UNIT} · Triwulan I 2026: agar mempercepat" in text


def test_the_follow_up_suggestion_quotes_without_nesting_or_a_double_period() -> None:
    drafted = tx.suggest_follow_up(UNIT, DRAFTED, "Triwulan I 2026")
    assert drafted.count(UNIT) == 1 and "“" not in drafted and drafted.endswith("poin).")
    # the recommendation's own "agar" clause is set off, not run on after the suggestion's
    assert "rekomendasi Triwulan I 2026, yaitu agar mempercepat" in drafted
    typed = tx.suggest_follow_up(UNIT, "Perluas kerja sama pelatihan.", "Triwulan I 2026")
    assert typed.endswith("“Perluas kerja sama pelatihan.”") and "”." not in typed
