"""Issue 20 through the simulator: the agency's titles and Bapak/Ibu in the welcome, and a
reminder whose buttons decide like the request's (the request's buttons go)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.calendar import format_duration
from bot.dates import clock_time
from bot.model import Role, Unit
from bot.services.files.catalog import store_catalog
from bot.services.people import admin, onboarding
from bot.services.quarter import reminders
from bot.sim import SimPerson
from bot.sim.chats import SimMessage
from bot.texts import common as texts
from bot.workflow import Step
from tests.e2e.conftest import BOT_USERNAME, Harness
from tests.integration.office import UNITS, small_catalog

TITLES = {
    "judul_koordinator": "Kepala Subbagian Program",
    "judul_koordinator_singkat": "Kasubbag Program",
}


async def join(
    h: Harness, person: SimPerson, role: Role, sapaan: str, admin_: bool = False
) -> None:
    assert h.runtime is not None
    created = await onboarding.create_invite_cli(
        h.runtime.core, role, None, person.full_name, admin_, BOT_USERNAME, sapaan
    )
    await person.send(f"/start {created.invite.token}")
    await person.wait_for_text("Selamat datang")


async def buttons_gone(message: SimMessage, timeout: float = 10.0) -> bool:
    """Whether the message loses its buttons within ``timeout`` (the sender is asynchronous)."""
    for _ in range(int(timeout / 0.05)):
        if not message.buttons:
            return True
        await asyncio.sleep(0.05)
    return False


async def test_titles_courtesy_and_a_reminder_that_decides(harness: Harness) -> None:
    h = harness
    assert h.runtime is not None
    core = h.runtime.core
    units = [
        Unit(u.code, u.name, u.kind, "Analis Data" if u.code == "pelatihan" else "") for u in UNITS
    ]
    try:
        await admin.import_units(core, units, "Dinas Uji", "Uji", dict(TITLES))
        async with core.work(None) as work:
            assert (await store_catalog(work, small_catalog(), None)).ok
        kasubag = h.sim.person("Sri", last_name="Rahayu")
        await kasubag.send(f"/start {h.admin_token}")
        welcome = await kasubag.wait_for_text("Selamat datang")
        assert "Kepala Subbagian Program" in welcome.plain_text  # the full title
        assert welcome.buttons == [["Bapak", "Ibu"]]  # the admin invite said no sapaan
        await kasubag.tap("Ibu")
        await kasubag.wait_for_text("Terima kasih")
        assert await buttons_gone(welcome)
        sekretaris = h.sim.person("Budi", last_name="Santoso")
        await join(h, sekretaris, Role.SEKRETARIS, "Bapak")
        assert "Selamat datang, Bapak Budi Santoso." in sekretaris.messages[-1].plain_text

        await kasubag.send("/buka_periode")
        await kasubag.tap("Triwulan I 2026")
        request = await sekretaris.wait_for_text("Persetujuan pembukaan", timeout=10)
        assert "Mohon Bapak berkenan menyetujui" in request.plain_text
        asked = h.clock.now()
        standard = core.standard(Step.OPEN)
        h.clock.set(asked + standard + timedelta(minutes=20))
        assert await reminders.check(core) == 1
        reminder = await sekretaris.wait_for_text("Pengingat", timeout=10)
        deadline = core.config.calendar.add_working(asked, standard)
        late = format_duration(timedelta(minutes=20))
        assert (
            f"batas {clock_time(deadline, core.config.calendar.tz)}, terlambat {late}"
            in reminder.plain_text
        )
        assert reminder.buttons == request.buttons == [["Setujui", "Tolak"]]

        # Tapping the reminder's Setujui is the decision: the request's buttons go too.
        await sekretaris.tap("Setujui", message=reminder)
        await kasubag.wait_for_text("Disetujui oleh", timeout=10)
        assert await buttons_gone(request) and await buttons_gone(reminder)
        assert "Disetujui oleh Budi Santoso" in request.plain_text
        assert "Disetujui oleh" not in reminder.plain_text  # told once, on the request
    finally:
        texts.set_titles()  # kept per process: leave the SOP's for the other tests
