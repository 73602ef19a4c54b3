"""The answer key of injected effects: what the scenario should do to each indicator.

For every indicator the scenario shapes directly, and each of its breakdowns, the expected
multiplicative change a month (1.0 where nothing was injected), as
``_truth/injected_effects.csv``. It is derived from the scenario and the generator's own
model tables (rhythms, mixes, rates by age), never from its random streams, so writing it
leaves every extract byte-identical. Referrals are here; the partner sources are in
``synthetic/effects_sources.py``. Recording defects are not effects: they are in
``_truth/defects.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from synthetic.calendar import Calendar
from synthetic.calibration import ReferralRates
from synthetic.period import Period
from synthetic.reference import (
    DBT_SEEDS_DIR,
    code_mix,
    postcode_districts,
    referral_age_bands,
)
from synthetic.referrals import build_referral_model
from synthetic.scenario import ALL_GROUPS, Scenario

# The catalogue's breakdowns of the two referral indicators; per 10,000 has the same
# effect as the count, its denominator (the population) being unshocked.
_REFERRAL_INDICATORS = {
    "referrals": ("all", "source_group", "age_band", "primary_need_code", "sex",
                  "ethnicity_major_group", "locality"),
    "referrals_per_10000": ("all", "age_band", "sex"),
}  # fmt: skip
# Breakdown values that carry the 'all' effect: what dbt writes where a child has no
# postcode district known to any partner, and for an NFA referral (no primary need).
NOT_KNOWN_LOCALITY = "not_known"
NOT_RECORDED = "not_recorded"


@dataclass(frozen=True)
class Series:
    """One indicator and breakdown: its expected change in each month of the period."""

    indicator_id: str
    dimension: str
    value: str
    effect: np.ndarray  # one per month of the period
    mechanism: str


@dataclass(frozen=True)
class MonthGrid:
    """The period's months, and for each calendar day the month it belongs to (or -1)."""

    labels: list[str]  # YYYY-MM-01
    day_month: np.ndarray  # per calendar day: index into labels, -1 outside the period

    @classmethod
    def build(cls, period: Period, calendar: Calendar) -> MonthGrid:
        months = period.months()
        first = months[0].year * 12 + months[0].month - 1
        index = calendar.month - first
        index = np.where((index >= 0) & (index < len(months)), index, -1)
        return cls([m.isoformat() for m in months], index)

    def sums(self, per_day: np.ndarray) -> np.ndarray:
        """Sum of a per-day array (last axis) over the days of each month."""
        per_day = np.atleast_2d(per_day)
        inside = self.day_month >= 0
        out = np.zeros((per_day.shape[0], len(self.labels)))
        for row, values in enumerate(per_day):
            out[row] = np.bincount(
                self.day_month[inside], values[inside], minlength=len(self.labels)
            )
        return out

    def ratio(self, shocked: np.ndarray, baseline: np.ndarray) -> np.ndarray:
        """Month sums of shocked over baseline expected counts; 1.0 where none are expected."""
        num, den = self.sums(shocked)[0], self.sums(baseline)[0]
        return np.divide(num, den, out=np.ones_like(num), where=den > 0)


@cache
def _age_bands() -> pd.DataFrame:
    return pd.read_csv(DBT_SEEDS_DIR / "age_bands.csv")


def age_band_of_years(min_age_years: float) -> str:
    """The catalogue's age band (dbt seed age_bands) holding a whole age in years."""
    bands = _age_bands()
    age = int(np.floor(min_age_years))
    hit = bands[(bands["min_age"] <= age) & (bands["max_age"] >= age)]
    return str(hit["age_band"].iloc[0])


def referral_series(
    calendar: Calendar,
    period: Period,
    scenario: Scenario,
    rates: ReferralRates,
    population_sex: np.ndarray,
) -> list[Series]:
    """Referrals and referrals per 10,000 by each breakdown, from the referral model.

    The model's day weights are each source group's rhythm (weekday, school holiday, month
    of year) times the scenario's multipliers; a referral's group is drawn from the mix for
    its age band. So in a month, group g's expected referrals are (its share) x (its summed
    rhythm) x (its multiplier), and the effect on a mix of groups is the multipliers'
    average weighted by each group's baseline referrals that month. First order: referrals
    dropped because the child's episode is still open, and re-referrals after a shocked
    month, shift a little with the shock and are not counted.
    """
    grid = MonthGrid.build(period, calendar)
    base = build_referral_model(calendar, Scenario("baseline"), rates)
    shocked = build_referral_model(calendar, scenario, rates)
    baseline = grid.sums(base.day_weight)  # (groups, months), at unit share
    with_shock = grid.sums(shocked.day_weight)
    groups = base.groups
    given_band = np.diff(base.source_given_band, axis=1, prepend=0.0)  # P(group | band)
    bands = referral_age_bands()
    band_share = bands["referral_share"].to_numpy(float)
    share = (band_share / band_share.sum()) @ given_band  # P(group)

    def mix(weights: np.ndarray) -> np.ndarray:
        return (weights @ with_shock) / (weights @ baseline)

    every = "multipliers.* (source groups weighted by their baseline referrals that month)"
    overall = mix(share)
    out: dict[str, list[tuple[str, np.ndarray, str]]] = {"all": [("all", overall, every)]}
    out["source_group"] = [
        (g, mix(np.eye(len(groups))[k]), f"multipliers.{g}; multipliers.{ALL_GROUPS}")
        for k, g in enumerate(groups)
    ]
    # The group mix differs by age band (schools refer few babies), so each band has its own.
    out["age_band"] = [
        (
            age_band_of_years(lo),
            mix(given_band[b]),
            "multipliers.* (weighted by the age band's baseline referrals)",
        )
        for b, lo in enumerate(bands["min_age_years"].tolist())
    ]
    # The group is drawn from the age band alone, so characteristics the population draws
    # independently of age (sex, ethnicity, district) and the primary need (drawn at
    # random after the referral) carry the overall effect.
    needs = sorted(set(code_mix("primary_need").codes) | {"N2", NOT_RECORDED})
    majors = pd.read_csv(DBT_SEEDS_DIR / "ethnicities.csv", keep_default_na=False)
    major_of = dict(zip(majors["code"], majors["major_group"], strict=True))
    ethnic = sorted({major_of[c] for c in code_mix("ethnicity").codes})
    localities = sorted(set(postcode_districts()["locality"].dropna())) + [NOT_KNOWN_LOCALITY]
    sexes = sorted(set(np.asarray(population_sex).tolist()))
    for dimension, values in (
        ("primary_need_code", needs),
        ("sex", sexes),
        ("ethnicity_major_group", ethnic),
        ("locality", localities),
    ):
        out[dimension] = [(v, overall, every) for v in values]
    return [
        Series(indicator, dimension, value, effect, mechanism)
        for indicator, dimensions in _REFERRAL_INDICATORS.items()
        for dimension in dimensions
        for value, effect, mechanism in out[dimension]
    ]


def effect_rows(area_code: str, period: Period, series: list[Series]) -> list[list[object]]:
    """Rows of injected_effects.csv, one per series and month (truth.EFFECT_COLUMNS)."""
    labels = [m.isoformat() for m in period.months()]
    return [
        [area_code, s.indicator_id, s.dimension, s.value, label, round(float(e), 6), s.mechanism]
        for s in series
        for label, e in zip(labels, s.effect, strict=True)
    ]
