"""Jobs and schedules: the monthly refresh after partners' usual delivery date, and the daily
freshness checks (orchestration/operations.yaml holds the times and says why); with the
run-failure alert and the executor every run uses, as the definitions of the whole platform's
runs rather than of one stage."""

from typing import Any

import dagster as dg

from orchestration.alerts import in_process_with_alerts, run_failure_alert
from orchestration.ingest.freshness import FRESHNESS_CHECKS
from orchestration.operations import operations
from orchestration.partnership.checks import reviews_not_overdue

# The job's name, which the landing sensor (ingest/sensors.py) names without importing it.
REFRESH_ALL = "refresh_all"

refresh_all_job = dg.define_asset_job(
    name=REFRESH_ALL,
    selection=dg.AssetSelection.all(),
    description="Ingest every landing file, build every dbt model and test, run the checks, "
    "write the outputs.",
    # The run writes its own alert, so a failure alerts without the daemon (alerts.py).
    executor_def=in_process_with_alerts,
)

# An overdue review of the shared plan shows the morning it falls due, as an overdue extract
# does, with nothing delivered to start a refresh.
freshness_job = dg.define_asset_job(
    name="check_freshness",
    selection=dg.AssetSelection.checks(*FRESHNESS_CHECKS, reviews_not_overdue),
    description="Whether every partner's latest extract is overdue (raw.file_manifest) and "
    "whether a review of the shared plan is (marts.fct_plan_actions).",
    executor_def=in_process_with_alerts,
)


def schedule_for(job: Any, rule: str) -> dg.ScheduleDefinition:
    """job: an asset job (define_asset_job); rule: its timing in operations.yaml."""
    timing = operations()[rule]
    return dg.ScheduleDefinition(
        name=rule,
        job=job,
        cron_schedule=timing["cron"],
        execution_timezone=timing["timezone"],
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description=f"{job.description} ({timing['cron']}, {timing['timezone']}; see "
        "orchestration/operations.yaml)",
    )


monthly_refresh = schedule_for(refresh_all_job, "monthly_refresh")
freshness_schedule = schedule_for(freshness_job, "freshness_schedule")

defs = dg.Definitions(
    jobs=[refresh_all_job, freshness_job],
    schedules=[monthly_refresh, freshness_schedule],
    sensors=[run_failure_alert],
    # DuckDB has one writer, and a writer blocks even read-only opens from other processes,
    # while every step here opens the warehouse: steps run one at a time in one process,
    # which measured faster than a process per step (README, "Operator guide"). The run
    # writes its own failure alert, so hand-launched materializations alert without the daemon.
    executor=in_process_with_alerts,
)
