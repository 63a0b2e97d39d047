"""Comparisons judged by each indicator's direction (issue 19): one classification for the
narrative, the Analisis sheet, the chat chart and the suggestions.

Expected judgements are computed here from PRODUCT.md ("Direction decides every judgement",
changes under 1 % stay *tetap*), without calling ``bot.analysis``; numbers in the sentences
are read back with ``bot.numbers_format``.
"""

from __future__ import annotations

import re
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from bot import analysis as an
from bot.model import Aggregation, Direction, Indicator, Unit, UnitKind
from bot.numbers_format import format_number, format_percent
from bot.texts import analysis as tx
from tests.unit.test_analysis import cap, inputs, numbers_in, r2, target, to_date

D = Decimal


def expected(before: Decimal | None, after: Decimal | None, direction: Direction) -> str:
    """The judgement by the rule as PRODUCT.md states it."""
    if before is None or after is None:
        return "tanpa pembanding"
    if before == 0:
        moved = D(0) if after == 0 else (D(1) if after > 0 else D(-1))
    else:
        pct = (after - before) * 100 / abs(before)
        moved = D(0) if abs(pct) < 1 else pct
    if moved == 0:
        return "tetap"
    return "membaik" if (moved > 0) == (direction is Direction.UP) else "memburuk"


def previous(h: an.IndicatorHistory, q: int) -> Decimal | None:
    return h.current[q - 2] if q > 1 else h.last_year[3]


@settings(max_examples=200, deadline=None)
@given(inputs())
def test_counts_add_up_to_the_indicators_considered(data: an.AnalysisInput) -> None:
    q = data.quarter
    items = an.trends(data)
    for against in an.Against:
        found = an.counts(items, against)
        assert found.against is against
        assert found.membaik + found.memburuk + found.tetap + found.tanpa_pembanding == len(items)
        assert found.considered == len(items)
        assert found.compared == found.membaik + found.memburuk + found.tetap
        for h, judged in zip(data.indicators, an.judge_all(items, against), strict=True):
            before = previous(h, q) if against is an.Against.PREVIOUS else h.last_year[q - 1]
            want = expected(before, h.current[q - 1], h.indicator.direction)
            assert judged.judgement.value == want
            assert judged.indicator == h.indicator
            assert found.of(judged.judgement) >= 1


@settings(max_examples=300, deadline=None)
@given(
    st.decimals(min_value=0, max_value=10_000, places=2),
    st.decimals(min_value=0, max_value=10_000, places=2),
    st.sampled_from(list(Direction)),
)
def test_a_lower_is_better_figure_that_rose_is_never_membaik(
    before: Decimal, after: Decimal, direction: Direction
) -> None:
    judgement = an.judge(an.change(before, after), direction)
    assert judgement.value == expected(before, after, direction)
    if direction is Direction.DOWN and after > before:
        assert judgement is not an.Judgement.MEMBAIK
    if direction is Direction.UP and after < before:
        assert judgement is not an.Judgement.MEMBAIK
    assert an.judge(None, direction) is an.Judgement.TANPA_PEMBANDING


@settings(max_examples=150, deadline=None)
@given(inputs())
def test_count_sentences_cite_the_counts_by_direction(data: an.AnalysisInput) -> None:
    q = data.quarter
    sentences = [s for s in an.narrative(data) if s.kind == "direction_counts"]
    wanted = []
    for against, before_of in (
        ("triwulan sebelumnya", lambda h: previous(h, q)),
        ("triwulan yang sama tahun lalu", lambda h: h.last_year[q - 1]),
    ):
        marks = [
            expected(before_of(h), h.current[q - 1], h.indicator.direction) for h in data.indicators
        ]
        compared = len(marks) - marks.count("tanpa pembanding")
        if compared:
            wanted.append((against, compared, marks))
    assert len(sentences) == len(wanted)
    for sentence, (against, compared, marks) in zip(sentences, wanted, strict=True):
        assert sentence.text.startswith(f"Dibanding {against}, dari ")
        figures = numbers_in(sentence.text, data)
        assert figures == list(sentence.figures)
        assert figures[:4] == [
            compared,
            marks.count("membaik"),
            marks.count("memburuk"),
            marks.count("tetap"),
        ]
        assert figures[1] + figures[2] + figures[3] == figures[0]
        without = marks.count("tanpa pembanding")
        assert figures[4:] == ([without] if without else [])


@settings(max_examples=150, deadline=None)
@given(inputs())
def test_largest_moves_follow_the_direction(data: an.AnalysisInput) -> None:
    q = data.quarter
    for s in an.narrative(data):
        if s.kind not in ("largest_improvement", "largest_decline"):
            continue
        h = next(h for h in data.indicators if h.indicator.code == s.indicators[0])
        before, after = previous(h, q), h.current[q - 1]
        judgement = expected(before, after, h.indicator.direction)
        assert judgement == ("membaik" if s.kind == "largest_improvement" else "memburuk")
        assert before is not None and after is not None and before != 0
        size = abs(after - before) * 100 / before
        # No other indicator judged the same way moved more.
        for other in data.indicators:
            b, a = previous(other, q), other.current[q - 1]
            if expected(b, a, other.indicator.direction) == judgement and b:
                assert a is not None and abs(a - b) * 100 / b <= size
        word = "naik" if after > before else "turun"
        assert f"({word} " in s.text and f", {judgement})." in s.text


def test_the_mean_names_its_base() -> None:
    units = (Unit("u", "Bidang Alfa", UnitKind.BIDANG),)

    def ind(code: str, t: Decimal | None) -> Indicator:
        return Indicator(
            code, f"Indikator {code}", "u", "a", "orang", Direction.UP, Aggregation.LATEST,
            t, (t, t, t, t),
        )  # fmt: skip

    data = an.AnalysisInput(
        2026,
        1,
        units,
        (
            an.IndicatorHistory(ind("1", D(100)), (D(80), None, None, None)),
            an.IndicatorHistory(ind("2", D(100)), (D(90), None, None, None)),
            an.IndicatorHistory(ind("3", None), (D(7), None, None, None)),
        ),
    )
    (mean,) = [s for s in an.narrative(data) if s.kind == "agency_mean"]
    assert "dihitung dari 2 dari 3 indikator (1 indikator belum memiliki target" in mean.text
    assert mean.figures == (D("85.00"), 2, 3, 1)


def test_the_analysis_sheet_marks_carry_the_judgement() -> None:
    assert tx.trend_mark(True, "memburuk") == "▲ naik · memburuk"
    assert tx.trend_mark(False, "membaik") == "▼ turun · membaik"
    assert tx.trend_mark(True, "membaik") == "▲ naik · membaik"
    assert tx.trend_mark(None, "tetap") == "■ tetap"


# ---- suggestions ---------------------------------------------------------------------

_DOWN_VERBS = re.compile(r"\b(mempercepat|meningkatkan|percepatan)\b")


@settings(max_examples=200, deadline=None)
@given(inputs())
def test_suggestions_name_their_unit_once_and_ask_for_the_right_direction(
    data: an.AnalysisInput,
) -> None:
    q = data.quarter
    found = an.suggestions(data)
    pairs = [(s.unit_code, s.reason) for s in found]
    assert len(set(pairs)) == len(pairs)  # at most one per unit and reason
    by_code = {h.indicator.code: h for h in data.indicators}
    for suggestion in found:
        text = suggestion.sentence.text
        name = data.unit_name(suggestion.unit_code)
        assert text.startswith(name + " agar ")
        assert text.count(name) == 1
        assert numbers_in(text, data) == list(suggestion.sentence.figures), text
        if suggestion.reason == "capaian":
            for code in suggestion.sentence.indicators:
                ind = by_code[code].indicator
                part = text[text.index(ind.name) - 14 : text.index(ind.name)]
                start = text.index(ind.name)
                figures = text[start : text.index(")", start)]
                # the target is a ceiling where less is better: never "5 dari target 4"
                if ind.direction is Direction.DOWN:
                    assert "menekan" in part and not _DOWN_VERBS.search(part)
                    assert ", target paling banyak " in figures and "dari target" not in figures
                else:
                    assert "meningkatkan" in part
                    assert " dari target " in figures
                worse = expected(
                    previous(by_code[code], q), by_code[code].current[q - 1], ind.direction
                )
                assert ("memburuk dibanding triwulan sebelumnya" in figures) == (
                    worse == "memburuk"
                )
            # The figures cited are each indicator's own: realisation, target, capaian.
            for n, code in enumerate(suggestion.sentence.indicators):
                h = by_code[code]
                r, t, c = suggestion.sentence.figures[3 * n : 3 * n + 3]
                assert r == to_date(h, q) and t == target(h, q)
                c_expected = cap(h, q)
                assert c_expected is not None and c == r2(c_expected) and r2(c_expected) < 76
        if suggestion.reason == "anggaran":
            cited, reference, gap = suggestion.sentence.figures
            assert gap == reference - cited and gap >= 20
            assert "waktu tahun anggaran" in text  # no plan in these inputs
    # Ordered by the gap in points, then lateness, then open follow-ups.
    gaps = [s.gap for s in found if s.gap is not None]
    assert gaps == sorted(gaps, reverse=True)
    kinds = [0 if s.gap is not None else (1 if s.times else 2) for s in found]
    assert kinds == sorted(kinds)
    assert all(s.reason == "tindak_lanjut" for s in found if not s.gap and not s.times)


def test_absorption_behind_gets_its_own_suggestion_beside_low_capaian() -> None:
    """The issue's case: a unit with a lower-is-better count above target and 3 % absorbed."""
    units = (Unit("hi", "Bidang Hubungan Industrial", UnitKind.BIDANG),)
    cases = Indicator(
        "HI-01", "Jumlah kasus perselisihan hubungan industrial", "hi", "a", "kasus",
        Direction.DOWN, Aggregation.SUM, D(12), (D(3), D(3), D(3), D(3)),
    )  # fmt: skip
    placed = Indicator(
        "HI-02", "Jumlah perusahaan yang menerapkan struktur skala upah", "hi", "a",
        "perusahaan", Direction.UP, Aggregation.SUM, D(40), (D(10), D(10), D(10), D(10)),
    )  # fmt: skip
    data = an.AnalysisInput(
        2026,
        1,
        units,
        (
            an.IndicatorHistory(cases, (D(5), None, None, None)),
            an.IndicatorHistory(placed, (D(7), None, None, None)),
        ),
        budgets=(an.UnitBudget("hi", D(100_000_000), (D(3_000_000), None, None, None)),),
        open_follow_ups=(an.OpenFollowUp("hi", "Perbarui data mediasi", "Triwulan IV 2025"),),
        late_steps=(an.LateStep("hi", "Pengisian data", 2),),
    )
    found = an.suggestions(data)
    assert [s.reason for s in found] == ["capaian", "anggaran", "terlambat", "tindak_lanjut"]
    low = found[0].sentence.text
    assert low.startswith("Bidang Hubungan Industrial agar pada triwulan berikutnya menekan ")
    pct = format_percent
    assert (
        f"menekan Jumlah kasus perselisihan hubungan industrial (realisasi 5, target paling "
        f"banyak 3, "
        f"capaian {pct(D('33.33'))})" in low
    )
    assert (
        f"meningkatkan Jumlah perusahaan yang menerapkan struktur skala upah (realisasi 7 dari "
        f"target 10, capaian {pct(D(70))})" in low
    )
    assert found[0].gap == D("42.67")
    money = found[1].sentence.text
    assert money == (
        f"Bidang Hubungan Industrial agar mempercepat penyerapan anggaran yang s.d. Triwulan I "
        f"baru {pct(D(3))} dari pagu, sementara waktu tahun anggaran yang telah berjalan "
        f"{pct(D(25))} (tertinggal {format_number(D(22), decimals=2)} poin)."
    )
    # In chat the unit is set in bold once, not named above its own sentence.
    shown = tx.suggestion(1, "Bidang Hubungan Industrial", low)
    assert shown.count("Bidang Hubungan Industrial") == 1
    assert shown.startswith("1. <b>Bidang Hubungan Industrial</b> agar")


def test_absorption_is_judged_against_the_plan_when_there_is_one() -> None:
    units = (
        Unit("a", "Bidang Alfa", UnitKind.BIDANG),
        Unit("b", "Bidang Bravo", UnitKind.BIDANG),
    )
    planned = an.UnitBudget(
        "a", D(1000), (D(100), None, None, None), plan=(D(500), D(700), D(900), D(1000))
    )
    unplanned = an.UnitBudget("b", D(1000), (D(100), None, None, None))
    data = an.AnalysisInput(2026, 1, units, (), budgets=(planned, unplanned))
    assert an.benchmark((planned,), 1) == an.Benchmark(D(50), planned=True)
    assert an.benchmark((unplanned,), 1) == an.Benchmark(D(25), planned=False)
    # The agency is judged against a plan only when every unit has one.
    assert an.benchmark((planned, unplanned), 1).planned is False
    sentences = {s.units[0] if s.units else "": s for s in an.narrative(data)}
    pct = format_percent
    assert "rencana penarikan dana s.d. Triwulan I sebesar " + pct(D(50)) in sentences["a"].text
    assert "b" not in sentences  # 10 % against 25 % elapsed: behind, but not by 20 points
    assert "waktu tahun anggaran yang telah berjalan " + pct(D(25)) in sentences[""].text
    (money,) = [s for s in an.suggestions(data) if s.reason == "anggaran"]
    assert money.unit_code == "a" and money.gap == D(40)
    assert "rencana penarikan dana s.d. Triwulan I " + pct(D(50)) in money.sentence.text


@settings(max_examples=150, deadline=None)
@given(inputs(), st.data())
def test_absorption_sentences_say_what_they_are_judged_against(
    data: an.AnalysisInput, draw: st.DataObject
) -> None:
    """Random plans on some units: each absorption sentence cites the plan's share of the pagu
    where the unit has one for the quarter, else the share of the year elapsed, and says so."""
    q = data.quarter
    budgets = []
    for b in data.budgets:
        if b.pagu and draw.draw(st.booleans()):
            steps = draw.draw(st.lists(st.integers(0, 40), min_size=4, max_size=4))
            plan = tuple(b.pagu * sum(steps[: n + 1]) / 160 for n in range(4))
            b = an.UnitBudget(b.unit_code, b.pagu, b.spent, plan)  # type: ignore[arg-type]
        budgets.append(b)
    data = an.AnalysisInput(data.year, q, data.units, data.indicators, tuple(budgets))

    def reference(b: an.UnitBudget) -> tuple[Decimal, bool]:
        planned = b.plan[q - 1]
        if b.pagu and planned is not None:
            return r2(planned * 100 / b.pagu), True
        return D(25 * q), False

    by_unit = {b.unit_code: b for b in budgets}
    for s in an.narrative(data):
        if s.kind == "unit_absorption":
            share, planned = reference(by_unit[s.units[0]])
            assert s.figures[1] == share
            assert ("rencana penarikan dana" in s.text) == planned
            assert ("waktu tahun anggaran" in s.text) == (not planned)
            assert numbers_in(s.text, data) == list(s.figures)
    for found in an.suggestions(data):
        if found.reason == "anggaran":
            share, planned = reference(by_unit[found.unit_code])
            cited, shown_share, gap = found.sentence.figures
            assert shown_share == share and gap == share - cited and gap >= 20
            assert ("rencana penarikan dana" in found.sentence.text) == planned
