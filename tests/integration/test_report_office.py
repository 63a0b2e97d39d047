"""The report printed by LibreOffice (when it is installed): no ``###``, type of 7 pt or more,
a page number on every page, DRAF on the draft only, and the demo's final report within its
page budget on F4 (issue 22). Skipped where ``soffice`` is absent (CI installs it)."""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from bot.demo import run_demo
from exports.report import build_report
from tests.unit.test_report import make_data

SOFFICE = shutil.which("soffice")
PDFTOTEXT = shutil.which("pdftotext")


def _calibri_metrics() -> bool:
    """Whether LibreOffice will draw Calibri as Calibri or its metric twin Carlito (Windows
    and LibreOffice's own installers have one; a bare Linux may substitute a wider font,
    which prints every fitted sheet smaller than an office would see it)."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return False
    found = subprocess.run([fc_match, "Calibri"], capture_output=True, text=True).stdout
    return "Carlito" in found or "Calibri" in found


INSTALL = (
    "apt-get install -y --no-install-recommends"
    " libreoffice-calc-nogui poppler-utils fonts-crosextra-carlito"
)
pytestmark = pytest.mark.skipif(
    not (SOFFICE and PDFTOTEXT),
    reason=f"LibreOffice (soffice) and poppler are not installed; to run: {INSTALL}",
)
needs_calibri = pytest.mark.skipif(
    not _calibri_metrics(),
    reason=f"neither Calibri nor its metric twin Carlito is installed; to run: {INSTALL}",
)
WORD = re.compile(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<')


def _pages(pdf: Path) -> list[str]:
    """Each page's text and word boxes, as pdftotext -bbox gives them."""
    out = subprocess.run(
        [str(PDFTOTEXT), "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return out.split("<page ")[1:]


# The demo's final report (Triwulan I, four units, 51 indicators) on F4 with Carlito: it
# printed on 39 pages, the Rincian on 28, before rows followed their text (issue 22).
DEMO_PAGES = 25
DEMO_RINCIAN_PAGES = 15


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """The final report, a draft and the demo's final report, converted to PDF by
    LibreOffice in one run."""
    folder = tmp_path_factory.mktemp("office")
    (folder / "final.xlsx").write_bytes(build_report(make_data()))
    (folder / "draft.xlsx").write_bytes(build_report(replace(make_data(), draft=True)))
    played = folder / "demo-out"
    assert asyncio.run(run_demo(played, quiet=True)) == 0
    shutil.copy(played / "Laporan_Kinerja_2026_TW1.xlsx", folder / "demo.xlsx")
    profile = (folder / "profile").as_uri()
    subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(folder / "final.xlsx"),
            str(folder / "draft.xlsx"),
            str(folder / "demo.xlsx"),
        ],
        capture_output=True,
        check=True,
        timeout=90,
    )
    return {name: _pages(folder / f"{name}.pdf") for name in ("final", "draft", "demo")}


def _words(page: str) -> list[tuple[float, str]]:
    return [(float(b) - float(a), w) for a, b, w in WORD.findall(page)]


@needs_calibri
def test_every_page_is_numbered_and_nothing_shows_hashes(printed: dict[str, list[str]]) -> None:
    for pages in printed.values():
        total = len(pages)
        assert total >= 5  # one page or more per sheet
        for n, page in enumerate(pages, 1):
            text = " ".join(w for _, w in _words(page))
            assert f"Halaman {n} dari {total}" in text, n
            assert "###" not in text, n


@needs_calibri
def test_type_prints_at_7_pt_or_more(printed: dict[str, list[str]]) -> None:
    """A word's box is about 1,15 × its type size. The Rincian form, scaled by the bot, is
    held to 7 pt; the sheets a program fits to the page width get a little slack, since a
    LibreOffice without Calibri's metric twin (Carlito) draws columns wider and fits smaller."""
    rincian = 0
    for pages in printed.values():
        for n, page in enumerate(pages, 1):
            words = _words(page)
            smallest = min(h for h, w in words if w.strip()) / 1.15
            if _is_rincian(page):
                rincian += 1
                assert smallest >= 6.9, (n, smallest)
            else:
                assert smallest >= 6.5, (n, smallest)
    assert rincian >= 4  # at least two pages across, in the draft and the final


def _is_rincian(page: str) -> bool:
    """The Rincian's page header names it ("Evaluasi Hasil Renja")."""
    return "Renja" in " ".join(w for _, w in _words(page)[:40])


@needs_calibri
def test_the_demo_report_prints_compactly(printed: dict[str, list[str]]) -> None:
    """Rows as tall as their text in Calibri's metrics and each Sasaran written once keep the
    demo's whole report and its Rincian within their page budgets on F4."""
    pages = printed["demo"]
    rincian = [page for page in pages if _is_rincian(page)]
    assert len(pages) <= DEMO_PAGES, len(pages)
    assert 6 <= len(rincian) <= DEMO_RINCIAN_PAGES, len(rincian)
    # Nothing is cut: every indicator's code and every unit's name is printed.
    text = " ".join(w for page in rincian for _, w in _words(page))
    for code in ("SEK-01", "PEL-01", "PEN-12", "HI-13"):
        assert code in text, code
    for word in ("Sekretariat", "Pelatihan", "Penempatan", "Hubungan", "NIP."):
        assert word in text, word


@needs_calibri
def test_draf_on_the_draft_only(printed: dict[str, list[str]]) -> None:
    for page in printed["draft"]:
        assert "DRAF" in [w for _, w in _words(page)]
    for page in printed["final"]:
        assert "DRAF" not in " ".join(w for _, w in _words(page))


RECALCULATE_ON_LOAD = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def test_libreoffice_recalculating_gives_the_bots_figures(tmp_path: Path) -> None:
    """A profile that recalculates every formula on load, then saved as .xlsx again."""
    import math

    import openpyxl

    (tmp_path / "profile" / "user").mkdir(parents=True)
    (tmp_path / "profile" / "user" / "registrymodifications.xcu").write_text(RECALCULATE_ON_LOAD)
    source = tmp_path / "laporan.xlsx"
    source.write_bytes(build_report(make_data()))
    out = tmp_path / "out"
    subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        check=True,
        timeout=90,
    )
    formulas = openpyxl.load_workbook(source)
    cached = openpyxl.load_workbook(source, data_only=True)
    recalculated = openpyxl.load_workbook(out / "laporan.xlsx", data_only=True)
    checked, differences = 0, []
    for sheet in formulas.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                checked += 1
                mine = cached[sheet.title][cell.coordinate].value
                theirs = recalculated[sheet.title][cell.coordinate].value
                same = mine == theirs or (mine is None and theirs in ("", None))
                if isinstance(mine, int | float) and isinstance(theirs, int | float):
                    same = math.isclose(mine, theirs, rel_tol=1e-9, abs_tol=1e-9)
                if not same:
                    differences.append((sheet.title, cell.coordinate, mine, theirs))
    assert checked > 60
    assert differences == []
