"""People come and go through the real bot and the simulator: a kabid's role handed over while
a report waits (the request follows it), a deactivated operator, the last admin, and forged
admin buttons from a non-admin."""

from __future__ import annotations

from bot.model import Role
from bot.services.files.catalog import store_catalog
from bot.sim import SimPerson
from bot.texts import common as texts
from bot.texts import people as tp
from storage import periods
from tests.e2e.conftest import Harness
from tests.integration.office import small_catalog

WAIT = 15


async def set_up(h: Harness) -> dict[str, SimPerson]:
    assert h.runtime is not None
    async with h.runtime.core.work(None) as work:
        assert (await store_catalog(work, small_catalog(), None)).ok
    cast = {
        "kasubag": (Role.KASUBAG_KPEP, None),
        "sekretaris": (Role.SEKRETARIS, None),
        "op_pel": (Role.OPERATOR, "pelatihan"),
        "kabid_pel": (Role.KABID, "pelatihan"),
        "sari": (Role.OPERATOR, "penempatan"),
    }
    people = {}
    for key, (role, unit) in cast.items():
        person = h.sim.person(key.replace("_", " ").title(), last_name="Uji")
        await h.join(person, role, unit, admin_=key == "kasubag")
        people[key] = person
    return people


async def test_a_kabid_handed_over_while_a_report_waits(harness: Harness) -> None:
    p = await set_up(harness)
    kasubag, kabid, sari = p["kasubag"], p["kabid_pel"], p["sari"]
    await kasubag.send("/buka_periode")
    await kasubag.tap("Triwulan I 2026")
    await p["sekretaris"].wait_for_text("Persetujuan pembukaan", timeout=WAIT)
    await p["sekretaris"].tap("Setujui")
    op = p["op_pel"]
    await op.wait_for(lambda m: m.document is not None, timeout=WAIT, since=0)
    await op.send("/isi")
    await op.wait_for_text("no. 1 dari", timeout=WAIT)
    await op.send("1. 20\n2. 5\n3. 1.000.000\n4. -\n5. -\n6. -\n7. -\n8. -")
    await op.wait_for_text("Ringkasan", timeout=WAIT)
    await op.tap("Kirim ke Kepala Bidang", timeout=WAIT)
    request = await kabid.wait_for_text("Pemeriksaan laporan", timeout=WAIT, since=0)
    approve = request.button_data("Setujui")
    assert approve

    # the admin hands the kabid's role to Sari (a registered person) from /anggota
    await kasubag.send("/anggota")
    listing = await kasubag.wait_for_text("Anggota terdaftar", timeout=WAIT)
    await kasubag.tap("Kabid Pel Uji", listing)
    await kasubag.tap("Serahkan: Kepala Bidang Bidang Pelatihan", timeout=WAIT)
    pick = await kasubag.wait_for_text("Serahkan peran", timeout=WAIT)
    await kasubag.tap("Sari Uji", pick)
    await kasubag.wait_for_text("diserahkan", timeout=WAIT)

    # Sari now has Setujui / Minta revisi; the old request lost its buttons
    offered = await sari.wait_for(
        lambda m: m.button_data("Setujui") is not None and "Pemeriksaan" in m.plain_text,
        timeout=WAIT,
        since=0,
    )
    assert offered.button_data("Minta revisi")
    await kabid.wait_for(lambda m: m is request and not m.buttons, timeout=WAIT, since=0)
    assert "dialihkan" in request.plain_text

    # the old holder's tap is refused and changes nothing
    await kabid.tap_data(approve, request)
    _, answer, _ = await kabid.wait_callback_answer(timeout=WAIT)
    assert answer == texts.BUTTON_NOT_YOURS
    await sari.tap("Setujui", offered)
    await sari.wait_for_text("Disetujui", timeout=WAIT)
    assert harness.runtime is not None
    async with harness.runtime.core.db.reading() as conn:
        period = await periods.current_period(conn)
        assert period is not None
        report = await periods.unit_report_for(conn, period.id, "pelatihan")
    assert report is not None and report.state.value == "disetujui"


async def test_deactivated_last_admin_and_forged_admin_buttons(harness: Harness) -> None:
    p = await set_up(harness)
    kasubag, op = p["kasubag"], p["op_pel"]
    # an operator forging admin buttons is refused, and nothing changes
    for data in ("ms:1", "md:1", "mk:4", "mb:1", "mt:1", "mg:4:5", "il:0", "iv:1", "ir:kadin"):
        await op.tap_data(data)
        _, answer, _ = await op.wait_callback_answer(timeout=WAIT)
        assert answer == texts.ADMIN_ONLY, data
    # the last admin cannot revoke herself
    await kasubag.send("/anggota")
    listing = await kasubag.wait_for_text("Anggota terdaftar", timeout=WAIT)
    await kasubag.tap("Kasubag Uji", listing)
    await kasubag.tap(tp.BTN_REVOKE_ADMIN, timeout=WAIT)
    await kasubag.tap(tp.BTN_REVOKE_ADMIN_YES, timeout=WAIT)
    await kasubag.wait_for_text("satu-satunya pengelola bot", timeout=WAIT)
    # the operator is deactivated: told once, then "not registered" to everything
    await kasubag.send("/anggota")
    listing = await kasubag.wait_for_text("Anggota terdaftar", timeout=WAIT)
    await kasubag.tap("Op Pel Uji", listing)
    card = await kasubag.wait_for_text("Terdaftar sejak", timeout=WAIT)
    await kasubag.tap(tp.BTN_DEACTIVATE, card)
    confirm = await kasubag.wait_for_text("Nonaktifkan <b>Op Pel Uji", timeout=WAIT)
    await kasubag.tap(tp.BTN_DEACTIVATE_YES, confirm)
    await kasubag.wait_for_text("dinonaktifkan", timeout=WAIT)
    await op.wait_for_text("dinonaktifkan oleh pengelola bot", timeout=WAIT, since=0)
    await op.send("/isi")
    await op.wait_for_text("belum terdaftar", timeout=WAIT)
    await op.send("/bantuan")
    await op.wait_for_text("belum terdaftar", timeout=WAIT)
    told = [m for m in op.messages if "dinonaktifkan oleh pengelola bot" in m.plain_text]
    assert len(told) == 1
