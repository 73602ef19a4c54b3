"""Each authority's ten statistical neighbours and how they were chosen
(orchestration/benchmarks/neighbours.py), described in this model's YAML."""

from typing import Any

import pandas as pd

from orchestration.benchmarks.neighbours import profile_years, statistical_neighbours
from orchestration.benchmarks.published import published_rates


def model(dbt: Any, session: Any) -> pd.DataFrame:
    dbt.config(materialized="table")
    # Each relation on its own line: dbt finds a Python model's parents by reading its calls.
    benchmarks = dbt.ref("rpt_published_benchmarks").df()
    periods = dbt.ref("periods").df()
    rates = published_rates(dbt.ref("la_annual_volumes").df(), dbt.ref("published_measures").df())
    years = profile_years(periods["start_date"])
    frames = [
        statistical_neighbours(rates, code, years) for code in benchmarks["area_code"].unique()
    ]
    return pd.concat(frames or [statistical_neighbours(rates, "", years)], ignore_index=True)
