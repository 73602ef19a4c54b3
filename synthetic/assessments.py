"""The work on an episode after its referral: the primary need, the assessment and its
factors, the section 47 enquiry, the initial child protection conference and the plan.

Each function draws one stage for all episodes at once; synthetic/journeys.py chains them.
Dates are day numbers; NO_DATE means the stage does not exist.
"""

from __future__ import annotations

import numpy as np

from synthetic.calendar import NO_DATE, Calendar, collection_year
from synthetic.calibration import JourneyRates
from synthetic.cin_schema import apply_fallbacks
from synthetic.reference import code_mix

_MAX_FACTORS = 8


def primary_need(
    rng: np.random.Generator, nfa: np.ndarray, disability: np.ndarray, rates: JourneyRates
) -> np.ndarray:
    need = code_mix("primary_need").draw(rng, nfa.size)
    own_disability = (disability != "NONE") & (
        rng.random(nfa.size) < rates.disability_need_if_disabled
    )
    need[own_disability] = "N2"
    need[nfa] = ""
    return need


def assessments(
    rng: np.random.Generator,
    day: np.ndarray,
    nfa: np.ndarray,
    need: np.ndarray,
    calendar: Calendar,
    rates: JourneyRates,
) -> dict[str, np.ndarray]:
    n = day.size
    s47_rate = np.where(need == "N1", rates.s47_if_abuse_need, rates.s47_if_other_need)
    years = _calibrated_years(day, rates)
    if years is not None:
        s47_rate = np.minimum(s47_rate * rates.factors_for(years, 1), 0.98)
    s47 = _decided(rng, ~nfa, s47_rate, years)
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


def section47(
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
    years = _calibrated_years(day, rates)
    if years is not None:
        icpc_rate = np.minimum(icpc_rate * rates.factors_for(years, 2), 0.98)
        cpp_rate = np.minimum(cpp_rate * rates.factors_for(years, 3), 0.99)
    has_icpc = _decided(rng, s47, icpc_rate, years)
    icpc = calendar.add_working_days(start, _binned_integers(rng, rates.icpc_working_day_bins, n))
    lo, hi = rates.s47_without_icpc_working_days
    concluded = calendar.add_working_days(start, rng.integers(lo, hi + 1, n))
    return {
        "has_icpc": has_icpc,
        "has_cpp": _decided(rng, has_icpc, cpp_rate, years),
        "start": np.where(s47, start, NO_DATE),
        "target": np.where(s47, target, NO_DATE),
        "icpc": np.where(has_icpc, icpc, NO_DATE),
        "end": np.where(has_icpc, icpc, np.where(s47, concluded, NO_DATE)),
    }


def _calibrated_years(day: np.ndarray, rates: JourneyRates) -> np.ndarray | None:
    """Each episode's collection year where the rates are calibrated year by year, else None."""
    return collection_year(day) if rates.year_factors else None


def _decided(
    rng: np.random.Generator,
    eligible: np.ndarray,
    rate: np.ndarray | float,
    years: np.ndarray | None,
) -> np.ndarray:
    """Which eligible episodes go on to the next stage at `rate`: independently, or by
    systematic sampling per collection year where the rates are calibrated (years given)."""
    if years is None:
        return eligible & (rng.random(eligible.size) < rate)
    return systematic_draw(rng, np.where(eligible, rate, 0.0), years)


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
    low, high = _drawn_bins(rng, bins, n)
    return low + (rng.random(n) * (high - low + 1)).astype(np.int64)


def _drawn_bins(
    rng: np.random.Generator, bins: tuple[tuple[float, float, float], ...], n: int
) -> tuple[np.ndarray, np.ndarray]:
    """The (low, high) of n bins drawn in proportion to their weights (the third item)."""
    lows = np.array([b[0] for b in bins])
    highs = np.array([b[1] for b in bins])
    cumulative = np.cumsum([b[2] for b in bins]) / sum(b[2] for b in bins)
    which = np.searchsorted(cumulative, rng.random(n), side="right").clip(max=len(bins) - 1)
    return lows[which], highs[which]


def protection_plans(
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
    low, high = _drawn_bins(rng, bins, n)
    return low + rng.random(n) * (high - low)


def assessment_factors(
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
