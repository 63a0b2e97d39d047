"""``python3 -m tests``: prepare the environment if needed, then run the whole suite."""

from __future__ import annotations

import sys

from bot.bootstrap import ensure

if __name__ == "__main__":
    ensure("tests", dev=True)
    import pytest

    sys.exit(pytest.main(sys.argv[1:]))
