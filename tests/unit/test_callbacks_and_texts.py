"""The callback codec and the message splitter: the two places Telegram's limits bite."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.callbacks import MAX_BYTES, Cb, decode, encode
from bot.texts.common import MAX_MESSAGE_UTF16, esc, split_message, utf16_len

FIELD = st.from_regex(r"[a-z0-9_]{1,12}", fullmatch=True)


@given(st.sampled_from(list(Cb)), st.lists(FIELD, max_size=3))
def test_codec_round_trips(kind: Cb, fields: list[str]) -> None:
    data = encode(kind, *fields)
    assert len(data.encode()) <= MAX_BYTES
    decoded = decode(data)
    assert decoded is not None
    assert decoded.kind is kind and list(decoded.fields) == fields


@given(st.text(max_size=80))
def test_decode_never_raises_on_anything(data: str) -> None:
    decoded = decode(data)
    if decoded is not None:
        assert len(data.encode()) <= MAX_BYTES


@pytest.mark.parametrize(
    "data",
    [
        "",
        "zz:1",
        "ua",
        "ua:1:2:" + "9" * 70,
        "ua:1;DROP",
        "ua:-1:2",
        "ua:1:2:ÿ",
        "UA:1:2",
    ],
)
def test_malformed_callback_data_is_rejected(data: str) -> None:
    decoded = decode(data)
    assert decoded is None or (decoded.kind is Cb.UNIT_APPROVE and decoded.fields == ())


def test_encode_refuses_what_telegram_would_refuse() -> None:
    with pytest.raises(ValueError):
        encode(Cb.UNIT_APPROVE, "x" * 70)
    with pytest.raises(ValueError):
        encode(Cb.UNIT_APPROVE, "a:b")


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20000))
def test_split_keeps_every_part_within_the_limit_and_loses_nothing(text: str) -> None:
    parts = split_message(text)
    assert all(utf16_len(part) <= MAX_MESSAGE_UTF16 for part in parts)
    assert "".join(parts).replace("\n", "") == text.replace("\n", "")


def test_a_heading_is_not_left_at_the_foot_of_a_part() -> None:
    """ "Perlu ditinjau sebelum dikirim:" went out alone at the end of one message, its list in
    the next (the coordinator's step 4 message in the demo)."""
    above = "\n".join(f"• baris {n} " + "x" * 80 for n in range(40))
    below = "\n".join(f"• butir {n}" for n in range(5))
    heading = "<b>Perlu ditinjau sebelum dikirim:</b>"
    text = f"{above}\n{heading}\n{below}"
    # the heading would just fit below the first part, its first item not
    limit = utf16_len(f"{above}\n{heading}") + 3
    parts = split_message(text, limit)
    assert parts[0] == above
    assert parts[1].startswith(f"{heading}\n• butir 0")
    assert "\n".join(parts) == text


@given(
    st.lists(
        st.text(alphabet="ab: ", min_size=1, max_size=30).filter(lambda s: s.strip()),
        max_size=60,
    ),
    st.integers(35, 120),
)
def test_split_on_lines_loses_nothing_and_keeps_the_limit(lines: list[str], limit: int) -> None:
    text = "\n".join(lines)
    parts = split_message(text, limit)
    assert all(utf16_len(part) <= limit for part in parts)
    assert "\n".join(parts) == text
    assert all(part.strip() for part in parts) or not text.strip()


def test_escape_neutralises_html() -> None:
    assert esc("<b>&") == "&lt;b&gt;&amp;"


def test_emoji_count_as_two_utf16_units() -> None:
    assert utf16_len("😀") == 2
    parts = split_message("😀" * 5000)
    assert all(utf16_len(p) <= MAX_MESSAGE_UTF16 for p in parts)


def test_every_button_kind_has_an_arity_and_a_route() -> None:
    """A kind without its arity is refused by the running bot's decoder (a crash, not a
    button): every kind is declared in both places."""
    from bot.callbacks import ARITY
    from handlers.buttons import ROUTES

    assert set(ARITY) == set(Cb) == set(ROUTES)
