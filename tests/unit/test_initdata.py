"""Telegram's Mini App launch data: checked as Telegram specifies (bot/web/initdata.py)."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, quote, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.web.initdata import (
    MAX_AGE,
    InitDataError,
    check_string,
    launch_fields,
    secret_key,
    sign,
    validate,
)

TOKEN = "123456:TEST-TOKEN-abcdefghijklmnopqrstuvwxyz"
OTHER_TOKEN = "654321:OTHER-TOKEN-abcdefghijklmnopqrstuvwxyz"
NOW = datetime(2026, 10, 5, 2, 0, tzinfo=UTC)


def signed(at: datetime = NOW, token: str = TOKEN, **extra: str) -> str:
    return sign({**launch_fields(777, "Budi", at, "budi"), **extra}, token)


def by_hand(fields: dict[str, str], token: str) -> str:
    """The recipe of Telegram's documentation, written out independently of the module."""
    key = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    text = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def test_a_fresh_launch_is_accepted_with_its_person() -> None:
    launch = validate(signed(), TOKEN, NOW + timedelta(minutes=3))
    assert launch.telegram_id == 777
    assert launch.full_name == "Budi"
    assert launch.username == "budi"


def test_the_signature_follows_the_documented_recipe() -> None:
    fields = launch_fields(42, "Siti", NOW)
    given_hash = dict(parse_qsl(sign(fields, TOKEN)))["hash"]
    assert given_hash == by_hand(fields, TOKEN)
    assert secret_key(TOKEN) == hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    assert check_string({"b": "2", "a": "1", "hash": "x"}) == "a=1\nb=2"


def test_launch_data_signed_by_hand_like_telegram_is_accepted() -> None:
    user = json.dumps({"id": 5, "first_name": "Ani", "last_name": "Lestari"})
    fields = {"auth_date": str(int(NOW.timestamp())), "query_id": "AAE", "user": user}
    init_data = urlencode({**fields, "hash": by_hand(fields, TOKEN)}, quote_via=quote)
    launch = validate(init_data, TOKEN, NOW)
    assert (launch.telegram_id, launch.full_name, launch.username) == (5, "Ani Lestari", None)


@pytest.mark.parametrize(
    "init_data",
    [
        "",
        "hash=",
        "user=%7B%22id%22%3A1%7D",
        "not a query string",
        "a=1&&b",
        "x" * 5000,
    ],
)
def test_malformed_launch_data_is_refused(init_data: str) -> None:
    with pytest.raises(InitDataError):
        validate(init_data, TOKEN, NOW)


def test_another_bots_launch_data_is_refused() -> None:
    with pytest.raises(InitDataError, match="hash"):
        validate(signed(token=OTHER_TOKEN), TOKEN, NOW)


def test_an_edited_user_is_refused() -> None:
    fields = dict(parse_qsl(signed()))
    fields["user"] = fields["user"].replace("777", "778")
    with pytest.raises(InitDataError, match="hash"):
        validate(urlencode(fields), TOKEN, NOW)


def test_an_added_field_is_refused() -> None:
    with pytest.raises(InitDataError, match="hash"):
        validate(signed() + "&start_param=x", TOKEN, NOW)


def test_a_field_given_twice_is_refused() -> None:
    init_data = signed()
    user = dict(parse_qsl(init_data))["user"]
    with pytest.raises(InitDataError, match="twice"):
        validate(init_data + "&" + urlencode({"user": user}), TOKEN, NOW)


def test_a_day_old_launch_is_refused_and_one_just_younger_accepted() -> None:
    at = NOW - MAX_AGE
    assert validate(signed(at=at), TOKEN, NOW).telegram_id == 777
    with pytest.raises(InitDataError, match="expired"):
        validate(signed(at=at - timedelta(seconds=1)), TOKEN, NOW)


def test_a_launch_from_the_future_is_refused() -> None:
    with pytest.raises(InitDataError, match="future"):
        validate(signed(at=NOW + timedelta(hours=1)), TOKEN, NOW)


@pytest.mark.parametrize(
    "user",
    ['{"first_name": "X"}', '{"id": "7"}', '{"id": true}', '{"id": -3}', "[1]", "{"],
)
def test_a_signed_launch_without_a_user_id_is_refused(user: str) -> None:
    fields = {"auth_date": str(int(NOW.timestamp())), "user": user}
    with pytest.raises(InitDataError):
        validate(sign(fields, TOKEN), TOKEN, NOW)


def test_an_uppercase_or_short_hash_is_refused() -> None:
    fields = dict(parse_qsl(signed()))
    for bad in (fields["hash"].upper(), fields["hash"][:-1]):
        with pytest.raises(InitDataError):
            validate(urlencode({**fields, "hash": bad}), TOKEN, NOW)


@given(
    name=st.text(min_size=1, max_size=40),
    telegram_id=st.integers(min_value=1, max_value=2**52),
    age=st.integers(min_value=0, max_value=int(MAX_AGE.total_seconds())),
)
def test_any_genuine_launch_round_trips(name: str, telegram_id: int, age: int) -> None:
    at = NOW - timedelta(seconds=age)
    launch = validate(sign(launch_fields(telegram_id, name, at), TOKEN), TOKEN, NOW)
    assert launch.telegram_id == telegram_id


@given(position=st.integers(min_value=0, max_value=400), char=st.sampled_from("a0%=&Z"))
def test_any_single_character_changed_is_refused_or_changes_nothing(
    position: int, char: str
) -> None:
    original = signed()
    position %= len(original)
    tampered = original[:position] + char + original[position + 1 :]
    try:
        launch = validate(tampered, TOKEN, NOW)
    except InitDataError:
        return
    # Only an edit that decodes to the same fields (e.g. "%7B" for "{") may pass.
    assert dict(parse_qsl(tampered)) == dict(parse_qsl(original))
    assert launch.telegram_id == 777
