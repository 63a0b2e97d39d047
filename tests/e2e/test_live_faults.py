"""Faults a live bot meets, through the simulator: a database locked by another process, a
second poller and a webhook (409), a group upgraded to a supergroup, a stop while sends are
slow, a failing cosmetic call at start-up, and an update python-telegram-bot cannot parse."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable

import pytest

from bot.model import Role
from bot.sim import Fault
from storage import health, outbox
from tests.e2e.conftest import Harness
from tests.e2e.test_outbox import queue_texts, wait_delivered


async def until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Wait (bounded) until ``condition()`` holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        await asyncio.sleep(0.05)


def logged(caplog: pytest.LogCaptureFixture, fragment: str) -> Callable[[], bool]:
    return lambda: any(fragment in r.getMessage() for r in caplog.records)


def texts_of(messages: list[object]) -> list[str]:
    return [m.plain_text for m in messages]  # type: ignore[attr-defined]


def write_lock(path: object) -> sqlite3.Connection:
    """Another process's connection holding SQLite's write lock (until closed)."""
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=10)
    conn.execute("BEGIN IMMEDIATE")
    return conn


async def short_busy_timeout(h: Harness) -> None:
    """The bot gives up on a lock after 200 ms here (10 s in production): a lock held past it."""
    assert h.runtime is not None
    await h.runtime.db.conn.execute("PRAGMA busy_timeout = 200")


async def test_a_locked_database_delays_an_update_and_loses_nothing(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    person = harness.sim.person("Rina")
    await harness.join(person, Role.OPERATOR, "pelatihan")
    await short_busy_timeout(harness)
    lock = write_lock(harness.db_path)
    try:
        update_id = await person.send("/bantuan")
        await until(logged(caplog, "locked by another process"), 10, "the busy database met")
        assert not [m for m in person.messages if "Bantuan" in m.plain_text]
    finally:
        lock.rollback()
        lock.close()
    await person.wait_for_text("Bantuan", timeout=15)
    assert harness.runtime is not None
    async with harness.runtime.db.reading() as conn:
        cur = await conn.execute(
            "SELECT COUNT(*) FROM processed_updates WHERE update_id = ?", (update_id,)
        )
        assert (await cur.fetchone())[0] == 1
    assert len([m for m in person.messages if "Bantuan" in m.plain_text]) == 1
    assert not [m for m in person.messages if "terjadi kesalahan" in m.plain_text]
    assert not logged(caplog, "failed")()


async def test_a_locked_database_after_a_send_does_not_send_it_twice(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    person = harness.sim.person("Rina")
    await harness.join(person, Role.OPERATOR, "pelatihan")
    await short_busy_timeout(harness)
    # The send is slow: the lock is taken while Telegram holds it, so its record must wait.
    harness.sim.faults.add(Fault("slow", method="sendmessage", count=1, delay=1.0))
    await queue_texts(harness, person.chat_id, ["pesan terkunci"])
    assert harness.runtime is not None
    harness.runtime.sender.wake()
    await until(lambda: harness.sim.faults.injected["slow"] == 1, 10, "the slow send began")
    lock = write_lock(harness.db_path)
    try:
        await person.wait_for_text("pesan terkunci", timeout=10)
        await until(logged(caplog, "outbox: the database is locked"), 10, "the record waited")
    finally:
        lock.rollback()
        lock.close()
    await wait_delivered(harness)
    await asyncio.sleep(0)
    assert texts_of(person.messages).count("pesan terkunci") == 1


async def test_start_up_deletes_a_webhook_keeping_pending_updates(harness: Harness) -> None:
    person = harness.sim.person("Rina")
    await harness.join(person, Role.OPERATOR, "pelatihan")
    await harness.stop()
    conflicts = harness.sim.conflicts  # a long poll the stop cut short was answered 409
    harness.sim.set_webhook("https://example.invalid/hook")
    await person.send("/bantuan")  # arrives while the bot is down
    await harness.start()
    await person.wait_for_text("Bantuan", timeout=15)
    assert harness.sim.webhook_deletes == [False, False]  # one per start, keeping updates
    methods = [c.method for c in harness.sim.calls]
    restart = len(methods) - 1 - methods[::-1].index("getme")
    after = methods[restart:]
    assert after.index("deletewebhook") < after.index("getupdates")
    assert harness.sim.conflicts == conflicts  # deleted before the first poll: no 409


async def test_a_second_poller_is_logged_and_waited_out(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    person = harness.sim.person("Rina")
    await harness.join(person, Role.OPERATOR, "pelatihan")
    harness.sim.rival(True)
    await until(lambda: harness.sim.conflicts >= 2, 15, "two conflicts")
    await until(logged(caplog, "another instance is polling this token"), 15, "logged")
    await person.send("/bantuan")
    harness.sim.rival(False)
    await person.wait_for_text("Bantuan", timeout=20)  # the pump lived through the conflicts


async def test_a_webhook_set_while_running_is_deleted_and_polling_goes_on(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    person = harness.sim.person("Rina")
    await harness.join(person, Role.OPERATOR, "pelatihan")
    harness.sim.set_webhook("https://example.invalid/hook")
    await until(logged(caplog, "a webhook is set on this token"), 15, "the 409 met")
    await person.send("/bantuan")
    await person.wait_for_text("Bantuan", timeout=20)
    assert harness.sim.webhook_deletes[-1] is False


async def test_a_group_upgraded_to_a_supergroup_moves_and_gets_its_message(
    harness: Harness,
) -> None:
    admin = harness.sim.person("Admin")
    await harness.join(admin, Role.KASUBAG_KPEP, admin_=True)
    group = harness.sim.group("Dinas Tenaga Kerja")
    old_id = group.chat_id
    await harness.stop()
    await admin.send_in(group, "/daftarkan_grup")  # from the old group, just before the upgrade
    new_id = harness.sim.migrate_group(group, announce=False)  # learnt from the refusal
    await harness.start()
    await group.wait_for_text("terdaftar", timeout=15)
    assert harness.runtime is not None
    async with harness.runtime.db.reading() as conn:
        cur = await conn.execute("SELECT chat_id FROM group_chats WHERE active = 1")
        assert [r[0] for r in await cur.fetchall()] == [new_id]
        cur = await conn.execute(
            "SELECT detail FROM audit_log WHERE action = 'group_migrated' AND entity_id = ?",
            (str(new_id),),
        )
        rows = await cur.fetchall()
        assert len(rows) == 1 and str(old_id) in rows[0][0]
        counts = await outbox.status_counts(conn)
    assert counts.get("failed", 0) == 0
    refused = [c for c in harness.sim.calls if c.status == 400 and "upgraded" in (c.error or "")]
    assert len(refused) == 1  # moved once, not retried for ever


async def test_a_stop_while_sends_are_slow_sends_nothing_twice(harness: Harness) -> None:
    person = harness.sim.person("Rina")
    await harness.join(person, Role.OPERATOR, "pelatihan")
    expected = [f"pesan lambat {n}" for n in range(5)]
    harness.sim.faults.add(Fault("slow", method="sendmessage", delay=0.8))
    await queue_texts(harness, person.chat_id, expected)
    assert harness.runtime is not None
    harness.runtime.sender.wake()
    await until(lambda: harness.sim.faults.injected["slow"] >= 1, 10, "slow sends began")
    await harness.stop()  # flushes for up to 3 s while each send takes 0.8 s
    harness.sim.faults.clear()
    await harness.start()
    await wait_delivered(harness)
    got = [t for t in texts_of(person.messages) if t.startswith("pesan lambat")]
    assert got == expected


async def test_a_failed_command_menu_is_retried_and_not_fatal(harness: Harness) -> None:
    person = harness.sim.person("Rina")
    await harness.join(person, Role.OPERATOR, "pelatihan")
    await harness.stop()
    harness.sim.commands = []
    harness.sim.faults.add(Fault("500", method="setmycommands", count=2))
    await harness.start()
    await person.send("/bantuan")
    await person.wait_for_text("Bantuan", timeout=15)
    await until(lambda: bool(harness.sim.commands), 15, "the command menu set on a retry")
    assert harness.sim.faults.injected["500"] == 2


async def test_an_unparseable_update_is_set_aside_and_polling_goes_on(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)  # DEBUG shows every request and answer, names included
    person = harness.sim.person("Rahasia", last_name="Pribadi")
    await harness.join(person, Role.OPERATOR, "pelatihan")
    bad = harness.sim.push_unparseable(person, "isi pesan yang pribadi")
    await person.send("/bantuan")
    await person.wait_for_text("Bantuan", timeout=15)
    assert harness.runtime is not None
    async with harness.runtime.db.reading() as conn:
        parked = await health.parked(conn)
        cur = await conn.execute("SELECT 1 FROM processed_updates WHERE update_id = ?", (bad,))
        assert await cur.fetchone() is not None
    assert [p.update_id for p in parked] == [bad]
    assert parked[0].payload["message"]["text"] == "isi pesan yang pribadi"
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert f"update {bad}" in text and "set aside" in text
    assert "Rahasia" not in text and "pribadi" not in text
    # confirmed: a restart does not meet it again
    await harness.restart()
    await person.send("/bantuan")
    await until(
        lambda: len([m for m in person.messages if "Bantuan" in m.plain_text]) == 2,
        15,
        "a second answer",
    )
    assert harness.runtime.pump.parked == 0


async def test_a_token_revoked_while_running_stops_the_bot(harness: Harness) -> None:
    from telegram.error import InvalidToken

    assert harness.runtime is not None
    harness.sim.revoke_token()
    with pytest.raises(InvalidToken):
        await asyncio.wait_for(harness.runtime.wait(), 15)


async def test_telegrams_notice_of_an_upgrade_moves_the_group_before_any_send(
    harness: Harness,
) -> None:
    admin = harness.sim.person("Admin")
    await harness.join(admin, Role.KASUBAG_KPEP, admin_=True)
    group = harness.sim.group("Dinas Tenaga Kerja")
    await admin.send_in(group, "/daftarkan_grup")
    await group.wait_for_text("terdaftar")
    old_id = group.chat_id
    before = len(harness.sim.calls)
    new_id = harness.sim.migrate_group(group)  # with Telegram's two service messages
    await admin.send_in(group, "/bantuan")  # from the supergroup, after the notices
    await group.wait_for_text("percakapan pribadi", timeout=15)
    assert harness.runtime is not None
    async with harness.runtime.db.reading() as conn:
        cur = await conn.execute("SELECT chat_id FROM group_chats WHERE active = 1")
        assert [r[0] for r in await cur.fetchall()] == [new_id]
        cur = await conn.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'group_migrated'")
        assert (await cur.fetchone())[0] == 1  # the second notice finds nothing left to move
    later = harness.sim.calls[before:]
    assert not [c for c in later if c.params.get("chat_id") in (old_id, str(old_id))]
