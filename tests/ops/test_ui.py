"""The platform as an operator meets it: `dagster dev` (webserver and daemon) on the workspace,
the asset graph and its checks through the GraphQL API, a run of the whole graph launched
there, its check results read back, the asset graph page in a browser; then everything
stopped, nothing left running."""

import json
import os
import subprocess
import sys
import time
from datetime import UTC, date, datetime

import duckdb
import pytest

from orchestration.definitions import defs
from synthetic import generate
from tests.ops.dagster_ui import (
    ASSET_GRAPH_QUERY,
    CHECK_RESULTS_QUERY,
    Dagster,
    checks_by_key,
    free_port,
    interrupt,
    latest_metadata,
    stop_sensor,
)

pytestmark = pytest.mark.slow

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    root = tmp_path_factory.mktemp("ui")
    data, home = root / "data", root / "dagster_home"
    env = {k: v for k, v in os.environ.items() if k != "CSC_INTEL_WAREHOUSE"}
    env.update(CSC_INTEL_DATA_DIR=str(data), DAGSTER_HOME=str(home))
    port = free_port()
    launcher = subprocess.Popen(
        [sys.executable, "-m", "orchestration.ui", "--port", str(port)],
        env=env,
        start_new_session=True,
    )
    dagster = Dagster(port)
    try:
        location = dagster.wait_until_loaded()
        # The run under test is the one launched here, not one the sensor would start when
        # the files appear (runs go one at a time: it would queue ahead of it).
        stop_sensor(dagster, location, "landing_sensor")
        generate(data / "landing", seed=5, children=800, start="2020-04", end="2021-03")
        run_id = dagster.launch(location, "refresh_all")
        status = dagster.wait_for_run(run_id)
        yield dagster, root, run_id, status
    finally:
        assert interrupt(launcher, home) == []
        assert launcher.returncode == 0


def test_the_ui_shows_every_asset_and_check_of_the_definitions(platform):
    dagster, *_ = platform
    data = dagster.graphql(ASSET_GRAPH_QUERY)
    graph = defs.resolve_asset_graph()
    expected_assets = {key.to_user_string() for key in graph.get_all_asset_keys()}
    expected_checks = {(key.asset_key.to_user_string(), key.name) for key in graph.asset_check_keys}
    shown = {"/".join(node["assetKey"]["path"]): node for node in data["assetNodes"]}

    assert set(shown) == expected_assets
    assert set(checks_by_key(data)) == expected_checks
    assert shown["marts/fct_indicator_monthly"]["groupName"] == "marts"
    assert shown["raw/cin_child"]["groupName"] == "ingest"
    assert {node["groupName"] for node in shown.values()} >= {
        "ingest",
        "reference",
        "staging",
        "intermediate",
        "marts",
        "outputs",
    }


def test_a_run_of_the_whole_graph_launched_through_the_api_succeeds(platform):
    dagster, root, run_id, status = platform
    assert status == "SUCCESS"
    assert (root / "data" / "outputs" / "briefing.html").exists()


def test_the_check_results_of_the_run_read_back_with_their_values(platform):
    dagster, _, run_id, _ = platform
    checks = checks_by_key(dagster.graphql(CHECK_RESULTS_QUERY))

    parsed = checks[("raw/cin_child", "files_parsed")]["executionForLatestMaterialization"]
    assert parsed["runId"] == run_id
    assert parsed["status"] == "SUCCEEDED" and parsed["evaluation"]["success"]

    # The synthetic extracts end in March 2021: every monthly source is long overdue today.
    freshness = checks[("raw/ae_attendances", "freshness")]["executionForLatestMaterialization"]
    assert freshness["runId"] == run_id
    assert freshness["status"] == "FAILED"
    assert freshness["evaluation"]["severity"] == "ERROR"
    values = {
        entry["label"]: entry.get("intValue", entry.get("text"))
        for entry in freshness["evaluation"]["metadataEntries"]
    }
    assert values["latest_period_end"] == "2021-03-31"
    assert values["overdue_after_days"] == 40
    today = datetime.now(UTC).date()
    assert values["days_since_period_end"] in {
        (today - date(2021, 3, 31)).days,
        (today - date(2021, 3, 31)).days - 1,  # the run may have finished before midnight
    }

    executed = [c["executionForLatestMaterialization"] for c in checks.values()]
    dbt_tests = [
        c for (asset, name), c in checks.items() if asset.startswith("marts/") and "unique" in name
    ]
    assert dbt_tests and all(
        c["executionForLatestMaterialization"]["status"] == "SUCCEEDED" for c in dbt_tests
    )
    assert all(e is not None and e["runId"] == run_id for e in executed)


def test_the_asset_graph_page_shows_every_group_in_a_browser(platform):
    from playwright.sync_api import sync_playwright

    dagster, root, *_ = platform
    graph = defs.resolve_asset_graph()
    materializable = [key for key in graph.get_all_asset_keys() if graph.get(key).is_materializable]
    groups = {graph.get(key).group_name for key in graph.get_all_asset_keys()}
    screenshot = root / "asset_graph.png"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.goto(f"{dagster.url}/asset-groups", wait_until="networkidle")
            button = page.get_by_text(f"Materialize all ({len(materializable)})")
            button.wait_for(timeout=60_000)
            for group in groups:
                assert page.get_by_text(group, exact=True).count() >= 1, group
            page.screenshot(path=str(screenshot))
        finally:
            browser.close()
    assert screenshot.stat().st_size > 20_000


def test_materializations_carry_row_counts_previews_and_paths(platform):
    dagster, root, run_id, _ = platform
    raw = latest_metadata(dagster, ["raw", "cin_child"], run_id)
    indicators = latest_metadata(dagster, ["marts", "fct_indicator_monthly"], run_id)
    referrals = latest_metadata(dagster, ["marts", "fct_referrals"], run_id)
    output = latest_metadata(dagster, ["outputs", "briefing_html"], run_id)
    with duckdb.connect(str(root / "data" / "warehouse.duckdb"), read_only=True) as con:

        def count(table: str) -> int:
            return con.execute(f"select count(*) from {table}").fetchone()[0]

        assert raw["dagster/row_count"] == count("raw.cin_child") > 10
        assert raw["records_rejected"] == count("raw.rejected_rows where source = 'cin_census'")
        assert indicators["dagster/row_count"] == count("marts.fct_indicator_monthly") > 100
        assert referrals["dagster/row_count"] == count("marts.fct_referrals") > 10
        pseudonyms = {
            value
            for (value,) in con.execute(
                "select la_child_id_pseudonym from marts.fct_referrals limit 50"
            ).fetchall()
        }
    # Aggregates are previewed; a mart of children's records is not, nor any pseudonym.
    assert "indicator_id" in indicators["preview"] and "numerator" in indicators["preview"]
    assert "preview" not in referrals
    assert not any(p in indicators["preview"] for p in pseudonyms)
    assert output["path"] == str(root / "data" / "outputs" / "briefing.html")


def test_a_failed_run_leaves_an_alert_written_by_the_daemon(platform):
    """Last in this module: it adds a failed run after the successful one."""
    dagster, root, *_ = platform
    data = root / "data"
    (data / "landing" / "cin_census" / "cin_census_938_2019.xml").write_text("<Message><Header>")
    location = dagster.wait_until_loaded()
    failed_run = dagster.launch(location, "refresh_all")
    assert dagster.wait_for_run(failed_run) == "FAILURE"

    alerts = data / "alerts" / "alerts.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not alerts.exists():
        time.sleep(2)
    [record] = [json.loads(line) for line in alerts.read_text().splitlines()]
    assert record["run_id"] == failed_run and record["job"] == "refresh_all"
    assert record["trigger"] == "manual"
    assert [step["step"] for step in record["failed_steps"]] == ["ingest_cin_census"]
    assert "raw/cin_child: files_parsed" in record["failed_steps"][0]["error"]
