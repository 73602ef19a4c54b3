"""Run-failure alerts: one JSON line per failed run in data/alerts/alerts.jsonl.

The record is a file beside the warehouse rather than a table in it, because a failed run
may still hold the DuckDB writer lock. An operator wires it to email or chat by tailing the
file (for example a cron job or a log shipper); each line is self-contained."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dagster as dg

from orchestration.resources import DataPathsResource

# Error messages are short by design (they say what failed and how to fix it); anything
# longer is a stack trace, which belongs in the run's logs, not in an e-mail.
MAX_ERROR_CHARS = 500


def failure_record(context: dg.RunFailureSensorContext) -> dict[str, Any]:
    run = context.dagster_run
    steps = [
        {"step": event.step_key, "error": step_error(event)}
        for event in context.get_step_failure_events()
    ]
    return {
        "alert": "run_failed",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "job": run.job_name,
        "run_id": run.run_id,
        "trigger": trigger(run.tags),
        "message": (context.failure_event.message or "")[:MAX_ERROR_CHARS],
        "failed_steps": steps,
        "ui_path": f"/runs/{run.run_id}",
    }


def step_error(event: dg.DagsterEvent) -> str:
    error = event.step_failure_data.error
    return error.message.strip()[:MAX_ERROR_CHARS] if error else ""


def trigger(tags: dict[str, str]) -> str:
    for key in ("dagster/schedule_name", "dagster/sensor_name"):
        if key in tags:
            return tags[key]
    return tags.get("trigger", "manual")


def append_alert(path: Path, record: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, sort_keys=True) + "\n")


@dg.run_failure_sensor(
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Appends a record of every failed run to data/alerts/alerts.jsonl.",
)
def run_failure_alert(context: dg.RunFailureSensorContext, paths: DataPathsResource) -> None:
    record = failure_record(context)
    append_alert(paths.alerts_file, record)
    context.log.info(f"Alert for run {record['run_id']} written to {paths.alerts_file}")
