"""Children looked after: periods of care, their episodes, reviews and missing episodes.

Children start to be looked after from their CIN journeys: mostly during a child
protection plan, some straight after a section 47 enquiry (police protection or an
emergency order), a few from a CIN plan; plus a few unaccompanied asylum-seeking children
and, at the simulation start, children already in care for years. A period of care is cut
into SSDA903 episodes at every change of legal status or placement. Starts are calibrated
per collection year to a rate per 10,000 (or an authority's published numbers) before the
scenario's monthly multipliers, which then shape the months (the lockdown fall).

Where starts come from: synthetic/care_starts.py; how long a period lasts and how it
ends: synthetic/care_periods.py; its SSDA903 episodes: synthetic/care_episodes.py.

Dates are day numbers; NO_DATE means still open.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from synthetic.calendar import NO_DATE, Calendar, collection_year
from synthetic.calibration import LookedAfterRates
from synthetic.care_episodes import CareEpisodes, draw_episodes
from synthetic.care_periods import CarePeriods, draw_periods
from synthetic.care_starts import (
    ROUTE_CIN,
    ROUTE_CPP,
    ROUTE_S47,
    ROUTE_STOCK,
    age_reweight,
    initial_stock,
    journey_candidates,
    uasc_starts,
)
from synthetic.journeys import Episodes
from synthetic.period import Period
from synthetic.population import DAYS_PER_YEAR, Population
from synthetic.reference import code_mix


@dataclass(frozen=True)
class LookedAfter:
    periods: CarePeriods
    episodes: CareEpisodes
    review_child: np.ndarray
    review_day: np.ndarray
    review_code: np.ndarray
    missing_child: np.ndarray
    missing_start: np.ndarray
    missing_end: np.ndarray
    missing_kind: np.ndarray


def simulate_looked_after(
    rng: np.random.Generator,
    cin: Episodes,
    population: Population,
    calendar: Calendar,
    period: Period,
    rates: LookedAfterRates,
    shock: np.ndarray,
    children: int,
    year_targets: dict[int, float] | None = None,
) -> LookedAfter:
    """shock: multiplier per calendar day (index day - calendar.first_day) on care starts."""
    cand_child, cand_day, cand_route, cand_need = journey_candidates(rng, cin, population, rates)
    cand_day = np.maximum(cand_day, population.dob[cand_child])
    age = (cand_day - population.dob[cand_child]) / DAYS_PER_YEAR
    ok = (age < 17.8) & (cand_day >= calendar.first_day) & (cand_day <= calendar.last_day)
    cand_child, cand_day, cand_route, cand_need, age = (
        a[ok] for a in (cand_child, cand_day, cand_route, cand_need, age)
    )
    weight = age_reweight(
        np.where(cand_route == ROUTE_CPP, rates.weight_cpp, 0.0)
        + np.where(cand_route == ROUTE_S47, rates.weight_s47_only, 0.0)
        + np.where(cand_route == ROUTE_CIN, rates.weight_cin_plan, 0.0),
        age,
        rates,
    )
    day_shock = shock[cand_day - calendar.first_day]
    year = collection_year(cand_day)
    target_per_year = rates.starts_per_10k * children / 10_000 * (1 - rates.uasc_share)
    u = rng.random(cand_day.size)
    # Per collection year, scale the weights so the expected starts meet the target;
    # repeat after overlaps are removed (a child already in care cannot start again).
    scale = {}
    for y in np.unique(year).tolist():
        in_year = year == y
        base = weight[in_year] * (day_shock[in_year] if year_targets else 1.0)
        target = (year_targets or {}).get(y, target_per_year)
        scale[y] = target / max(base.sum(), 1e-9)
    for _ in range(3):
        prob = weight * day_shock * np.vectorize(scale.get, otypes=[float])(year)
        chosen = np.flatnonzero(u < prob)
        starts = tuple(a[chosen] for a in (cand_child, cand_day, cand_route, cand_need))
        periods_try = draw_periods(rng, starts, population, calendar, rates)
        kept_year = collection_year(periods_try.start[periods_try.route != ROUTE_STOCK])
        for y in scale:
            got = int((kept_year == y).sum())
            target = (year_targets or {}).get(y, target_per_year)
            want = target if year_targets else target * _mean_shock_year(day_shock, year, y)
            if got > 0:
                scale[y] *= float(np.clip(want / got, 0.8, 1.25))
    uasc = uasc_starts(rng, population, calendar, rates, shock, children)
    stock = initial_stock(rng, population, calendar, rates, children)
    starts = tuple(np.concatenate(parts) for parts in zip(starts, uasc, stock, strict=True))
    periods = draw_periods(rng, starts, population, calendar, rates)
    episodes = draw_episodes(rng, periods, population, rates)
    reviews = _reviews(rng, periods, population, calendar)
    missing = _missing(rng, periods, population, calendar, rates)
    return LookedAfter(periods, episodes, *reviews, *missing)


def _mean_shock_year(day_shock: np.ndarray, year: np.ndarray, y: int) -> float:
    sel = year == y
    return float(day_shock[sel].mean()) if sel.any() else 1.0


def _reviews(
    rng: np.random.Generator, periods: CarePeriods, population: Population, calendar: Calendar
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """20 working days after the start, three months later, then every six months."""
    stop = np.where(periods.end == NO_DATE, calendar.last_day, periods.end)
    first = calendar.add_working_days(periods.start, np.full(len(periods), 20))
    span = stop - first
    count = np.where(span < 0, 0, 1 + np.where(span >= 91, 1 + (span - 91) // 182, 0))
    idx = np.repeat(np.arange(len(periods)), count)
    k = np.arange(idx.size) - np.repeat(np.cumsum(count) - count, count)
    day = (
        first[idx]
        + np.where(k == 0, 0, 91 + (k - 1) * 182)
        + rng.integers(-7, 8, idx.size) * (k > 0)
    )
    day = np.minimum(day, stop[idx])
    child = periods.child[idx]
    age = (day - population.dob[child]) / DAYS_PER_YEAR
    code = code_mix("cla_review_code").draw(rng, idx.size).astype(object)
    code[age < 4] = "PN0"
    return child, day, code


def _missing(
    rng: np.random.Generator,
    periods: CarePeriods,
    population: Population,
    calendar: Calendar,
    rates: LookedAfterRates,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    stop = np.where(periods.end == NO_DATE, calendar.last_day, periods.end)
    age = (periods.start - population.dob[periods.child]) / DAYS_PER_YEAR
    years = np.maximum(stop - periods.start, 0) / DAYS_PER_YEAR
    misser = (age >= 10) & (rng.random(len(periods)) < rates.misser_share_teen)
    lam = np.where(misser, rates.missing_per_year_misser, rates.missing_per_year_other)
    lam = np.where(age >= 10, lam, 0.0) * years
    count = rng.poisson(lam)
    idx = np.repeat(np.arange(len(periods)), count)
    start = periods.start[idx] + (rng.random(idx.size) * (stop[idx] - periods.start[idx])).astype(
        np.int64
    )
    length = np.minimum(rng.geometric(0.6, idx.size) - 1, 30)
    end = np.minimum(start + length, stop[idx])
    kind = np.where(rng.random(idx.size) < 0.85, "M", "A").astype(object)
    return periods.child[idx], start, end, kind
