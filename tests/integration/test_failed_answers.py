"""Several answers in one message of which none could be saved (finding F): no success tick,
and two numbers typed as one answer are named as such, not 'bukan angka'."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.checks import Hard
from bot.numbers_parse import NumberInputError, NumberProblem, parse_number
from bot.texts import quarter as tq
from tests.integration.office import Office, set_up_agency


@pytest.fixture
async def office(tmp_path: Path) -> AsyncIterator[Office]:
    office = await Office.create(tmp_path / "kinerja.sqlite3")
    yield office
    await office.close()


async def test_nothing_saved_is_not_ticked(office: Office) -> None:
    p = await set_up_agency(office)
    await p["kasubag"].send("/buka_periode")
    await p["kasubag"].tap("Triwulan I 2026")
    await p["sekretaris"].tap("Setujui")
    op = p["op_pel"]
    await op.send("/isi")
    await op.send("1. 75 80\n3. 4.950.000 Rp 4.950.000")
    told = [m.text for m in await op.new()]
    assert not any("✔️ 0 jawaban" in t for t in told), told
    reply = next(t for t in told if "Tidak ada jawaban yang tersimpan" in t)
    two = tq.hard_short(Hard.TWO_VALUES)
    assert f"no. 1: {two}" in reply and f"no. 3: {two}" in reply, reply


@pytest.mark.parametrize("typed", ["75 80", "4.950.000 Rp 4.950.000", "Rp 10 Rp 20", "20 % 30 %"])
def test_two_numbers_are_named(typed: str) -> None:
    with pytest.raises(NumberInputError) as caught:
        parse_number(typed)
    assert caught.value.problem is NumberProblem.TWO_VALUES


@pytest.mark.parametrize("typed", ["abc", "75 orang", "Rp", "12 ribu"])
def test_words_are_still_not_a_number(typed: str) -> None:
    with pytest.raises(NumberInputError) as caught:
        parse_number(typed)
    assert caught.value.problem is NumberProblem.NOT_A_NUMBER
