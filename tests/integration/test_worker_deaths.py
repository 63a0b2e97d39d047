"""A worker's death is a passing failure, for the upload check, the file builds and the steps'
analysis alike: at most three for one job (issue 21, item 1); and the background's log line
names the person it acted for (item 6)."""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import AsyncIterator, Callable
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import pytest

from bot.background import MAX_WORKER_DEATHS, Background
from bot.offload import Offload
from bot.services.analysis import analysed
from bot.services.files import building, recipes, uploads
from bot.services.files.templates import template_context
from bot.services.quarter import forms
from bot.services.work import Work
from bot.texts import agency as ta
from bot.texts import upload as tu
from exports.intake import inspect
from exports.template import build_template
from exports.upload import parse_upload
from storage import intake, outbox, periods, updates
from tests.integration.office import Office, Person, set_up_agency
from tests.integration.test_analysed import compiling, due_now, queue

P = ParamSpec("P")
T = TypeVar("T")


@pytest.fixture
async def office(tmp_path: Path) -> AsyncIterator[Office]:
    office = await Office.create(tmp_path / "kinerja.sqlite3")
    try:
        yield office
    finally:
        await office.close()


def die() -> None:
    """In a worker: die as the out-of-memory killer would have it."""
    os.kill(os.getpid(), signal.SIGKILL)


class KillsItsWorker(Offload):
    """One real worker process; the ``fatal`` job kills it, every time."""

    def __init__(self, fatal: Callable[..., Any]) -> None:
        super().__init__(workers=1)
        self.fatal = fatal

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        if fn is self.fatal:
            await super().run(die)
        return await super().run(fn, *args, **kwargs)


class WorkerDies(Offload):
    """The ``fatal`` job fails as a worker's death makes it fail (in a thread: quick)."""

    def __init__(self, fatal: Callable[..., Any]) -> None:
        super().__init__(workers=0)
        self.fatal = fatal

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        if fn is self.fatal:
            self.deaths += 1
            raise BrokenProcessPool("A process in the process pool was terminated abruptly")
        return await super().run(fn, *args, **kwargs)


async def _upload(office: Office, op: Person) -> Background:
    """The operator's blank template, received; its check is left to the returned background."""
    async with office.core.db.reading() as conn:
        period = await periods.current_period(conn)
        assert period is not None
        [report] = [
            r for r in await periods.unit_reports(conn, period.id) if r.unit_code == "pelatihan"
        ]
        work = Work(conn, office.core.now(), None, office.core.config)
        data = build_template(await template_context(work, await forms.load(work, report)))
    await uploads.received(office.core, op.origin(), "Formulir.xlsx", "file-1", len(data))

    async def fetch(_: str) -> bytes:
        return data

    return Background(office.core, fetch)


async def _due_now(office: Office) -> None:
    async with office.core.db.transaction() as conn:  # whatever the back-off
        await conn.execute("UPDATE intake SET next_attempt_at = NULL")


async def test_a_check_whose_worker_dies_three_times_is_refused_in_plain_words(
    office: Office, caplog: pytest.LogCaptureFixture
) -> None:
    p = await set_up_agency(office)
    op, kasubag = p["op_pel"], p["kasubag"]  # kasubag is the admin
    await p["kasubag"].send("/buka_periode")
    await p["kasubag"].tap("Triwulan I 2026")
    await p["sekretaris"].tap("Setujui")
    op.cursor, kasubag.cursor = await office.outbox_size(), await office.outbox_size()
    background = await _upload(office, op)
    office.core.offload = killer = KillsItsWorker(parse_upload)
    caplog.set_level(logging.INFO)
    for death in range(1, MAX_WORKER_DEATHS):
        await background.drain()
        async with office.core.db.reading() as conn:
            [waiting] = await intake.waiting(conn)
        assert (waiting.worker_deaths, waiting.attempts) == (death, 0)  # not a failed fetch
        assert await op.new() == []  # tried again later, nothing said yet
        await _due_now(office)
    await background.drain()
    assert killer.deaths == MAX_WORKER_DEATHS
    async with office.core.db.reading() as conn:
        assert await intake.waiting(conn) == []
        assert await updates.dialog(conn, op.telegram_id) is None  # nothing to save
    assert [m.text for m in await op.new()] == [tu.not_checked_worker_died("Formulir.xlsx")]
    [notice] = await kasubag.new()
    assert notice.text == tu.worker_deaths_admin("Formulir.xlsx", "Tono Operator", 3)
    # Item 6: the use case ran in the background for a registered person, and says who.
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.usecase"]
    [given_up] = [line for line in lines if "upload_failed.give_up" in line]
    assert f"telegram {op.telegram_id}" not in given_up
    assert "(operator:pelatihan)" in given_up and "refused (its worker process died)" in given_up


async def test_an_admin_who_sent_the_file_is_told_once(office: Office) -> None:
    p = await set_up_agency(office)
    kasubag = p["kasubag"]  # the only admin, sending a catalogue
    await uploads.received(office.core, kasubag.origin(), "Katalog.xlsx", "file-9", 5_000)
    kasubag.cursor = await office.outbox_size()
    office.core.offload = WorkerDies(inspect)

    async def fetch(_: str) -> bytes:
        return b"PK"

    background = Background(office.core, fetch)
    for _ in range(MAX_WORKER_DEATHS):
        await _due_now(office)
        await background.drain()
    assert [m.text for m in await kasubag.new()] == [tu.not_checked_worker_died("Katalog.xlsx")]


async def test_a_build_whose_worker_dies_is_retried_and_given_up_after_three(
    office: Office,
) -> None:
    p = await set_up_agency(office)
    kasubag = p["kasubag"]
    office.core.offload = WorkerDies(building.build_from_file)
    async with office.core.work(None) as work:
        await work.send_built(kasubag.telegram_id, "sendDocument", recipes.report(1, draft=True))
    for death in range(1, building.MAX_BUILD_ATTEMPTS + 1):
        assert await building.build_pending(office.core) == 0
        async with office.core.db.transaction() as conn:
            rows = await outbox.unbuilt(conn)
            await conn.execute("UPDATE outbox SET next_attempt_at = NULL WHERE recipe IS NOT NULL")
        assert [r.attempts for r in rows] == ([death] if death < 3 else [])
    waiting = [i for i in await _pending(office) if i.chat_id == kasubag.telegram_id]
    assert waiting[-1].payload["text"] == ta.file_not_built("report")


async def test_the_steps_analysis_whose_worker_dies_is_retried_alike(office: Office) -> None:
    p, period = await compiling(office)
    before = len(await p["sekretaris"].inbox())
    office.core.offload = dies = WorkerDies(analysed.figures_from_file)
    await queue(office, recipes.REVIEW_MESSAGE, period, {"step": 5, "text": "PERMINTAAN"})
    for _ in range(analysed.MAX_ATTEMPTS - 1):
        assert await analysed.write_next(office.core)
        assert (await p["sekretaris"].inbox())[before:] == []
        await due_now(office)
    assert await analysed.write_next(office.core)
    assert dies.deaths == analysed.MAX_ATTEMPTS
    [request] = (await p["sekretaris"].inbox())[before:]
    # the decision goes out, without the figures (and says it has no narrative)
    assert request.text == "PERMINTAAN\n\nTanpa narasi analisis."


async def _pending(office: Office) -> list[outbox.OutboxItem]:
    async with office.core.db.reading() as conn:
        return await outbox.pending(conn)
