"""People come and go at the service layer: admin only on purpose, roles ended and handed over,
people deactivated, invites revoked, and the decisions waiting on a role following it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.model import Role
from bot.services.people import acting, onboarding
from bot.services.quarter import reminders
from bot.sim.telegram_html import check_html, html_to_text
from bot.texts import common as texts
from bot.texts import people as tp
from bot.workflow import Grant, PeriodState, UnitState
from storage import org, periods
from storage import people as people_store
from tests.integration.office import (
    Office,
    Person,
    Seen,
    every_unit_approved,
    send_to_secretary,
    set_up_agency,
)


@pytest.fixture
async def office(tmp_path: Path) -> AsyncIterator[Office]:
    office = await Office.create(tmp_path / "kinerja.sqlite3")
    yield office
    await office.close()


def button(messages: list[Seen], label: str) -> str:
    """The data of the newest button with ``label``."""
    for message in reversed(messages):
        for row in message.buttons:
            for text, data in row:
                if text == label:
                    return str(data)
    raise LookupError(label)


def labels(messages: list[Seen]) -> list[str]:
    return [text for m in messages for row in m.buttons for text, _ in row]


async def audit_rows(office: Office, action: str) -> list[tuple[object, ...]]:
    async with (
        office.core.db.reading() as conn,
        conn.execute(
            "SELECT person_id, chat_id, detail FROM audit_log WHERE action = ? ORDER BY id",
            (action,),
        ) as cur,
    ):
        return [tuple(r) for r in await cur.fetchall()]


async def cleared_in(office: Office, chat_id: int) -> list[dict[str, object]]:
    """clearButtons calls queued for a chat (a former holder's request losing its buttons)."""
    async with (
        office.core.db.reading() as conn,
        conn.execute(
            "SELECT payload FROM outbox WHERE method = 'clearButtons' AND chat_id = ?", (chat_id,)
        ) as cur,
    ):
        return [json.loads(r[0]) for r in await cur.fetchall()]


async def current(office: Office) -> periods.Period:
    async with office.core.db.reading() as conn:
        period = await periods.current_period(conn)
    assert period is not None
    return period


async def open_and_submit_pelatihan(p: dict[str, Person]) -> None:
    """Steps 1 and 2 for Bidang Pelatihan: its report waits on the kabid (step 3)."""
    await p["kasubag"].send("/buka_periode")
    await p["kasubag"].tap("Triwulan I 2026")
    await p["sekretaris"].tap("Setujui")
    await p["op_pel"].send("/isi")
    await p["op_pel"].send("1. 20\n2. 5\n3. 1.000.000\n4. -\n5. -\n6. -\n7. -\n8. -")
    await p["op_pel"].tap("Kirim ke Kepala Bidang")
    assert await p["kabid_pel"].saw("Pemeriksaan laporan")


async def assignment_of(office: Office, person: Person, role: Role) -> int:
    async with office.core.db.reading() as conn:
        found = await org.person_by_telegram(conn, person.telegram_id)
        assert found is not None
        running = [
            a
            for a in await org.assignments_of(conn, found.id)
            if a.role is role and a.active_at(office.clock.now())
        ]
    assert running, (person.name, role)
    return running[0].id


async def person_id(office: Office, person: Person) -> int:
    async with office.core.db.reading() as conn:
        found = await org.person_by_telegram(conn, person.telegram_id)
    assert found is not None
    return found.id


# ---- 1. admin only on purpose --------------------------------------------------------------


async def test_a_plain_first_invite_is_refused_and_only_admin_makes_an_admin(
    office: Office,
) -> None:
    core = office.core
    with pytest.raises(onboarding.InviteError, match="--admin"):
        await onboarding.create_invite_cli(core, Role.KADIN, None, None, False, "b")
    first = await onboarding.create_invite_cli(core, Role.KASUBAG_KPEP, None, None, True, "b")
    second = await onboarding.create_invite_cli(core, Role.KADIN, None, None, False, "b")
    assert first.invite.is_admin and not second.invite.is_admin
    kadin = await office.join("Ani Kadin", Role.KADIN)  # redeemed before the admin joined
    async with core.db.reading() as conn:
        admins = await people_store.active_admins(conn)
    assert admins == []
    await kadin.send("/undang")
    assert texts.ADMIN_ONLY in await kadin.last_text()


# ---- 2. people come and go ------------------------------------------------------------------


async def test_admin_ends_a_role_from_anggota_and_it_is_audited(office: Office) -> None:
    p = await set_up_agency(office)
    admin = p["kasubag"]
    await admin.send("/anggota")
    assert "Tono Operator" in await admin.last_text()
    await admin.tap("Tono Operator")
    await admin.tap("Akhiri: Operator Bidang Pelatihan")
    await admin.send("31/2/2026")
    assert "tidak dikenali" in await admin.last_text()
    await admin.tap("Hari ini")
    assert "berakhir" in await admin.last_text()
    assert "berakhir" in await p["op_pel"].last_text()
    await p["op_pel"].send("/isi")
    assert texts.NOT_ALLOWED in await p["op_pel"].last_text() or "tidak" in (
        await p["op_pel"].last_text()
    )
    (row,) = await audit_rows(office, "role_ended")
    assert row[0] == await person_id(office, admin) and row[1] == admin.telegram_id
    assert json.loads(str(row[2]))["via"] == "chat"


async def test_a_role_ends_on_a_typed_future_date(office: Office) -> None:
    p = await set_up_agency(office)
    admin = p["kasubag"]
    assignment = await assignment_of(office, p["kabid_pen"], Role.KABID)
    await admin.send("/anggota")
    await admin.tap("Dewi Kabid")
    await admin.tap("Akhiri: Kepala Bidang Bidang Penempatan")
    await admin.send("20/10/2026")
    async with office.core.db.reading() as conn:
        ended = await people_store.assignment(conn, assignment)
    assert ended is not None and ended.ends_at is not None
    assert ended.ends_at.astimezone(UTC) == datetime(2026, 10, 19, 17, 0, tzinfo=UTC)
    assert ended.active_at(office.clock.now())


async def test_a_deactivated_person_is_not_registered_and_told_once(office: Office) -> None:
    p = await set_up_agency(office)
    admin, op = p["kasubag"], p["op_pel"]
    await admin.send("/anggota")
    await admin.tap("Tono Operator")
    await admin.tap(tp.BTN_DEACTIVATE)
    await admin.tap(tp.BTN_DEACTIVATE_YES)
    assert "dinonaktifkan" in await admin.last_text()
    told = [m for m in await op.inbox() if m.text == tp.YOU_ARE_DEACTIVATED]
    assert len(told) == 1
    for command in ("/isi", "/bantuan", "/status", "halo"):
        await op.send(command)
        assert await op.last_text() == texts.NOT_REGISTERED.replace("<b>", "")
    # a second deactivation (an old confirm button) changes nothing
    outcome = await admin.tap_data(button(await admin.inbox(), tp.BTN_DEACTIVATE_YES))
    assert outcome.toast is None and tp.PERSON_GONE in await admin.last_text()
    assert len([m for m in await op.inbox() if m.text == tp.YOU_ARE_DEACTIVATED]) == 1
    assert len(await audit_rows(office, "person_deactivated")) == 1
    # a new invite brings them back
    await office.join("Tono Operator", Role.OPERATOR, "pelatihan")
    await op.send("/bantuan")
    assert "Bantuan" in await op.last_text()


async def test_the_last_admin_cannot_be_removed(office: Office) -> None:
    p = await set_up_agency(office)
    admin = p["kasubag"]
    await admin.send("/anggota")
    await admin.tap("Sri Kasubag")
    await admin.tap(tp.BTN_REVOKE_ADMIN)
    await admin.tap(tp.BTN_REVOKE_ADMIN_YES)
    assert "satu-satunya pengelola bot" in await admin.last_text()
    await admin.tap(tp.BTN_DEACTIVATE)
    await admin.tap(tp.BTN_DEACTIVATE_YES)
    assert "satu-satunya pengelola bot" in await admin.last_text()
    async with office.core.db.reading() as conn:
        assert [a.full_name for a in await people_store.active_admins(conn)] == ["Sri Kasubag"]
    # with a second admin, the first can step down
    await office.join("Admin Dua", Role.OPERATOR, "sekretariat", admin_=True)
    await admin.tap_data(button(await admin.inbox(), tp.BTN_REVOKE_ADMIN_YES))
    assert "dicabut" in await admin.last_text()
    assert len(await audit_rows(office, "admin_revoked")) == 1


async def test_unused_invites_are_listed_and_revoked(office: Office) -> None:
    p = await set_up_agency(office)
    admin = p["kasubag"]
    created = await onboarding.create_invite_cli(
        office.core, Role.OPERATOR, "pelatihan", None, False, "kinerja_test_bot"
    )
    await admin.send("/anggota")
    await admin.tap(tp.BTN_INVITES)
    assert "(Bidang Pelatihan)" in await admin.last_text()
    revoke = next(label for label in labels(await admin.new()) if label.startswith("Cabut"))
    await admin.tap(revoke)
    newcomer = Person(office, "Baru", 9999)
    await newcomer.send(f"/start {created.invite.token}")
    assert "dicabut" in await newcomer.last_text()
    assert len(await audit_rows(office, "invite_revoked")) == 1


async def test_non_admins_cannot_press_admin_buttons(office: Office) -> None:
    p = await set_up_agency(office)
    target = await assignment_of(office, p["kabid_pel"], Role.KABID)
    kabid_id = await person_id(office, p["kabid_pel"])
    forged = [
        f"ms:{kabid_id}",
        f"me:{target}",
        f"mt:{target}",
        f"md:{kabid_id}",
        f"mk:{kabid_id}",
        f"ma:{kabid_id}",
        f"mb:{kabid_id}",
        f"mh:{target}",
        f"mg:{target}:{kabid_id}",
        f"mi:{target}",
        "il:0",
        "iv:1",
        "ir:kadin",
        "iu:kabid:pelatihan",
    ]
    for name in ("sekretaris", "kadin", "op_pel", "kabid_pel"):
        for data in forged:
            outcome = await p[name].tap_data(data)
            assert outcome.toast == texts.ADMIN_ONLY, (name, data, outcome)
    assert await assignment_of(office, p["kabid_pel"], Role.KABID) == target
    assert await audit_rows(office, "role_ended") == []
    assert await audit_rows(office, "person_deactivated") == []


# ---- 3. pending decisions follow the role ---------------------------------------------------


async def test_a_handed_over_kabid_role_takes_the_waiting_report_along(office: Office) -> None:
    p = await set_up_agency(office)
    await open_and_submit_pelatihan(p)
    old = p["kabid_pel"]
    approve = button(await old.inbox(), "Setujui")
    successor = await office.join("Sari Pengganti", Role.OPERATOR, "penempatan")
    admin = p["kasubag"]
    await admin.send("/anggota")
    await admin.tap("Joko Kabid")
    await admin.tap("Serahkan: Kepala Bidang Bidang Pelatihan")
    await admin.tap("Sari Pengganti")
    assert "diserahkan" in await admin.last_text()
    # the successor has the request with its buttons; the old holder's are removed
    assert "Setujui" in labels(await successor.inbox())
    assert "Minta revisi" in labels(await successor.inbox())
    assert any(c.get("note") for c in await cleared_in(office, old.telegram_id))
    await old.tap_data(approve)
    assert texts.BUTTON_NOT_YOURS in await old.last_text()
    await successor.tap("Setujui")
    period = await current(office)  # before reading(): its connection is not reentrant
    async with office.core.db.reading() as conn:
        report = await periods.unit_report_for(conn, period.id, "pelatihan")
    assert report is not None and report.state is UnitState.APPROVED
    assert len(await audit_rows(office, "decision_reoffered")) == 1


async def test_a_plt_term_by_the_clock_takes_and_gives_back_the_decision(office: Office) -> None:
    p = await set_up_agency(office)
    await open_and_submit_pelatihan(p)
    stand_in = await office.join("Sari Pengganti", Role.OPERATOR, "penempatan")
    kabid = p["kabid_pel"]
    # the kabid's role ends today; a Plt from tomorrow to the day after
    admin = p["kasubag"]
    await admin.send("/anggota")
    await admin.tap("Joko Kabid")
    await admin.tap("Akhiri: Kepala Bidang Bidang Pelatihan")
    await admin.tap("Hari ini")
    assert any(c.get("note") for c in await cleared_in(office, kabid.telegram_id))
    today = office.clock.now().astimezone(office.core.config.calendar.tz).date()
    async with office.core.work(None) as work:
        sari = await org.person_by_telegram(work.conn, stand_in.telegram_id)
        assert sari is not None
        await acting.assign(
            work,
            sari.id,
            Grant(Role.KABID, "pelatihan"),
            today + timedelta(days=1),
            today + timedelta(days=1),
            "plt",
            None,
            office.core.config.calendar.tz,
        )
    await reminders.check(office.core)
    assert "Setujui" not in labels(await stand_in.inbox())
    office.clock.advance(timedelta(days=1))
    await reminders.check(office.core)
    await reminders.check(office.core)  # idempotent: offered once
    # The request offered once (a reminder of it, late by now, carries the same buttons).
    offered = [
        m for m in await stand_in.inbox() if "Setujui" in labels([m]) and "Pengingat" not in m.text
    ]
    assert len(offered) == 1
    office.clock.advance(timedelta(days=1))
    await reminders.check(office.core)
    assert any(c.get("note") for c in await cleared_in(office, stand_in.telegram_id))
    await stand_in.tap_data(button(offered, "Setujui"))
    assert texts.BUTTON_NOT_YOURS in await stand_in.last_text()


async def test_status_lists_what_waits_on_the_holder_with_its_buttons(office: Office) -> None:
    p = await set_up_agency(office)
    await open_and_submit_pelatihan(p)
    kabid = p["kabid_pel"]
    await kabid.send("/status")
    new = await kabid.new()
    assert any(tp.WAITING_ON_YOU.replace("<b>", "").replace("</b>", "") in m.text for m in new)
    assert "Setujui" in labels(new)
    await kabid.tap("Setujui")
    period = await current(office)  # before reading(): its connection is not reentrant
    async with office.core.db.reading() as conn:
        report = await periods.unit_report_for(conn, period.id, "pelatihan")
    assert report is not None and report.state is UnitState.APPROVED
    await p["op_pel"].send("/status")
    assert "Setujui" not in labels(await p["op_pel"].new())


async def test_a_new_sekretaris_gets_the_opening_request(office: Office) -> None:
    p = await set_up_agency(office)
    await p["kasubag"].send("/buka_periode")
    await p["kasubag"].tap("Triwulan I 2026")
    old = p["sekretaris"]
    approve = button(await old.inbox(), "Setujui")
    admin = p["kasubag"]
    await admin.send("/anggota")
    await admin.tap("Budi Sekretaris")
    await admin.tap(tp.BTN_DEACTIVATE)
    await admin.tap(tp.BTN_DEACTIVATE_YES)
    assert any(c.get("note") for c in await cleared_in(office, old.telegram_id))
    await old.tap_data(approve)
    assert await old.last_text() == texts.NOT_REGISTERED.replace("<b>", "")
    assert (await current(office)).state is PeriodState.AWAITING_OPENING
    new = await office.join("Wati Sekretaris", Role.SEKRETARIS)
    assert "Persetujuan pembukaan" in "\n".join(m.text for m in await new.inbox())
    await new.tap("Setujui")
    assert (await current(office)).state is PeriodState.COLLECTING


async def test_a_handover_by_invite_reaches_the_successor_when_they_join(office: Office) -> None:
    p = await set_up_agency(office)
    await open_and_submit_pelatihan(p)
    admin = p["kasubag"]
    await admin.send("/anggota")
    await admin.tap("Joko Kabid")
    await admin.tap("Serahkan: Kepala Bidang Bidang Pelatihan")
    await admin.tap(tp.BTN_BY_INVITE)
    text = await admin.last_text()
    token = text.split("start=")[1].split()[0]
    successor = Person(office, "Kabid Baru", 7777)
    await successor.send(f"/start {token}")
    assert "Setujui" in labels(await successor.inbox())
    # the link was a plain invite: the admins are who they were
    async with office.core.db.reading() as conn:
        assert [a.full_name for a in await people_store.active_admins(conn)] == ["Sri Kasubag"]


async def hand(office: Office, holder: Person, role: Role, to: Person | None) -> str:
    """Hand ``holder``'s role over as the command line does; the admin's note."""
    from bot.services.people import people

    assignment = await assignment_of(office, holder, role)
    successor = await person_id(office, to) if to is not None else None
    async with office.core.work(None) as work:
        handed = await people.hand_over(
            office.core, work, assignment, successor, None, "kinerja_test_bot"
        )
    return handed.text


async def test_the_decisions_of_steps_5_to_8_follow_their_roles(office: Office) -> None:
    p = await set_up_agency(office)
    await every_unit_approved(p)
    assert (await current(office)).state is PeriodState.COMPILING
    await send_to_secretary(p["kasubag"])

    # step 5: the sekretaris's role goes to Wati, a registered operator
    wati = await office.join("Wati Baru", Role.OPERATOR, "sekretariat")
    await hand(office, p["sekretaris"], Role.SEKRETARIS, wati)
    new = await wati.inbox()
    assert any(m.method == "sendDocument" for m in new) and "Setujui" in labels(new)
    assert await cleared_in(office, p["sekretaris"].telegram_id)
    await wati.tap("Setujui")
    assert (await current(office)).state is PeriodState.HEAD_REVIEW

    # step 6: the kadin is deactivated; the new kadin gets the review when she joins
    from bot.services.people import people

    kadin_id = await person_id(office, p["kadin"])  # before work(): one connection at a time
    async with office.core.work(None) as work:
        await people.deactivate(office.core, work, kadin_id, None)
    kadin = await office.join("Kadin Baru", Role.KADIN)
    assert "Tambah rekomendasi umum" in labels(await kadin.inbox())
    await kadin.tap("Setujui")
    assert (await current(office)).state is PeriodState.FORWARDING

    # step 7: a Plt sekretaris from today gets the forward button beside Wati
    plt = await office.join("Plt Sekretaris", Role.OPERATOR, "penempatan")
    today = office.clock.now().astimezone(office.core.config.calendar.tz).date()
    plt_id = await person_id(office, plt)
    async with office.core.work(None) as work:
        await acting.assign(
            work,
            plt_id,
            Grant(Role.SEKRETARIS),
            today,
            today,
            "plt",
            None,
            office.core.config.calendar.tz,
        )
    await reminders.check(office.core)
    # no recommendations were written: only the report is handed on
    assert "Serahkan laporan" in labels(await plt.inbox())
    moved = [c for c in await cleared_in(office, wati.telegram_id) if "tidak lagi" in str(c)]
    assert moved == []  # Wati still holds the role: her buttons stay
    await plt.tap("Serahkan laporan")
    assert (await current(office)).state is PeriodState.DISTRIBUTING

    # step 8: the kasubag_kpep's role goes by invite; the successor distributes
    note = await hand(office, p["kasubag"], Role.KASUBAG_KPEP, None)
    token = note.split("start=")[1].split()[0]
    coordinator = Person(office, "Kasubag Baru", 8888)
    await coordinator.send(f"/start {token}")
    assert "Sampaikan laporan akhir" in labels(await coordinator.inbox())
    await coordinator.tap("Sampaikan laporan akhir")
    # no recommendations were written, so nothing waits for follow-ups: the period closes
    assert (await current(office)).state in (PeriodState.FOLLOW_UP, PeriodState.CLOSED)
    reoffers = [
        json.loads(str(r[2]))["step"] for r in await audit_rows(office, "decision_reoffered")
    ]
    assert reoffers == [5, 6, 6, 7, 8, 8]  # taken from the old holder, given to the new


async def test_a_long_members_list_is_paged_in_short_messages(office: Office) -> None:
    p = await set_up_agency(office)
    for n in range(25):
        await office.join(f"Pegawai {n:02d} " + "Panjang" * 20, Role.OPERATOR, "penempatan")
    admin = p["kasubag"]
    await admin.send("/anggota")
    pages = 1
    seen: set[str] = set()
    while True:
        (message,) = [m for m in await admin.new() if m.method == "sendMessage"]
        assert len(message.text) <= tp.MAX_PAGE_CHARS
        person_buttons = [t for t in labels([message]) if t.startswith(("Pegawai", "Sri", "Budi"))]
        seen |= set(person_buttons)
        if tp.BTN_NEXT not in labels([message]):
            break
        await admin.tap_data(button([message], tp.BTN_NEXT))
        pages += 1
    assert pages >= 3
    assert len([s for s in seen if s.startswith("Pegawai")]) == 25
    # the pimpinan sees the pages too, without the admin's buttons
    await p["kadin"].send("/anggota")
    (listing,) = await p["kadin"].new()
    assert labels([listing]) == [tp.BTN_NEXT]


async def test_the_compile_package_follows_the_kasubag_role(office: Office) -> None:
    p = await set_up_agency(office)
    await every_unit_approved(p)
    assert (await current(office)).state is PeriodState.COMPILING
    successor = p["op_pen"]
    await hand(office, p["kasubag"], Role.KASUBAG_KPEP, successor)
    new = await successor.new()
    assert {m.method for m in new} >= {"sendDocument", "sendPhoto", "sendMessage"}
    assert "Kirim ke Sekretaris" in labels(new)
    await p["kasubag"].tap_data(button(await p["kasubag"].inbox(), "Kirim ke Sekretaris"))
    assert texts.BUTTON_NOT_YOURS in await p["kasubag"].last_text()
    await send_to_secretary(successor)
    assert (await current(office)).state is PeriodState.SECRETARY_REVIEW


async def test_a_long_hostile_name_is_listed_in_valid_html(office: Office) -> None:
    """/anggota cuts a long name as plain text before escaping it: the page stays valid."""
    p = await set_up_agency(office)
    await office.join("Δ " + "<&>" * 66, Role.OPERATOR, "penempatan")
    await p["kasubag"].send("/anggota")
    sent = [m for m in await p["kasubag"].new() if m.method == "sendMessage"]
    for message in sent:
        check_html(message.text)
    assert "Δ <&><&><&>" in "\n".join(html_to_text(m.text) for m in sent)
