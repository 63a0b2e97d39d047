"""The messages of steps 4 to 6 are written after the step, from figures computed off the
loop (``bot.services.analysis.analysed``): only while the period is where the step left it, and
computed again when a unit's figures changed while they were computed."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import pytest

from bot.callbacks import decode
from bot.offload import Offload
from bot.services.analysis import analysed
from bot.services.files import recipes
from bot.services.quarter import reminders
from bot.workflow import PeriodState
from handlers.buttons import ROUTES
from storage import deferred, periods
from tests.integration.office import Office, Person, every_unit_approved, set_up_agency

P = ParamSpec("P")
T = TypeVar("T")


@pytest.fixture
async def office(tmp_path: Path) -> AsyncIterator[Office]:
    office = await Office.create(tmp_path / "kinerja.sqlite3")
    try:
        yield office
    finally:
        await office.close()


async def compiling(office: Office) -> tuple[dict[str, Person], periods.Period]:
    """Triwulan I 2026 in step 4, every unit approved."""
    p = await set_up_agency(office)
    await every_unit_approved(p)
    async with office.core.db.reading() as conn:
        period = await periods.current_period(conn)
    assert period is not None and period.state is PeriodState.COMPILING
    return p, period


async def queue(office: Office, kind: str, period: periods.Period, args: dict[str, Any]) -> None:
    async with office.core.work(None) as work:
        await work.defer(kind, period, args)


async def test_step_4_writes_the_analysis_and_the_draft_after_the_step(office: Office) -> None:
    p, _ = await compiling(office)
    texts = [m.text for m in await p["kasubag"].inbox()]
    intro = next(n for n, t in enumerate(texts) if "Semua laporan unit" in t)
    draft = next(n for n, t in enumerate(texts) if "Draf narasi analisis" in t)
    assert "Bidang Penempatan: capaian 115,00 %" in texts[intro] and intro < draft
    async with office.core.db.reading() as conn:
        assert await deferred.waiting(conn) == []


async def test_a_step_that_moved_on_drops_its_messages(office: Office) -> None:
    p, period = await compiling(office)
    await queue(office, recipes.REVIEW_MESSAGE, period, {"step": 5, "text": "PESAN USANG"})
    async with office.core.work(None) as work:
        await work.conn.execute(
            "UPDATE periods SET version = version + 1 WHERE id = ?", (period.id,)
        )
    assert await analysed.write_next(office.core)
    assert not [m for m in await p["sekretaris"].inbox() if "PESAN USANG" in m.text]
    async with office.core.db.reading() as conn:
        assert await deferred.waiting(conn) == []


class Racing(Offload):
    """Computes as the bot does; after the first computation a unit's report changes."""

    def __init__(self, office: Office, period_id: int) -> None:
        super().__init__(workers=0)
        self.office, self.period_id, self.computed = office, period_id, 0

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        result = await super().run(fn, *args, **kwargs)
        if fn is analysed.figures_from_file:
            self.computed += 1
            if self.computed == 1:
                async with self.office.core.work(None) as work:
                    await work.conn.execute(
                        "UPDATE unit_reports SET version = version + 1 WHERE period_id = ?"
                        " AND unit_code = 'pelatihan'",
                        (self.period_id,),
                    )
        return result


async def test_figures_that_changed_while_computed_are_computed_again(office: Office) -> None:
    p, period = await compiling(office)
    before = len(await p["sekretaris"].inbox())
    office.core.offload = racing = Racing(office, period.id)
    await queue(office, recipes.REVIEW_MESSAGE, period, {"step": 5, "text": "PERMINTAAN"})
    assert await analysed.write_next(office.core)
    assert racing.computed == 2
    written = [m for m in (await p["sekretaris"].inbox())[before:] if "PERMINTAAN" in m.text]
    assert len(written) == 1 and "Setujui" in {b for r in written[0].buttons for b, _ in r}


async def test_a_kind_it_cannot_write_is_given_up_after_its_attempts(office: Office) -> None:
    _, period = await compiling(office)
    await queue(office, "unknown", period, {})
    for _ in range(analysed.MAX_ATTEMPTS):
        async with office.core.db.transaction() as conn:  # due now, whatever the back-off
            await conn.execute("UPDATE deferred SET next_attempt_at = NULL")
        assert await analysed.write_next(office.core)
    async with office.core.db.reading() as conn:
        assert await deferred.waiting(conn) == []


async def test_a_request_still_to_be_written_is_not_offered_again_by_the_role_check(
    office: Office,
) -> None:
    """The minute's check hands waiting decisions to their holders; a request the step has
    not written yet is not missing from anyone, so it is not offered a second time."""
    p, _ = await compiling(office)
    await p["kasubag"].tap("Tulis narasi analisis")  # chosen: the tap sends, not asks
    await p["kasubag"].send("Capaian triwulan I sesuai rencana.")
    send_up = next(
        data
        for m in reversed(await p["kasubag"].inbox())
        for row in m.buttons
        for label, data in row
        if label == "Kirim ke Sekretaris"
    )
    callback = decode(send_up)
    assert callback is not None
    before = len(await p["sekretaris"].inbox())
    # The tap as the bot's handler makes it: the request's messages are left for afterwards.
    await ROUTES[callback.kind](office.core, p["kasubag"].origin(via_button=True), callback)
    async with office.core.db.reading() as conn:
        assert await deferred.waiting(conn) != []
    await reminders.check(office.core)
    new = (await p["sekretaris"].inbox())[before:]  # written now, as the background would
    assert len([m for m in new if "Setujui" in str(m.buttons)]) == 1
    async with office.core.db.reading() as conn:
        reoffered = await (
            await conn.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'decision_reoffered'")
        ).fetchone()
    assert reoffered is not None and reoffered[0] == 0


class Failing(Offload):
    """The figures cannot be computed (a bug, say); everything else runs as usual."""

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        if fn is analysed.figures_from_file:
            raise RuntimeError("the figures cannot be computed")
        return await super().run(fn, *args, **kwargs)


async def due_now(office: Office) -> None:
    async with office.core.db.transaction() as conn:  # whatever the back-off
        await conn.execute("UPDATE deferred SET next_attempt_at = NULL")


async def test_a_request_whose_figures_fail_still_goes_out_with_its_buttons(
    office: Office,
) -> None:
    p, period = await compiling(office)
    before = len(await p["sekretaris"].inbox())
    office.core.offload = Failing()
    await queue(office, recipes.REVIEW_MESSAGE, period, {"step": 5, "text": "PERMINTAAN"})
    for _ in range(analysed.MAX_ATTEMPTS - 1):
        assert await analysed.write_next(office.core)
        assert (await p["sekretaris"].inbox())[before:] == []
        await due_now(office)
    assert await analysed.write_next(office.core)
    [request] = (await p["sekretaris"].inbox())[before:]
    # without the summary of the figures, not without the decision (nor the narrative)
    assert request.text == "PERMINTAAN\n\nTanpa narasi analisis."
    assert "Setujui" in {b for r in request.buttons for b, _ in r}


async def test_a_periods_messages_keep_their_order_while_one_waits_for_a_retry(
    office: Office,
) -> None:
    p, period = await compiling(office)
    before = len(await p["sekretaris"].inbox())
    await queue(office, recipes.REVIEW_MESSAGE, period, {"step": 5, "text": "PERTAMA"})
    await queue(office, recipes.REVIEW_MESSAGE, period, {"step": 5, "text": "KEDUA"})
    async with office.core.db.transaction() as conn:
        await conn.execute(
            "UPDATE deferred SET next_attempt_at = '2999-01-01T00:00:00+00:00'"
            " WHERE id = (SELECT MIN(id) FROM deferred)"
        )
    assert not await analysed.write_next(office.core)  # the second waits behind the first
    await due_now(office)
    while await analysed.write_next(office.core):
        pass
    written = [m.text for m in (await p["sekretaris"].inbox())[before:]]
    assert [t.split("\n")[0] for t in written] == ["PERTAMA", "KEDUA"]
