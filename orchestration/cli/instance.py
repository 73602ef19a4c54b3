"""The Dagster instance the operator's commands share with `make ui` and the daemon: its run
history (DAGSTER_HOME, by default .dagster/ in the project) and whether a run is going."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from orchestration.alerts import process_alive
from orchestration.settings import PROJECT_ROOT
from orchestration.ui import prepare_home

# A run in these states may be writing the warehouse, if its process is alive.
GOING = [dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.CANCELING]


def dagster_instance() -> dg.DagsterInstance:
    """The instance of DAGSTER_HOME (as `make ui` sets it when it is not set), with the
    project's instance settings written there if it has none yet."""
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(PROJECT_ROOT / ".dagster")))
    if not (home / "dagster.yaml").exists():
        prepare_home(home)
    return dg.DagsterInstance.get()


def run_going(instance: dg.DagsterInstance) -> dg.DagsterRun | None:
    """A run that is going: started and its process alive (a run whose process was killed
    stays STARTED until run monitoring fails it, and writes nothing)."""
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=GOING)):
        starts = instance.all_logs(run.run_id, of_type=dg.DagsterEventType.RUN_START)
        if not starts:  # starting: its process has not said which it is yet
            return run
        pid = starts[0].dagster_event.pid if starts[0].dagster_event else None
        if pid is None or process_alive(pid, started_by=starts[0].timestamp):
            return run
    return None


def last_finished_run(instance: dg.DagsterInstance) -> dg.DagsterRun | None:
    finished = [dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE]
    runs = instance.get_runs(filters=dg.RunsFilter(statuses=finished), limit=1)
    return runs[0] if runs else None
