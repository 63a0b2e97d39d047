"""The Mini App's page as shipped (bot/web/static/): small, self-contained, and never turning
data into markup. Read as files; the browser tests show it working."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from bot.web.server import CSP, STATIC

STATIC_DIR = Path(resources.files("bot.web").joinpath("static"))  # type: ignore[arg-type]


def _read(name: str) -> str:
    return (STATIC_DIR / name).read_text(encoding="utf-8")


PAGE = _read("index.html")
DASHBOARD = _read("dashboard.html")
COMMON = _read("common.js")
SCRIPT = _read("app.js")
DASHBOARD_SCRIPT = _read("dashboard.js")
STYLE = _read("app.css")
PAGES = (PAGE, DASHBOARD)
SCRIPTS = (COMMON, SCRIPT, DASHBOARD_SCRIPT)
# The SVG namespace names a vocabulary; a browser never fetches it.
SVG_NAMESPACE = '"http://www.w3.org/2000/svg"'


def _loaded(page: str) -> set[str]:
    return set(re.findall(r'(?:src|href)="([^"]+)"', page)) - {"data:,"}


def test_each_page_weighs_at_most_60_kb_uncompressed() -> None:
    for page in PAGES:
        total = len(page.encode()) + sum(len(_read(name).encode()) for name in _loaded(page))
        assert total <= 60 * 1024, total


def test_every_file_the_pages_load_is_served_and_shipped_in_the_package() -> None:
    loaded = _loaded(PAGE) | _loaded(DASHBOARD)
    assert {f"/{name}" for name in loaded} == set(STATIC)
    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text()
    assert '"web/static/*"' in pyproject  # package-data: an installed bot has the page


def test_nothing_is_fetched_from_elsewhere() -> None:
    for text in (*PAGES, *SCRIPTS, STYLE):
        text = text.replace(SVG_NAMESPACE, "")
        assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text, re.IGNORECASE), text[:80]
        assert "@import" not in text
    assert "'self'" in CSP and "https:" not in CSP.replace("https://web.telegram.org", "")


def test_no_inline_script_or_style_that_the_policy_would_block() -> None:
    assert re.findall(r"<script[^>]*>", PAGE) == [
        '<script src="common.js">',
        '<script src="app.js">',
    ]
    assert re.findall(r"<script[^>]*>", DASHBOARD) == [
        '<script src="common.js">',
        '<script src="dashboard.js">',
    ]
    for page in PAGES:
        assert "<style" not in page and " style=" not in page and " on" not in page.lower()
    assert "'unsafe-inline'" not in CSP and "'unsafe-eval'" not in CSP


def test_data_is_only_ever_set_as_text() -> None:
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                 "new Function", "setAttribute(\"on"):  # fmt: skip
        for script in SCRIPTS:
            assert sink not in script, sink


def test_every_element_the_script_looks_up_by_name_is_in_the_page() -> None:
    for script, page in ((COMMON + SCRIPT, PAGE), (COMMON + DASHBOARD_SCRIPT, DASHBOARD)):
        wanted = set(re.findall(r'\$\("([a-z-]+)"\)', script))  # not the per-question "v-" + n
        present = set(re.findall(r'id="([a-z-]+)"', page))
        assert len(wanted) > 10 and wanted <= present, wanted - present
