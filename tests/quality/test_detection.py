"""Proof of the data-quality layer against the generator's answer key: the England Covid
scenario with its injected defects (a small authority, 2017-01 to 2021-03, enough baseline
before the lockdowns), ingested and built, then the quality checks run as Dagster runs them."""

import csv
import re

import dagster as dg
import pytest

from orchestration.quality.checks import RULES, build_rule_check
from orchestration.quality.detection_report import detection_table, evaluate
from orchestration.resources import WarehouseResource
from tests.conftest import PROJECT_ROOT
from tests.warehouse import synthetic_warehouse

pytestmark = pytest.mark.slow

ROW_REFERENCE = re.compile(r"^[\w./-]+\.(csv|xml):\d+$")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("quality")
    con = synthetic_warehouse(
        root,
        select=["+path:models/quality"],
        seed=42,
        children=20_000,
        start="2017-01",
        end="2021-03",
    )
    yield root, con
    con.close()


def test_finds_at_least_95_percent_of_injected_defects_with_few_false_alarms(built):
    root, con = built
    result = evaluate(root / "landing", con)
    print(detection_table(result))
    assert len(result.defects) == 23
    # Measured: 22 of 23. The one missed is the CIN closure-before-referral defect: the
    # answer key dates it by the true closure month, which the return no longer shows; the
    # layer finds the three bad rows in the months of their referrals (2019-11 to 2020-02).
    assert len(result.detected) == 22
    assert result.detection_rate >= 0.95
    assert {d.defect_id for d in result.defects} - result.detected == {"D23"}
    # The SSD extracts add 39 clean source-months, none of them flagged.
    assert result.clean_source_months == 300
    assert len(result.false_alarms) == 7
    assert result.false_alarm_rate <= 0.05


def test_summary_calls_the_missing_month_an_extract_gap_not_a_fall(built):
    _, con = built
    light, reasons = con.execute(
        "select traffic_light, reasons from quality.dq_summary "
        "where source = 'police_incidents' and month = '2020-11-01'"
    ).fetchone()
    assert light == "red"
    assert reasons == (
        "0 incidents this month against 112.0 in the same month of the baseline: "
        "possible extract gap, not a fall in need"
    )
    lights = dict(
        con.execute(
            "select traffic_light, count(*) from quality.dq_summary "
            "where source = 'police_incidents' group by all"
        ).fetchall()
    )
    assert lights["green"] >= 45


def caveats(con, indicator, month):
    """{breakdown dimension: caveat} of an indicator's month (quality.dq_caveats_monthly)."""
    return dict(
        con.execute(
            "select breakdown_dimension, dq_caveat from quality.dq_caveats_monthly "
            "where indicator_id = ? and month = ?",
            [indicator, month],
        ).fetchall()
    )


def test_a_caveat_states_the_share_against_the_baseline_where_the_field_is_read(built):
    _, con = built
    april = caveats(con, "referrals", "2020-04-01")
    assert (
        "referral source missing on 14.5% of referrals this month against 1.3% in the baseline"
        in april["source_group"]
    )
    assert "ethnicity missing" in april["ethnicity_major_group"]
    assert "ethnicity" not in april["source_group"]
    # the count of referrals reads neither field: its total carries neither caveat
    total = april.get("all", "")
    assert "referral source" not in total and "ethnicity" not in total
    assert caveats(con, "referrals", "2019-06-01") == {}


def test_an_extract_gap_caveats_every_figure_of_its_source(built):
    _, con = built
    with (PROJECT_ROOT / "dbt_project" / "seeds" / "indicators.csv").open(newline="") as handle:
        police = {
            (row["indicator_id"], dimension)
            for row in csv.DictReader(handle)
            if row["source"] == "police_incidents"
            for dimension in row["breakdowns"].split("|")
        }
    gap = con.execute(
        "select indicator_id, breakdown_dimension, dq_caveat from quality.dq_caveats_period "
        "where period_id = 'lockdown_2' and indicator_id in (select indicator_id "
        "from quality.dq_indicator_sources where source = 'police_incidents')"
    ).fetchall()
    assert {(indicator, dimension) for indicator, dimension, _ in gap} == police
    assert all("possible extract gap" in caveat for *_, caveat in gap)


@pytest.mark.parametrize(
    ("rule", "months"),
    [
        ("volume", "2020-11"),
        ("duplicates", "2020-06"),
        ("timeliness", "2020-04, 2020-05, 2020-06, 2020-07, 2020-08"),
    ],
)
def test_rule_checks_warn_with_months_and_row_references_only(built, rule, months):
    root, _ = built
    check = build_rule_check(rule, RULES[rule])
    result = check(warehouse=WarehouseResource(path=str(root / "warehouse.duckdb")))
    assert result.passed is False
    assert result.severity == dg.AssetCheckSeverity.WARN
    assert result.metadata["months_affected"].value == months
    table = result.metadata["findings"].value
    examples = [
        cell
        for line in table.splitlines()[2:]
        for cell in line.split("|")[8].strip().split(", ")
        if cell
    ]
    assert all(ROW_REFERENCE.match(e) for e in examples), examples


def test_every_threshold_rule_has_a_check():
    from orchestration.quality.checks import rule_checks

    names = {spec.name for check in rule_checks() for spec in check.check_specs}
    assert names == {f"dq_{rule}" for rule in RULES}
    with (PROJECT_ROOT / "dbt_project" / "seeds" / "dq_thresholds.csv").open() as handle:
        assert {row["check_name"] for row in csv.DictReader(handle)} == set(RULES)
