"""The working calendar: office days and hours, holidays, working durations (bot/calendar.py)."""

from __future__ import annotations

import time as clock
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.calendar import WorkingCalendar, format_duration

WIB = ZoneInfo("Asia/Jakarta")
WIT = ZoneInfo("Asia/Jayapura")
CAL = WorkingCalendar()
H = timedelta(hours=1)
M = timedelta(minutes=1)
DAY = timedelta(hours=8, minutes=30)


def at(day: int, hour: int = 0, minute: int = 0, month: int = 8, year: int = 2026) -> datetime:
    """A Jakarta instant; August 2026 by default (17 Aug, a Monday, is Independence Day)."""
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


def test_defaults() -> None:
    assert CAL.tz == WIB
    assert CAL.workdays == frozenset(range(5))
    assert (CAL.day_start, CAL.day_end) == (time(7, 30), time(16, 0))
    assert CAL.working_day_length == DAY


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 8, 14), True),  # Friday
        (date(2026, 8, 15), False),  # Saturday
        (date(2026, 8, 16), False),  # Sunday
        (date(2026, 8, 17), False),  # Independence Day (Monday)
        (date(2026, 8, 18), True),
        (date(2026, 1, 1), False),  # New Year
        (date(2026, 12, 25), False),  # Christmas
        (date(2026, 3, 20), False),  # cuti bersama Idul Fitri
        (date(2026, 3, 24), False),  # cuti bersama Idul Fitri
        (date(2026, 3, 25), True),
    ],
)
def test_is_working_day(day: date, working: bool) -> None:
    assert CAL.is_working_day(day) is working


def test_holiday_switches() -> None:
    no_joint = WorkingCalendar(use_joint_leave=False)
    assert no_joint.is_working_day(date(2026, 3, 20))
    assert not no_joint.is_working_day(date(2026, 8, 17))
    no_holidays = WorkingCalendar(use_public_holidays=False)
    assert no_holidays.is_working_day(date(2026, 8, 17))
    assert not no_holidays.is_working_day(date(2026, 8, 15))
    declared = WorkingCalendar(extra_days_off=frozenset({date(2026, 8, 18)}))
    assert not declared.is_working_day(date(2026, 8, 18))
    six_days = WorkingCalendar(workdays=frozenset(range(6)))
    assert six_days.is_working_day(date(2026, 8, 15))


def test_is_working_day_of_an_instant_uses_the_office_date() -> None:
    # 2026-08-14 20:00 UTC is already Saturday 03:00 in Jakarta.
    assert not CAL.is_working_day(datetime(2026, 8, 14, 20, 0, tzinfo=UTC))
    assert CAL.is_working_day(datetime(2026, 8, 14, 16, 0, tzinfo=UTC))


@pytest.mark.parametrize(
    ("instant", "working"),
    [
        (at(18, 7, 29), False),
        (at(18, 7, 30), True),
        (at(18, 12), True),
        (at(18, 15, 59), True),
        (at(18, 16), False),  # closing time itself is outside
        (at(18, 23), False),
        (at(18, 3), False),
        (at(15, 10), False),  # Saturday
        (at(17, 10), False),  # holiday
        (datetime(2026, 8, 18, 1, 0, tzinfo=UTC), True),  # 08:00 WIB
        (datetime(2026, 8, 18, 9, 0, tzinfo=UTC), False),  # 16:00 WIB
        (datetime(2026, 8, 18, 10, 0, tzinfo=WIT), True),  # 08:00 WIB
    ],
)
def test_is_working_time(instant: datetime, working: bool) -> None:
    assert CAL.is_working_time(instant) is working


def test_naive_datetimes_are_refused() -> None:
    naive = datetime(2026, 8, 18, 10, 0)
    with pytest.raises(ValueError):
        CAL.is_working_time(naive)
    with pytest.raises(ValueError):
        CAL.working_duration(naive, at(19))
    with pytest.raises(ValueError):
        CAL.working_duration(at(17), naive)
    with pytest.raises(ValueError):
        CAL.add_working(naive, H)
    with pytest.raises(ValueError):
        CAL.next_working_instant(naive)


@pytest.mark.parametrize(
    ("kwargs"),
    [
        {"workdays": frozenset()},
        {"workdays": frozenset({7})},
        {"day_start": time(16), "day_end": time(8)},
        {"day_start": time(8), "day_end": time(8)},
    ],
)
def test_invalid_calendars_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        WorkingCalendar(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (at(18, 8), at(18, 9, 15), H + 15 * M),
        (at(18, 6), at(18, 8), 30 * M),  # before opening counts from 07:30
        (at(18, 15), at(18, 20), H),  # after closing counts nothing
        (at(18, 7, 30), at(18, 16), DAY),
        (at(18, 0), at(19, 0), DAY),
        (at(18, 15), at(19, 8), H + 30 * M),  # across a night
        (at(14, 15), at(18, 8), H + 30 * M),  # Friday to Tuesday over weekend + holiday
        (at(15, 9), at(16, 15), timedelta(0)),  # a weekend
        (at(17, 9), at(17, 15), timedelta(0)),  # a holiday
        (at(18, 9), at(18, 9), timedelta(0)),
        (at(19, 9), at(18, 9), timedelta(0)),  # end before start
        (at(1), at(1, month=9), 19 * DAY),  # August 2026: 21 weekdays, 17th and 25th off
        (at(1, month=1), at(1, year=2027, month=1), 240 * DAY),
        (
            datetime(2026, 8, 18, 1, 0, tzinfo=UTC),  # 08:00 WIB
            datetime(2026, 8, 18, 11, 0, tzinfo=WIT),  # 09:00 WIB
            H,
        ),
    ],
)
def test_working_duration(start: datetime, end: datetime, expected: timedelta) -> None:
    assert CAL.working_duration(start, end) == expected


def test_working_duration_is_fast() -> None:
    began = clock.perf_counter()
    for _ in range(50):
        CAL.working_duration(at(1, month=1, year=2025), at(31, month=12, year=2027))
    assert clock.perf_counter() - began < 1.0


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        (at(18, 8), H, at(18, 9)),
        (at(18, 6), H, at(18, 8, 30)),
        (at(18, 8), 8 * H, at(18, 16)),  # ends exactly at closing: stays that day
        (at(18, 8), 8 * H + M, at(19, 7, 31)),
        (at(18, 10), DAY, at(19, 10)),
        (at(14, 15), 2 * H, at(18, 8, 30)),  # Friday over the weekend and the holiday
        (at(14, 20), DAY, at(18, 16)),  # a step opened on Friday evening: 1 hari
        (at(15, 10), 15 * M, at(18, 7, 45)),
        (at(18, 9), 5 * DAY, at(26, 9)),  # 25 August 2026 is Maulid Nabi
        (at(15, 10), timedelta(0), at(15, 10)),  # nothing to wait for
    ],
)
def test_add_working(start: datetime, duration: timedelta, expected: datetime) -> None:
    result = CAL.add_working(start, duration)
    assert result == expected
    assert result.tzinfo == WIB


def test_add_working_refuses_a_negative_duration() -> None:
    with pytest.raises(ValueError):
        CAL.add_working(at(18, 9), -M)


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (at(18, 9), at(18, 9)),
        (at(18, 7, 30), at(18, 7, 30)),
        (at(18, 6), at(18, 7, 30)),
        (at(18, 16), at(19, 7, 30)),
        (at(14, 17), at(18, 7, 30)),  # Friday evening → Tuesday (Monday is a holiday)
        (at(15, 12), at(18, 7, 30)),
        (datetime(2026, 8, 18, 2, 0, tzinfo=UTC), at(18, 9)),
    ],
)
def test_next_working_instant(instant: datetime, expected: datetime) -> None:
    result = CAL.next_working_instant(instant)
    assert result == expected
    assert result.tzinfo == WIB


def test_a_calendar_without_working_days_fails_instead_of_looping() -> None:
    mondays = frozenset(date(2026, 8, 17) + timedelta(weeks=w) for w in range(600))
    cal = WorkingCalendar(workdays=frozenset({0}), extra_days_off=mondays)
    with pytest.raises(ValueError):
        cal.next_working_instant(at(18, 9))
    with pytest.raises(ValueError):
        cal.add_working(at(18, 9), H)


def test_another_time_zone_and_hours() -> None:
    cal = WorkingCalendar(tz=WIT, day_start=time(8), day_end=time(15), use_public_holidays=False)
    assert cal.working_day_length == 7 * H
    start = datetime(2026, 8, 14, 14, 0, tzinfo=WIT)
    assert cal.add_working(start, 2 * H) == datetime(2026, 8, 17, 9, 0, tzinfo=WIT)


def test_a_zone_with_daylight_saving_time() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    cal = WorkingCalendar(tz=berlin, day_start=time(1), day_end=time(5), use_public_holidays=False)
    # 29 March 2026: clocks go from 02:00 to 03:00, but it is a Sunday; 30 March is normal.
    friday = datetime(2026, 3, 27, 4, 0, tzinfo=berlin)
    monday = datetime(2026, 3, 30, 2, 0, tzinfo=berlin)
    assert cal.working_duration(friday, monday) == 2 * H
    six_days = WorkingCalendar(
        tz=berlin,
        workdays=frozenset(range(7)),
        day_start=time(1),
        day_end=time(5),
        use_public_holidays=False,
    )
    sunday = date(2026, 3, 29)
    # That Sunday's office hours 01:00-05:00 last only three real hours.
    start = datetime.combine(sunday, time(0), berlin)
    end = datetime.combine(sunday, time(12), berlin)
    assert six_days.working_duration(start, end) == 3 * H
    assert six_days.add_working(start, 3 * H) == datetime.combine(sunday, time(5), berlin)


# ---- properties ---------------------------------------------------------------------------

instants = st.datetimes(
    min_value=datetime(2025, 12, 1), max_value=datetime(2027, 1, 31), timezones=st.just(WIB)
)
durations = st.timedeltas(min_value=timedelta(0), max_value=30 * DAY)


@settings(max_examples=200, deadline=None)
@given(instants, instants, instants)
def test_duration_is_additive(a: datetime, b: datetime, c: datetime) -> None:
    a, b, c = sorted((a, b, c))
    assert CAL.working_duration(a, b) + CAL.working_duration(b, c) == CAL.working_duration(a, c)


@settings(max_examples=200, deadline=None)
@given(instants, instants)
def test_duration_is_bounded_and_zero_backwards(a: datetime, b: datetime) -> None:
    a, b = sorted((a, b))
    assert timedelta(0) <= CAL.working_duration(a, b) <= b - a
    assert CAL.working_duration(b, a) == timedelta(0)


@settings(max_examples=200, deadline=None)
@given(instants, durations)
def test_add_working_inverts_working_duration(start: datetime, duration: timedelta) -> None:
    end = CAL.add_working(start, duration)
    assert CAL.working_duration(start, end) == duration
    if duration:  # the earliest such instant: a moment earlier is not enough
        assert CAL.working_duration(start, end - timedelta(microseconds=1)) < duration
        assert CAL.is_working_time(end - timedelta(microseconds=1))


@settings(max_examples=200, deadline=None)
@given(instants, instants)
def test_working_duration_then_add_working_lands_no_later(a: datetime, b: datetime) -> None:
    a, b = sorted((a, b))
    landed = CAL.add_working(a, CAL.working_duration(a, b))
    assert landed <= b
    assert CAL.working_duration(landed, b) == timedelta(0)


@settings(max_examples=200, deadline=None)
@given(instants)
def test_next_working_instant_is_working_and_skips_nothing(instant: datetime) -> None:
    nxt = CAL.next_working_instant(instant)
    assert nxt >= instant
    assert CAL.is_working_time(nxt)
    assert CAL.working_duration(instant, nxt) == timedelta(0)


# ---- format_duration ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("td", "expected"),
    [
        (timedelta(0), "0 menit"),
        (timedelta(seconds=59), "0 menit"),
        (timedelta(minutes=15), "15 menit"),
        (timedelta(minutes=15, seconds=59), "15 menit"),  # floored to the minute
        (H, "1 jam"),
        (H + 5 * M, "1 jam 5 menit"),
        (timedelta(days=2, hours=3), "2 hari 3 jam"),
        (timedelta(days=1, minutes=1), "1 hari 1 menit"),
        (timedelta(days=1500), "1.500 hari"),
        (-15 * M, "-15 menit"),
    ],
)
def test_format_duration(td: timedelta, expected: str) -> None:
    assert format_duration(td) == expected


@pytest.mark.parametrize(
    ("td", "expected"),
    [
        (DAY, "1 hari"),
        (10 * H, "1 hari 1 jam 30 menit"),
        (8 * H, "8 jam"),
        (3 * DAY + 15 * M, "3 hari 15 menit"),
    ],
)
def test_format_duration_in_working_days(td: timedelta, expected: str) -> None:
    assert format_duration(td, day=CAL.working_day_length) == expected


def test_format_duration_needs_a_real_day() -> None:
    with pytest.raises(ValueError):
        format_duration(H, day=timedelta(0))
    with pytest.raises(ValueError):
        format_duration(H, day=timedelta(seconds=30))
