"""Debian's Chromium driven by Selenium through chromium-driver, for the Mini App's tests.

The bot serves the page from the test's own event loop, so every Selenium call (which
blocks) runs in a thread; waiting is on a condition with a bound, never a bare sleep.
Selenium Manager is never asked for anything: both the browser and the driver are given
by path, and nothing is downloaded.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import time
from collections.abc import Callable
from typing import Any

from bot.web.initdata import launch_fragment

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
INSTALL = "apt-get update && apt-get install -y --no-install-recommends chromium chromium-driver"
WIDTH, HEIGHT = 360, 640
THEME = {
    "bg_color": "#17212b",
    "text_color": "#f5f5f5",
    "hint_color": "#708499",
    "link_color": "#6ab3f3",
    "button_color": "#5288c1",
    "button_text_color": "#ffffff",
    "secondary_bg_color": "#232e3c",
}


def missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if shutil.which("chromium") is None or shutil.which("chromedriver") is None:
        return f"Chromium or chromium-driver is not installed; to run them: {INSTALL}"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (the dev extra: pip install -e '.[dev]')"
    return None


def launch_url(base_url: str, init_data: str, query: str = "") -> str:
    """The page's address as Telegram opens it: launch data and theme in the fragment
    (``query``: which page, e.g. ``?review=3``, as the chat's button carries it)."""
    return f"{base_url}/{query}" + launch_fragment(init_data, json.dumps(THEME))


def start_driver() -> Any:
    """Headless Chromium at a phone's size, its console kept for the test to read."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        f"--window-size={WIDTH},{HEIGHT}",
    ):
        options.add_argument(argument)
    # Chromium keeps a desktop window at least about 500 px wide: a phone's viewport is
    # emulated instead (a touch screen, 360 × 640 CSS pixels).
    options.add_experimental_option(
        "mobileEmulation",
        {"deviceMetrics": {"width": WIDTH, "height": HEIGHT, "pixelRatio": 2, "touch": True}},
    )
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)


class Page:
    """The driver, with each blocking call run off the event loop."""

    def __init__(self, driver: Any) -> None:
        self.driver = driver

    async def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.to_thread(fn, *args)

    async def open(self, url: str) -> None:
        # about:blank first: a page differing only in its fragment would not load again.
        await self.run(self.driver.get, "about:blank")
        await self.run(self.driver.get, url)

    async def js(self, script: str, *args: Any) -> Any:
        return await self.run(self.driver.execute_script, script, *args)

    async def js_async(self, script: str, *args: Any) -> Any:
        return await self.run(self.driver.execute_async_script, script, *args)

    async def until(self, script: str, *args: Any, timeout: float = 10.0) -> Any:
        """Wait until ``script`` returns something truthy; return it."""
        deadline = time.monotonic() + timeout
        while True:
            value = await self.js(script, *args)
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"page never satisfied: {script}")
            await asyncio.sleep(0.05)

    async def text(self, element_id: str) -> str:
        return str(
            await self.js("return document.getElementById(arguments[0]).textContent", element_id)
        )

    async def type(
        self, element_id: str, text: str, *, confirm: bool = True, enter: bool = False
    ) -> None:
        """Type into a field as a person does (keys, then Tab, or Enter, to confirm it)."""
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys

        element = await self.run(self.driver.find_element, By.ID, element_id)
        await self.run(element.clear)
        key = Keys.ENTER if enter else Keys.TAB if confirm else ""
        await self.run(element.send_keys, text + key)

    async def click(self, element_id: str) -> None:
        from selenium.webdriver.common.by import By

        element = await self.run(self.driver.find_element, By.ID, element_id)
        await self.run(element.click)

    async def console_errors(self) -> list[str]:
        entries = await self.run(self.driver.get_log, "browser")
        return [e["message"] for e in entries if e.get("level") == "SEVERE"]
