"""Run-failure alerts: one JSON line per failed run in data/alerts/alerts.jsonl, and the run
monitoring that turns a run whose process died into a failed run (and so into an alert).

The record is a file beside the warehouse rather than a table in it, because a failed run
may still hold the DuckDB writer lock. An operator wires it to email or chat by tailing the
file (for example a cron job or a log shipper); each line is self-contained.

Two writers, one line per run: the jobs' executor writes the alert in the run's own process
as soon as its steps are done (so `dagster job execute`, which needs no daemon, alerts too),
and the run-failure sensor (daemon) writes it for runs that failed outside their steps: a
run whose process was killed, marked failed by run monitoring. Both skip a run already in
the file."""

import fcntl
import json
import os
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dagster as dg

# Dagster's run-health interface has no public import path.
from dagster._core.launcher.base import CheckRunHealthResult, WorkerStatus

from orchestration import settings
from orchestration.operations import operations
from orchestration.resources import DataPathsResource
from orchestration.run_checks import record_on_run

# Error messages are short by design (they say what failed and how to fix it); anything
# longer is a stack trace, which belongs in the run's logs, not in an e-mail.
MAX_ERROR_CHARS = 500
# What run monitoring reports for a run whose process is gone; the fix rules match on it.
DEAD_WORKER = "the run's process (pid {pid}) is no longer running"


def alert_record(
    run: dg.DagsterRun, message: str, step_failures: Iterable[dg.DagsterEvent]
) -> dict[str, Any]:
    steps = [{"step": event.step_key, "error": step_error(event)} for event in step_failures]
    kind, fix = fix_for([message, *(step["error"] for step in steps)])
    return {
        "alert": "run_failed",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "job": run.job_name,
        "run_id": run.run_id,
        "trigger": trigger(run.tags),
        "message": message[:MAX_ERROR_CHARS],
        "failed_steps": steps,
        "kind": kind,
        "fix": fix,
        "ui_path": f"/runs/{run.run_id}",
    }


def step_error(event: dg.DagsterEvent) -> str:
    error = event.step_failure_data.error
    return error.message.strip()[:MAX_ERROR_CHARS] if error else ""


def fix_for(texts: list[str]) -> tuple[str, str]:
    """The kind of failure and its standard fix: the first rule of operations.yaml whose
    words appear in the run's message or a failed step's error."""
    rules = operations()["alerts"]
    for rule in rules["fixes"]:
        if any(word in text for word in rule["match"] for text in texts):
            return rule["kind"], rule["fix"]
    return "other", rules["default_fix"]


def trigger(tags: dict[str, str]) -> str:
    for key in ("dagster/schedule_name", "dagster/sensor_name"):
        if key in tags:
            return tags[key]
    return tags.get("trigger", "manual")


def append_alert(path: Path, record: dict[str, Any]) -> bool:
    """Appends the record unless the file already holds its run; whether it was written.
    The lock keeps the executor and the sensor from both writing the same run."""
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(record, sort_keys=True)
    with path.open("a+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        if f'"run_id": "{record["run_id"]}"' in handle.read():
            return False
        handle.write(line + "\n")
        return True


@dg.run_failure_sensor(
    default_status=dg.DefaultSensorStatus.RUNNING,
    # Runs of `dagster job execute` carry no code location, so only this sees them.
    monitor_all_code_locations=True,
    description="Appends a record of every failed run to data/alerts/alerts.jsonl, unless "
    "the run's own process already did.",
)
def run_failure_alert(context: dg.RunFailureSensorContext, paths: DataPathsResource) -> None:
    record = alert_record(
        context.dagster_run,
        context.failure_event.message or "",
        context.get_step_failure_events(),
    )
    if append_alert(paths.alerts_file, record):
        context.log.info(f"Alert for run {record['run_id']} written to {paths.alerts_file}")


class AlertingExecutor(dg.Executor):
    """Another executor's steps, then the run's failed checks recorded on it (run_checks.py)
    and the alert if any step failed, in the run's process."""

    def __init__(self, inner: dg.Executor) -> None:
        self._inner = inner

    @property
    def retries(self) -> Any:
        return self._inner.retries

    @property
    def step_dependency_config(self) -> Any:
        return self._inner.step_dependency_config

    def execute(self, plan_context: Any, execution_plan: Any) -> Iterator[dg.DagsterEvent]:
        failures, evaluations = [], []
        for event in self._inner.execute(plan_context, execution_plan):
            if event.is_step_failure:
                failures.append(event)
            elif event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
                evaluations.append(event.asset_check_evaluation_data)
            yield event
        yield record_on_run(plan_context, evaluations)
        if failures:
            run = plan_context.dagster_run
            keys = [event.step_key for event in failures]
            message = f'Execution of run for "{run.job_name}" failed. Steps failed: {keys}.'
            # The definitions bind the paths resource to settings.data_dir()
            # (resources.build_resources); an executor runs before resources exist.
            alerts_file = DataPathsResource(data_dir=str(settings.data_dir())).alerts_file
            append_alert(alerts_file, alert_record(run, message, failures))


@dg.executor(
    name="in_process_with_alerts",
    config_schema=dg.in_process_executor.config_schema.as_field(),
)
def in_process_with_alerts(init_context: dg.InitExecutorContext) -> dg.Executor:
    """The in-process executor (one step at a time, README "Executor") that alerts."""
    return AlertingExecutor(dg.in_process_executor.executor_creation_fn(init_context))


class MonitoredRunLauncher(dg.DefaultRunLauncher):
    """Dagster's default launcher, able to say whether a STARTED run's process still lives,
    so run monitoring (dagster.yaml) fails runs that were killed. The default launcher cannot
    tell, and such runs stayed STARTED for ever. It checks the process that started the run
    (from `dagster job execute` as much as from the daemon or the UI) on this machine: the
    platform's runs and its daemon share one host."""

    @property
    def supports_check_run_worker_health(self) -> bool:
        return True

    def check_run_worker_health(self, run: dg.DagsterRun) -> CheckRunHealthResult:
        starts = self._instance.all_logs(run.run_id, of_type=dg.DagsterEventType.RUN_START)
        pid = starts[0].dagster_event.pid if starts and starts[0].dagster_event else None
        if pid is None or process_alive(pid, started_by=starts[0].timestamp):
            return CheckRunHealthResult(WorkerStatus.RUNNING)
        return CheckRunHealthResult(WorkerStatus.FAILED, DEAD_WORKER.format(pid=pid))


def process_alive(pid: int, started_by: float) -> bool:
    """Whether process pid runs and started before the run did (a later one reuses a dead
    run's pid). A zombie (killed, not yet reaped by its parent) is not alive."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    # Fields after the command name (which may hold spaces): state, then starttime at 20th.
    fields = stat.rsplit(")", 1)[1].split()
    started = boot_time() + int(fields[19]) / os.sysconf("SC_CLK_TCK")
    # A second of slack for the clock-tick rounding of starttime.
    return fields[0] != "Z" and started <= started_by + 1


def boot_time() -> float:
    for line in Path("/proc/stat").read_text().splitlines():
        if line.startswith("btime "):
            return float(line.split()[1])
    raise RuntimeError("/proc/stat has no btime: run monitoring needs Linux's /proc")
