"""Expected value, 95% prediction interval, method and flag for every indicator month.

For each series (area, indicator, breakdown) a quasi-Poisson model (counts, and rates with
their denominator as exposure) or quasi-binomial model (shares) is fitted on its clean
months, with the terms the seed `expected_value_terms` gives its indicator. A series with
fewer clean values than `min_clean_months` covers, or a mean count under `min_mean_count`,
falls back to the same-months rule (the mean of the same calendar month in the previous
clean years, with a Poisson or binomial interval); with fewer than two such years it has no
expected value. A month is flagged below or above when its value leaves the interval, and
is not assessed when it has no value, lacks the earlier records it needs (a re-referral in a
series' first year), is not comparable by design, rests on small counts or has no expected
value (the first reason that applies is given)."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from orchestration.expected import glm
from orchestration.expected.design import design_matrix, terms_by_scope, terms_for
from orchestration.expected.intervals import count_interval, share_interval, z_value
from orchestration.expected.panel import SERIES, Panel, panels
from orchestration.expected.same_months import same_months

COLUMNS = [
    *SERIES, "month", "method", "expected_value", "expected_low", "expected_high", "flag",
    "not_assessed_reason", "in_model_fit", "model_dispersion", "model_clean_values",
    "baseline_mean", "baseline_min", "baseline_max", "baseline_stddev", "baseline_years_used",
    "baseline_mean_base_count", "baseline_first_month",
]  # fmt: skip

# Reasons a month is not judged for which no interval is shown; a month not comparable by
# design keeps its interval, as the context it is shown in.
UNJUDGED = {"small_counts", "short_series", "history_incomplete"}


@dataclass(frozen=True)
class Settings:
    interval_level: float = 0.95
    min_clean_months: int = 36
    min_mean_count: float = 10.0
    same_months_years: int = 3
    backtest_min_history_months: int = 24

    @classmethod
    def from_config(cls, config: dict) -> Settings:
        """From the dbt model's meta (values may arrive as strings from var())."""
        convert = {f.name: int if f.type == "int" else float for f in fields(cls)}
        return cls(**{k: convert[k](v) for k, v in config.items() if k in convert})


@dataclass(frozen=True)
class Inputs:
    monthly: pd.DataFrame  # marts.fct_indicator_monthly
    catalogue: pd.DataFrame  # reference.indicators
    periods: pd.DataFrame  # reference.periods
    terms: pd.DataFrame  # reference.expected_value_terms
    calendar: pd.DataFrame  # area_code, month, working_days, school_days


def build_panels(inputs: Inputs) -> list[tuple[Panel, np.ndarray]]:
    """Each panel with its design matrix."""
    table = terms_by_scope(inputs.terms)
    calendar = inputs.calendar.assign(month=pd.to_datetime(inputs.calendar["month"]))
    result = []
    for panel in panels(
        inputs.monthly, inputs.catalogue, inputs.periods, lambda i, f: terms_for(table, i, f)
    ):
        first = panel.keys.iloc[0]
        area_calendar = calendar[calendar["area_code"] == first["area_code"]].set_index("month")
        terms = terms_for(table, first["indicator_id"], first["family"])
        result.append((panel, design_matrix(panel.months, area_calendar, terms)))
    return result


def fit_window(panel: Panel, design: np.ndarray, in_fit: np.ndarray, settings: Settings) -> dict:
    """The model's expected value and interval (value scale) for every month, from the
    months `in_fit`, and whether each series and month may use it."""
    exposure = panel.exposure
    fitted = glm.fit(panel.family, design, panel.numerator, exposure, in_fit)
    z = z_value(settings.interval_level)
    scale = panel.value_scale[:, None]
    if panel.family == "binomial":
        low, high = share_interval(
            fitted.mean, fitted.eta_variance, fitted.dispersion[:, None], exposure, z
        )
        expected = fitted.mean * scale
        low, high = low * scale, high * scale
    else:
        low, high = count_interval(fitted.mean, fitted.eta_variance, fitted.dispersion[:, None], z)
        expected, low, high = (part * scale / exposure for part in (fitted.mean, low, high))
    covered = panel.keys["months_covered"].to_numpy(dtype=float)
    needed = np.ceil(settings.min_clean_months / covered)
    base = _mean_where(panel.base_count, in_fit)
    eligible = (in_fit.sum(axis=1) >= needed) & np.isfinite(fitted.dispersion)
    return {
        "expected": expected,
        "low": low,
        "high": high,
        "base": base,
        "usable": eligible[:, None] & fitted.supported & (base >= settings.min_mean_count)[:, None],
        "dispersion": fitted.dispersion,
        "clean_values": in_fit.sum(axis=1),
    }


def fallback(panel: Panel, same: dict, settings: Settings) -> dict:
    """The same-months rule's expected value and interval where two or more years exist."""
    z = z_value(settings.interval_level)
    years = same["years"]
    scale = panel.value_scale[:, None]
    exposure = panel.exposure
    with np.errstate(invalid="ignore", divide="ignore"):
        if panel.family == "binomial":
            share = same["mean"] / scale
            variance = 1.0 / (years * same["denominator"] * share * (1 - share))
            low, high = share_interval(share, variance, 1.0, exposure, z)
            low, high = low * scale, high * scale
        else:
            count = same["mean"] * exposure / scale
            low, high = count_interval(count, 1.0 / (years * np.maximum(count, 1e-9)), 1.0, z)
            low, high = low * scale / exposure, high * scale / exposure
    usable = years >= 2
    return {
        "expected": np.where(usable, same["mean"], np.nan),
        "low": np.where(usable, low, np.nan),
        "high": np.where(usable, high, np.nan),
        "usable": usable,
    }


def flags(
    panel: Panel, method: np.ndarray, low: np.ndarray, high: np.ndarray, small: np.ndarray
) -> tuple:
    """Flag and, where not assessed, why."""
    value = panel.value
    reason = np.select(
        [np.isnan(value), panel.history_incomplete, panel.not_comparable, small, method == "none"],
        ["no_value", "history_incomplete", "not_comparable", "small_counts", "short_series"],
        default="",
    )
    flag = np.select(
        [reason != "", value < low, value > high], ["not_assessed", "below", "above"], "within"
    )
    return flag, np.where(reason == "", None, reason)


def expected_values(inputs: Inputs, settings: Settings) -> pd.DataFrame:
    """One row per row of the monthly indicators (see the module docstring)."""
    frames = []
    for panel, design in build_panels(inputs):
        model = fit_window(panel, design, panel.clean, settings)
        same = same_months(panel, settings.same_months_years)
        simple = fallback(panel, same, settings)
        use_model = model["usable"]
        method = np.where(use_model, "model", np.where(simple["usable"], "same_months", "none"))
        pick = {k: np.where(use_model, model[k], simple[k]) for k in ("expected", "low", "high")}
        small = (model["base"] < settings.min_mean_count)[:, None] & np.ones_like(use_model)
        flag, reason = flags(panel, method, pick["low"], pick["high"], small)
        # A month the method will not judge gets no range to read it against.
        unjudged = np.isin(reason, list(UNJUDGED))
        pick["low"], pick["high"] = (np.where(unjudged, np.nan, pick[k]) for k in ("low", "high"))
        frames.append(
            _long(
                panel,
                {
                    "method": method,
                    "expected_value": pick["expected"],
                    "expected_low": pick["low"],
                    "expected_high": pick["high"],
                    "flag": flag,
                    "not_assessed_reason": reason,
                    "in_model_fit": panel.clean & use_model.any(axis=1, keepdims=True),
                    "model_dispersion": np.repeat(
                        model["dispersion"][:, None], len(panel.months), 1
                    ),
                    "model_clean_values": np.repeat(
                        model["clean_values"][:, None], len(panel.months), 1
                    ),
                    **{f"baseline_{k}": same[k] for k in ("mean", "min", "max", "stddev")},
                    "baseline_years_used": same["years"],
                    "baseline_first_month": same["first"],
                    "baseline_mean_base_count": same["base"],
                },
            )
        )
    if not frames:  # nothing delivered yet: the table exists, empty
        return _empty()
    return pd.concat(frames, ignore_index=True)[COLUMNS]


def _empty() -> pd.DataFrame:
    """The table's columns with their types, so the models reading it still bind."""
    text = {*SERIES, "method", "flag", "not_assessed_reason"}
    dates = {"month", "baseline_first_month"}
    types = {
        c: "object" if c in text else "datetime64[ns]" if c in dates else
        "bool" if c == "in_model_fit" else "float64"
        for c in COLUMNS
    }  # fmt: skip
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in types.items()})


def _long(panel: Panel, arrays: dict[str, np.ndarray]) -> pd.DataFrame:
    """The panel's present rows as a long frame."""
    series, month = np.nonzero(panel.present)
    frame = panel.keys.loc[series, SERIES].reset_index(drop=True)
    frame["month"] = panel.months[month]
    for name, array in arrays.items():
        frame[name] = array[series, month]
    first = frame.pop("baseline_first_month")
    frame["baseline_first_month"] = [
        panel.months[int(i)] if np.isfinite(i) else pd.NaT for i in first
    ]
    return frame


def _mean_where(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    count = mask.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(mask, np.nan_to_num(values), 0.0).sum(axis=1) / count
