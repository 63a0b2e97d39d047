"""The office's working calendar: days, hours and holidays, and working durations. Pure.

"1 hari" in the SOP is one working day; durations are measured only inside office hours on
working days (Indonesian public holidays and declared days off excluded).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("ID", years=year))


@dataclass(frozen=True)
class WorkingCalendar:
    """Office days and hours in the office's time zone."""

    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Jakarta"))
    workdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    day_start: time = time(7, 30)
    day_end: time = time(16, 0)
    extra_days_off: frozenset[date] = frozenset()
    use_public_holidays: bool = True

    @property
    def working_day_length(self) -> timedelta:
        """The length of one working day (8 h 30 min by default)."""
        start = datetime.combine(date(2000, 1, 3), self.day_start)
        return datetime.combine(date(2000, 1, 3), self.day_end) - start

    def is_working_day(self, day: date) -> bool:
        """A weekday that is neither a public holiday nor a declared day off."""
        if day.weekday() not in self.workdays or day in self.extra_days_off:
            return False
        return not (self.use_public_holidays and day in _public_holidays(day.year))

    def _local(self, at: datetime) -> datetime:
        if at.tzinfo is None:
            raise ValueError("working calendar needs aware datetimes")
        return at.astimezone(self.tz)

    def is_working_time(self, at: datetime) -> bool:
        """Inside office hours on a working day."""
        local = self._local(at)
        return self.is_working_day(local.date()) and self.day_start <= local.time() < self.day_end

    def _window(self, day: date) -> tuple[datetime, datetime]:
        return (
            datetime.combine(day, self.day_start, self.tz),
            datetime.combine(day, self.day_end, self.tz),
        )

    def working_duration(self, start: datetime, end: datetime) -> timedelta:
        """Working time between two instants (zero if ``end`` is not after ``start``)."""
        a, b = self._local(start), self._local(end)
        if b <= a:
            return timedelta(0)
        total = timedelta(0)
        day = a.date()
        while day <= b.date():
            if self.is_working_day(day):
                open_, close = self._window(day)
                lo, hi = max(a, open_), min(b, close)
                if hi > lo:
                    total += hi - lo
            day += timedelta(days=1)
        return total

    def add_working(self, start: datetime, duration: timedelta) -> datetime:
        """The instant when ``duration`` of working time has passed after ``start``."""
        at = self._local(start)
        left = duration
        day = at.date()
        for _ in range(3660):  # ten years of days: a bound, not a limit anyone reaches
            if self.is_working_day(day):
                open_, close = self._window(day)
                lo = max(at, open_)
                if lo < close:
                    if lo + left <= close:
                        return lo + left
                    left -= close - lo
            day += timedelta(days=1)
            at = datetime.combine(day, time(0), self.tz)
        raise ValueError("no working time within ten years")

    def next_working_instant(self, at: datetime) -> datetime:
        """``at`` itself during office hours, else the start of the next working period."""
        local = self._local(at)
        if self.is_working_time(local):
            return local
        return (
            self.add_working(local, timedelta(0))
            if self._has_time_left(local)
            else self._next_open(local)
        )

    def _has_time_left(self, local: datetime) -> bool:
        return self.is_working_day(local.date()) and local.time() < self.day_start

    def _next_open(self, local: datetime) -> datetime:
        day = local.date() + timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return self._window(day)[0]


def format_duration(td: timedelta) -> str:
    """Indonesian: "15 menit", "1 jam 5 menit", "0 menit"."""
    minutes = int(td.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} jam")
    if minutes or not hours:
        parts.append(f"{minutes} menit")
    return " ".join(parts)
