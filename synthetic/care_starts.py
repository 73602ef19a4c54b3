"""Where periods of care begin: candidate days from CIN journeys, UASC arrivals, and the
children already in care at the simulation start.

A start's route says where it came from; the looked-after model weights the journey routes
and scales them per collection year (synthetic/looked_after.py).
"""

from __future__ import annotations

import numpy as np

from synthetic.calendar import NO_DATE, Calendar
from synthetic.calibration import LookedAfterRates
from synthetic.journeys import Episodes
from synthetic.population import DAYS_PER_YEAR, Population
from synthetic.reference import code_mix

ROUTE_CPP, ROUTE_S47, ROUTE_CIN, ROUTE_UASC, ROUTE_STOCK = range(5)


def journey_candidates(
    rng: np.random.Generator, cin: Episodes, population: Population, rates: LookedAfterRates
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    n = len(cin)
    has_cpp = cin.cpp_start != NO_DATE
    s47_only = (cin.s47_start != NO_DATE) & ~has_cpp
    cin_plan = (cin.plan_start != NO_DATE) & ~has_cpp
    u = rng.random(n)
    cpp_day = cin.cpp_start + (u * np.maximum(cin.cpp_end - cin.cpp_start, 1) * 0.6).astype(
        np.int64
    )
    s47_day = cin.s47_start + (u * 5).astype(np.int64)
    plan_day = cin.plan_start + (u * np.maximum(cin.plan_end - cin.plan_start, 1)).astype(np.int64)
    parts = []
    for mask, day, route in (
        (has_cpp, cpp_day, ROUTE_CPP),
        (s47_only, s47_day, ROUTE_S47),
        (cin_plan, plan_day, ROUTE_CIN),
    ):
        idx = np.flatnonzero(mask)
        parts.append((cin.child[idx], day[idx], np.full(idx.size, route), cin.need[idx]))
    return tuple(np.concatenate(p) for p in zip(*parts, strict=True))


def age_reweight(weight: np.ndarray, age: np.ndarray, rates: LookedAfterRates) -> np.ndarray:
    """Rescale the weights within each age band so starts follow the published age mix."""
    out = weight.copy()
    total = weight.sum()
    for lo, hi, share in rates.start_age_bands:
        band = (age >= lo) & (age < hi)
        mass = weight[band].sum()
        if mass > 0:
            out[band] = weight[band] * share * total / mass
    return out


def uasc_starts(
    rng: np.random.Generator,
    population: Population,
    calendar: Calendar,
    rates: LookedAfterRates,
    shock: np.ndarray,
    children: int,
) -> tuple[np.ndarray, ...]:
    days = calendar.n_days
    expected = rates.starts_per_10k * children / 10_000 * rates.uasc_share * days / DAYS_PER_YEAR
    # Drawn at the highest rate the scenario asks for and thinned, so a multiplier above 1
    # raises its months without lowering the others.
    envelope = max(float(shock.max()), 1.0)
    n = rng.poisson(expected * envelope)
    day = calendar.first_day + rng.integers(0, days, n)
    keep = rng.random(n) < shock[day - calendar.first_day] / envelope
    day = day[keep]
    # A child of the population aged 15-17 on that day (arrivals are modelled as residents).
    age = rng.uniform(15.0, 17.5, day.size)
    birth = day - np.round(age * DAYS_PER_YEAR).astype(np.int64)
    order = np.argsort(population.dob, kind="stable")
    pos = np.searchsorted(population.dob[order], birth).clip(max=len(population) - 1)
    child = order[pos]
    return child, day, np.full(day.size, ROUTE_UASC), np.full(day.size, "N1", dtype=object)


def uasc_until(dob: np.ndarray) -> np.ndarray:
    """The day an unaccompanied asylum-seeking child ceases to be one: their 18th birthday
    (the SSDA903 UASC table's DUC, and the end of the SSD's immigration status)."""
    return dob + round(18 * DAYS_PER_YEAR)


def initial_stock(
    rng: np.random.Generator,
    population: Population,
    calendar: Calendar,
    rates: LookedAfterRates,
    children: int,
) -> tuple[np.ndarray, ...]:
    n = rng.poisson(rates.initial_stock_per_10k * children / 10_000)
    first = calendar.first_day
    age_then = (first - population.dob) / DAYS_PER_YEAR
    eligible = np.flatnonzero((age_then > 1.0) & (age_then < 17.0))
    child = rng.choice(eligible, size=min(n, eligible.size), replace=False)
    child.sort()
    span = first - population.dob[child]
    day = first - 1 - (rng.random(child.size) * np.minimum(span, 3650)).astype(np.int64)
    need = code_mix("primary_need").draw(rng, child.size)
    return child, day, np.full(child.size, ROUTE_STOCK), need
