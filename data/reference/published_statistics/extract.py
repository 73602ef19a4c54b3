"""Re-create la_annual_volumes.csv from the unedited DfE downloads.

    cd data/reference/published_statistics
    python extract.py /work/shared/reference/published_statistics

Keeps, for years ending 31 March 2013 to 2023, the national, regional and local authority
rows of the columns the synthetic generator calibrates to and the benchmarks compare with
(see README.md here), one row per year and area (national rows have la_name England and no
codes; regional rows the region's name and no LA codes; every row but England's its region).
Suppressed or missing values (x, c, z, .) are left out.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).parent
YEARS = range(2013, 2024)
# source file -> (row filter on a category column or None, {column: measure})
SOURCES = {
    "cin_c1_referrals_rereferrals_2013_2023_with_rates.csv": (
        None,
        {"Referrals": "referrals", "Referrals_rate": "referrals_per_10k"},
    ),
    "cin_c4_s47_icpc_2013_2025.csv": (None, {"Section47": "s47", "ICPC": "icpc"}),
    "cin_d3_cpp_starts_subsequent_2013_2025.csv": (None, {"CPP_start": "cpp_starts"}),
    "cla_number_rate_per10k_2019_2023.csv": (
        "Children starting to be looked after each year",
        # This download's header is one name out: the column headed population_count holds
        # the row's category and population_estimate the population aged 0-17.
        {"number": "cla_starts", "population_estimate": "cla_population_0_17"},
    ),
    "cla_time_series_1994_2023.csv": (
        "Children starting to be looked after during the year",
        {"number": "cla_starts"},
    ),
}
LEVELS = ("National", "Regional", "Local authority")
AREA_COLUMNS = [
    "time_period",
    "geographic_level",
    "old_la_code",
    "new_la_code",
    "la_name",
    "region_code",
    "region_name",
]
_E_CODE = re.compile(r"^E\d{8}$")
MEASURES = (
    "referrals",
    "referrals_per_10k",
    "s47",
    "icpc",
    "cpp_starts",
    "cla_starts",
    "cla_population_0_17",
)


def _tidy(frame: pd.DataFrame, name: str, category: str | None, columns: dict) -> pd.DataFrame:
    frame.columns = [c.lstrip("\ufeff") for c in frame.columns]
    frame = frame[frame["time_period"].astype(int).isin(YEARS)]
    frame = frame[frame["geographic_level"].isin(LEVELS)].copy()
    if category is not None:
        # The CLA files name the row in a column without a header of its own.
        text = frame.astype(str)
        frame = frame[(text == category).any(axis=1)].copy()
    for column in ("old_la_code", "new_la_code", "la_name", "region_code", "region_name"):
        if column not in frame:
            frame[column] = ""
    if "la_name" in frame:
        # la_name and new_la_code are swapped in some downloads; put the E-code right.
        swap = frame["la_name"].astype(str).str.match(_E_CODE)
        frame.loc[swap, ["la_name", "new_la_code"]] = frame.loc[
            swap, ["new_la_code", "la_name"]
        ].to_numpy()
    long = frame.melt(
        id_vars=AREA_COLUMNS,
        value_vars=list(columns),
        var_name="source_column",
        value_name="value",
    )
    long["value"] = pd.to_numeric(long["value"], errors="coerce")
    long = long.dropna(subset=["value"])
    long["measure"] = long["source_column"].map(columns)
    long["source_file"] = name
    return long


def main(folder: Path) -> None:
    parts = [
        _tidy(pd.read_csv(folder / name, dtype=str, keep_default_na=False), name, cat, cols)
        for name, (cat, cols) in SOURCES.items()
    ]
    long = pd.concat(parts, ignore_index=True)
    national = long["geographic_level"] == "National"
    long.loc[national, ["old_la_code", "new_la_code"]] = ""
    long.loc[national, "la_name"] = "England"
    regional = long["geographic_level"] == "Regional"
    long.loc[regional, ["old_la_code", "new_la_code"]] = ""
    long.loc[regional, "la_name"] = long.loc[regional, "region_name"]
    # Region codes and names are spelt the same in every file; an LA keeps the first seen.
    long.loc[national, ["region_code", "region_name"]] = ""
    # National CLA starts from the time series (all years); the same figures as the LA file.
    long = long[~(national & (long["source_file"] == "cla_number_rate_per10k_2019_2023.csv"))]
    keys = AREA_COLUMNS
    out = long.pivot_table(
        index=["time_period", "geographic_level", "old_la_code", "la_name"],
        columns="measure",
        values="value",
        aggfunc="first",
    ).reset_index()
    codes = long.groupby(["time_period", "geographic_level", "old_la_code", "la_name"])[
        ["new_la_code", "region_code", "region_name"]
    ].agg(lambda values: next((v for v in values if v), ""))
    out = out.merge(
        codes.reset_index(), on=["time_period", "geographic_level", "old_la_code", "la_name"]
    )
    # Regions have no LA code: they are told apart by name.
    out["area"] = out["old_la_code"].where(out["old_la_code"] != "", out["la_name"])
    # An authority whose ONS code changed (e.g. Gateshead) is one row per year, by old code.
    out = out.groupby(["time_period", "geographic_level", "area"], as_index=False).agg(
        {c: "first" for c in out.columns if c not in ("time_period", "geographic_level", "area")}
    )
    out = out[keys + [m for m in MEASURES if m in out.columns]]
    out = out.sort_values(
        ["geographic_level", "region_code", "old_la_code", "time_period"],
        ascending=[True, True, True, True],
        key=lambda column: (
            column.map(LEVELS.index) if column.name == "geographic_level" else column
        ),
    )
    for m in MEASURES:
        out[m] = out[m].map(lambda v: "" if pd.isna(v) else f"{v:g}")
    out.to_csv(HERE / "la_annual_volumes.csv", index=False, lineterminator="\n")
    print(f"{len(out)} rows")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
