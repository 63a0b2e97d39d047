"""The script of the demo's two quarters: triwulan I's nine steps, then triwulan II."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.demo_cast import QUARTER, WAIT, YEAR, Demo
from bot.demo_forms import fill_unit
from bot.services.quarter import reminders


async def _late_unit_check(demo: Demo) -> None:
    """The Kepala Bidang HI is in a meeting past twice step 3's 10 minutes.

    The bot's reminder loop runs :func:`reminders.check`; the demo runs it at two moments,
    so the transcript shows her reminder and, a few minutes later, the Sekretaris told.
    """
    demo.clock.advance(timedelta(minutes=21))
    if not await reminders.check(demo.runtime.core):
        raise RuntimeError("no reminder after the step's time standard passed")
    await demo.people["kabid_hi"].wait_for_text("Pengingat", timeout=WAIT)
    demo.clock.advance(timedelta(minutes=5))
    if not await reminders.check(demo.runtime.core):
        raise RuntimeError("no escalation after the reminder went unanswered")
    await demo.people["sekretaris"].wait_for_text("Perlu perhatian", timeout=WAIT)
    # The Sekretaris taps Ingatkan: one more reminder, with the request's buttons, on which the
    # Kepala Bidang HI then decides (the request above loses its buttons too).
    head = demo.people["kabid_hi"]
    seen = max((m.seq for m in head.messages), default=0)
    demo.tick()
    await demo.people["sekretaris"].tap("Ingatkan")
    await head.wait_for_text("Pengingat", timeout=WAIT, since=seen)


async def first_quarter(demo: Demo, out: Path) -> Path:
    label = f"Triwulan {('I', 'II', 'III', 'IV')[QUARTER - 1]} {YEAR}"
    # step 1
    await demo.act("kasubag", "/buka_periode", "Pilih triwulan")
    await demo.tap("kasubag", label, "dikirim ke Sekretaris")
    await demo.people["sekretaris"].wait_for_text("Persetujuan pembukaan", timeout=WAIT)
    await demo.tap("sekretaris", "Setujui")
    template = await demo.people["op_pelatihan"].wait_for(
        lambda m: m.document is not None, timeout=WAIT
    )
    assert template.document is not None
    (out / template.document.file_name).write_bytes(template.document.data)
    # steps 2 and 3: two units answer one question at a time, one sends a prepared numbered
    # message, one fills the .xlsx template and uploads it; each head checks as soon as the
    # report arrives. Pelatihan is returned once; the Kepala Bidang HI is in a meeting, so
    # her check runs late and is escalated.
    plan = (
        ("op_sekretariat", "sekretariat", "chat", "sekretaris"),
        ("op_pelatihan", "pelatihan", "lines", "kabid_pelatihan"),
        ("op_penempatan", "penempatan", "chat", "kabid_penempatan"),
        ("op_hi", "hubungan_industrial", "upload", "kabid_hi"),
    )
    for key, unit, how, head in plan:
        await fill_unit(demo, key, unit, how, out)
        send = "Kirim ke Sekretaris" if unit == "sekretariat" else "Kirim ke Kepala Bidang"
        await demo.act(key, "/isi", "Ringkasan")
        await demo.tap(key, send, "dikirim ke")
        if unit == "pelatihan":
            await demo.tap(head, "Minta revisi", "alasan")
            await demo.act(
                head, "Realisasi indikator 1 belum termasuk peserta angkatan II.", "Dikembalikan"
            )
            await demo.act(key, "/isi", "Ringkasan")
            await demo.act(key, "1. 130", "Ringkasan")
            await demo.tap(key, "Kirim ke Kepala Bidang", "dikirim ke")
        elif unit == "hubungan_industrial":
            await _late_unit_check(demo)
        await demo.tap(head, "Setujui", "Disetujui")
    # step 4 → 5, with a return at step 5
    await demo.people["kasubag"].wait_for_text("Semua laporan unit", timeout=WAIT)
    # Sent before a narrative was chosen: the bot asks first, and it goes without one only
    # when confirmed.
    await demo.tap("kasubag", "Kirim ke Sekretaris", "belum dipilih")
    await demo.tap("kasubag", "Kirim tanpa narasi", "tanpa narasi analisis")
    await demo.tap("kasubag", "Ya, kirim tanpa narasi", "Diteruskan")
    await demo.tap("sekretaris", "Minta revisi", "alasan")
    await demo.act("sekretaris", "Mohon tambahkan narasi analisis capaian.", "Dikembalikan")
    # The drafted narrative comes back with the return: used with one sentence added.
    await demo.people["kasubag"].wait_for_text("Draf narasi analisis", timeout=WAIT)
    await demo.tap("kasubag", "✏️ Ubah", "Salin draf")
    copy = await demo.people["kasubag"].wait_for(lambda m: m.force_reply, timeout=WAIT)
    # The message replied to is the whole draft, from its opening on the mean capaian.
    assert copy.plain_text.startswith("Rata-rata capaian kinerja Dinas"), copy.plain_text[:80]
    await demo.act(
        "kasubag",
        copy.plain_text + "\n\nPenyerapan anggaran Bidang Penempatan akan dipercepat dengan "
        "penjadwalan ulang kegiatan penempatan pada triwulan II.",
        "tersimpan",
    )
    await demo.tap("kasubag", "Kirim ke Sekretaris", "Diteruskan")
    await demo.tap("sekretaris", "Setujui", "diteruskan ke")
    # step 6: two suggested recommendations, the first kept, the second edited
    kadin = demo.people["kadin"]
    await kadin.wait_for_text("Saran rekomendasi", timeout=WAIT, since=0)
    first = await kadin.wait_for(lambda m: m.plain_text.startswith("1. "), WAIT, since=0)
    second = await kadin.wait_for(lambda m: m.plain_text.startswith("2. "), WAIT, since=0)
    demo.tick()
    await kadin.tap("✔️ Pakai", message=first)
    await kadin.wait_for_text("Rekomendasi tersimpan", timeout=WAIT)
    demo.tick()
    await kadin.tap("✏️ Ubah", message=second)
    suggestion = await kadin.wait_for(lambda m: m.force_reply, timeout=WAIT)
    await demo.act(
        "kadin", suggestion.plain_text.replace(" berikutnya ", " berikutnya segera "), "tersimpan"
    )
    await demo.tap("kadin", "Tambah rekomendasi umum", "rekomendasi")
    await demo.act("kadin", "Percepat penyerapan anggaran sesuai rencana kas.", "tersimpan")
    await demo.tap("kadin", "Rekomendasi untuk unit", "memilih unit")
    await demo.tap("kadin", "Bidang Pelatihan dan Produktivitas Tenaga Kerja", "rekomendasi")
    await demo.act("kadin", "Perluas kerja sama pelatihan dengan industri lokal.", "tersimpan")
    await demo.tap("kadin", "Setujui", "diteruskan ke")
    # steps 7, 8
    await demo.tap("sekretaris", "Serahkan laporan dan rekomendasi", "Diteruskan")
    await demo.tap("kasubag", "Sampaikan rekomendasi", "Disampaikan oleh")
    # step 9: every unit follows up each recommendation it received (the general one reaches
    # every unit), one at a time; the Kepala Bidang HI records his unit's himself
    # A plan stays open (direncanakan) until the unit marks it selesai, so each unit goes
    # down its list by number.
    for key in ("op_pelatihan", "op_sekretariat", "op_penempatan", "kabid_hi"):
        number = 1
        while True:
            shown = await demo.act(key, "/tindak_lanjut")
            label = f"Catat tindak lanjut no. {number}"
            if label not in [b for row in shown.buttons for b in row]:
                break
            await demo.tap(key, label, "tindak lanjut")
            await demo.act(key, "Telah dijadwalkan dalam rencana kerja triwulan II.", "tersimpan")
            number += 1
    assert demo.group is not None
    final = await demo.group.wait_for(lambda m: m.document is not None, timeout=WAIT, since=0)
    await demo.group.wait_for_text("ditutup", timeout=WAIT, since=0)
    assert final.document is not None
    path = out / final.document.file_name
    path.write_bytes(final.document.data)
    return path


GENERAL = "Percepat penyerapan anggaran sesuai rencana kas."
PHOTO = bytes.fromhex("ffd8ffe000104a464946") + b"foto rapat evaluasi rencana kas" * 40


async def next_quarter(demo: Demo, out: Path) -> Path:
    """Triwulan II: triwulan I's recommendations, only planned in its step 9, come back in
    each unit's form. Pelatihan answers the general one selesai with a photo; the others
    report theirs dalam proses. The period runs to its close without new recommendations,
    and the Kepala Dinas's recap shows each unit's answer."""
    demo.clock.set(datetime(2026, 6, 1, 1, 0, tzinfo=UTC))  # Monday 1 June, 08:00 WIB
    await demo.act("kasubag", "/buka_periode", "Pilih triwulan")
    await demo.tap("kasubag", "Triwulan II 2026", "dikirim ke Sekretaris")
    await demo.people["sekretaris"].wait_for_text("Persetujuan pembukaan", timeout=WAIT)
    await demo.tap("sekretaris", "Setujui")
    plan = (
        ("op_sekretariat", "sekretariat", "sekretaris"),
        ("op_pelatihan", "pelatihan", "kabid_pelatihan"),
        ("op_penempatan", "penempatan", "kabid_penempatan"),
        ("op_hi", "hubungan_industrial", "kabid_hi"),
    )
    for key, unit, head in plan:

        def carried(line: str, unit: str = unit) -> str:
            if unit == "pelatihan" and GENERAL in line:
                return ""  # answered on its own below, with a photo
            return "dalam proses; Sedang dilaksanakan, dilaporkan kembali triwulan III."

        await fill_unit(demo, key, unit, "lines", out, quarter=2, carried=carried)
        if unit == "pelatihan":
            # the form stops at the question left open: a photo, the status, what was done
            person = demo.people[key]
            demo.tick()
            await person.send_photo(PHOTO)
            await person.wait_for_text("Data dukung", timeout=WAIT)
            await demo.tap(key, "Selesai", "Status yang akan dicatat: selesai")
            await demo.act(
                key, "Rencana kas direvisi; penyerapan triwulan II sesuai jadwal.", "tersimpan"
            )
        send = "Kirim ke Sekretaris" if unit == "sekretariat" else "Kirim ke Kepala Bidang"
        await demo.tap(key, "Ringkasan", "Ubah jawaban")
        await demo.tap(key, send, "dikirim ke")
        await demo.tap(head, "Setujui", "Disetujui")
    await demo.people["kasubag"].wait_for_text("Semua laporan unit", timeout=WAIT)
    # the drafted narrative was used in triwulan I; this time the report goes without one
    await demo.tap("kasubag", "Kirim ke Sekretaris", "belum dipilih")
    await demo.tap("kasubag", "Kirim tanpa narasi", "tanpa narasi analisis")
    await demo.tap("kasubag", "Ya, kirim tanpa narasi", "Diteruskan")
    await demo.tap("sekretaris", "Setujui", "diteruskan ke")
    await demo.people["kadin"].wait_for_text("Triwulan II 2026", timeout=WAIT)
    await demo.tap("kadin", "Setujui", "diteruskan ke")
    # no recommendation this time: only the report is handed on and distributed
    await demo.tap("sekretaris", "Serahkan laporan", "Diteruskan")
    await demo.tap("kasubag", "Sampaikan laporan akhir", "Disampaikan oleh")
    await demo.people["kadin"].wait_for_text("Rekap tindak lanjut", timeout=WAIT)
    assert demo.group is not None
    final = await demo.group.wait_for(
        lambda m: m.document is not None and "TW2" in m.document.file_name, timeout=WAIT, since=0
    )
    assert final.document is not None
    path = out / final.document.file_name
    path.write_bytes(final.document.data)
    return path
