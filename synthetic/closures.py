"""How an episode ends: the CIN plan up to the closure, the closure's day and reason, and
the cap at the 18th birthday (RC6).

Dates are day numbers; NO_DATE means the module does not exist.
"""

from __future__ import annotations

import numpy as np

from synthetic.calendar import NO_DATE, collection_year
from synthetic.calibration import JourneyRates
from synthetic.cin_schema import apply_fallbacks
from synthetic.reference import code_mix


def closures(
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


def cap_at_adulthood(
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
