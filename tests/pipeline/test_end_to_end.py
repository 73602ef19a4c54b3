"""The whole platform through Dagster, on synthetic returns: every count checked against the
generator's answer key and against the XML itself, no identifier anywhere it should not be."""

import csv
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from lxml import etree

from orchestration.definitions import ASSET_CHECKS, ASSETS
from orchestration.ingest.formats import all_formats
from orchestration.resources import build_resources
from synthetic import generate
from tests.pipeline import oracle
from tests.pipeline.leaks import (
    birth_date_columns_hold_only_pseudonyms,
    every_text_value,
    identifiers_in_landing,
)

pytestmark = pytest.mark.slow


def referrals_in_xml(landing: Path) -> dict[str, int]:
    """Distinct (child, referral date) per month, counted straight from the returns."""
    referrals = set()
    for path in sorted((landing / "cin_census").glob("*.xml")):
        for child in etree.parse(str(path)).iter("Child"):
            child_id = child.findtext("ChildIdentifiers/LAchildID")
            for date in child.iterfind("CINdetails/CINreferralDate"):
                referrals.add((child_id, date.text))
    monthly: dict[str, int] = {}
    for _, date in referrals:
        monthly[date[:7]] = monthly.get(date[:7], 0) + 1
    return monthly


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    root = tmp_path_factory.mktemp("platform")
    generate(root / "landing", seed=7, children=6_000, start="2019-04", end="2021-03")
    instance = dg.DagsterInstance.ephemeral()
    result = materialize_all(root, instance)
    return root, result, instance


def materialize_all(root: Path, instance: dg.DagsterInstance):
    return dg.materialize(
        [*ASSETS, *ASSET_CHECKS],
        resources=build_resources(root),
        instance=instance,
        raise_on_error=False,
    )


def materialized_groups(result) -> set[str]:
    return {e.asset_key.path[0] for e in result.get_asset_materialization_events()}


def test_every_asset_materializes_and_every_check_passes(pipeline):
    _, result, _ = pipeline
    assert result.success
    evaluations = {
        (e.asset_key.to_user_string(), e.check_name): e
        for e in result.get_asset_check_evaluations()
    }
    parsed = [e for (_, name), e in evaluations.items() if name == "files_parsed"]
    assert len(parsed) == len(all_formats()) >= 10 and all(e.passed for e in parsed)
    assert evaluations[("raw/unrecognised_files", "every_file_recognised")].passed
    suite_key = ("marts/fct_referrals", "expectations_fct_referrals")
    # Structure problems are errors and none may fail; the generator's injected recording
    # defects make some content checks warn, as they should.
    failed = {key: e.severity for key, e in evaluations.items() if not e.passed}
    assert [key for key, severity in failed.items() if severity != dg.AssetCheckSeverity.WARN] == []
    suite = evaluations[suite_key]
    assert suite.severity == dg.AssetCheckSeverity.WARN
    assert suite.metadata["rows_validated"].value > 500


def test_monthly_referrals_equal_the_returns_and_the_answer_key(pipeline):
    root, _, _ = pipeline
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as con:
        built = dict(
            con.execute(
                "select strftime(month, '%Y-%m'), cast(value as integer)"
                " from marts.fct_indicator_monthly"
                " where indicator_id = 'referrals' and breakdown_dimension = 'all'"
            ).fetchall()
        )
    with (root / "landing" / "_truth" / "cin_referrals_monthly.csv").open() as handle:
        truth = {row["month"][:7]: int(row["referrals"]) for row in csv.DictReader(handle)}
    from_xml = referrals_in_xml(root / "landing")

    assert len(built) == 24 and sum(built.values()) > 500
    assert built == truth
    assert built == {month: from_xml.get(month, 0) for month in built}


def test_the_marts_agree_with_an_independent_oracle_for_every_month(pipeline):
    root, _, _ = pipeline
    expected = oracle.indicators(root / "landing")
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as con:
        built = con.execute(
            "select case when breakdown_dimension = 'all' then indicator_id"
            " else indicator_id || ':' || breakdown_value end as indicator_id,"
            " month, numerator, denominator from marts.fct_indicator_monthly"
            " where breakdown_dimension = 'all'"
            " or (indicator_id = 'referrals' and breakdown_value = 'schools')"
            " or (indicator_id = 'assessment_factors' and breakdown_value = 'domestic_abuse')"
        ).df()
    # the months the monthly sources cover (a termly figure may sit in the month its last
    # term ends, after them)
    covered = set(built.loc[built["indicator_id"] == "referrals", "month"])
    compared = 0
    for indicator_id, rows in built.groupby("indicator_id"):
        truth = expected[expected["indicator_id"] == indicator_id].set_index("month")
        if truth.empty:
            continue
        for row in rows.itertuples():
            numerator = truth["numerator"].get(row.month, 0)
            assert row.numerator == numerator, (indicator_id, row.month)
            if row.denominator == row.denominator:  # not NaN: a share
                assert row.denominator == truth["denominator"].get(row.month, 0)
            compared += 1
    assert len(set(expected["indicator_id"])) == 13
    assert compared >= 13 * len(covered)


def test_a_period_rate_per_10000_is_the_periods_events_per_10000_children(pipeline):
    root, _, _ = pipeline
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute(
            """
            select summary.period_id, summary.value, sum(monthly.value), count(*)
            from marts.rpt_period_summary as summary
            inner join marts.dim_month as months on summary.period_id = months.period_id
            inner join marts.fct_indicator_monthly as monthly
                on monthly.month = months.month
                and monthly.indicator_id = summary.indicator_id
                and monthly.breakdown_dimension = summary.breakdown_dimension
            where summary.indicator_id = 'referrals_per_10000'
                and summary.breakdown_dimension = 'all'
            group by summary.period_id, summary.value
            """
        ).fetchall()
    assert {period for period, *_ in rows} >= {"lockdown_1", "lockdown_2", "lockdown_3"}
    for period, period_rate, summed_monthly_rates, months in rows:
        # The population barely moves within a period: the period's rate is the sum of its
        # months' rates (referrals per 10,000 children over the period).
        assert period_rate == pytest.approx(summed_monthly_rates, rel=0.01), period
        assert period_rate > 5 * months, period


def test_the_published_exports_match_the_marts_with_small_counts_suppressed(pipeline):
    root, _, _ = pipeline
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as con:
        expected = {
            (month, dimension, value): count
            for month, dimension, value, count in con.execute(
                "select strftime(month, '%Y-%m'), breakdown_dimension, breakdown_value,"
                " cast(numerator as integer) from marts.fct_indicator_monthly"
                " where indicator_id = 'referrals'"
            ).fetchall()
        }
    with (root / "outputs" / "exports" / "indicators_monthly.csv").open() as handle:
        published = [row for row in csv.DictReader(handle) if row["indicator_id"] == "referrals"]
    assert len(published) == len(expected)
    secondary = 0
    for row in published:
        count = expected[(row["month"], row["breakdown_dimension"], row["breakdown_value"])]
        if 1 <= count <= 4:
            assert row["numerator"] == "c"
        elif row["numerator"] == "c":  # hidden so that a total cannot give a small count back
            secondary += 1
        else:
            assert row["numerator"] == str(count)
    assert any(row["numerator"] == "c" for row in published)
    assert secondary < len(published) / 4
    for name in ("briefing.html", "analyst_marts.duckdb"):
        assert (root / "outputs" / name).stat().st_size > 1000
    # two years of data leave at most one clean year before the lockdowns: too little to
    # expect anything, so the register is written with its columns and no question
    register = (root / "outputs" / "questions.csv").read_text().splitlines()
    assert register and "question_id" in register[0]


def test_no_raw_identifier_reaches_the_warehouse_outputs_or_logs(pipeline):
    root, result, _ = pipeline
    identifiers = identifiers_in_landing(root / "landing")
    assert len(identifiers) > 150
    haystacks = {
        "warehouse": every_text_value(root / "warehouse.duckdb"),
        "outputs": "\n".join(
            p.read_text()
            for pattern in ("*.csv", "*.html")
            for p in (root / "outputs").rglob(pattern)
        ),
        "logs": "\n".join(str(event) for event in result.all_events),
    }
    for where, text in haystacks.items():
        leaked = [value for value in identifiers if value in text]
        assert leaked == [], f"{len(leaked)} identifiers found in {where}"
    assert birth_date_columns_hold_only_pseudonyms(root / "warehouse.duckdb") == []


def suite_result(result, table: str, suite: str) -> dg.AssetCheckEvaluation:
    (evaluation,) = [
        e
        for e in result.get_asset_check_evaluations()
        if e.asset_key == dg.AssetKey(["raw", table]) and e.check_name == f"expectations_{suite}"
    ]
    return evaluation


def test_a_run_with_nothing_new_skips_the_build_and_a_changed_file_rebuilds(pipeline):
    root, first, instance = pipeline
    warehouse = root / "warehouse.duckdb"

    def snapshot():
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return con.execute(
                "select (select count(*) from raw.cin_details),"
                " (select round(sum(value), 6) from marts.fct_indicator_monthly),"
                " (select count(*) from raw.file_manifest),"
                " (select count(*) from raw.police_incidents)"
            ).fetchone()

    before = snapshot()
    again = materialize_all(root, instance)
    assert again.success
    assert snapshot() == before
    # Ingestion looked and found nothing new; dbt, the marts' checks and the outputs skipped.
    assert materialized_groups(again) == {"raw"}
    skipped = {e.step_key for e in again.all_events if e.is_step_skipped}
    assert {"outputs__exports", "outputs__briefing_html"} <= skipped
    ingest = next(
        e
        for e in again.get_asset_materialization_events()
        if e.asset_key == dg.AssetKey(["raw", "cin_child"])
    )
    metadata = ingest.materialization.metadata
    assert (metadata["files_loaded"].value, metadata["files_unchanged"].value) == (0, 2)
    # The raw suites give the first run's results again rather than validating unchanged rows.
    for result in (first, again):
        police = suite_result(result, "police_incidents", "raw_police_incidents_rules")
        assert police.metadata["validated_in_run"].value == first.run_id
    first_cin = suite_result(first, "cin_details", "raw_cin_details_rules")
    again_cin = suite_result(again, "cin_details", "raw_cin_details_rules")
    assert (again_cin.passed, again_cin.metadata) == (first_cin.passed, first_cin.metadata)

    # A corrected delivery of one month replaces the old one and the marts are rebuilt.
    police = sorted((root / "landing" / "police_incidents").glob("*.csv"))[-1]
    police.write_text("".join(police.read_text().splitlines(keepends=True)[:-1]))
    rebuilt = materialize_all(root, instance)
    assert rebuilt.success and {"marts", "outputs"} <= materialized_groups(rebuilt)
    assert snapshot()[3] == before[3] - 1
    # A changed delivery validates every raw table again (a rule may read another table).
    cin = suite_result(rebuilt, "cin_details", "raw_cin_details_rules")
    assert cin.metadata["validated_in_run"].value == rebuilt.run_id


def test_a_file_that_cannot_be_parsed_blocks_everything_downstream(tmp_path):
    landing = tmp_path / "landing" / "cin_census"
    generate(tmp_path / "landing", seed=3, children=500, start="2020-04", end="2021-03")
    (landing / "cin_census_938_2019.xml").write_text("<Message><Header>")
    result = dg.materialize(
        [*ASSETS, *ASSET_CHECKS], resources=build_resources(tmp_path), raise_on_error=False
    )
    assert not result.success
    [check] = [
        e
        for e in result.get_asset_check_evaluations()
        if e.asset_key == dg.AssetKey(["raw", "cin_child"]) and e.check_name == "files_parsed"
    ]
    assert not check.passed
    assert "cin_census_938_2019.xml" in check.metadata["failures"].value
    assert materialized_groups(result) == {"raw"}
    assert not (tmp_path / "outputs").exists()
