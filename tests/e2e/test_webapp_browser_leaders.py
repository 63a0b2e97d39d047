"""The leaders' dashboard in a real browser (Debian's Chromium, headless, 360 × 640) against
the bot on the simulator: the report's own figures, drawn as SVG; the Sekretaris's decision
taken in the page; 403 for anyone who is not a leader.

Skipped only where Chromium or chromium-driver is absent (the summary says so).
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from typing import Any

import pytest

from bot.model import Role
from bot.numbers_format import format_percent
from bot.services.files.catalog import store_catalog
from bot.services.people import admin
from bot.sim import SimPerson
from tests.e2e.browser import WIDTH, Page, launch_url, missing, start_driver
from tests.e2e.conftest import Harness
from tests.e2e.test_webapp_browser import init_data
from tests.integration.office import UNITS, small_catalog

pytestmark = pytest.mark.skipif(missing() is not None, reason=f"browser tests: {missing()}")

URL = "https://kinerja.example.go.id/"
FILL = "1. 20\n2. 5\n3. 1.000.000\n4. -\n5. -\n6. -\n7. -\n8. -"


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    browser = start_driver()
    try:
        yield browser
    finally:
        browser.quit()


@pytest.fixture
async def office(harness: Harness) -> AsyncIterator[dict[str, SimPerson]]:
    """A quarter played to step 5: every unit entered and approved, the draft with the
    Sekretaris."""
    harness.webapp_url = URL
    await harness.restart()
    assert harness.runtime is not None
    core = harness.runtime.core
    await admin.import_units(core, UNITS, "Dinas Tenaga Kerja Kabupaten Contoh", "Contoh")
    async with core.work(None) as work:
        assert (await store_catalog(work, small_catalog(), None)).ok
    people = {}
    for key, role, unit in (
        ("kasubag", Role.KASUBAG_KPEP, None),
        ("sekretaris", Role.SEKRETARIS, None),
        ("kadin", Role.KADIN, None),
        ("op_sek", Role.OPERATOR, "sekretariat"),
        ("op_pel", Role.OPERATOR, "pelatihan"),
        ("kabid_pel", Role.KABID, "pelatihan"),
        ("op_pen", Role.OPERATOR, "penempatan"),
        ("kabid_pen", Role.KABID, "penempatan"),
    ):
        people[key] = harness.sim.person(key.replace("_", " ").title())
        await harness.join(people[key], role, unit, admin_=key == "kasubag")
    await people["kasubag"].send("/buka_periode")
    await people["kasubag"].tap("Triwulan I 2026")
    await people["sekretaris"].wait_for_text("Persetujuan pembukaan", since=0)
    await people["sekretaris"].tap("Setujui")
    for op, head in (("op_sek", "sekretaris"), ("op_pel", "kabid_pel"), ("op_pen", "kabid_pen")):
        await people[op].wait_for_text("dibuka", timeout=10, since=0)
        await people[op].send("/isi")
        await people[op].send(FILL)
        await people[op].tap("Kirim ke Sekretaris" if op == "op_sek" else "Kirim ke Kepala Bidang")
        await people[head].wait_for_text("Pemeriksaan laporan", timeout=10, since=0)
        await people[head].tap("Setujui", timeout=10)
    await people["kasubag"].tap("✔️ Pakai draf", timeout=20)  # the narrative first
    await people["kasubag"].wait_for_text("Draf dipakai", timeout=20)
    await people["kasubag"].tap("Kirim ke Sekretaris", timeout=20)
    yield people


async def open_dashboard(harness: Harness, page: Page, person: SimPerson) -> None:
    assert harness.runtime is not None and harness.runtime.web is not None
    await page.console_errors()  # the browser is shared: forget what earlier tests logged
    url = launch_url(harness.runtime.web.base_url, init_data(harness, person), "?view=dashboard")
    await page.open(url)
    await page.until("return document.getElementById('main').getAttribute('aria-busy') === 'false'")


def ringkasan(report: bytes) -> dict[str, tuple[Any, Any]]:
    """The report's Ringkasan sheet: per unit (and "Total Dinas"), the mean capaian, its
    predikat and the absorption, as the file shows them (the values cached with the formulas)."""
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(report), data_only=True)["Ringkasan"]
    found = {}
    for row in sheet.iter_rows(values_only=True):
        if row and isinstance(row[0], str) and isinstance(row[1], int | float):
            found[row[0]] = (row[2], row[3], row[12])
    return found


async def test_the_dashboard_shows_the_reports_figures_and_only_to_leaders(
    harness: Harness, office: dict[str, SimPerson], driver: Any
) -> None:
    kasubag = office["kasubag"]
    draft = await kasubag.wait_for(lambda m: m.document is not None, timeout=20, since=0)
    assert draft.document is not None
    expected = ringkasan(draft.document.data)
    page = Page(driver)
    await open_dashboard(harness, page, kasubag)
    charted = await page.js(
        "return Array.from(document.querySelectorAll('#capaian svg text.label')).map(t => ["
        "t.textContent, t.nextSibling.nextSibling.nextSibling.textContent + ' · ' +"
        " t.nextSibling.textContent])"
    )
    absorbed = await page.js(
        "return Array.from(document.querySelectorAll('#absorption svg text.fig'))"
        ".map(t => t.textContent)"
    )
    expected["Dinas"] = expected.pop("Total Dinas")  # the agency's row, under the units
    assert len(expected) == 4 and [name for name, _ in charted] == list(expected)
    for (name, figure), absorption in zip(charted, absorbed, strict=True):
        capaian, predikat, spent = expected[name]
        assert figure == f"{format_percent(Decimal(str(capaian)))} · {predikat}", name
        assert absorption == format_percent(Decimal(str(spent))), name
    # drawn in the page, nothing wider than the phone, the steps against their standards
    assert await page.js("return document.querySelectorAll('svg rect.bar').length") > 6
    assert await page.js("return document.documentElement.scrollWidth") <= WIDTH
    steps = await page.text("steps")
    assert "3. Pemeriksaan Kepala Bidang" in steps and "tepat waktu" in steps
    assert not await page.console_errors()

    # someone who is not a leader: 403 from the API, and the page says why, drawing nothing
    operator = office["op_pel"]
    await open_dashboard(harness, page, operator)
    assert "hanya untuk" in await page.text("status")
    status = await page.js_async(
        """
        const done = arguments[arguments.length - 1];
        fetch('api/dashboard', {headers: {Authorization: 'tma ' + arguments[0]}})
          .then(r => done(r.status));
        """,
        init_data(harness, operator),
    )
    assert status == 403
    assert await page.js("return document.querySelectorAll('svg').length") == 0


async def test_the_secretary_approves_in_the_dashboard_and_the_chat_buttons_go(
    harness: Harness, office: dict[str, SimPerson], driver: Any
) -> None:
    sekretaris = office["sekretaris"]
    request = await sekretaris.wait_for(
        lambda m: any("Buka dasbor" in row for row in m.buttons), timeout=20, since=0
    )
    assert "Setujui" in request.buttons[0]
    page = Page(driver)
    await open_dashboard(harness, page, sekretaris)
    assert not await page.js("return document.getElementById('decision').hidden")
    await page.click("approve")
    await page.until("return document.getElementById('decision').hidden")
    await sekretaris.wait_for(
        lambda m: m.message_id == request.message_id and not m.buttons, timeout=10, since=0
    )
    await office["kadin"].wait_for(
        lambda m: any("Setujui" in row for row in m.buttons), timeout=20, since=0
    )
    assert not await page.console_errors()
