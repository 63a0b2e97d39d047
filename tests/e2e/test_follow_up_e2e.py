"""Step 9 through the real bot and the simulator (issue 23): a unit records a status, sends a
photo as evidence, the coordinator gets it back by its file id; a file of the wrong kind and
a photo nobody awaits are refused; evidence is refused to another unit.

The quarter up to step 9 is seeded in the database (``tests/e2e/test_quarter.py`` plays
it whole): what is tested here is the chat, the handlers and the sender."""

from __future__ import annotations

from bot.model import Role
from bot.services.quarter.evidence import MAX_EVIDENCE_BYTES
from bot.sim import SimPerson
from bot.texts import followup as tl
from bot.workflow import FollowUpState, Grant, PeriodState
from storage import followups, org, periods
from tests.e2e.conftest import Harness

PHOTO = b"\xff\xd8\xff\xe0" + b"bukti kegiatan" * 200


async def seeded(h: Harness) -> tuple[dict[str, SimPerson], int]:
    """People of two units and the Kepala Dinas's recommendation for Pelatihan, distributed."""
    cast = {
        "kasubag": (Role.KASUBAG_KPEP, None),
        "kadin": (Role.KADIN, None),
        "op_pel": (Role.OPERATOR, "pelatihan"),
        "op_pen": (Role.OPERATOR, "penempatan"),
    }
    people = {}
    for key, (role, unit) in cast.items():
        person = h.sim.person(key.replace("_", " ").title())
        await h.join(person, role, unit, admin_=key == "kasubag")
        people[key] = person
    assert h.runtime is not None
    async with h.runtime.core.work(None) as work:
        kadin = await org.person_by_telegram(work.conn, people["kadin"].user_id)
        assert kadin is not None
        period_id = await periods.create_period(work.conn, 2026, 1, kadin.id, work.now)
        for unit in ("sekretariat", "pelatihan", "penempatan"):
            await periods.create_unit_report(work.conn, period_id, unit, work.now)
        for state in (PeriodState.COLLECTING, PeriodState.FOLLOW_UP):
            period = await periods.period(work.conn, period_id)
            assert period is not None
            assert await periods.set_period_state(work.conn, period, state, work.now)
        rec_id = await followups.add_recommendation(
            work.conn, period_id, "pelatihan", "Perluas pelatihan", kadin.id, work.now
        )
    return people, rec_id


async def test_status_photo_evidence_and_refusals_through_the_bot(harness: Harness) -> None:
    p, rec_id = await seeded(harness)
    op = p["op_pel"]

    # a photo nobody awaits is refused with the reason
    await op.send_photo(PHOTO)
    await op.wait_for_text("tidak sedang ditunggu")

    await op.send("/tindak_lanjut")
    await op.wait_for_text("masih terbuka")
    await op.tap("Catat tindak lanjut no. 1")
    await op.wait_for_text("Status yang akan dicatat")
    await op.tap(tl.BTN_STATUS["selesai"])
    await op.wait_for_text("Status yang akan dicatat: selesai")
    await op.send("Kerja sama dengan tiga LPK ditandatangani")
    await op.wait_for_text("status selesai")

    # a program is no evidence; a photo is
    await op.upload("setup.exe", b"MZ" * 100, mime_type="application/x-msdownload")
    await op.wait_for_text("tidak diterima sebagai data dukung")
    await op.send_photo(PHOTO)
    await op.wait_for_text("Data dukung")

    # the coordinator is told and gets the photo back, by its file id
    kasubag = p["kasubag"]
    await kasubag.wait_for_text("menandai rekomendasi berikut selesai", since=0)
    await kasubag.tap(tl.BTN_SHOW_EVIDENCE.format(unit="Bidang Pelatihan"))
    shown = await kasubag.wait_for(lambda m: m.photo is not None, timeout=10)
    assert shown.photo == PHOTO
    assert "Perluas pelatihan" in shown.plain_text

    # another unit's operator may not see it
    await p["op_pen"].tap_data(f"fe:{rec_id}:pelatihan")
    _, answer, _ = await p["op_pen"].wait_callback_answer()
    assert answer == tl.evidence_not_allowed()
    assert not [m for m in p["op_pen"].messages if m.photo is not None]

    assert harness.runtime is not None
    async with harness.runtime.db.reading() as conn:
        rec = await followups.recommendation(conn, rec_id)
        files = await followups.evidence(conn, rec_id)
        period = await periods.current_period(conn)
    assert rec is not None and rec.state_of("pelatihan") is FollowUpState.DONE
    assert [(f.kind, f.size) for f in files] == [("foto", len(PHOTO))]
    assert period is not None and period.state is PeriodState.CLOSED


async def test_a_file_too_large_and_one_from_a_moved_operator_save_nothing(
    harness: Harness,
) -> None:
    """The two refusals that depend on who sends what after the status is recorded: a file
    over Telegram's 20 MB download limit, and evidence from an operator moved to another unit
    while the bot waited for it. Each is told why; nothing is saved; the wait goes on."""
    p, rec_id = await seeded(harness)
    op = p["op_pel"]
    await op.send("/tindak_lanjut")
    await op.tap("Catat tindak lanjut no. 1")
    await op.tap(tl.BTN_STATUS["selesai"])
    await op.wait_for_text("Status yang akan dicatat: selesai")
    await op.send("Kerja sama dengan tiga LPK ditandatangani")
    await op.wait_for_text("status selesai")

    too_big = b"%PDF-1.7\n" + bytes(MAX_EVIDENCE_BYTES)
    await op.upload("laporan.pdf", too_big, mime_type="application/pdf")
    await op.wait_for_text("paling besar 20 MB")

    assert harness.runtime is not None
    async with harness.runtime.core.work(None) as work:
        person = await org.person_by_telegram(work.conn, op.user_id)
        assert person is not None
        (held,) = await org.assignments_of(work.conn, person.id)
        await org.end_assignment(work.conn, held.id, work.now)
        moved = Grant(Role.OPERATOR, "penempatan")
        await org.add_assignment(work.conn, person.id, moved, work.now, None, None, work.now)
    await op.send_photo(PHOTO)
    await op.wait_for_text(tl.EVIDENCE_NOT_YOURS)

    async with harness.runtime.db.reading() as conn:
        assert await followups.evidence(conn, rec_id) == []
        rec = await followups.recommendation(conn, rec_id)
    assert rec is not None and rec.state_of("pelatihan") is FollowUpState.DONE
