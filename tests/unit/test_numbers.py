"""Indonesian number parsing, capaian, predikat and formatting (bot/numbers_parse.py,
bot/numbers.py, bot/numbers_format.py)."""

from __future__ import annotations

import time
from decimal import ROUND_HALF_UP, Decimal

import pytest
from babel.numbers import format_decimal
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.model import Aggregation, Direction, Indicator
from bot.numbers import (
    Predikat,
    absorption,
    capaian,
    count_predikat,
    mean,
    predikat,
    quarter_roman,
    round2,
    target_to_date,
    value_to_date,
)
from bot.numbers_format import format_number, format_percent, format_quantity, format_rupiah
from bot.numbers_parse import NumberInputError, NumberProblem, parse_number

D = Decimal
UP, DOWN = Direction.UP, Direction.DOWN

# (typed, value, percent typed, Rp typed)
# fmt: off
ACCEPTED = [
    ("12,5", "12.5", False, False), ("1.250.000", "1250000", False, False),
    ("1.250.000,75", "1250000.75", False, False), ("Rp 1.250.000", "1250000", False, True),
    ("Rp1.250.000,00", "1250000", False, True), ("rp. 1.250.000", "1250000", False, True),
    ("Rp.1.250.000", "1250000", False, True), ("RP 1.250.000", "1250000", False, True),
    ("IDR 1.250.000", "1250000", False, True), ("Rp 1.250.000,-", "1250000", False, True),
    ("1.250.000,-", "1250000", False, False), ("75,5 %", "75.5", True, False),
    ("75,5%", "75.5", True, False), ("100%", "100", True, False), ("1.000", "1000", False, False),
    ("1.500", "1500", False, False), ("0,5", "0.5", False, False), ("120", "120", False, False),
    ("0", "0", False, False), ("007", "7", False, False), ("1,250", "1.25", False, False),
    ("1.250,000", "1250", False, False), ("12.500,5", "12500.5", False, False),
    ("1.234.567.890.123", "1234567890123", False, False), ("0,000001", "0.000001", False, False),
    (",5", "0.5", False, False),
    # A single dot that cannot be a thousands separator is a decimal point.
    ("75.5", "75.5", False, False), ("12.25", "12.25", False, False),
    ("3.14159", "3.14159", False, False), ("1.5", "1.5", False, False),
    ("0.5", "0.5", False, False), ("0.50", "0.5", False, False), ("1.0000", "1", False, False),
    ("123456.5", "123456.5", False, False), (".5", "0.5", False, False),
    ("75.5 %", "75.5", True, False),
    # Spaces, signs and stray marks.
    ("  12,5  ", "12.5", False, False), ("\u00a012,5\u00a0", "12.5", False, False),
    ("12,5\u202f%", "12.5", True, False), ("Rp\u00a01.250.000", "1250000", False, True),
    ("Rp\u20091.250.000", "1250000", False, True), ("\u200b12,5\ufeff", "12.5", False, False),
    ("12\u200f", "12", False, False), ("\u202b75,5 %\u202c", "75.5", True, False),
    ("\t12,5\n", "12.5", False, False), ("+5", "5", False, False), ("+ 5", "5", False, False),
    ("10.", "10", False, False), ("10,", "10", False, False),
    ("1.250.000,", "1250000", False, False), ("1.500.", "1500", False, False),
    ("-0", "0", False, False), ("1 250 000", "1250000", False, False),
    ("1\u202f250\u202f000,5", "1250000.5", False, False),
]
# fmt: on

# Refused notations, by the problem reported. A packed table reads better than one per line.
# fmt: off
EMPTIES = ["", "   ", "\u00a0\u2009", "\u200b"]
NEGATIVES = ["-5", "\u22125", "\u20135", "- 5", "-12,5 %", "Rp -5", "-Rp 5.000", "-75.5"]
NOT_NUMBERS = [
    "abc", "dua belas", "12 orang", "🙂", "12🙂", "1e5", "1E5", "inf", "Infinity", "nan", "NaN",
    "0x10", "1_000", "1/2", "--5", "+-5", "5-", "-Rp -5", "%", "Rp", "Rp.", ".", ",", "75 %%",
    "% 75", "Rp 5 %", "1,2,3", "1,,5", "=1+1",
    "\uff11\uff12\uff13",  # fullwidth 123
    "\u0661\u0662\u0663",  # Arabic-Indic 123
    "1" * 41, "1" * 10_000, " " * 10_000 + "5",
]
# fmt: on
REFUSED = [
    *[(t, NumberProblem.EMPTY) for t in EMPTIES],
    *[(t, NumberProblem.NEGATIVE) for t in NEGATIVES],
    *[(t, NumberProblem.NOT_A_NUMBER) for t in NOT_NUMBERS],
    # numbers side by side, not one number: said so, not "bukan angka"
    *[(t, NumberProblem.TWO_VALUES) for t in ("12 5", "1 25 000", "75 80")],
]

# (typed, the readings offered back, in order)
AMBIGUOUS = [
    ("0.500", ["500", "0.5"]),
    ("01.500", ["1500", "1.5"]),
    ("1234.567", ["1234567", "1234.567"]),
    ("1,250,000", ["1250000"]),
    ("1,250,000.75", ["1250000.75"]),
    ("1,250.5", ["1250.5"]),
    ("Rp 1,250,000", ["1250000"]),
    ("1.25.000", ["125000"]),
    ("1.,5", ["1.5"]),
]


@pytest.mark.parametrize(("typed", "value", "percent", "currency"), ACCEPTED)
def test_accepted_notations(typed: str, value: str, percent: bool, currency: bool) -> None:
    parsed = parse_number(typed)
    assert parsed.value == D(value)
    assert (parsed.percent, parsed.currency) == (percent, currency)


@pytest.mark.parametrize(("typed", "problem"), REFUSED)
def test_refused_notations(typed: str, problem: NumberProblem) -> None:
    with pytest.raises(NumberInputError) as caught:
        parse_number(typed)
    assert caught.value.problem is problem
    assert caught.value.text == typed
    assert caught.value.suggestions == ()


@pytest.mark.parametrize(("typed", "readings"), AMBIGUOUS)
def test_ambiguous_notations_offer_their_readings(typed: str, readings: list[str]) -> None:
    with pytest.raises(NumberInputError) as caught:
        parse_number(typed)
    assert caught.value.problem is NumberProblem.AMBIGUOUS
    assert list(caught.value.suggestions) == [D(r) for r in readings]


def test_the_table_is_large() -> None:
    assert len(ACCEPTED) + len(REFUSED) + len(AMBIGUOUS) >= 60


def test_negative_allowed_on_request() -> None:
    assert parse_number("-5", allow_negative=True).value == D(-5)
    assert parse_number("\u221212,5", allow_negative=True).value == D("-12.5")
    assert parse_number("Rp -1.000", allow_negative=True).value == D(-1000)
    with pytest.raises(NumberInputError) as caught:
        parse_number("-0.500", allow_negative=True)
    assert caught.value.suggestions == (D(-500), D("-0.5"))


def test_negative_zero_is_plain_zero() -> None:
    value = parse_number("-0,0", allow_negative=True).value
    assert value == 0 and not value.is_signed()


def test_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_number("x")


def test_a_huge_input_is_refused_fast() -> None:
    began = time.perf_counter()
    for text in ("9" * 10_000, "1." * 5_000, "1.234," + "5" * 10_000, "Rp " * 3_000):
        with pytest.raises(NumberInputError):
            parse_number(text)
    assert time.perf_counter() - began < 0.5


# ---- round trips and robustness -----------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(amounts)
def test_formatted_numbers_parse_back(d: Decimal) -> None:
    assert parse_number(format_number(d)).value == d
    assert parse_number("Rp " + format_number(d)).value == d
    assert parse_number(format_rupiah(d)).value == d
    assert parse_number(format_percent(d)).value == d


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**15))
def test_integers_parse_plain_and_grouped(n: int) -> None:
    assert parse_number(str(n)).value == n
    assert parse_number(format_number(n)).value == n


number_like = st.text(alphabet="0123456789.,-+ %Rrpi\u00a0\u2212", max_size=25)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(max_size=60), number_like))
def test_any_text_raises_only_number_input_error(text: str) -> None:
    try:
        parsed = parse_number(text)
    except NumberInputError as exc:
        assert exc.problem in NumberProblem
        assert all(s.is_finite() for s in exc.suggestions)
        assert (exc.problem is NumberProblem.AMBIGUOUS) == bool(exc.suggestions)
    else:
        assert parsed.value.is_finite() and parsed.value >= 0


# ---- capaian and predikat -----------------------------------------------------------------


# fmt: off
CAPAIAN_CASES = [
    ("50", "100", UP, "50"), ("51", "100", UP, "51"), ("50.99", "100", UP, "50.99"),
    ("125", "100", UP, "125"),  # never capped
    ("300", "100", UP, "300"), ("0", "100", UP, "0"), ("1", "3", UP, D(100) / 3),
    ("5", "5", DOWN, "100"), ("4", "5", DOWN, "120"), ("6", "5", DOWN, "80"),
    ("0", "5", DOWN, "200"),  # nothing left of what should shrink
    ("10", "5", DOWN, "0"),
    ("15", "5", DOWN, "0"),  # floored at 0
    ("7.45", "5", DOWN, "51"),
]
# fmt: on


@pytest.mark.parametrize(("realisasi", "target", "direction", "expected"), CAPAIAN_CASES)
def test_capaian(realisasi: str, target: str, direction: Direction, expected: object) -> None:
    assert capaian(D(realisasi), D(target), direction) == D(str(expected))


@pytest.mark.parametrize("direction", list(Direction))
@pytest.mark.parametrize(
    ("realisasi", "target"), [(None, D(5)), (D(5), None), (D(5), D(0)), (None, None), (D(5), D(-1))]
)
def test_capaian_without_a_target_is_none(
    realisasi: Decimal | None, target: Decimal | None, direction: Direction
) -> None:
    assert capaian(realisasi, target, direction) is None


PREDIKAT_BOUNDS = {
    Predikat.SANGAT_RENDAH: "-10 0 50 50.99 50.994",
    Predikat.RENDAH: "50.995 51 65 65.99",  # 50,995 rounds half-up to 51,00
    Predikat.SEDANG: "66 75 75.99 75.994",
    Predikat.TINGGI: "76 90 90.50 90.99 90.994999",
    Predikat.SANGAT_TINGGI: "90.995 91 100 200",  # 90,995 rounds half-up to 91,00
}


@pytest.mark.parametrize(
    ("value", "expected"),
    [(v, p) for p, values in PREDIKAT_BOUNDS.items() for v in values.split()],
)
def test_predikat_bounds(value: str, expected: Predikat) -> None:
    assert predikat(D(value)) is expected


def test_predikat_of_nothing_is_none() -> None:
    assert predikat(None) is None
    assert predikat(capaian(D(5), D(0), UP)) is None


# Capaian at every boundary the brief names, reached from both directions (target 100).
BOUNDARY_CAPAIAN = {
    "50": Predikat.SANGAT_RENDAH, "50.99": Predikat.SANGAT_RENDAH, "51": Predikat.RENDAH,
    "65": Predikat.RENDAH, "66": Predikat.SEDANG, "75": Predikat.SEDANG, "76": Predikat.TINGGI,
    "90": Predikat.TINGGI, "90.50": Predikat.TINGGI, "90.995": Predikat.SANGAT_TINGGI,
    "91": Predikat.SANGAT_TINGGI,
}  # fmt: skip


@pytest.mark.parametrize("direction", list(Direction))
@pytest.mark.parametrize(("value", "expected"), BOUNDARY_CAPAIAN.items())
def test_predikat_of_capaian_both_directions(
    value: str, expected: Predikat, direction: Direction
) -> None:
    # UP: realisasi = capaian; DOWN: (200 - realisasi) = capaian, so realisasi = 200 - capaian.
    realisasi = D(value) if direction is UP else 200 - D(value)
    result = capaian(realisasi, D(100), direction)
    assert result == D(value)
    assert predikat(result) is expected


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=-1000, max_value=1000, places=6, allow_nan=False))
def test_predikat_is_monotonic_and_total(value: Decimal) -> None:
    order = list(Predikat)[::-1]  # Sangat Rendah .. Sangat Tinggi
    here = predikat(value)
    assert here is not None
    assert order.index(predikat(value + D("0.01")) or here) >= order.index(here)


def test_round2_is_half_up() -> None:
    assert round2(D("0.125")) == D("0.13")
    assert round2(D("90.995")) == D("91.00")
    assert round2(D("-0.125")) == D("-0.13")


def test_count_predikat() -> None:
    counts = count_predikat([D(95), D(91), D(80), None, D(10)])
    assert counts[Predikat.SANGAT_TINGGI] == 2
    assert counts[Predikat.TINGGI] == 1
    assert counts[Predikat.SEDANG] == 0
    assert counts[Predikat.SANGAT_RENDAH] == 1
    assert set(counts) == set(Predikat)


# ---- means, figures to date, absorption ---------------------------------------------------


def test_mean() -> None:
    assert mean([D(100), None, D(50)]) == D(75)
    assert mean([D(125), D(125)]) == D(125)  # uncapped
    assert mean([]) is None
    assert mean([None, None]) is None
    assert mean(iter([D(1), D(2)])) == D("1.5")


QV = (D(10), None, D(30), D(40))


@pytest.mark.parametrize(
    ("aggregation", "quarter", "expected"),
    [
        (Aggregation.SUM, 1, D(10)),
        (Aggregation.SUM, 2, None),  # triwulan II missing: incomplete, never 10 + 0
        (Aggregation.SUM, 3, None),
        (Aggregation.SUM, 4, None),
        (Aggregation.LATEST, 1, D(10)),
        (Aggregation.LATEST, 2, None),  # not entered: no stale value carried forward
        (Aggregation.LATEST, 3, D(30)),
        (Aggregation.LATEST, 4, D(40)),
    ],
)
def test_value_to_date(aggregation: Aggregation, quarter: int, expected: Decimal | None) -> None:
    assert value_to_date(QV, aggregation, quarter) == expected


def test_value_to_date_edges() -> None:
    assert value_to_date((None, None, None, None), Aggregation.SUM, 4) is None
    assert value_to_date((D(0), None, None, None), Aggregation.SUM, 4) is None
    assert value_to_date((D(0), D(0), D(0), D(0)), Aggregation.SUM, 4) == 0
    # A period opened at triwulan II: the missing triwulan I is not read as zero.
    assert value_to_date((None, D(50), None, None), Aggregation.SUM, 2) is None
    assert value_to_date((D(40), D(50), None, None), Aggregation.SUM, 2) == D(90)
    assert value_to_date((None, D(50), None, None), Aggregation.LATEST, 2) == D(50)
    assert value_to_date((D(1),), Aggregation.LATEST, 3) is None  # short input tolerated
    for bad in (0, 5, -1):
        with pytest.raises(ValueError):
            value_to_date(QV, Aggregation.SUM, bad)


def _indicator(aggregation: Aggregation, targets: tuple[Decimal | None, ...]) -> Indicator:
    return Indicator(
        code="1.1",
        name="Peserta pelatihan",
        unit_code="latihan",
        activity_code="a",
        satuan="orang",
        direction=UP,
        aggregation=aggregation,
        target_annual=D(100),
        targets_q=(targets[0], targets[1], targets[2], targets[3]),
    )


def test_target_to_date() -> None:
    flow = _indicator(Aggregation.SUM, (D(10), D(20), None, D(40)))
    assert [target_to_date(flow, q) for q in (1, 2, 3, 4)] == [D(10), D(30), D(30), D(70)]
    stock = _indicator(Aggregation.LATEST, (D(5), D(6), None, D(8)))
    assert [target_to_date(stock, q) for q in (1, 2, 3, 4)] == [D(5), D(6), None, D(8)]
    empty = _indicator(Aggregation.SUM, (None, None, None, None))
    assert target_to_date(empty, 4) is None


def test_absorption() -> None:
    assert absorption(D(250_000), D(1_000_000)) == D(25)
    assert absorption(D(1_500_000), D(1_000_000)) == D(150)  # uncapped
    assert absorption(D(5), D(0)) is None
    assert absorption(D(5), None) is None
    assert absorption(None, D(5)) is None


# ---- formatting ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (D("1250000.5"), None, "1.250.000,5"),
        (1250000.5, None, "1.250.000,5"),
        (1250000, None, "1.250.000"),
        (0.1, None, "0,1"),
        (D("0.10"), None, "0,1"),
        (0, None, "0"),
        (D("-1234.5"), None, "-1.234,5"),
        (D("1E+3"), None, "1.000"),
        (D("75.5"), 2, "75,50"),
        (D("0.125"), 2, "0,13"),  # half-up, not Babel's half-even
        (D("0.135"), 2, "0,14"),
        (D("-0.001"), 2, "0,00"),  # no "-0,00"
        (D("1234.5"), 0, "1.235"),
        (D("1" + "0" * 30 + ".5"), None, "1" + ".000" * 10 + ",5"),  # beyond 28 digits
        (None, None, "–"),
        (float("nan"), None, "–"),
        (float("inf"), 2, "–"),
    ],
)
def test_format_number(value: object, decimals: int | None, expected: str) -> None:
    assert format_number(value, decimals=decimals) == expected  # type: ignore[arg-type]


@given(
    st.decimals(min_value=-(10**15), max_value=10**15, places=4, allow_nan=False),
    st.one_of(st.none(), st.integers(min_value=0, max_value=4)),
)
def test_format_number_is_babels_indonesian_format(value: Decimal, decimals: int | None) -> None:
    """The cached pattern formats as Babel's own ``format_decimal`` does (after our rounding)."""
    places = 10 if decimals is None else decimals
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    fraction = ("0" if decimals is not None else "#") * places
    pattern = "#,##0" + ("." + fraction if fraction else "")
    expected = format_decimal(
        abs(rounded) if rounded == 0 else rounded,
        format=pattern,
        locale="id_ID",
        decimal_quantization=False,
    )
    assert format_number(value, decimals=decimals) == expected


# fmt: off
RUPIAH_CASES = [
    (D(1250000), "Rp1.250.000"), (D("1250000.00"), "Rp1.250.000"),
    (D("1250000.5"), "Rp1.250.000,50"), (D("1250000.75"), "Rp1.250.000,75"),
    (D("1.001"), "Rp1"), (D("1.005"), "Rp1,01"), (0, "Rp0"), (None, "–"),
]
# fmt: on


@pytest.mark.parametrize(("value", "expected"), RUPIAH_CASES)
def test_format_rupiah(value: Decimal | int | None, expected: str) -> None:
    assert format_rupiah(value) == expected


# fmt: off
PERCENT_CASES = [
    (D("75.5"), "75,50%"), (D(125), "125,00%"), (D(100) / 3, "33,33%"),
    (D("90.995"), "91,00%"), (0, "0,00%"), (None, "–"),
]
# fmt: on


@pytest.mark.parametrize(("value", "expected"), PERCENT_CASES)
def test_format_percent(value: Decimal | int | None, expected: str) -> None:
    assert format_percent(value) == expected


# fmt: off
QUANTITY_CASES = [
    (D(120), "orang", "120 orang"), (D("61.2"), "nilai", "nilai 61,2"),
    (D("3.5"), "Indeks", "Indeks 3,5"), (D(80), "skor", "skor 80"),
    (D("20"), "%", "20%"), (D("20.5"), "persen", "20,5%"),
    (D(8470000), "Rp", "Rp8.470.000"), (D(8470000), "rupiah", "Rp8.470.000"),
    (D(7), "", "7"), (D(2), "  dokumen   ", "2 dokumen"), (None, "orang", "–"),
    (D(5), "nilai rata-rata", "nilai rata-rata 5"), (D(5), "nilaian", "5 nilaian"),
]
# fmt: on


@pytest.mark.parametrize(("value", "satuan", "expected"), QUANTITY_CASES)
def test_format_quantity_follows_eyd(value: Decimal | None, satuan: str, expected: str) -> None:
    """A figure with its satuan: the unit first for nilai/indeks/skor, no space before %."""
    assert format_quantity(value, satuan) == expected


def test_format_percent_with_fewer_decimals() -> None:
    assert format_percent(D("66.666"), decimals=1) == "66,7%"


def test_quarter_roman() -> None:
    assert [quarter_roman(q) for q in (1, 2, 3, 4)] == ["I", "II", "III", "IV"]
    for bad in (0, 5, -1):
        with pytest.raises(ValueError):
            quarter_roman(bad)
