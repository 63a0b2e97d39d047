"""The Excel side through the simulator: a template downloaded in chat, filled with openpyxl,
uploaded and saved with Simpan; bad uploads refused in chat with their reason and nothing
saved; and the consolidated draft the coordinator receives keeps typed text as text."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import openpyxl

from bot.callbacks import Cb, encode
from bot.model import Role
from bot.services.files.catalog import store_catalog
from bot.services.people import admin
from bot.sim import Fault, SimPerson
from bot.sim.chats import SimMessage
from storage import catalog, entries, periods
from tests.e2e.conftest import Harness
from tests.integration.office import UNITS, small_catalog
from tests.unit.test_upload_hostile import dtd_in_a_part_not_named_xml, dtd_in_utf16, encrypted

AGENCY = "Dinas Tenaga Kerja Kabupaten Contoh"
SAVED = "Semua nilai dari berkas tersimpan"
NOTHING_SAVED = "Tidak ada yang disimpan"
HYPERLINK = '=HYPERLINK("http://contoh.invalid","klik")'
Snapshot = tuple[dict[str, Decimal], dict[str, Decimal], dict[str, dict[str, str]]]


async def set_up(h: Harness) -> dict[str, SimPerson]:
    """Three units with the small catalogue; Triwulan I 2026 opened and approved."""
    assert h.runtime is not None
    core = h.runtime.core
    await admin.import_units(core, UNITS, AGENCY, "Contoh")
    async with core.work(None) as work:
        assert (await store_catalog(work, small_catalog(), None)).ok
    cast = {
        "kasubag": (Role.KASUBAG_KPEP, None),
        "sekretaris": (Role.SEKRETARIS, None),
        "op_sekretariat": (Role.OPERATOR, "sekretariat"),
        "op_pelatihan": (Role.OPERATOR, "pelatihan"),
        "kabid_pelatihan": (Role.KABID, "pelatihan"),
        "op_penempatan": (Role.OPERATOR, "penempatan"),
        "kabid_penempatan": (Role.KABID, "penempatan"),
    }
    people = {}
    for key, (role, unit) in cast.items():
        person = h.sim.person(key.replace("_", " ").title())
        await h.join(person, role, unit, admin_=key == "kasubag")
        people[key] = person
    await people["kasubag"].send("/buka_periode")
    await people["kasubag"].tap("Triwulan I 2026")
    await people["sekretaris"].tap("Setujui")
    for unit in ("sekretariat", "pelatihan", "penempatan"):
        await people[f"op_{unit}"].wait_for(lambda m: m.document is not None, timeout=10, since=0)
    return people


def xlsx(data: bytes, cells: dict[tuple[str, str], object]) -> bytes:
    """The workbook with some cells typed, saved as a spreadsheet program would."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    for (sheet, coordinate), value in cells.items():
        book[sheet][coordinate] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def reshaped(data: bytes, how: str) -> bytes:
    """The template with a row inserted or a column deleted on the Realisasi sheet."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    if how == "row":
        book["Realisasi"].insert_rows(3)
    else:
        book["Realisasi"].delete_cols(5)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_entity(data: bytes) -> bytes:
    """The template with an XML entity declaration (the door to a "billion laughs")."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            content = source.read(name)
            if name == "xl/workbook.xml":
                content = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaaaaaaaa">]>' + content
            target.writestr(name, content)
    return out.getvalue()


def plain_workbook() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "Realisasi"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def snapshot(h: Harness) -> Snapshot:
    """Every value, budget and note of the open period, by code."""
    assert h.runtime is not None
    async with h.runtime.db.reading() as conn:
        period = await periods.current_period(conn)
        assert period is not None
        codes = {s.id: s.indicator.code for s in await catalog.indicators(conn, period.year)}
        subs = {s.id: s.activity.code for s in await catalog.activities(conn, period.year)}
        values = await entries.realisations(conn, [period.id])
        budgets = await entries.budgets(conn, [period.id])
        notes = await entries.notes(conn, period.id)
    return (
        {codes[i]: e.value for (_, i), e in values.items()},
        {subs[a]: e.value for (_, a), e in budgets.items()},
        notes,
    )


async def template_of(person: SimPerson) -> SimMessage:
    """The newest form the bot sent to ``person``."""
    return await person.wait_for(
        lambda m: m.document is not None and m.document.file_name.startswith("Formulir_"),
        timeout=10,
        since=0,
    )


async def test_template_round_trip_and_every_bad_upload_refused(harness: Harness) -> None:
    p = await set_up(harness)
    op = p["op_pelatihan"]

    # the template is downloaded in chat with /unduh
    await op.send("/unduh")
    await op.tap("Formulir Bidang Pelatihan — Triwulan I 2026")
    sent = await op.wait_for(lambda m: m.document is not None, timeout=10)
    assert sent.document is not None
    assert sent.document.file_name == "Formulir_pelatihan_2026_TW1.xlsx"
    blank = sent.document.data
    form = openpyxl.load_workbook(io.BytesIO(blank))
    assert form.sheetnames == ["Petunjuk", "Realisasi", "Anggaran", "Catatan", "_meta"]
    realisasi, anggaran = form["Realisasi"], form["Anggaran"]
    assert [c.value for c in realisasi[2][:5]] == [
        1,
        "IK-2.1",
        "Program Bidang Pelatihan › Kegiatan Bidang Pelatihan › Sub kegiatan Bidang Pelatihan",
        "Jumlah layanan Bidang Pelatihan",
        "orang",
    ]
    assert realisasi["H2"].value == 25 and realisasi["J2"].value is None
    assert anggaran["C2"].value == 100_000_000 and anggaran["C2"].number_format == "#,##0"
    assert anggaran["E2"].number_format == "#,##0"
    other_unit = (await template_of(p["op_penempatan"])).document
    assert other_unit is not None
    empty: Snapshot = ({}, {}, {})
    assert await snapshot(harness) == empty

    async def refused(file_name: str, data: bytes, reason: str) -> None:
        await op.upload(file_name, data)
        reply = await op.wait_for(lambda m: m.document is None, timeout=10)
        assert reason in reply.plain_text, (file_name, reply.plain_text)
        assert NOTHING_SAVED in reply.plain_text
        assert not reply.buttons  # no Simpan
        assert await snapshot(harness) == empty

    good = {("Realisasi", "J2"): 24, ("Realisasi", "J3"): "8"}
    meta_period = {("_meta", "B3"): "999", ("_meta", "B5"): "2"}
    cases = [
        ("laporan.pdf", b"%PDF-1.7\n%%EOF", "Hanya berkas Excel .xlsx"),
        ("Formulir.xlsx", b"kode;realisasi\nIK-2.1;24\n", "berkas bukan .xlsx yang sah"),
        ("Formulir.xlsx", blank[: len(blank) // 2], "berkas rusak atau tidak dapat dibaca"),
        ("Formulir.xlsx", b"PK" + bytes(10 * 1024 * 1024), "Berkas terlalu besar"),
        ("Buku1.xlsx", plain_workbook(), "bukan formulir dari bot ini"),
        (other_unit.file_name, xlsx(other_unit.data, good), "milik unit kerja lain"),
        ("Formulir.xlsx", xlsx(blank, {**good, **meta_period}), "untuk periode lain"),
        ("Formulir.xlsx", xlsx(reshaped(blank, "row"), good), "struktur formulir diubah"),
        ("Formulir.xlsx", xlsx(reshaped(blank, "col"), good), "struktur formulir diubah"),
        ("Formulir.xlsx", with_entity(xlsx(blank, good)), "deklarasi yang tidak diizinkan"),
        # Issue 21: a DTD in a part not named .xml, or in UTF-16; a password.
        ("Formulir.xlsx", dtd_in_a_part_not_named_xml(blank), "deklarasi yang tidak diizinkan"),
        ("Formulir.xlsx", dtd_in_utf16(blank), "deklarasi yang tidak diizinkan"),
        ("Formulir.xlsx", encrypted(xlsx(blank, good)), "simpan ulang berkas tanpa kata sandi"),
    ]
    for file_name, data, reason in cases:
        await refused(file_name, data, reason)

    # a file that reads but has bad cells: every problem named, nothing saved, no Simpan
    await refused(
        "Formulir.xlsx",
        xlsx(blank, {("Realisasi", "J2"): "=20+4", ("Anggaran", "E2"): 50}),
        "rumus tidak diperbolehkan",
    )
    bad_cells = {
        ("Realisasi", "J2"): -3,
        ("Realisasi", "J3"): "120 %",
        ("Anggaran", "E2"): "Rp 150.000.000",
    }
    await op.upload("Formulir.xlsx", xlsx(blank, bad_cells))
    reply = await op.wait_for_text("3 masalah", timeout=10)
    for line in (
        "Realisasi baris 2 kolom Realisasi: tidak boleh negatif",
        "Realisasi baris 3 kolom Realisasi: persentase tidak boleh lebih dari 100",
        "Anggaran baris 2 kolom Realisasi Triwulan Ini (Rp): melebihi sisa pagu sub kegiatan",
    ):
        assert line in reply.plain_text, reply.plain_text
    assert NOTHING_SAVED in reply.plain_text and not reply.buttons
    await refused("Formulir.xlsx", xlsx(blank, {("Realisasi", "J2"): "dua puluh"}), "bukan angka")

    # a good file, then Batalkan: nothing saved
    filled = xlsx(
        blank,
        {
            ("Realisasi", "J2"): 24,
            ("Realisasi", "J3"): "7,5",
            ("Anggaran", "E2"): "Rp 30.500.000",
            ("Catatan", "B2"): HYPERLINK,
            ("Catatan", "B3"): "Dukungan APBN",
        },
    )
    await op.upload("Formulir_pelatihan_2026_TW1.xlsx", filled)
    preview = await op.wait_for_text("Pemeriksaan berkas", timeout=10)
    assert "Rp 30.500.000" in preview.plain_text and "7,5" in preview.plain_text
    await op.tap("Batalkan", preview)
    await op.wait_for_text("Unggahan dibatalkan", timeout=10)
    assert await snapshot(harness) == empty

    # the same file, then Simpan: the database holds exactly what was typed
    await op.upload("Formulir_pelatihan_2026_TW1.xlsx", filled)
    preview = await op.wait_for_text("Pemeriksaan berkas", timeout=10)
    save = preview.button_data("Simpan")
    assert save is not None
    # a Batalkan naming another report (an older preview's, or forged) leaves this one be
    await op.tap_data(encode(Cb.ENTRY_DISCARD_UPLOAD, 999), preview)
    assert (await op.wait_callback_answer())[1] == "Sudah diproses."
    await op.tap("Simpan", preview)
    await op.wait_for_text(SAVED, timeout=10)
    assert not preview.buttons  # the preview's buttons are gone once saved
    await op.wait_for(
        lambda m: any("Kirim ke Kepala Bidang" in row for row in m.buttons), timeout=10
    )
    values, budgets, notes = await snapshot(harness)
    assert values == {"IK-2.1": Decimal(24), "IK-2.2": Decimal("7.5")}
    assert budgets == {"2.07.02.1.01.0001": Decimal(30500000)}
    assert notes == {"pelatihan": {"kendala": HYPERLINK, "faktor_pendorong": "Dukungan APBN"}}

    # the preview's Simpan, pressed again, changes nothing
    await op.tap_data(save, preview)
    answer = await op.wait_callback_answer()
    assert answer[1] == "Sudah diproses."
    assert await snapshot(harness) == (values, budgets, notes)


async def test_the_draft_report_in_chat_holds_the_uploaded_values_as_typed(
    harness: Harness,
) -> None:
    p = await set_up(harness)
    op = p["op_pelatihan"]
    blank = (await template_of(op)).document
    assert blank is not None
    await op.upload(
        blank.file_name,
        xlsx(
            blank.data,
            {
                ("Realisasi", "J2"): 24,
                ("Realisasi", "J3"): 8,
                ("Anggaran", "E2"): 30500000,
                ("Catatan", "B2"): HYPERLINK,
            },
        ),
    )
    await op.tap("Simpan")
    await op.wait_for_text(SAVED, timeout=10)
    saved = await snapshot(harness)

    # a second file is checked, but the report is sent up before its Simpan is pressed
    second = xlsx(blank.data, {("Realisasi", "J2"): 30})
    await op.upload(blank.file_name, second)
    late_preview = await op.wait_for_text("Pemeriksaan berkas", timeout=10)
    assert "24 → 30" in late_preview.plain_text
    late_save = late_preview.button_data("Simpan")
    assert late_save is not None
    await op.tap("Kirim ke Kepala Bidang")
    await op.wait_for_text("dikirim ke", timeout=10)
    # its buttons give way to a note saying the file was not saved...
    await op.wait_for(
        lambda m: m is late_preview and not m.buttons and "tidak disimpan" in m.plain_text,
        timeout=10,
        since=0,
    )
    # ...and its Simpan, pressed from an older screen, changes nothing
    await op.tap_data(late_save, late_preview)
    assert (await op.wait_callback_answer())[1] == "Sudah diproses."
    assert await snapshot(harness) == saved
    # ...and a file sent while the report waits for its approver is refused
    await op.upload(blank.file_name, second)
    reply = await op.wait_for_text("tidak dapat diubah sampai dikembalikan", timeout=10)
    assert not reply.buttons
    # someone who enters nothing cannot upload a form
    await p["kabid_pelatihan"].upload(blank.file_name, second)
    await p["kabid_pelatihan"].wait_for_text("tidak diharapkan dari peran Anda", timeout=10)
    assert await snapshot(harness) == saved

    await p["kabid_pelatihan"].tap("Setujui")
    for unit, lines in (
        ("sekretariat", ["26", "9,5", "Rp 20.000.000", "-", "-", "-", "-", "-"]),
        ("penempatan", ["20", "12", "Rp 60.000.000", "-", "-", "-", "-", "-"]),
    ):
        person = p[f"op_{unit}"]
        await person.send("/isi")
        await person.wait_for_text("no. 1 dari", timeout=10)
        await person.send("\n".join(f"{n}. {a}" for n, a in enumerate(lines, 1)))
        await person.wait_for_text("Ringkasan", timeout=10)
        await person.tap(
            "Kirim ke Sekretaris" if unit == "sekretariat" else "Kirim ke Kepala Bidang"
        )
    await p["sekretaris"].tap("Setujui")
    await p["kabid_penempatan"].tap("Setujui")

    draft = await p["kasubag"].wait_for(
        lambda m: m.document is not None and m.document.file_name.endswith("_DRAF.xlsx"),
        timeout=10,
        since=0,
    )
    assert draft.document is not None
    book = openpyxl.load_workbook(io.BytesIO(draft.document.data), data_only=True)
    assert book.sheetnames == ["Ringkasan", "Rincian", "Analisis", "Rekomendasi", "Jejak Proses"]
    rincian = book["Rincian"]
    typed = [c for row in rincian.iter_rows() for c in row if c.value == HYPERLINK]
    assert typed and all(c.data_type == "s" for c in typed)
    rows = {r[2].value: r for r in rincian.iter_rows(min_row=7) if isinstance(r[2].value, str)}
    assert rows["IK-2.1"][12].value == 24  # Realisasi TW I K
    assert rows["IK-2.2"][12].value == 8
    assert rows["IK-2.1"][22].value == 96  # 24 / 25 × 100
    assert rows["IK-2.2"][22].value == 120  # (2 × 10 − 8) / 10 × 100
    assert rows["2.07.02.1.01.0001"][13].value == 30500000  # Realisasi TW I Rp
    ringkasan = {r[0].value: r for r in book["Ringkasan"].iter_rows(min_row=6)}
    assert ringkasan["Bidang Pelatihan"][2].value == 108  # (96 + 120) / 2
    assert ringkasan["Bidang Pelatihan"][12].value == 30.5  # 30,5 juta of 100 juta


async def test_an_upload_survives_telegram_failing_to_hand_over_the_file(
    harness: Harness,
) -> None:
    """getFile fails twice (a 500, then a timeout with no answer): the update is not confirmed,
    it comes back, and the operator gets the preview without sending the file again."""
    p = await set_up(harness)
    op = p["op_pelatihan"]
    blank = (await template_of(op)).document
    assert blank is not None
    harness.sim.faults.add(Fault("500", method="getFile", count=1))
    harness.sim.faults.add(Fault("502", method="getFile", count=1))
    await op.upload("Formulir.xlsx", xlsx(blank.data, {("Realisasi", "J2"): 24}))
    preview = await op.wait_for_text("Pemeriksaan berkas", timeout=20)
    assert preview.button_data("Simpan") is not None
    assert harness.sim.faults.injected["500"] == 1 and harness.sim.faults.injected["502"] == 1
    assert not [m for m in op.messages if "kesalahan" in m.plain_text.lower()]


async def test_the_upload_preview_asks_what_chat_entry_asks(harness: Harness) -> None:
    """A fraction for a count is refused; values far from their target are numbered in the
    preview and Simpan appears, and works, only once each has its explanation."""
    from storage import updates

    p = await set_up(harness)
    op = p["op_pelatihan"]
    blank = (await template_of(op)).document
    assert blank is not None
    empty: Snapshot = ({}, {}, {})

    # IK-2.1 counts orang: 12,5 is refused, and the file's own explanation is shown
    fraction = {
        ("Realisasi", "J2"): "12,5",
        ("Realisasi", "J3"): 2,  # IK-2.2: target 10, so far below
        ("Realisasi", "K3"): "Layanan daring",
    }
    await op.upload(blank.file_name, xlsx(blank.data, fraction))
    reply = await op.wait_for_text("Pemeriksaan berkas", timeout=10)
    assert "bilangan bulat" in reply.plain_text and NOTHING_SAVED in reply.plain_text
    assert "penjelasan di berkas: Layanan daring" in reply.plain_text
    assert not reply.buttons

    # two values far from their targets, no explanation in the file: numbered, no Simpan
    far = {("Realisasi", "J2"): "1.250.000", ("Realisasi", "J3"): 2}
    await op.upload(blank.file_name, xlsx(blank.data, far))
    preview = await op.wait_for_text("Pemeriksaan berkas", timeout=10)
    text = preview.plain_text
    assert "2 nilai perlu penjelasan" in text
    assert (
        "1. Jumlah layanan Bidang Pelatihan: 1.250.000 orang — lebih dari 150 % target triwulan"
        in text
    )
    assert "2. Persentase keluhan Bidang Pelatihan: 2 % — kurang dari 50 % target" in text
    assert preview.button_data("Simpan") is None and preview.button_data("Batalkan")

    # a Simpan pressed anyway (an older screen, or forged) saves nothing
    assert harness.runtime is not None
    async with harness.runtime.db.reading() as conn:
        dialog = await updates.dialog(conn, op.user_id)
    assert dialog is not None
    data = dialog.data
    await op.tap_data(encode(Cb.ENTRY_SAVE_UPLOAD, data["report"], data["version"], data["token"]))
    assert (await op.wait_callback_answer())[1] == "Penjelasan belum lengkap; belum disimpan."
    await op.wait_for_text("perlu penjelasan lebih dahulu", timeout=10)
    assert await snapshot(harness) == empty

    await op.send("1. Pelatihan massal dari APBN")
    progress = await op.wait_for_text("Masih perlu penjelasan: no. 2", timeout=10)
    assert not progress.buttons
    await op.send("Keluhan turun berkat layanan daring")  # the one left: no number needed
    ready = await op.wait_for_text("Semua nilai sudah dijelaskan", timeout=10)
    assert ready.button_data("Simpan") is not None
    await op.tap("Simpan", ready)
    await op.wait_for_text(SAVED, timeout=10)
    values, _, _ = await snapshot(harness)
    assert values == {"IK-2.1": Decimal(1_250_000), "IK-2.2": Decimal(2)}
    async with harness.runtime.db.reading() as conn:
        period = await periods.current_period(conn)
        assert period is not None
        stored = await entries.realisations(conn, [period.id])
    explained = sorted((e.explanation, e.soft) for e in stored.values())
    assert explained == [
        ("Keluhan turun berkat layanan daring", "far_below_target"),
        ("Pelatihan massal dari APBN", "far_above_target"),
    ]
