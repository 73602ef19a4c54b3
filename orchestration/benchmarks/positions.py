"""Where the authority stands each year: against England, its region, its statistical
neighbours and the quartiles of every English authority, on a funnel plot, and whether its
own computed figure agrees with the one DfE published for it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from orchestration.benchmarks import funnel
from orchestration.benchmarks.published import authorities

KEYS = ["year_ending_march", "indicator_id"]
FUNNEL_COLUMNS = [
    f"funnel_{side}_{name.replace('.', '')}_per_10000"
    for name in funnel.LEVELS
    for side in ("lower", "upper")
]


def benchmark_positions(
    computed: pd.DataFrame,
    rates: pd.DataFrame,
    neighbours: pd.DataFrame,
    measures: pd.DataFrame,
    tolerance_percent: float,
    synthetic: bool = False,
) -> pd.DataFrame:
    """rpt_published_benchmarks' rows with the neighbours' rate, the quartiles, the funnel
    limits and position, and the published-versus-computed difference and its reasons
    (synthetic: every record was pseudonymised with the public demo key)."""
    la = authorities(rates)
    out = computed.copy()
    out["children"] = (
        out["computed"] * 10_000 / out["computed_per_10000"].where(out["computed_per_10000"] > 0)
    )
    out = out.merge(_neighbour_rates(la, neighbours), on=["area_code", *KEYS], how="left")
    out = out.merge(_quartiles(la), on=KEYS, how="left")
    out["quartile"] = [_quarter(la, row) for row in out.itertuples(index=False)]
    out = pd.concat([out, _funnel(la, out)], axis=1)
    out["published_difference_percent"] = (
        (out["computed"] - out["published_for_area"]) * 100 / out["published_for_area"]
    ).where(out["published_for_area"] > 0)
    definitions = measures.set_index("indicator_id")["definition_difference"]
    out["published_note"] = [
        published_note(row, definitions.get(row.indicator_id, ""), tolerance_percent, synthetic)
        for row in out.itertuples(index=False)
    ]
    return out.drop(columns=["children"])


def _neighbour_rates(la: pd.DataFrame, neighbours: pd.DataFrame) -> pd.DataFrame:
    pairs = neighbours[["area_code", "neighbour_code"]]
    joined = pairs.merge(la, left_on="neighbour_code", right_on="area_code", suffixes=("", "_n"))
    pooled = joined.groupby(["area_code", *KEYS]).agg(
        count=("count", "sum"), children=("children", "sum"), neighbours_reporting=("count", "size")
    )
    pooled["neighbours_per_10000"] = pooled["count"] * 10_000 / pooled["children"]
    return pooled[["neighbours_per_10000", "neighbours_reporting"]].reset_index()


def _quartiles(la: pd.DataFrame) -> pd.DataFrame:
    grouped = la.groupby(KEYS)["per_10000"]
    return pd.DataFrame(
        {
            "lower_quartile_per_10000": grouped.quantile(0.25),
            "median_per_10000": grouped.quantile(0.5),
            "upper_quartile_per_10000": grouped.quantile(0.75),
            "authorities_ranked": grouped.size(),
        }
    ).reset_index()


def _quarter(la: pd.DataFrame, row: tuple) -> float:
    """1 for the lowest quarter of the English authorities' rates, 4 for the highest."""
    same = la[(la["year_ending_march"] == row.year_ending_march)]
    rates = same.loc[same["indicator_id"] == row.indicator_id, "per_10000"].to_numpy()
    if rates.size == 0 or not np.isfinite(row.computed_per_10000):
        return np.nan
    share_below = float((rates < row.computed_per_10000).mean())
    return float(min(4, int(share_below * 4) + 1))


def _funnel(la: pd.DataFrame, out: pd.DataFrame) -> pd.DataFrame:
    """Each row's limits at its own child population around England's rate (the rate of
    all authorities together), the dispersion of that year's authorities, its position."""
    rows = []
    for row in out.itertuples(index=False):
        same = la[(la["year_ending_march"] == row.year_ending_march)]
        same = same[same["indicator_id"] == row.indicator_id]
        centre = same["count"].sum() / same["children"].sum() if len(same) else np.nan
        phi = funnel.dispersion(same["count"], centre * same["children"]) if len(same) else 1.0
        expected = centre * row.children
        record = {"funnel_dispersion": phi}
        for name, level in funnel.LEVELS.items():
            ok = np.isfinite(expected) and expected > 0
            low, high = funnel.limits(np.array([expected if ok else 1.0]), phi, level)
            scale = 10_000 / row.children if ok else np.nan
            key = name.replace(".", "")
            record[f"funnel_lower_{key}_per_10000"] = float(low[0]) * scale
            record[f"funnel_upper_{key}_per_10000"] = float(high[0]) * scale
        record["funnel_position"] = funnel.position(float(row.computed), expected, phi)
        rows.append(record)
    return pd.DataFrame(rows, index=out.index, columns=["funnel_dispersion", *FUNNEL_COLUMNS,
                                                         "funnel_position"])  # fmt: skip


def published_note(row: tuple, definition: str, tolerance_percent: float, synthetic: bool) -> str:
    """Empty when our figure is within the tolerance of DfE's; otherwise what differs and
    the likely reasons, the definition first."""
    if pd.isna(row.published_for_area):
        return "DfE published no figure for this authority and year."
    difference = row.published_difference_percent
    if pd.isna(difference) or abs(difference) <= tolerance_percent:
        rate_gap = _percent(row.computed_per_10000, row.published_for_area_per_10000)
        if pd.isna(rate_gap) or abs(rate_gap) <= tolerance_percent:
            return ""
        return (
            f"The counts agree but the rates differ by {rate_gap:+.0f}%: the child population"
            " differs (ours from the population extract, DfE's from ONS mid-year estimates)."
        )
    reasons = [
        f"the definition ({definition})" if definition else "the definition",
        "a return of the year not fully loaded or partly rejected (see Data quality)",
    ]
    if synthetic:
        reasons.insert(
            0,
            "the records are synthetic, generated from national rates rather"
            " than the authority's own",
        )
    return (
        f"Our records give {row.computed:,.0f} against {row.published_for_area:,.0f} published"
        f" ({difference:+.0f}%). Likely reasons: {'; '.join(reasons)}."
    )


def _percent(ours: float, theirs: float) -> float:
    return (ours - theirs) * 100 / theirs if theirs and np.isfinite(theirs) else np.nan
