"""Everything the bot writes follows EYD V (bot/TEXTS.md, Formats).

Every texts template (``bot/texts/*.py``: functions and constants, found by introspection so a
template added later is checked too) is rendered with the sample agency's data, and the text
a person reads must not hold an old form: an abbreviated month ("3 Mar 2026"), "Rp " before a
digit, a space before "%", a clock time without "pukul", or a figure before the satuan nilai,
indeks or skor. The text in documents (the template's help, the Analisis sheet's narrative,
chart labels) is checked the same way, and a static check makes sure no module outside
``bot/numbers_format.py`` and ``bot/dates.py`` formats money, percentages or dates on its own.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import typing
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bot.dates import clock_time, long_date, long_datetime, when
from bot.numbers_format import (
    format_number,
    format_percent,
    format_quantity,
    format_rupiah,
    with_satuan,
)
from bot.sim.telegram_html import html_to_text
from exports.sample_catalog import sample_catalog
from exports.template_text import petunjuk_steps
from tests.unit.test_texts_fit import build
from tests.unit.test_texts_hostile import FUNCTIONS

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted(p.stem for p in (ROOT / "bot" / "texts").glob("*.py") if p.stem != "__init__")
# A moment with minutes, so a time shows "08.30" and a month "Maret".
AT = datetime(2026, 3, 3, 1, 30, tzinfo=UTC)

_MONTHS_SHORT = "Jan|Feb|Mar|Apr|Jun|Jul|Agu|Agt|Ags|Sep|Okt|Nov|Des"
OLD_FORMS: dict[str, re.Pattern[str]] = {
    "abbreviated month": re.compile(rf"\b\d{{1,2}} (?:{_MONTHS_SHORT})\.?(?![a-z])"),
    '"Rp " before a digit': re.compile(r"\bRp\.?\s+\d"),
    'a space before "%"': re.compile(r"\d\s+%"),
    'a time without "pukul"': re.compile(
        r"(?<!pukul )\b\d{1,2}[.:]\d{2}(?::\d{2})?\s*(?:WIB|WITA|WIT)\b"
    ),
    "a clock with a colon": re.compile(r"\b\d{1,2}:\d{2}\b"),
    "a figure before nilai/indeks/skor": re.compile(r"\d (?:nilai|indeks|skor)\b", re.I),
}


def old_forms(text: str) -> list[str]:
    """The old forms found in a text a person reads, each named with what matched."""
    return [
        f"{name}: {match.group(0)!r}"
        for name, pattern in OLD_FORMS.items()
        for match in pattern.finditer(text)
    ]


def _constants() -> Iterator[tuple[str, str]]:
    for name in MODULES:
        module = importlib.import_module(f"bot.texts.{name}")
        for attr, value in vars(module).items():
            if not attr.isupper():
                continue
            items = value.items() if isinstance(value, dict) else [("", value)]
            for key, item in items:
                if isinstance(item, str):
                    yield f"{name}.{attr}{f'[{key!r}]' if key else ''}", item


CONSTANTS = list(_constants())
SATUANS = sorted({i.satuan for i in sample_catalog().indicators} | {"nilai", "indeks", "skor"})


def _sample(hint: Any, name: str, satuan: str) -> Any:
    """An argument from the sample data, with figures formatted as the services format them."""
    figures: dict[str, Any] = {
        "satuan": satuan,
        "value": "61,2",
        "old": "58,4",
        "new": "61,2",
        "previous": "57",
        "capaian": format_percent(Decimal("125.5")),
        "absorption": format_percent(22),
        "agency_capaian": format_percent(Decimal("98.75")),
        "spent": format_rupiah(8_470_000),
        "pagu": format_rupiah(792_250_000),
    }
    if typing.get_origin(hint) is None and hint is str and name in figures:
        return figures[name]
    if hint is datetime or (typing.get_origin(hint) and datetime in typing.get_args(hint)):
        return AT
    return build(hint, name)


def _render(fn: Callable[..., Any], satuan: str) -> str:
    hints = typing.get_type_hints(fn)
    kwargs = {
        p.name: _sample(hints[p.name], p.name, satuan)
        for p in inspect.signature(fn).parameters.values()
        if p.default is inspect.Parameter.empty
    }
    result = fn(**kwargs)
    return "\n".join(result) if isinstance(result, list) else str(result)


def test_the_checker_knows_every_old_form() -> None:
    """The check is not vacuous: each old form is caught, each EYD form passes."""
    for old in (
        "paling lambat 3 Mar 2026",
        "25 Nov 2026 09.30 WIB",
        "Rp 8.470.000",
        "Rp. 5",
        "capaian 20 %",
        "sejak 11.00 WIB",
        "pukul 08:30",
        "61,2 nilai",
    ):
        assert old_forms(old), old
    good = (
        f"paling lambat {long_datetime(AT)}; {format_rupiah(8_470_000)}; "
        f"{format_percent(20)}; {format_quantity(Decimal('61.2'), 'nilai')}; Maret; Mei 2026; "
        f"{when(AT)}; {clock_time(AT)}; {long_date(AT)}"
    )
    assert old_forms(good) == [], good
    assert good.startswith("paling lambat 3 Maret 2026 pukul 08.30 WIB; Rp8.470.000; 20,00%")


def test_every_texts_module_is_rendered() -> None:
    """The introspection finds the templates (a silent empty list would prove nothing)."""
    assert {"common", "quarter", "agency", "acting", "upload", "fit", "people"} <= set(MODULES)
    assert len(FUNCTIONS) > 80 and len(CONSTANTS) > 80
    assert {"%", "orang", "nilai"} <= set(SATUANS)


@pytest.mark.parametrize(("where", "fn"), FUNCTIONS, ids=[w for w, _ in FUNCTIONS])
def test_every_template_writes_eyd_forms(where: str, fn: Callable[..., Any]) -> None:
    """A template rendered with the sample data, for each satuan of the catalogue."""
    for satuan in SATUANS if "satuan" in inspect.signature(fn).parameters else ["orang"]:
        text = html_to_text(_render(fn, satuan))
        assert old_forms(text) == [], f"{where} (satuan {satuan!r}):\n{text[:600]}"


@pytest.mark.parametrize(("where", "text"), CONSTANTS, ids=[w for w, _ in CONSTANTS])
def test_every_constant_writes_eyd_forms(where: str, text: str) -> None:
    """A fixed sentence (or a format string's fixed part) holds no old form."""
    assert old_forms(text) == [], f"{where}: {text[:300]}"


def test_documents_write_eyd_forms() -> None:
    """The template's help and input messages and the report's fixed labels."""
    from exports import chart, report_ringkasan, template

    texts = [*petunjuk_steps()]
    texts += [part for pair in template._VALUE_HELP.values() for part in pair]
    texts += [label for _, label, _ in chart.REFERENCE_LINES]
    texts += [
        f"{name} ({format_percent(level, decimals=0)})"
        for _, name, level in report_ringkasan.REFERENCE_LINES
    ]
    for text in texts:
        assert old_forms(text) == [], text
    assert "Batas Tinggi 76%" in texts


def test_the_template_as_built_writes_eyd_forms() -> None:
    """Every text cell and every input message of a built template (the budget help names
    the pagu left, in rupiah)."""
    import io

    import openpyxl

    from exports.template import build_template
    from tests.unit.test_template import make_context

    book = openpyxl.load_workbook(io.BytesIO(build_template(make_context())))
    texts = [
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]
    for sheet in book.worksheets:
        for rule in sheet.data_validations.dataValidation:
            texts += [t for t in (rule.prompt, rule.error, rule.promptTitle) if t]
    assert any("sampai Rp" in text for text in texts)  # the budget help was read
    wrong = [(text[:80], old_forms(text)) for text in texts if old_forms(text)]
    assert wrong == []


def test_the_report_as_built_writes_eyd_forms() -> None:
    """Every text cell of the report (the Analisis sheet's narrative included) and its charts'
    labels and series names; only cell number formats keep their own notation."""
    import html
    import io
    import zipfile

    import openpyxl

    from exports.report import build_report
    from tests.unit.test_report import make_data

    raw = build_report(make_data())
    book = openpyxl.load_workbook(io.BytesIO(raw))
    texts = [
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and not cell.value.startswith("=")
    ]
    wrong = [(text[:80], old_forms(text)) for text in texts if old_forms(text)]
    assert wrong == []
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        charts = [
            html.unescape(archive.read(name).decode())
            for name in archive.namelist()
            if name.startswith("xl/charts/chart")
        ]
    assert charts and all('" %"' not in chart for chart in charts)
    assert any('"%"' in chart for chart in charts)  # the labels' format was read
    names = [v for chart in charts for v in re.findall(r"<c:v>([^<]*)</c:v>", chart)]
    assert [v for v in names if old_forms(v)] == []
    assert any("76%" in v for v in names)


def test_satuan_placement_in_a_summary_line() -> None:
    """The satuan nilai, indeks and skor come before the figure; % and Rp attach to it."""
    from bot.texts.entry import indicator_line

    line = indicator_line(1, "Indeks kepuasan", Decimal("61.2"), "nilai", Decimal(102))
    assert line == "1. Indeks kepuasan: nilai 61,2 (capaian 102,00%)"
    assert with_satuan("–", "nilai") == "–"


# ---- nobody formats on their own -----------------------------------------------------------
FORMATTERS = {Path("bot/numbers_format.py"), Path("bot/dates.py")}
# What a simulated person types in the demo: people write "Rp 1.250.000", and the bot reads it.
TYPED_BY_PEOPLE = {Path("bot/demo_forms.py")}
HOMEMADE = {
    '"Rp " glued to a figure': re.compile(r"Rp \{|Rp \d"),
    'a space before "%" after a figure': re.compile(r"(\}|\d) %"),
    "an abbreviated month pattern": re.compile(r"\bMMM\b|%b\b"),
    "a clock time by strftime": re.compile(r"%H[.:]%M"),
    "thousands grouped by a format spec": re.compile(r"\{[^{}]*:[^{}]*,[^{}]*\}"),
}


def _string_literals(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            yield node.lineno, ast.unparse(node)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ):
            yield node.lineno, node.value


def test_no_module_formats_figures_or_dates_on_its_own() -> None:
    """Money, percentages, months and clock times go through bot/numbers_format.py and
    bot/dates.py."""
    found = []
    for folder in ("bot", "handlers", "exports", "storage"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if relative in FORMATTERS | TYPED_BY_PEOPLE:
                continue
            for line, text in _string_literals(path):
                found += [
                    f"{relative}:{line}: {what}: {text[:80]!r}"
                    for what, pattern in HOMEMADE.items()
                    if pattern.search(text)
                ]
    assert found == [], "\n".join(found)


def test_only_the_formatters_format_with_babel() -> None:
    """Babel's formatting functions are imported by bot/numbers_format.py and bot/dates.py alone."""
    found = []
    for folder in ("bot", "handlers", "exports", "storage"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if relative in FORMATTERS:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("babel"):
                    found += [
                        f"{relative}:{node.lineno}: {alias.name}"
                        for alias in node.names
                        if alias.name.startswith("format")
                    ]
    assert found == [], "\n".join(found)


# ---- the glossary (bot/TEXTS.md) is what these tests check -----------------------------------
GLOSSARY = (ROOT / "bot" / "TEXTS.md").read_text(encoding="utf-8")


def _table(title: str) -> list[dict[str, str]]:
    """The rows of the glossary's table under ``## title``, by column name."""
    section = GLOSSARY.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    head = [cell.strip() for cell in rows[0].strip("|").split("|")]
    return [
        dict(
            zip(head, (cell.strip().strip("`") for cell in row.strip("|").split("|")), strict=True)
        )
        for row in rows[2:]
    ]


# What each format row's function writes for the sample values.
EXAMPLES: dict[str, Callable[[], str]] = {
    "date": lambda: long_date(AT),
    "time": lambda: clock_time(AT),
    "moment": lambda: when(AT),
    "amount": lambda: format_rupiah(8_470_000),
    "percentage": lambda: format_percent(20),
    "figure with a count": lambda: format_quantity(120, "orang"),
    "figure with nilai, indeks, skor": lambda: format_quantity(Decimal("61.2"), "nilai"),
    "decimal": lambda: format_number(Decimal("1250000.5")),
}


def test_the_glossary_formats_are_what_the_functions_write() -> None:
    """Each row of the glossary's Formats: the function writes the example, the checker lets it
    pass, and the form it says never to write is caught."""
    rows = _table("Formats")
    assert {row["what"] for row in rows} == set(EXAMPLES)
    for row in rows:
        module, name = row["function"].rsplit(".", 1)
        assert hasattr(importlib.import_module(module), name), row["function"]
        assert EXAMPLES[row["what"]]() == row["write"], row
        assert old_forms(row["write"]) == [], row
        if row["never"]:
            assert old_forms(row["never"]), row


def _rendered() -> list[tuple[str, str]]:
    texts = [(where, html_to_text(_render(fn, "orang"))) for where, fn in FUNCTIONS]
    return texts + CONSTANTS


def test_no_template_uses_a_word_the_glossary_rules_out() -> None:
    """The glossary's Terms say "X, not Y": no template writes Y."""
    ruled_out = [
        match.group(1)
        for row in _table("Terms")
        if (match := re.fullmatch(r".+, not (.+)", row["write, not"]))
    ]
    assert {"serapan", "subkegiatan"} <= set(ruled_out)
    rendered = _rendered()
    for word in ruled_out:
        pattern = re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE)
        found = [where for where, text in rendered if pattern.search(text)]
        assert found == [], (word, found)
