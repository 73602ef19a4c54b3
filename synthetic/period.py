"""The period a generation run covers, and the collection years that fall in it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from synthetic.calendar import add_months, month_end, parse_month, to_day

# Journeys start this long before the period so that children already known to social
# care at its start (open episodes, plans) appear in the first year's return.
BURN_IN_YEARS = 3


@dataclass(frozen=True)
class Period:
    start: date  # first day of the first month
    end: date  # last day of the last month

    @classmethod
    def from_months(cls, start: str, end: str) -> Period:
        first, last = parse_month(start), month_end(parse_month(end))
        if last < first:
            raise ValueError(f"end {end} is before start {start}")
        return cls(first, last)

    @property
    def simulation_start(self) -> date:
        return date(self.start.year - BURN_IN_YEARS, self.start.month, 1)

    @property
    def start_day(self) -> int:
        return to_day(self.start)

    @property
    def end_day(self) -> int:
        return to_day(self.end)

    def months(self) -> list[date]:
        """First day of every month from start to end inclusive."""
        count = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
        return [add_months(self.start, k) for k in range(count)]

    def collection_years(self) -> list[int]:
        """Years whose census reference date (31 March) falls inside the period."""
        years = range(self.start.year, self.end.year + 1)
        return [y for y in years if self.start <= date(y, 3, 31) <= self.end]
