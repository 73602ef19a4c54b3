"""Small synthetic inputs for the expected-value method: monthly series drawn from a known
rate, with the seeds the method reads."""

from __future__ import annotations

import numpy as np
import pandas as pd

from orchestration.expected.series import Inputs

MONTHS = pd.date_range("2014-04-01", "2020-02-01", freq="MS")
TERMS = pd.DataFrame({"scope": ["*"], "terms": ["trend|month_of_year"]})
NO_PERIODS = pd.DataFrame({"period_id": [], "start_date": [], "end_date": [], "not_comparable": []})


def count_series(
    rates: np.ndarray,
    months: pd.DatetimeIndex = MONTHS,
    indicator: str = "referrals",
    breakdown: str = "all",
    seed: int = 0,
) -> pd.DataFrame:
    """One Poisson count series with the given monthly means."""
    counts = np.random.default_rng(seed).poisson(rates).astype(float)
    return pd.DataFrame(
        {
            "area_code": "938",
            "month": months,
            "indicator_id": indicator,
            "breakdown_dimension": "all" if breakdown == "all" else "group",
            "breakdown_value": breakdown,
            "numerator": counts,
            "denominator": np.nan,
            "value": counts,
            "unit": "count",
            "family": "social_care",
        }
    )


def share_series(share: float, trials: np.ndarray, months=MONTHS, seed: int = 0) -> pd.DataFrame:
    """One binomial share series (percent) with a constant true share."""
    successes = np.random.default_rng(seed).binomial(trials.astype(int), share).astype(float)
    return pd.DataFrame(
        {
            "area_code": "938",
            "month": months,
            "indicator_id": "re_referrals",
            "breakdown_dimension": "all",
            "breakdown_value": "all",
            "numerator": successes,
            "denominator": trials.astype(float),
            "value": 100 * successes / trials,
            "unit": "percent",
            "family": "social_care",
        }
    )


def inputs(
    monthly: pd.DataFrame,
    periods: pd.DataFrame = NO_PERIODS,
    terms: pd.DataFrame = TERMS,
    months_covered: dict | None = None,
    history_months: dict | None = None,
) -> Inputs:
    """The method's inputs around `monthly`: a catalogue of its indicators (1 month covered
    unless given), the periods, the terms and a calendar."""
    indicators = monthly["indicator_id"].unique()
    covered, history = months_covered or {}, history_months or {}
    catalogue = pd.DataFrame(
        {
            "indicator_id": indicators,
            "months_covered": [covered.get(i, 1) for i in indicators],
            "history_months": [history.get(i, 0) for i in indicators],
        }
    )
    months = pd.DatetimeIndex(sorted(monthly["month"].unique()))
    calendar = pd.DataFrame(
        {"area_code": "938", "month": months, "working_days": 20, "school_days": 15}
    )
    return Inputs(monthly, catalogue, periods, terms, calendar)
