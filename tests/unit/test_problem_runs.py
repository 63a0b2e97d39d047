"""A pasted form refused line by line for one reason reads as one line (the demo's Triwulan II
operator pasted a filled form: eighteen identical bullets before)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bot.texts.entry import multi_result

REASON = "berisi lebih dari satu angka; isikan satu angka saja"


def bullets(text: str) -> list[str]:
    return [line.removeprefix("• ") for line in text.splitlines() if line.startswith("• ")]


def test_eighteen_lines_with_one_reason_are_one_bullet() -> None:
    text = multi_result(0, [f"no. {n}: {REASON}" for n in range(1, 19)])
    assert text.startswith("⚠️ Tidak ada jawaban yang tersimpan:")
    assert bullets(text) == [f"no. 1–18: {REASON}"]


def test_a_gap_or_another_reason_starts_a_new_bullet() -> None:
    problems = ["no. 1: a", "no. 2: a", "no. 4: a", "no. 5: b", "baris tanpa nomor", "no. 6: b"]
    assert bullets(multi_result(3, problems)) == [
        "no. 1–2: a",
        "no. 4: a",
        "no. 5: b",
        "baris tanpa nomor",
        "no. 6: b",
    ]


def _expand(line: str) -> list[str]:
    found = re.fullmatch(r"no\. (\d+)(?:–(\d+))?: (.*)", line)
    if found is None:
        return [line]
    first, last = int(found.group(1)), int(found.group(2) or found.group(1))
    return [f"no. {n}: {found.group(3)}" for n in range(first, last + 1)]


@given(st.lists(st.tuples(st.integers(1, 40), st.sampled_from(["a", "b", "c d"])), max_size=30))
def test_runs_lose_and_invent_nothing(pairs: list[tuple[int, str]]) -> None:
    problems = [f"no. {n}: {reason}" for n, reason in pairs]
    shown = bullets(multi_result(1, problems))
    assert [p for line in shown for p in _expand(line)] == problems
    assert len(shown) <= len(problems)
