"""Chats paced as Telegram asks: the simulator refuses a burst to one person as Telegram does
(429 with ``retry_after``), and the bot in its production setup never provokes it."""

from __future__ import annotations

import pytest

from bot.model import Role
from bot.pacing import ChatPace
from tests.e2e.conftest import Harness
from tests.e2e.test_outbox import queue_texts, wait_delivered

# Each asserts the simulator refused nothing: run alone, where no other test takes the CPU.
pytestmark = pytest.mark.paced

BURST = [f"pesan {n}" for n in range(7)]


async def test_the_simulator_refuses_a_burst_to_one_person_as_telegram_does(
    harness: Harness,
) -> None:
    """Pacing off (KINERJA_RATE_LIMIT=0): the fourth message within a second is refused with
    a retry_after; the outbox waits as told and everything still arrives, in order."""
    harness.sim.limits = ChatPace()
    person = harness.sim.person("Rina")
    await harness.join(person, Role.OPERATOR, "pelatihan")
    await queue_texts(harness, person.chat_id, BURST)
    await wait_delivered(harness)
    assert [m.text for m in person.messages if m.text.startswith("pesan")] == BURST
    refused = harness.sim.refusals(429)
    assert refused and harness.sim.flooded[person.chat_id] == len(refused)
    assert all("retry after" in (call.error or "") for call in refused)


async def test_the_bot_paces_each_chat_and_provokes_no_429(harness: Harness) -> None:
    """Pacing on (the production setup): the same burst arrives a burst of 3 then about one
    a second, conforming where it arrives, and Telegram never has to refuse."""
    await harness.stop()
    harness.rate_limit = True
    harness.sim.limits = ChatPace()
    await harness.start()
    person, other = harness.sim.person("Rina"), harness.sim.person("Tono")
    await harness.join(person, Role.OPERATOR, "pelatihan")
    await harness.join(other, Role.OPERATOR, "penempatan")
    await queue_texts(harness, person.chat_id, BURST)
    await queue_texts(harness, other.chat_id, ["satu pesan"])
    await wait_delivered(harness)
    received = [m for m in person.messages if m.text.startswith("pesan")]
    assert [m.text for m in received] == BURST
    assert harness.sim.refusals(429) == [] and not harness.sim.flooded
    # 7 messages to one person: at least 4 paced seconds; another chat is not held back
    assert received[-1].sent_at - received[0].sent_at >= 4 * 0.95
    lone = next(m for m in other.messages if m.text == "satu pesan")
    assert lone.sent_at < received[-1].sent_at


async def test_a_restarted_bot_keeps_each_chats_pace(harness: Harness) -> None:
    """Telegram's count does not restart with the bot: the sender reads what it sent in the
    last minute back from the outbox, so a burst right after a restart is still paced."""
    await harness.stop()
    harness.rate_limit = True
    harness.sim.limits = ChatPace()
    await harness.start()
    person = harness.sim.person("Rina")
    await harness.join(person, Role.OPERATOR, "pelatihan")
    await queue_texts(harness, person.chat_id, BURST[:3])
    await wait_delivered(harness)
    await harness.restart()
    await queue_texts(harness, person.chat_id, BURST[3:])
    await wait_delivered(harness)
    assert [m.text for m in person.messages if m.text.startswith("pesan")] == BURST
    assert harness.sim.refusals(429) == []
