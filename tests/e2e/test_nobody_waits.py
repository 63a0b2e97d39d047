"""Nobody waits for someone else's work (issue 11, item 6).

An upload is taken in at once and read afterwards, off the event loop; a report is queued as
a recipe and built afterwards. The slow part is held at a gate here (the bot's
``core.offload`` replaced by one that waits for the test's signal), so the tests assert who
is answered while it is held, and in which order things arrive, not timings.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from bot.callbacks import Cb, encode
from bot.offload import Offload
from bot.services.analysis import analysed
from bot.services.files import building, recipes
from bot.sim import SimPerson
from exports.upload import parse_upload
from storage import intake, outbox, periods
from tests.e2e.conftest import Harness
from tests.e2e.test_drafted import APPROVER, cast, every_unit_sent_up
from tests.e2e.test_excel import set_up, template_of, xlsx

P = ParamSpec("P")
T = TypeVar("T")

PREVIEW = "Pemeriksaan berkas"
HELP = "Bantuan"
DRAFT = "Draf narasi analisis"
COMPILE_INTRO = "Semua laporan unit"


def report_build(fn: Callable[..., Any], *args: Any) -> bool:
    """Whether the work is building a report (read and written in a worker)."""
    return fn is building.build_from_file and args[1]["kind"] == recipes.REPORT


def upload_read(fn: Callable[..., Any], *args: Any) -> bool:
    """Whether the work is reading an uploaded template."""
    return fn is parse_upload


class Gate(Offload):
    """Runs the bot's CPU work as usual, but holds the ``held`` kinds of it until released."""

    def __init__(self, *held: Callable[..., bool]) -> None:
        super().__init__(workers=0)
        self.held = held
        self.reached = asyncio.Event()
        self.release = asyncio.Event()
        self.calls: list[Callable[..., Any]] = []

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Wait at the gate if ``fn`` is held work, then run it."""
        self.calls.append(fn)
        if any(kind(fn, *args) for kind in self.held):
            self.reached.set()
            await self.release.wait()
        return await super().run(fn, *args, **kwargs)


def gate(harness: Harness, *held: Callable[..., bool]) -> Gate:
    assert harness.runtime is not None
    harness.runtime.core.offload = gated = Gate(*held)
    return gated


async def test_others_are_answered_while_an_upload_is_read(harness: Harness) -> None:
    p = await set_up(harness)
    blank = (await template_of(p["op_pelatihan"])).document
    assert blank is not None
    held = gate(harness, upload_read)
    op, kabid, sekretaris = p["op_pelatihan"], p["kabid_pelatihan"], p["sekretaris"]
    try:
        await op.upload("Formulir.xlsx", xlsx(blank.data, {("Realisasi", "J2"): 24}))
        await asyncio.wait_for(held.reached.wait(), 10)
        # The upload's update is confirmed: everyone is answered, the uploader too.
        for person in (kabid, op):
            await person.send("/bantuan")
            await person.wait_for_text(HELP, timeout=10)
        await sekretaris.send("/status")
        await sekretaris.wait_for(lambda m: True, timeout=10)
        assert not held.release.is_set()
        assert not [m for m in op.messages if PREVIEW in m.plain_text]
    finally:
        held.release.set()  # a failed assertion must not leave the bot's stop waiting
    preview = await op.wait_for_text(PREVIEW, timeout=20)
    assert "24" in preview.plain_text
    await op.tap("Simpan", preview)
    await op.wait_for_text("tersimpan", timeout=10)


async def test_a_value_typed_while_the_file_is_read_is_shown_as_the_old_one(
    harness: Harness,
) -> None:
    """The preview is computed off the loop against the form as read; a value typed in the
    meantime makes it be computed again, so "lama → baru" shows what is saved now."""
    p = await set_up(harness)
    op = p["op_pelatihan"]
    blank = (await template_of(op)).document
    assert blank is not None
    held = gate(harness, upload_read)
    try:
        await op.upload("Formulir.xlsx", xlsx(blank.data, {("Realisasi", "J2"): 24}))
        await asyncio.wait_for(held.reached.wait(), 10)
        await op.send("/isi")
        await op.wait_for_text("no. 1 dari", timeout=10)
        await op.send("20")
        await op.wait_for_text("Tersimpan", timeout=10)
    finally:
        held.release.set()
    preview = await op.wait_for_text(PREVIEW, timeout=20)
    assert "20 → 24" in preview.plain_text
    # Read again after the change, not answered from the stale read.
    assert held.calls.count(parse_upload) == 2


async def test_a_report_is_built_while_others_are_answered_and_arrives_in_order(
    harness: Harness,
) -> None:
    p = await set_up(harness)
    kasubag, kabid = p["kasubag"], p["kabid_pelatihan"]
    assert harness.runtime is not None
    async with harness.runtime.db.reading() as conn:
        period = await periods.current_period(conn)
    assert period is not None
    held = gate(harness, report_build)
    try:
        await kasubag.tap_data(encode(Cb.DOWNLOAD_REPORT, period.id))
        await asyncio.wait_for(held.reached.wait(), 10)
        await kabid.send("/bantuan")
        await kabid.wait_for_text(HELP, timeout=10)
        # The kasubag's own next message waits behind the file queued before it.
        await kasubag.send("/bantuan")
        await _until_queued(harness, kasubag, 2)
        assert not [
            m for m in kasubag.messages if m.document is not None and "DRAF" in m.document.file_name
        ]
    finally:
        held.release.set()
    report = await kasubag.wait_for(
        lambda m: m.document is not None and m.document.file_name.endswith("_DRAF.xlsx"),
        timeout=20,
    )
    answer = await kasubag.wait_for_text(HELP, timeout=10)
    assert report.seq < answer.seq


async def test_an_upload_and_a_report_left_at_a_stop_are_done_after_the_restart(
    harness: Harness,
) -> None:
    p = await set_up(harness)
    op, kasubag = p["op_pelatihan"], p["kasubag"]
    blank = (await template_of(op)).document
    assert blank is not None and harness.runtime is not None
    async with harness.runtime.db.reading() as conn:
        period = await periods.current_period(conn)
    assert period is not None
    held = gate(harness, upload_read, report_build)
    await op.upload("Formulir.xlsx", xlsx(blank.data, {("Realisasi", "J2"): 24}))
    await asyncio.wait_for(held.reached.wait(), 10)
    await kasubag.tap_data(encode(Cb.DOWNLOAD_REPORT, period.id))
    await _until_queued(harness, kasubag)
    await harness.stop()  # the upload's check is held, the report not yet built
    await harness.start()
    preview = await op.wait_for_text(PREVIEW, timeout=30)
    assert "24" in preview.plain_text
    await kasubag.wait_for(
        lambda m: m.document is not None and m.document.file_name.endswith("_DRAF.xlsx"),
        timeout=30,
    )
    assert harness.runtime is not None
    async with harness.runtime.db.reading() as conn:
        assert await intake.waiting(conn) == []
        assert await outbox.unbuilt(conn) == []
    assert [m.plain_text for m in op.messages].count(preview.plain_text) == 1


async def _until_queued(harness: Harness, person: SimPerson, count: int = 1) -> None:
    """Until the bot has queued ``count`` calls for ``person`` that are not sent yet."""
    assert harness.runtime is not None
    for _ in range(200):
        async with harness.runtime.db.reading() as conn:
            waiting = [i for i in await outbox.pending(conn) if i.chat_id == person.user_id]
        if len(waiting) >= count:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("nothing was queued")


def figures_computed(fn: Callable[..., Any], *args: Any) -> bool:
    """Whether the work is reading and analysing a period's figures (steps 4 to 6)."""
    return fn is analysed.figures_from_file


async def test_step_4_begins_without_making_anyone_wait_for_its_analysis(
    harness: Harness,
) -> None:
    p = await cast(harness)
    kasubag = p["kasubag"]
    await every_unit_sent_up(p)
    *first, last = APPROVER.values()
    for key in first:
        await p[key].wait_for(lambda m: m.button_data("Setujui") is not None, 10, since=0)
        await p[key].tap("Setujui")
        await p[key].wait_for_text("Disetujui", timeout=10)
    held = gate(harness, figures_computed)
    try:
        await p[last].wait_for(lambda m: m.button_data("Setujui") is not None, 10, since=0)
        await p[last].tap("Setujui")  # the last unit approved: step 4 begins
        await asyncio.wait_for(held.reached.wait(), 10)
        await p["op_pel"].send("/bantuan")
        await p["op_pel"].wait_for_text(HELP, timeout=10)
        assert not [m for m in kasubag.messages if DRAFT in m.plain_text]
    finally:
        held.release.set()
    draft = await kasubag.wait_for_text(DRAFT, timeout=20, since=0)
    intro = await kasubag.wait_for_text(COMPILE_INTRO, timeout=10, since=0)
    report = await kasubag.wait_for(
        lambda m: m.document is not None and m.document.file_name.endswith("_DRAF.xlsx"),
        timeout=10,
        since=0,
    )
    assert report.seq < intro.seq < draft.seq  # the order of the step, as before
    assert "Kirim ke Sekretaris" in {b for row in intro.buttons for b in row}
