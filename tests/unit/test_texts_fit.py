"""Every sentence of every texts module, rendered with the sample agency's data, fits a phone.

The arguments come from the sample organisation and catalogue (exports/sample_catalog.py):
the longest unit, indicator and sub kegiatan names, the agency's four units, a unit of 25
indicators. A new text function is rendered too (its arguments are built from its type
hints), so a template that grows past a phone's screen is caught here.
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.model import Catalog, Level, Role, Unit
from bot.numbers_format import format_percent, format_rupiah
from bot.texts import acting as texts_acting
from bot.texts import agency as texts_agency
from bot.texts import analysis as texts_analysis
from bot.texts import attention as texts_attention
from bot.texts import common as texts
from bot.texts import decide as texts_decide
from bot.texts import fit as texts_fit
from bot.texts import quarter as texts_quarter
from bot.texts import upload as texts_upload
from bot.texts.fit import PHONE_LIMIT, short
from exports.sample_catalog import sample_catalog, sample_org

MODULES = (
    texts,
    texts_acting,
    texts_agency,
    texts_analysis,
    texts_quarter,
    texts_upload,
    texts_fit,
    texts_attention,
    texts_decide,
)
AT = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
INDICATORS_PER_UNIT = 25  # "a unit of 25 indicators"

# A list as long as its data (every answer of a form, every problem of a file, every member):
# Work.say sends it in phone-sized parts at line breaks, so no line may be longer than a part.
SPLIT_ON_SENDING = {
    "entry_summary",
    "preview",
    "catalog_problems",
    "members_list",
    "multi_result",
    "follow_up_list",  # every recommendation still open, earlier quarters' included
}
NOT_SENTENCES = {"esc", "split_message", "utf16_len", "short", "fit", "chunks"}
# Printed by the command line (``python -m bot history import``), never sent in chat.
CLI_ONLY = {"history_imported", "history_problems"}


@cache
def catalog() -> Catalog:
    return sample_catalog()


@cache
def units() -> tuple[Unit, ...]:
    return sample_org().units


def longest(names: Iterable[str]) -> str:
    return max(names, key=len)


def sample_string(name: str) -> str:
    """A realistic value for a parameter, by its name: the longest of the sample's kind."""
    indicators = [i.name for i in catalog().indicators]
    subs = [a.name for a in catalog().activities if a.level is Level.SUB_KEGIATAN]
    unit_names = [u.name for u in units()]
    sentence = (
        "Realisasi belum termasuk peserta angkatan II karena jadwal uji kompetensi "
        "bergeser ke akhir bulan; data menyusul setelah verifikasi LSP."
    )
    by_name: dict[str, str] = {
        "label": "Triwulan III 2026",
        "unit": longest(unit_names),
        "title": "Kepala Bidang (" + longest(unit_names) + ")",
        "role_title": "Kepala Bidang",
        "approver": "Kepala Bidang (" + longest(unit_names) + ")",
        "hierarchy": " › ".join(a.name for a in catalog().activities[:3]),
        "satuan": "orang",
        "field": "tindak_lanjut_renja",
        "file_name": "Formulir_hubungan_industrial_2026_TW1_terisi.xlsx",
        "link": "https://t.me/kinerja_bot?start=" + "x" * 32,
        "capaian": format_percent(Decimal("125.5")),
        "absorption": format_percent(22),
        "spent": format_rupiah(174_295_000),
        "pagu": format_rupiah(792_250_000),
        "value": "1.250.000",
        "old": "112",
        "new": "130",
        "previous": "120",
        "standard": "1 hari",
        "took": "1 hari 2 jam",
        "step": "3. Pemeriksaan Kepala Bidang",
        "agency_capaian": format_percent(Decimal("98.75")),
        "agency_predikat": "Sangat Tinggi",
        "filled": texts_fit.filled_counts(INDICATORS_PER_UNIT, 8),
        "budget": texts_fit.budget_brief(
            format_rupiah(174_295_000), format_rupiah(792_250_000), format_percent(22)
        ),
        "acting": "plt",
        # analysis rows: (unit, capaian, predikat, absorption, indicators)
        "unit0": longest(unit_names),
        "unit1": format_percent(Decimal("98.75")),
        "unit2": "Sangat Tinggi",
        "unit3": format_percent(22),
        "flag": " ⚠️",
    }
    if name in by_name:
        return by_name[name]
    if name in ("name", "indicator", "kadin", "sender", "requester", "by", "late", "head"):
        return longest(indicators) if name in ("name", "indicator") else "Bambang Sutrisno"
    if name in ("sub", "activity"):
        return longest(subs)
    return sentence  # reasons, notes, explanations, recommendations: a full sentence


def sample_lines(name: str) -> list[str]:
    """Lines a unit of 25 indicators produces (for parameters holding lines)."""
    names = sorted((i.name for i in catalog().indicators), key=len, reverse=True)
    names = (names * 3)[:INDICATORS_PER_UNIT]
    if name in ("changes",):
        return [texts_fit.change_line(n, "112", "130", "orang") for n in names]
    if name in ("confirmed", "soft_lines"):
        return [
            texts_attention.confirmed_line(
                n, "45", "orang", texts_quarter.SOFT_REASONS["FAR_BELOW_TARGET"], sample_string("")
            )
            for n in names
        ]
    if name in ("far", "below"):
        return [texts_fit.far_line(n, "10", "orang", format_percent(20)) for n in names]
    if name == "low":
        return [
            texts_attention.low_line(n, "10", "25", "orang", format_percent(40), "10", "12")
            for n in names
        ]
    return [
        texts_quarter.indicator_line(k, n, Decimal(120), "orang", Decimal(100))
        for k, n in enumerate(names, 1)
    ]


def build(hint: Any, name: str, count: int = 4) -> Any:
    """An argument of type ``hint`` named ``name``, from the sample data."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        real = [a for a in args if a is not type(None)]
        return build(real[0], name, count)
    if hint is str:
        return sample_string(name)
    if hint is bool:
        return True
    if hint is int:
        return {"quarter": 3, "year": 2026, "step": 3}.get(name, INDICATORS_PER_UNIT)
    if hint is Decimal:
        return Decimal("1250000.5")
    if hint is datetime:
        return AT
    if hint is date:
        return date(2026, 3, 1)
    if hint is timedelta:
        return timedelta(hours=8, minutes=30)
    if hint is Role:
        return Role.KABID
    if hint is Unit:
        return max(units(), key=lambda u: len(u.name))
    if hint is object:
        return sample_string(name)
    if origin is tuple and args and args[-1] is not Ellipsis:
        return tuple(build(a, f"{name}{i}") for i, a in enumerate(args))
    if origin in (list, tuple, Sequence, Iterable, typing.Sequence) and args:
        if args[0] is str and name in ("lines", "changes", "confirmed", "far", "below"):
            return sample_lines(name)
        if args[0] is str and name == "soft_lines":
            return sample_lines(name)
        size = len(units()) if name in ("units", "items", "rows", "opens", "roles") else count
        return [build(args[0], name.rstrip("s") or name) for _ in range(size)]
    raise TypeError(f"no sample for {name}: {hint!r}")


def text_functions() -> list[tuple[str, Callable[..., Any]]]:
    found = []
    for module in MODULES:
        for name, func in inspect.getmembers(module, inspect.isfunction):
            mine = func.__module__ == module.__name__ and not name.startswith("_")
            # a sentence returns text (``set_zone`` and the like configure, not say)
            if not mine or name in NOT_SENTENCES | CLI_ONLY:
                continue
            if typing.get_type_hints(func).get("return") in (str, list[str]):
                found.append((f"{module.__name__}.{name}", func))
    return found


def render(func: Callable[..., Any]) -> list[str]:
    hints = typing.get_type_hints(func)
    kwargs = {
        p.name: build(hints[p.name], p.name)
        for p in inspect.signature(func).parameters.values()
        if p.default is inspect.Parameter.empty
    }
    result = func(**kwargs)
    if isinstance(result, str):
        return [result]
    if isinstance(result, list) and all(isinstance(r, str) for r in result):
        return ["\n".join(result)] if func.__name__.endswith("_lines") else result
    return []


@pytest.mark.parametrize(
    ("qualname", "func"), [pytest.param(q, f, id=q) for q, f in text_functions()]
)
def test_every_sentence_fits_a_phone(qualname: str, func: Callable[..., Any]) -> None:
    for text in render(func):
        if func.__name__ in SPLIT_ON_SENDING:
            parts = texts.split_message(text, PHONE_LIMIT)
            assert all(texts.utf16_len(p) <= PHONE_LIMIT for p in parts), qualname
            # no line needs cutting: each part ends at a line break
            assert max(texts.utf16_len(line) for line in text.split("\n")) <= PHONE_LIMIT
        else:
            assert texts.utf16_len(text) <= PHONE_LIMIT, (qualname, len(text), text[:300])


def test_every_constant_sentence_fits_a_phone() -> None:
    for module in MODULES:
        for name, value in vars(module).items():
            if name.isupper() and isinstance(value, str):
                assert texts.utf16_len(value) <= PHONE_LIMIT, f"{module.__name__}.{name}"


def test_the_approver_brief_of_a_25_indicator_unit_leads_with_the_decision() -> None:
    """Everything notable at once, for 25 indicators: every indicator under "Tinggi" named,
    the other sections as far as they fit, the rest counted."""
    low: list[str] = []  # what fits LOW_ROOM; more go in a message before
    for line in sample_lines("low"):
        if texts.utf16_len("\n".join([*low, line])) > texts_attention.LOW_ROOM:
            break
        low.append(line)
    brief = texts_attention.head_brief(
        sample_string("unit"),
        "Triwulan I 2026",
        "Tono Hartono",
        texts_fit.filled_counts(INDICATORS_PER_UNIT, 8),
        "76 %",
        [
            (texts_attention.low_title("76 %"), low),
            (
                texts_attention.BEHIND_TITLE,
                [texts_attention.behind_line("3,00 %", "25,00 %", False)],
            ),
            ("<b>Jauh dari target</b>", sample_lines("far")),
            (texts_attention.CONFIRMED_TITLE, sample_lines("confirmed")),
            (texts_attention.CHANGES_TITLE, sample_lines("changes")),
        ],
        sample_string("budget"),
    )
    assert texts.utf16_len(brief) <= PHONE_LIMIT
    assert all(line in brief for line in low)
    assert texts.utf16_len("\n".join(low)) <= texts_attention.LOW_ROOM
    order = [brief.index(h) for h in ("di bawah 76 %", "tertinggal", "Jauh", "dikonfirmasi")]
    assert order == sorted(order)
    assert "lainnya" in brief  # what did not fit is counted, never silently dropped
    assert f"penyerapan {format_percent(22)}" in brief
    assert "Lihat semua isian" in brief
    assert "Tidak ada yang perlu perhatian" not in brief


def test_the_brief_says_nothing_needs_attention_only_when_true() -> None:
    calm = texts_attention.head_brief(
        "Bidang Pelatihan", "Triwulan I 2026", "Tono", "", "76 %", [("<b>x</b>", [])], ""
    )
    assert "Tidak ada yang perlu perhatian" in calm
    busy = texts_attention.head_brief(
        "Bidang Pelatihan", "Triwulan I 2026", "Tono", "", "76 %", [("<b>x</b>", ["• y"])], ""
    )
    assert "Tidak ada yang perlu perhatian" not in busy


def test_an_explanation_is_never_cut() -> None:
    long = " ".join(["Realisasi belum termasuk peserta angkatan II"] * 40)  # 1,800 characters
    line = texts_attention.confirmed_line("Jumlah peserta", "45", "orang", "alasan", long)
    assert "Lihat semua isian" in line and "…" not in line
    shown = texts_attention.confirmed_line("Jumlah peserta", "45", "orang", "alasan", long[:250])
    assert long[:250].strip() in shown
    rest = texts_attention.explanation_lines(long)
    assert all(texts.utf16_len(part) < PHONE_LIMIT // 2 for part in rest)
    words = " ".join(part.replace("<i>", "").replace("</i>", "") for part in rest).split()
    assert words[1:] == long.split()  # "Penjelasan:" first, then every word


def test_a_quarter_without_target_but_with_an_annual_one_reads_right() -> None:
    line = texts_quarter.indicator_line(
        4, "Jumlah peserta job fair", Decimal(300), "orang", None, "", Decimal(60)
    )
    assert line == (
        "4. Jumlah peserta job fair: 300 orang "
        "(belum ada target triwulan ini; capaian tahunan 60,00%)"
    )
    target = texts_quarter.target_line(Decimal(0), Decimal(500))
    assert "belum ada target triwulan ini" in target and "500" in target
    assert texts_quarter.indicator_line(1, "A", Decimal(20), "%", Decimal(100)) == (
        "1. A: 20% (capaian 100,00%)"
    )


def test_every_note_question_is_numbered_within_its_count() -> None:
    fields = list(texts_quarter.NOTE_LABELS)
    shown = [
        texts_quarter.question_note(10 + n, 15, n, field, None, len(fields))
        for n, field in enumerate(fields, 1)
    ]
    assert [s.split("</b>")[0] for s in shown] == [
        f"<b>Catatan {n}/{len(fields)}" for n in range(1, len(fields) + 1)
    ]


@given(st.text(min_size=0, max_size=300), st.integers(min_value=10, max_value=120))
def test_short_names_stay_within_the_limit_and_say_they_were_cut(text: str, limit: int) -> None:
    cut = short(text, limit)
    assert len(cut) <= limit
    whole = " ".join(text.split())
    if len(whole) <= limit:
        assert cut == whole
    else:
        assert cut.endswith("…")
        assert whole.startswith(cut[:-1].rstrip())


def test_short_cuts_a_long_official_name_at_a_word() -> None:
    name = "Bidang Penempatan Tenaga Kerja dan Perluasan Kesempatan Kerja"
    assert short(name, 40) == "Bidang Penempatan Tenaga Kerja dan…"
    assert short("Sekretariat", 40) == "Sekretariat"


def test_chunks_number_their_parts_and_keep_every_line() -> None:
    lines = [f"{n}. " + "x" * 90 for n in range(1, 41)]
    parts = texts_fit.chunks("<b>Semua isian</b>", lines)
    assert len(parts) > 1
    assert all(texts.utf16_len(p) <= PHONE_LIMIT for p in parts)
    assert parts[0].startswith(f"<b>Semua isian</b> (1/{len(parts)})")
    kept = [line for p in parts for line in p.split("\n")[2:]]
    assert kept == lines
    bare = texts_fit.chunks("", lines)
    assert [line for p in bare for line in p.split("\n")] == lines
