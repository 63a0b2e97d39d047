"""The house's imports: no circle anywhere, and each room imports only what it may.

Read from the source with ``ast`` (nothing is imported), so an import hidden inside a
function or under ``TYPE_CHECKING`` to dodge a circle counts like any other: a circle
dodged at run time is still a circle for the reader who has to understand both modules.
The graph is drawn over every module of the product, the rooms of ``bot/services/``
(quarter, analysis, people, files) and the simulator in ``bot/sim/`` included.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "handlers", "storage", "exports")
SERVICES = "bot.services"
# What every use case shares: the unit of work and who is calling. No room below them.
SHARED_BASE = (
    "bot.services.core",
    "bot.services.work",
    "bot.services.config",
    "bot.services.who",
    "bot.services.uselog",
)


def imported_modules(path: Path) -> Iterator[str]:
    """Every module ``path`` imports anywhere (top level, functions, TYPE_CHECKING blocks).

    ``from bot.services import x`` yields ``bot.services`` and ``bot.services.x`` (x may be a
    module there); names that are not modules are dropped by :func:`module_graph`.
    """
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def product_modules() -> dict[str, Path]:
    """Dotted name -> source file, for every module of the product (packages by __init__)."""
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def module_graph(prefix: str = "") -> dict[str, set[str]]:
    """Module -> the product modules it imports, for the modules under ``prefix``.

    An edge to a package that encloses the importer is left out: importing ``a.b.c`` runs
    ``a/__init__`` and ``a/b/__init__`` first, which never makes a circle of its own here.
    """
    modules = product_modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        if not (name == prefix or name.startswith(prefix + ".") or not prefix):
            continue
        targets = {module for module in imported_modules(path) if module in modules}
        graph[name] = {t for t in targets if t != name and not name.startswith(t + ".")}
    return graph


def service_graph() -> dict[str, set[str]]:
    """Service module -> the service modules it imports (e.g. ``quarter.review``)."""
    short = len(SERVICES) + 1
    return {
        name[short:]: {t[short:] for t in targets if t.startswith(SERVICES + ".")}
        for name, targets in module_graph(SERVICES).items()
        if name != SERVICES
    }


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def path_in(graph: dict[str, set[str]], component: list[str]) -> str:
    """One circle through a component, written ``a -> b -> a`` (for the failure message)."""
    members = set(component)
    start = component[0]
    trail = [start]
    seen = {start}
    node = start
    while True:
        nexts = sorted(graph[node] & members)
        if start in nexts and len(trail) > 1:
            return " -> ".join([*trail, start])
        unseen = [n for n in nexts if n not in seen]
        if not unseen:  # closes on a module met before: show the loop from there
            back = nexts[0]
            return " -> ".join([*trail[trail.index(back) :], back])
        node = unseen[0]
        trail.append(node)
        seen.add(node)


def test_finds_a_circle_hidden_in_a_function(tmp_path: Path) -> None:
    """The reader sees an import inside a function and one under TYPE_CHECKING."""
    source = tmp_path / "m.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from bot.services.core import Work\n"
        "def f():\n"
        "    from bot.services import review, entry as e\n",
        encoding="utf-8",
    )
    assert {
        "bot.services.core",
        "bot.services.review",
        "bot.services.entry",
    } <= set(imported_modules(source))
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}}
    assert circles(graph) == [["a", "b", "c"]]
    assert path_in(graph, ["a", "b", "c"]) == "a -> b -> c -> a"


def _no_circles(graph: dict[str, set[str]], where: str) -> None:
    found = circles(graph)
    assert not found, f"import circles in {where}:\n" + "\n".join(
        f"  {sorted(component)}: {path_in(graph, component)}" for component in found
    )


def test_services_import_only_downward() -> None:
    """No module of bot/services/ or of its rooms reaches itself again through its imports."""
    graph = service_graph()
    rooms = {name.split(".")[0] for name in graph if "." in name}
    assert rooms == {"quarter", "analysis", "people", "files"}, rooms
    assert len(graph) >= 39, "service modules missing from the graph"
    _no_circles(graph, "bot/services/")


def test_no_import_circle_anywhere() -> None:
    """The whole product, the simulator included, is a graph with no circle."""
    graph = module_graph()
    assert "bot.sim.api" in graph and "bot.texts.common" in graph
    _no_circles(graph, "the product")


def test_shared_base_imports_no_room() -> None:
    """The unit of work and the caller sit under every room: they import none of them."""
    graph = module_graph(SERVICES)
    breaches = [
        f"{name} imports {target}"
        for name in SHARED_BASE
        for target in sorted(graph[name])
        if target.startswith(SERVICES + ".") and target not in SHARED_BASE
    ]
    assert breaches == []


def _room_imports(paths: list[Path]) -> dict[str, set[str]]:
    return {str(path.relative_to(ROOT)): set(imported_modules(path)) for path in sorted(paths)}


def _breaches(paths: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{name} imports {module}"
        for name, modules in _room_imports(paths).items()
        for module in sorted(modules)
        if any(module == bad or module.startswith(bad + ".") for bad in forbidden)
    ]


def test_pure_core_imports_no_telegram_and_no_storage() -> None:
    """bot/workflow.py and the bot/numbers*.py modules stay pure (STYLE.md: the rooms)."""
    paths = [ROOT / "bot" / "workflow.py", *sorted((ROOT / "bot").glob("numbers*.py"))]
    forbidden = ("telegram", "storage", "aiosqlite", "sqlite3", "bot.services", "handlers")
    assert _breaches(paths, forbidden) == []


def test_handlers_import_no_storage_and_no_sql() -> None:
    """Handlers are adapters: they call services, never storage or SQL."""
    paths = list((ROOT / "handlers").glob("*.py"))
    assert _breaches(paths, ("storage", "aiosqlite", "sqlite3")) == []


def test_storage_imports_no_services_handlers_or_telegram() -> None:
    """Storage owns SQL and knows nothing above it."""
    paths = list((ROOT / "storage").glob("*.py"))
    assert _breaches(paths, ("bot.services", "handlers", "telegram")) == []
