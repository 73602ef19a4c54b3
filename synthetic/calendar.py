"""Days, months, bank holidays and school holidays for the simulation.

Dates inside the generator are integer day numbers (days since 1970-01-01, the same
count numpy uses for ``datetime64[D]``), so whole arrays of dates can be shifted,
compared and sorted as integers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

EPOCH = date(1970, 1, 1)

# "Never happens" / "still open": later than any date we simulate, still fits in int64
# arithmetic without overflow.
NO_DATE = 10**8

# One-off English bank holidays that no rule predicts (moved or extra days).
_SPECIAL_BANK_HOLIDAYS = {
    2020: ([date(2020, 5, 8)], [date(2020, 5, 4)]),
    2022: ([date(2022, 6, 2), date(2022, 6, 3), date(2022, 9, 19)], [date(2022, 5, 30)]),
    2023: ([date(2023, 5, 8)], []),
}


def to_day(d: date) -> int:
    return (d - EPOCH).days


def from_day(day: int) -> date:
    return EPOCH + timedelta(days=int(day))


def parse_month(text: str) -> date:
    """'YYYY-MM' -> first day of that month."""
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        return date(year, month, 1)
    except ValueError as exc:
        raise ValueError(f"expected a month as YYYY-MM, got {text!r}") from exc


def month_end(first: date) -> date:
    nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_index(days: np.ndarray) -> np.ndarray:
    """Absolute month number (year * 12 + month - 1) of each day number."""
    months = np.asarray(days).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return months + 1970 * 12


def collection_year(days: np.ndarray | int) -> np.ndarray:
    """CIN collection year (the year of the 31 March that ends it) of each day number, or
    of one day number as a numpy scalar."""
    months = month_index(days)
    year, month0 = np.divmod(months, 12)
    return year + (month0 >= 3)


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (Meeus/Jones/Butcher computus)."""
    golden = year % 19
    century, year_in_century = divmod(year, 100)
    leap_c, rem_c = divmod(century, 4)
    moon_correction = (century + 8) // 25
    solar = (century - moon_correction + 1) // 3
    epact = (19 * golden + century - leap_c - solar + 15) % 30
    leap_y, rem_y = divmod(year_in_century, 4)
    weekday = (32 + 2 * rem_c + 2 * leap_y - epact - rem_y) % 7
    shift = (golden + 11 * epact + 22 * weekday) // 451
    month, day = divmod(epact + weekday - 7 * shift + 114, 31)
    return date(year, month, day + 1)


def _first_weekday(year: int, month: int, weekday: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7)


def _last_weekday(year: int, month: int, weekday: int) -> date:
    last = month_end(date(year, month, 1))
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _substitute(day: date, taken: set[date]) -> date:
    while day.weekday() >= 5 or day in taken:
        day += timedelta(days=1)
    return day


def bank_holidays_england(year: int) -> list[date]:
    easter = easter_sunday(year)
    days = [
        _substitute(date(year, 1, 1), set()),
        easter - timedelta(days=2),
        easter + timedelta(days=1),
        _first_weekday(year, 5, 0),
        _last_weekday(year, 5, 0),
        _last_weekday(year, 8, 0),
    ]
    christmas = _substitute(date(year, 12, 25), set())
    boxing = _substitute(date(year, 12, 26), {christmas})
    days += [christmas, boxing]
    extra, removed = _SPECIAL_BANK_HOLIDAYS.get(year, ([], []))
    return sorted((set(days) - set(removed)) | set(extra))


def _school_holidays(year: int) -> list[tuple[date, date]]:
    """Typical English state-school holidays starting in a calendar year (inclusive ranges).

    Term dates differ by authority and year; these follow the usual pattern closely enough
    to give school referrals their real shape (troughs at Easter, summer and Christmas).
    """
    good_friday = easter_sunday(year) - timedelta(days=2)
    feb_half = _first_weekday(year, 2, 0) + timedelta(days=7)
    may_half = _last_weekday(year, 5, 0)
    oct_half = _last_weekday(year, 10, 0)
    return [
        (date(year, 1, 1), date(year, 1, 3)),
        (feb_half, feb_half + timedelta(days=4)),
        (good_friday - timedelta(days=4), good_friday + timedelta(days=7)),
        (may_half, may_half + timedelta(days=4)),
        (date(year, 7, 22), date(year, 9, 3)),
        (oct_half, oct_half + timedelta(days=4)),
        (date(year, 12, 21), date(year, 12, 31)),
    ]


@dataclass(frozen=True)
class Calendar:
    """Per-day facts for every day of the simulation window [first_day, last_day]."""

    first_day: int
    last_day: int
    weekend: np.ndarray
    bank_holiday: np.ndarray
    school_holiday: np.ndarray
    month: np.ndarray
    holidays: np.ndarray  # bank holidays as datetime64[D], for numpy's business-day functions

    @classmethod
    def build(cls, first: date, last: date) -> Calendar:
        first_day, last_day = to_day(first), to_day(last)
        days = np.arange(first_day, last_day + 1)
        # Working-day arithmetic can run past the window (authorisation after the end).
        years = range(first.year - 1, last.year + 4)
        bank = np.array([d for y in years for d in bank_holidays_england(y)], dtype="datetime64[D]")
        bank_days = bank.astype(np.int64)
        school = np.zeros(days.size, dtype=bool)
        for year in years:
            for lo, hi in _school_holidays(year):
                a, b = to_day(lo) - first_day, to_day(hi) - first_day
                school[max(a, 0) : max(b + 1, 0)] = True
        return cls(
            first_day=first_day,
            last_day=last_day,
            weekend=((days + 3) % 7) >= 5,  # 1970-01-01 was a Thursday
            bank_holiday=np.isin(days, bank_days),
            school_holiday=school,
            month=month_index(days),
            holidays=bank,
        )

    @property
    def n_days(self) -> int:
        return self.last_day - self.first_day + 1

    def add_working_days(self, days: np.ndarray, n: np.ndarray) -> np.ndarray:
        """The n-th English working day after each day (n=0 rolls a non-working day forward)."""
        start = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
        moved = np.busday_offset(start, n, roll="forward", holidays=self.holidays)
        return moved.astype(np.int64)

    def next_working_day(self, days: np.ndarray) -> np.ndarray:
        return self.add_working_days(days, np.zeros(np.shape(days), dtype=np.int64))


def iso_dates(first_day: int, last_day: int) -> np.ndarray:
    """ISO strings for a range of day numbers, as an object array indexed by day - first_day."""
    days = np.arange(first_day, last_day + 1).astype("datetime64[D]")
    return np.datetime_as_string(days).astype(object)
