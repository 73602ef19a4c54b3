"""Every English authority's published figure and rate per 10,000, each year and measure DfE
publishes for all of them (orchestration/benchmarks/published.py): the points of the funnel
plot and the quartiles, described in this model's YAML."""

from typing import Any

import pandas as pd

from orchestration.benchmarks.published import authorities, published_rates


def model(dbt: Any, session: Any) -> pd.DataFrame:
    dbt.config(materialized="table")
    volumes = dbt.ref("la_annual_volumes").df()
    measures = dbt.ref("published_measures").df()
    return authorities(published_rates(volumes, measures)).drop(columns=["geographic_level"])
