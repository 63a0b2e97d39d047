"""Nobody acts outside their role: the access matrix at the service level, plus the defects it
found, each pinned by its own test (see ``tests/benchmarks/rel_access.py`` for the matrix)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.callbacks import Cb, decode_exact, encode
from bot.texts import agency as ta
from bot.texts import common as texts
from storage import org, periods, updates
from tests.benchmarks.rel_access import (
    SEK,
    Actor,
    Session,
    Stage,
    _ids,
    open_copy,
    people_changes,
    run_matrix,
    shape,
    snapshot,
)
from tests.benchmarks.rel_access import changed as differing

Built = tuple[dict[str, Stage], dict[str, Actor]]


def press_of(stage: Stage, prefix: str, who: str | None = None) -> str:
    return next(
        p.data
        for p in stage.presses
        if p.data.startswith(prefix) and (who is None or who in p.rightful)
    )


async def test_the_whole_matrix_refuses_everyone_else_and_lets_the_rightful_in() -> None:
    report = await run_matrix(quick=True)
    assert report.failures == []
    assert report.counters["access_cases"] > 5000
    for counter in ("let_in", "unhandled_exceptions", "answers_lost", "transitions_doubled"):
        assert report.counters[counter] == 0, counter


async def test_the_change_detector_sees_a_real_change(built: Built, tmp_path: Path) -> None:
    """So the matrix cannot pass by watching nothing."""
    stages, people = built
    session = await open_copy(stages["awaiting"], tmp_path / "db.sqlite3", 1_000_000)
    try:
        before = await snapshot(session.core)
        await session.press(people["sekretaris"], press_of(stages["awaiting"], "oa:"))
        changed, sent = await session.delta()
        assert "periods" in changed and "audit_log" in changed
        # the triggers see exactly what a full comparison of every table sees
        assert changed == differing(before, await snapshot(session.core))
        assert any(s.chat_id != people["sekretaris"].chat_id for s in sent)
    finally:
        await session.office.close()


async def refused(session: Session, actor: Actor, data: str) -> str | None:
    """Press; assert nothing changed and nobody else was told; return the toast."""
    await session.delta()
    outcome = await session.press(actor, data)
    changed, sent = await session.delta()
    assert changed == [], (data, actor.key, changed)
    assert all(s.chat_id == actor.chat_id for s in sent)
    assert outcome.toast or sent
    return outcome.toast


async def test_a_press_from_the_group_is_refused_even_for_the_rightful_role(
    built: Built, tmp_path: Path
) -> None:
    """Regression: the kadin tapping a forged "Setujui" in the group approved the report."""
    stages, people = built
    session = await open_copy(stages["head"], tmp_path / "db.sqlite3", 1_000_000)
    try:
        data = press_of(stages["head"], "ka:")
        assert await refused(session, people["group_kadin"], data) == texts.BUTTON_INVALID
    finally:
        await session.office.close()


@pytest.mark.parametrize(
    "forge",
    [
        lambda d: d.replace(d.split(":")[1], "9" * 30, 1),  # would overflow SQLite's integer
        lambda d: d + ":1",  # padded
        lambda d: d.rsplit(":", 1)[0],  # truncated
        lambda d: d.replace(d.split(":")[1], "1_0", 1),  # int() would take it
    ],
)
async def test_forged_ids_are_refused_politely(built: Built, tmp_path: Path, forge: object) -> None:
    """Regression: a 30-digit id raised OverflowError; padded data was obeyed."""
    stages, people = built
    session = await open_copy(stages["awaiting"], tmp_path / "db.sqlite3", 1_000_000)
    try:
        data = forge(press_of(stages["awaiting"], "oa:"))  # type: ignore[operator]
        toast = await refused(session, people["sekretaris"], data)
        assert toast in (texts.BUTTON_INVALID, "Sudah diproses.")
    finally:
        await session.office.close()


def test_the_codec_refuses_every_arity_but_the_kinds_own() -> None:
    assert decode_exact(encode(Cb.UNIT_APPROVE, 1, 2)) is not None
    assert decode_exact("ua:1") is None
    assert decode_exact("ua:1:2:3") is None
    with pytest.raises(ValueError):
        decode_exact("ua:1_0:2").int(0)  # type: ignore[union-attr]


async def test_a_follow_up_before_distribution_is_refused(built: Built, tmp_path: Path) -> None:
    """Regression: a unit could record a follow-up while the kadin was still reviewing."""
    stages, people = built
    data = press_of(stages["followup"], "fu:", "op_pel")
    session = await open_copy(stages["forwarding"], tmp_path / "db.sqlite3", 1_000_000)
    try:
        assert await refused(session, people["op_pel"], data) == ta.REC_NOT_DISTRIBUTED
    finally:
        await session.office.close()


@pytest.mark.parametrize(
    ("stage", "prefix"), [("awaiting", "oa:"), ("secretary", "sa:"), ("forwarding", "fw:")]
)
async def test_two_holders_tapping_at_once_make_one_transition(
    built: Built, tmp_path: Path, stage: str, prefix: str
) -> None:
    stages, people = built
    data = press_of(stages[stage], prefix)
    single = await open_copy(stages[stage], tmp_path / "one.sqlite3", 1_000_000)
    try:
        await single.press(people["sekretaris"], data)
        once = await shape(single.core)
    finally:
        await single.office.close()
    double = await open_copy(stages[stage], tmp_path / "two.sqlite3", 2_000_000)
    try:
        tappers = [people[k] for k in (*sorted(SEK), "sekretaris")]
        await asyncio.gather(*(double.press(a, data) for a in tappers))
        assert await shape(double.core) == once
        async with double.core.db.reading() as conn:
            period = await periods.current_period(conn)
        assert period is not None
    finally:
        await double.office.close()


async def test_an_ended_acting_head_is_refused(built: Built, tmp_path: Path) -> None:
    stages, people = built
    session = await open_copy(stages["collecting"], tmp_path / "db.sqlite3", 1_000_000)
    try:
        ended = people["ended_kabid_pel"]
        for prefix in ("dt:", "ua:", "ur:"):
            for press in [p for p in stages["collecting"].presses if p.data.startswith(prefix)]:
                await refused(session, ended, press.data)
    finally:
        await session.office.close()


async def test_typing_while_an_upload_waits_keeps_it(built: Built, tmp_path: Path) -> None:
    """Regression: a typed message dropped the checked upload; Simpan then said "Sudah
    diproses" although nothing was saved."""
    stages, people = built
    op = people["op_pel"]
    session = await open_copy(stages["upload"], tmp_path / "db.sqlite3", 1_000_000)
    try:
        await session.command(op, "Halo")
        _, sent = await session.delta()
        assert any("belum disimpan" in s.text for s in sent)
        async with session.core.db.reading() as conn:
            dialog = await updates.dialog(conn, op.telegram_id)
        assert dialog is not None and dialog.name == "upload"
        save = press_of(stages["upload"], "eu:")
        outcome = await session.press(op, save)
        changed, _ = await session.delta()
        assert "unit_notes" in changed, outcome
    finally:
        await session.office.close()


async def test_people_changes_are_refused_to_everyone_but_the_admin(
    built: Built, tmp_path: Path
) -> None:
    """The /anggota buttons that change people, forged by every other actor (an ended acting
    head, outsiders and the group included): refused, nothing changed, nobody else told."""
    stages, people = built
    session = await open_copy(stages["collecting"], tmp_path / "db.sqlite3", 1_000_000)
    try:
        ids = await _ids(session.core, people["op_pel"].telegram_id)
        for data in people_changes(ids):
            for actor in people.values():
                if actor.key != "kasubag":
                    await refused(session, actor, data)
        # the admin's own presses go through, and a replay changes nothing more
        admin = people["kasubag"]
        await session.press(admin, encode(Cb.MEMBER_DEACTIVATE_YES, ids["op_pel_id"]))
        changed, sent = await session.delta()
        assert "people" in changed and "role_assignments" in changed
        assert any(s.chat_id == people["op_pel"].chat_id for s in sent)  # told once
        await refused(session, admin, encode(Cb.MEMBER_DEACTIVATE_YES, ids["op_pel_id"]))
        # the deactivated operator is answered as unregistered, whatever she presses or types
        for data in (press_of(stages["collecting"], "ek:"), press_of(stages["collecting"], "dt:")):
            assert await refused(session, people["op_pel"], data) == texts.NOT_REGISTERED
        await session.command(people["op_pel"], "/isi")
        changed, sent = await session.delta()
        assert changed == [] and [s.text for s in sent] == [texts.NOT_REGISTERED]
    finally:
        await session.office.close()


async def test_a_role_ended_by_the_admin_is_refused_at_once(built: Built, tmp_path: Path) -> None:
    """The kabid whose role the admin ended cannot approve the report that waited on him."""
    stages, people = built
    session = await open_copy(stages["collecting"], tmp_path / "db.sqlite3", 1_000_000)
    try:
        approve = press_of(stages["collecting"], "ua:", "kabid_pen")
        kabid = people["kabid_pen"]
        async with session.core.db.reading() as conn:
            person = await org.person_by_telegram(conn, kabid.telegram_id)
            assert person is not None
            (role,) = [a.id for a in await org.assignments_of(conn, person.id)]
        await session.press(people["kasubag"], encode(Cb.MEMBER_END_TODAY, role))
        changed, sent = await session.delta()
        assert "role_assignments" in changed
        assert any(s.method == "clearButtons" for s in sent)  # his request loses its buttons
        assert await refused(session, kabid, approve) == texts.BUTTON_NOT_YOURS
    finally:
        await session.office.close()
