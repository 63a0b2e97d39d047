"""The drafted analysis (bot/analysis.py): trends, narrative and suggestions over generated figures.

Expected figures are computed here from the input, by PRODUCT.md "The numbers", without
calling ``bot.analysis``; numbers in the sentences are read back with ``bot.numbers_parse``.
"""

from __future__ import annotations

import re
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot import analysis as an
from bot.model import Aggregation, Direction, Indicator, Unit, UnitKind
from bot.numbers_format import format_percent
from bot.numbers_parse import parse_number

D = Decimal
WORDS = ("Alfa", "Bravo", "Delta", "Gema", "Kenari", "Lestari", "Melati", "Nusa", "Pelita")
_NUMBER = re.compile(r"\d[\d.]*(?:,\d+)?")
_QUOTED = re.compile(r"“[^”]*”")

values = st.one_of(
    st.none(),
    st.decimals(min_value=0, max_value=5000, places=2, allow_nan=False, allow_infinity=False),
)
targets = st.one_of(st.none(), st.integers(min_value=1, max_value=1000).map(D))
quarterly = st.tuples(values, values, values, values)


@st.composite
def inputs(draw: st.DrawFn) -> an.AnalysisInput:
    """A small agency with random figures, some missing, notes and follow-ups."""
    n_units = draw(st.integers(min_value=1, max_value=3))
    units = tuple(Unit(f"u{i}", f"Bidang {WORDS[i]}", UnitKind.BIDANG) for i in range(n_units))
    histories = []
    for n in range(draw(st.integers(min_value=1, max_value=6))):
        unit = draw(st.sampled_from(units))
        indicator = Indicator(
            code=f"1.{n}",
            name=f"Indikator {WORDS[n % len(WORDS)]} {WORDS[(n * 5 + 3) % len(WORDS)]}",
            unit_code=unit.code,
            activity_code="a",
            satuan="orang",
            direction=draw(st.sampled_from(list(Direction))),
            aggregation=draw(st.sampled_from(list(Aggregation))),
            target_annual=draw(targets),
            targets_q=draw(st.tuples(targets, targets, targets, targets)),
        )
        explanation = draw(st.sampled_from(["", "Peserta 120 orang melebihi rencana"]))
        histories.append(
            an.IndicatorHistory(indicator, draw(quarterly), draw(quarterly), explanation)
        )
    budgets = tuple(
        an.UnitBudget(
            u.code,
            draw(st.one_of(st.none(), targets.map(lambda t: t and t * 1000))),
            draw(quarterly),
        )
        for u in units
    )
    notes = tuple(
        an.UnitNote(
            u.code,
            draw(st.sampled_from(["", "Dukungan mitra 3 desa"])),
            draw(st.sampled_from(["", "Cuaca"])),
        )
        for u in units
    )
    follow_ups = tuple(
        an.OpenFollowUp(u.code, "Tambah 2 pelatih", "Triwulan I 2026")
        for u in units
        if draw(st.booleans())
    )
    late = tuple(
        an.LateStep(u.code, "Pengisian data", draw(st.integers(min_value=0, max_value=4)))
        for u in units
    )
    return an.AnalysisInput(
        year=2026,
        quarter=draw(st.integers(min_value=1, max_value=4)),
        units=units,
        indicators=tuple(histories),
        budgets=budgets,
        notes=notes,
        open_follow_ups=follow_ups,
        late_steps=late,
    )


# ---- an independent computation ------------------------------------------------------


def to_date(h: an.IndicatorHistory, q: int) -> Decimal | None:
    vals = h.current[:q]
    if h.indicator.aggregation is Aggregation.SUM:
        return None if None in vals else sum(vals, D(0))  # type: ignore[arg-type]
    return vals[q - 1]


def target(h: an.IndicatorHistory, q: int) -> Decimal | None:
    ts = h.indicator.targets_q[:q]
    if h.indicator.aggregation is Aggregation.SUM:
        present = [t for t in ts if t is not None]
        return sum(present, D(0)) if present else None
    return ts[q - 1]


def cap(h: an.IndicatorHistory, q: int) -> Decimal | None:
    r, t = to_date(h, q), target(h, q)
    if r is None or t is None or t <= 0:
        return None
    if h.indicator.direction is Direction.UP:
        return r * 100 / t
    return max(D(0), (2 * t - r) * 100 / t)


def r2(v: Decimal) -> Decimal:
    return v.quantize(D("0.01"), rounding="ROUND_HALF_UP")


def absorption(b: an.UnitBudget, q: int) -> Decimal | None:
    spent = b.spent[:q]
    if None in spent or b.pagu is None or b.pagu <= 0:
        return None
    return sum(spent, D(0)) * 100 / b.pagu  # type: ignore[arg-type]


def numbers_in(text: str, data: an.AnalysisInput) -> list[Decimal]:
    """Every number in a sentence, after quotes, names and period labels are taken out."""
    text = _QUOTED.sub("", text)
    for name in [u.name for u in data.units] + [h.indicator.name for h in data.indicators]:
        text = text.replace(name, "")
    text = re.sub(r"Triwulan [IV]+( \d{4})?", "", text)
    return [parse_number(token.rstrip(".")).value for token in _NUMBER.findall(text)]


# ---- properties ----------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(inputs())
def test_every_sentence_names_real_things_and_cites_its_figures(data: an.AnalysisInput) -> None:
    draft = an.draft(data)
    unit_codes = {u.code for u in data.units}
    by_code = {h.indicator.code: h for h in data.indicators}
    for sentence in list(draft.narrative) + [s.sentence for s in draft.suggestions]:
        assert set(sentence.units) <= unit_codes
        assert set(sentence.indicators) <= set(by_code)
        for code in sentence.units:
            assert data.unit_name(code) in sentence.text
        for code in sentence.indicators:
            assert by_code[code].indicator.name in sentence.text
        assert numbers_in(sentence.text, data) == list(sentence.figures), sentence.text


@settings(max_examples=150, deadline=None)
@given(inputs())
def test_figures_match_an_independent_computation(data: an.AnalysisInput) -> None:
    q = data.quarter
    caps = [c for h in data.indicators if (c := cap(h, q)) is not None]
    sentences = {s.kind: s for s in an.narrative(data)}
    if caps:
        mean = sum(caps, D(0)) / len(caps)
        n, total = D(len(caps)), D(len(data.indicators))
        base = (r2(mean), n, total) + ((total - n,) if total > n else ())
        assert sentences["agency_mean"].figures == base
    else:
        assert "agency_mean" not in sentences
    for s in an.narrative(data):
        if s.kind == "unit_below":
            unit_caps = [
                c
                for h in data.indicators
                if h.indicator.unit_code == s.units[0] and (c := cap(h, q)) is not None
            ]
            mean = sum(unit_caps, D(0)) / len(unit_caps)
            assert r2(mean) < 76 and s.figures == (r2(mean),)
        if s.kind in ("largest_improvement", "largest_decline"):
            h = next(h for h in data.indicators if h.indicator.code == s.indicators[0])
            before = h.current[q - 2] if q > 1 else h.last_year[3]
            after = h.current[q - 1]
            assert before is not None and after is not None and before != 0
            assert s.figures == (before, after, r2(abs(after - before) * 100 / before))
        if s.kind == "agency_absorption":
            with_pagu = [b for b in data.budgets if b.pagu]
            total = sum((sum(b.spent[:q], D(0)) for b in with_pagu), D(0))  # type: ignore[arg-type]
            pagu = sum((b.pagu for b in with_pagu), D(0))  # type: ignore[misc]
            assert s.figures == (r2(total * 100 / pagu), D(25 * q))
    behind = {
        b.unit_code for b in data.budgets if (a := absorption(b, q)) is not None and a < 25 * q - 20
    }
    assert {s.units[0] for s in an.narrative(data) if s.kind == "unit_absorption"} == behind


@settings(max_examples=150, deadline=None)
@given(inputs())
def test_suggestions_at_most_one_per_unit_and_reason_and_only_when_needed(
    data: an.AnalysisInput,
) -> None:
    q = data.quarter
    found = an.suggestions(data)
    assert len({(s.unit_code, s.reason) for s in found}) == len(found)
    wanted = set()
    for unit in data.units:
        low = sorted(
            (c, h.indicator.code)
            for h in data.indicators
            if h.indicator.unit_code == unit.code and (c := cap(h, q)) is not None and r2(c) < 76
        )
        if low:
            wanted.add((unit.code, "capaian"))
            named = [s for s in found if (s.unit_code, s.reason) == (unit.code, "capaian")]
            # The worst three are named (ties in any order), the rest counted.
            assert sorted(named[0].sentence.indicators) == sorted(code for _, code in low[:3])
        a = absorption(next(b for b in data.budgets if b.unit_code == unit.code), q)
        if a is not None and r2(a) < 25 * q - 20:
            wanted.add((unit.code, "anggaran"))
        if any(s.unit_code == unit.code and s.times >= 2 for s in data.late_steps):
            wanted.add((unit.code, "terlambat"))
        if any(f.unit_code == unit.code for f in data.open_follow_ups):
            wanted.add((unit.code, "tindak_lanjut"))
    assert {(s.unit_code, s.reason) for s in found} == wanted


@settings(max_examples=100, deadline=None)
@given(inputs(), st.integers(min_value=0, max_value=5))
def test_a_missing_quarter_is_never_zero(data: an.AnalysisInput, pick: int) -> None:
    assume(data.quarter > 1)
    h = data.indicators[pick % len(data.indicators)]
    assume(h.indicator.aggregation is Aggregation.SUM)
    gap = list(h.current)
    gap[0] = None
    gapped = an.IndicatorHistory(h.indicator, tuple(gap), h.last_year)  # type: ignore[arg-type]
    item = an.indicator_trend(gapped, data.quarter)
    assert item.to_date is None and item.cap is None and 1 in item.missing
    # The same indicator with triwulan I typed as 0 is a different, complete figure.
    zero = list(h.current)
    zero[0] = D(0)
    zeroed = an.IndicatorHistory(h.indicator, tuple(zero), h.last_year)  # type: ignore[arg-type]
    complete = an.indicator_trend(zeroed, data.quarter)
    assert (complete.to_date is None) == (None in zero[: data.quarter])


@settings(max_examples=100, deadline=None)
@given(inputs())
def test_no_rule_fires_on_missing_data(data: an.AnalysisInput) -> None:
    empty = an.AnalysisInput(
        year=data.year,
        quarter=data.quarter,
        units=data.units,
        indicators=tuple(an.IndicatorHistory(h.indicator) for h in data.indicators),
        budgets=tuple(an.UnitBudget(b.unit_code, b.pagu) for b in data.budgets),
        notes=tuple(an.UnitNote(n.unit_code) for n in data.notes),
    )
    assert an.narrative(empty) == []
    assert an.suggestions(empty) == []
    assert an.quarter_series(empty) == tuple(
        an.QuarterPoint(q, None, None) for q in range(1, data.quarter + 1)
    )
    for item in an.trends(empty):
        assert item.vs_previous is None and item.vs_last_year is None and item.cap is None


def test_trend_tolerance_and_changes() -> None:
    assert an.trend(D(100), D(100.5)) is an.Trend.TETAP
    assert an.trend(D(100), D(101)) is an.Trend.NAIK
    assert an.trend(D(100), D(98)) is an.Trend.TURUN
    assert an.trend(D(0), D(0)) is an.Trend.TETAP
    assert an.trend(D(0), D(3)) is an.Trend.NAIK
    assert an.change(None, D(3)) is None
    assert an.change(D(0), D(3)) == an.Change(D(0), D(3), None, an.Trend.NAIK)
    assert an.change(D(80), D(100)) == an.Change(D(80), D(100), D(25), an.Trend.NAIK)


def test_a_worked_example() -> None:
    """Two units, triwulan II: the narrative and suggestions a reader would expect."""
    units = (
        Unit("latih", "Bidang Pelatihan", UnitKind.BIDANG),
        Unit("tempat", "Bidang Penempatan", UnitKind.BIDANG),
    )

    def ind(code: str, name: str, unit: str, agg: Aggregation, t: int) -> Indicator:
        return Indicator(
            code, name, unit, "a", "orang", Direction.UP, agg, D(4 * t), (D(t), D(t), D(t), D(t))
        )

    data = an.AnalysisInput(
        year=2026,
        quarter=2,
        units=units,
        indicators=(
            an.IndicatorHistory(
                ind("1", "Peserta pelatihan", "latih", Aggregation.SUM, 100),
                (D(100), D(150), None, None),
                (D(90), D(100), D(80), D(90)),
            ),
            an.IndicatorHistory(
                ind("2", "Pencari kerja ditempatkan", "tempat", Aggregation.SUM, 100),
                (D(60), D(40), None, None),
            ),
            an.IndicatorHistory(
                ind("3", "Lowongan terdaftar", "tempat", Aggregation.SUM, 10),
                (None, D(12), None, None),
            ),
        ),
        budgets=(
            an.UnitBudget("latih", D(1000), (D(200), D(300), None, None)),
            an.UnitBudget("tempat", D(1000), (D(50), D(50), None, None)),
        ),
        notes=(an.UnitNote("latih", pendorong="Kerja sama dengan BLK"),),
        open_follow_ups=(
            an.OpenFollowUp("tempat", "Perbarui data lowongan", "Triwulan I 2026", True),
            an.OpenFollowUp(None, "Percepat penyerapan anggaran", "Triwulan I 2026"),
        ),
    )
    draft = an.draft(data)
    kinds = [s.kind for s in draft.narrative]
    assert kinds == [
        "agency_mean",
        "incomplete",
        "largest_improvement",
        "largest_decline",
        "direction_counts",
        "direction_counts",
        "unit_below",
        "agency_absorption",
        "unit_absorption",
        "factor_pendorong",
        "open_follow_ups_count",
        "open_follow_up",
        "open_follow_up",
    ]
    text = draft.text
    assert (
        "Terdapat 2 rekomendasi periode sebelumnya yang tindak lanjutnya belum selesai; "
        "1 di antaranya telah melewati batas waktu." in text
    )
    pct = format_percent
    assert (
        f"sebesar {pct(D('87.5'))} dengan predikat Tinggi, dihitung dari 2 dari 3 indikator (1 "
        in text
    )
    assert "Lowongan terdaftar" in text and "belum dihitung" in text
    assert (
        "Perbaikan terbesar dibanding triwulan sebelumnya terjadi pada indikator Peserta "
        f"pelatihan (Bidang Pelatihan), dari 100 menjadi 150 (naik {pct(D(50))}, membaik)" in text
    )
    assert (
        "Penurunan kinerja terbesar dibanding triwulan sebelumnya terjadi pada indikator "
        "Pencari kerja ditempatkan (Bidang Penempatan), dari 60 menjadi 40 (turun" in text
    )
    assert (
        "Dibanding triwulan sebelumnya, dari 2 indikator yang memiliki pembanding: 1 membaik, "
        "1 memburuk, 0 tetap; 1 indikator tanpa pembanding." in text
    )
    assert (
        "Dibanding triwulan yang sama tahun lalu, dari 1 indikator yang memiliki pembanding: "
        "1 membaik, 0 memburuk, 0 tetap; 2 indikator tanpa pembanding." in text
    )
    assert (
        "Bidang Penempatan berada di bawah predikat Tinggi dengan rata-rata capaian 50,00%" in text
    )
    assert "Penyerapan anggaran Dinas s.d. Triwulan II sebesar 30,00%" in text
    assert "“Kerja sama dengan BLK” (Bidang Pelatihan)" in text
    # Penempatan: capaian 50 % (26 points under 76) and 5 % absorbed against 50 % (45 points).
    assert [(s.unit_code, s.reason) for s in draft.suggestions] == [
        ("tempat", "anggaran"),
        ("tempat", "capaian"),
        ("tempat", "tindak_lanjut"),
    ]
    assert an.quarter_series(data) == (
        an.QuarterPoint(1, D(80), D(12.5)),
        an.QuarterPoint(2, D("87.5"), D(30)),
    )


def test_an_explanation_of_a_checked_value_is_quoted_as_such_not_as_a_factor() -> None:
    """A soft-check explanation says why a value is right: the reader sees it as the unit's
    explanation of that indicator, and the faktor pendorong is only the unit's note."""
    units = (Unit("sek", "Sekretariat", UnitKind.SEKRETARIAT),)
    targets = (D(20), D(40), D(60), D(100))
    name = "Persentase realisasi anggaran"
    indicator = Indicator(
        "1", name, "sek", "a", "%", Direction.UP, Aggregation.LATEST, D(100), targets
    )
    data = an.AnalysisInput(
        year=2026,
        quarter=2,
        units=units,
        indicators=(
            an.IndicatorHistory(
                indicator, (D(20), D(45), None, None), explanation="Sesuai jadwal kegiatan."
            ),
        ),
        notes=(an.UnitNote("sek", pendorong="Dukungan anggaran APBD"),),
    )
    text = an.draft(data).text
    assert text.count("Faktor pendorong") == 1
    assert "Faktor pendorong: “Dukungan anggaran APBD” (Sekretariat)." in text
    assert (
        "Penjelasan Sekretariat atas nilai indikator Persentase realisasi anggaran: "
        "“Sesuai jadwal kegiatan.”" in text
    )
    assert "Faktor penghambat" not in text
