"""The Mini App in a real browser: Debian's Chromium, headless, at 360 × 640, against the bot
running on the simulator. The page is opened with launch data signed here as Telegram signs it.

Skipped only where Chromium or chromium-driver is absent (the summary says so, and how to
install them); CI installs both.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode

import aiohttp
import pytest

from bot.model import Role
from bot.services.files.catalog import store_catalog
from bot.services.people import admin
from bot.sim import SimPerson
from bot.web.initdata import launch_fields, sign
from tests.e2e.browser import THEME, WIDTH, Page, launch_url, missing, start_driver
from tests.e2e.conftest import TOKEN, Harness
from tests.integration.office import UNITS, small_catalog

pytestmark = pytest.mark.skipif(missing() is not None, reason=f"browser tests: {missing()}")

URL = "https://kinerja.example.go.id/formulir"


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    browser = start_driver()
    try:
        yield browser
    finally:
        browser.quit()


@pytest.fixture
async def office(harness: Harness) -> AsyncIterator[dict[str, SimPerson]]:
    """The bot with its web front on, Triwulan I 2026 open for entry."""
    harness.webapp_url = URL
    await harness.restart()
    assert harness.runtime is not None and harness.runtime.web is not None
    core = harness.runtime.core
    await admin.import_units(core, UNITS, "Dinas Tenaga Kerja Kabupaten Contoh", "Contoh")
    async with core.work(None) as work:
        assert (await store_catalog(work, small_catalog(), None)).ok
    people = {}
    for key, role, unit in (
        ("kasubag", Role.KASUBAG_KPEP, None),
        ("sekretaris", Role.SEKRETARIS, None),
        ("operator", Role.OPERATOR, "pelatihan"),
        ("kabid", Role.KABID, "pelatihan"),
    ):
        people[key] = harness.sim.person(key.title())
        await harness.join(people[key], role, unit, admin_=key == "kasubag")
    await people["kasubag"].send("/buka_periode")
    await people["kasubag"].tap("Triwulan I 2026")
    await people["sekretaris"].wait_for_text("Persetujuan pembukaan", since=0)
    await people["sekretaris"].tap("Setujui")
    await people["operator"].wait_for_text("dibuka", timeout=10, since=0)
    yield people


def init_data(harness: Harness, person: SimPerson, age: timedelta = timedelta(0)) -> str:
    assert harness.runtime is not None
    at = harness.runtime.core.now() - age
    return sign(launch_fields(person.user_id, person.first_name, at), TOKEN)


async def rows(harness: Harness) -> dict[str, list[tuple[Any, ...]]]:
    """What the entry tables hold (to show a refused request changed nothing)."""
    assert harness.runtime is not None
    found = {}
    async with harness.runtime.core.db.reading() as conn:
        for table in ("realisations", "budget_realisations", "unit_notes", "audit_log"):
            async with conn.execute(f"SELECT * FROM {table} ORDER BY id") as cur:
                found[table] = [tuple(r) for r in await cur.fetchall()]
    return found


async def saved(page: Page, n: int) -> None:
    await page.until(
        "return document.getElementById('m-' + arguments[0]).className === 'msg ok'", n
    )


async def test_the_whole_form_filled_in_the_browser_and_sent_to_the_head(
    harness: Harness, office: dict[str, SimPerson], driver: Any
) -> None:
    assert harness.runtime is not None and harness.runtime.web is not None
    operator, kabid = office["operator"], office["kabid"]
    opening = await operator.wait_for_text("dibuka", since=0)
    button = opening.raw["reply_markup"]["inline_keyboard"][0][0]
    assert button == {"text": "Buka formulir", "web_app": {"url": URL}}

    page = Page(driver)
    await page.open(launch_url(harness.runtime.web.base_url, init_data(harness, operator)))
    await page.until("return document.getElementById('main').getAttribute('aria-busy') === 'false'")
    labels = await page.js(
        "return Array.from(document.querySelectorAll('label[for^=v-]')).map(l => l.textContent)"
    )
    assert labels[:3] == [
        "1. Jumlah layanan Bidang Pelatihan",
        "2. Persentase keluhan Bidang Pelatihan",
        "3. Sub kegiatan Bidang Pelatihan",
    ]
    assert len(labels) == 8 and labels[3].startswith("4. ")
    # Telegram's theme, and nothing wider than the phone
    assert (
        await page.js("return getComputedStyle(document.body).backgroundColor") == "rgb(23, 33, 43)"
    )
    assert THEME["bg_color"] == "#17212b"
    assert await page.js("return window.innerWidth") == WIDTH
    assert await page.js("return document.documentElement.scrollWidth") <= WIDTH

    # a hard problem shows while typing, and nothing is saved
    await page.type("v-2", "120", confirm=False)
    await page.until(
        "return document.getElementById('v-2').getAttribute('aria-invalid') === 'true'"
    )
    assert "persentase tidak boleh lebih dari 100" in await page.text("m-2")
    await page.type("v-2", "8")
    await saved(page, 2)
    # a soft-checked value asks for its explanation in place
    await page.type("v-1", "60")
    await page.until("return !document.getElementById('x-1').hidden")
    assert "lebih dari 150 % target triwulan" in await page.text("m-1")
    await page.type("e-1", "Pelatihan tambahan dari APBN", confirm=False)
    await page.click("s-1")
    await saved(page, 1)
    await page.type("v-3", "Rp 30.000.000", enter=True)  # Enter: on to the next field
    await saved(page, 3)
    assert await page.js("return document.activeElement.id") == "v-4"
    await page.type("v-4", "Kendala cuaca")
    await saved(page, 4)
    await page.type("v-5", "Dukungan APBN")
    await saved(page, 5)

    # the confirmation lists what is still empty, then the report goes up
    await page.click("send")
    await page.until("return !document.getElementById('confirm').hidden")
    listed = await page.js(
        "return Array.from(document.querySelectorAll('#confirm-list li')).map(l => l.textContent)"
    )
    assert [item.split(".")[0] for item in listed] == ["6", "7", "8"]
    assert await page.text("confirm-send") == "Kirim ke Kepala Bidang"
    await page.click("confirm-send")
    await page.until("return document.getElementById('status').textContent.includes('dikirim')")
    await page.until("return document.getElementById('actions').hidden")
    assert not await page.console_errors()

    # every value in the database ...
    found = await rows(harness)
    assert sorted((r[3], r[4], r[5]) for r in found["realisations"]) == [
        ("60", "Pelatihan tambahan dari APBN", "far_above_target"),
        ("8", "", ""),
    ]
    assert [r[3] for r in found["budget_realisations"]] == ["30000000"]
    notes = {r[3]: r[4] for r in found["unit_notes"]}
    assert "Kendala cuaca" in notes.values() and "Dukungan APBN" in notes.values()
    # ... and in the head's request in chat
    await kabid.wait_for_text("Pemeriksaan laporan Bidang Pelatihan", timeout=10, since=0)
    await kabid.tap("Lihat semua isian")
    await kabid.wait_for_text("Kendala cuaca", timeout=10)
    listing = "\n".join(m.plain_text for m in kabid.messages)
    for value in ("Bidang Pelatihan: 60", "Bidang Pelatihan: 8", "30.000.000", "Dukungan APBN"):
        assert value in listing


async def test_forged_and_expired_launch_data_get_401_and_change_nothing(
    harness: Harness, office: dict[str, SimPerson], driver: Any
) -> None:
    assert harness.runtime is not None and harness.runtime.web is not None
    base = harness.runtime.web.base_url
    operator = office["operator"]
    genuine = dict(parse_qsl(init_data(harness, operator)))
    forged = urlencode({**genuine, "user": genuine["user"].replace(str(operator.user_id), "1")})
    expired = init_data(harness, operator, age=timedelta(days=1, minutes=1))
    before = await rows(harness)
    page = Page(driver)
    for bad in (forged, expired):
        await page.open(launch_url(base, bad))
        shown = await page.until(
            "return document.getElementById('status').className.includes('error')"
            " && document.getElementById('status').textContent"
        )
        assert "tidak sah atau sudah kedaluwarsa" in shown
        assert await page.js("return document.querySelectorAll('input').length") == 0
        async with aiohttp.ClientSession() as http:
            for path, body in (
                ("/api/form", None),
                ("/api/answer", {"request": "r", "n": 1, "value": "20", "explanation": ""}),
                ("/api/submit", {"request": "s", "version": 0}),
            ):
                async with http.request(
                    "POST" if body else "GET",
                    base + path,
                    json=body,
                    headers={"Authorization": "tma " + bad},
                ) as response:
                    assert response.status == 401
    assert await rows(harness) == before


async def test_a_repeated_write_is_applied_once(
    harness: Harness, office: dict[str, SimPerson], driver: Any
) -> None:
    assert harness.runtime is not None and harness.runtime.web is not None
    page = Page(driver)
    good = init_data(harness, office["operator"])
    await page.open(launch_url(harness.runtime.web.base_url, good))
    await page.until("return document.getElementById('main').getAttribute('aria-busy') === 'false'")
    # The same request sent twice, as a page retrying after a lost answer does.
    answers = await page.js_async(
        """
        const done = arguments[arguments.length - 1];
        const send = (value) => fetch('api/answer', {
          method: 'POST',
          headers: {'Content-Type': 'application/json', 'Authorization': 'tma ' + arguments[0]},
          body: JSON.stringify({request: 'same-id', n: 1, value: value, explanation: ''}),
        }).then(r => r.json().then(body => [r.status, body]));
        send('20').then(first => send('21').then(second => done([first, second])));
        """,
        good,
    )
    assert answers[0] == answers[1] and answers[0][0] == 200
    assert answers[0][1]["question"]["value"] == "20"
    found = await rows(harness)
    assert [r[3] for r in found["realisations"]] == ["20"]
    assert sum(1 for r in found["audit_log"] if "value_entered" in json.dumps(list(r))) == 1


async def test_a_page_that_cannot_reach_the_server_says_so(
    harness: Harness, office: dict[str, SimPerson], driver: Any
) -> None:
    assert harness.runtime is not None and harness.runtime.web is not None
    page = Page(driver)
    await page.run(driver.execute_cdp_cmd, "Network.enable", {})
    await page.run(driver.execute_cdp_cmd, "Network.setBlockedURLs", {"urls": ["*/api/*"]})
    try:
        await page.open(
            launch_url(harness.runtime.web.base_url, init_data(harness, office["operator"]))
        )
        await page.until("return !document.getElementById('offline').hidden", timeout=15)
        assert "Tidak tersambung ke server" in await page.text("offline")
    finally:
        await page.run(driver.execute_cdp_cmd, "Network.setBlockedURLs", {"urls": []})


async def review_page(harness: Harness, office: dict[str, SimPerson], page: Page) -> Any:
    """The operator sends the report in chat; the head opens the request's page. Returns the
    chat request."""
    assert harness.runtime is not None and harness.runtime.web is not None
    operator, kabid = office["operator"], office["kabid"]
    await operator.send("/isi")
    await operator.send("1. 20\n2. 5\n3. 1.000.000\n4. Kendala cuaca\n5. -\n6. -\n7. -\n8. -")
    await operator.tap("Kirim ke Kepala Bidang", timeout=10)
    request = await kabid.wait_for_text("Pemeriksaan laporan Bidang Pelatihan", 10, since=0)
    button = request.raw["reply_markup"]["inline_keyboard"][-1][0]
    assert button["text"] == "Buka di aplikasi" and button["web_app"]["url"].startswith(URL + "?")
    query = "?" + button["web_app"]["url"].partition("?")[2]
    await page.console_errors()  # the browser is shared: forget what earlier tests logged
    await page.open(launch_url(harness.runtime.web.base_url, init_data(harness, kabid), query))
    await page.until("return !document.getElementById('decision').hidden")
    return request


async def test_the_head_approves_in_the_page_and_the_chat_buttons_go(
    harness: Harness, office: dict[str, SimPerson], driver: Any
) -> None:
    page = Page(driver)
    request = await review_page(harness, office, page)
    # the page leads with the chat's brief, then every answer, read-only
    assert (await page.text("brief-text")).startswith("Pemeriksaan laporan Bidang Pelatihan")
    assert await page.js("return document.getElementById('v-4').readOnly") is True
    assert await page.js("return document.getElementById('v-4').value") == "Kendala cuaca"
    assert await page.js("return document.getElementById('actions').hidden") is True
    assert await page.js("return document.documentElement.scrollWidth") <= WIDTH
    await page.click("approve")
    await page.until("return document.getElementById('decision').hidden")
    assert "disetujui" in (await page.text("status")).lower()
    # the chat request loses its buttons and says who approved, as when tapped in chat
    kabid = office["kabid"]
    await kabid.wait_for(
        lambda m: m.message_id == request.message_id and not m.buttons, timeout=10, since=0
    )
    await office["operator"].wait_for_text("disetujui", timeout=10, since=0)
    assert not await page.console_errors()


async def test_the_head_returns_in_the_page_and_the_reason_reaches_the_operator(
    harness: Harness, office: dict[str, SimPerson], driver: Any
) -> None:
    page = Page(driver)
    await review_page(harness, office, page)
    await page.click("return")
    await page.until("return !document.getElementById('return-box').hidden")
    await page.click("return-send")  # no reason yet: refused in place, nothing changes
    await page.until("return document.getElementById('reason-msg').textContent.includes('wajib')")
    await page.type("reason", "Lengkapi <catatan> & anggaran", confirm=False)
    await page.click("return-send")
    await page.until("return document.getElementById('decision').hidden")
    message = await office["operator"].wait_for_text("Lengkapi", timeout=10, since=0)
    assert "Lengkapi <catatan> & anggaran" in message.plain_text
    # the browser logs the refused empty reason (422) as a failed load; nothing else
    assert all("status of 422" in e for e in await page.console_errors())


async def test_a_decision_in_chat_takes_the_page_buttons_away(
    harness: Harness, office: dict[str, SimPerson], driver: Any
) -> None:
    page = Page(driver)
    await review_page(harness, office, page)
    await office["kabid"].tap("Setujui")
    await office["operator"].wait_for_text("disetujui", timeout=10, since=0)
    # the head comes back to the page (Telegram shows it again): it reloads its state
    await page.js(
        "Object.defineProperty(document, 'visibilityState', {value: 'visible'});"
        "document.dispatchEvent(new Event('visibilitychange'))"
    )
    await page.until("return document.getElementById('decision').hidden")
    assert "disetujui" in await page.text("notice")
    assert not await page.console_errors()
