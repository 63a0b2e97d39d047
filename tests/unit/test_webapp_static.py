"""The Mini App's page as shipped (bot/web/static/): small, self-contained, and never turning
data into markup. Read as files; the browser tests show it working."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from bot.web.server import CSP, STATIC

STATIC_DIR = Path(resources.files("bot.web").joinpath("static"))  # type: ignore[arg-type]
PAGE = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
SCRIPT = (STATIC_DIR / "app.js").read_text(encoding="utf-8")
STYLE = (STATIC_DIR / "app.css").read_text(encoding="utf-8")


def test_the_page_weighs_at_most_60_kb_uncompressed() -> None:
    total = sum(len(text.encode()) for text in (PAGE, SCRIPT, STYLE))
    assert total <= 60 * 1024, total


def test_every_file_the_page_loads_is_served_and_shipped_in_the_package() -> None:
    loaded = set(re.findall(r'(?:src|href)="([^"]+)"', PAGE)) - {"data:,"}
    assert {f"/{name}" for name in loaded} == set(STATIC)
    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text()
    assert '"web/static/*"' in pyproject  # package-data: an installed bot has the page


def test_nothing_is_fetched_from_elsewhere() -> None:
    for text in (PAGE, SCRIPT, STYLE):
        assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text, re.IGNORECASE), text[:80]
        assert "@import" not in text
    assert "'self'" in CSP and "https:" not in CSP.replace("https://web.telegram.org", "")


def test_no_inline_script_or_style_that_the_policy_would_block() -> None:
    assert re.findall(r"<script[^>]*>", PAGE) == ['<script src="app.js">']
    assert "<style" not in PAGE and " style=" not in PAGE and " on" not in PAGE.lower()
    assert "'unsafe-inline'" not in CSP and "'unsafe-eval'" not in CSP


def test_data_is_only_ever_set_as_text() -> None:
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                 "new Function", "setAttribute(\"on"):  # fmt: skip
        assert sink not in SCRIPT, sink


def test_every_element_the_script_looks_up_by_name_is_in_the_page() -> None:
    wanted = set(re.findall(r'\$\("([a-z-]+)"\)', SCRIPT))  # not the per-question "v-" + n
    present = set(re.findall(r'id="([a-z-]+)"', PAGE))
    assert len(wanted) > 10 and wanted <= present, wanted - present
