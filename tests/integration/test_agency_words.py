"""Issue 20: the agency's own words. Titles from the organisation file, Bapak/Ibu toward
leaders, reminders that say when and carry their buttons, a finished form that says so."""

from __future__ import annotations

import html
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bot.calendar import format_duration
from bot.dates import clock_time
from bot.model import Role, Unit, UnitKind
from bot.numbers_format import format_rupiah
from bot.services.files.catalog import store_catalog
from bot.services.people import admin, onboarding
from bot.services.quarter import reminders
from bot.texts import common as texts
from bot.texts import fit as tf
from bot.texts import quarter as tq
from bot.texts import steps as ts
from bot.workflow import Step
from storage import entries, org, periods
from tests.integration.office import Office, Seen, set_up_agency, small_catalog

TITLES = {
    "judul_koordinator": "Kepala Subbagian Program dan Keuangan",
    "judul_koordinator_singkat": "Kasubbag Program",
}
UNITS = (
    Unit("sekretariat", "Sekretariat", UnitKind.SEKRETARIAT),
    Unit("pelatihan", "Bidang Pelatihan", UnitKind.BIDANG, "Analis Kinerja"),
    Unit("penempatan", "Bidang Penempatan", UnitKind.BIDANG),
)


@pytest.fixture
async def office(tmp_path: Path) -> AsyncIterator[Office]:
    office = await Office.create(tmp_path / "kinerja.sqlite3")
    yield office
    await office.close()
    texts.set_titles()  # the titles are kept per process: leave the SOP's for other tests


async def test_the_configured_titles_are_the_ones_shown(office: Office) -> None:
    await admin.import_units(office.core, UNITS, "Dinas Uji", "Uji", dict(TITLES))
    kasubag = await office.join("Sri Rahayu", Role.KASUBAG_KPEP, admin_=True)
    welcome = await kasubag.last_text()
    # The full title in the welcome and in /bantuan; no invented abbreviation anywhere.
    assert "Kepala Subbagian Program dan Keuangan" in welcome
    await kasubag.send("/bantuan")
    assert "Sebagai Kepala Subbagian Program dan Keuangan:" in await kasubag.last_text()
    assert "pengelola bot" in await kasubag.last_text()
    # Each unit's operators by the unit's title; a bidang's are no Kasubbag.
    shown = {}
    for name, unit in (("Tono", "pelatihan"), ("Eko", "penempatan"), ("Rina", "sekretariat")):
        person = await office.join(name, Role.OPERATOR, unit)
        shown[unit] = await person.last_text()
    assert "Analis Kinerja (Bidang Pelatihan)" in shown["pelatihan"]
    assert "Pejabat Fungsional/Pengelola Data (Bidang Penempatan)" in shown["penempatan"]
    assert "Kasubbag/Pejabat Fungsional (Sekretariat)" in shown["sekretariat"]
    # Elsewhere in chat the agency's short form; documents keep the full title.
    assert ts.step_name(7) == "Penyerahan ke Kasubbag Program"
    assert ts.step_name(7, full=True) == "Penyerahan ke Kepala Subbagian Program dan Keuangan"
    assert "Kasubbag Program" in ts.period_state_label("kompilasi")
    for every in (welcome, *shown.values()):
        assert "KPEP" not in every and "admin" not in every


async def test_without_titles_the_sops_are_used_in_full(office: Office) -> None:
    await admin.import_units(office.core, UNITS[:1], "Dinas Uji")
    kasubag = await office.join("Sri Rahayu", Role.KASUBAG_KPEP, admin_=True)
    assert "Kasubbag Keuangan, Perencanaan, Evaluasi, dan Pelaporan" in await kasubag.last_text()
    # Without a short form chosen by the agency, chat uses the full title too.
    assert (
        ts.step_name(7) == "Penyerahan ke Kasubbag Keuangan, Perencanaan, Evaluasi, dan Pelaporan"
    )
    stranger = office.people.setdefault("X", type(kasubag)(office, "X", 99))
    await stranger.send("/start")
    assert "(Kasubbag Keuangan, Perencanaan, Evaluasi, dan Pelaporan)" in await stranger.last_text()


def labels(seen: Seen) -> list[str]:
    return [text for row in seen.buttons for text, _ in row]


async def payloads(office: Office, chat_id: int, method: str) -> list[dict[str, Any]]:
    """What the bot queued for a chat with ``method`` (e.g. the removals of buttons)."""
    async with (
        office.core.db.reading() as conn,
        conn.execute(
            "SELECT payload FROM outbox WHERE chat_id = ? AND method = ? ORDER BY id",
            (chat_id, method),
        ) as cur,
    ):
        return [json.loads(row["payload"]) for row in await cur.fetchall()]


async def test_leaders_are_addressed_and_asked_not_ordered(office: Office) -> None:
    await admin.import_units(office.core, UNITS, "Dinas Uji")
    async with office.core.work(None) as work:
        assert (await store_catalog(work, small_catalog(), None)).ok
    kasubag = await office.join("Sri Rahayu", Role.KASUBAG_KPEP, admin_=True, sapaan="Ibu")
    kadin = await office.join("Hendra Kusuma", Role.KADIN, sapaan="Bapak")
    # Set with `invite --sapaan`: greeted by it, and not asked again.
    welcome = (await kadin.inbox())[-1]
    assert "Selamat datang, Bapak Hendra Kusuma." in welcome.text
    assert welcome.buttons == [] and texts.ask_sapaan() not in welcome.text
    with pytest.raises(onboarding.InviteError):
        await onboarding.create_invite_cli(office.core, Role.KADIN, None, "X", False, "b", "Tuan")

    # Asked at /start when missing, with the welcome; answered once, the buttons go.
    sekretaris = await office.join("Wati Lestari", Role.SEKRETARIS)
    welcome = (await sekretaris.inbox())[-1]
    assert welcome.text.startswith("Selamat datang, Wati Lestari.")
    assert "mohon pilih sapaan" in welcome.text and labels(welcome) == ["Bapak", "Ibu"]
    await sekretaris.tap("Ibu")
    assert await sekretaris.saw(texts.sapaan_saved("Ibu").replace("<b>", "").replace("</b>", ""))
    assert any(m.method == "clearButtons" for m in await sekretaris.new())
    await sekretaris.send("/start")
    assert [m.text for m in await sekretaris.new()] == [texts.START_REGISTERED]

    # A leader's request asks, by the leader's own sapaan.
    await kasubag.send("/buka_periode")
    await kasubag.tap("Triwulan I 2026")
    request = await sekretaris.last_text()
    assert "Mohon Ibu berkenan menyetujui pembukaan ini" in request
    assert "Setujui agar" not in request

    # Changeable in /anggota by the admin: the next message speaks so.
    await kasubag.send("/anggota")
    await kasubag.tap("Wati Lestari")
    assert "Sapaan: Ibu." in await kasubag.last_text()
    await kasubag.tap("Sapa dengan Bapak")
    assert "kini disapa Bapak" in await kasubag.last_text()
    async with office.core.db.reading() as conn:
        person = await org.person_by_telegram(conn, sekretaris.telegram_id)
    assert person is not None and person.sapaan == "Bapak"


async def test_a_registered_person_without_sapaan_is_asked_at_start(office: Office) -> None:
    await admin.import_units(office.core, UNITS, "Dinas Uji")
    kasubag = await office.join("Sri Rahayu", Role.KASUBAG_KPEP, admin_=True)
    await kasubag.send("/start")
    new = await kasubag.new()
    assert [m.text for m in new] == [texts.START_REGISTERED, texts.ask_sapaan()]
    assert labels(new[-1]) == ["Bapak", "Ibu"]
    # A forged value changes nothing.
    assert (await kasubag.tap_data("sp:tuan")).toast == texts.BUTTON_INVALID
    await kasubag.tap("Bapak")
    await kasubag.send("/start")
    assert [m.text for m in await kasubag.new()] == [texts.START_REGISTERED]


async def test_a_reminder_says_when_and_carries_the_requests_buttons(office: Office) -> None:
    await admin.import_units(office.core, UNITS, "Dinas Uji")
    async with office.core.work(None) as work:
        assert (await store_catalog(work, small_catalog(), None)).ok
    kasubag = await office.join("Sri Rahayu", Role.KASUBAG_KPEP, admin_=True, sapaan="Ibu")
    sekretaris = await office.join("Budi Santoso", Role.SEKRETARIS, sapaan="Bapak")
    kadin = await office.join("Hendra Kusuma", Role.KADIN, admin_=True, sapaan="Bapak")
    await kasubag.send("/buka_periode")
    await kasubag.tap("Triwulan I 2026")
    request = (await sekretaris.inbox())[-1]
    asked = office.clock.now()
    standard = office.core.standard(Step.OPEN)  # 15 minutes

    office.clock.set(asked + standard + timedelta(minutes=20))
    assert await reminders.check(office.core) == 1
    reminder = (await sekretaris.inbox())[-1]
    deadline = office.core.config.calendar.add_working(asked, standard)
    # "batas pukul 09.20 WIB, terlambat 20 menit": the clock time, how late, the buttons.
    late = format_duration(timedelta(minutes=20))
    assert f"batas {clock_time(deadline)}, terlambat {late}" in reminder.text
    assert "Mohon Bapak berkenan memutuskannya" in reminder.text
    assert reminder.buttons == request.buttons and labels(reminder) == ["Setujui", "Tolak"]

    # Later the Kepala Dinas is told, with Ingatkan; as an admin he also learns of /plt.
    office.clock.set(asked + 2 * standard + timedelta(minutes=25))
    assert await reminders.check(office.core) == 2  # the second reminder and the escalation
    escalation = (await kadin.inbox())[-1]
    assert "Perlu perhatian" in escalation.text and "Budi Santoso" in escalation.text
    assert labels(escalation) == [tf.BTN_REMIND] and "/plt" in escalation.text
    # Ingatkan is his alone; it sends one more reminder, with the buttons again.
    forged = escalation.buttons[0][0][1]
    assert (await kasubag.tap_data(forged)).toast == texts.BUTTON_NOT_YOURS
    before = len(await sekretaris.inbox())
    outcome = await kadin.tap(tf.BTN_REMIND)
    assert outcome.toast == tf.reminded_again("Budi Santoso")
    again = (await sekretaris.inbox())[before:]
    assert len(again) == 1 and "Pengingat" in again[0].text and labels(again[0]) == labels(request)

    # Acting on a reminder is the decision: every copy loses its buttons, one says who.
    await sekretaris.tap("Setujui")
    cleared = await payloads(office, sekretaris.telegram_id, "clearButtons")
    originals = {c["original"] for c in cleared}
    with_buttons = [m.id for m in await sekretaris.inbox() if m.buttons]
    assert set(with_buttons) == originals and request.id in originals
    assert sum("note" in c for c in cleared) == 1  # not told of it twice
    # A stale Ingatkan changes nothing.
    assert (await kadin.tap(tf.BTN_REMIND)).toast == texts.STALE_BUTTON


async def test_a_finished_form_says_so_and_the_other_operator_is_told(office: Office) -> None:
    p = await set_up_agency(office)
    second = await office.join("Wulan Operator", Role.OPERATOR, "pelatihan", sapaan="Ibu")
    await p["kasubag"].send("/buka_periode")
    await p["kasubag"].tap("Triwulan I 2026")
    await p["sekretaris"].tap("Setujui")
    op = p["op_pel"]
    await op.send("/isi")
    await op.send("1. 20\n2. 5\n3. 1.000.000\n4. Kendala A & B\n5. -\n6. -\n7. -\n8. -")

    # /isi again on the complete form: not the blank message, which reads as if all was lost.
    await op.send("/isi")
    new = [m.text for m in await op.new()]
    assert new[0] == tf.form_complete(8, 8).replace("<b>", "").replace("</b>", "")
    assert "Semua isian sudah terisi (8 dari 8)" in new[0]
    assert "Salin pesan berikut, ubah jawaban" in new[1]  # one message: exactly that one
    prefilled = html.unescape(new[2])  # as the operator reads and copies it
    assert f"1. Jumlah layanan Bidang Pelatihan (orang; TW lalu {tq.num(None)}) = 20" in prefilled
    pagu = format_rupiah(Decimal(100000000))
    assert f"3. Anggaran Sub kegiatan Bidang Pelatihan (Rp; pagu {pagu}) = 1.000.000" in prefilled
    assert "4. Kendala/permasalahan = Kendala A & B" in prefilled
    assert "5. Faktor pendorong = -" in prefilled

    # Sent back with one line changed: that line is saved, the others stay as they were.
    await op.send(prefilled.replace("= 20", "= 22"))
    lead = (await op.new())[0].text
    assert tf.fill_unchanged(7) in lead
    async with office.core.db.reading() as conn:
        period = await periods.current_period(conn)
        assert period is not None
        values = await entries.realisations(conn, [period.id])
    assert sorted(e.value for e in values.values()) == [Decimal(5), Decimal(22)]

    # One operator sends the unit's report: the other learns it, once; the sender is not told twice.
    await op.tap("Kirim ke Kepala Bidang")
    told = [m.text for m in await second.new() if "telah dikirim oleh" in m.text]
    assert told == [
        "Laporan Bidang Pelatihan telah dikirim oleh Tono Operator ke Kepala Bidang "
        "untuk diperiksa. Isian tidak dapat diubah sampai dikembalikan."
    ]
    assert not [m for m in await op.inbox() if "telah dikirim oleh" in m.text]


async def test_bantuan_names_an_operator_by_the_units_title(office: Office) -> None:
    await admin.import_units(office.core, UNITS, "Dinas Uji")
    await office.join("Sri Rahayu", Role.KASUBAG_KPEP, admin_=True)
    tono = await office.join("Tono", Role.OPERATOR, "pelatihan")
    await tono.send("/bantuan")
    assert "Sebagai Analis Kinerja:" in await tono.last_text()
    rina = await office.join("Rina", Role.OPERATOR, "sekretariat")
    await rina.send("/bantuan")
    assert "Sebagai Kasubbag/Pejabat Fungsional:" in await rina.last_text()
