"""DfE's published annual figures in long form: one row per year, geography and indicator."""

from __future__ import annotations

import pandas as pd

LOCAL_AUTHORITY = "Local authority"


def published_rates(volumes: pd.DataFrame, measures: pd.DataFrame) -> pd.DataFrame:
    """year_ending_march, geographic_level, area_code, la_name, region_code, indicator_id,
    count, children and per_10000 for every published row and measure (seed
    published_measures names the column of each). The child population is the one DfE used
    for its referral rate, the only rate the extract carries."""
    children = volumes["referrals"] / volumes["referrals_per_10k"].where(
        volumes["referrals_per_10k"] > 0
    )
    frames = []
    for indicator_id, column in measures[["indicator_id", "published_column"]].itertuples(
        index=False
    ):
        frames.append(
            pd.DataFrame(
                {
                    "year_ending_march": volumes["time_period"].astype(int),
                    "geographic_level": volumes["geographic_level"],
                    "area_code": volumes["old_la_code"].map(_la_code),
                    "la_name": volumes["la_name"],
                    "region_code": volumes["region_code"],
                    "indicator_id": indicator_id,
                    "count": pd.to_numeric(volumes[column], errors="coerce"),
                    "children": children * 10_000,
                }
            )
        )
    rates = pd.concat(frames, ignore_index=True)
    rates["per_10000"] = rates["count"] * 10_000 / rates["children"]
    return rates


def authorities(rates: pd.DataFrame) -> pd.DataFrame:
    """The local authority rows with a count and a population."""
    la = rates[rates["geographic_level"] == LOCAL_AUTHORITY]
    return la.dropna(subset=["area_code", "count", "children"])


def _la_code(value: object) -> str | None:
    """'938' from 938, 938.0 or '938'; None where the row has no LA code."""
    if pd.isna(value):
        return None
    return str(int(float(value))).zfill(3)
