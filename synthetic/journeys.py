"""What happens after a referral: the children in need episode and its modules.

Each referral opens an episode: no further action, or an assessment, perhaps a section 47
enquiry, an initial child protection conference and a child protection plan, a CIN plan,
and a closure. Everything is drawn for all episodes at once; a child's episodes never
overlap (the DfE rules forbid it), so a referral arriving while the child's previous
episode is still open is dropped, as a real system would log it as a contact on the case.

Dates are day numbers; NO_DATE means the module does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np

from synthetic.calendar import NO_DATE, Calendar, collection_year
from synthetic.calibration import Calibration, JourneyRates
from synthetic.cin_schema import apply_fallbacks
from synthetic.population import Population
from synthetic.reference import code_mix
from synthetic.referrals import (
    ReferralModel,
    Referrals,
    draw_sources,
    follow_up_referrals,
    primary_referrals,
)

ADULT_AGE_DAYS = 6574  # 18 years
MAX_FOLLOW_UP_ROUNDS = 50
_MAX_FACTORS = 8


@dataclass(frozen=True)
class Episodes:
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

    def take(self, index: np.ndarray) -> Episodes:
        return Episodes(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

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
    order = np.lexsort((episodes.referral, episodes.child))
    child, start, close = episodes.child[order], episodes.referral[order], episodes.closure[order]
    keep = np.ones(order.size, dtype=bool)
    while True:
        idx = np.flatnonzero(keep)
        same = child[idx][1:] == child[idx][:-1]
        clash = same & (start[idx][1:] <= close[idx][:-1])
        if not clash.any():
            break
        # Only the first clash of each child is certain: earlier episodes are settled.
        rows = idx[1:][clash]
        first_of_child = np.r_[True, child[rows][1:] != child[rows][:-1]]
        keep[rows[first_of_child]] = False
    return episodes.take(order[keep])


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
    need = _primary_need(rng, nfa, population.disability[refs.child], rates)
    assess = _assessments(rng, day, nfa, need, calendar, rates)
    s47 = _section47(rng, day, assess["s47"], calendar, rates)
    in_need = assess["assessed"] & (rng.random(n) >= rates.not_in_need_if_assessed)
    in_need |= s47["has_cpp"]
    cpp = _protection_plans(rng, s47, calendar, rates)
    close = _closures(rng, day, nfa, assess, s47, cpp, in_need, rates)
    adult = population.dob[refs.child] + ADULT_AGE_DAYS - 1
    _cap_at_adulthood(close, assess, s47, cpp, adult)
    factors = _factors(rng, assess, in_need, rates)
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


def _primary_need(
    rng: np.random.Generator, nfa: np.ndarray, disability: np.ndarray, rates: JourneyRates
) -> np.ndarray:
    need = code_mix("primary_need").draw(rng, nfa.size)
    own_disability = (disability != "NONE") & (
        rng.random(nfa.size) < rates.disability_need_if_disabled
    )
    need[own_disability] = "N2"
    need[nfa] = ""
    return need


def _assessments(
    rng: np.random.Generator,
    day: np.ndarray,
    nfa: np.ndarray,
    need: np.ndarray,
    calendar: Calendar,
    rates: JourneyRates,
) -> dict[str, np.ndarray]:
    n = day.size
    s47_rate = np.where(need == "N1", rates.s47_if_abuse_need, rates.s47_if_other_need)
    if rates.year_factors:
        years = collection_year(day)
        s47_rate = np.minimum(s47_rate * rates.factors_for(years, 1), 0.98)
        s47 = systematic_draw(rng, np.where(nfa, 0.0, s47_rate), years)
    else:
        s47 = ~nfa & (rng.random(n) < s47_rate)
    # Every s47 enquiry sits alongside an assessment (DfE query 2991Q otherwise).
    assessed = s47 | (~nfa & (rng.random(n) < rates.assessment_if_not_nfa))
    gap = np.minimum(
        rng.geometric(1 / (1 + rates.assessment_gap_days_mean), n) - 1,
        rates.assessment_gap_days_max,
    )
    working = np.ceil(
        rng.gamma(rates.assessment_working_days_shape, rates.assessment_working_days_scale, n)
    ).astype(np.int64)
    start = day + gap
    end = calendar.add_working_days(start, np.maximum(working, 1))
    return {
        "assessed": assessed,
        "s47": s47,
        "start": np.where(assessed, start, NO_DATE),
        "end": np.where(assessed, end, NO_DATE),
    }


def _section47(
    rng: np.random.Generator,
    day: np.ndarray,
    s47: np.ndarray,
    calendar: Calendar,
    rates: JourneyRates,
) -> dict[str, np.ndarray]:
    n = day.size
    start = day + np.minimum(rng.geometric(0.6, n) - 1, rates.s47_gap_days_max)
    target = calendar.add_working_days(start, np.full(n, 15))
    icpc_rate: np.ndarray | float = rates.icpc_if_s47
    cpp_rate: np.ndarray | float = rates.cpp_if_icpc
    if rates.year_factors:
        years = collection_year(day)
        icpc_rate = np.minimum(icpc_rate * rates.factors_for(years, 2), 0.98)
        cpp_rate = np.minimum(cpp_rate * rates.factors_for(years, 3), 0.99)
    if rates.year_factors:
        has_icpc = systematic_draw(rng, np.where(s47, icpc_rate, 0.0), years)
    else:
        has_icpc = s47 & (rng.random(n) < icpc_rate)
    icpc = calendar.add_working_days(start, _binned_integers(rng, rates.icpc_working_day_bins, n))
    lo, hi = rates.s47_without_icpc_working_days
    concluded = calendar.add_working_days(start, rng.integers(lo, hi + 1, n))
    return {
        "has_icpc": has_icpc,
        "has_cpp": systematic_draw(rng, np.where(has_icpc, cpp_rate, 0.0), years)
        if rates.year_factors
        else has_icpc & (rng.random(n) < cpp_rate),
        "start": np.where(s47, start, NO_DATE),
        "target": np.where(s47, target, NO_DATE),
        "icpc": np.where(has_icpc, icpc, NO_DATE),
        "end": np.where(has_icpc, icpc, np.where(s47, concluded, NO_DATE)),
    }


def systematic_draw(rng: np.random.Generator, p: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Bernoulli(p) events by systematic sampling in collection-year order: each year's
    count is within one of its expected count (used when calibrating to an LA, where the
    yearly volumes must match the published ones rather than vary by chance)."""
    order = np.argsort(years, kind="stable")
    upper = np.cumsum(p[order]) + rng.random()
    lower = upper - p[order]
    hit = np.empty(p.size, dtype=bool)
    hit[order] = np.floor(upper) > np.floor(lower)
    return hit


def _binned_integers(
    rng: np.random.Generator, bins: tuple[tuple[int, int, float], ...], n: int
) -> np.ndarray:
    lows = np.array([b[0] for b in bins])
    highs = np.array([b[1] for b in bins])
    which = np.searchsorted(
        np.cumsum([b[2] for b in bins]) / sum(b[2] for b in bins), rng.random(n), side="right"
    ).clip(max=len(bins) - 1)
    return lows[which] + (rng.random(n) * (highs[which] - lows[which] + 1)).astype(np.int64)


def _protection_plans(
    rng: np.random.Generator, s47: dict[str, np.ndarray], calendar: Calendar, rates: JourneyRates
) -> dict[str, np.ndarray]:
    has = s47["has_cpp"]
    n = has.size
    months = _binned_floats(rng, rates.cpp_month_bins, n)
    # Plans start at the ICPC (DfE rule 2885) and end at a review conference (a working day).
    end = np.full(n, NO_DATE, dtype=np.int64)
    length = np.round(months[has] * 30.44).astype(np.int64)
    end[has] = calendar.next_working_day(s47["icpc"][has] + length)
    initial = code_mix("category_of_abuse").draw(rng, n)
    latest = np.where(
        rng.random(n) < rates.latest_category_changes,
        code_mix("category_of_abuse").draw(rng, n),
        initial,
    )
    return {
        "has": has,
        "start": np.where(has, s47["icpc"], NO_DATE),
        "end": end,
        "initial": np.where(has, initial, ""),
        "latest": np.where(has, latest, ""),
    }


def _binned_floats(
    rng: np.random.Generator, bins: tuple[tuple[float, float, float], ...], n: int
) -> np.ndarray:
    lows = np.array([b[0] for b in bins])
    highs = np.array([b[1] for b in bins])
    cumulative = np.cumsum([b[2] for b in bins]) / sum(b[2] for b in bins)
    which = np.searchsorted(cumulative, rng.random(n), side="right").clip(max=len(bins) - 1)
    return lows[which] + rng.random(n) * (highs[which] - lows[which])


def _closures(
    rng: np.random.Generator,
    day: np.ndarray,
    nfa: np.ndarray,
    assess: dict[str, np.ndarray],
    s47: dict[str, np.ndarray],
    cpp: dict[str, np.ndarray],
    in_need: np.ndarray,
    rates: JourneyRates,
) -> dict[str, np.ndarray]:
    """Closure day and reason, and the CIN plan that runs up to the closure."""
    n = day.size
    assessed, has_cpp = assess["assessed"], cpp["has"]
    work_done = np.maximum(_present(assess["end"]), _present(s47["end"]))
    plan_start = np.full(n, NO_DATE, dtype=np.int64)
    # Children in need without a protection plan: a CIN plan after the assessment.
    cin_only = in_need & ~has_cpp
    plan_start[cin_only] = work_done[cin_only] + rng.integers(0, 11, int(cin_only.sum()))
    # After a protection plan, many children step down to a CIN plan for a while.
    step_down = has_cpp & (rng.random(n) < rates.step_down_after_cpp)
    plan_start[step_down] = cpp["end"][step_down] + 1
    closure = np.where(nfa, day, day + rng.integers(1, 21, n))
    closure = np.where(assessed, work_done, closure)
    closure = np.where(has_cpp, np.maximum(cpp["end"], work_done), closure)
    has_plan = plan_start != NO_DATE
    length = np.where(
        cin_only, _cin_plan_days(rng, n, rates), rng.integers(*rates.step_down_days, n)
    )
    closure = np.where(has_plan, np.maximum(plan_start + length, closure), closure)
    return {
        "closure": closure,
        "plan_start": plan_start,
        "plan_end": np.where(has_plan, closure, NO_DATE),
        "reason": _closure_reasons(rng, closure, nfa, assessed, in_need),
    }


def _present(dates: np.ndarray) -> np.ndarray:
    """Dates with NO_DATE turned into 'no constraint' for a maximum."""
    return np.where(dates == NO_DATE, 0, dates)


def _cin_plan_days(rng: np.random.Generator, n: int, rates: JourneyRates) -> np.ndarray:
    usual = rates.cin_plan_median_days * np.exp(rates.cin_plan_sigma * rng.standard_normal(n))
    long_term = rng.integers(*rates.long_term_days, n)
    days = np.where(rng.random(n) < rates.long_term_share, long_term, usual)
    return np.maximum(np.round(days), 14).astype(np.int64)


def _closure_reasons(
    rng: np.random.Generator,
    closure: np.ndarray,
    nfa: np.ndarray,
    assessed: np.ndarray,
    in_need: np.ndarray,
) -> np.ndarray:
    n = closure.size
    # NFA referrals and referrals closed before assessment: "services ceased" (RC7); RC8
    # means closed after an assessment, and DfE query 8825Q flags it without one.
    reason = np.full(n, "RC7", dtype=object)
    not_in_need = assessed & ~in_need
    mix = code_mix("closure_not_in_need")
    reason[not_in_need] = mix.draw(rng, int(not_in_need.sum()))
    reason = apply_fallbacks("closure_reason", reason, collection_year(closure), mix.fallback)
    reason[in_need] = code_mix("closure_in_need").draw(rng, int(in_need.sum()))
    return reason


def _cap_at_adulthood(
    close: dict[str, np.ndarray],
    assess: dict[str, np.ndarray],
    s47: dict[str, np.ndarray],
    cpp: dict[str, np.ndarray],
    last_day: np.ndarray,
) -> None:
    """Episodes still open at 18 close the day before, moving to adult services (RC6)."""
    over = close["closure"] > last_day
    if not over.any():
        return
    close["closure"] = np.where(over, last_day, close["closure"])
    close["reason"] = np.where(over, "RC6", close["reason"])
    cap = close["closure"]
    for table, key in ((assess, "end"), (s47, "end"), (cpp, "end"), (close, "plan_end")):
        present = table[key] != NO_DATE
        table[key] = np.where(present & (table[key] > cap), cap, table[key])
    late_plan = close["plan_start"] > cap
    late_plan &= close["plan_start"] != NO_DATE
    close["plan_start"] = np.where(late_plan, NO_DATE, close["plan_start"])
    close["plan_end"] = np.where(late_plan, NO_DATE, close["plan_end"])


def _factors(
    rng: np.random.Generator,
    assess: dict[str, np.ndarray],
    in_need: np.ndarray,
    rates: JourneyRates,
) -> np.ndarray:
    """Factors identified at assessment (code 21, none, for most children not in need)."""
    n = in_need.size
    out = np.full(n, "", dtype=object)
    assessed = assess["assessed"]
    mix = code_mix("assessment_factor")
    extra = np.minimum(rng.poisson(rates.extra_factors_mean, n), _MAX_FACTORS - 1)
    count = np.where(in_need, 1 + extra, 1)
    none_found = assessed & ~in_need & (rng.random(n) < rates.no_factors_if_not_in_need)
    out[none_found] = "21"
    chosen = np.flatnonzero(assessed & ~none_found)
    if chosen.size == 0:
        return out
    # Gumbel top-k: k distinct codes per row, drawn in proportion to their weights.
    keys = np.log(mix.probabilities) + rng.gumbel(size=(chosen.size, mix.probabilities.size))
    ranked = np.argsort(-keys, axis=1)[:, :_MAX_FACTORS]
    codes = mix.codes[ranked]
    years = collection_year(assess["end"][chosen])
    for column in range(codes.shape[1]):
        codes[:, column] = apply_fallbacks(
            "assessment_factor", codes[:, column], years, mix.fallback
        )
    # Fallbacks can map two codes onto one (18B and 18C to 18A); keep each code once.
    rows = zip(codes.tolist(), count[chosen].tolist(), strict=True)
    out[chosen] = [" ".join(dict.fromkeys(row[:k])) for row, k in rows]
    return out


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
