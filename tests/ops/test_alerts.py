"""A run that really fails (a partner file that cannot be parsed) gives one alert record."""

import json

import dagster as dg

from orchestration.alerts import run_failure_alert
from orchestration.ingest.assets import INGEST_ASSETS
from orchestration.ingest.keys import mark_synthetic
from orchestration.resources import DataPathsResource, build_resources


def test_a_failed_run_appends_an_alert_record_an_operator_can_forward(tmp_path):
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
    for _ in range(2):  # two evaluations of the same failure: two lines, each complete
        context = dg.build_run_status_sensor_context(
            sensor_name=run_failure_alert.name,
            dagster_event=result.get_run_failure_event(),
            dagster_instance=instance,
            dagster_run=instance.get_run_by_id(result.run_id),
            resources={"paths": paths},
        ).for_run_failure()
        run_failure_alert(context)

    lines = (tmp_path / "alerts" / "alerts.jsonl").read_text().splitlines()
    assert len(lines) == 2
    record = json.loads(lines[0])
    assert record["alert"] == "run_failed"
    assert record["run_id"] == result.run_id
    assert record["job"] == result.job_def.name
    assert record["trigger"] == "manual"
    assert record["ui_path"] == f"/runs/{result.run_id}"
    [step] = record["failed_steps"]
    assert step["step"] == "ingest_cin_census"
    assert "raw/cin_child: files_parsed" in step["error"]
