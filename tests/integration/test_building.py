"""Files queued as recipes are built after the commit (``bot.services.files.building``); one that
cannot be built is given up after its tries, and its chat is told instead."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import pytest

from bot.offload import Offload
from bot.services.files import building, recipes
from bot.texts import agency as ta
from storage import outbox, periods
from tests.integration.office import Office, set_up_agency

P = ParamSpec("P")
T = TypeVar("T")


@pytest.fixture
async def office(tmp_path: Path) -> AsyncIterator[Office]:
    office = await Office.create(tmp_path / "kinerja.sqlite3")
    try:
        yield office
    finally:
        await office.close()


async def test_a_file_that_cannot_be_built_is_given_up_and_its_chat_told(
    office: Office,
) -> None:
    p = await set_up_agency(office)
    kasubag = p["kasubag"]
    async with office.core.work(None) as work:  # a report of a period that does not exist
        await work.send_built(kasubag.telegram_id, "sendDocument", recipes.report(999, draft=True))
        await work.say(kasubag.telegram_id, "SESUDAHNYA")
    for _ in range(building.MAX_BUILD_ATTEMPTS):
        async with office.core.db.transaction() as conn:  # due now, whatever the back-off
            await conn.execute("UPDATE outbox SET next_attempt_at = NULL WHERE recipe IS NOT NULL")
        assert await building.build_pending(office.core) == 0
    async with office.core.db.reading() as conn:
        assert await outbox.unbuilt(conn) == []  # given up: the chat's queue goes on
        waiting = [i for i in await outbox.pending(conn) if i.chat_id == kasubag.telegram_id]
    assert [i.payload["text"] for i in waiting][-2:] == [
        "SESUDAHNYA",
        ta.file_not_built("report"),
    ]


class Counting(Offload):
    """Runs the work as usual and counts it."""

    def __init__(self) -> None:
        super().__init__(workers=0)
        self.calls: list[Callable[..., Any]] = []

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        self.calls.append(fn)
        return await super().run(fn, *args, **kwargs)


async def test_alike_recipes_are_built_once_and_stored_for_each_chat(office: Office) -> None:
    p = await set_up_agency(office)
    await p["kasubag"].send("/buka_periode")
    await p["kasubag"].tap("Triwulan I 2026")
    await p["sekretaris"].tap("Setujui")
    await building.build_pending(office.core)  # the opening's templates
    async with office.core.db.reading() as conn:
        period = await periods.current_period(conn)
    assert period is not None
    chats = [p[key].telegram_id for key in ("kasubag", "sekretaris")]
    async with office.core.work(None) as work:
        for chat in chats:
            await work.send_built(chat, "sendDocument", recipes.report(period.id, draft=True))
    office.core.offload = counting = Counting()
    assert await building.build_pending(office.core) == 2
    assert counting.calls == [building.build_from_file]
    async with office.core.db.reading() as conn:
        sent = [i for i in await outbox.pending(conn) if i.method == "sendDocument"]
    files = {i.chat_id: (i.file_name, i.file_data) for i in sent if i.chat_id in chats}
    assert set(files) == set(chats)
    name, data = files[chats[0]]
    assert name is not None and name.endswith("_DRAF.xlsx") and data and data[:2] == b"PK"
    assert files[chats[0]] == files[chats[1]]
