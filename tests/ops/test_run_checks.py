"""A run whose non-blocking checks fail succeeds, and says so on the run: a tag per severity
and a closing event naming each check, written by the jobs' executor in the run's process."""

import dagster as dg

from orchestration.alerts import in_process_with_alerts
from orchestration.run_checks import (
    FailedCheck,
    closing_message,
    failed_checks,
    run_evaluations,
    run_tags,
)


@dg.asset(
    check_specs=[
        dg.AssetCheckSpec("rows_recorded", asset="delivered"),
        dg.AssetCheckSpec("codes_known", asset="delivered"),
        dg.AssetCheckSpec("keys_unique", asset="delivered"),
    ]
)
def delivered():
    yield dg.MaterializeResult()
    yield dg.AssetCheckResult(check_name="rows_recorded", passed=True)
    yield dg.AssetCheckResult(
        check_name="codes_known", passed=False, severity=dg.AssetCheckSeverity.WARN
    )
    yield dg.AssetCheckResult(
        check_name="keys_unique", passed=False, severity=dg.AssetCheckSeverity.ERROR
    )


def checked_job() -> dg.JobDefinition:
    defs = dg.Definitions(
        assets=[delivered],
        jobs=[dg.define_asset_job("checked", executor_def=in_process_with_alerts)],
    )
    return defs.resolve_job_def("checked")


def test_failed_checks_are_tagged_and_named_on_a_successful_run(tmp_path, monkeypatch):
    monkeypatch.setenv("CSC_INTEL_DATA_DIR", str(tmp_path))
    with dg.instance_for_test() as instance:
        result = dg.execute_job(dg.reconstructable(checked_job), instance)
        assert result.success
        run = instance.get_run_by_id(result.run_id)
        assert run.tags["csc_intel/checks_failed_warn"] == "1"
        assert run.tags["csc_intel/checks_failed_error"] == "1"
        engine = instance.all_logs(result.run_id, of_type=dg.DagsterEventType.ENGINE_EVENT)
        closing = [e for e in engine if "checks did not pass" in (e.message or "")]
        assert len(closing) == 1
        assert closing[0].message.startswith("2 of 3 checks did not pass (1 ERROR, 1 WARN)")
        table = closing[0].dagster_event.engine_event_data.metadata["failed_checks"].value
        assert "| WARN | `codes_known` | `delivered` |" in table
        assert "| ERROR | `keys_unique` | `delivered` |" in table
        assert failed_checks(run_evaluations(instance, result.run_id)) == [
            FailedCheck("ERROR", "keys_unique", "delivered"),
            FailedCheck("WARN", "codes_known", "delivered"),
        ]


def evaluation(name: str, passed: bool, severity=dg.AssetCheckSeverity.WARN):
    return dg.AssetCheckEvaluation(
        asset_key=dg.AssetKey(["raw", "t"]), check_name=name, passed=passed, severity=severity
    )


def test_a_check_evaluated_again_counts_by_its_last_result():
    # A retried step evaluates its checks again: only the last result stands.
    evaluations = [evaluation("a", False), evaluation("a", True), evaluation("b", False)]
    failed = failed_checks(evaluations)
    assert failed == [FailedCheck("WARN", "b", "raw/t")]
    assert run_tags(failed) == {"csc_intel/checks_failed_warn": "1"}
    assert run_tags([]) == {}
    assert closing_message([], 2) == "All 2 checks of the run passed."
