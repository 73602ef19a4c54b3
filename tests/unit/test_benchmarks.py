"""Benchmarks like LAIT's: funnel limits on hand-computed cases, statistical neighbours on a
constructed profile, the quartile, and the published-versus-computed note."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from orchestration.benchmarks import funnel
from orchestration.benchmarks.neighbours import profile_years, statistical_neighbours
from orchestration.benchmarks.positions import benchmark_positions, published_note


def _poisson_cdf(k: int, mu: float) -> float:
    return sum(math.exp(-mu + i * math.log(mu) - math.lgamma(i + 1)) for i in range(k + 1))


def test_exact_poisson_limits_without_over_dispersion() -> None:
    low, high = funnel.limits(np.array([100.0]), 1.0, 0.95)
    # The smallest k with P(X <= k) >= 2.5%, and with P(X <= k) >= 97.5%, summed by hand.
    assert _poisson_cdf(80, 100) < 0.025 <= _poisson_cdf(81, 100)
    assert _poisson_cdf(119, 100) < 0.975 <= _poisson_cdf(120, 100)
    assert (low[0], high[0]) == (81.0, 120.0)


def test_over_dispersed_limits_widen_by_root_phi() -> None:
    low, high = funnel.limits(np.array([100.0]), 4.0, 0.95)
    assert low[0] == pytest.approx(100 - 1.959964 * 20, abs=1e-4)
    assert high[0] == pytest.approx(100 + 1.959964 * 20, abs=1e-4)
    low, _ = funnel.limits(np.array([4.0]), 9.0, 0.95)
    assert low[0] == 0.0  # never below no events


def test_dispersion_is_the_mean_squared_winsorised_z() -> None:
    expected = np.full(10, 100.0)
    assert funnel.dispersion(expected, expected) == 1.0  # no spread: never narrower than chance
    z = np.array([-5, -3, -2, -1, 0, 0, 1, 2, 3, 9.0])
    counts = expected + z * 10
    low, high = np.quantile(z, [0.1, 0.9])
    assert funnel.dispersion(counts, expected) == pytest.approx(np.mean(np.clip(z, low, high) ** 2))


def test_position_against_the_limits() -> None:
    assert funnel.position(100, 100, 1.0) == "within"
    assert funnel.position(125, 100, 1.0) == "above_95"  # over 120, under the 99.8% limit
    assert funnel.position(140, 100, 1.0) == "above_99.8"
    assert funnel.position(70, 100, 1.0) == "below_99.8"
    assert funnel.position(140, 100, 4.0) == "above_95"  # within what authorities commonly vary
    assert funnel.position(5, float("nan"), 1.0) == "not_assessed"


def _rates(n: int = 14) -> pd.DataFrame:
    """n authorities over three years, two measures; 900 is the target, 901 nearly its twin."""
    rng = np.random.default_rng(3)
    rows = []
    for i in range(n):
        code = str(900 + i)
        base = {"a": 100 + 15 * i, "b": 40 + 3 * (i % 5)}
        children = 50_000 + 20_000 * (i % 4)
        if code == "901":
            base, children = {"a": 101, "b": 40}, 50_000
        for year in (2017, 2018, 2019, 2021):
            for measure, rate in base.items():
                rate = rate * (3 if year == 2021 else 1) + rng.normal(0, 0.1)
                rows.append(("Local authority", code, f"LA {code}", year, measure,
                             rate * children / 10_000, children, rate))  # fmt: skip
    return pd.DataFrame(rows, columns=["geographic_level", "area_code", "la_name",
                                       "year_ending_march", "indicator_id", "count", "children",
                                       "per_10000"])  # fmt: skip


def test_statistical_neighbours_are_the_nearest_profiles() -> None:
    rates = _rates()
    found = statistical_neighbours(rates, "900", [2017, 2018, 2019])
    assert len(found) == 10 and "900" not in set(found["neighbour_code"])
    assert found["neighbour_code"].iloc[0] == "901"
    assert found["neighbour_rank"].tolist() == list(range(1, 11))
    assert found["distance"].is_monotonic_increasing
    assert "2017 to 2019" in found["method"].iloc[0]
    assert statistical_neighbours(rates, "999", [2017]).empty  # no published profile


def test_profile_years_end_before_the_first_period() -> None:
    assert profile_years(pd.Series(["2020-11-05", "2020-03-23"])) == [2017, 2018, 2019]
    assert profile_years(pd.Series(["2020-05-01"])) == [2018, 2019, 2020]


def test_positions_pool_neighbours_and_rank_the_quartile() -> None:
    rates = _rates()
    neighbours = statistical_neighbours(rates, "900", [2017, 2018, 2019])
    measures = pd.DataFrame({"indicator_id": ["a", "b"], "definition_difference": ["x", "y"]})
    computed = pd.DataFrame({
        "area_code": ["900"], "year_ending_march": [2019], "indicator_id": ["a"],
        "computed": [1000.0], "computed_per_10000": [200.0], "published_for_area": [1000.0],
        "published_for_area_per_10000": [200.0],
    })  # fmt: skip
    out = benchmark_positions(computed, rates, neighbours, measures, 10.0).iloc[0]
    la = rates[(rates["year_ending_march"] == 2019) & (rates["indicator_id"] == "a")]
    mine = la[la["area_code"].isin(neighbours["neighbour_code"])]
    assert out["neighbours_per_10000"] == pytest.approx(
        mine["count"].sum() * 10_000 / mine["children"].sum()
    )
    assert out["quartile"] == min(4, int((la["per_10000"] < 200).mean() * 4) + 1)
    assert out["median_per_10000"] == pytest.approx(la["per_10000"].median())
    assert out["funnel_lower_95_per_10000"] < out["funnel_upper_95_per_10000"]
    assert out["published_note"] == ""


def _row(**values: float) -> SimpleNamespace:
    base = {"computed": 1000.0, "published_for_area": 1000.0, "computed_per_10000": 50.0,
            "published_for_area_per_10000": 50.0, "published_difference_percent": 0.0}  # fmt: skip
    return SimpleNamespace(**{**base, **values})


def test_published_note_says_what_differs_and_why() -> None:
    assert published_note(_row(), "a rule", 10.0, False) == ""
    far = _row(computed=1500.0, published_difference_percent=50.0)
    note = published_note(far, "a rule", 10.0, False)
    assert "1,500 against 1,000 published (+50%)" in note and "the definition (a rule)" in note
    assert "synthetic" not in note and "synthetic" in published_note(far, "a rule", 10.0, True)
    population = published_note(_row(computed_per_10000=60.0), "a rule", 10.0, False)
    assert "counts agree but the rates differ by +20%" in population
    missing = _row(published_for_area=float("nan"), published_difference_percent=float("nan"))
    no_figure = "DfE published no figure for this authority and year."
    assert published_note(missing, "", 10.0, False) == no_figure
