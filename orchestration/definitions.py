"""The one Definitions object of the platform, assembled from the stage modules."""

import dagster as dg

from orchestration.alerts import in_process_with_alerts, run_failure_alert
from orchestration.automation import (
    FRESHNESS_CHECKS,
    freshness_job,
    freshness_schedule,
    monthly_refresh,
    refresh_all_job,
)
from orchestration.ingest.assets import INGEST_ASSETS
from orchestration.ingest.sensors import landing_sensor
from orchestration.operations import with_owners
from orchestration.outputs.assets import OUTPUT_ASSETS
from orchestration.quality.checks import rule_checks
from orchestration.quality.expectations import suite_checks
from orchestration.resources import build_resources
from orchestration.retention.assets import RETENTION_ASSETS
from orchestration.transform.assets import csc_dbt_models

ASSETS = with_owners([*INGEST_ASSETS, *RETENTION_ASSETS, csc_dbt_models, *OUTPUT_ASSETS])
# The data checks. The freshness checks depend on today's date as well as on the data, so
# they are kept apart (tests of the data assert on these).
ASSET_CHECKS = [*suite_checks(), *rule_checks()]

defs = dg.Definitions(
    assets=ASSETS,
    asset_checks=[*ASSET_CHECKS, *FRESHNESS_CHECKS],
    jobs=[refresh_all_job, freshness_job],
    schedules=[monthly_refresh, freshness_schedule],
    sensors=[landing_sensor, run_failure_alert],
    resources=build_resources(),
    # DuckDB has one writer, and a writer blocks even read-only opens from other processes,
    # while every step here opens the warehouse: steps run one at a time in one process,
    # which measured faster than a process per step (README, "Operator guide"). The run
    # writes its own failure alert, so hand-launched materializations alert without the daemon.
    executor=in_process_with_alerts,
)
