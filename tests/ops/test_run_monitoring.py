"""What runs leave behind when they die or finish: a killed run is marked failed by run
monitoring (and alerted), and dbt's per-build folders do not pile up."""

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import dagster as dg
import pytest
import yaml

from orchestration.transform.assets import prune_dbt_runs
from orchestration.ui import prepare_home
from tests.ops.dagster_ui import instance_at

POLL_SECONDS = 3
# A job that runs until it is killed, and the platform's alert sensor, in a code location of
# its own: the daemon then runs no landing sensor or schedule beside the monitoring.
CODE = """
import time
import dagster as dg
from orchestration.alerts import run_failure_alert
from orchestration.resources import DataPathsResource

@dg.op
def wait_to_be_killed():
    time.sleep(600)

@dg.job
def long_run():
    wait_to_be_killed()

defs = dg.Definitions(
    jobs=[long_run], sensors=[run_failure_alert],
    resources={{"paths": DataPathsResource(data_dir={data!r})}},
)
"""


def wait_for(condition: Callable[[], object], timeout: float, what: str) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"no {what} within {timeout} s")


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """A dagster command in its own process group, so it is stopped whole."""
    bin_dir = Path(sys.executable).parent
    with log.open("w") as out:
        return subprocess.Popen(
            [str(bin_dir / command[0]), *command[1:]],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@pytest.mark.slow
def test_a_run_whose_process_is_killed_is_marked_failed_and_alerted(tmp_path):
    home = tmp_path / "dagster_home"
    prepare_home(home)
    config = yaml.safe_load((home / "dagster.yaml").read_text())
    config["run_monitoring"]["poll_interval_seconds"] = POLL_SECONDS
    (home / "dagster.yaml").write_text(yaml.safe_dump(config))
    data = tmp_path / "data"
    code = tmp_path / "long_run.py"
    code.write_text(CODE.format(data=str(data)))
    env = {**os.environ, "DAGSTER_HOME": str(home), "DAGSTER_DISABLE_TELEMETRY": "1"}
    instance = instance_at(home)

    daemon = start(["dagster-daemon", "run", "-f", str(code)], env, tmp_path / "daemon.log")
    run_process = start(
        ["dagster", "job", "execute", "-f", str(code), "-j", "long_run"], env, tmp_path / "run.log"
    )
    try:
        run = wait_for(
            lambda: next(
                iter(instance.get_runs(dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))), None
            ),
            90,
            "started run",
        )
        stop(run_process)  # SIGKILL: nothing in the run can record its end
        killed_at = time.monotonic()
        wait_for(
            lambda: instance.get_run_by_id(run.run_id).status == dg.DagsterRunStatus.FAILURE,
            POLL_SECONDS + 30,
            "failed run",
        )
        marked_after = time.monotonic() - killed_at
        alerts = data / "alerts" / "alerts.jsonl"
        wait_for(alerts.exists, 60, "alert")
    finally:
        stop(run_process)
        stop(daemon)

    [record] = [json.loads(line) for line in alerts.open()]
    assert record["run_id"] == run.run_id
    assert record["kind"] == "run_worker_died"
    assert "is no longer running" in record["message"]
    print(f"killed run marked failed after {marked_after:.1f} s")


def build_folder(target: Path, name: str, age_hours: float, finished: bool = True) -> Path:
    folder = target / name
    folder.mkdir(parents=True)
    (folder / "dbt.log").write_text("log")
    if finished:
        (folder / "run_results.json").write_text("{}")
    stamp = time.time() - age_hours * 3600
    for path in [*folder.iterdir(), folder]:
        os.utime(path, (stamp, stamp))
    return folder


def test_dbt_keeps_its_latest_finished_builds_and_an_unfinished_one_still_running(tmp_path):
    op = "csc_dbt_models"
    finished = [build_folder(tmp_path, f"{op}-run{i}-x", age_hours=i) for i in range(5)]
    running = build_folder(tmp_path, f"{op}-run9-x", age_hours=1, finished=False)
    abandoned = build_folder(tmp_path, f"{op}-run8-x", age_hours=30, finished=False)
    other = build_folder(tmp_path, "something_else", age_hours=50)
    (tmp_path / "manifest.json").write_text("{}")

    removed = prune_dbt_runs(tmp_path, op)

    assert sorted(removed) == sorted([finished[3], finished[4], abandoned])
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert kept == sorted(
        [*(f.name for f in finished[:3]), running.name, other.name, "manifest.json"]
    )
