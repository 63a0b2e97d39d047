"""What storage/db.py relies on beyond aiosqlite's public API, checked so a change fails loudly.

``OneTripConnection`` subclasses ``aiosqlite.Connection``: it is built with
``(connector, iter_chunk_size)``, sends work to SQLite's thread with the private
``_execute(fn, *args)``, runs statements on the event loop through the private ``_conn``
(the ``sqlite3.Connection``), and decorates ``execute`` with ``aiosqlite.context.contextmanager``.
pyproject.toml pins aiosqlite below the next minor version; raise the pin only after this file
passes on the new one.
"""

from __future__ import annotations

import inspect
import re
import sqlite3
import tomllib
from importlib.metadata import version
from pathlib import Path

import aiosqlite
import aiosqlite.context
import pytest
from packaging.requirements import Requirement

from storage.db import OneTripConnection, connect

ROOT = Path(__file__).resolve().parents[2]
CHANGED = (
    "aiosqlite {installed} changed an internal that storage/db.py (OneTripConnection) relies "
    "on: {what}. Adapt OneTripConnection to it, or install a version within the pin in "
    "pyproject.toml."
)


def _fail(what: str) -> None:
    pytest.fail(CHANGED.format(installed=version("aiosqlite"), what=what), pytrace=False)


def test_the_installed_aiosqlite_is_within_the_pin() -> None:
    """The pin has an upper bound, and what is installed honours it."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pins = [Requirement(r) for r in project["project"]["dependencies"]]
    pin = next(r for r in pins if r.name == "aiosqlite")
    assert any(s.operator in ("<", "<=", "~=", "==") for s in pin.specifier), (
        "aiosqlite needs an upper bound in pyproject.toml: storage/db.py uses its internals"
    )
    installed = version("aiosqlite")
    if installed not in pin.specifier:
        _fail(f"version outside the pin {pin.specifier}")


def test_the_private_members_are_there_with_the_same_shape() -> None:
    """Constructor, ``_execute``, ``_conn`` and the decorator, as OneTripConnection uses them."""
    params = list(inspect.signature(aiosqlite.Connection.__init__).parameters)
    if params[:3] != ["self", "connector", "iter_chunk_size"]:
        _fail(f"Connection.__init__ takes {params}, not (connector, iter_chunk_size)")
    execute = getattr(aiosqlite.Connection, "_execute", None)
    if execute is None or not inspect.iscoroutinefunction(execute):
        _fail("Connection._execute is gone or no longer a coroutine function")
    else:
        shape = list(inspect.signature(execute).parameters.values())
        if [p.kind for p in shape[1:3]] != [
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            inspect.Parameter.VAR_POSITIONAL,
        ]:
            _fail(f"Connection._execute takes {[p.name for p in shape]}, not (fn, *args)")
    if not isinstance(inspect.getattr_static(aiosqlite.Connection, "_conn", None), property):
        _fail("Connection._conn is no longer a property")
    if not callable(getattr(aiosqlite.context, "contextmanager", None)):
        _fail("aiosqlite.context.contextmanager is gone")


async def test_statements_run_in_and_out_of_a_transaction(tmp_path: Path) -> None:
    """The behaviour: _conn is the sqlite3 connection, _execute runs a function in the thread."""
    conn = await connect(tmp_path / "probe.sqlite3")
    try:
        if not isinstance(conn, OneTripConnection) or not isinstance(
            conn._conn, sqlite3.Connection
        ):
            _fail("Connection._conn is not the sqlite3.Connection")
        thread_result = await conn._execute(
            lambda c, n: c.execute("SELECT ?", (n,)).fetchone(), conn._conn, 7
        )
        if tuple(thread_result) != (7,):
            _fail(f"Connection._execute(fn, *args) returned {thread_result!r}")
        async with conn.execute("CREATE TABLE t (x INTEGER)"):
            pass
        await conn.in_thread("BEGIN IMMEDIATE")
        conn.inline = True
        async with conn.execute("INSERT INTO t VALUES (1)") as cur:
            assert cur.rowcount == 1
        conn.inline = False
        await conn.in_thread("COMMIT")
        async with conn.execute("SELECT x FROM t") as cur:
            row = await cur.fetchone()
        assert row is not None and row[0] == 1
    finally:
        await conn.close()


def test_no_other_private_member_is_used() -> None:
    """A new private member used in storage/db.py must be added to the checks above."""
    source = (ROOT / "storage" / "db.py").read_text(encoding="utf-8")
    used = set(re.findall(r"self\.(_[a-z][a-z_]*)\b", source))
    # defined in storage/db.py itself
    own = {"_lock", "_abandon", "_run", "_run_all", "_rows", "_trips", "_trips_lock"}
    assert used - own <= {"_execute", "_conn"}, (
        f"storage/db.py uses more aiosqlite internals ({sorted(used - own)}): check them here"
    )
