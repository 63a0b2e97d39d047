"""Onboarding through the simulator: invites for every role, bad tokens, the group, outsiders."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.model import Role
from storage import org
from tests.e2e.conftest import Harness


async def people_count(h: Harness) -> int:
    assert h.runtime is not None
    async with h.runtime.db.reading() as conn:
        return await org.count_people(conn)


@pytest.mark.parametrize(
    ("role", "unit", "title", "unit_name"),
    [
        (Role.KASUBAG_KPEP, None, "Kasubbag Keuangan, Perencanaan, Evaluasi, dan Pelaporan", None),
        (Role.SEKRETARIS, None, "Sekretaris", None),
        (Role.KADIN, None, "Kepala Dinas", None),
        (Role.KABID, "pelatihan", "Kepala Bidang", "Bidang Pelatihan"),
        (Role.OPERATOR, "sekretariat", "Kasubbag/Pejabat Fungsional", "Sekretariat"),
    ],
)
async def test_every_role_joins_and_is_named(
    harness: Harness, role: Role, unit: str | None, title: str, unit_name: str | None
) -> None:
    person = harness.sim.person("Siti", last_name="Aminah")
    token = await harness.invite(role, unit)
    await person.send(f"/start {token}")
    welcome = await person.wait_for_text("Selamat datang")
    assert title in welcome.plain_text
    if unit_name:
        assert unit_name in welcome.plain_text
    # the same token from a second person is refused and changes nothing
    other = harness.sim.person("Bambang")
    await other.send(f"/start {token}")
    refusal = await other.wait_for_text("sudah digunakan")
    assert "Selamat" not in refusal.plain_text
    assert await people_count(harness) == 1


async def test_bad_tokens_are_refused_and_change_nothing(harness: Harness) -> None:
    person = harness.sim.person("Dodi")
    await person.send("/start <script>")
    await person.wait_for_text("tidak dikenali")
    await person.send("/start " + "A" * 22)
    await person.wait_for_text("tidak ditemukan")
    expired = await harness.invite(Role.OPERATOR, "pelatihan")
    harness.clock.advance(timedelta(days=8))
    await person.send(f"/start {expired}")
    await person.wait_for_text("kedaluwarsa")
    await harness.invite(Role.KASUBAG_KPEP, admin_=True)  # the fixture's admin invite expired too
    revoked = await harness.invite(Role.OPERATOR, "pelatihan")
    assert harness.runtime is not None
    async with harness.runtime.core.work(None) as work:
        assert await org.revoke_invite(work.conn, revoked, work.now)
    await person.send(f"/start {revoked}")
    await person.wait_for_text("dicabut")
    assert await people_count(harness) == 0


async def test_outsiders_are_refused_politely(harness: Harness) -> None:
    outsider = harness.sim.person("Orang", last_name="Luar")
    await outsider.send("/start")
    await outsider.wait_for_text("tautan undangan")
    for text in ("/bantuan", "/anggota", "/undang", "halo", "/isi", "/buka_periode"):
        await outsider.send(text)
        reply = await outsider.wait_for(lambda m: "belum terdaftar" in m.plain_text)
        assert reply.text
    assert await people_count(harness) == 0


async def test_admin_invites_with_buttons_and_others_cannot(harness: Harness) -> None:
    admin = harness.sim.person("Admin")
    await harness.join(admin, Role.KASUBAG_KPEP, admin_=True)
    await admin.send("/undang")
    await admin.wait_for_text("Pilih <b>peran</b>")
    await admin.tap("Kepala Bidang")
    await admin.wait_for_text("unit kerja")
    await admin.tap("Bidang Penempatan")
    link = await admin.wait_for_text("https://t.me/kinerja_test_bot?start=")
    token = link.plain_text.split("start=")[1].split()[0]
    newcomer = harness.sim.person("Kabid", last_name="Baru")
    await newcomer.send(f"/start {token}")
    welcome = await newcomer.wait_for_text("Selamat datang")
    assert "Kepala Bidang" in welcome.plain_text and "Bidang Penempatan" in welcome.plain_text
    # a non-admin cannot invite or list members
    await newcomer.send("/undang")
    await newcomer.wait_for_text("hanya untuk pengelola bot")
    await newcomer.send("/anggota")
    await newcomer.wait_for_text("tidak tersedia untuk peran Anda")
    # the admin lists members
    await admin.send("/anggota")
    listing = await admin.wait_for_text("Anggota terdaftar")
    assert "Kabid Baru" in listing.plain_text


async def test_group_registration_by_admin_only(harness: Harness) -> None:
    admin = harness.sim.person("Admin")
    member = harness.sim.person("Anggota")
    await harness.join(admin, Role.KASUBAG_KPEP, admin_=True)
    await harness.join(member, Role.OPERATOR, "pelatihan")
    group = harness.sim.group("Dinas Tenaga Kerja")
    await member.send_in(group, "/daftarkan_grup")
    await group.wait_for_text("hanya untuk pengelola bot")
    await admin.send_in(group, "/daftarkan_grup@kinerja_test_bot")
    await group.wait_for_text("terdaftar sebagai grup Dinas")
    await member.send_in(group, "/isi")
    await group.wait_for_text("percakapan pribadi")
    assert harness.runtime is not None
    async with harness.runtime.db.reading() as conn:
        assert await org.agency_group(conn) == group.chat_id


async def test_bad_input_gets_indonesian_replies(harness: Harness) -> None:
    person = harness.sim.person("Rina")
    await harness.join(person, Role.OPERATOR, "pelatihan")
    await person.send("x" * 5000)
    await person.wait_for_text("terlalu panjang")
    await person.send("/entahlah")
    await person.wait_for_text("Perintah tidak dikenal")
    await person.send_sticker()
    await person.wait_for_text("hanya memahami pesan teks")
    await person.send("halo")
    await person.wait_for_text("Tidak ada dialog")
    await person.edit(person.last_sent_id, "halo lagi")
    await person.wait_for_text("diedit tidak diproses")
    assert await people_count(harness) == 1


async def test_help_is_per_role(harness: Harness) -> None:
    operator = harness.sim.person("Op")
    await harness.join(operator, Role.OPERATOR, "pelatihan")
    await operator.send("/bantuan")
    text = (await operator.wait_for_text("Bantuan")).plain_text
    assert "/isi" in text and "/buka_periode" not in text
