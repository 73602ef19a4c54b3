"""Retention: the policy applied to a small synthetic county at chosen dates deletes exactly
the rows past their period (counted here in Python from the raw values), keeps undated rows,
audits each rule without naming any child, survives re-ingestion, and a Dagster run rebuilds
staging without the deleted rows."""

import csv
import shutil
import time
from dataclasses import fields
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.ingest.assets import INGEST_ASSETS
from orchestration.ingest.formats import all_formats
from orchestration.ingest.loader import Ingestor
from orchestration.operations import is_person_grain
from orchestration.privacy.keys import mark_synthetic
from orchestration.privacy.pseudonymise import Pseudonymiser
from orchestration.resources import WarehouseResource, build_resources
from orchestration.retention import policy as retention_policy
from orchestration.retention.apply import AuditRow, apply_policy, cutoff
from orchestration.retention.assets import RETENTION_ASSETS, RETENTION_AUDIT
from orchestration.retention.policy import PolicyError, read_policy
from orchestration.transform.assets import csc_dbt_models
from orchestration.transform.build_inputs import build_inputs
from synthetic import generate
from tests.ops.retention_oracle import expected_dates, parse_delivered

POLICY = read_policy()
KEY = Pseudonymiser(b"retention-test-key-0123456789", key_label="test")
POLICE_HEADER = (
    "FORCE_CODE,LA_CODE,INCIDENT_REF,INCIDENT_DATE,INCIDENT_TYPE,CHILDREN_PRESENT,"
    "NOTIFIED_TO_CSC,CHILD_FORENAME,CHILD_SURNAME,CHILD_DOB,CHILD_POSTCODE,RECORDED_AT"
)
# One file all of whose rows expire; one whose undated rows (an impossible date, a blank)
# must outlive every cut-off.
OLD_POLICE = ["99,938,OLD1,03/01/2009,violence,1,Y,Ann,Old,01/01/2001,QX1 1AA,"]
UNDATED_POLICE = [
    "99,938,KEEP1,31/02/2010,violence,1,N,Bea,Kept,02/02/2002,QX1 1AA,",
    "99,938,KEEP2,,other,0,N,,,,,",
    "99,938,DATED,15/05/2010,other,0,N,,,,,",
]
# Dates that split a table in two: police incidents (25 years), the two CIN returns (35
# years after 31 March 2020 but not yet 2021), looked-after children's births (75 years).
SPLITS = {date(2045, 6, 15): "police_incidents", date(2055, 9, 1): "cin_child"}
SPLITS[date(2085, 6, 15)] = "ssda903_episodes"
TODAYS = list(SPLITS)
# No audit column may hold or point at a child: a pseudonym, a key, a file or a line.
IDENTIFYING = ("child", "upn", "nhs", "dob", "birth", "name", "postcode", "file", "line", "ref")


def ingest(landing: Path, warehouse: Path) -> list[str]:
    """Every format's files into the warehouse; the statuses of the files it saw."""
    with duckdb.connect(str(warehouse)) as con:
        reports = [
            Ingestor(fmt, con, KEY, landing).ingest(landing / fmt.source) for fmt in all_formats()
        ]
    return [outcome.status for report in reports for outcome in report.outcomes]


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("retention")
    generate(root / "landing", seed=5, children=400, start="2019-04", end="2021-03")
    # So few children leave some months without a referral or an incident: a partner would
    # not send those header-only files, which ingestion refuses.
    for path in (root / "landing").rglob("*.csv"):
        if len(path.read_text().splitlines()) < 2:
            path.unlink()
    police = root / "landing" / "police_incidents"
    (police / "police_938_2009-01.csv").write_text("\n".join([POLICE_HEADER, *OLD_POLICE]))
    (police / "police_938_2010-05.csv").write_text("\n".join([POLICE_HEADER, *UNDATED_POLICE]))
    ingest(root / "landing", root / "base.duckdb")
    return root


@pytest.fixture
def warehouse(county, tmp_path) -> Path:
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(county / "base.duckdb", copy)
    return copy


def counts(con, today: date) -> dict[str, tuple[int, int, int]]:
    """Per table: rows, rows past their period at today, undated rows."""
    found = {}
    for rule in POLICY.rules:
        days, limit = expected_dates(con, rule), cutoff(today, rule.years)
        expired = sum(1 for day in days if day and day < limit)
        found[rule.table] = (len(days), expired, days.count(None))
    return found


def applied(con, today: date, run_id: str = "run-1") -> dict[str, AuditRow]:
    return {row.raw_table: row for row in apply_policy(con, POLICY, today, run_id, "v1")}


@pytest.mark.parametrize("today", TODAYS, ids=str)
def test_each_rule_deletes_exactly_the_rows_past_their_period(warehouse, today):
    with duckdb.connect(str(warehouse)) as con:
        expected = counts(con, today)
        started = time.perf_counter()
        audit = applied(con, today)
        print(f"retention at {today}: {time.perf_counter() - started:.2f} s")
        left = counts(con, today)
    assert set(audit) == set(expected)
    for table, (rows, deleted, undated) in expected.items():
        row = audit[table]
        assert (row.rows_before, row.rows_deleted, row.rows_undated_kept) == expected[table]
        assert row.cutoff_date == cutoff(today, row.years) and row.as_of == today
        # What is left holds nothing past its period, and every undated row.
        assert left[table] == (rows - deleted, 0, undated), table
    print(f"deleted at {today}:", {t: r.rows_deleted for t, r in audit.items() if r.rows_deleted})
    assert 0 < audit[SPLITS[today]].rows_deleted < audit[SPLITS[today]].rows_before


def test_undated_rows_are_kept_and_counted_and_applying_again_deletes_nothing(warehouse):
    today = TODAYS[0]
    with duckdb.connect(str(warehouse)) as con:
        first = applied(con, today)
        again = applied(con, today, "run-2")
        refs = {r for (r,) in con.sql("select incident_ref from raw.police_incidents").fetchall()}
        history = con.execute("select count(*), count(distinct run_id) from raw.retention_audit")
        history = history.fetchone()
    assert {"KEEP1", "KEEP2"} <= refs and not {"OLD1", "DATED"} & refs
    assert first["police_incidents"].rows_undated_kept >= 2
    assert {row.rows_deleted for row in again.values()} == {0}
    assert history == (2 * len(again), 2)


def test_the_audit_names_rules_and_counts_never_a_child(warehouse):
    with duckdb.connect(str(warehouse)) as con:
        pseudonyms = {
            value
            for (value,) in con.sql(
                "select child from raw.ssda903_header union select la_child_id from raw.cin_child"
                " union select child_surname from raw.police_incidents"
                " union select nhs_number from raw.ae_attendances"
            ).fetchall()
        } - {None}
        applied(con, TODAYS[2])
        audit = con.execute("select * from raw.retention_audit")
        columns = {column[0] for column in audit.description}
        values = {str(value) for row in audit.fetchall() for value in row}
    assert columns == {field.name for field in fields(AuditRow)}
    assert not [c for c in columns if any(part in c for part in IDENTIFYING)]
    assert not is_person_grain(sorted(columns))
    assert len(pseudonyms) > 100 and not pseudonyms & values
    assert set(POLICY.reasons) <= values


def test_deleted_rows_do_not_come_back_when_landing_is_ingested_again(county, warehouse):
    today = TODAYS[0]
    with duckdb.connect(str(warehouse)) as con:
        applied(con, today)
        after = counts(con, today)
    statuses = ingest(county / "landing", warehouse)
    assert set(statuses) <= {"unchanged", "duplicate"}
    with duckdb.connect(str(warehouse)) as con:
        again = counts(con, today)
        # The file whose every row expired stays in the manifest as the history of a delivery.
        emptied = con.execute(
            "select status, rows_loaded from raw.file_manifest"
            " where file_path = 'police_incidents/police_938_2009-01.csv'"
        ).fetchall()
        (left,) = con.execute(
            "select count(*) from raw.police_incidents where incident_ref = 'OLD1'"
        ).fetchone()
    assert again == after
    assert emptied == [("loaded", 1)] and left == 0


def test_a_deletion_changes_what_the_build_is_built_from_and_a_no_op_does_not(warehouse):
    resource = WarehouseResource(path=str(warehouse))
    before = build_inputs(resource)
    with duckdb.connect(str(warehouse)) as con:
        applied(con, date(2030, 1, 1), "run-0")  # nothing is old enough yet
    unchanged = build_inputs(resource)
    with duckdb.connect(str(warehouse)) as con:
        applied(con, TODAYS[0])
    deleted = build_inputs(resource)
    assert before == unchanged != deleted


def test_the_policy_covers_every_raw_table_with_a_reason():
    assert retention_policy.uncovered_tables(POLICY) == []
    assert all(len(reason) > 80 for reason in POLICY.reasons.values())
    years = {rule.source: rule.years for rule in POLICY.rules}
    assert years == dict(
        ssda903=75,
        cin_census=35,
        health=26,
        police_incidents=25,
        school_census=25,
        school_census_export=25,
        ssd=53,
    )


@pytest.mark.parametrize(
    "change, problem",
    [
        (("years: 26", "years: 0"), "positive whole number"),
        (("arrival_date", "arrived_on"), "no column 'arrived_on'"),
        (("police_incidents: incident_date", "police_incident: incident_date"), "not a table"),
        (("    from_table: ssda903_header\n", ""), "go together"),
        (("rules:", "rules: ["), "not valid YAML"),
    ],
)
def test_a_policy_that_cannot_be_applied_is_refused_with_the_fix(tmp_path, change, problem):
    text = retention_policy.POLICY_FILE.read_text().replace(*change, 1)
    (tmp_path / "policy.yaml").write_text(text)
    with pytest.raises(PolicyError, match=problem):
        read_policy(tmp_path / "policy.yaml")


def test_a_dagster_run_applies_retention_and_dbt_rebuilds_staging_without_the_rows(
    county, tmp_path, monkeypatch
):
    landing = tmp_path / "landing"
    shutil.copytree(county / "landing", landing)
    mark_synthetic(landing)
    # Staging's not-null test on incident dates would fail the build on the undated rows.
    (landing / "police_incidents" / "police_938_2010-05.csv").unlink()
    # Only the selected models' own tests: the others reach marts this run does not build.
    monkeypatch.setenv("DBT_INDIRECT_SELECTION", "cautious")
    today = TODAYS[0]
    selection = dg.AssetSelection.groups("ingest", "reference") | dg.AssetSelection.keys(
        ["staging", "stg_police__incidents"],
        ["staging", "stg_health__ae_attendances"],
        ["staging", "stg_ingest__deliveries"],
        ["staging", "stg_ingest__retention_cutoffs"],
        ["intermediate", "int_coverage__months"],
    )
    run_config = {"ops": {"raw__retention_audit": {"config": {"today": str(today)}}}}
    instance = dg.DagsterInstance.ephemeral()
    started = time.perf_counter()
    result = dg.materialize(
        [*INGEST_ASSETS, *RETENTION_ASSETS, csc_dbt_models],
        selection=selection,
        resources=build_resources(tmp_path),
        run_config=run_config,
        instance=instance,
    )
    print(f"ingest, retention and dbt run: {time.perf_counter() - started:.1f} s")
    assert result.success
    [retention] = [
        e for e in result.get_asset_materialization_events() if e.asset_key == RETENTION_AUDIT
    ]
    metadata = retention.materialization.metadata
    assert metadata["as_of"].value == str(today) and metadata["rows_deleted"].value > 0
    limit = cutoff(today, 25)
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        (raw_rows,) = con.execute("select count(*) from raw.police_incidents").fetchone()
        staged, earliest = con.execute(
            "select count(*), min(incident_date) from staging.stg_police__incidents"
        ).fetchone()
        (audited,) = con.execute(
            "select rows_deleted from raw.retention_audit where raw_table = 'police_incidents'"
        ).fetchone()
        covered = con.execute(
            "select min(month), count(*) from intermediate.int_coverage__months"
            " where source = 'police_incidents'"
        ).fetchone()
        earliest_delivered = con.execute(
            "select min(first_month) from staging.stg_ingest__deliveries"
            " where source = 'police_incidents'"
        ).fetchone()[0]
    delivered = [
        parse_delivered(row["INCIDENT_DATE"])
        for path in (landing / "police_incidents").glob("*.csv")
        for row in csv.DictReader(path.open(encoding="utf-8"))
    ]
    assert audited == sum(1 for day in delivered if day < limit) > 0
    assert staged == raw_rows == len(delivered) - audited and earliest >= limit
    # The months retention emptied are no longer reported on (no false zeros), the rest are.
    assert earliest_delivered < limit <= covered[0] and covered[1] > 0
