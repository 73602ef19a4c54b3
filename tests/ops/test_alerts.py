"""A run that really fails gives one alert record, however it was launched: through the
run-failure sensor (daemon) and from the run's own process (`dagster job execute`)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from orchestration.alerts import append_alert, run_failure_alert
from orchestration.ingest.assets import INGEST_ASSETS
from orchestration.privacy.keys import DEMO_FLAG_ENV, KEY_ENV, KEY_FILE_ENV, mark_synthetic
from orchestration.resources import DataPathsResource, build_resources
from orchestration.settings import DATA_DIR_ENV, PROJECT_ROOT, WAREHOUSE_ENV
from orchestration.ui import prepare_home
from tests.ops.dagster_ui import instance_at


def alert_lines(data_dir: Path) -> list[dict]:
    return [json.loads(line) for line in (data_dir / "alerts" / "alerts.jsonl").open()]


def test_a_failed_run_appends_one_alert_record_an_operator_can_forward(tmp_path):
    landing = tmp_path / "landing" / "cin_census"
    landing.mkdir(parents=True)
    (landing / "cin_census_938_2019.xml").write_text("<Message><Header>")
    mark_synthetic(landing.parent)
    [cin_census] = [
        a for a in INGEST_ASSETS if getattr(a, "op", None) and a.op.name == "ingest_cin_census"
    ]
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize(
        [cin_census], resources=build_resources(tmp_path), instance=instance, raise_on_error=False
    )
    assert not result.success

    paths = DataPathsResource(data_dir=str(tmp_path))
    for _ in range(2):  # two evaluations of the same failure: still one line
        context = dg.build_run_status_sensor_context(
            sensor_name=run_failure_alert.name,
            dagster_event=result.get_run_failure_event(),
            dagster_instance=instance,
            dagster_run=instance.get_run_by_id(result.run_id),
            resources={"paths": paths},
        ).for_run_failure()
        run_failure_alert(context)

    [record] = alert_lines(tmp_path)
    assert record["alert"] == "run_failed"
    assert record["run_id"] == result.run_id
    assert record["job"] == result.job_def.name
    assert record["trigger"] == "manual"
    assert record["ui_path"] == f"/runs/{result.run_id}"
    [step] = record["failed_steps"]
    assert step["step"] == "ingest_cin_census"
    assert "raw/cin_child: files_parsed" in step["error"]
    assert record["kind"] == "file_not_parsed"
    assert "data/landing/<source>/" in record["fix"]


def test_records_of_other_runs_are_appended_and_a_repeat_is_not(tmp_path):
    alerts = tmp_path / "alerts.jsonl"
    assert append_alert(alerts, {"run_id": "a", "message": "x"})
    assert append_alert(alerts, {"run_id": "b", "message": "x"})
    assert not append_alert(alerts, {"run_id": "a", "message": "y"})
    assert [json.loads(line)["run_id"] for line in alerts.open()] == ["a", "b"]


@pytest.mark.slow
def test_a_command_line_run_that_fails_alerts_without_the_daemon(tmp_path):
    """The README's command, with no pseudonymisation key: every ingestion step fails, and
    the run's own process writes one line naming them, the error and the fix."""
    data = tmp_path / "data"
    (data / "landing" / "cin_census").mkdir(parents=True)
    home = tmp_path / "dagster_home"
    prepare_home(home)
    keyless = {k: v for k, v in os.environ.items() if k not in {KEY_ENV, KEY_FILE_ENV}}
    env = {
        **keyless,
        DEMO_FLAG_ENV: "",
        "DAGSTER_HOME": str(home),
        DATA_DIR_ENV: str(data),
        WAREHOUSE_ENV: str(data / "warehouse.duckdb"),
    }
    dagster = Path(sys.executable).parent / "dagster"
    command = [str(dagster), "job", "execute", "-m", "orchestration.definitions", "-j"]
    done = subprocess.run(
        [*command, "refresh_all"], cwd=PROJECT_ROOT, env=env, capture_output=True, timeout=300
    )
    assert done.returncode != 0

    [record] = alert_lines(data)
    [run] = instance_at(home).get_runs()
    assert record["run_id"] == run.run_id
    assert record["job"] == "refresh_all"
    assert record["trigger"] == "manual"
    steps = {step["step"] for step in record["failed_steps"]}
    assert {"ingest_cin_census", "ingest_ssda903"} <= steps
    assert all("No pseudonymisation key" in step["error"] for step in record["failed_steps"])
    assert "refresh_all" in record["message"] and "ingest_cin_census" in record["message"]
    assert record["kind"] == "pseudonymisation_key"
    assert "Configure the pseudonymisation key" in record["fix"]
