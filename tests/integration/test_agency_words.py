"""Issue 20: the agency's own words. Titles from the organisation file, Bapak/Ibu toward
leaders, reminders that say when and carry their buttons, a finished form that says so."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.model import Role, Unit, UnitKind
from bot.services.people import admin
from bot.texts import common as texts
from bot.texts import quarter as tq
from tests.integration.office import Office

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
    assert tq.step_name(7) == "Penyerahan ke Kasubbag Program"
    assert tq.step_name(7, full=True) == "Penyerahan ke Kepala Subbagian Program dan Keuangan"
    assert "Kasubbag Program" in tq.period_state_label("kompilasi")
    for every in (welcome, *shown.values()):
        assert "KPEP" not in every and "admin" not in every


async def test_without_titles_the_sops_are_used_in_full(office: Office) -> None:
    await admin.import_units(office.core, UNITS[:1], "Dinas Uji")
    kasubag = await office.join("Sri Rahayu", Role.KASUBAG_KPEP, admin_=True)
    assert "Kasubbag Keuangan, Perencanaan, Evaluasi, dan Pelaporan" in await kasubag.last_text()
    # Without a short form chosen by the agency, chat uses the full title too.
    assert (
        tq.step_name(7) == "Penyerahan ke Kasubbag Keuangan, Perencanaan, Evaluasi, dan Pelaporan"
    )
    stranger = office.people.setdefault("X", type(kasubag)(office, "X", 99))
    await stranger.send("/start")
    assert "(Kasubbag Keuangan, Perencanaan, Evaluasi, dan Pelaporan)" in await stranger.last_text()
