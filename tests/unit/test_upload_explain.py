"""Reading the explanations an upload preview asked for (pure parts)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.services.files.upload_explain import (
    MAX_EXPLANATION,
    asked_rows,
    missing_numbers,
    read_explanations,
    save_buttons,
)
from bot.texts import upload as tu


def test_numbered_lines_explain_their_numbers_and_continue_below() -> None:
    found, problems = read_explanations(
        "1. Pelatihan massal\ndari APBN\n3) Data lama keliru", 3, [1, 2, 3]
    )
    assert found == {1: "Pelatihan massal\ndari APBN", 3: "Data lama keliru"}
    assert problems == []


def test_the_one_value_left_takes_the_whole_message() -> None:
    assert read_explanations("Keluhan turun\nberkat daring", 2, [2]) == (
        {2: "Keluhan turun\nberkat daring"},
        [],
    )
    # "25.000.000" is not a numbered line: the dot has no space after it
    assert read_explanations("25.000.000 dari dana APBN", 1, [1])[0] == {
        1: "25.000.000 dari dana APBN"
    }


def test_what_cannot_be_taken_is_said() -> None:
    found, problems = read_explanations("alasan tanpa nomor\n4. lain\n2.  ", 3, [1, 2, 3])
    assert found == {}
    assert len(problems) == 3
    assert tu.explain_no_such(4) in problems and tu.explain_empty(2) in problems
    found, problems = read_explanations("x" * (MAX_EXPLANATION + 1), 1, [1])
    assert found == {} and problems == [tu.explain_too_long(1, MAX_EXPLANATION)]


def test_simpan_appears_only_when_nothing_is_missing() -> None:
    values = [["A", "1", "", "far_above_target"], ["B", "2", "", ""], ["C", "3", "", "posisi_jump"]]
    data = {"report": 4, "version": 2, "token": "ab12", "values": values}
    data["asked"] = asked_rows(values)
    assert data["asked"] == [0, 2] and missing_numbers(data) == [1, 2]
    assert [label for label, _ in save_buttons(data)[0]] == ["Batalkan"]
    values[0][2], values[2][2] = "alasan", "alasan"
    assert missing_numbers(data) == []
    assert [label for label, _ in save_buttons(data)[0]] == ["Simpan", "Batalkan"]


@given(st.text(max_size=300), st.integers(1, 5))
def test_any_message_is_read_without_error(text: str, asked: int) -> None:
    found, _ = read_explanations(text, asked, list(range(1, asked + 1)))
    assert set(found) <= set(range(1, asked + 1))
    assert all(body.strip() and len(body) <= MAX_EXPLANATION for body in found.values())
