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
from bot.numbers import format_percent
from bot.services.files.catalog import store_catalog
from bot.services.files.templates import template_context
from bot.services.quarter import forms
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


async def test_a_typed_absorption_within_a_point_is_taken_as_it_is(tmp_path: Path) -> None:
    office, p = await _opened(tmp_path)
    try:
        op = p["op_sek"]
        await op.send("/isi")
        await op.send("1. 20\n2. 9\n3. 15.500.000\n4. 16")
        await op.new()
        assert await _saved(office) == (D(16), "", "")
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
