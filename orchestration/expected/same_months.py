"""The comparison DfE's Vulnerable Children and Young People survey used, kept beside the
model because users quote it: each month against the mean of the same calendar month in the
previous N clean years (default 3)."""

from __future__ import annotations

import numpy as np

from orchestration.expected.panel import Panel

NAMES = ["years", "first", "mean", "min", "max", "stddev", "base", "numerator", "denominator"]


def same_months(panel: Panel, years: int) -> dict[str, np.ndarray]:
    """S x M arrays: years used, first month used (a month index), mean, min, max and sample
    standard deviation (0 with one year) of the value, and the mean count behind it, its
    numerator and denominator; nan where no earlier clean year exists."""
    shape = panel.value.shape
    out = {name: np.full(shape, np.nan) for name in NAMES}
    for month in range(12, shape[1]):
        earlier = np.array([month - 12 * back for back in range(1, month // 12 + 1)])
        clean = panel.clean[:, earlier]
        use = clean & (np.cumsum(clean, axis=1) <= years)
        count = use.sum(axis=1).astype(float)
        has = count > 0
        with np.errstate(invalid="ignore", divide="ignore"):

            def mean_of(
                source: np.ndarray,
                use: np.ndarray = use,
                count: np.ndarray = count,
                earlier: np.ndarray = earlier,
            ) -> np.ndarray:
                return np.where(use, source[:, earlier], 0.0).sum(axis=1) / count

            mean = mean_of(panel.value)
            values = panel.value[:, earlier]
            squares = np.where(use, (values - mean[:, None]) ** 2, 0.0).sum(axis=1)
            column = {
                "years": count,
                "first": np.where(use, earlier[None, :], shape[1]).min(axis=1),
                "mean": mean,
                "min": np.where(use, values, np.inf).min(axis=1),
                "max": np.where(use, values, -np.inf).max(axis=1),
                "stddev": np.where(count > 1, np.sqrt(squares / (count - 1)), 0.0),
                "base": mean_of(panel.base_count),
                "numerator": mean_of(panel.numerator),
                "denominator": mean_of(panel.denominator),
            }
        for name in NAMES:
            out[name][:, month] = np.where(has, column[name], np.nan)
    return out
