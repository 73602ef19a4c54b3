"""The instance's storage (orchestration/event_store.py): a batch of events, as Dagster sends a
run's planned assets and checks, is stored as the stock SQLite storage stores it event by
event, readable afterwards, and the instance settings use it."""

import os
from pathlib import Path

import dagster as dg
import yaml

from orchestration.event_store import BATCH_SIZE_ENV, BatchedSqliteEventLogStorage
from orchestration.settings import PROJECT_ROOT


@dg.asset
def first() -> int:
    return 1


@dg.asset(check_specs=[dg.AssetCheckSpec("positive", asset="second")])
def second(first: int):
    yield dg.Output(first + 1)
    yield dg.AssetCheckResult(passed=True)


def instance_at(home: Path, batched: bool) -> dg.DagsterInstance:
    storage = (
        {
            "custom": {
                "module": "orchestration.event_store",
                "class": "BatchedSqliteStorage",
                "config": {"base_dir": str(home)},
            }
        }
        if batched
        else {"sqlite": {"base_dir": str(home)}}
    )
    home.mkdir()
    (home / "dagster.yaml").write_text(yaml.safe_dump({"storage": storage}))
    return dg.DagsterInstance.from_config(str(home))


def stored(instance: dg.DagsterInstance, run_id: str) -> list[tuple[str, str]]:
    """(event type, asset or asset:check) of every asset and check event of a run, in order."""
    events = []
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        data = event.event_specific_data if event else None
        if event is None or not hasattr(data, "asset_key"):
            continue
        target = data.asset_key.to_user_string()
        if getattr(data, "check_name", None):
            target += f":{data.check_name}"
        events.append((event.event_type_value, target))
    return events


def test_a_batch_is_stored_as_the_stock_storage_stores_it(tmp_path, monkeypatch):
    monkeypatch.setenv(BATCH_SIZE_ENV, "1000")
    runs = {}
    for batched in (False, True):
        instance = instance_at(tmp_path / f"batched_{batched}", batched)
        result = dg.materialize([first, second], instance=instance)
        assert result.success
        runs[batched] = stored(instance, result.run_id)
        planned = instance.get_latest_planned_materialization_info(dg.AssetKey("second"))
        assert planned is not None and planned.run_id == result.run_id
        check = instance.event_log_storage.get_latest_asset_check_execution_by_key(
            [dg.AssetCheckKey(dg.AssetKey("second"), "positive")]
        )
        assert check[dg.AssetCheckKey(dg.AssetKey("second"), "positive")].run_id == result.run_id
        assert instance.get_latest_materialization_event(dg.AssetKey("second")) is not None
    assert runs[True] == runs[False]
    assert ("ASSET_MATERIALIZATION_PLANNED", "first") in runs[True]
    assert ("ASSET_CHECK_EVALUATION_PLANNED", "second:positive") in runs[True]


def test_the_instance_settings_use_it_and_turn_batching_on(tmp_path, monkeypatch):
    monkeypatch.delenv(BATCH_SIZE_ENV, raising=False)
    home = tmp_path / "home"
    home.mkdir()
    settings = (PROJECT_ROOT / "orchestration" / "dagster.yaml").read_text()
    (home / "dagster.yaml").write_text(settings)
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    instance = dg.DagsterInstance.get()
    assert isinstance(instance.event_log_storage, BatchedSqliteEventLogStorage)
    assert int(os.environ[BATCH_SIZE_ENV]) > 0
    assert (home / "history" / "runs" / "index.db").exists()
