import hashlib
import json
import os
import threading

import dagster as dg

from orchestration.ingest import sensors
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


def test_links_and_fifos_are_never_followed_nor_opened_and_start_one_run(tmp_path):
    secret = tmp_path / "key.txt"
    secret.write_text("KEY-FIRST-LINE-3f9a7c1e")
    outside = tmp_path / "share"
    outside.mkdir()
    (outside / "may.csv").write_text("b")
    folder = drop(tmp_path, "april.csv", "a").parent
    (folder / "extract.csv").symlink_to(secret)
    (folder / "2021").symlink_to(outside, target_is_directory=True)
    os.mkfifo(folder / "pipe.csv")

    # Opening the FIFO would block forever: the sensor runs in a thread given 20 s.
    evaluated = []
    worker = threading.Thread(target=lambda: evaluated.append(evaluate(tmp_path, None)))
    worker.daemon = True
    worker.start()
    worker.join(timeout=20)
    assert not worker.is_alive(), "the sensor blocked on a FIFO"
    [(result, cursor)] = evaluated
    entries = json.loads(cursor)
    assert isinstance(result, dg.RunRequest) and result.tags["new_files"] == "4"
    assert "police_incidents/2021/may.csv" not in entries, "a linked folder is not walked"
    refused = {
        path: entry[2] for path, entry in entries.items() if path != "police_incidents/april.csv"
    }
    assert set(refused) == {
        "police_incidents/extract.csv",
        "police_incidents/2021",
        "police_incidents/pipe.csv",
    }
    assert all(reason.startswith("refused: ") for reason in refused.values())
    assert hashlib.sha256(secret.read_bytes()).hexdigest() not in cursor
    assert "KEY-FIRST-LINE" not in cursor

    again, _ = evaluate(tmp_path, cursor)
    assert isinstance(again, dg.SkipReason), "a refusal starts one run, not one a minute"


def test_a_file_too_large_for_its_source_is_not_hashed(tmp_path, monkeypatch):
    monkeypatch.setattr(sensors, "source_limits", lambda: {"police_incidents": 10})
    drop(tmp_path, "april.csv", "more than ten bytes")
    _, cursor = evaluate(tmp_path, None)
    [entry] = json.loads(cursor).values()
    assert entry[2].startswith("refused: ") and "its source accepts" in entry[2]


def test_a_file_moved_into_withdrawn_or_confirmed_requests_a_run(tmp_path):
    """No content is new, but the run has work: unload the withdrawn file, load the
    confirmed one."""
    april = drop(tmp_path, "april.csv", "a")
    drop(tmp_path, "may.csv", "b")
    _, cursor = evaluate(tmp_path, None)

    withdrawn = april.parent / "_withdrawn" / "april.csv"
    withdrawn.parent.mkdir()
    april.rename(withdrawn)
    moved, cursor = evaluate(tmp_path, cursor)
    assert isinstance(moved, dg.RunRequest) and moved.tags["new_files"] == "1"
    assert isinstance(evaluate(tmp_path, cursor)[0], dg.SkipReason)

    may = april.parent / "may.csv"
    confirmed = april.parent / "confirmed" / "may.csv"
    confirmed.parent.mkdir()
    may.rename(confirmed)
    again, cursor = evaluate(tmp_path, cursor)
    assert isinstance(again, dg.RunRequest) and again.run_key != moved.run_key
    assert isinstance(evaluate(tmp_path, cursor)[0], dg.SkipReason)
