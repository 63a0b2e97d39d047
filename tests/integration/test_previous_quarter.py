"""The previous quarter is always there when it exists (issue 19, item 2).

Triwulan I's "triwulan lalu" is Triwulan IV of the year before, imported with ``history
import`` or collected in the bot, matched by indicator code. The question card, the
ready-to-fill message and the template show it, and the posisi soft check uses it.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from bot.numbers_format import format_number
from bot.services.analysis.history import import_history_file
from bot.services.files.templates import template_context
from bot.services.quarter import forms
from bot.texts import quarter as tq
from storage import periods
from tests.integration.office import Office, Person, set_up_agency
from tests.integration.test_history import simple_file

D = Decimal
# Last year's Triwulan IV for the Sekretariat's two indicators (IK-1.1 jumlah, IK-1.2 posisi),
# and a Triwulan III that must not be taken for the previous quarter.
LAST_YEAR = [
    ("IK-1.1", 2025, "III", 11.0),
    ("IK-1.1", 2025, "IV", 7.0),
    ("IK-1.2", 2025, "III", 8.0),
    ("IK-1.2", 2025, "IV", 4.0),
]


async def _opened_with_history(tmp_path: Path) -> tuple[Office, dict[str, Person]]:
    office = await Office.create(tmp_path / "kinerja.sqlite3")
    p = await set_up_agency(office)
    imported = await import_history_file(office.core, simple_file(LAST_YEAR), None, "tw4.xlsx")
    assert imported.ok, imported.summary
    await p["kasubag"].send("/buka_periode")
    await p["kasubag"].tap("Triwulan I 2026")
    await p["sekretaris"].tap("Setujui")
    return office, p


async def test_triwulan_i_shows_the_imported_triwulan_iv(tmp_path: Path) -> None:
    office, p = await _opened_with_history(tmp_path)
    try:
        op = p["op_sek"]
        await op.send("/isi")
        shown = "\n".join(m.text for m in await op.new())
        seven, four = format_number(D(7)), format_number(D(4))
        # the ready-to-fill message: no "TW lalu –" for an indicator in the history
        assert f"(orang; TW lalu {seven})" in shown
        assert f"(%; TW lalu {four})" in shown
        assert "TW lalu –" not in shown
        # the first question card
        assert f"Realisasi triwulan lalu: {seven}" in shown
        await op.send("20")
        card = "\n".join(m.text for m in await op.new())
        assert f"Realisasi triwulan lalu: {four}" in card

        # the posisi check fires in Triwulan I: 4 → 9 moved by more than half
        await op.send("9")
        asked = "\n".join(m.text for m in await op.new())
        assert tq.SOFT_REASONS["POSISI_JUMP"] in asked
        await op.send("Metode penghitungan keluhan berubah mulai tahun ini")
        async with office.core.work(None) as work:
            (period,) = await periods.periods(work.conn, 2026)
            report = await periods.unit_report_for(work.conn, period.id, "sekretariat")
            assert report is not None
            form = await forms.load(work, report, period)
            context = await template_context(work, form)
        saved = {s.indicator.code: form.current[s.id] for s in form.indicators}
        assert saved["IK-1.2"].value == D(9) and saved["IK-1.2"].soft == "posisi_jump"
        # the template's "realisasi triwulan lalu" column
        assert dict(context.previous) == {"IK-1.1": D(7), "IK-1.2": D(4)}
        # the head's brief: the confirmed jump beside last quarter's value
        await p["sekretaris"].new()
        await op.send("3. 25.000.000\n4. -\n5. -\n6. -\n7. -\n8. -")
        await op.tap("Kirim ke Sekretaris")
        brief = "\n".join(m.text for m in await p["sekretaris"].new())
        assert f"TW lalu {four}) — Metode penghitungan keluhan" in brief
    finally:
        await office.close()


async def test_a_value_within_half_of_triwulan_iv_is_not_asked_back(tmp_path: Path) -> None:
    office, p = await _opened_with_history(tmp_path)
    try:
        op = p["op_sek"]
        await op.send("/isi")
        await op.send("20")
        await op.new()
        await op.send("5")  # 4 → 5: a quarter more, within half
        reply = "\n".join(m.text for m in await op.new())
        assert tq.SOFT_REASONS["POSISI_JUMP"] not in reply
    finally:
        await office.close()
