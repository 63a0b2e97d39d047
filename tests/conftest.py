"""What the whole suite shares: the longest tests are collected first.

The suite runs in worker processes; a test of a minute or more that starts last keeps one
worker busy after the other has run out of tests, so the ``slow`` ones start at once.
"""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The ``slow`` tests first, every other test in its usual order."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
