"""The authority against England, its region, its statistical neighbours and every English
authority, each complete year: orchestration/benchmarks (quartiles of the published rates, a
funnel plot's limits around England's rate widened for the authorities' over-dispersion, and
whether our computed figure agrees with DfE's), described in this model's YAML."""

from typing import Any

import pandas as pd

from orchestration.benchmarks.positions import benchmark_positions
from orchestration.benchmarks.published import published_rates
from orchestration.privacy.keys import DEMO_FINGERPRINT


def model(dbt: Any, session: Any) -> pd.DataFrame:
    dbt.config(materialized="table")
    measures = dbt.ref("published_measures").df()
    rates = published_rates(dbt.ref("la_annual_volumes").df(), measures)
    # dbt finds a Python model's parents and config by reading its calls: one per line.
    deliveries = dbt.ref("stg_ingest__deliveries").df()
    meta = dbt.config.get("meta")
    # The public demo key protects synthetic data only (orchestration/privacy/keys.py).
    synthetic = set(deliveries["pseudonymisation_key"].dropna()) == {DEMO_FINGERPRINT}
    return benchmark_positions(
        dbt.ref("rpt_published_benchmarks").df(),
        rates,
        dbt.ref("rpt_benchmark_neighbours").df(),
        measures,
        float(meta["published_tolerance_percent"]),
        synthetic,
    )
