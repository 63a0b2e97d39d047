"""The office's working calendar: days, hours, holidays, and working time between instants. Pure.

The SOP's time standards (*mutu baku waktu*) count office time only: "1 hari" is one working
day (``WorkingCalendar.working_day_length``), and a step started on Friday evening has not
waited over the weekend. Days off are weekends, Indonesian public holidays and, by default,
the *cuti bersama* (joint leave days the government sets each year for its staff), both from
the ``holidays`` package, plus any ``extra_days_off`` the agency declares.

All arithmetic is done in UTC and converted at the edges, so a time zone with daylight saving
time would still give exact durations (Indonesia's own zones have none).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from bot.numbers_format import format_number

JAKARTA = ZoneInfo("Asia/Jakarta")
_ZERO = timedelta(0)
_ONE_DAY = timedelta(days=1)
_SEARCH_DAYS = 3660  # ten years without a working day means the calendar is broken


@lru_cache(maxsize=128)
def _holidays(year: int, joint_leave: bool) -> frozenset[date]:
    """Indonesia's public holidays (and cuti bersama) of one year, computed once per year."""
    categories = ("public", "government") if joint_leave else ("public",)
    return frozenset(holidays.country_holidays("ID", years=year, categories=categories))


@dataclass(frozen=True)
class WorkingCalendar:
    """Office days and hours in the office's time zone."""

    tz: ZoneInfo = field(default=JAKARTA)
    workdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday = 0
    day_start: time = time(7, 30)
    day_end: time = time(16, 0)
    extra_days_off: frozenset[date] = frozenset()
    use_public_holidays: bool = True
    use_joint_leave: bool = True  # cuti bersama; only applies with use_public_holidays

    def __post_init__(self) -> None:
        if not self.workdays or not self.workdays <= frozenset(range(7)):
            raise ValueError("workdays must be a non-empty subset of 0..6 (Monday = 0)")
        if self.day_start.tzinfo is not None or self.day_end.tzinfo is not None:
            raise ValueError("day_start and day_end are wall-clock times without a zone")
        if self.day_start >= self.day_end:
            raise ValueError("day_start must be before day_end")

    @property
    def working_day_length(self) -> timedelta:
        """The length of one working day ("1 hari"): 8 h 30 min by default."""
        anchor = date(2001, 1, 1)
        return datetime.combine(anchor, self.day_end) - datetime.combine(anchor, self.day_start)

    def is_working_day(self, d: date) -> bool:
        """A workday that is neither a holiday nor a declared day off."""
        if isinstance(d, datetime):
            d = self._local(d).date()  # an instant counts on the office's own date
        if d.weekday() not in self.workdays or d in self.extra_days_off:
            return False
        return not (self.use_public_holidays and d in _holidays(d.year, self.use_joint_leave))

    def is_working_time(self, at: datetime) -> bool:
        """Inside office hours (start included, end excluded) on a working day."""
        local = self._local(at)
        return self.is_working_day(local.date()) and self.day_start <= local.time() < self.day_end

    def working_duration(self, start: datetime, end: datetime) -> timedelta:
        """Working time between two aware instants; zero when ``end`` is not after ``start``."""
        a, b = _utc(start), _utc(end)
        if b <= a:
            return _ZERO
        total = _ZERO
        # One step per calendar day, never per minute: a year is 366 cheap iterations.
        day = self._local(a).date()
        last = self._local(b).date()
        while day <= last:
            window = self._window(day)
            if window is not None:
                lo, hi = max(a, window[0]), min(b, window[1])
                if hi > lo:
                    total += hi - lo
            day += _ONE_DAY
        return total

    def add_working(self, start: datetime, duration: timedelta) -> datetime:
        """The earliest instant at which ``duration`` of working time has passed since ``start``.

        A zero duration gives ``start`` itself; an end falling exactly on closing time stays on
        that day rather than moving to the next morning.
        """
        if duration < _ZERO:
            raise ValueError("duration must not be negative")
        at = _utc(start)
        if duration == _ZERO:
            return at.astimezone(self.tz)
        left = duration
        for window in self._windows_from(at):
            lo = max(at, window[0])
            if lo < window[1]:
                if lo + left <= window[1]:
                    return (lo + left).astimezone(self.tz)
                left -= window[1] - lo
        raise AssertionError("unreachable: _windows_from never ends")

    def next_working_instant(self, at: datetime) -> datetime:
        """``at`` itself during office hours, else the opening of the next working period."""
        moment = _utc(at)
        for window in self._windows_from(moment):
            if moment < window[1]:
                return max(moment, window[0]).astimezone(self.tz)
        raise AssertionError("unreachable: _windows_from never ends")

    def _local(self, at: datetime) -> datetime:
        return _utc(at).astimezone(self.tz)

    def _windows_from(self, moment: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Office hours of every working day from ``moment``'s local date on, endlessly."""
        day = self._local(moment).date()
        idle = 0
        while True:
            window = self._window(day)
            if window is not None:
                idle = 0
                yield window
            else:
                idle += 1
                # A calendar whose declared days off cover years would otherwise loop forever.
                if idle > _SEARCH_DAYS:
                    raise ValueError(f"no working day within {_SEARCH_DAYS} days of {day}")
            day += _ONE_DAY

    def _window(self, day: date) -> tuple[datetime, datetime] | None:
        """Office hours of ``day`` as UTC instants, or None on a day off."""
        if not self.is_working_day(day):
            return None
        opens = datetime.combine(day, self.day_start, self.tz).astimezone(UTC)
        closes = datetime.combine(day, self.day_end, self.tz).astimezone(UTC)
        return opens, closes


def _utc(at: datetime) -> datetime:
    """The instant in UTC; naive datetimes are refused, since their zone would be a guess."""
    if not isinstance(at, datetime):
        raise TypeError(f"expected a datetime, not {type(at).__name__}")
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("working calendar needs aware datetimes")
    return at.astimezone(UTC)


def format_duration(td: timedelta, *, day: timedelta = _ONE_DAY) -> str:
    """Indonesian, to the minute (floored): "15 menit", "1 jam 5 menit", "2 hari 3 jam".

    ``day`` is how long one "hari" is: 24 hours by default; pass
    ``calendar.working_day_length`` to count working days.
    """
    if day <= _ZERO:
        raise ValueError("a day must be longer than zero")
    sign = "-" if td < _ZERO else ""
    minutes = int(abs(td).total_seconds() // 60)
    day_minutes = int(day.total_seconds() // 60)
    if day_minutes == 0:
        raise ValueError("a day must last at least a minute")
    days, minutes = divmod(minutes, day_minutes)
    hours, minutes = divmod(minutes, 60)
    parts = [
        f"{format_number(count)} {unit}"
        for count, unit in ((days, "hari"), (hours, "jam"), (minutes, "menit"))
        if count
    ]
    return sign + (" ".join(parts) if parts else "0 menit")
