"""When children are referred to children's social care, and by whom.

Referrals are a Poisson process per child whose rate depends on age, family risk, the
referral source's weekly and seasonal rhythm and the scenario's monthly multipliers. The
process is sampled by thinning: candidates are drawn at an upper-bound rate and kept with
probability (actual rate / bound), which keeps every step a whole-array operation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from synthetic.calendar import Calendar, collection_year
from synthetic.calibration import PopulationRates, ReferralRates
from synthetic.cin_schema import apply_fallbacks
from synthetic.population import DAYS_PER_YEAR, Population
from synthetic.reference import (
    code_mix,
    referral_age_bands,
    referral_source_groups,
    source_group_profile,
)
from synthetic.rows import Rows
from synthetic.scenario import Scenario

_MONTH_COLUMNS = [
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
]


@dataclass(frozen=True)
class Referrals(Rows):
    child: np.ndarray
    day: np.ndarray
    group: np.ndarray  # index into ReferralModel.groups

    def __len__(self) -> int:
        return self.day.size


@dataclass(frozen=True)
class ReferralModel:
    groups: tuple[str, ...]
    first_day: int
    last_day: int
    day_weight: np.ndarray  # (groups, days): rhythm x scenario; baseline mean 1 per group
    envelope: float
    band_upper_days: np.ndarray  # upper age bound of each age band, in days
    band_rate: np.ndarray  # total referrals per child-day in each band, at risk 1
    source_given_band: np.ndarray  # (bands, groups) cumulative probabilities

    def band_of(self, age_days: np.ndarray) -> np.ndarray:
        band = np.searchsorted(self.band_upper_days, age_days, side="right")
        return band.clip(max=self.band_upper_days.size - 1)

    def draw_groups(self, rng: np.random.Generator, band: np.ndarray) -> np.ndarray:
        cumulative = self.source_given_band[band]
        return (
            (cumulative < rng.random(band.size)[:, None]).sum(axis=1).clip(max=len(self.groups) - 1)
        )

    def weight(self, group: np.ndarray, day: np.ndarray) -> np.ndarray:
        return self.day_weight[group, day - self.first_day]


def build_referral_model(
    calendar: Calendar,
    scenario: Scenario,
    rates: ReferralRates,
    year_factors: dict[int, float] | None = None,
) -> ReferralModel:
    """year_factors: multiplier on the rate per collection year (--calibrate-to); years
    not listed take the nearest listed year's factor."""
    profile = source_group_profile()
    groups = tuple(profile["source_group"])
    months = np.arange(calendar.month.min(), calendar.month.max() + 1)
    shock = scenario.matrix(groups, months)[:, calendar.month - months[0]]
    weight = _rhythm(calendar, profile) * shock
    if year_factors:
        weight = weight * per_year(year_factors, calendar.month // 12 + (calendar.month % 12 >= 3))
    bands = referral_age_bands()
    width = (bands["max_age_years"] - bands["min_age_years"]).to_numpy(float)
    share = bands["referral_share"].to_numpy(float)
    share = share / share.sum()
    # Population aged 0-17 is uniform by age, so a band's exposure is proportional to its
    # width; this rate gives per_10k referrals a year per child aged 0-17.
    per_child_day = rates.per_10k / 10_000 * 18 / width.sum() / DAYS_PER_YEAR
    band_rate = per_child_day * share / width * width.sum()
    joint = _fit_margins(_prior(bands, groups), share, profile["share"].to_numpy(float))
    conditional = np.cumsum(joint / joint.sum(axis=1, keepdims=True), axis=1)
    return ReferralModel(
        groups=groups,
        first_day=calendar.first_day,
        last_day=calendar.last_day,
        day_weight=weight,
        envelope=float(weight.max()),
        band_upper_days=np.round(bands["max_age_years"].to_numpy(float) * DAYS_PER_YEAR),
        band_rate=band_rate,
        source_given_band=conditional,
    )


def _rhythm(calendar: Calendar, profile: pd.DataFrame) -> np.ndarray:
    """Weekday, school-holiday and month-of-year shape of each group, mean 1 over the window."""
    month_of_year = calendar.month % 12
    closed = calendar.weekend | calendar.bank_holiday
    holiday = calendar.school_holiday & ~closed
    seasonal = profile[_MONTH_COLUMNS].to_numpy(float)[:, month_of_year]
    weekend = np.where(closed, profile["weekend_factor"].to_numpy(float)[:, None], 1.0)
    school = np.where(holiday, profile["school_holiday_factor"].to_numpy(float)[:, None], 1.0)
    shape = seasonal * weekend * school
    return shape / shape.mean(axis=1, keepdims=True)


def _prior(bands: pd.DataFrame, groups: tuple[str, ...]) -> np.ndarray:
    return bands[[f"prior_{g}" for g in groups]].to_numpy(float)


def _fit_margins(prior: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Iterative proportional fitting: the joint closest to prior with the given margins."""
    joint = prior / prior.sum()
    cols = cols / cols.sum()
    for _ in range(200):
        joint *= (rows / joint.sum(axis=1))[:, None]
        joint *= cols / joint.sum(axis=0)
    return joint


def per_year(factors: dict[int, float], years: np.ndarray) -> np.ndarray:
    """factors[year] for each year, the nearest listed year's factor where not listed."""
    listed = np.array(sorted(factors))
    values = np.array([factors[y] for y in listed.tolist()])
    pos = np.searchsorted(listed, years).clip(0, listed.size - 1)
    left = (pos - 1).clip(0)
    nearer_left = np.abs(years - listed[left]) < np.abs(years - listed[pos])
    return values[np.where(nearer_left, left, pos)]


def exposure_window(
    population: Population, model: ReferralModel, rates: ReferralRates, pop_rates: PopulationRates
) -> tuple[np.ndarray, np.ndarray]:
    """First and last day each child can be referred (unborn to 17 and a half)."""
    first = np.maximum(population.dob - pop_rates.days_before_birth_referrable, model.first_day)
    last_age = round(rates.last_referral_age_years * DAYS_PER_YEAR)
    last = np.minimum(population.dob + last_age, model.last_day)
    return first, last


def primary_referrals(
    rng: np.random.Generator,
    model: ReferralModel,
    population: Population,
    rates: ReferralRates,
    pop_rates: PopulationRates,
) -> Referrals:
    """Referrals that do not follow on from an earlier episode of the same child."""
    first, last = exposure_window(population, model, rates, pop_rates)
    span = np.maximum(last - first + 1, 0)
    # Follow-ups supply the rest of the total rate; the boost makes up referrals dropped
    # later for falling inside an open episode.
    band_rate = model.band_rate * (1 - rates.follow_up_probability) * rates.primary_boost
    bound = band_rate.max() * model.envelope
    counts = rng.poisson(bound * population.risk * span)
    child = np.repeat(np.arange(len(population)), counts)
    day = first[child] + (rng.random(child.size) * span[child]).astype(np.int64)
    band = model.band_of(day - population.dob[child])
    group = model.draw_groups(rng, band)
    accept = band_rate[band] * model.weight(group, day) / bound
    keep = rng.random(child.size) < accept
    return Referrals(child[keep], day[keep], group[keep])


def follow_up_referrals(
    rng: np.random.Generator,
    model: ReferralModel,
    population: Population,
    child: np.ndarray,
    closure: np.ndarray,
    rates: ReferralRates,
    pop_rates: PopulationRates,
) -> Referrals:
    """At most one new referral soon after each closed episode (a self-exciting process)."""
    # With thinning by weight / envelope, the accepted count per episode is about Poisson
    # with mean `hazard`, so P(at least one) equals the follow-up probability.
    hazard = -np.log1p(-rates.follow_up_probability)
    counts = rng.poisson(hazard * model.envelope, size=child.size)
    episode = np.repeat(np.arange(child.size), counts)
    kid = child[episode]
    gap = 1 + rng.exponential(rates.follow_up_mean_gap_days, size=episode.size).astype(np.int64)
    day = closure[episode] + gap
    _, last = exposure_window(population, model, rates, pop_rates)
    inside = day <= last[kid]
    episode, kid, day = episode[inside], kid[inside], day[inside]
    group = model.draw_groups(rng, model.band_of(day - population.dob[kid]))
    keep = rng.random(day.size) < model.weight(group, day) / model.envelope
    episode, kid, day, group = episode[keep], kid[keep], day[keep], group[keep]
    first = _first_per_key(episode, day)
    return Referrals(kid[first], day[first], group[first])


def _first_per_key(key: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Index of the earliest day for each distinct key."""
    order = np.lexsort((day, key))
    sorted_key = key[order]
    return order[np.r_[True, sorted_key[1:] != sorted_key[:-1]]] if order.size else order


def draw_sources(
    rng: np.random.Generator, groups: tuple[str, ...], group: np.ndarray, day: np.ndarray
) -> np.ndarray:
    """DfE referral source code for each referral, consistent with its source group."""
    table = referral_source_groups()
    codes = np.empty(group.size, dtype=object)
    for index, name in enumerate(groups):
        mine = group == index
        members = tuple(table.loc[table["source_group"] == name, "code"])
        codes[mine] = code_mix("referral_source", members).draw(rng, int(mine.sum()))
    fallback = code_mix("referral_source").fallback
    return apply_fallbacks("referral_source", codes, collection_year(day), fallback)
