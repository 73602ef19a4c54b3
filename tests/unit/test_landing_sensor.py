import json

import dagster as dg

from orchestration.ingest.sensors import landing_sensor
from orchestration.resources import DataPathsResource


def evaluate(tmp_path, cursor):
    context = dg.build_sensor_context(
        cursor=cursor, resources={"paths": DataPathsResource(data_dir=str(tmp_path))}
    )
    result = landing_sensor(context)
    return result, context.cursor


def drop(tmp_path, name, content):
    path = tmp_path / "landing" / "police_incidents" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content)
    return path


def test_a_new_file_requests_one_run_and_the_same_content_never_again(tmp_path):
    drop(tmp_path, "april.csv", "a")
    first, cursor = evaluate(tmp_path, None)
    assert isinstance(first, dg.RunRequest) and first.tags["new_files"] == "1"

    again, cursor = evaluate(tmp_path, cursor)
    assert isinstance(again, dg.SkipReason)

    drop(tmp_path, "april_copy.csv", "a")
    copy, cursor = evaluate(tmp_path, cursor)
    assert isinstance(copy, dg.SkipReason), "the same content under another name is no news"
    assert set(json.loads(cursor)) == {
        "police_incidents/april.csv",
        "police_incidents/april_copy.csv",
    }


def test_a_changed_file_requests_a_run_with_a_new_run_key(tmp_path):
    path = drop(tmp_path, "april.csv", "a")
    first, cursor = evaluate(tmp_path, None)
    path.write_text("corrected")
    second, _ = evaluate(tmp_path, cursor)
    assert isinstance(second, dg.RunRequest)
    assert second.run_key != first.run_key


def test_answer_keys_and_hidden_files_are_not_deliveries(tmp_path):
    (tmp_path / "landing" / "_truth").mkdir(parents=True)
    (tmp_path / "landing" / "_truth" / "defects.csv").write_text("x")
    result, _ = evaluate(tmp_path, None)
    assert isinstance(result, dg.SkipReason)
