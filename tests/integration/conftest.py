"""Shared by the access matrix and the fuzzing tests: the quarter's stages, built once."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.benchmarks.rel_access import Actor, Stage, build_stages


@pytest.fixture(scope="session")
def built() -> Iterator[tuple[dict[str, Stage], dict[str, Actor]]]:
    """The quarter played once; every test works on its own copies of the stages."""
    shm = Path("/dev/shm")
    with tempfile.TemporaryDirectory(dir=shm if shm.is_dir() else None) as tmp:
        stages, people = asyncio.run(build_stages(Path(tmp)))
        yield {s.name: s for s in stages}, people
