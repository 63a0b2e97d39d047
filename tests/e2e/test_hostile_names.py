"""Names that look like markup travel through the real bot and the simulator (which refuses
invalid HTML with 400 "can't parse entities", as Telegram does): every message arrives, and
shows the names exactly as typed."""

from __future__ import annotations

from bot.model import Role, Unit, UnitKind
from bot.services.files.catalog import store_catalog
from bot.services.people import admin
from tests.e2e.conftest import Harness
from tests.integration.office import UNITS, small_catalog

UNIT_NAME = 'Bidang P&K <Pelatihan> "Kerja"'


async def test_a_unit_and_people_named_like_markup_get_every_message(harness: Harness) -> None:
    assert harness.runtime is not None
    core = harness.runtime.core
    renamed = [
        Unit("pelatihan", UNIT_NAME, UnitKind.BIDANG) if u.code == "pelatihan" else u for u in UNITS
    ]
    await admin.import_units(core, renamed, "Dinas <Tenaga> & Kerja")
    async with core.work(None) as work:
        assert (await store_catalog(work, small_catalog(), None)).ok
    kasubag = harness.sim.person("Sri", last_name="<b>Kasubag</b>")
    sekretaris = harness.sim.person("Budi & Co")
    operator = harness.sim.person("<i>Tono", last_name="Operator & <Staf>")
    kabid = harness.sim.person("Joko", last_name="</b>Kabid<script>")
    await harness.join(kasubag, Role.KASUBAG_KPEP, admin_=True)
    await harness.join(sekretaris, Role.SEKRETARIS)
    await harness.join(operator, Role.OPERATOR, "pelatihan")
    await harness.join(kabid, Role.KABID, "pelatihan")
    await kasubag.send("/buka_periode")
    await kasubag.tap("Triwulan III 2026")  # the harness clock: October 2026
    await sekretaris.tap("Setujui")
    await operator.wait_for_text("dibuka")
    await operator.send("/isi")
    for answer in ("25", "9", "Rp 1.000.000", "<b>kendala</b> & lain", "-", "-", "-", "-"):
        await operator.send(answer)
        await operator.wait_for(
            lambda m: "Tersimpan" in m.plain_text or "Ringkasan" in m.plain_text
        )
    await operator.tap("Kirim ke Kepala Bidang")
    request = await kabid.wait_for_text("Pemeriksaan laporan")
    assert UNIT_NAME in request.plain_text and "<i>Tono Operator & <Staf>" in request.plain_text
    # The operator asks to edit the sent report: "not editable", with the unit's name.
    await operator.send("/isi")
    refusal = await operator.wait_for(lambda m: "tidak dapat diubah" in m.plain_text)
    assert UNIT_NAME in refusal.plain_text
    await kabid.tap("Minta revisi")
    await kabid.reply("Periksa <angka> & satuan")
    returned = await operator.wait_for(lambda m: "dikembalikan oleh" in m.plain_text)
    assert "Joko </b>Kabid<script>" in returned.plain_text
    assert "Periksa <angka> & satuan" in returned.plain_text
    await kasubag.send("/status")
    status = await kasubag.wait_for_text("Status")
    assert UNIT_NAME in status.plain_text
    refused = [c for c in harness.sim.calls if c.status == 400 and "parse" in (c.error or "")]
    assert refused == []
