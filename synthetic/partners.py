"""Health events of the same children: A&E, admissions, CAMHS (police: synthetic/police.py).

Each kind of event is a Poisson process per child, sampled by thinning like referrals:
rate by single year of age x the child's own propensity x month-of-year seasonality x
the scenario's monthly multiplier for that source and measure. Each builder returns the
rows as columns keyed by the contract's column names, plus "_day" (the event day) for the
writers and the truth files.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from synthetic.calendar import Calendar
from synthetic.period import Period
from synthetic.population import DAYS_PER_YEAR, Population
from synthetic.reference import code_mix
from synthetic.writers.csv_out import hhmm, iso, timestamps

Rows = dict[str, np.ndarray]

# Month-of-year shape (Jan..Dec) of A&E attendances of children: winter respiratory peak,
# summer injuries, August and December a little lower.
_AE_SEASON = np.array([1.05, 1.02, 1.02, 0.98, 1.05, 1.05, 1.02, 0.90, 0.98, 1.02, 1.02, 0.92])
# Kinds of hospital spell: (kind, events per child-year by age range, power of family risk
# in the propensity). A module constant so the answer key (synthetic/effects_sources.py)
# weights each kind by its expected count. Every spell gets an emergency admission method.
ADMISSION_KINDS = (
    ("emergency", {(0, 0): 0.20, (1, 4): 0.08, (5, 9): 0.04, (10, 17): 0.045}, 0.1),
    ("self_harm", {(10, 11): 0.0008, (12, 14): 0.004, (15, 17): 0.006}, 0.8),
    ("alcohol", {(12, 14): 0.0004, (15, 17): 0.0012}, 0.8),
)


@dataclass(frozen=True)
class Authority:
    """One authority's children, the period its files cover and the period's calendar: what
    every partner's events are drawn for."""

    la: str
    population: Population
    period: Period
    calendar: Calendar


def draw_events(
    rng: np.random.Generator,
    authority: Authority,
    rate_by_age: np.ndarray,  # events per child-year at ages 0..17
    propensity: np.ndarray,  # per child, mean about 1
    day_factor: np.ndarray,  # per calendar day (seasonality x scenario)
) -> tuple[np.ndarray, np.ndarray]:
    """Children and days of events from the period's start to the calendar's end, ages 0-17."""
    population, calendar = authority.population, authority.calendar
    last_day = calendar.last_day
    lo = np.maximum(population.dob, authority.period.start_day)
    hi = np.minimum(population.dob + round(18 * DAYS_PER_YEAR) - 1, last_day)
    span = np.maximum(hi - lo + 1, 0)
    bound = float(rate_by_age.max() * day_factor.max()) / DAYS_PER_YEAR
    counts = rng.poisson(bound * propensity * span)
    child = np.repeat(np.arange(len(population)), counts)
    day = lo[child] + (rng.random(child.size) * span[child]).astype(np.int64)
    age = ((day - population.dob[child]) / DAYS_PER_YEAR).astype(np.int64).clip(0, 17)
    accept = rate_by_age[age] * day_factor[day - calendar.first_day] / DAYS_PER_YEAR / bound
    keep = rng.random(child.size) < accept
    child, day = child[keep], day[keep]
    order = np.lexsort((child, day))
    return child[order], day[order]


def age_rates(rates: dict[tuple[int, int], float]) -> np.ndarray:
    """Rates by single year of age 0-17 from rates by age range (0 elsewhere)."""
    out = np.zeros(18)
    for (lo, hi), value in rates.items():
        out[lo : hi + 1] = value
    return out


def _season(calendar: Calendar, shape: np.ndarray) -> np.ndarray:
    return shape[calendar.month % 12]


def _patient(population: Population, child: np.ndarray, day: np.ndarray, age_column: str) -> Rows:
    """The columns that identify the child in every health extract, in the contracts' order."""
    return {
        "NHS_NUMBER": population.nhs_number[child],
        "PERSON_BIRTH_DATE": iso(population.dob[child]),
        age_column: _age(day, population.dob[child]),
        "SEX": np.where(population.sex[child] == "M", "1", "2").astype(object),
        "POSTCODE_DISTRICT": population.postcode_district[child],
    }


def _age(day: np.ndarray, dob: np.ndarray) -> np.ndarray:
    return ((day - dob) / DAYS_PER_YEAR).astype(np.int64)


def propensity(
    rng: np.random.Generator, population: Population, shape: float, risk_power: float
) -> np.ndarray:
    """Each child's own event rate factor: gamma frailty times family risk, mean about 1."""
    frailty = rng.gamma(shape, 1 / shape, len(population))
    return frailty * population.risk**risk_power / np.mean(population.risk**risk_power)


def event_ids(prefix: str, rng: np.random.Generator, n: int) -> np.ndarray:
    """n distinct record ids: the prefix and eight digits in random order."""
    numbers = rng.permutation(n) + 10_000_000
    return np.char.add(prefix, numbers.astype(str)).astype(object)


def ae_attendances(rng: np.random.Generator, authority: Authority, shock: np.ndarray) -> Rows:
    population = authority.population
    rates = age_rates({(0, 0): 0.80, (1, 4): 0.45, (5, 9): 0.25, (10, 14): 0.30, (15, 17): 0.42})
    prop = propensity(rng, population, 1.2, 0.3)
    season = _season(authority.calendar, _AE_SEASON)
    child, day = draw_events(rng, authority, rates, prop, season * shock)
    n = child.size
    age = _age(day, population.dob[child])
    teen = age >= 11
    complaint = np.where(
        teen,
        code_mix("ae_complaint_teen").draw(rng, n),
        code_mix("ae_complaint_child").draw(rng, n),
    ).astype(object)
    # Arrival time: busiest late afternoon and evening.
    minute = np.clip(rng.normal(17 * 60, 260, n), 0, 1439).astype(np.int64)
    safeguarding = rng.random(n) < np.where(
        np.isin(complaint, ["self_harm", "mental_health", "alcohol_drugs"]), 0.45, 0.04
    )
    lag = minute + 60 + rng.exponential(240, n).astype(np.int64)
    return {
        "LA_CODE": np.full(n, authority.la, dtype=object),
        "SITE_CODE": np.array(["RQX01", "RQX02", "RQY01"], dtype=object)[rng.integers(0, 3, n)],
        "ATTENDANCE_ID": event_ids("AE", rng, n),
        **_patient(population, child, day, "AGE_AT_ARRIVAL"),
        "ARRIVAL_DATE": iso(day),
        "ARRIVAL_TIME": hhmm(minute),
        "ATTENDANCE_SOURCE": code_mix("ae_source").draw(rng, n),
        "CHIEF_COMPLAINT": complaint,
        "SAFEGUARDING_CONCERN": np.where(safeguarding, "Y", "N").astype(object),
        "RECORDED_AT": timestamps(day, lag),
        "_day": day,
        "_child": child,
        "_lag_minutes": lag,
    }


def hospital_admissions(
    rng: np.random.Generator, authority: Authority, shocks: dict[str, np.ndarray]
) -> Rows:
    population = authority.population
    parts = []
    for kind, ages, risk_power in ADMISSION_KINDS:
        prop = propensity(rng, population, 1.0, risk_power)
        if kind == "self_harm":
            prop = prop * np.where(population.sex == "F", 1.5, 0.5)
        child, day = draw_events(rng, authority, age_rates(ages), prop, shocks[kind])
        n = child.size
        if kind == "emergency":
            diag = code_mix("admission_diagnosis").draw(rng, n).astype(object)
            cause = np.full(n, "", dtype=object)
        elif kind == "self_harm":
            diag = code_mix("self_harm_diagnosis").draw(rng, n).astype(object)
            cause = code_mix("self_harm_cause").draw(rng, n).astype(object)
        else:
            diag = code_mix("alcohol_diagnosis").draw(rng, n).astype(object)
            cause = np.where(np.char.startswith(diag.astype(str), "T51"), "X450", "").astype(object)
        parts.append((child, day, diag, cause))
    child, day, diag, cause = (np.concatenate(p) for p in zip(*parts, strict=True))
    order = np.lexsort((child, day))
    child, day, diag, cause = child[order], day[order], diag[order], cause[order]
    n = child.size
    method = np.array(["21", "21", "21", "22", "2A", "28"], dtype=object)[rng.integers(0, 6, n)]
    stay = rng.geometric(0.45, n) - 1
    lag_days = 5 + rng.integers(0, 25, n)
    return {
        "LA_CODE": np.full(n, authority.la, dtype=object),
        "PROVIDER_CODE": np.where(rng.random(n) < 0.8, "RQX", "RQY").astype(object),
        "SPELL_ID": event_ids("SP", rng, n),
        **_patient(population, child, day, "AGE_ON_ADMISSION"),
        "ADMISSION_DATE": iso(day),
        "ADMISSION_METHOD": method,
        "PRIMARY_DIAGNOSIS": diag,
        "EXTERNAL_CAUSE": cause,
        "DISCHARGE_DATE": iso(day + stay),
        "RECORDED_AT": timestamps(day + lag_days, rng.integers(8 * 60, 18 * 60, n)),
        "_day": day,
        "_child": child,
        "_lag_minutes": lag_days * 1440,
    }


def camhs_referrals(rng: np.random.Generator, authority: Authority, shock: np.ndarray) -> Rows:
    population = authority.population
    rates = age_rates({(4, 9): 0.012, (10, 12): 0.03, (13, 17): 0.05})
    prop = propensity(rng, population, 0.8, 0.5)
    child, day = draw_events(rng, authority, rates, prop, shock)
    n = child.size
    lag = rng.integers(0, 8, n)
    return {
        "LA_CODE": np.full(n, authority.la, dtype=object),
        "PROVIDER_CODE": np.full(n, "RQZ", dtype=object),
        "REFERRAL_ID": event_ids("CM", rng, n),
        **_patient(population, child, day, "AGE_AT_REFERRAL"),
        "REFERRAL_DATE": iso(day),
        "SOURCE_OF_REFERRAL": code_mix("camhs_source").draw(rng, n),
        "REFERRAL_ACCEPTED": np.where(rng.random(n) < 0.7, "Y", "N").astype(object),
        "RECORDED_AT": timestamps(day + lag, rng.integers(8 * 60, 18 * 60, n)),
        "_day": day,
        "_child": child,
        "_lag_minutes": lag * 1440,
    }
