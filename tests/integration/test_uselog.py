"""One log line per use case, from the unit of work: who (person id and roles), what, which
period and unit, and the outcome; never the texts officials type."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.services.quarter import reminders, status
from tests.integration.office import Office, set_up_agency

NOTE = "Kendala RAHASIA-NOTE di lapangan"
REASON = "Angka RAHASIA-REASON perlu diperiksa"


@pytest.fixture
async def office(tmp_path: Path) -> AsyncIterator[Office]:
    office = await Office.create(tmp_path / "kinerja.sqlite3")
    yield office
    await office.close()


def lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "bot.usecase"]


async def test_one_line_per_use_case_with_who_what_where_and_outcome(
    office: Office, caplog: pytest.LogCaptureFixture
) -> None:
    p = await set_up_agency(office)
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    first_update = next(office.update_ids)
    await p["kasubag"].send("/buka_periode")
    await p["kasubag"].tap("Triwulan I 2026")
    await p["sekretaris"].tap("Setujui")
    await p["op_pel"].send("/isi")
    for answer in ("25", "9", "Rp 1.000.000", NOTE, "-", "-", "-", "-"):
        await p["op_pel"].send(answer)
    await p["op_pel"].tap("Kirim ke Kepala Bidang")
    await p["kabid_pel"].tap("Minta revisi")
    await p["kabid_pel"].send(REASON)
    last_update = next(office.update_ids) - 1

    records = lines(caplog)
    by_update: dict[int, list[str]] = {}
    for record in records:
        match = re.match(r"update (\d+) ", record.getMessage())
        if match:
            by_update.setdefault(int(match.group(1)), []).append(record.getMessage())
    # every update a person sent: exactly one line, at INFO
    assert sorted(by_update) == list(range(first_update + 1, last_update + 1))
    assert all(len(found) == 1 for found in by_update.values())
    assert all(r.levelno == logging.INFO for r in records)

    text = "\n".join(r.getMessage() for r in records)
    kabid_id = await _person_id(office, p["kabid_pel"].telegram_id)
    assert re.search(
        rf"use case review\.\w+ by person {kabid_id} \(kabid:pelatihan\), "
        r"period #1 Triwulan I 2026, unit pelatihan: no change",
        text,
    ), text
    assert re.search(
        rf"→ flow\.take_reason by person {kabid_id} \(kabid:pelatihan\), "
        r"period #1 Triwulan I 2026, unit pelatihan: unit_returned; \d+ message\(s\) queued",
        text,
    ), text
    assert "use case opening.approve by person" in text and "(sekretaris)" in text
    assert ": period_opened;" in text and ": unit_submitted;" in text
    assert "→ entry.answer by person" in text and "(operator:pelatihan)" in text
    # what officials typed never reaches the log at INFO
    for record in caplog.records:
        if record.levelno >= logging.INFO:
            message = record.getMessage()
            assert "RAHASIA" not in message, message


async def test_the_bots_own_jobs_log_at_info_only_when_they_change_something(
    office: Office, caplog: pytest.LogCaptureFixture
) -> None:
    await set_up_agency(office)
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    assert await reminders.check(office.core) == 0
    quiet = lines(caplog)
    assert len(quiet) == 1 and quiet[0].levelno == logging.DEBUG
    assert "use case reminders.check by system" in quiet[0].getMessage()


async def test_a_refused_redelivery_and_a_failure_are_logged_too(
    office: Office, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.services.core import AlreadyHandled, Origin

    p = await set_up_agency(office)
    caplog.set_level(logging.INFO)
    caplog.clear()
    origin = Origin(p["op_pel"].telegram_id, p["op_pel"].telegram_id, 999)
    async with office.core.work(origin):
        pass
    with pytest.raises(AlreadyHandled):
        async with office.core.work(origin):
            pass
    with pytest.raises(ZeroDivisionError):
        async with office.core.work(Origin(5, 5, 1000)):
            _ = 1 / 0
    await status.status(office.core, Origin(5, 5, 1001))
    messages = [r.getMessage() for r in lines(caplog)]
    assert len(messages) == 4
    assert "already handled" in messages[1]
    assert messages[2].endswith("failed (ZeroDivisionError)")
    assert "use case status.status by telegram 5 (not registered)" in messages[3]
    assert messages[3].endswith("refused (not registered); 1 message(s) queued")


async def _person_id(office: Office, telegram_id: int) -> int:
    from storage import org

    async with office.core.db.reading() as conn:
        person = await org.person_by_telegram(conn, telegram_id)
    assert person is not None
    return person.id
