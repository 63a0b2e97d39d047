"""``python -m bot demo --webapp`` as a process: it plays the quarter, prints an operator's
and a leader's local address, serves both (they open in headless Chromium without a console
error) until it is stopped as Ctrl-C stops it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

import pytest

from tests.e2e.browser import missing, start_driver
from tests.e2e.test_crash import ROOT

pytestmark = pytest.mark.skipif(missing() is not None, reason=f"browser tests: {missing()}")

PLAYED_WITHIN = 300.0  # the demo plays in about a minute; a loaded machine is slower
LINK = re.compile(r"^  (.+?) \((.+?)\): (http://127\.0\.0\.1:\d+/\S*#tgWebAppData=\S+)$")


def links(stdout: IO[str], proc: subprocess.Popen[str]) -> list[tuple[str, str]]:
    """The (what, url) lines the demo prints once the quarter is played, waited for with a
    bound (the process is stopped if they never come)."""
    deadline = time.monotonic() + PLAYED_WITHIN
    found: list[tuple[str, str]] = []
    while len(found) < 2:
        if time.monotonic() > deadline or proc.poll() is not None:
            raise AssertionError(f"no addresses printed (exit code {proc.poll()})")
        line = stdout.readline()
        match = LINK.match(line.rstrip("\n"))
        if match:
            found.append((match.group(1), match.group(3)))
    return found


def ready(driver: Any) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        busy = driver.execute_script(
            "return document.getElementById('main').getAttribute('aria-busy')"
        )
        if busy == "false":
            return
        time.sleep(0.05)
    raise AssertionError("the page never became usable")


def test_the_demo_serves_a_form_and_a_dashboard_until_ctrl_c(tmp_path: Path) -> None:
    env = {**os.environ, "KINERJA_WEBAPP_LISTEN": "127.0.0.1:0"}  # any free port
    with (tmp_path / "stderr.txt").open("w") as errors:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "demo", "--webapp", "--quiet", "--out", str(tmp_path)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        try:
            assert proc.stdout is not None
            (form_what, form), (dash_what, dash) = links(proc.stdout, proc)
            assert form_what == "Formulir operator" and dash_what == "Dasbor pimpinan"
            driver = start_driver()
            try:
                driver.get(form)
                ready(driver)
                labels = driver.execute_script(
                    "return document.querySelectorAll('label[for^=v-]').length"
                )
                assert labels > 10  # the operator's whole form, read-only after the quarter
                driver.get("about:blank")
                driver.get(dash)
                ready(driver)
                assert driver.title.startswith("Dasbor pimpinan")
                assert driver.execute_script("return document.querySelectorAll('svg').length") > 3
                errors_logged = [
                    e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"
                ]
                assert not errors_logged
            finally:
                driver.quit()
            proc.send_signal(signal.SIGINT)  # Ctrl-C
            assert proc.wait(timeout=60) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert (tmp_path / "kinerja.sqlite3").exists()
