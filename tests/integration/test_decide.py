"""Nothing decided blind (issue 19, item 3), at the service layer.

Step 4 is not sent without a narrative unless the coordinator says so twice, and the draft's
message says what went up. The Sekretaris and the Kepala Dinas read a summary of at most five
lines and the narrative (its first part, the rest a tap away). After a return the request
leads with what changed; figures that changed after a narrative was chosen are said.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from bot.numbers_format import format_number, format_percent
from bot.services.analysis import choice
from bot.services.work import NOTE_ROOM
from bot.texts import common as texts
from bot.texts import decide as td
from bot.texts.common import utf16_len
from bot.texts.fit import PHONE_LIMIT
from bot.workflow import PeriodState
from storage import periods
from tests.integration.office import Office, Person
from tests.integration.test_drafted_services import button, compiled
from tests.integration.test_people import cleared_in

__all__ = ["compiled"]  # the fixture, shared with the drafted analysis' tests

D = Decimal
Compiled = tuple[Office, dict[str, Person]]


async def _state(office: Office) -> PeriodState:
    async with office.core.db.reading() as conn:
        (period,) = await periods.periods(conn, 2026)
    return period.state


async def _period(office: Office) -> periods.Period:
    async with office.core.db.reading() as conn:
        (period,) = await periods.periods(conn, 2026)
    return period


async def _narrative(office: Office) -> str:
    async with office.core.db.reading() as conn:
        (period,) = await periods.periods(conn, 2026)
    return period.narrative


async def _stamps(office: Office, kasubag: Person) -> list[str]:
    """What step 4's messages (the draft's among them) say once sent on."""
    return [
        str(c["note"])
        for c in await cleared_in(office, kasubag.telegram_id)
        if str(c.get("note", "")).startswith("➡️ Diteruskan oleh")
    ]


def _summary(request: str) -> list[str]:
    """The summary's lines: from its title to the first blank line."""
    lines = request.split("\n")
    start = next(n for n, line in enumerate(lines) if line.startswith("Ringkasan "))
    end = lines.index("", start)
    return lines[start:end]


async def test_sending_without_a_narrative_asks_first_and_is_stamped(compiled: Compiled) -> None:
    office, p = compiled
    kasubag = p["kasubag"]
    await kasubag.tap("Kirim ke Sekretaris")
    asked = [m for m in await kasubag.new() if "Narasi analisis belum dipilih" in m.text]
    assert len(asked) == 1
    labels = {label for row in asked[0].buttons for label, _ in row}
    assert labels == {"✔️ Pakai draf", "📝 Tulis sendiri", td.BTN_SEND_BARE}
    assert await _state(office) is PeriodState.COMPILING
    await kasubag.tap(td.BTN_SEND_BARE)
    assert await _state(office) is PeriodState.COMPILING  # asked once more
    assert any("tanpa narasi analisis" in m.text for m in await kasubag.new())
    await kasubag.tap(td.BTN_SEND_BARE_YES)
    assert await _state(office) is PeriodState.SECRETARY_REVIEW
    stamps = await _stamps(office, kasubag)
    assert stamps and all(s.endswith("tanpa narasi analisis.") for s in stamps)
    request = (await p["sekretaris"].new())[-1].text
    assert "Tanpa narasi analisis." in request


async def test_the_reviewers_see_the_summary_and_the_narrative(compiled: Compiled) -> None:
    office, p = compiled
    kasubag = p["kasubag"]
    await kasubag.tap_data(button(await kasubag.inbox(), "✔️ Pakai draf", "Draf narasi"))
    narrative = await _narrative(office)
    assert narrative
    await kasubag.tap("Kirim ke Sekretaris")  # chosen: sent at once
    assert await _state(office) is PeriodState.SECRETARY_REVIEW
    stamps = await _stamps(office, kasubag)
    assert stamps and all(s.endswith("dengan narasi dari draf sistem.") for s in stamps)

    for reviewer in ("sekretaris", "kadin"):
        request = next(
            m for m in reversed(await p[reviewer].inbox()) if "Ringkasan Triwulan I" in m.text
        )
        assert utf16_len(request.text) <= PHONE_LIMIT
        summary = _summary(request.text)
        assert len(summary) <= 5 + 1  # the title and at most five lines
        # 5 indicators at 100 % and Penempatan's 13 of 25 (52 %): a mean of 92 %
        assert f"Capaian rata-rata {format_percent(D(92))} (Sangat Tinggi)" in summary[1]
        assert "dari 6 indikator yang memiliki target" in summary[1]
        # Rp70.000.000 of Rp300.000.000 against a quarter of the year
        absorption = format_percent(D(70) / D(300) * 100)
        assert f"Penyerapan anggaran {absorption} dari pagu" in summary[2]
        assert f"waktu berjalan {format_percent(D(25))}" in summary[2]
        # named, the code in brackets: a reviewer does not know what IK-3.1 is
        named = td.indicator_label("Jumlah layanan Bidang Penempatan", "IK-3.1")
        assert f"indikator {named}" in summary[3]
        assert named.startswith("Jumlah layanan") and named.endswith(" (IK-3.1)")
        # the narrative follows: whole, or its first part with the rest a tap away
        body = request.text.split("Narasi analisis:\n", 1)[1]
        if td.BTN_NARRATIVE_FULL in {label for row in request.buttons for label, _ in row}:
            assert " ".join(narrative.split())[:200] in " ".join(body.split())
            await p[reviewer].tap(td.BTN_NARRATIVE_FULL)
            whole = "\n".join(m.text for m in await p[reviewer].new())
            assert " ".join(narrative.split()) in " ".join(whole.split())
        else:
            assert " ".join(narrative.split()) in " ".join(body.split())
        if reviewer == "sekretaris":
            await p["sekretaris"].tap("Setujui")
        # no request of the first round leads with changes
        assert "Perubahan setelah dikembalikan" not in request.text


async def test_after_a_return_the_request_leads_with_what_changed(compiled: Compiled) -> None:
    office, p = compiled
    kasubag = p["kasubag"]
    await kasubag.tap_data(button(await kasubag.inbox(), "✔️ Pakai draf", "Draf narasi"))
    chosen = await _narrative(office)
    await kasubag.tap("Kirim ke Sekretaris")
    await p["sekretaris"].tap("Minta revisi")
    await p["sekretaris"].send("Mohon periksa kembali capaian Bidang Penempatan")
    assert await _state(office) is PeriodState.COMPILING

    # the coordinator returns Penempatan, which corrects 13 to 20
    await kasubag.tap("Kembalikan laporan unit")
    await kasubag.tap("Bidang Penempatan")
    await kasubag.send("Periksa realisasi IK-3.1")
    await p["op_pen"].send("/isi")
    await p["op_pen"].send("1. 20")
    await p["op_pen"].tap("Kirim ke Kepala Bidang")
    await kasubag.new()
    await p["kabid_pen"].tap("Setujui")
    # compiled again from changed figures: the coordinator is told, the new draft offered
    told = "\n".join(m.text for m in await kasubag.new())
    assert "Angka berubah setelah narasi dipilih" in told
    assert "Draf narasi analisis" in told
    await kasubag.tap_data(button(await kasubag.inbox(), "✔️ Pakai draf", "Draf narasi"))
    assert await _narrative(office) != chosen
    await kasubag.tap("Kirim ke Sekretaris")

    request = (await p["sekretaris"].new())[-1].text
    assert utf16_len(request) <= PHONE_LIMIT
    change = td.move("IK-3.1", format_number(D(13)), format_number(D(20)))
    assert request.startswith(
        f"Perubahan setelah dikembalikan: {td.NARRATIVE_CHANGED}; {change}."
    ), request[:200]
    # the Kepala Dinas never saw what the Sekretaris returned: no change to lead with
    await p["sekretaris"].tap("Setujui")
    head = await p["kadin"].new()
    assert not any("Perubahan setelah dikembalikan" in m.text for m in head)
    assert any("Ringkasan Triwulan I" in m.text for m in head)


async def test_a_long_narrative_opens_in_the_request_with_the_summary(compiled: Compiled) -> None:
    """A long narrative's first part is sized for the request as it is sent (a tagged message
    keeps room for its note): under a long summary it stays in the message with it, not split
    off into a second message without the summary."""
    office, _ = compiled
    opening = "Rata-rata capaian kinerja Dinas triwulan ini tinggi."
    long = "\n\n".join([opening] + [f"Paragraf {n}: " + "uraian analisis " * 20 for n in range(8)])
    period = replace(await _period(office), narrative=long)
    above = "\n".join(["Ringkasan Triwulan I 2026"] + ["• " + "angka ringkasan " * 9] * 5)
    narrative, more = choice.narrative_block(period, above)
    assert more  # the rest a tap away
    (request,) = texts.split_message(f"{above}\n\n{narrative}", PHONE_LIMIT - NOTE_ROOM)
    assert f"Narasi analisis:</b>\n{opening}" in request
