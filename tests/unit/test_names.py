"""Names that stay distinct in chat (issue 20, item 5): the catalogue's nama_singkat, else the
official name cut at a word, and a code appended where two cut names would be equal."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.model import Indicator
from bot.names import NAME_CHARS, distinct_names, indicator_names, shorten
from exports.catalog import read_catalog
from exports.catalog_write import write_catalog_xlsx
from exports.sample_catalog import sample_catalog, sample_org


def _by_unit() -> dict[str, list[Indicator]]:
    units: dict[str, list[Indicator]] = defaultdict(list)
    for indicator in sample_catalog().indicators:
        units[indicator.unit_code].append(indicator)
    return units


def test_no_two_shortened_names_of_one_sample_unit_are_equal() -> None:
    """Every unit of the sample catalogue: the names its chat lines show are all different."""
    for unit, indicators in _by_unit().items():
        shown = list(indicator_names(indicators).values())
        assert len({name.casefold() for name in shown}) == len(shown), unit
        assert all(len(name) <= NAME_CHARS for name in shown), unit


def test_the_sample_cuts_two_indicators_alike_and_the_codes_tell_them_apart() -> None:
    """HI-08 and HI-10 are cut to the same words: each carries its code, the others do not."""
    indicators = _by_unit()["hubungan_industrial"]
    by_code = {i.code: i for i in indicators}
    assert shorten(by_code["HI-08"].name) == shorten(by_code["HI-10"].name)
    names = indicator_names(indicators)
    assert names["HI-08"].endswith("… (HI-08)") and names["HI-10"].endswith("… (HI-10)")
    assert names["HI-08"].startswith("Jumlah kasus perselisihan hubungan")
    plain = [code for code, name in names.items() if code not in ("HI-08", "HI-10")]
    assert all(names[code] == shorten(by_code[code].name) for code in plain)


def test_a_short_name_from_the_catalogue_is_used_as_it_is() -> None:
    items = [
        ("HI-08", "Jumlah kasus perselisihan hubungan industrial tingkat kabupaten A", "Kasus PHI"),
        ("HI-10", "Jumlah kasus perselisihan hubungan industrial tingkat kabupaten B", ""),
    ]
    names = distinct_names(items)
    assert names == {"HI-08": "Kasus PHI", "HI-10": shorten(items[1][1])}


def test_equal_short_names_carry_their_codes_too() -> None:
    """The catalogue may give two indicators the same nama_singkat: still told apart."""
    names = distinct_names([("A-1", "Satu", "Kasus"), ("A-2", "Dua", "kasus ")])
    assert names == {"A-1": "Kasus (A-1)", "A-2": "kasus (A-2)"}


@given(
    st.lists(
        st.tuples(
            st.text(alphabet="abc ", min_size=1, max_size=70),
            st.text(alphabet="ab ", max_size=12),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_shown_names_never_collide_and_always_fit(rows: list[tuple[str, str]]) -> None:
    """Whatever the names, the chat names of one group are distinct and fit a line."""
    items = [(f"K-{n}", name, given) for n, (name, given) in enumerate(rows)]
    names = distinct_names(items)
    assert len({" ".join(v.replace("…", " ").split()).casefold() for v in names.values()}) == len(
        items
    )
    assert all(len(v) <= NAME_CHARS for v in names.values())


def test_nama_singkat_goes_through_the_catalogue_file() -> None:
    """An optional column: written, read back, and refused when longer than a chat line."""
    catalog = sample_catalog()
    first = catalog.indicators[0]
    shortened = replace(first, short_name="Capaian SAKIP")
    edited = replace(catalog, indicators=(shortened, *catalog.indicators[1:]))
    units = {u.code for u in sample_org().units}
    result = read_catalog(write_catalog_xlsx(edited), year=catalog.year, known_units=units)
    assert result.catalog is not None, result.problems
    assert result.catalog.indicators[0].short_name == "Capaian SAKIP"
    assert all(i.short_name == "" for i in result.catalog.indicators[1:])

    too_long = replace(first, short_name="x" * (NAME_CHARS + 1))
    edited = replace(catalog, indicators=(too_long, *catalog.indicators[1:]))
    refused = read_catalog(write_catalog_xlsx(edited), year=catalog.year, known_units=units)
    assert refused.catalog is None
    assert [(p.column, p.reason) for p in refused.problems] == [
        ("nama_singkat", f"lebih dari {NAME_CHARS} karakter")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jumlah  peserta ", "Jumlah peserta"),
        ("a " * 40, " ".join(["a"] * 23) + "…"),
        ("x" * 60, "x" * 47 + "…"),
    ],
)
def test_shorten_cuts_at_a_word(text: str, expected: str) -> None:
    """As before the move to bot/names.py: a word boundary when one is near, else a hard cut."""
    assert shorten(text) == expected
