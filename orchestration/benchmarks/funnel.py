"""Funnel plot limits: how far a rate can stray from England's by chance alone, given how
many children it is over, so a small authority's noisy figure is not read as a difference.

An authority with n children expects e = p x n events at England's rate p. Where the
authorities vary no more than chance allows, the limits are the exact Poisson quantiles of
e (Spiegelhalter, "Funnel plots for comparing institutional performance", 2005). Where they
vary more, as authorities usually do, the spread is measured by the dispersion factor phi,
the mean squared z-score after the most extreme 10% at each end are pulled in (winsorised),
and the limits widen to e +/- z sqrt(phi e) (Spiegelhalter, "Handling over-dispersion of
performance indicators", 2005), so a point outside them differs by more than authorities
commonly do.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import norm, poisson

LEVELS = {"95": 0.95, "99.8": 0.998}
WINSOR_SHARE = 0.1


def dispersion(counts: np.ndarray, expected: np.ndarray) -> float:
    """phi over the authorities: 1 when they spread no more than Poisson noise."""
    counts, expected = np.asarray(counts, float), np.asarray(expected, float)
    keep = expected > 0
    z = (counts[keep] - expected[keep]) / np.sqrt(expected[keep])
    if z.size == 0:
        return 1.0
    low, high = np.quantile(z, [WINSOR_SHARE, 1 - WINSOR_SHARE])
    return max(float(np.mean(np.clip(z, low, high) ** 2)), 1.0)


def limits(expected: np.ndarray, phi: float, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper limits on the count at each expected count."""
    expected = np.asarray(expected, float)
    tail = (1 - level) / 2
    if phi <= 1.0:
        return poisson.ppf(tail, expected), poisson.ppf(1 - tail, expected)
    spread = norm.ppf(1 - tail) * np.sqrt(phi * expected)
    return np.maximum(expected - spread, 0.0), expected + spread


def position(count: float, expected: float, phi: float) -> str:
    """Where a count falls: within, above_95, above_99.8, below_95 or below_99.8."""
    if not (np.isfinite(count) and np.isfinite(expected) and expected > 0):
        return "not_assessed"
    verdict = "within"
    for name, level in LEVELS.items():
        low, high = (float(x[0]) for x in limits(np.array([expected]), phi, level))
        if count > high:
            verdict = f"above_{name}"
        elif count < low:
            verdict = f"below_{name}"
    return verdict
