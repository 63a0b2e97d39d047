"""Only the registered agency group is served: another group learns nothing and changes nothing;
the agency group's /status shows the states, not the names of those being waited on."""

from __future__ import annotations

import logging

import pytest

from bot.model import Role
from bot.services.files.catalog import store_catalog
from bot.sim import SimPerson
from bot.texts import common as texts
from storage import org
from tests.e2e.conftest import Harness
from tests.integration.office import small_catalog

TABLES = ("people", "role_assignments", "invites", "periods", "dialogs", "audit_log")


async def counts(h: Harness) -> dict[str, int]:
    """Rows per table that a command could change."""
    assert h.runtime is not None
    result = {}
    async with h.runtime.db.reading() as conn:
        for table in TABLES:
            async with conn.execute(f"SELECT COUNT(*) FROM {table}") as cur:
                row = await cur.fetchone()
            result[table] = int(row[0])
    return result


async def open_period(h: Harness) -> dict[str, SimPerson]:
    """A period in step 2, with an operator the status waits on."""
    assert h.runtime is not None
    async with h.runtime.core.work(None) as work:
        assert (await store_catalog(work, small_catalog(), None)).ok
    cast = {
        "kasubag": h.sim.person("Sri", last_name="Kasubag"),
        "sekretaris": h.sim.person("Budi", last_name="Sekretaris"),
        "operator": h.sim.person("Tono", last_name="Operator"),
    }
    await h.join(cast["kasubag"], Role.KASUBAG_KPEP, admin_=True)
    await h.join(cast["sekretaris"], Role.SEKRETARIS)
    await h.join(cast["operator"], Role.OPERATOR, "pelatihan")
    await cast["kasubag"].send("/buka_periode")
    await cast["kasubag"].tap("Triwulan III 2026")  # the harness clock: October 2026
    await cast["sekretaris"].tap("Setujui")
    await cast["operator"].wait_for_text("dibuka")
    return cast


async def test_a_stranger_group_learns_nothing_and_changes_nothing(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    cast = await open_period(harness)
    agency = harness.sim.group("Dinas Tenaga Kerja")
    await cast["kasubag"].send_in(agency, "/daftarkan_grup")
    await agency.wait_for_text("terdaftar")
    token = await harness.invite(Role.OPERATOR, "penempatan")
    before = await counts(harness)

    stranger = harness.sim.group("Grup Lain")
    outsider = harness.sim.person("Orang", last_name="Luar")
    commands = (
        "/status",
        "/bantuan",
        "/isi",
        "/start",
        f"/start {token}",
        "/buka_periode",
        "/anggota",
        "/unduh",
        "/undang",
        "/tindak_lanjut",
    )
    for person in (outsider, cast["operator"], cast["kasubag"]):
        for command in commands:
            await person.send_in(stranger, command)
            await person.send_in(stranger, command + "@kinerja_test_bot")
    # Updates are handled in order: once this private answer is in, the group's were too.
    await cast["operator"].send("/bantuan")
    await cast["operator"].wait_for_text("Bantuan")

    said = [m.plain_text for m in stranger.messages if m.from_bot]
    assert said == [texts.STRANGER_GROUP]  # one short refusal, once
    for secret in ("Tono", "Sri", "Budi", "Pelatihan", "Triwulan", "Dinas Tenaga Kerja"):
        assert secret not in said[0]
    assert await counts(harness) == before
    assert harness.runtime is not None
    async with harness.runtime.db.reading() as conn:
        invite = await org.invite(conn, token)
    assert invite is not None and invite.used_by is None  # not redeemed from a group
    assert harness.runtime is not None
    async with harness.runtime.db.reading() as conn:
        assert await org.agency_group(conn) == agency.chat_id
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_the_agency_group_sees_states_not_names(harness: Harness) -> None:
    cast = await open_period(harness)
    agency = harness.sim.group("Dinas Tenaga Kerja")
    await cast["kasubag"].send_in(agency, "/daftarkan_grup")
    await agency.wait_for_text("terdaftar")
    await cast["operator"].send_in(agency, "/status")
    shown = (await agency.wait_for_text("Status")).plain_text
    assert "Bidang Pelatihan: sedang diisi" in shown
    assert "Tono" not in shown and "Operator" not in shown
    # the coordinator still sees, privately, who is being waited on
    await cast["kasubag"].send("/status")
    private = (await cast["kasubag"].wait_for_text("Status")).plain_text
    assert "menunggu Tono Operator" in private
