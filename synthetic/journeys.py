"""What happens after a referral: the children in need episode and its modules.

Each referral opens an episode: no further action, or an assessment, perhaps a section 47
enquiry, an initial child protection conference and a child protection plan, a CIN plan,
and a closure. Everything is drawn for all episodes at once; a child's episodes never
overlap (the DfE rules forbid it), so a referral arriving while the child's previous
episode is still open is dropped, as a real system would log it as a contact on the case.

The stages of an episode are drawn in synthetic/assessments.py (assessment, s47, ICPC,
plan) and synthetic/closures.py (CIN plan, closure). Dates are day numbers; NO_DATE means
the module does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np

from synthetic.assessments import (
    assessment_factors,
    assessments,
    primary_need,
    protection_plans,
    section47,
)
from synthetic.calendar import NO_DATE, Calendar
from synthetic.calibration import Calibration, JourneyRates
from synthetic.closures import cap_at_adulthood, closures
from synthetic.population import Population
from synthetic.referrals import (
    ReferralModel,
    Referrals,
    draw_sources,
    follow_up_referrals,
    primary_referrals,
)
from synthetic.rows import Rows

ADULT_AGE_DAYS = 6574  # 18 years
MAX_FOLLOW_UP_ROUNDS = 50


@dataclass(frozen=True)
class Episodes(Rows):
    child: np.ndarray
    referral: np.ndarray
    group: np.ndarray
    source: np.ndarray
    nfa: np.ndarray
    need: np.ndarray  # primary need code, "" for NFA
    assessment_start: np.ndarray
    assessment_end: np.ndarray
    factors: np.ndarray  # space-separated assessment factor codes, "" if none
    s47_start: np.ndarray
    s47_end: np.ndarray  # the ICPC, or the day the enquiry concluded without one
    icpc_target: np.ndarray
    icpc: np.ndarray
    cpp_start: np.ndarray
    cpp_end: np.ndarray
    cpp_initial: np.ndarray
    cpp_latest: np.ndarray
    cpp_previous: np.ndarray
    plan_start: np.ndarray
    plan_end: np.ndarray
    closure: np.ndarray  # may lie after the period: the episode is then open in the returns
    closure_reason: np.ndarray

    def __len__(self) -> int:
        return self.referral.size

    @staticmethod
    def concat(parts: list[Episodes]) -> Episodes:
        names = [f.name for f in fields(Episodes)]
        return Episodes(**{n: np.concatenate([getattr(p, n) for p in parts]) for n in names})


def simulate_episodes(
    rng: np.random.Generator,
    model: ReferralModel,
    population: Population,
    calendar: Calendar,
    calibration: Calibration,
) -> Episodes:
    """All CIN episodes of the population over the calendar window, sorted by child and date."""
    refs, pop_rates = calibration.referrals, calibration.population
    batch = build_episodes(
        rng,
        model,
        primary_referrals(rng, model, population, refs, pop_rates),
        population,
        calendar,
        calibration.journeys,
    )
    parts = [batch]
    for _ in range(MAX_FOLLOW_UP_ROUNDS):
        follow = follow_up_referrals(
            rng, model, population, batch.child, batch.closure, refs, pop_rates
        )
        if not len(follow):
            break
        batch = build_episodes(rng, model, follow, population, calendar, calibration.journeys)
        parts.append(batch)
    episodes = resolve_overlaps(Episodes.concat(parts))
    return _number_previous_plans(rng, episodes, len(population), calibration.journeys)


def resolve_overlaps(episodes: Episodes) -> Episodes:
    """Per child, in date order, keep each episode that starts after the last kept one closed."""
    return episodes.take(non_overlapping(episodes.child, episodes.referral, episodes.closure))


def non_overlapping(child: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Row numbers, by child and start, of each row that starts after the child's last kept
    row ended (CIN episodes, periods of care: one at a time per child)."""
    order = np.lexsort((start, child))
    child, start, end = child[order], start[order], end[order]
    keep = np.ones(order.size, dtype=bool)
    while True:
        idx = np.flatnonzero(keep)
        same = child[idx][1:] == child[idx][:-1]
        clash = same & (start[idx][1:] <= end[idx][:-1])
        if not clash.any():
            break
        # Only the first clash of each child is certain: earlier rows are settled.
        rows = idx[1:][clash]
        first_of_child = np.r_[True, child[rows][1:] != child[rows][:-1]]
        keep[rows[first_of_child]] = False
    return order[keep]


def build_episodes(
    rng: np.random.Generator,
    model: ReferralModel,
    refs: Referrals,
    population: Population,
    calendar: Calendar,
    rates: JourneyRates,
) -> Episodes:
    day = refs.day
    n = day.size
    nfa = rng.random(n) < rates.nfa
    need = primary_need(rng, nfa, population.disability[refs.child], rates)
    assess = assessments(rng, day, nfa, need, calendar, rates)
    s47 = section47(rng, day, assess["s47"], calendar, rates)
    in_need = assess["assessed"] & (rng.random(n) >= rates.not_in_need_if_assessed)
    in_need |= s47["has_cpp"]
    cpp = protection_plans(rng, s47, calendar, rates)
    close = closures(rng, day, nfa, assess, s47, cpp, in_need, rates)
    adult = population.dob[refs.child] + ADULT_AGE_DAYS - 1
    cap_at_adulthood(close, assess, s47, cpp, adult)
    factors = assessment_factors(rng, assess, in_need, rates)
    return Episodes(
        child=refs.child,
        referral=day,
        group=refs.group,
        source=draw_sources(rng, model.groups, refs.group, day),
        nfa=nfa,
        need=need,
        assessment_start=assess["start"],
        assessment_end=assess["end"],
        factors=factors,
        s47_start=s47["start"],
        s47_end=s47["end"],
        icpc_target=s47["target"],
        icpc=s47["icpc"],
        cpp_start=cpp["start"],
        cpp_end=cpp["end"],
        cpp_initial=cpp["initial"],
        cpp_latest=cpp["latest"],
        cpp_previous=np.zeros(n, dtype=np.int64),
        plan_start=close["plan_start"],
        plan_end=close["plan_end"],
        closure=close["closure"],
        closure_reason=close["reason"],
    )


def _number_previous_plans(
    rng: np.random.Generator, episodes: Episodes, n_children: int, rates: JourneyRates
) -> Episodes:
    """NumberOfPreviousCPP: plans earlier in the simulation plus some from before it."""
    has = episodes.cpp_start != NO_DATE
    child = episodes.child
    prior = (rng.random(n_children) < rates.earlier_plan_before_simulation).astype(np.int64)
    earlier = np.cumsum(has) - has  # plans before this row, across all children
    first_row = np.r_[True, child[1:] != child[:-1]] if child.size else np.zeros(0, bool)
    child_base = np.maximum.accumulate(np.where(first_row, earlier, 0))
    previous = earlier - child_base + prior[child]
    return replace(episodes, cpp_previous=np.where(has, previous, 0))
