"""The code location loads, validates, and shows the whole flow as one asset graph."""

import os
import shutil
import subprocess
import sys

import dagster as dg

from tests.conftest import PROJECT_ROOT


def test_dagster_validates_the_workspace(tmp_path):
    shutil.copy(PROJECT_ROOT / "orchestration" / "dagster.yaml", tmp_path / "dagster.yaml")
    completed = subprocess.run(
        [
            os.path.join(os.path.dirname(sys.executable), "dagster"),
            "definitions",
            "validate",
            "-w",
            "workspace.yaml",
        ],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DAGSTER_HOME": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "All code locations passed validation" in completed.stdout + completed.stderr


def test_graph_runs_from_raw_tables_through_dbt_to_the_output():
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {
        "raw/cin_child",
        "raw/cin_details",
        "staging/stg_cin_census__cin_details",
        "intermediate/int_cin_census__referrals",
        "marts/fct_referrals",
        "marts/fct_indicator_monthly",
        "outputs/exports",
        "outputs/questions_register",
        "outputs/briefing_html",
        "outputs/analyst_marts",
    } <= keys
    for output in ("exports", "questions_register", "briefing_html"):
        upstream_of_output = graph.get(dg.AssetKey(["outputs", output]))
        assert {
            dg.AssetKey(["marts", "rpt_indicator_vs_baseline"]),
            dg.AssetKey(["raw", "file_manifest"]),
        } <= upstream_of_output.parent_keys
    analyst_copy = graph.get(dg.AssetKey(["outputs", "analyst_marts"]))
    assert dg.AssetKey(["marts", "rpt_published_benchmarks"]) in analyst_copy.parent_keys
    staging = graph.get(dg.AssetKey(["staging", "stg_cin_census__cin_details"]))
    assert dg.AssetKey(["raw", "cin_details"]) in staging.parent_keys
    # Retention runs after ingestion and before every model that reads a raw table.
    retention = dg.AssetKey(["raw", "retention_audit"])
    assert dg.AssetKey(["raw", "cin_details"]) in graph.get(retention).parent_keys
    assert retention in staging.parent_keys
    assert retention not in graph.get(dg.AssetKey(["marts", "fct_referrals"])).parent_keys
    groups = {graph.get(dg.AssetKey(k.split("/"))).group_name for k in keys}
    assert groups == {
        "ingest",
        "reference",
        "staging",
        "intermediate",
        "marts",
        "quality",
        "outputs",
        "partnership",
    }


def test_every_dbt_test_is_a_check_and_the_suite_and_structure_checks_exist():
    from orchestration.definitions import defs

    check_keys = {
        f"{key.asset_key.to_user_string()}:{key.name}"
        for key in defs.resolve_asset_graph().asset_check_keys
    }
    assert "raw/cin_child:files_parsed" in check_keys
    assert "marts/fct_referrals:expectations_fct_referrals" in check_keys
    assert "marts/fct_referrals:unique_fct_referrals_referral_id" in check_keys
    assert (
        "marts/fct_indicator_monthly:relationships_fct_indicator_monthly_indicator_id__indicator_id__ref_indicators_"
        in check_keys
    )


def asset_keys(assets) -> list[dg.AssetKey]:
    return [key for a in assets for key in (a.keys if hasattr(a, "keys") else [a.key])]


def check_keys(definitions) -> set[dg.AssetCheckKey]:
    defined = [*(definitions.assets or ()), *(definitions.asset_checks or ())]
    return {key for d in defined for key in getattr(d, "check_keys", ())}


def test_the_merged_definitions_hold_every_stage_and_the_platform_wide_parts():
    from orchestration import automation, definitions
    from orchestration.alerts import in_process_with_alerts

    defs = definitions.defs
    graph = defs.resolve_asset_graph()
    # Each stage brings its own assets and checks, none another's, and the merge keeps them.
    keys = [key for stage in definitions.STAGES for key in asset_keys(stage.assets or ())]
    assert len(keys) == len(set(keys))
    assert set(keys) == set(graph.get_all_asset_keys())
    stages = [*definitions.STAGES, automation.defs]
    assert set().union(*(check_keys(stage) for stage in stages)) == set(graph.asset_check_keys)
    assert {job.name for job in defs.resolve_all_job_defs()} - {"__ASSET_JOB"} == {
        "refresh_all",
        "check_freshness",
    }
    assert {schedule.name for schedule in defs.schedules} == {
        "monthly_refresh",
        "freshness_schedule",
    }
    assert {sensor.name for sensor in defs.sensors} == {"landing_sensor", "run_failure_alert"}
    assert set(defs.resources) == {"warehouse", "paths", "pseudonymiser", "dbt"}
    assert defs.executor is in_process_with_alerts
    # The landing sensor names the job that the automation defines.
    [landing] = [sensor for sensor in defs.sensors if sensor.name == "landing_sensor"]
    assert landing.job_name == automation.REFRESH_ALL
