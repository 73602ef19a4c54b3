"""Periods of care: how long each lasts, how it ends (home, adoption, 18th birthday), and
one period at a time per child.

Dates are day numbers; NO_DATE means still open at the simulation end.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from synthetic.calendar import NO_DATE, Calendar
from synthetic.calibration import LookedAfterRates
from synthetic.care_starts import ROUTE_STOCK, ROUTE_UASC
from synthetic.journeys import ADULT_AGE_DAYS, non_overlapping
from synthetic.population import DAYS_PER_YEAR, Population
from synthetic.reference import code_mix
from synthetic.rows import Rows


@dataclass(frozen=True)
class CarePeriods(Rows):
    child: np.ndarray
    start: np.ndarray
    end: np.ndarray  # the day care ceased; NO_DATE if open past the simulation end
    route: np.ndarray
    reason: np.ndarray  # REC of the last episode ("" while open)
    adopted: np.ndarray  # ends in adoption (E11/E12)
    placement_order: np.ndarray  # day of the decision to place for adoption, or NO_DATE

    def __len__(self) -> int:
        return self.child.size


def _lognormal_days(
    rng: np.random.Generator, median: float, n: int, sigma: float = 0.8
) -> np.ndarray:
    return np.maximum(np.round(median * np.exp(sigma * rng.standard_normal(n))), 1).astype(np.int64)


def draw_periods(
    rng: np.random.Generator,
    starts: tuple[np.ndarray, ...],
    population: Population,
    calendar: Calendar,
    rates: LookedAfterRates,
) -> CarePeriods:
    child, day, route, _need = starts
    n = child.size
    kind = rng.random(n)
    short = kind < rates.short_share
    medium = ~short & (kind < rates.short_share + rates.medium_share)
    length = np.where(
        short,
        _lognormal_days(rng, rates.short_median_days, n),
        np.where(
            medium,
            _lognormal_days(rng, rates.medium_median_days, n, 0.5),
            _lognormal_days(rng, rates.long_median_days, n, 0.5),
        ),
    )
    stock = route == ROUTE_STOCK
    length = np.where(stock, np.maximum(length, calendar.first_day - day + 30), length)
    adult = population.dob[child] + ADULT_AGE_DAYS
    end = np.minimum(day + length, adult)
    age_start = (day - population.dob[child]) / DAYS_PER_YEAR
    adopted = ~short & ~medium & (age_start < 4) & (route != ROUTE_UASC)
    end = np.where(adopted, np.minimum(day + np.maximum(length, 420), adult), end)
    reason = np.where(
        short,
        code_mix("cla_ceased_short").draw(rng, n),
        code_mix("cla_ceased_medium").draw(rng, n),
    ).astype(object)
    reason[~short & ~medium] = code_mix("cla_ceased_medium").draw(
        rng, int((~short & ~medium).sum())
    )
    reason[adopted] = np.where(rng.random(int(adopted.sum())) < 0.3, "E11", "E12")
    at_adult = end >= adult
    reason[at_adult] = code_mix("cla_ceased_adult").draw(rng, int(at_adult.sum()))
    placement_order = np.where(adopted, end - 180 - rng.integers(0, 240, n), NO_DATE)
    placement_order = np.where(adopted, np.maximum(placement_order, day + 60), placement_order)
    open_ = end > calendar.last_day
    end = np.where(open_, NO_DATE, end)
    reason[open_] = ""
    periods = CarePeriods(child, day, end, route, reason, adopted & ~open_, placement_order)
    # A child is in one period of care at a time: keep each that starts after the last ended.
    return periods.take(non_overlapping(periods.child, periods.start, periods.end))
