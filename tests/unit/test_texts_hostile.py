"""Every message template renders valid Telegram HTML whatever names and reasons contain.

The texts modules (``bot/texts/*.py``) are introspected, so a template added later is checked
too: every public function is called with hostile values for each parameter (chosen from its
type hints), every format-string constant is filled through :func:`bot.texts.common.fill`, and every
other constant is checked as it stands. The result must pass the simulator's checker, which
refuses what Telegram refuses ("can't parse entities"), and a hostile value must come out
escaped, never as markup. A static check makes sure services fill format strings through
``fill`` (which escapes), never ``str.format``.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import string
import types
import typing
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bot.model import Role, Unit, UnitKind
from bot.sim.telegram_html import EntityError, check_html, html_to_text
from bot.texts import common as texts

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted(p.stem for p in (ROOT / "bot" / "texts").glob("*.py") if p.stem != "__init__")

HOSTILE = [
    "Bidang P&K <Pelatihan> \"Kerja\" 'Sama' a > b",
    "<b>x</b>",
    "</i></b><script>alert(1)</script>",
    "&amp; &lt; &#x3c; & ;",
    '<a href="https://evil.example">klik</a>',
    "Δ ⚠️ " + "<&>" * 64 + "xyz",  # 200 characters, most of them markup
    "N" * 200,
]
assert all(len(value) <= 200 for value in HOSTILE)
assert len(HOSTILE[-2]) == 200 and len(HOSTILE[-1]) == 200

# Parameters that take HTML already rendered by another template (lines of a summary, say),
# not raw data: they are given escaped hostile values wrapped in markup.
RENDERED: dict[str, set[str]] = {
    "entry_summary": {"lines"},
    "preview": {"lines", "soft", "mismatches"},
    "mismatch_block": {"lines"},
    "coordinator_checks": {"own", "reached"},
    "multi_result": {"problems"},
    "head_brief": {"sections", "budget", "filled"},
    "analysis": {"below"},
    "soft_question": {"reasons"},
    "soft_line": {"reasons"},
    "explain_progress": {"problems"},
    "chat_incomplete": {"items"},
    # texts_people: role titles come from texts.role_label (escaped), list lines from
    # member_line; an invite row's label is a role_label too.
    "members_page": {"lines"},
    "member_line": {"roles"},
    "member_card": {"roles"},
    "role_ended": {"role"},
    "your_role_ended": {"role"},
    "handed_over": {"role"},
    "you_took_over": {"role"},
    "handed_over_by_invite": {"role"},
    "reoffered": {"role"},
    "invites_list": {"rows"},
}
# Functions whose result is plain text (button labels, titles escaped by the caller).
PLAIN = {
    "download_template_label",
    "move",  # "PEL-03 38 → 42": escaped by changed_after_return, where it is shown
    "download_report_label",
    "download_figures_label",
    "grant_title",
    "btn_end",
    "btn_hand_over",
}
# Helpers of the texts modules, not templates: they escape, cut or lay out rendered lines.
HELPERS = ("esc", "fill", "utf16_len", "split_message", "short", "fit", "chunks")
HELPERS += ("period_state_label",)  # a lookup by a key the code chooses
# Constants that are not HTML: button labels (Telegram shows them as typed).
PLAIN_CONSTANT_PREFIXES = ("BTN_",)
NOT_TEMPLATES = {"MAX_MESSAGE_UTF16", "TZ"}
# Parameters that are keys chosen by the code (a note's field), not data.
KEYS: dict[str, str] = {"field": "kendala"}


def _value(hint: Any, hostile: str) -> Any:
    """A value of type ``hint`` whose every string is ``hostile``."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        return _value(next(a for a in args if a is not type(None)), hostile)
    if origin is tuple:
        return tuple(_value(a, hostile) for a in args if a is not Ellipsis)
    if origin is not None and args:  # Sequence[...], list[...], Iterable[...]
        return [_value(args[0], hostile), _value(args[0], hostile)]
    simple: dict[Any, Any] = {
        str: hostile,
        object: hostile,
        int: 3,
        bool: True,
        float: 1.5,
        Decimal: Decimal("1250.5"),
        datetime: datetime(2026, 11, 30, 17, 5, tzinfo=UTC),
        date: date(2026, 12, 31),
        timedelta: timedelta(hours=9, minutes=30),
        Role: Role.KABID,
        Unit: Unit("bidang_x", hostile, UnitKind.BIDANG),
    }
    if hint in simple:
        return simple[hint]
    raise AssertionError(
        f"test_texts_hostile does not know how to make a {hint!r}: add it to _value"
    )


def _functions() -> Iterator[tuple[str, Callable[..., str]]]:
    for name in MODULES:
        module = importlib.import_module(f"bot.texts.{name}")
        for attr, fn in vars(module).items():
            if (
                inspect.isfunction(fn)
                and not attr.startswith("_")
                and fn.__module__ == module.__name__
                and attr not in HELPERS
                and typing.get_type_hints(fn).get("return") in (str, list[str])  # a text
            ):
                yield f"{name}.{attr}", fn


def _constants() -> Iterator[tuple[str, str]]:
    for name in MODULES:
        module = importlib.import_module(f"bot.texts.{name}")
        for attr, value in vars(module).items():
            if not attr.isupper() or attr in NOT_TEMPLATES:
                continue
            if attr.startswith(PLAIN_CONSTANT_PREFIXES):
                continue
            if isinstance(value, str):
                yield f"{name}.{attr}", value
            elif isinstance(value, dict):
                for key, item in value.items():
                    if isinstance(item, str):
                        yield f"{name}.{attr}[{key!r}]", item


def _call(fn: Callable[..., str], hostile: str) -> str:
    hints = typing.get_type_hints(fn)
    rendered = RENDERED.get(fn.__name__, set())
    kwargs: dict[str, Any] = {}
    for parameter in inspect.signature(fn).parameters.values():
        if parameter.name in KEYS:
            kwargs[parameter.name] = KEYS[parameter.name]
        elif parameter.name in rendered:
            line = f"• <b>{texts.esc(hostile)}</b>"
            # a value of the parameter's type (str, lines, rows) whose strings are rendered
            kwargs[parameter.name] = _value(hints[parameter.name], line)
        else:
            kwargs[parameter.name] = _value(hints[parameter.name], hostile)
    return fn(**kwargs)


def _valid(where: str, html: str, hostile: str | None = None) -> None:
    for part in texts.split_message(html):
        try:
            check_html(part)
        except EntityError as exc:
            pytest.fail(f"{where} renders HTML Telegram refuses ({exc}):\n{part[:600]}")
    if hostile is not None and "<" in hostile:
        # markup in a value must come out as text: the tag is shown, never applied
        assert hostile[:30] not in html, f"{where} put {hostile[:30]!r} in unescaped"


FUNCTIONS = list(_functions())
CONSTANTS = list(_constants())


def test_every_texts_module_is_seen() -> None:
    """The introspection finds the templates (a silent empty list would prove nothing)."""
    assert {"common", "quarter", "agency", "acting", "upload"} <= set(MODULES)
    assert len(FUNCTIONS) > 50 and len(CONSTANTS) > 50


@pytest.mark.parametrize("hostile", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize(("where", "fn"), FUNCTIONS, ids=[w for w, _ in FUNCTIONS])
def test_function_templates_escape_hostile_values(
    where: str, fn: Callable[..., str], hostile: str
) -> None:
    """A function template with hostile names, reasons and titles stays valid HTML."""
    result = _call(fn, hostile)
    if isinstance(result, list):  # lines of a message
        result = "\n".join(result)
    assert isinstance(result, str)
    if fn.__name__ in PLAIN or fn.__name__ in getattr(
        importlib.import_module(fn.__module__), "PLAIN_TEXT", ()
    ):
        if inspect.signature(fn).parameters:  # a sentence without data has nothing to show
            assert hostile in result or len(result) <= 64  # plain: shown as typed (or cut)
        return
    _valid(where, result, hostile)


@pytest.mark.parametrize(("where", "template"), CONSTANTS, ids=[w for w, _ in CONSTANTS])
def test_constant_templates_escape_hostile_values(where: str, template: str) -> None:
    """A constant is valid as it stands; with placeholders, once filled with hostile values."""
    fields = {f for _, f, _, _ in string.Formatter().parse(template) if f}
    if not fields:
        _valid(where, template)
        return
    for hostile in HOSTILE:
        _valid(where, texts.fill(template, **dict.fromkeys(fields, hostile)), hostile)


def test_fill_escapes_and_shows_values_as_typed() -> None:
    """What a person reads is the value exactly as typed."""
    from bot.texts import entry as te

    html = texts.fill(te.NOT_EDITABLE, unit="P&K <Bidang>", state="disetujui")
    check_html(html)
    assert "P&K <Bidang>" in html_to_text(html)


def _format_calls(path: Path) -> list[str]:
    """``X.format(...)`` calls on a texts constant in one source file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules: set[str] = set()  # local names bound to a texts module
    constants: set[str] = set()  # local names bound to a constant of one
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                local = alias.asname or alias.name
                if node.module == "bot.texts":
                    modules.add(local)
                elif node.module.startswith("bot.texts") and alias.name.isupper():
                    constants.add(local)
    found = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format"
        ):
            continue
        target = node.func.value
        name = None
        if (
            isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Name)
            and target.value.id in modules
        ):
            name = target.attr
        elif isinstance(target, ast.Name) and target.id in constants:
            name = target.id
        if name and name.isupper() and not name.startswith(PLAIN_CONSTANT_PREFIXES):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}.format(...)")
    return found


def test_format_strings_are_filled_with_escaping() -> None:
    """Services fill a text's placeholders with ``texts.fill`` (escaping), never ``.format``."""
    offenders = [
        call
        for folder in ("bot", "handlers")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for call in _format_calls(path)
    ]
    assert not offenders, "use texts.fill(...) so values from data are escaped:\n" + "\n".join(
        offenders
    )


@pytest.mark.parametrize(
    "html",
    [
        "a & b",
        "a < b",
        "a > b",
        "<b>x",
        "x</b>",
        "<b><i>x</b></i>",
        "<script>x</script>",
        "<span>x</span>",
        '<span class="bold">x</span>',
        "<a>x</a>",
        '<b class="x">y</b>',
        "&nbsp;",
        "<b",
    ],
)
def test_checker_refuses_what_telegram_refuses(html: str) -> None:
    """The checker is not a rubber stamp."""
    with pytest.raises(EntityError):
        check_html(html)


@pytest.mark.parametrize(
    "html",
    [
        "<b>a</b> <strong>b</strong> <i>c</i> <em>d</em> <u>e</u> <ins>f</ins>",
        "<s>a</s> <strike>b</strike> <del>c</del> <tg-spoiler>d</tg-spoiler>",
        '<span class="tg-spoiler">a</span> <a href="https://t.me/x?a=1&amp;b=2">b</a>',
        '<pre><code class="language-python">x &lt; 1</code></pre> <blockquote>q</blockquote>',
        "&lt; &gt; &amp; &quot; &#60; &#x3C;",
    ],
)
def test_checker_accepts_telegram_markup(html: str) -> None:
    """Every tag Telegram knows, with its attributes, passes."""
    check_html(html)
