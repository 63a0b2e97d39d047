"""Hostile input in every conversation state (see ``tests/benchmarks/rel_fuzz.py``): nothing
escapes, everything is answered in valid HTML, and user text stays text in spreadsheets."""

from __future__ import annotations

import asyncio
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from bot.texts import upload as tu
from tests.benchmarks.rel_access import Actor, Stage, open_copy
from tests.benchmarks.rel_fuzz import (
    STATES,
    Fuzz,
    Restorer,
    check_input,
    enter,
    route_command,
    run_fuzz,
    send_document,
    text_strategy,
    zip_bomb,
)
from tests.integration.office import take_document

Built = tuple[dict[str, Stage], dict[str, Actor]]


async def test_every_state_survives_the_corpus_and_generated_text() -> None:
    """Every state, the fixed corpus, a few generated texts, the documents, the formulas."""
    fuzz = await run_fuzz(quick=True, per_state=15)
    assert fuzz.failures == []
    assert fuzz.counters["inputs_tried"] > 600


@pytest.mark.parametrize(
    "state", [s for s in STATES if s.name in ("entry_budget", "entry_explanation", "reason_unit")]
)
def test_generated_text_with_shrinking(built: Built, tmp_path: Path, state: object) -> None:
    """Hypothesis proper (shrinks a failure to its smallest message) on three busy states."""
    stages, people = built
    st_ = state  # a State
    stage = stages[st_.stage]  # type: ignore[attr-defined]
    actor = people[st_.actor]  # type: ignore[attr-defined]
    loop = asyncio.new_event_loop()
    session = loop.run_until_complete(open_copy(stage, tmp_path / "db.sqlite3", 1_000_000))
    try:
        loop.run_until_complete(enter(session, stage, st_, actor))  # type: ignore[arg-type]
        restorer = Restorer(session, actor.telegram_id)
        loop.run_until_complete(restorer.save())

        @settings(
            max_examples=60,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )
        @given(text_strategy())
        def one(text: str) -> None:
            fuzz = Fuzz()
            loop.run_until_complete(
                check_input(
                    session,
                    actor,
                    repr(text[:80]),
                    lambda: route_command(session.core, session.origin(actor), text),
                    fuzz,
                )
            )
            loop.run_until_complete(restorer.restore())
            assert fuzz.failures == []

        one()
    finally:
        loop.run_until_complete(session.office.close())
        loop.close()


async def test_a_wrong_document_is_named_for_what_it_is(built: Built, tmp_path: Path) -> None:
    """Regression: a small PDF was answered "too large" (the handler passed no data)."""
    stages, people = built
    op = people["op_pel"]
    session = await open_copy(stages["collecting"], tmp_path / "db.sqlite3", 1_000_000)
    try:
        await session.delta()
        await send_document(session, op, "laporan.pdf", b"%PDF-1.4", 8)
        _, sent = await session.delta()
        assert [s.text for s in sent] == [tu.NOT_XLSX]
        await send_document(session, op, "bom.xlsx", zip_bomb(), 70_000)
        _, sent = await session.delta()
        assert sent and sent[0].text.startswith("❌ Berkas ditolak")
    finally:
        await session.office.close()


async def test_a_catalog_shaped_zip_bomb_is_not_inflated(built: Built, tmp_path: Path) -> None:
    stages, people = built
    session = await open_copy(stages["idle"], tmp_path / "db.sqlite3", 1_000_000)
    try:
        bomb = zip_bomb(40 * 1024 * 1024, catalog=True)
        tracemalloc.start()
        await take_document(
            session.core, session.origin(people["kasubag"]), "katalog.xlsx", bomb, len(bomb)
        )
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert peak < 20 * 1024 * 1024
    finally:
        if tracemalloc.is_tracing():
            tracemalloc.stop()
        await session.office.close()


async def test_a_long_note_is_acknowledged_in_valid_html(built: Built, tmp_path: Path) -> None:
    """Regression: the echo of a 2,048-emoji note was cut inside its <b>, and Telegram would
    have refused both parts ("can't parse entities"): the answer was lost."""
    stages, people = built
    op = people["op_pel"]
    state = next(s for s in STATES if s.name == "entry_note")
    session = await open_copy(stages["collecting"], tmp_path / "db.sqlite3", 1_000_000)
    try:
        await enter(session, stages["collecting"], state, op)
        for text in ("😀" * 2048, "<b>" * 900, "&" * 1999):
            fuzz = Fuzz()
            await check_input(
                session,
                op,
                text[:10],
                lambda t=text: route_command(session.core, session.origin(op), t),
                fuzz,
            )
            assert fuzz.failures == []
    finally:
        await session.office.close()


def test_split_keeps_html_balanced_across_a_cut() -> None:
    from bot.sim.chats import check_html
    from bot.texts.common import split_message

    text = "Tersimpan: <b>" + "😀" * 3000 + "</b> dan <i>" + "a&amp;b " * 900 + "</i>"
    parts = split_message(text)
    assert len(parts) > 1
    for part in parts:
        check_html(part)


@pytest.mark.parametrize(
    ("state_name", "limit"),
    [
        ("entry_note", 2000),
        ("entry_explanation", 2000),
        ("reason_unit", 1000),
        ("follow_up", 2000),
        ("recommendation", 2000),
    ],
)
async def test_a_text_longer_than_stored_is_refused_not_cut(
    built: Built, tmp_path: Path, state_name: str, limit: int
) -> None:
    """Regression: notes, explanations, reasons, recommendations and follow-ups were cut to
    their column's size without a word, so the end of what was typed was lost."""
    from bot.texts import common as texts

    stages, people = built
    state = next(s for s in STATES if s.name == state_name)
    actor = people[state.actor]
    session = await open_copy(stages[state.stage], tmp_path / "db.sqlite3", 1_000_000)
    try:
        await enter(session, stages[state.stage], state, actor)
        restorer = Restorer(session, actor.telegram_id)
        await restorer.save()
        await session.delta()
        await route_command(session.core, session.origin(actor), "kata " * (limit // 5) + "x")
        changed, sent = await session.delta()
        assert [s.text for s in sent if s.method == "sendMessage"] == [
            texts.TOO_LONG.format(limit=limit)
        ]
        assert changed == []  # nothing saved, and the dialogue still waits for the text
    finally:
        await session.office.close()
