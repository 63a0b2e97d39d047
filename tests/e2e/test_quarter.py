"""A full quarter through the simulator: four units, two people each, returns at steps 3, 5
and 6, a restart of the bot in the middle of data entry; the database and the .xlsx hold
exactly what was typed, and the group received the report and the recommendations."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl

from bot.model import Role
from bot.services.files.catalog import store_catalog
from bot.services.people import admin
from bot.sim import SimPerson
from bot.workflow import PeriodState
from storage import entries, periods
from tests.e2e.conftest import Harness
from tests.integration.office import FOURTH, UNITS, four_unit_catalog

ANSWERS = {  # per unit: two indicators, one budget, five notes
    "sekretariat": ["26", "9,5", "Rp 20.000.000", "Rapat tertunda", "-", "-", "-", "-"],
    "pelatihan": ["24", "8", "Rp 30.500.000", "-", "Dukungan APBN", "-", "-", "-"],
    "penempatan": ["27", "7,25", "Rp 15.000.000", "-", "-", "Cuaca", "-", "-"],
    "hubungan_industrial": ["25", "10", "Rp 40.000.000", "-", "-", "-", "Mediasi lanjutan", "-"],
}


async def set_up(h: Harness) -> dict[str, SimPerson]:
    assert h.runtime is not None
    core = h.runtime.core
    await admin.import_units(
        core, [*UNITS, FOURTH], "Dinas Tenaga Kerja Kabupaten Contoh", "Contoh"
    )
    catalog = four_unit_catalog()
    async with core.work(None) as work:
        assert (await store_catalog(work, catalog, None)).ok
    cast = {
        "kasubag": (Role.KASUBAG_KPEP, None),
        "sekretaris": (Role.SEKRETARIS, None),
        "kadin": (Role.KADIN, None),
        "op_sekretariat": (Role.OPERATOR, "sekretariat"),
        "op2_sekretariat": (Role.OPERATOR, "sekretariat"),
    }
    for unit in ("pelatihan", "penempatan", "hubungan_industrial"):
        cast[f"op_{unit}"] = (Role.OPERATOR, unit)
        cast[f"kabid_{unit}"] = (Role.KABID, unit)
    people = {}
    for key, (role, unit) in cast.items():
        person = h.sim.person(key.replace("_", " ").title())
        await h.join(person, role, unit, admin_=key == "kasubag")
        people[key] = person
    group = h.sim.group("Dinas Tenaga Kerja")
    await people["kasubag"].send_in(group, "/daftarkan_grup")
    await group.wait_for_text("terdaftar")
    people["group"] = group  # type: ignore[assignment]
    return people


async def answer(person: SimPerson, text: str, expect: str | None = None) -> None:
    await person.send(text)
    await person.wait_for(lambda m: expect in m.plain_text if expect else True, timeout=10)


async def tap(person: SimPerson, label: str, expect: str | None = None) -> None:
    await person.tap(label)
    await person.wait_for(lambda m: expect in m.plain_text if expect else True, timeout=10)


async def test_full_quarter_through_the_simulator(harness: Harness) -> None:
    p = await set_up(harness)
    await answer(p["kasubag"], "/buka_periode", "Pilih triwulan")
    await tap(p["kasubag"], "Triwulan I 2026", "dikirim ke Sekretaris")
    await p["sekretaris"].wait_for_text("Persetujuan pembukaan", since=0)
    await tap(p["sekretaris"], "Setujui")
    for unit in ANSWERS:
        await p[f"op_{unit}"].wait_for(lambda m: m.document is not None, timeout=10, since=0)

    # step 2, with a restart of the bot in the middle of the Sekretariat's entry
    op = p["op_sekretariat"]
    await answer(op, "/isi", "no. 1 dari")
    for text in ANSWERS["sekretariat"][:3]:
        await answer(op, text, "Tersimpan")
    await harness.restart()
    await answer(op, "/isi", "no. 4 dari")  # resumes exactly where it was
    for text in ANSWERS["sekretariat"][3:]:
        await answer(op, text, "Tersimpan")
    await op.wait_for_text("Ringkasan", since=0)
    await tap(op, "Kirim ke Sekretaris", "dikirim ke")  # the Sekretariat has no Kepala Bidang
    for unit in ("pelatihan", "penempatan", "hubungan_industrial"):
        operator = p[f"op_{unit}"]
        lines = "\n".join(f"{n}. {a}" for n, a in enumerate(ANSWERS[unit], 1))
        await answer(operator, "/isi", "no. 1 dari")
        await answer(operator, lines, "Ringkasan")
        await tap(operator, "Kirim ke Kepala Bidang", "dikirim ke")

    # step 3: the second Sekretariat operator cannot approve; a return for Penempatan
    await tap(p["sekretaris"], "Setujui", "Disetujui")
    await tap(p["kabid_pelatihan"], "Setujui", "Disetujui")
    await tap(p["kabid_hubungan_industrial"], "Setujui", "Disetujui")
    await tap(p["kabid_penempatan"], "Minta revisi", "alasan")
    await answer(p["kabid_penempatan"], "Periksa indikator 1", "Dikembalikan")
    await p["op_penempatan"].wait_for_text("Periksa indikator 1", since=0)
    await answer(p["op_penempatan"], "/isi", "Ringkasan")
    await answer(p["op_penempatan"], "1. 28", "Ringkasan")
    await tap(p["op_penempatan"], "Kirim ke Kepala Bidang", "dikirim ke")
    review = await p["kabid_penempatan"].wait_for_text("27 → 28", since=0)
    assert review.buttons
    await tap(p["kabid_penempatan"], "Setujui", "Disetujui")

    # step 4 → 5 (returned) → 6 (returned) → approved with recommendations
    await p["kasubag"].wait_for_text("Semua laporan unit", since=0)
    await tap(p["kasubag"], "Kirim ke Sekretaris", "belum dipilih")  # no narrative: asked
    await tap(p["kasubag"], "Kirim tanpa narasi", "tanpa narasi analisis")
    await tap(p["kasubag"], "Ya, kirim tanpa narasi", "Diteruskan")
    await tap(p["sekretaris"], "Minta revisi", "alasan")
    await answer(p["sekretaris"], "Tambahkan narasi", "Dikembalikan")
    await tap(p["kasubag"], "Tulis narasi analisis", "narasi")
    await answer(p["kasubag"], "Capaian baik; penyerapan anggaran perlu dipercepat.", "tersimpan")
    await tap(p["kasubag"], "Kirim ke Sekretaris", "Diteruskan")
    # After the return the request leads with what changed; then the summary and narrative.
    again = await p["sekretaris"].wait_for_text("Perubahan setelah dikembalikan", timeout=10)
    assert again.plain_text.startswith("Perubahan setelah dikembalikan: narasi ditambahkan.")
    for seen in (again.plain_text,):
        assert "Ringkasan Triwulan I 2026\n• Capaian rata-rata" in seen
        assert "Narasi analisis:\nCapaian baik; penyerapan anggaran perlu dipercepat." in seen
    await tap(p["sekretaris"], "Setujui", "diteruskan ke")
    head = await p["kadin"].wait_for_text("Ringkasan Triwulan I 2026", timeout=15)
    assert "Narasi analisis:\nCapaian baik; penyerapan anggaran perlu dipercepat." in (
        head.plain_text
    )
    assert "Perubahan setelah dikembalikan" not in head.plain_text
    await tap(p["kadin"], "Minta revisi", "alasan")
    await answer(p["kadin"], "Perjelas kendala", "Dikembalikan")
    await tap(p["kasubag"], "Kirim ke Sekretaris", "Diteruskan")
    await tap(p["sekretaris"], "Setujui", "diteruskan ke")
    # The chart goes with each review request, to the people who decide on it.
    for key in ("sekretaris", "kadin"):
        await p[key].wait_for(lambda m: m.photo is not None, timeout=10, since=0)
    await tap(p["kadin"], "Tambah rekomendasi umum", "rekomendasi")
    await answer(p["kadin"], "Percepat penyerapan anggaran", "tersimpan")
    await tap(p["kadin"], "Rekomendasi untuk unit", "memilih unit")
    await tap(p["kadin"], "Bidang Pelatihan", "rekomendasi")
    await answer(p["kadin"], "Perluas pelatihan berbasis kompetensi", "tersimpan")
    await tap(p["kadin"], "Setujui", "diteruskan ke")
    await tap(p["sekretaris"], "Serahkan laporan dan rekomendasi", "Diteruskan")
    await tap(p["kasubag"], "Sampaikan rekomendasi", "Disampaikan oleh")

    group = p["group"]
    final = await group.wait_for(lambda m: m.document is not None, timeout=10, since=0)
    await group.wait_for_text("Perluas pelatihan", since=0)
    await group.wait_for(lambda m: m.photo is not None, timeout=10, since=0)
    # every unit follows up the general recommendation, Pelatihan its own too; the period
    # closes with the last of them
    units = ("pelatihan", "pelatihan", "sekretariat", "penempatan", "hubungan_industrial")
    recorded: set[str] = set()
    for n, unit in enumerate(units, 1):
        key = f"op_{unit}"
        await answer(p[key], "/tindak_lanjut", "masih terbuka")
        # a recorded plan stays open (direncanakan): Pelatihan's own one is its second
        number = 2 if unit in recorded else 1
        recorded.add(unit)
        await tap(p[key], f"Catat tindak lanjut no. {number}", "tindak lanjut")
        await answer(p[key], "Dijadwalkan triwulan II", "tersimpan")
        if n < len(units):
            assert not [m for m in group.messages if "ditutup" in m.plain_text]
    await group.wait_for_text("ditutup", since=0)

    assert harness.runtime is not None
    async with harness.runtime.db.reading() as conn:
        period = await periods.current_period(conn)
        assert period is not None and period.state is PeriodState.CLOSED
        values = await entries.realisations(conn, [period.id])
        budgets = await entries.budgets(conn, [period.id])
    typed = sorted(str(v.value) for v in values.values())
    assert typed == sorted(["26", "9.5", "24", "8", "28", "7.25", "25", "10"])
    assert sorted(b.value for b in budgets.values()) == sorted(
        Decimal(x) for x in ("20000000", "30500000", "15000000", "40000000")
    )

    assert final.document is not None
    book = openpyxl.load_workbook(io.BytesIO(final.document.data), data_only=True)
    cells = {c.value for ws in book.worksheets for row in ws.iter_rows() for c in row}
    for value in (26, 9.5, 24, 8, 28, 7.25, 25, 10):
        assert value in cells
