"""Statistical neighbours: the authorities whose published profile is nearest.

DfE's own neighbour model (NFER's, in LAIT) weighs census characteristics this platform does
not hold. Here an authority's profile is what DfE publishes for it: the size of its child
population (on a log scale) and its rate per 10,000 children of each published measure,
averaged over the years before the first period of interest, so a lockdown cannot move the
neighbours it is judged against. Each characteristic is standardised across the English
authorities (mean 0, standard deviation 1) and the neighbours are the nearest in Euclidean
distance, as NFER's model ranks them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from orchestration.benchmarks.published import authorities

NEIGHBOURS = 10
METHOD = (
    "the {k} English authorities nearest on published profile: child population (log) and"
    " the rate per 10,000 of {measures}, mean of the years ending March {years},"
    " standardised, Euclidean distance"
)


def profiles(rates: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """One row per authority with every characteristic, standardised; authorities missing
    any characteristic are left out (they can be neither neighbours nor ranked)."""
    la = authorities(rates)
    la = la[la["year_ending_march"].isin(years)]
    shape = la.pivot_table(
        index=["area_code", "la_name"], columns="indicator_id", values="per_10000", aggfunc="mean"
    )
    size = la.groupby(["area_code", "la_name"])["children"].mean()
    shape["log_children"] = np.log(size.reindex(shape.index))
    shape = shape.dropna()
    spread = shape.std(ddof=0).replace(0, 1)
    return (shape - shape.mean()) / spread


def statistical_neighbours(
    rates: pd.DataFrame, area_code: str, years: list[int], k: int = NEIGHBOURS
) -> pd.DataFrame:
    """area_code, neighbour_rank, neighbour_code, neighbour_name, distance, method: empty
    when the authority has no complete published profile."""
    standard = profiles(rates, years)
    codes = standard.index.get_level_values("area_code")
    if area_code not in set(codes):
        return pd.DataFrame(
            columns=[
                "area_code",
                "neighbour_rank",
                "neighbour_code",
                "neighbour_name",
                "distance",
                "method",
            ]  # fmt: skip
        )
    own = standard[codes == area_code].to_numpy()[0]
    others = standard[codes != area_code]
    distance = np.sqrt(((others.to_numpy() - own) ** 2).sum(axis=1))
    order = np.argsort(distance, kind="stable")[:k]
    measures = ", ".join(c.replace("_", " ") for c in standard.columns if c != "log_children")
    span = f"{min(years)} to {max(years)}" if years else "(none)"
    return pd.DataFrame(
        {
            "area_code": area_code,
            "neighbour_rank": np.arange(1, order.size + 1),
            "neighbour_code": others.index.get_level_values("area_code")[order],
            "neighbour_name": others.index.get_level_values("la_name")[order],
            "distance": distance[order],
            "method": METHOD.format(k=k, measures=measures, years=span),
        }
    )


def profile_years(period_starts: pd.Series, years: int = 3) -> list[int]:
    """The `years` years ending March before the year the first period of interest touches."""
    first = pd.to_datetime(period_starts).min()
    touched = first.year + (1 if first.month >= 4 else 0)
    return list(range(touched - years, touched))
