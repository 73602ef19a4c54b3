"""The one Definitions object of the platform, assembled from the stage modules."""

from __future__ import annotations

import dagster as dg

from orchestration.automation import refresh_all_job
from orchestration.ingest.assets import INGEST_ASSETS
from orchestration.ingest.sensors import landing_sensor
from orchestration.outputs.assets import OUTPUT_ASSETS
from orchestration.quality.checks import rule_checks
from orchestration.quality.expectations import suite_checks
from orchestration.resources import build_resources
from orchestration.transform.assets import csc_dbt_models

ASSETS = [*INGEST_ASSETS, csc_dbt_models, *OUTPUT_ASSETS]
ASSET_CHECKS = [*suite_checks(), *rule_checks()]

defs = dg.Definitions(
    assets=ASSETS,
    asset_checks=ASSET_CHECKS,
    jobs=[refresh_all_job],
    sensors=[landing_sensor],
    resources=build_resources(),
    # DuckDB has one writer: steps run one at a time in one process (also about twice as
    # fast as a process per step for a pipeline of this size).
    executor=dg.in_process_executor,
)
