"""Follow-ups per unit: a database from before keeps every follow-up it recorded."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

import storage.db
from bot.workflow import FollowUpState
from storage import followups
from storage.db import Database
from storage.migrations import M008_FOLLOW_UP_PER_UNIT, MIGRATIONS

NOW = datetime(2026, 10, 5, 2, 0, tzinfo=UTC)


async def test_old_follow_ups_count_for_the_unit_that_recorded_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "before.sqlite3"
    monkeypatch.setattr(
        storage.db, "MIGRATIONS", MIGRATIONS[: MIGRATIONS.index(M008_FOLLOW_UP_PER_UNIT)]
    )
    old = await Database.open(path)
    async with old.transaction() as conn:
        for position, (code, kind) in enumerate(
            (("sekretariat", "sekretariat"), ("pelatihan", "bidang"), ("penempatan", "bidang"))
        ):
            await conn.execute(
                "INSERT INTO units VALUES (?, ?, ?, ?, 'x')", (code, code.title(), kind, position)
            )
        for person in (1, 2, 3):
            await conn.execute(
                "INSERT INTO people (telegram_id, full_name, created_at) VALUES (?, ?, 'x')",
                (person, f"P{person}"),
            )
        for person, role, unit in ((2, "operator", "sekretariat"), (3, "operator", "pelatihan")):
            await conn.execute(
                "INSERT INTO role_assignments (person_id, role, unit_code, starts_at, created_at)"
                " VALUES (?, ?, ?, 'x', 'x')",
                (person, role, unit),
            )
        await conn.execute(
            "INSERT INTO periods (year, quarter, state, opened_by, created_at, updated_at)"
            " VALUES (2026, 1, 'tindak_lanjut', 1, 'x', 'x')"
        )
        for code in ("sekretariat", "pelatihan", "penempatan"):
            await conn.execute(
                "INSERT INTO unit_reports (period_id, unit_code, state, updated_at)"
                " VALUES (1, ?, 'disetujui', 'x')",
                (code,),
            )
        general = await followups.add_recommendation(conn, 1, None, "Umum", 1, NOW)
        own = await followups.add_recommendation(conn, 1, "pelatihan", "Khusus", 1, NOW)
        # the old way: one follow-up per recommendation, the general one by the Sekretariat
        for rec, person, text in ((general, 2, "Rapat"), (own, 3, "Jadwal")):
            await conn.execute(
                "INSERT INTO follow_ups (recommendation_id, text, recorded_by, recorded_at)"
                " VALUES (?, ?, ?, ?)",
                (rec, text, person, NOW.isoformat()),
            )
    await old.close()
    monkeypatch.undo()

    db = await Database.open(path)
    async with db.reading() as conn:
        by_text = {r.text: r for r in await followups.recommendations(conn, 1)}
    await db.close()
    assert by_text["Umum"].units == ("sekretariat", "pelatihan", "penempatan")
    assert [(f.unit_code, f.text) for f in by_text["Umum"].follow_ups] == [("sekretariat", "Rapat")]
    assert by_text["Umum"].unanswered_units == ("pelatihan", "penempatan")
    assert [(f.unit_code, f.text) for f in by_text["Khusus"].follow_ups] == [
        ("pelatihan", "Jadwal")
    ]
    assert by_text["Khusus"].unanswered_units == ()
    # A free-text follow-up of before was a plan: it counts as direncanakan, so the
    # recommendation stays open until the unit marks it selesai.
    assert by_text["Khusus"].state_of("pelatihan") is FollowUpState.PLANNED
    assert by_text["Khusus"].open_units == ("pelatihan",)
