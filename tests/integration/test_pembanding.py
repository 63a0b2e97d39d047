"""A figure the bot can compute itself (issue 19, item 5(a)): the catalogue's ``pembanding``.

The Sekretariat types its own budget absorption as an indicator; the bot computes it from the
budgets entered. The card shows the bot's figure beside the one to type; a typed figure more
than one point away is a soft check that needs an explanation; the typed figure stands.
"""

from __future__ import annotations

import io
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl

from bot.model import Aggregation, Catalog, Direction, Indicator, Pembanding
from bot.numbers_format import format_percent
from bot.services.files.catalog import store_catalog
from bot.services.files.templates import template_context
from bot.services.quarter import forms, webform
from bot.texts import quarter as tq
from exports.template import build_template
from storage import periods
from tests.integration.office import Office, Person, set_up_agency, small_catalog, take_document

D = Decimal
NAME = "Persentase realisasi anggaran Sekretariat"


def catalog_with_absorption() -> Catalog:
    """The small catalogue, the Sekretariat's absorption typed as its third indicator."""
    base = small_catalog()
    sub = next(a.code for a in base.activities if a.unit_code == "sekretariat" and a.pagu)
    absorption = Indicator(
        "IK-1.3",
        NAME,
        "sekretariat",
        sub,
        "%",
        Direction.UP,
        Aggregation.LATEST,
        D(95),
        (D(20), D(45), D(70), D(95)),
        pembanding=Pembanding.PENYERAPAN_UNIT,
    )
    return replace(base, indicators=(*base.indicators, absorption))


async def _opened(tmp_path: Path) -> tuple[Office, dict[str, Person]]:
    office = await Office.create(tmp_path / "kinerja.sqlite3")
    p = await set_up_agency(office)
    async with office.core.work(None) as work:
        stored = await store_catalog(work, catalog_with_absorption(), None)
        assert stored.ok, stored.summary
    await p["kasubag"].send("/buka_periode")
    await p["kasubag"].tap("Triwulan I 2026")
    await p["sekretaris"].tap("Setujui")
    return office, p


async def _saved(office: Office) -> tuple[Decimal, str, str]:
    async with office.core.work(None) as work:
        (period,) = await periods.periods(work.conn, 2026)
        report = await periods.unit_report_for(work.conn, period.id, "sekretariat")
        assert report is not None
        form = await forms.load(work, report, period)
    (entry,) = [form.current[s.id] for s in form.indicators if s.indicator.code == "IK-1.3"]
    return entry.value, entry.soft, entry.explanation


async def test_a_typed_unit_absorption_that_disagrees_with_the_budgets_asks(
    tmp_path: Path,
) -> None:
    office, p = await _opened(tmp_path)
    try:
        op = p["op_sek"]
        await op.send("/isi")
        fill = "\n".join(m.text for m in await op.new())
        # asked after the budget it is checked against
        assert fill.index("Anggaran Sub kegiatan Sekretariat") < fill.index(NAME)
        # Rp15.500.000 of Rp100.000.000: the bot's own figure is 15,5 %; 20 is typed
        await op.send("1. 20\n2. 9\n3. 15.500.000\n4. 20")
        seen = "\n".join(m.text for m in await op.new())
        own = format_percent(D("15.5"))
        assert f"{tq.SOFT_REASONS['PEMBANDING']} ({own})" in seen  # not saved in a batch
        # then the question on its own: its card shows the bot's figure
        assert f"Hitungan sistem dari realisasi anggaran: {own}" in seen
        await op.send("20")
        asked = "\n".join(m.text for m in await op.new())
        assert tq.SOFT_REASONS["PEMBANDING"] in asked and own in asked
        await op.send("Termasuk belanja pegawai di luar katalog")
        assert await _saved(office) == (
            D(20),
            "pembanding",
            "Termasuk belanja pegawai di luar katalog",
        )
    finally:
        await office.close()


async def test_the_mini_app_checks_the_typed_absorption_as_chat_does(tmp_path: Path) -> None:
    office, p = await _opened(tmp_path)
    try:
        op = p["op_sek"]
        await op.send("/isi")
        await op.send("3. 15.500.000")  # the budget first; question 4 is the absorption
        asked = await webform.check(office.core, op.origin(), 4, "20")
        assert asked.body["status"] == "explain"
        assert tq.SOFT_REASONS["PEMBANDING"] in asked.body["message"]
        fine = await webform.check(office.core, op.origin(), 4, "16")
        assert fine.body["status"] == "ok"
    finally:
        await office.close()


async def test_a_budget_corrected_afterwards_is_named_in_the_heads_brief(tmp_path: Path) -> None:
    office, p = await _opened(tmp_path)
    try:
        op = p["op_sek"]
        await op.send("/isi")
        await op.send("1. 20\n2. 9\n3. 15.500.000\n4. 16\n5. -\n6. -\n7. -\n8. -\n9. -")
        await op.send("3. 30.000.000")  # the budget corrected after the absorption was typed
        await p["sekretaris"].new()
        await op.tap("Kirim ke Sekretaris")
        brief = "\n".join(m.text for m in await p["sekretaris"].new())
        assert "Berbeda dengan hitungan sistem:" in brief
        assert f"diisi {format_percent(D(16))}, hitungan sistem {format_percent(D(30))}" in brief
    finally:
        await office.close()


async def test_a_typed_absorption_within_a_point_is_taken_as_it_is(tmp_path: Path) -> None:
    office, p = await _opened(tmp_path)
    try:
        op = p["op_sek"]
        await op.send("/isi")
        await op.send("1. 20\n2. 9\n3. 15.500.000\n4. 16")
        await op.new()
        assert await _saved(office) == (D(16), "", "")
        await op.tap("Ringkasan")  # the summary shows both figures too
        summary = "\n".join(m.text for m in await op.new())
        own = format_percent(D("15.5"))
        assert f"Hitungan sistem dari realisasi anggaran: {own}" in summary
    finally:
        await office.close()


async def test_an_upload_checks_the_typed_absorption_against_its_own_budgets(
    tmp_path: Path,
) -> None:
    office, p = await _opened(tmp_path)
    try:
        op = p["op_sek"]
        async with office.core.work(None) as work:
            (period,) = await periods.periods(work.conn, 2026)
            report = await periods.unit_report_for(work.conn, period.id, "sekretariat")
            assert report is not None
            context = await template_context(work, await forms.load(work, report, period))
        blank = build_template(context)

        async def upload(absorption: int) -> str:
            book = openpyxl.load_workbook(io.BytesIO(blank))
            book["Realisasi"]["J2"], book["Realisasi"]["J3"] = 20, 9
            book["Realisasi"]["J4"] = absorption
            book["Anggaran"]["E2"] = 15_500_000
            out = io.BytesIO()
            book.save(out)
            await take_document(office.core, op.origin(), "Formulir.xlsx", out.getvalue(), 9_000)
            return [m.text for m in await op.new() if "Pemeriksaan berkas" in m.text][-1]

        assert tq.SOFT_REASONS["PEMBANDING"] in await upload(20)
        assert tq.SOFT_REASONS["PEMBANDING"] not in await upload(16)
    finally:
        await office.close()


async def test_step_4_lists_agency_figures_off_the_budgets_and_targets_reached(
    tmp_path: Path,
) -> None:
    """The agency's absorption typed by the Sekretariat is checked once every unit is in; the
    coordinator also sees every annual target already reached before Triwulan IV."""
    office = await Office.create(tmp_path / "kinerja.sqlite3")
    try:
        p = await set_up_agency(office)
        base = catalog_with_absorption()
        agency_wide = replace(
            base.indicators[-1],
            name="Persentase realisasi anggaran Dinas",
            pembanding=Pembanding.PENYERAPAN_DINAS,
        )
        async with office.core.work(None) as work:
            catalog = replace(base, indicators=(*base.indicators[:-1], agency_wide))
            assert (await store_catalog(work, catalog, None)).ok
        await p["kasubag"].send("/buka_periode")
        await p["kasubag"].tap("Triwulan I 2026")
        await p["sekretaris"].tap("Setujui")
        notes = "\n".join(f"{n}. -" for n in range(5, 10))
        await p["op_sek"].send("/isi")
        await p["op_sek"].send("1. 20\n2. 12\n3. 20\n4. 1.000.000\n" + notes)
        await p["op_sek"].tap("Kirim ke Sekretaris")
        # Penempatan's complaint rate, 8 %, is already under the year's 10 %
        for op, rate in (("op_pel", 12), ("op_pen", 8)):
            await p[op].send("/isi")
            await p[op].send(f"1. 20\n2. {rate}\n3. 1.000.000\n4. -\n5. -\n6. -\n7. -\n8. -")
            await p[op].tap("Kirim ke Kepala Bidang")
        for head in ("sekretaris", "kabid_pel", "kabid_pen"):
            await p[head].tap("Setujui")
        seen = "\n".join(m.text for m in await p["kasubag"].new())
        # Rp3.000.000 of Rp300.000.000 across the three units: 1 %; 20 was typed
        assert (
            f"IK-1.3 Persentase realisasi anggaran Dinas (Sekretariat): diisi "
            f"{format_percent(D(20))}, hitungan sistem {format_percent(D(1))}"
        ) in seen
        assert "Target tahunan sudah tercapai: tinjau target." in seen
        assert "IK-3.2 Persentase keluhan Bidang Penempatan (Bidang Penempatan)" in seen
        assert f"capaian tahunan {format_percent(D(120))}" in seen  # (2 × 10 − 8) / 10
        assert "IK-2.2" not in seen.split("tinjau target.")[1]  # 12 %: not yet
    finally:
        await office.close()
