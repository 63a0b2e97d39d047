"""The drafted analysis through the simulator (issue 14): step 4's narrative edited and sent up,
step 6's suggestions, one kept and one edited, reaching their units in step 8. The quarter runs
as in production, each chat paced (issue 20), against a simulator that applies Telegram's
per-chat limits: not one message may come back with a 429."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.model import Role
from bot.numbers_format import format_percent
from bot.pacing import ChatPace
from bot.services.files.catalog import store_catalog
from bot.sim import SimPerson
from storage import audit, drafted, followups, periods
from tests.e2e.conftest import Harness
from tests.integration.office import small_catalog

# Two indicators, one budget, five notes per unit. Penempatan serves 13 of 25 (52%); the
# Sekretariat spends Rp 2.000.000 of Rp 100.000.000 in a quarter that is 25 % of the year.
ANSWERS = {
    "sekretariat": ["25", "10", "Rp 2.000.000", "-", "Dukungan pimpinan", "-", "-", "-"],
    "pelatihan": ["26", "9", "Rp 30.000.000", "-", "-", "-", "-", "-"],
    "penempatan": ["13", "10", "Rp 25.000.000", "-", "-", "Lowongan sepi", "-", "-"],
}
APPROVER = {"sekretariat": "sekretaris", "pelatihan": "kabid_pel", "penempatan": "kabid_pen"}


async def cast(h: Harness) -> dict[str, SimPerson]:
    assert h.runtime is not None
    async with h.runtime.core.work(None) as work:
        assert (await store_catalog(work, small_catalog(), None)).ok
    roles = {
        "kasubag": (Role.KASUBAG_KPEP, None),
        "sekretaris": (Role.SEKRETARIS, None),
        "kadin": (Role.KADIN, None),
        "op_sek": (Role.OPERATOR, "sekretariat"),
        "op_pel": (Role.OPERATOR, "pelatihan"),
        "kabid_pel": (Role.KABID, "pelatihan"),
        "op_pen": (Role.OPERATOR, "penempatan"),
        "kabid_pen": (Role.KABID, "penempatan"),
    }
    people = {}
    for key, (role, unit) in roles.items():
        person = h.sim.person(key.replace("_", " ").title())
        await h.join(person, role, unit, admin_=key == "kasubag")
        people[key] = person
    return people


async def every_unit_sent_up(p: dict[str, SimPerson]) -> None:
    """Triwulan I 2026 opened, and every unit's report entered and sent to its approver."""
    await p["kasubag"].send("/buka_periode")
    await p["kasubag"].tap("Triwulan I 2026")
    await p["sekretaris"].tap("Setujui")
    for unit, key in (("sekretariat", "op_sek"), ("pelatihan", "op_pel"), ("penempatan", "op_pen")):
        op = p[key]
        await op.wait_for(lambda m: m.document is not None, timeout=10, since=0)
        await op.send("/isi")
        await op.wait_for_text("no. 1 dari", timeout=10)
        await op.send("\n".join(f"{n}. {a}" for n, a in enumerate(ANSWERS[unit], 1)))
        await op.wait_for_text("Ringkasan", timeout=10)
        # the Sekretariat has no Kepala Bidang: its report goes to the Sekretaris
        await op.tap("Kirim ke Sekretaris" if unit == "sekretariat" else "Kirim ke Kepala Bidang")
        await op.wait_for_text("dikirim ke", timeout=10)


@pytest.mark.paced
async def test_drafted_narrative_and_suggestions(harness: Harness) -> None:
    await harness.stop()
    harness.rate_limit = True  # the production setup: PTB's limiter and the per-chat pace
    harness.sim.limits = ChatPace()  # Telegram's per-chat limits, refused with a 429
    await harness.start()
    p = await cast(harness)
    kasubag, kadin = p["kasubag"], p["kadin"]
    await every_unit_sent_up(p)
    for key in APPROVER.values():
        await p[key].wait_for(lambda m: m.button_data("Setujui") is not None, 10, since=0)
        await p[key].tap("Setujui")
        await p[key].wait_for_text("Disetujui", timeout=10)

    # Step 4: the draft arrives with the package; Ubah brings it back, the edit goes up.
    draft = await kasubag.wait_for_text("Draf narasi analisis", timeout=15, since=0)
    assert "Rata-rata capaian kinerja Dinas s.d. Triwulan I" in draft.plain_text
    assert "“Lowongan sepi” (Bidang Penempatan)" in draft.plain_text
    assert {"✔️ Pakai draf", "✏️ Ubah", "📝 Tulis sendiri"} <= {b for r in draft.buttons for b in r}
    await kasubag.tap("✏️ Ubah", message=draft)
    copy = await kasubag.wait_for(lambda m: m.force_reply, timeout=10)
    edited = copy.plain_text + "\n\nPenyerapan anggaran Sekretariat akan dipercepat."
    await kasubag.send(edited)
    await kasubag.wait_for_text("tersimpan", timeout=10)
    await kasubag.tap("Kirim ke Sekretaris")
    await kasubag.wait_for_text("Diteruskan", timeout=10)
    await p["sekretaris"].tap("Setujui", timeout=10)

    # Step 6: two suggestions, by the gap in points: Penempatan's capaian of 52 % (24 points
    # under 76) before the Sekretariat's 2 % absorbed against 25 % of the year (23 points).
    # The first kept, the second edited, one of the head's own.
    await kadin.wait_for_text("Saran rekomendasi", timeout=15, since=0)
    first = await kadin.wait_for(lambda m: m.plain_text.startswith("1. "), 10, since=0)
    second = await kadin.wait_for(lambda m: m.plain_text.startswith("2. "), 10, since=0)
    pct = format_percent
    assert first.plain_text.startswith("1. Bidang Penempatan agar pada triwulan berikutnya ")
    assert f"(realisasi 13 dari target 25, capaian {pct(Decimal(52))})" in first.plain_text
    assert first.text.startswith("1. <b>Bidang Penempatan</b> agar")  # named once, in bold
    assert second.plain_text.startswith("2. Sekretariat agar mempercepat penyerapan anggaran")
    assert f"baru {pct(Decimal(2))} dari pagu" in second.plain_text
    await kadin.tap("✔️ Pakai", message=first)
    await kadin.wait_for_text("Rekomendasi tersimpan (1", timeout=10)
    await kadin.tap("✏️ Ubah", message=second)
    suggestion = await kadin.wait_for(lambda m: m.force_reply, timeout=10)
    own_words = suggestion.plain_text.replace(" agar ", " agar segera ")
    await kadin.send(own_words)
    await kadin.wait_for_text("Rekomendasi tersimpan (2", timeout=10)
    await kadin.tap("Tambah rekomendasi umum")
    await kadin.wait_for(lambda m: m.force_reply, timeout=10)
    await kadin.send("Jaga ketepatan waktu pelaporan")
    await kadin.wait_for_text("Rekomendasi tersimpan (3", timeout=10)
    await kadin.tap("Setujui")
    await p["sekretaris"].tap("Serahkan laporan dan rekomendasi", timeout=10)
    await kasubag.tap("Sampaikan rekomendasi", timeout=10)

    # Step 8: each unit receives what was kept, as it was kept.
    kept = first.plain_text.removeprefix("1. ").split("\n\n")[0]  # without "✔️ Dipakai …"
    await p["op_pen"].wait_for_text(kept, timeout=10, since=0)
    await p["op_sek"].wait_for_text(own_words, timeout=10, since=0)

    assert harness.runtime is not None
    async with harness.runtime.db.reading() as conn:
        period = await periods.current_period(conn)
        assert period is not None
        assert " ".join(period.narrative.split()) == " ".join(edited.split())
        sources = [e.detail.get("source") for e in await audit.entries(conn, "period")]
        assert "edited" in sources
        recs = await followups.recommendations(conn, period.id)
        assert [(r.unit_code, r.text) for r in recs] == [
            ("penempatan", kept),
            ("sekretariat", own_words),
            (None, "Jaga ketepatan waktu pelaporan"),
        ]
        states = [d.state for d in await drafted.of_period(conn, period.id, drafted.SARAN)]
        assert states == [drafted.KEPT, drafted.EDITED]
        added = [e.detail.get("source") for e in await audit.entries(conn, "recommendation")]
        assert added == ["suggested", "suggested_edited", None]

    # paced as Telegram asks: no chat was ever refused
    assert harness.sim.refusals(429) == [] and not harness.sim.flooded
