"""Steps 4 and 6 drafted, at the service layer (issue 14): every way a narrative is made is
recorded, every tap is re-checked (role, state, repeats), and a kept suggestion is an ordinary
recommendation given once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.services.analysis.drafts import DRAFTED, WRITTEN
from storage import audit, drafted, followups, periods
from tests.integration.office import Office, Person, Seen, send_to_secretary, set_up_agency

# Per unit: IK-n.1 (jumlah, target 25), IK-n.2 (posisi, less is better, target 10), budget.
# Penempatan's 13 of 25 is 52 %: a suggestion; the rest is on target.
TYPED = {
    "op_sek": ("25", "10", "Rp 20.000.000"),
    "op_pel": ("25", "10", "Rp 25.000.000"),
    "op_pen": ("13", "10", "Rp 25.000.000"),
}
NOTES = ("-", "Dukungan mitra", "-", "-", "-")


@pytest.fixture
async def compiled(tmp_path: Path) -> AsyncIterator[tuple[Office, dict[str, Person]]]:
    """Triwulan I with every unit approved: the period is in step 4."""
    office = await Office.create(tmp_path / "kinerja.sqlite3")
    p = await set_up_agency(office)
    await p["kasubag"].send("/buka_periode")
    await p["kasubag"].tap("Triwulan I 2026")
    await p["sekretaris"].tap("Setujui")
    for key, answers in TYPED.items():
        await p[key].send("/isi")
        for answer in (*answers, *NOTES):
            await p[key].send(answer)
        # the Sekretariat has no Kepala Bidang: its report goes to the Sekretaris
        await p[key].tap("Kirim ke Sekretaris" if key == "op_sek" else "Kirim ke Kepala Bidang")
    for key in ("sekretaris", "kabid_pel", "kabid_pen"):
        await p[key].tap("Setujui")
    try:
        yield office, p
    finally:
        await office.close()


def button(messages: list[Seen], label: str, containing: str = "") -> str:
    """The data of the newest button ``label`` on a message containing ``containing``."""
    for message in reversed(messages):
        for row in message.buttons:
            for text, data in row:
                if text == label and containing in message.text:
                    return data
    raise LookupError(label)


async def _period(office: Office) -> periods.Period:
    async with office.core.db.reading() as conn:
        (period,) = await periods.periods(conn, 2026)
    return period


async def _sources(office: Office) -> list[object]:
    async with office.core.db.reading() as conn:
        return [
            e.detail.get("source")
            for e in await audit.entries(conn, "period")
            if e.action == "narrative_written"
        ]


async def test_pakai_draf_is_recorded_as_drafted_and_checked(
    compiled: tuple[Office, dict[str, Person]],
) -> None:
    office, p = compiled
    inbox = await p["kasubag"].inbox()
    use = button(inbox, "✔️ Pakai draf", "Draf narasi analisis")
    # Not the kasubag_kpep's: refused, nothing changes.
    await p["op_pen"].tap_data(use)
    assert (await _period(office)).narrative == ""
    await p["kasubag"].tap_data(use)
    period = await _period(office)
    async with office.core.db.reading() as conn:
        (draft,) = await drafted.of_period(conn, period.id, drafted.NARASI)
    assert period.narrative == draft.text and draft.state == drafted.KEPT
    assert "Rata-rata capaian kinerja Dinas" in draft.text
    assert "“Dukungan mitra” (Sekretariat, Bidang Pelatihan, dan Bidang Penempatan)" in draft.text
    assert await _sources(office) == [DRAFTED]
    # The same tap again: already done, nothing doubled.
    again = await p["kasubag"].tap_data(use)
    assert again.toast is not None and "sudah diproses" in again.toast.lower()  # the pop-up
    assert await _sources(office) == [DRAFTED]


async def test_tulis_sendiri_is_written_and_the_draft_not_offered_again(
    compiled: tuple[Office, dict[str, Person]],
) -> None:
    office, p = compiled
    inbox = await p["kasubag"].inbox()
    await p["kasubag"].tap_data(button(inbox, "📝 Tulis sendiri", "Draf narasi analisis"))
    await p["kasubag"].send("Narasi yang ditulis sendiri.")
    assert (await _period(office)).narrative == "Narasi yang ditulis sendiri."
    assert await _sources(office) == [WRITTEN]
    await send_to_secretary(p["kasubag"])
    await p["sekretaris"].tap("Minta revisi")
    await p["sekretaris"].send("Perbaiki narasi")
    assert not any("Draf narasi analisis" in m.text for m in await p["kasubag"].new())


async def test_suggestions_kept_once_by_the_head_only(
    compiled: tuple[Office, dict[str, Person]],
) -> None:
    office, p = compiled
    await send_to_secretary(p["kasubag"])
    await p["sekretaris"].tap("Setujui")
    inbox = await p["kadin"].inbox()
    assert any("Saran rekomendasi" in m.text for m in inbox)
    keep = button(inbox, "✔️ Pakai", "Bidang Penempatan")
    await p["sekretaris"].tap_data(keep)  # not the head's button
    period = await _period(office)
    async with office.core.db.reading() as conn:
        assert await followups.recommendations(conn, period.id) == []
    await p["kadin"].tap_data(keep)
    await p["kadin"].tap_data(keep)  # a repeat: nothing doubled
    async with office.core.db.reading() as conn:
        recs = await followups.recommendations(conn, period.id)
    assert [(r.unit_code, "di bawah predikat Tinggi" in r.text) for r in recs] == [
        ("penempatan", True)
    ]
    # A return and a second review: the suggestion already kept is not offered again.
    await p["kadin"].tap("Minta revisi")
    await p["kadin"].send("Lengkapi data")
    await send_to_secretary(p["kasubag"])
    await p["sekretaris"].tap("Setujui")
    again = await p["kadin"].new()
    assert not any("Penempatan" in m.text and "di bawah predikat Tinggi" in m.text for m in again)


async def test_ubah_offers_a_long_draft_whole_and_saves_it_whole(
    compiled: tuple[Office, dict[str, Person]],
) -> None:
    """A draft longer than a phone's message comes to copy as one message: the reply to it
    (the only message that comes back) is the whole narrative, its opening included."""
    office, p = compiled
    period = await _period(office)
    opening = "Rata-rata capaian kinerja Dinas s.d. Triwulan I sebesar tinggi."
    paragraphs = [opening] + [f"Paragraf {n}: " + "uraian analisis " * 20 for n in range(8)]
    long_draft = "\n\n".join(paragraphs)
    async with office.core.db.transaction() as conn:
        await conn.execute(
            "UPDATE drafted SET text = ? WHERE period_id = ? AND kind = ?",
            (long_draft, period.id, drafted.NARASI),
        )
    inbox = await p["kasubag"].inbox()
    await p["kasubag"].tap_data(button(inbox, "✏️ Ubah", "Draf narasi analisis"))
    shown = [m.text for m in await p["kasubag"].new() if m.method == "sendMessage"]
    (copy,) = [m for m in shown if "Paragraf" in m]  # one message holds the whole draft
    assert copy == long_draft
    await p["kasubag"].send(copy + "\n\nKalimat tambahan.")
    narrative = (await _period(office)).narrative
    assert narrative.startswith(opening) and narrative.endswith("Kalimat tambahan.")
    assert await _sources(office) == ["edited"]


async def test_ubah_refuses_a_draft_too_long_for_one_message(
    compiled: tuple[Office, dict[str, Person]],
) -> None:
    office, p = compiled
    period = await _period(office)
    async with office.core.db.transaction() as conn:
        await conn.execute(
            "UPDATE drafted SET text = ? WHERE period_id = ? AND kind = ?",
            ("\n\n".join(["uraian analisis " * 30] * 12), period.id, drafted.NARASI),
        )
    inbox = await p["kasubag"].inbox()
    await p["kasubag"].tap_data(button(inbox, "✏️ Ubah", "Draf narasi analisis"))
    assert await p["kasubag"].saw("terlalu panjang untuk disalin")
    await p["kasubag"].send("Teks lepas.")
    assert (await _period(office)).narrative == ""  # no dialogue was opened for a part


async def test_pakai_draf_keeps_a_long_draft_whole(
    compiled: tuple[Office, dict[str, Person]],
) -> None:
    """A draft longer than a message is the narrative as it stands, never cut at a length."""
    office, p = compiled
    period = await _period(office)
    long_draft = "\n\n".join(f"Paragraf {n}: " + "uraian analisis " * 30 for n in range(12))
    assert len(long_draft) > 4000
    async with office.core.db.transaction() as conn:
        await conn.execute(
            "UPDATE drafted SET text = ? WHERE period_id = ? AND kind = ?",
            (long_draft, period.id, drafted.NARASI),
        )
    inbox = await p["kasubag"].inbox()
    await p["kasubag"].tap_data(button(inbox, "✔️ Pakai draf", "Draf narasi analisis"))
    assert (await _period(office)).narrative == long_draft
