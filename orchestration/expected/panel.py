"""Indicator series as arrays (series x months), with which months are clean: a value is
clean when none of the months it covers overlaps a period of interest, and not comparable
when one of them overlaps a period that declares the indicator not comparable."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

SERIES = ["area_code", "indicator_id", "breakdown_dimension", "breakdown_value"]


@dataclass
class Panel:
    """Series of one area, model family and set of terms, on a common month axis."""

    keys: pd.DataFrame  # SERIES columns plus unit, family, months_covered, one row per series
    months: pd.DatetimeIndex
    numerator: np.ndarray  # S x M, nan where no row
    denominator: np.ndarray  # S x M, nan for counts
    value: np.ndarray  # S x M
    present: np.ndarray  # S x M: the input has a row
    clean: np.ndarray  # S x M: usable to fit (value known, covers no period's month)
    not_comparable: np.ndarray  # S x M
    history_incomplete: np.ndarray  # S x M: within the series' first history_months

    @cached_property
    def family(self) -> str:
        return "binomial" if (self.keys["unit"] == "percent").all() else "poisson"

    @cached_property
    def exposure(self) -> np.ndarray:
        """Trials of the model: the denominator of a share or a rate, 1 for a count."""
        return np.where(np.isnan(self.denominator), 1.0, self.denominator)

    @cached_property
    def value_scale(self) -> np.ndarray:
        """Per series, value = scale x numerator / exposure (100 for a percent, 10,000 for a
        rate per 10,000 children, 1 for counts and days), read from the data itself."""
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(
                self.numerator > 0, self.value * self.exposure / self.numerator, np.nan
            )
        known = ~np.isnan(ratio)
        ordered = np.sort(np.where(known, ratio, np.inf), axis=1)
        middle = np.maximum(known.sum(axis=1) - 1, 0) // 2
        scale = ordered[np.arange(len(ordered)), middle]
        return np.where(np.isfinite(scale), scale, 1.0)

    @cached_property
    def base_count(self) -> np.ndarray:
        """The count behind each value, which sets how much it can say: the numerator of a
        count or a rate; for a share the rarer of its two outcomes (a share of 2 in 300 is as
        noisy as a count of 2)."""
        if self.family == "binomial":
            return np.minimum(self.numerator, self.denominator - self.numerator)
        return self.numerator


def overlapping_months(months: pd.DatetimeIndex, periods: pd.DataFrame) -> np.ndarray:
    """Periods x months: whether the month shares a day with the period."""
    starts = pd.to_datetime(periods["start_date"]).to_numpy()[:, None]
    ends = pd.to_datetime(periods["end_date"]).to_numpy()[:, None]
    month_starts = months.to_numpy()[None, :]
    month_ends = (months + pd.offsets.MonthEnd(0)).to_numpy()[None, :]
    return (starts <= month_ends) & (ends >= month_starts)


def covering(flags: np.ndarray, months_covered: np.ndarray) -> np.ndarray:
    """S x M: whether any of the `months_covered` months ending at each month is flagged;
    `flags` is S x M (or 1 x M), `months_covered` one integer per series."""
    result = np.zeros((len(months_covered), flags.shape[1]), dtype=bool)
    for back in range(int(months_covered.max(initial=1))):
        shifted = np.zeros_like(flags, dtype=bool)
        shifted[:, back:] = flags[:, : flags.shape[1] - back]
        result |= shifted & (back < months_covered)[:, None]
    return result


def panels(
    monthly: pd.DataFrame,
    catalogue: pd.DataFrame,
    periods: pd.DataFrame,
    group_of: Callable[[str, str], tuple],
) -> list[Panel]:
    """Split the monthly indicators into panels; `group_of(keys_row)` names a series' group
    beyond its area and model family (its terms)."""
    months = pd.DatetimeIndex(sorted(pd.to_datetime(monthly["month"]).unique()))
    frame = monthly.assign(month=pd.to_datetime(monthly["month"]))
    frame = frame.merge(
        catalogue[["indicator_id", "months_covered", "history_months"]], on="indicator_id"
    )
    frame["group"] = [
        (area, unit == "percent", group_of(indicator, family))
        for area, unit, indicator, family in frame[
            ["area_code", "unit", "indicator_id", "family"]
        ].itertuples(index=False)
    ]
    overlap = overlapping_months(months, periods)
    any_period = overlap.any(axis=0, keepdims=True)
    closed_for = _not_comparable_months(periods, overlap)
    result = []
    for _, rows in frame.groupby("group", sort=True):
        wide = rows.assign(present=1.0).set_index([*SERIES, "month"])
        wide = wide[["numerator", "denominator", "value", "present"]]
        wide = wide[~wide.index.duplicated()].unstack("month")
        keys = (
            rows.drop_duplicates(SERIES)
            .set_index(SERIES)
            .loc[wide.index, ["unit", "family", "months_covered", "history_months"]]
            .reset_index()
        )

        def array(column: str, wide: pd.DataFrame = wide) -> np.ndarray:
            return wide[column].reindex(columns=months).to_numpy(dtype=float)

        present = ~np.isnan(array("present"))
        covered = keys["months_covered"].to_numpy(dtype=int)
        value = array("value")
        closed = np.vstack(
            [closed_for.get(i, np.zeros(len(months), bool)) for i in keys["indicator_id"]]
        )
        young = _history_incomplete(present, keys["history_months"].to_numpy(dtype=int))
        result.append(
            Panel(
                keys=keys,
                months=months,
                numerator=array("numerator"),
                denominator=array("denominator"),
                value=value,
                present=present,
                clean=~np.isnan(value)
                & ~covering(np.repeat(any_period, len(keys), 0), covered)
                & ~young,
                not_comparable=covering(closed, covered),
                history_incomplete=young,
            )
        )
    return result


def _history_incomplete(present: np.ndarray, history_months: np.ndarray) -> np.ndarray:
    """S x M: the months before each series has history_months of its own behind it."""
    started = np.cumsum(present, axis=1) > 0
    months_in = np.cumsum(started, axis=1)  # 1 in the series' first month
    return started & (months_in <= history_months[:, None])


def _not_comparable_months(periods: pd.DataFrame, overlap: np.ndarray) -> dict[str, np.ndarray]:
    """indicator_id -> months overlapping a period that declares it not comparable."""
    closed: dict[str, np.ndarray] = {}
    for row, listed in enumerate(periods.get("not_comparable", pd.Series(dtype=str)).fillna("")):
        for indicator in filter(None, (part.strip() for part in str(listed).split("|"))):
            closed[indicator] = (
                closed.get(indicator, np.zeros(overlap.shape[1], bool)) | overlap[row]
            )
    return closed
