"""The per-chat limit model (bot/pacing.py) that the sender keeps and the simulator enforces."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.pacing import GROUP, PRIVATE, SENDER_MARGIN, ChatPace, limit_for


def sent_at(pace: ChatPace, chat: int, count: int, start: float = 0.0) -> list[float]:
    """When ``count`` messages queued at ``start`` go out, each as soon as the pace allows."""
    times, now = [], start
    for _ in range(count):
        now += pace.wait(chat, now)
        pace.take(chat, now)
        times.append(now)
    return times


def test_a_private_chat_takes_a_burst_of_three_then_one_a_second() -> None:
    assert limit_for(42) is PRIVATE and limit_for(-100123) is GROUP
    assert sent_at(ChatPace(), 42, 6) == [0.0, 0.0, 0.0, 1.0, 2.0, 3.0]


def test_a_group_never_gets_more_than_20_in_any_minute() -> None:
    times = sent_at(ChatPace(), -1001, 60)
    assert times[:3] == [0.0, 0.0, 0.0]
    assert max(sum(1 for t in times if start <= t < start + 60) for start in times) == 20


def test_chats_are_paced_apart() -> None:
    pace = ChatPace()
    sent_at(pace, 1, 3)
    assert pace.wait(1, 0.0) == 1.0
    assert pace.wait(2, 0.0) == 0.0  # another person is not held back by the first one's burst


def test_a_quiet_chat_may_burst_again() -> None:
    pace = ChatPace()
    sent_at(pace, 7, 5)
    assert sent_at(pace, 7, 3, start=10.0) == [10.0, 10.0, 10.0]


def test_allow_refuses_with_the_wait_and_counts_nothing() -> None:
    pace = ChatPace()
    assert [pace.allow(5, 0.0) for _ in range(4)] == [0.0, 0.0, 0.0, 1.0]
    assert pace.allow(5, 0.5) == 0.5
    assert pace.allow(5, 1.0) == 0.0


@given(
    st.lists(st.floats(min_value=0, max_value=0.14), min_size=1, max_size=30),
    st.sampled_from([42, -1001]),
)
def test_what_the_sender_sends_on_time_telegram_accepts_despite_transit_jitter(
    jitter: list[float], chat: int
) -> None:
    """The sender keeps a margin: its messages, each delayed in transit by up to 0,14 s,
    still conform to the limit where they arrive (the simulator's, as Telegram's)."""
    sent = sent_at(ChatPace(SENDER_MARGIN), chat, len(jitter))
    arrivals = sorted(t + d for t, d in zip(sent, jitter, strict=True))
    telegram = ChatPace()
    assert [telegram.allow(chat, t) for t in arrivals] == [0.0] * len(arrivals)


def test_memory_stays_bounded() -> None:
    pace = ChatPace()
    for chat in range(5000):
        pace.take(chat, float(chat))
    assert len(pace._next) <= 4096
