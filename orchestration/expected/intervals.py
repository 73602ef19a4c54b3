"""Prediction intervals for one month's value from a fitted model.

Counts: an over-dispersed Poisson variable is close to normal on the 2/3-power scale
(Farrington et al., 1996), so the interval is drawn there and mapped back; it is skewed like
the counts themselves and never goes below 0. Its variance adds the noise of the month
(dispersion x mean) and the uncertainty of the fitted mean (mean^2 x var(eta)).
Shares: the same two parts on the logit scale, at this month's denominator, so the interval
stays between 0% and 100% and widens when the denominator is small."""

from __future__ import annotations

import numpy as np
from scipy.special import expit
from scipy.stats import norm


def z_value(level: float) -> float:
    """The two-sided normal quantile of an interval level (1.96 at 0.95)."""
    return float(norm.ppf(1 - (1 - level) / 2))


def count_interval(
    mean: np.ndarray, eta_variance: np.ndarray, dispersion: np.ndarray, z: float
) -> tuple[np.ndarray, np.ndarray]:
    """Low and high bounds of the count expected with `mean`."""
    mean = np.maximum(mean, 0.0)
    tau = (4.0 / 9.0) * (dispersion * mean ** (1 / 3) + mean ** (4 / 3) * eta_variance)
    centre = mean ** (2 / 3)
    spread = z * np.sqrt(tau)
    low = np.maximum(centre - spread, 0.0) ** 1.5
    high = (centre + spread) ** 1.5
    return low, high


def share_interval(
    share: np.ndarray,
    eta_variance: np.ndarray,
    dispersion: np.ndarray,
    denominator: np.ndarray,
    z: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Low and high bounds (0 to 1) of the share observed out of `denominator`."""
    share = np.clip(share, 1e-9, 1 - 1e-9)
    with np.errstate(divide="ignore", invalid="ignore"):
        logit_variance = dispersion / (denominator * share * (1 - share)) + eta_variance
    centre = np.log(share / (1 - share))
    spread = z * np.sqrt(logit_variance)
    return expit(centre - spread), expit(centre + spread)
