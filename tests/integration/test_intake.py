"""Documents are taken in at once and checked afterwards (``bot.services.files.uploads``,
``bot.background``): a large one is acknowledged, a fetch that keeps failing ends in a
request to send it again, and nothing is saved on the way."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram.error import NetworkError

from bot.background import MAX_FETCH_ATTEMPTS, Background
from bot.services.files import uploads
from bot.texts import upload as tu
from storage import intake
from tests.integration.office import Office, set_up_agency, take_document


@pytest.fixture
async def office(tmp_path: Path) -> AsyncIterator[Office]:
    office = await Office.create(tmp_path / "kinerja.sqlite3")
    try:
        yield office
    finally:
        await office.close()


async def test_a_large_file_is_acknowledged_before_its_check_answers(office: Office) -> None:
    p = await set_up_agency(office)
    op = p["op_pel"]
    op.cursor = await office.outbox_size()
    await take_document(office.core, op.origin(), "Formulir.xlsx", b"PK", 100_000)
    [answer] = [m.text for m in await op.new()]
    assert answer.startswith("❌ Berkas ditolak")  # two bytes are no workbook
    large = uploads.ACKNOWLEDGED_FROM_BYTES
    op.cursor = await office.outbox_size()
    await take_document(office.core, op.origin(), "Formulir besar.xlsx", b"PK", large)
    acknowledged, answer = [m.text for m in await op.new()]
    assert acknowledged.startswith("⏳ Berkas Formulir besar.xlsx diterima")
    assert answer.startswith("❌ Berkas ditolak")


async def test_a_file_that_cannot_be_fetched_is_asked_for_again(office: Office) -> None:
    p = await set_up_agency(office)
    op = p["op_pel"]
    op.cursor = await office.outbox_size()
    await uploads.received(office.core, op.origin(), "Formulir.xlsx", "file-1", 10_000)

    async def unreachable(_: str) -> bytes:
        raise NetworkError("Telegram is unreachable")

    background = Background(office.core, unreachable)
    for _ in range(MAX_FETCH_ATTEMPTS):
        async with office.core.db.transaction() as conn:  # due now, whatever the back-off
            await conn.execute("UPDATE intake SET next_attempt_at = NULL")
        await background.drain()
    async with office.core.db.reading() as conn:
        assert await intake.waiting(conn) == []
    assert [m.text for m in await op.new()] == [tu.NOT_CHECKED]
