"""The batched fit against statsmodels' GLM, fitted one series at a time, and against a fit
small enough to work out by hand."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from orchestration.expected import glm
from orchestration.expected.design import design_matrix
from orchestration.expected.intervals import count_interval

MONTHS = pd.date_range("2016-04-01", periods=48, freq="MS")
CALENDAR = pd.DataFrame({"working_days": 0, "school_days": 0}, index=MONTHS)


def test_intercept_only_poisson_is_the_mean_with_pearson_dispersion():
    counts = np.array([[10.0, 14.0, 9.0, 13.0, 20.0, 12.0]])
    design = np.ones((6, 1))
    fit = glm.fit("poisson", design, counts, np.ones_like(counts), np.ones_like(counts, bool))
    mean = counts.mean()  # 13: the maximum-likelihood mean of a constant Poisson rate
    assert fit.mean == pytest.approx(np.full((1, 6), mean))
    pearson = ((counts - mean) ** 2 / mean).sum()  # 62 / 13
    assert fit.dispersion[0] == pytest.approx(max(1.0, pearson / 5))
    # var(eta) = dispersion / (n x mean) for the log of a mean of n counts
    assert fit.eta_variance[0, 0] == pytest.approx(fit.dispersion[0] / (6 * mean))


@pytest.mark.parametrize("family", ["poisson", "binomial"])
def test_batched_fit_matches_statsmodels(family):
    rng = np.random.default_rng(7)
    design = design_matrix(MONTHS, CALENDAR, ("trend", "month_of_year"))
    season = 1 + 0.3 * np.sin(np.arange(48) * 2 * np.pi / 12)
    trials = rng.integers(80, 400, size=(3, 48)).astype(float)
    if family == "poisson":
        successes = rng.negative_binomial(5, 5 / (5 + trials * 0.2 * season)).astype(float)
    else:
        successes = rng.binomial(trials.astype(int), 0.2 * season).astype(float)
    in_fit = np.ones((3, 48), dtype=bool)
    in_fit[1, 30:] = False  # one series is fitted on fewer months
    fit = glm.fit(family, design, successes, trials, in_fit)
    for row in range(3):
        used = in_fit[row]
        if family == "poisson":
            model = sm.GLM(
                successes[row, used],
                design[used],
                family=sm.families.Poisson(),
                offset=np.log(trials[row, used]),
            )
        else:
            # proportions weighted by their trials: statsmodels' Pearson statistic then counts
            # each trial, as the quasi-binomial dispersion does
            model = sm.GLM(
                successes[row, used] / trials[row, used],
                design[used],
                family=sm.families.Binomial(),
                var_weights=trials[row, used],
            )
        result = model.fit(scale="X2")
        eta = design @ result.params + (np.log(trials[row]) if family == "poisson" else 0)
        expected = np.exp(eta) if family == "poisson" else 1 / (1 + np.exp(-eta))
        assert fit.mean[row] == pytest.approx(expected, rel=1e-6)
        assert fit.dispersion[row] == pytest.approx(max(1.0, result.scale), rel=1e-6)
        covariance = result.cov_params() * max(1.0, result.scale) / result.scale
        assert fit.eta_variance[row] == pytest.approx(
            np.einsum("mp,pq,mq->m", design, covariance, design), rel=1e-5
        )
        assert fit.residual_df[row] == used.sum() - design.shape[1]


def test_a_month_of_year_never_fitted_is_not_supported():
    design = design_matrix(MONTHS, CALENDAR, ("month_of_year",))
    counts = np.full((1, 48), 20.0)
    in_fit = np.ones((1, 48), dtype=bool)
    in_fit[0, MONTHS.month == 8] = False  # no August in the fit
    fit = glm.fit("poisson", design, counts, np.ones_like(counts), in_fit)
    assert not fit.supported[0, MONTHS.month == 8].any()
    assert fit.supported[0, MONTHS.month != 8].all()


def test_count_interval_is_skewed_like_counts_and_never_negative():
    low, high = count_interval(np.array([4.0, 100.0]), np.array([0.0, 0.0]), 1.0, 1.96)
    # 2/3-power scale: (100^(2/3) +- 1.96 x (2/3) x 100^(1/6))^(3/2)
    centre, spread = 100 ** (2 / 3), 1.96 * (2 / 3) * 100 ** (1 / 6)
    assert low[1] == pytest.approx((centre - spread) ** 1.5)
    assert high[1] == pytest.approx((centre + spread) ** 1.5)
    assert 100 - low[1] < high[1] - 100  # skewed up, as a Poisson count is
    assert 0 <= low[0] < 4 < high[0]
