"""The outbox under Telegram's faults: everything arrives, in order, nothing for ever retried."""

from __future__ import annotations

import asyncio

import pytest

from bot.model import Role
from bot.sim import Fault
from bot.workflow import Grant
from storage import org, outbox
from tests.e2e.conftest import Harness


async def queue_texts(h: Harness, chat_id: int, texts: list[str]) -> None:
    assert h.runtime is not None
    async with h.runtime.core.work(None) as work:
        for text in texts:
            await work.say(chat_id, text)


async def wait_delivered(h: Harness, timeout: float = 20) -> None:
    assert h.runtime is not None
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        async with h.runtime.db.reading() as conn:
            if not await outbox.pending(conn, limit=1):
                return
        await asyncio.sleep(0.05)
    raise AssertionError("outbox not drained")


async def test_retries_honour_429_and_back_off_on_5xx_timeouts_and_drops(harness: Harness) -> None:
    person = harness.sim.person("Rina")
    await harness.join(person, Role.OPERATOR, "pelatihan")
    harness.sim.faults.add(Fault("429", method="sendMessage", count=2, retry_after=1))
    harness.sim.faults.add(Fault("500", method="sendMessage", count=1))
    harness.sim.faults.add(Fault("502", method="sendMessage", count=1))
    harness.sim.faults.add(Fault("drop", method="sendMessage", count=1))
    expected = [f"pesan {n}" for n in range(6)]
    await queue_texts(harness, person.chat_id, expected)
    await wait_delivered(harness)
    received = [m.text for m in person.messages if m.text.startswith("pesan")]
    assert received == expected  # all of them, in order, once each
    assert harness.sim.faults.injected["429"] == 2


@pytest.mark.paced
async def test_the_production_setup_paces_calls_and_still_retries(harness: Harness) -> None:
    """With PTB's rate limiter (on by default in production) in front of the transport, a
    429 still reaches the outbox, which waits as told and delivers everything in order."""
    await harness.stop()
    harness.rate_limit = True
    await harness.start()
    person = harness.sim.person("Rina")
    await harness.join(person, Role.OPERATOR, "pelatihan")
    harness.sim.faults.add(Fault("429", method="sendMessage", count=1, retry_after=1))
    harness.sim.faults.add(Fault("drop", method="sendMessage", count=1))
    expected = [f"pesan {n}" for n in range(5)]
    await queue_texts(harness, person.chat_id, expected)
    await wait_delivered(harness)
    assert [m.text for m in person.messages if m.text.startswith("pesan")] == expected
    assert harness.sim.faults.injected == {"429": 1, "drop": 1}
    await person.send("/bantuan")
    await person.wait_for_text("Bantuan", timeout=10)


async def test_an_ambiguous_timeout_is_retried_and_counted(harness: Harness) -> None:
    person = harness.sim.person("Tono")
    await harness.join(person, Role.OPERATOR, "pelatihan")
    harness.sim.faults.add(Fault("timeout_after", method="sendMessage", count=1, delay=6))
    await queue_texts(harness, person.chat_id, ["satu", "dua"])
    await wait_delivered(harness, timeout=30)
    received = [m.text for m in person.messages if m.text in ("satu", "dua")]
    assert received[0] == "satu" and received[-1] == "dua"
    assert received.count("satu") <= 2 and received.count("dua") == 1
    assert harness.runtime is not None
    async with (
        harness.runtime.db.reading() as conn,
        conn.execute("SELECT COUNT(*) FROM outbox WHERE maybe_sent = 1") as cur,
    ):
        assert (await cur.fetchone())[0] == 1  # the duplicate risk is recorded


async def test_a_person_who_blocked_the_bot_is_reported_not_retried(harness: Harness) -> None:
    coordinator = harness.sim.person("Sri")
    await harness.join(coordinator, Role.KASUBAG_KPEP, admin_=True)
    person = harness.sim.person("Eko")
    await harness.join(person, Role.OPERATOR, "penempatan")
    person.blocked = True
    await queue_texts(harness, person.chat_id, ["a", "b", "c"])
    await coordinator.wait_for_text("memblokir bot", timeout=10)
    await wait_delivered(harness)
    attempts = [c for c in harness.sim.calls if c.method == "sendmessage" and c.status == 403]
    assert len(attempts) == 1
    assert harness.runtime is not None
    async with harness.runtime.db.reading() as conn:
        blocked = await org.person_by_telegram(conn, person.chat_id)
        assert blocked is not None and blocked.blocked
        holders = await org.holders(
            conn, Grant(Role.OPERATOR, "penempatan"), harness.runtime.core.now()
        )
    assert holders  # still a member; only unreachable until they write again


async def test_queued_messages_survive_a_restart(harness: Harness) -> None:
    person = harness.sim.person("Dewi")
    await harness.join(person, Role.OPERATOR, "pelatihan")
    assert harness.runtime is not None
    runtime = harness.runtime
    runtime.sender.stop()  # the sender is down: messages stay queued
    await asyncio.sleep(0.1)
    await queue_texts(harness, person.chat_id, ["tersimpan 1", "tersimpan 2"])
    await harness.restart()
    await person.wait_for_text("tersimpan 2", timeout=10, since=0)
    assert [m.text for m in person.messages if m.text.startswith("tersimpan")] == [
        "tersimpan 1",
        "tersimpan 2",
    ]


async def test_cleared_buttons_stay_with_their_message_and_a_new_request_keeps_its_own(
    harness: Harness,
) -> None:
    """A request answered and sent again with the same tag (a return, say): the old message
    loses its buttons, the new one keeps them, whichever is delivered first."""
    assert harness.runtime is not None
    kabid, other = harness.sim.person("Joko"), harness.sim.person("Dewi")
    await harness.join(kabid, Role.KABID, "pelatihan")
    await harness.join(other, Role.KABID, "penempatan")
    buttons = [[("Setujui", "x:1")]]
    harness.sim.faults.add(Fault("500", method="sendMessage", chat_id=kabid.chat_id, count=3))
    async with harness.runtime.core.work(None) as work:
        await work.say(kabid.chat_id, "permintaan 1", buttons, tag="review:1")
        await work.say(other.chat_id, "permintaan lain", buttons, tag="review:2")
    async with harness.runtime.core.work(None) as work:
        await work.clear_buttons("review:1", "Disetujui")
        await work.say(kabid.chat_id, "permintaan 2", buttons, tag="review:1")
    await wait_delivered(harness)
    seen = {m.plain_text.split("\n")[0]: m for m in kabid.messages if "permintaan" in m.text}
    assert seen["permintaan 1"].buttons == [] and "Disetujui" in seen["permintaan 1"].text
    assert seen["permintaan 2"].buttons == [["Setujui"]]
    # The other chat's request was not held back by the first chat's stalled queue.
    assert other.messages[-1].buttons == [["Setujui"]]
