"""The simulator answers the real PTB client as Telegram would, limits and faults included."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from bot.sim import BotApiSimulator, Fault
from bot.transport import AiohttpRequest

TOKEN = "123456:SIMTEST-abcdefghijklmnopqrstuvwxyz"


@pytest.fixture
async def sim() -> AsyncIterator[BotApiSimulator]:
    async with BotApiSimulator(token=TOKEN, bot_username="sim_bot") as simulator:
        yield simulator


@pytest.fixture(params=["httpx", "aiohttp"])
async def bot(sim: BotApiSimulator, request: pytest.FixtureRequest) -> AsyncIterator[Bot]:
    """A PTB client on PTB's default transport and on the bot's own (the same contract)."""
    transport = (HTTPXRequest if request.param == "httpx" else AiohttpRequest)(
        read_timeout=1.0, connect_timeout=1.0
    )
    async with Bot(
        TOKEN, base_url=sim.base_url, base_file_url=sim.file_base_url, request=transport
    ) as client:
        yield client


async def test_get_me_and_updates_with_offset_confirmation(sim: BotApiSimulator, bot: Bot) -> None:
    assert bot.username == "sim_bot"
    person = sim.person("Ani")
    await person.send("/start")
    updates = await bot.get_updates(timeout=0)
    assert [u.message.text for u in updates if u.message] == ["/start"]
    assert updates[0].message is not None and updates[0].message.entities
    again = await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)
    assert again == ()


async def test_buttons_taps_and_single_answers(sim: BotApiSimulator, bot: Bot) -> None:
    person = sim.person("Budi")
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Setujui", callback_data="ua:1:1")]])
    await bot.send_message(person.chat_id, "<b>Periksa</b>", parse_mode="HTML", reply_markup=markup)
    await person.tap("Setujui")
    updates = await bot.get_updates(timeout=0)
    query = updates[-1].callback_query
    assert query is not None and query.data == "ua:1:1"
    await query.answer("ok")
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await query.answer("again")
    assert person.callback_answers[0][1] == "ok"


async def test_telegram_limits(sim: BotApiSimulator, bot: Bot) -> None:
    person = sim.person("Citra")
    with pytest.raises(BadRequest, match=r"(?i)too long"):
        await bot.send_message(person.chat_id, "x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(
            person.chat_id,
            "x",
            reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("a", callback_data="y" * 65)]]
            ),
        )
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(person.chat_id, "1 < 2 & <x>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(999, "x")
    sent = await bot.send_message(person.chat_id, "sama")
    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await bot.edit_message_text("sama", person.chat_id, sent.message_id)


async def test_documents_round_trip(sim: BotApiSimulator, bot: Bot) -> None:
    person = sim.person("Dodi")
    await bot.send_document(person.chat_id, b"PK\x03\x04data", filename="laporan.xlsx")
    assert person.last is not None and person.last.document is not None
    assert person.last.document.data == b"PK\x03\x04data"
    await person.upload("isi.xlsx", b"filled-bytes")
    update = (await bot.get_updates(timeout=0))[-1]
    assert update.message is not None and update.message.document is not None
    telegram_file = await update.message.document.get_file()
    assert bytes(await telegram_file.download_as_bytearray()) == b"filled-bytes"


async def test_unknown_methods_are_404_and_recorded(sim: BotApiSimulator) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{sim.base_url}{TOKEN}/sendDice", data={"chat_id": 1})
    assert response.status_code == 404
    assert sim.unknown_methods == ["sendDice"]


async def test_injected_faults(sim: BotApiSimulator, bot: Bot) -> None:
    person = sim.person("Eka")
    sim.faults.add(Fault("429", method="sendMessage", count=1, retry_after=3))
    with pytest.raises(RetryAfter) as retry:
        await bot.send_message(person.chat_id, "a")
    assert retry.value.retry_after in (3, __import__("datetime").timedelta(seconds=3))
    sim.faults.add(Fault("500", method="sendMessage", count=1))
    with pytest.raises(NetworkError):
        await bot.send_message(person.chat_id, "b")
    sim.faults.add(Fault("timeout_after", method="sendMessage", count=1, delay=1.5))
    with pytest.raises(TimedOut):
        await bot.send_message(person.chat_id, "c")
    assert [m.text for m in person.messages] == ["c"]  # delivered although the client timed out
    sim.faults.add(Fault("drop", method="sendMessage", count=1))
    with pytest.raises(NetworkError):
        await bot.send_message(person.chat_id, "d")
    person.blocked = True
    with pytest.raises(Forbidden):
        await bot.send_message(person.chat_id, "e")
    assert sim.faults.injected == {"429": 1, "500": 1, "timeout_after": 1, "drop": 1}


async def test_wait_for_is_bounded(sim: BotApiSimulator) -> None:
    person = sim.person("Fajar")
    with pytest.raises(TimeoutError):
        await person.wait_for_text("tidak akan datang", timeout=0.2)


async def test_html_is_checked_as_telegram_checks_it(sim: BotApiSimulator, bot: Bot) -> None:
    """Tags without their required attributes, stray markup in captions and edits: 400."""
    person = sim.person("Eka")
    for bad in ("<span>x</span>", "<a>x</a>", '<b class="x">y</b>', "a > b", "<b>x"):
        with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
            await bot.send_message(person.chat_id, bad, parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_document(
            person.chat_id, b"PK", filename="a.xlsx", caption="P&K", parse_mode="HTML"
        )
    sent = await bot.send_message(
        person.chat_id,
        '<span class="tg-spoiler">a</span> <a href="https://t.me/x">b</a> &lt;c&gt;',
        parse_mode="HTML",
    )
    assert sent.text == "a b <c>"
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.edit_message_text("<i>x", person.chat_id, sent.message_id, parse_mode="HTML")
