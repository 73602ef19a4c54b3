"""Findings never block the build: a code outside its list, an invalid date, a blank required
field, a duplicate record key and a date in the future, planted in every partner format,
load as findings, make dbt tests warn and leave the marts built."""

import csv
import json
import re
from pathlib import Path

import duckdb
import pytest

from orchestration.transform.assets import csc_dbt_models
from synthetic import generate
from tests.conftest import PROJECT_ROOT
from tests.warehouse import dbt_build, ingest_landing

pytestmark = pytest.mark.slow

# Per delivered CSV: the file, a code column and a code outside its list, a date column and
# its format, and the column that identifies a record (blanked, then duplicated).
CSV_DEFECTS = {
    "police_incidents/police_incidents_938_2020-03.csv": (
        "INCIDENT_TYPE",
        "INCIDENT_DATE",
        "INCIDENT_REF",
    ),
    "ae_attendances/ae_attendances_938_2020-03.csv": (
        "CHIEF_COMPLAINT",
        "ARRIVAL_DATE",
        "ATTENDANCE_ID",
    ),
    "hospital_admissions/hospital_admissions_938_2020-03.csv": (
        "ADMISSION_METHOD",
        "ADMISSION_DATE",
        "SPELL_ID",
    ),
    "camhs_referrals/camhs_referrals_938_2020-03.csv": (
        "SOURCE_OF_REFERRAL",
        "REFERRAL_DATE",
        "REFERRAL_ID",
    ),
    "school_census/school_census_938_2019-20_spring.csv": ("SEX", "PERSON_BIRTH_DATE", "UPN"),
    "ssda903/2020/ssda903_938_2020_Episodes.csv": ("LS", "DECOM", "CHILD"),
    "ssda903/2020/ssda903_938_2020_Header.csv": ("ETHNIC", "DOB", "CHILD"),
}
DAY_FIRST = re.compile(r"\d{2}/\d{2}/\d{4}")


def plant_csv(path: Path, code_column: str, date_column: str, key_column: str) -> None:
    """Rows 1 to 4 get one defect each; row 5 is delivered twice, the copy with another code."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    code, date, key = (header.index(c) for c in (code_column, date_column, key_column))
    day_first = bool(DAY_FIRST.fullmatch(rows[1][date]))
    rows[1][code] = "ZZ9"
    rows[2][date] = "31/02/2020" if day_first else "2020-02-31"
    rows[3][key] = ""
    rows[4][date] = "01/06/2099" if day_first else "2099-06-01"
    duplicate = list(rows[5])
    duplicate[code] = "ZZ8"
    rows.append(duplicate)
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


def plant_cin(path: Path) -> None:
    """The same five defects in a CIN census return, edited as text to keep the rest intact."""
    text = path.read_text(encoding="utf-8")
    text = text.replace("<ReferralSource>", "<ReferralSource>ZZ9", 1)
    dates = re.findall(r"<CINreferralDate>[^<]*</CINreferralDate>", text)
    text = text.replace(dates[1], "<CINreferralDate>2020-02-31</CINreferralDate>", 1)
    text = text.replace(dates[3], "<CINreferralDate>2099-06-01</CINreferralDate>", 1)
    ids = re.findall(r"<LAchildID>[^<]*</LAchildID>", text)
    text = text.replace(ids[2], "<LAchildID></LAchildID>", 1)
    children = re.findall(r"<Child>.*?</Child>", text, flags=re.DOTALL)
    text = text.replace(children[5], children[5] + children[5], 1)
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("findings_never_block")
    landing = root / "landing"
    generate(landing, seed=5, children=1500, start="2020-01", end="2020-06")
    for relative, columns in CSV_DEFECTS.items():
        plant_csv(landing / relative, *columns)
    plant_cin(landing / "cin_census" / "cin_census_938_2020.xml")
    warehouse = ingest_landing(root)
    dbt_build(root)  # the whole build, asserted to succeed
    results = json.loads((root / "target" / "run_results.json").read_text())["results"]
    tests = {r["unique_id"]: r["status"] for r in results if r["unique_id"].startswith("test.")}
    con = duckdb.connect(str(warehouse), read_only=True)
    yield con, tests
    con.close()


def test_every_delivery_loads(built):
    con, _ = built
    statuses = dict(con.execute("select file_path, status from raw.file_manifest").fetchall())
    for relative in [*CSV_DEFECTS, "cin_census/cin_census_938_2020.xml"]:
        assert statuses[relative] == "loaded", relative


def test_the_build_succeeds_with_marts(built):
    con, _ = built
    assert con.execute("select count(*) from marts.fct_indicator_monthly").fetchone()[0] > 0


def test_the_defects_are_visible_as_warnings_and_findings(built):
    con, tests = built
    assert [test for test, status in tests.items() if status in ("fail", "error")] == []
    warned = {test.split(".")[2] for test, status in tests.items() if status == "warn"}
    # A blank identifier and an unreadable date of each format warn, in staging and beyond.
    for model in (
        "police__incidents",
        "health__ae_attendances",
        "health__camhs_referrals",
        "health__hospital_admissions",
        "ssda903__episodes",
        "ssda903__header",
    ):
        assert f"not_null_stg_{model}" in warned, model
    # The mart's warning group holds the incident date, which the planted dates left blank.
    assert "incident_date" in null_checked_columns("not_null_fct_police_incidents_warn")
    assert "not_null_fct_police_incidents_warn" in warned
    blank_dates = "select count(*) from marts.fct_police_incidents where incident_date is null"
    assert con.execute(blank_dates).fetchone()[0] > 0
    # Every format reports its planted codes, dates and blanks as findings.
    findings = set(con.execute("select source, rule from raw.schema_findings").fetchall())
    for source in ("police_incidents", "ae_attendances", "hospital_admissions", "camhs_referrals"):
        assert {(source, "code"), (source, "date"), (source, "required")} <= findings
    assert {("school_census", "code"), ("school_census", "date")} <= findings
    assert {("ssda903", "code"), ("ssda903", "date"), ("ssda903", "required")} <= findings
    assert {("cin_census", "xsd")} <= findings
    # The CIN child without an LAchildID cannot be attributed: a rejected row, not a failure.
    assert (
        con.execute(
            "select count(*) from raw.rejected_rows where source = 'cin_census'"
        ).fetchone()[0]
        == 1
    )


def test_delivered_value_tests_are_non_blocking_checks_in_dagster():
    """dagster-dbt makes a dbt test blocking only when its severity is error."""
    blocking = {spec.name: spec.blocking for spec in csc_dbt_models.check_specs}
    assert "incident_date" in null_checked_columns("not_null_stg_police__incidents")
    assert blocking["not_null_stg_police__incidents"] is False
    assert blocking["not_null_fct_police_incidents_warn"] is False
    assert blocking["unique_stg_police__incidents_incident_child_id"] is True
    assert null_checked_columns("not_null_stg_police__incidents_error") == ["area_code"]
    assert blocking["not_null_stg_police__incidents_error"] is True
    # The UI says which columns a grouped check covers.
    described = {spec.name: spec.description for spec in csc_dbt_models.check_specs}
    assert described["not_null_stg_police__incidents_error"] == "Never null: area_code."


def null_checked_columns(test_name: str) -> list[str]:
    """The columns a not_null_columns test of the project checks (dbt's manifest)."""
    manifest = json.loads((PROJECT_ROOT / "dbt_project" / "target" / "manifest.json").read_text())
    (node,) = [n for n in manifest["nodes"].values() if n["name"] == test_name]
    return node["test_metadata"]["kwargs"]["columns"]
