"""The small parts behind the live-fault handling: what counts as a busy database, which
TELEGRAM_API_URL is accepted, how a start-up failure is told, and a check's line."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from telegram.error import InvalidToken, NetworkError

from bot.health import Check
from bot.serve import startup_reason as _startup_reason
from bot.serve import valid_url as _valid_url
from storage.db import is_busy

TOKEN = "123456:TEST-TOKEN-abcdefghijklmnopqrstuvwxyz"


def test_a_lock_held_elsewhere_is_busy_and_other_errors_are_not(tmp_path: Path) -> None:
    path = tmp_path / "k.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        try:
            other.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            assert is_busy(exc)
        else:
            raise AssertionError("the lock was not held")
        try:
            other.execute("SELECT * FROM missing")
        except sqlite3.OperationalError as exc:
            assert not is_busy(exc)
    finally:
        other.close()
        holder.rollback()
        holder.close()
    assert not is_busy(RuntimeError("database is locked"))
    assert not is_busy(None)


def test_only_http_urls_with_a_host_are_accepted() -> None:
    assert _valid_url("https://api.telegram.org/bot")
    assert _valid_url("http://127.0.0.1:8081/bot")
    for bad in ("htp://x/bot", "http://x:port/bot", "http:///bot", "/bot", "http://a b/bot", ""):
        assert not _valid_url(bad), bad


@given(st.text(max_size=60))
def test_any_text_is_judged_without_raising(text: str) -> None:
    assert _valid_url(text) in (True, False)


def test_a_start_up_failure_is_one_line_without_the_token() -> None:
    refused = _startup_reason(InvalidToken("Unauthorized"), TOKEN)
    assert "401" in refused
    unreachable = _startup_reason(
        NetworkError(f"aiohttp.InvalidURL: http://x/bot{TOKEN}/getMe\nsecond line"), TOKEN
    )
    assert "cannot be reached" in unreachable and "<token>" in unreachable
    for reason in (refused, unreachable, _startup_reason(TimeoutError(), TOKEN)):
        assert "\n" not in reason and TOKEN not in reason


def test_a_check_prints_one_aligned_line() -> None:
    assert Check("poll", True, "last successful poll 3 s ago").line() == (
        "ok     poll: last successful poll 3 s ago"
    )
    assert Check("token", False, "x").line().startswith("GAGAL  token: ")
