"""The head's brief says what needs attention (issue 19, items 4 and 5(b)).

Every indicator under 76 % capaian s.d. triwulan is named, absorption far behind the year is
said, an explanation given for a soft-checked value is shown whole, progress reported without
spending is flagged, and "nothing needs attention" appears only when that is true. Expected
figures are formatted with the same functions the bot uses.
"""

from __future__ import annotations

import io
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from bot.numbers_format import format_number, format_percent, format_quantity
from bot.services.analysis.history import import_history_file
from bot.services.files.catalog import store_catalog
from bot.services.files.templates import template_context
from bot.services.quarter import forms
from bot.texts.common import utf16_len
from bot.texts.fit import PHONE_LIMIT
from exports.template import build_template
from storage import periods
from tests.integration.office import (
    Office,
    Person,
    set_up_agency,
    small_catalog,
    take_document,
)
from tests.integration.test_history import simple_file

D = Decimal
NOTES = "\n4. -\n5. -\n6. -\n7. -\n8. -"
# A soft-checked value's explanation, longer than any cut the chat makes elsewhere.
EXPLANATION = (
    "Seluruh peserta pelatihan tahun ini dilatih pada Triwulan I karena instruktur dari BBPVP "
    "hanya tersedia pada bulan Februari dan Maret; kegiatan dibiayai APBN sehingga anggaran "
    "daerah belum terserap, dan sisa target tahunan tetap dipantau sampai akhir tahun."
)


@pytest.fixture
async def office(tmp_path: Path) -> Office:
    office = await Office.create(tmp_path / "kinerja.sqlite3")
    yield office  # type: ignore[misc]
    await office.close()


async def _opened(office: Office) -> dict[str, Person]:
    p = await set_up_agency(office)
    await p["kasubag"].send("/buka_periode")
    await p["kasubag"].tap("Triwulan I 2026")
    await p["sekretaris"].tap("Setujui")
    return p


async def _brief(head: Person) -> str:
    return "\n".join(m.text for m in await head.new())


async def test_every_indicator_below_76_and_absorption_behind_are_named(office: Office) -> None:
    p = await _opened(office)
    await p["kabid_pel"].new()
    op = p["op_pel"]
    await op.send("/isi")
    # 15 of a quarter target of 25: 60 % capaian; Rp1.000.000 of Rp100.000.000 spent: 1 %
    await op.send("1. 15\n2. 9\n3. 1.000.000" + NOTES)
    await op.tap("Kirim ke Kepala Bidang")
    brief = await _brief(p["kabid_pel"])
    assert f"di bawah {format_percent(D(76))}" in brief
    assert "Jumlah layanan Bidang Pelatihan" in brief
    assert f"capaian {format_percent(D(60))}" in brief
    assert "Persentase keluhan" not in brief.split("tertinggal")[0]  # 110 %: not low
    assert f"Penyerapan s.d. triwulan ini {format_percent(D(1))}" in brief
    assert f"jauh di bawah {format_percent(D(25))} waktu tahun anggaran yang telah" in brief
    assert "Tidak ada yang perlu perhatian" not in brief


async def test_nothing_needs_attention_only_when_true(office: Office) -> None:
    p = await _opened(office)
    await p["kabid_pen"].new()
    op = p["op_pen"]
    await op.send("/isi")
    await op.send("1. 25\n2. 9\n3. 25.000.000" + NOTES)
    await op.tap("Kirim ke Kepala Bidang")
    brief = await _brief(p["kabid_pen"])
    assert "Tidak ada yang perlu perhatian" in brief
    assert "di bawah" not in brief.replace(f"di bawah {format_percent(D(76))}, penyerapan", "")


async def test_an_explanation_is_whole_and_progress_without_spending_is_flagged(
    office: Office,
) -> None:
    p = await _opened(office)
    await p["sekretaris"].new()
    op = p["op_sek"]
    await op.send("/isi")
    await op.send("100")  # the whole year's 100 in Triwulan I: 400 % of the quarter target
    assert "penjelasan" in "\n".join(m.text for m in await op.new()).lower()
    await op.send(EXPLANATION)
    await op.send("2. 9\n3. 1.000.000" + NOTES)  # 1 % of the sub kegiatan's pagu spent
    await op.tap("Kirim ke Sekretaris")
    brief = await _brief(p["sekretaris"])
    assert EXPLANATION in brief  # whole, never cut
    assert "tidak sejalan" in brief
    assert f"progres {format_percent(D(100))} dari target tahunan" in brief
    assert f"terserap {format_percent(D(1))}" in brief
    # and the complete list holds the explanation too
    await p["sekretaris"].tap("Lihat semua isian")
    listed = "\n".join(m.text for m in await p["sekretaris"].new())
    assert EXPLANATION in " ".join(listed.split())
    assert format_number(D(100)) in listed


async def test_the_operator_sees_the_mismatch_in_the_summary_and_the_upload_preview(
    office: Office,
) -> None:
    p = await _opened(office)
    op = p["op_pel"]
    await op.send("/isi")
    await op.new()
    # the whole year's 100 typed in one go (explained), with 1 % of the pagu spent
    await op.send("100")
    await op.send(EXPLANATION)
    await op.send("2. 9\n3. 1.000.000" + NOTES)
    await op.tap("Ringkasan")
    summary = "\n".join(m.text for m in await op.new())
    assert "tidak sejalan" in summary and f"terserap {format_percent(D(1))}" in summary

    # the same figures in a filled template: the preview says it before Simpan
    async with office.core.work(None) as work:
        (period,) = await periods.periods(work.conn, 2026)
        report = await periods.unit_report_for(work.conn, period.id, "pelatihan")
        assert report is not None
        blank = build_template(await template_context(work, await forms.load(work, report)))
    book = openpyxl.load_workbook(io.BytesIO(blank))
    book["Realisasi"]["J2"], book["Realisasi"]["J3"] = 100, 9
    book["Anggaran"]["E2"] = 1_000_000
    out = io.BytesIO()
    book.save(out)
    await take_document(office.core, op.origin(), "Formulir.xlsx", out.getvalue(), 50_000)
    preview = [m.text for m in await op.new() if "Pemeriksaan berkas" in m.text][-1]
    assert "tidak sejalan" in preview and f"terserap {format_percent(D(1))}" in preview
    # spending in step with progress: no flag
    book["Anggaran"]["E2"] = 90_000_000
    out = io.BytesIO()
    book.save(out)
    await take_document(office.core, op.origin(), "Formulir.xlsx", out.getvalue(), 50_000)
    # (the earlier preview loses its buttons: an edit, seen again)
    preview = [m.text for m in await op.new() if "Pemeriksaan berkas" in m.text][-1]
    assert "tidak sejalan" not in preview


async def test_many_indicators_below_76_are_all_named_in_a_message_before_the_brief(
    tmp_path: Path,
) -> None:
    office = await Office.create(tmp_path / "kinerja.sqlite3")
    try:
        p = await set_up_agency(office)
        base = small_catalog()
        (template,) = [i for i in base.indicators if i.code == "IK-2.1"]
        many = tuple(
            replace(template, code=f"IK-2.{n + 10}", name=f"Jumlah peserta kelas ke-{n}")
            for n in range(1, 13)
        )
        others = tuple(i for i in base.indicators if i.unit_code != "pelatihan")
        async with office.core.work(None) as work:
            stored = await store_catalog(work, replace(base, indicators=others + many), None)
            assert stored.ok, stored.summary
        await p["kasubag"].send("/buka_periode")
        await p["kasubag"].tap("Triwulan I 2026")
        await p["sekretaris"].tap("Setujui")
        await p["kabid_pel"].new()
        op = p["op_pel"]
        await op.send("/isi")
        # 15 of 25 each: 60 %, under "Tinggi" but not far from target
        lines = [f"{n}. 15" for n in range(1, 13)] + ["13. 25.000.000"]
        await op.send("\n".join(lines + [f"{n}. -" for n in range(14, 19)]))
        await op.tap("Kirim ke Kepala Bidang")
        seen = await p["kabid_pel"].new()
        assert all(utf16_len(m.text) <= PHONE_LIMIT for m in seen)
        # (one or more messages, each within a phone screen)
        parts = [m.text for m in seen if "capaian s.d. triwulan di bawah" in m.text]
        named = "\n".join(parts)
        assert all(f"Jumlah peserta kelas ke-{n}:" in named for n in range(1, 13))
        (brief,) = [m.text for m in seen if m.text.startswith("Pemeriksaan laporan")]
        assert "12 indikator, semuanya disebut pada pesan sebelum pesan ini" in brief
        assert seen.index(next(m for m in seen if m.text == parts[-1])) < seen.index(
            next(m for m in seen if m.text == brief)
        )
    finally:
        await office.close()


async def test_absorption_is_judged_against_the_plan_when_the_catalogue_has_one(
    tmp_path: Path,
) -> None:
    """Half the pagu planned by Triwulan I, a quarter spent: behind the plan (not the time)."""
    office = await Office.create(tmp_path / "kinerja.sqlite3")
    try:
        p = await set_up_agency(office)
        base = small_catalog()
        plan = (D(50_000_000), D(70_000_000), D(90_000_000), D(100_000_000))
        activities = tuple(
            replace(a, plan=plan) if a.pagu is not None else a for a in base.activities
        )
        async with office.core.work(None) as work:
            stored = await store_catalog(work, replace(base, activities=activities), None)
            assert stored.ok, stored.summary
        await p["kasubag"].send("/buka_periode")
        await p["kasubag"].tap("Triwulan I 2026")
        await p["sekretaris"].tap("Setujui")
        await p["kabid_pen"].new()
        op = p["op_pen"]
        await op.send("/isi")
        await op.send("1. 25\n2. 9\n3. 25.000.000" + NOTES)
        await op.tap("Kirim ke Kepala Bidang")
        brief = await _brief(p["kabid_pen"])
        assert f"Penyerapan s.d. triwulan ini {format_percent(D(25))}" in brief
        assert f"rencana penarikan dana s.d. triwulan ini ({format_percent(D(50))}" in brief
        assert "Tidak ada yang perlu perhatian" not in brief
    finally:
        await office.close()


async def test_a_low_capaian_cites_the_realisation_and_target_it_was_computed_from(
    tmp_path: Path,
) -> None:
    """Triwulan II: 20 in Triwulan I and 15 now is 35 of a target to date of 50 (70 %); the
    line shows those, never this quarter's 15 beside the capaian to date."""
    office = await Office.create(tmp_path / "kinerja.sqlite3")
    try:
        p = await set_up_agency(office)
        earlier = simple_file([("IK-2.1", 2026, "I", 20.0)])
        imported = await import_history_file(office.core, earlier, None, "tw1.xlsx")
        assert imported.ok, imported.summary
        await p["kasubag"].send("/buka_periode")
        await p["kasubag"].tap("Triwulan II 2026")
        await p["sekretaris"].tap("Setujui")
        await p["kabid_pel"].new()
        op = p["op_pel"]
        await op.send("/isi")
        await op.send("1. 15\n2. 9\n3. 50.000.000" + NOTES)
        await op.tap("Kirim ke Kepala Bidang")
        brief = await _brief(p["kabid_pel"])
        n = format_number
        assert (
            f"s.d. triwulan {n(D(35))} orang dari target {n(D(50))}, capaian "
            f"{format_percent(D(70))} (TW ini {n(D(15))}; TW lalu {n(D(20))})"
        ) in brief
    finally:
        await office.close()


async def test_a_low_capaian_where_less_is_better_cites_its_target_as_a_ceiling(
    office: Office,
) -> None:
    """13 % complaints against a target of at most 10 %: capaian 70 %, and never "13 dari
    target 10", which reads as more than achieved."""
    p = await _opened(office)
    await p["kabid_pel"].new()
    op = p["op_pel"]
    await op.send("/isi")
    await op.send("1. 25\n2. 13\n3. 25.000.000" + NOTES)
    await op.tap("Kirim ke Kepala Bidang")
    brief = await _brief(p["kabid_pel"])
    n = format_number
    assert (
        f"s.d. triwulan {format_quantity(D(13), '%')}, target paling banyak {n(D(10))}, capaian "
        f"{format_percent(D(70))}"
    ) in brief
    assert "dari target" not in brief.split("Jauh dari target")[0]
