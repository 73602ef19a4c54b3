"""How often the method is wrong: a rolling-origin backtest over the months before the
first period of interest. Each month from the first with `backtest_min_history_months` of
clean history is predicted by the model fitted on the clean months before it only, exactly
as the live method would have predicted it then; per series, the share of those months
inside the interval (coverage), the mean bias and the share flagged."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from orchestration.expected.panel import SERIES, Panel
from orchestration.expected.series import Inputs, Settings, build_panels, fit_window

COLUMNS = [
    *SERIES,
    "method",
    "first_origin",
    "last_origin",
    "months_tested",
    "months_inside",
    "coverage",
    "mean_bias_percent",
    "share_flagged_below",
    "share_flagged_above",
    "mean_base_count",
]


def backtest(inputs: Inputs, settings: Settings) -> pd.DataFrame:
    """One row per series with at least one month tested (columns COLUMNS)."""
    first_period = pd.to_datetime(inputs.periods["start_date"]).min()
    rows = []
    for panel, design in build_panels(inputs):
        before = np.asarray(panel.months < first_period.to_period("M").to_timestamp())
        history = np.cumsum(panel.clean, axis=1) - panel.clean
        covered = panel.keys["months_covered"].to_numpy(dtype=float)
        needed = np.ceil(settings.backtest_min_history_months / covered)[:, None]
        testable = panel.clean & before[None, :] & (history >= needed)
        tested = np.zeros(panel.value.shape, dtype=bool)
        low = np.full(panel.value.shape, np.nan)
        high, expected = low.copy(), low.copy()
        base = np.full(len(panel.keys), np.nan)
        for origin in np.flatnonzero(testable.any(axis=0)):
            in_fit = panel.clean & (np.arange(len(panel.months)) < origin)[None, :]
            model = fit_window(panel, design, in_fit, _without_history_rule(settings))
            take = testable[:, origin] & model["usable"][:, origin]
            tested[take, origin] = True
            for target, source in ((low, "low"), (high, "high"), (expected, "expected")):
                target[take, origin] = model[source][take, origin]
            base = np.where(take, model["base"], base)
        rows += _summaries(panel, tested, low, high, expected, base)
    return pd.DataFrame(rows, columns=COLUMNS)


def _without_history_rule(settings: Settings) -> Settings:
    """The backtest tests the model from its minimum history, shorter than the live rule."""
    return replace(settings, min_clean_months=settings.backtest_min_history_months)


def _summaries(
    panel: Panel,
    tested: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    expected: np.ndarray,
    base: np.ndarray,
) -> list[dict]:
    result = []
    value = panel.value
    for index in np.flatnonzero(tested.any(axis=1)):
        months = tested[index]
        observed, lo, hi, exp = (a[index, months] for a in (value, low, high, expected))
        inside = (observed >= lo) & (observed <= hi)
        with np.errstate(invalid="ignore", divide="ignore"):
            bias = np.where(exp != 0, 100 * (observed - exp) / exp, np.nan)
        tested_months = panel.months[months]
        result.append(
            {
                **panel.keys.loc[index, SERIES].to_dict(),
                "method": "model",
                "first_origin": tested_months.min(),
                "last_origin": tested_months.max(),
                "months_tested": int(months.sum()),
                "months_inside": int(inside.sum()),
                "coverage": float(inside.mean()),
                "mean_bias_percent": float(np.nanmean(bias)) if np.isfinite(bias).any() else None,
                "share_flagged_below": float((observed < lo).mean()),
                "share_flagged_above": float((observed > hi).mean()),
                "mean_base_count": float(base[index]),
            }
        )
    return result
