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


def by_series(vs_baseline: pd.DataFrame) -> dict[tuple, pd.DataFrame]:
    """Each series' months (indexed by month, in order), looked up by its SERIES key."""
    ordered = vs_baseline.sort_values("month")
    return {
        key: rows.set_index("month", drop=False)
        for key, rows in ordered.groupby(SERIES, sort=False)
    }  # fmt: skip


def half_widths(rows: pd.DataFrame) -> pd.Series:
    """Each month's half-width of the interval on the side the value lies: the intervals of
    counts are not symmetric, and a value below is judged against the lower bound."""
    below = rows["value"] < rows["expected_value"]
    return pd.Series(
        np.where(
            below,
            rows["expected_value"] - rows["expected_low"],
            rows["expected_high"] - rows["expected_value"],
        ),
        index=rows.index,
    )


def standardised(rows: pd.DataFrame) -> pd.Series:
    """(value - expected) / half-width: beyond 1 or -1 is outside the interval."""
    width = half_widths(rows)
    return ((rows["value"] - rows["expected_value"]) / width.where(width > 0)).astype(float)


def summarise(rows: pd.DataFrame, z_cap: float) -> dict:
    """One series over the given months. `strength` adds up, over the months outside the
    interval in the direction of the overall change, how far outside each lies (in
    half-widths, at most z_cap a month: beyond that a month is conclusive, and more would let
    one very narrow interval outweigh a change seen for months)."""
    unit = rows["unit"].iloc[0]
    summed = unit in SUMMED_UNITS
    assessed = rows[rows["expected_value"].notna() & rows["value"].notna()]
    combine = (lambda s: s.sum(min_count=1)) if summed else (lambda s: s.mean())
    recorded, expected = combine(assessed["value"]), combine(assessed["expected_value"])
    z = standardised(assessed)
    sign = 1 if (recorded or 0) >= (expected or 0) else -1
    outside = z[(z * sign) > 1]
    difference = (assessed["value"] - assessed["expected_value"]).sum()
    if not summed:
        per = PER_DENOMINATOR.get(unit)
        difference = (
            ((assessed["value"] - assessed["expected_value"]) / per * assessed["denominator"]).sum()
            if per
            else assessed["denominator"].sum()
        )
    hidden = bool(rows["value_hidden"].any()), bool(rows["expected_hidden"].any())
    caveats = rows["dq_caveat"].dropna()
    return {
        "unit": unit,
        "recorded": recorded,
        "expected": expected,
        "expected_low": combine(assessed["expected_low"]),
        "expected_high": combine(assessed["expected_high"]),
        "percent_change": 100 * (recorded - expected) / expected if expected else None,
        "strength": float(outside.abs().clip(upper=z_cap).sum()),
        "months_in_run": len(rows),
        "months_outside": len(outside),
        "events": abs(float(difference)) if len(assessed) else 0.0,
        "value_hidden": hidden[0],
        "expected_hidden": hidden[1],
        "hidden": any(hidden),
        "method": "model" if rows["method"].eq("model").all() else "same_months",
        "base_count": rows["baseline_mean_base_count"].min(),
        "caveat": "; ".join(dict.fromkeys(c for c in caveats if c)),
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
