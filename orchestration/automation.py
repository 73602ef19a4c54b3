"""Jobs and schedules: the monthly refresh after partners' usual delivery date, and the daily
freshness checks (orchestration/operations.yaml holds the times and says why)."""

from typing import Any

import dagster as dg

from orchestration.alerts import in_process_with_alerts
from orchestration.freshness import freshness_checks
from orchestration.operations import operations

FRESHNESS_CHECKS = freshness_checks()

refresh_all_job = dg.define_asset_job(
    name="refresh_all",
    selection=dg.AssetSelection.all(),
    description="Ingest every landing file, build every dbt model and test, run the checks, "
    "write the outputs.",
    # The run writes its own alert, so a failure alerts without the daemon (alerts.py).
    executor_def=in_process_with_alerts,
)

freshness_job = dg.define_asset_job(
    name="check_freshness",
    selection=dg.AssetSelection.checks(*FRESHNESS_CHECKS),
    description="Whether every partner's latest extract is overdue; reads raw.file_manifest only.",
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
