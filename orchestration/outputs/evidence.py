"""What the comparison mart says about one series over some months: recorded against expected,
how far outside the 95% interval and for how many months, on how many children or events,
whether any figure behind it is suppressed, and how the expected value was made. The
questions register, its priority list, the decompositions and the briefing's tables of
changes all summarise months through here, so they agree on every figure."""

from __future__ import annotations

import numpy as np
import pandas as pd

from orchestration.outputs.published import SERIES
from orchestration.outputs.suppression import SUPPRESSED

# How a unit's values combine over months: counts add up, shares, rates and lengths are
# averaged (a month's share is not a count of anything that could be summed).
SUMMED_UNITS = {"count"}
# What a unit's value is per unit of its denominator, to turn a change in the value into a
# number of children or events.
PER_DENOMINATOR = {"percent": 100.0, "per_10000": 10_000.0}


# What summarise reads of the comparison mart, as arrays: the register summarises thousands
# of short slices of series, and slicing frames was most of its time.
NUMBERS = ["value", "expected_value", "expected_low", "expected_high", "denominator",
           "baseline_mean_base_count"]  # fmt: skip
FLAGS = ["value_hidden", "expected_hidden"]
TEXTS = ["unit", "method", "dq_caveat"]
Columns = dict[str, np.ndarray]


def columns(frame: pd.DataFrame) -> Columns:
    """The months of a frame as the arrays summarise reads."""
    arrays = {c: frame[c].to_numpy(dtype=float, na_value=np.nan) for c in NUMBERS}
    arrays |= {c: frame[c].to_numpy(dtype=bool) for c in FLAGS}
    arrays |= {c: frame[c].to_numpy(dtype=object) for c in TEXTS}
    arrays["month"] = pd.DatetimeIndex(frame["month"]).to_numpy()
    return arrays


def within(arrays: Columns, months: pd.DatetimeIndex) -> Columns | None:
    """The given months of a series, or None if it has none of them."""
    keep = np.isin(arrays["month"], months.to_numpy())
    return {c: a[keep] for c, a in arrays.items()} if keep.any() else None


def by_series(vs_baseline: pd.DataFrame) -> dict[tuple, Columns]:
    """Each series' months in order, as arrays, looked up by its SERIES key."""
    ordered = vs_baseline.sort_values("month")
    return {key: columns(rows) for key, rows in ordered.groupby(SERIES, sort=False)}


def summarise(rows: pd.DataFrame | Columns, z_cap: float) -> dict:
    """One series over the given months. `strength` adds up, over the months, how far each
    lies from expected in the direction of the overall change: (value - expected) / the
    interval's half-width on the side the value lies (intervals of counts are not symmetric;
    beyond 1 is outside), between -z_cap and z_cap a month (beyond it a month is conclusive,
    and more would let one very narrow interval outweigh a change seen for months)."""
    arrays = columns(rows) if isinstance(rows, pd.DataFrame) else rows
    unit = arrays["unit"][0]
    summed = unit in SUMMED_UNITS
    assessed = ~(np.isnan(arrays["value"]) | np.isnan(arrays["expected_value"]))
    value, expected, low, high, denominator = (
        arrays[c][assessed]
        for c in ("value", "expected_value", "expected_low", "expected_high", "denominator")
    )
    combine = np.sum if summed else np.mean
    total = {
        name: float(combine(a)) if len(a) else float("nan")
        for name, a in (("recorded", value), ("expected", expected), ("low", low), ("high", high))
    }
    width = np.where(value < expected, expected - low, high - expected)
    z = np.divide(value - expected, width, out=np.full(len(value), np.nan), where=width > 0)
    sign = 1 if total["recorded"] >= total["expected"] else -1
    toward = z[~np.isnan(z)] * sign  # how far out each month lies in the overall direction
    per = PER_DENOMINATOR.get(unit)
    if summed:
        difference = (value - expected).sum()
    else:
        difference = (
            ((value - expected) / per * denominator).sum() if per else np.nansum(denominator)
        )
    change = (
        100 * (total["recorded"] - total["expected"]) / total["expected"]
        if total["expected"]
        else float("nan")
    )
    hidden = bool(arrays["value_hidden"].any()), bool(arrays["expected_hidden"].any())
    bases = arrays["baseline_mean_base_count"]
    return {
        "unit": unit,
        "recorded": total["recorded"],
        "expected": total["expected"],
        "expected_low": total["low"],
        "expected_high": total["high"],
        "percent_change": change if np.isfinite(change) else None,
        "strength": max(float(np.clip(toward, -z_cap, z_cap).sum()), 0.0),
        "months_in_run": len(arrays["month"]),
        "months_outside": int((toward > 1).sum()),
        "events": abs(float(difference)) if np.isfinite(difference) else 0.0,
        "value_hidden": hidden[0],
        "expected_hidden": hidden[1],
        "hidden": any(hidden),
        "method": "model" if (arrays["method"] == "model").all() else "same_months",
        "base_count": bases[~np.isnan(bases)].min() if (~np.isnan(bases)).any() else np.nan,
        "caveat": "; ".join(
            dict.fromkeys(c for c in arrays["dq_caveat"] if isinstance(c, str) and c)
        ),
    }


def month_span(first: pd.Timestamp, last: pd.Timestamp) -> str:
    """'April 2020', 'April and May 2020', 'December 2020 to February 2021'."""
    if first == last:
        return first.strftime("%B %Y")
    joiner = (
        " and " if (last.year * 12 + last.month) - (first.year * 12 + first.month) == 1 else " to "
    )
    start = first.strftime("%B") if first.year == last.year else first.strftime("%B %Y")
    return start + joiner + last.strftime("%B %Y")


def figure(value: float | None, unit: str, hidden: bool) -> str:
    """A published figure in words' company: 'c' when suppressed, with its unit."""
    if hidden:
        return SUPPRESSED
    if value is None or pd.isna(value):
        return ""
    return {
        "count": f"{value:,.0f}",
        "percent": f"{value:.1f}%",
        "per_10000": f"{value:,.1f} per 10,000 children",
        "days": f"{value:,.0f} days",
    }.get(unit, f"{value:,.1f}")


def change_words(summary: dict) -> str:
    """'16% below the expected value', or only the side when a figure behind it is hidden."""
    side = "below" if (summary["percent_change"] or 0) < 0 else "above"
    if summary["hidden"] or summary["percent_change"] is None:
        return f"{side} the expected range"
    return f"{abs(summary['percent_change']):.0f}% {side} the expected value"


def signed_percent(summary: dict) -> str:
    """'-63%', '+6%', or 'c' when a figure behind it is hidden."""
    if summary["hidden"] or summary["percent_change"] is None:
        return SUPPRESSED
    return f"{summary['percent_change']:+.0f}%".replace("-", "\u2212")
