"""The partnership stage materialized with Dagster on the output tests' small county (its
warehouse and outputs copied, so the shared county is left as it was): the template written
from the run's register, a return filled in from it with openpyxl as a partner would (with a
negative survey count and a name typed into a quote), then the returns, the marts, the audit
sample, the checks, the briefing and the workbook. And the no-op run: a new return is new
input for the build, the stage's own manifest rows are not."""

import re
import shutil
from datetime import date
from html import unescape

import dagster as dg
import duckdb
import pandas as pd
import pytest
from lxml import etree
from openpyxl import load_workbook

from orchestration.outputs.assets import analyst_marts, briefing_html, exports_asset
from orchestration.outputs.partnership_published import FOLDER, TEMPLATE_NAME
from orchestration.partnership.assets import PARTNERSHIP_ASSETS
from orchestration.partnership.checks import PARTNERSHIP_CHECKS
from orchestration.privacy.keys import mark_synthetic
from orchestration.resources import WarehouseResource, build_resources
from orchestration.transform.build_inputs import build_inputs
from tests.outputs.conftest import built  # noqa: F401  (the outputs tests' county, reused)

pytestmark = pytest.mark.slow

PLANTED_NAME = "Jessica"
RETURN_NAME = "social_care_2021-03.xlsx"


def county_children(landing, count: int) -> list[str]:
    """The first LAchildIDs of the county's CIN census returns, as the authority holds them."""
    path = sorted((landing / "cin_census").glob("*.xml"))[-1]
    found = etree.parse(str(path)).findall(".//ChildIdentifiers/LAchildID")
    return [element.text for element in found[:count]]


def fill_sheet(workbook, name: str, rows: list[dict]) -> None:
    """Rows from row 2, or over the pre-filled row of their question."""
    sheet = workbook[name]
    header = [cell.value for cell in sheet[1]]
    ids = [sheet.cell(row, 1).value for row in range(1, sheet.max_row + 1)]
    for offset, values in enumerate(rows):
        number = ids.index(values["question_id"]) + 1 if name == "questions" else offset + 2
        for column, value in values.items():
            sheet.cell(number, header.index(column) + 1, value)


def partner_return(priority: pd.DataFrame, children: list[str]) -> dict[str, list[dict]]:
    """Q1 under enquiry with evidence and two actions (A1's review long past, A2's ahead);
    Q2 answered; Q3 parked. Two rows are bad: a negative count and a quote with a name."""
    q1, q2, q3 = priority["question_id"].iloc[:3]
    indicator = priority["indicator_id"].iloc[0]
    seen = "I was able to see the children on my caseload"
    survey = [
        {"survey_name": "Staff survey", "question_id": q1, "respondents": "staff",
         "survey_question": seen, "response_option": option, "role": "social worker",
         "count": count}
        for option, count in [("agree", 60), ("neither", 3), ("disagree", 137), ("no view", -2)]
    ]  # fmt: skip
    return {
        "about": [{"partner": "social_care", "returned_on": date(2021, 3, 20),
                   "contact_role": "Head of safeguarding"}],
        "questions": [
            {"question_id": q1, "status": "under_enquiry", "owner_partner": "social_care",
             "decided_on": date(2021, 1, 15)},
            {"question_id": q2, "status": "answered", "owner_partner": "health",
             "decided_on": date(2021, 2, 1), "closing_finding": "A recording change, not a fall"},
            {"question_id": q3, "status": "parked", "decided_on": date(2021, 2, 1)},
        ],
        "survey": survey,
        "themes": [
            {"question_id": q1, "method": "focus_group", "respondents": "staff",
             "theme": "Lost sight of children", "times_raised": 9,
             "quote": "We stopped seeing children once schools closed"},
            {"question_id": q1, "method": "interview", "respondents": "parents_and_carers",
             "theme": "Nobody called", "times_raised": 4,
             "quote": f"{PLANTED_NAME} said nobody called us for months"},
        ],
        "audits": [
            {"case_reference": child, "question_id": q1, "audited_on": date(2021, 3, 1),
             "finding": "risk_recognised_late" if n < 6 else "plan_reviewed_on_time",
             "grade": "requires_improvement" if n < 6 else "good"}
            for n, child in enumerate(children)
        ],
        "actions": [
            {"action_id": "A1", "priority": "Keep sight of children", "action": "Weekly calls",
             "question_id": q1, "lead_partner": "social_care", "start_date": date(2020, 7, 1),
             "review_date": date(2020, 12, 1)},
            {"action_id": "A2", "priority": "Keep sight of children", "action": "Home visits",
             "question_id": q1, "lead_partner": "education", "start_date": date(2020, 9, 1),
             "review_date": date(2021, 3, 1)},
        ],
        "watched_indicators": [
            {"action_id": action, "indicator_id": indicator, "expected_direction": "up"}
            for action in ("A1", "A2")
        ],
        "reviews": [{"action_id": "A2", "reviewed_on": date(2021, 3, 1),
                     "next_review_date": date(2099, 3, 1)}],
    }  # fmt: skip


@pytest.fixture(scope="module")
def loop(built, tmp_path_factory):  # noqa: F811
    root = tmp_path_factory.mktemp("partnership")
    shutil.copy(built / "warehouse.duckdb", root / "warehouse.duckdb")
    shutil.copytree(built / "outputs", root / "outputs")
    mark_synthetic(root / "landing")
    resources = build_resources(root)
    before = dg.materialize([*PARTNERSHIP_ASSETS, briefing_html], resources=resources)
    assert before.success
    register = pd.read_csv(root / "outputs" / "questions.csv", dtype=str, keep_default_na=False)
    priority = register[register["priority"] != ""]
    workbook = load_workbook(root / "outputs" / "partnership" / "partnership_return_template.xlsx")
    returned = partner_return(priority, county_children(built / "landing", 8))
    for name, rows in returned.items():
        fill_sheet(workbook, name, rows)
    (root / "landing" / "partnership").mkdir()
    workbook.save(root / "landing" / "partnership" / RETURN_NAME)
    first_briefing = (root / "outputs" / "briefing.html").read_text()
    result = dg.materialize(
        [*PARTNERSHIP_ASSETS, briefing_html, exports_asset, analyst_marts, *PARTNERSHIP_CHECKS],
        resources=resources,
    )
    assert result.success
    con = duckdb.connect(str(root / "warehouse.duckdb"), read_only=True)
    yield {"root": root, "result": result, "con": con, "priority": priority,
           "first_briefing": first_briefing}  # fmt: skip
    con.close()


def rows(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def test_before_any_return_the_template_is_written_and_the_briefing_says_where(loop):
    template = load_workbook(loop["root"] / "outputs" / FOLDER / TEMPLATE_NAME)
    ids = [row[0].value for row in template["questions"].iter_rows(min_row=2)]
    assert set(loop["priority"]["question_id"]) <= set(ids)
    assert "No partnership return has come back yet" in loop["first_briefing"]
    assert "partnership_return_template.xlsx" in loop["first_briefing"]


def test_the_return_is_loaded_with_its_bad_rows_rejected_and_the_name_never_stored(loop):
    con = loop["con"]
    assert rows(con, "select status, rows_rejected from raw.file_manifest"
                     " where source = 'partnership'") == [("loaded", 2)]  # fmt: skip
    assert rows(con, "select count(*) from raw.partnership_survey") == [(3,)]
    assert rows(con, "select theme from raw.partnership_themes") == [("Lost sight of children",)]
    tables = rows(con, "select table_schema, table_name from information_schema.tables")
    for schema, table in tables:
        assert PLANTED_NAME not in str(rows(con, f'select * from "{schema}"."{table}"'))
    assert PLANTED_NAME not in str(loop["result"].all_events)


def test_the_marts_hold_the_decisions_the_evidence_and_the_plan(loop):
    con, (q1, q2, q3) = loop["con"], loop["priority"]["question_id"].iloc[:3]
    statuses = dict(rows(con, "select question_id, status from marts.fct_questions"))
    assert (statuses[q1], statuses[q2], statuses[q3]) == ("under_enquiry", "answered", "parked")
    assert set(statuses.values()) == {"new", "under_enquiry", "answered", "parked"}
    evidence = dict(rows(con, "select evidence_kind, count(*) from marts.fct_enquiry_evidence"
                              " group by all"))  # fmt: skip
    assert evidence == {"survey": 3, "theme": 1, "audit": 8}
    # The audited cases are the county's own children: every one links to the marts.
    assert rows(con, "select bool_and(child_found_in_marts) from marts.fct_enquiry_evidence"
                     " where evidence_kind = 'audit'") == [(True,)]  # fmt: skip
    plan = rows(con, "select action_id, lead_partner, review_overdue, next_review_due"
                     " from marts.fct_plan_actions order by 1")  # fmt: skip
    assert plan == [("A1", "social_care", True, date(2020, 12, 1)),
                    ("A2", "education", False, date(2099, 3, 1))]  # fmt: skip
    verdicts = rows(con, "select action_id, verdict from marts.rpt_action_review order by 1")
    assert [a for a, _ in verdicts] == ["A1", "A2"]
    assert {v for _, v in verdicts} <= {"moving as hoped", "no change yet",
                                        "moving the wrong way", "too early"}  # fmt: skip
    [(latest_run,)] = rows(con, "select count(*) from marts.fct_question_history"
                                " group by run_id order by min(run_at) desc limit 1")  # fmt: skip
    assert latest_run == len(pd.read_csv(loop["root"] / "outputs" / "questions.csv"))


def test_the_audit_sample_lists_cases_for_the_question_under_enquiry(loop):
    sample = pd.read_csv(loop["root"] / "outputs" / "partnership" / "audit_sample.csv")
    assert set(sample["question_id"]) == {loop["priority"]["question_id"].iloc[0]}
    listed = sample["child_pseudonym"].notna()
    assert listed.sum() <= 30 and (listed.any() or sample["reason"].notna().all())


def check(loop, name: str) -> dg.AssetCheckEvaluation:
    [found] = [e for e in loop["result"].get_asset_check_evaluations() if e.check_name == name]
    return found


def test_an_overdue_review_fails_its_check_as_a_warning_naming_the_action(loop):
    overdue = check(loop, "reviews_not_overdue")
    assert not overdue.passed and overdue.severity == dg.AssetCheckSeverity.WARN
    table = overdue.metadata["overdue"].value
    assert "| A1 | social_care | social_care | 2020-12-01 |" in table and "A2" not in table
    assert overdue.metadata["reviews_overdue"].value == 1


def test_a_return_with_bad_rows_fails_its_check_as_a_warning_with_the_messages(loop):
    errors = check(loop, "returns_without_errors")
    assert not errors.passed and errors.severity == dg.AssetCheckSeverity.WARN
    assert errors.metadata["rows_rejected"].value == 2
    table = errors.metadata["returns"].value
    assert f"partnership/{RETURN_NAME}" in table
    assert "sheet survey" in table and "sheet themes" in table and "column quote" in table
    assert PLANTED_NAME not in table


def test_the_briefing_shows_the_enquiry_what_was_heard_and_the_actions(loop):
    html = (loop["root"] / "outputs" / "briefing.html").read_text()
    page = unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))
    assert "No partnership return has come back yet" not in page
    assert "the partnership has 1 under enquiry, 1 answered and 1 parked" in page
    assert "A recording change, not a fall" in page
    # 200 answered; 3 'neither' is suppressed, and with it the next smallest (60 agree).
    assert "Staff 200 agree c; neither c; disagree 68%" in page
    assert "Lost sight of children Staff (focus group) 9" in page
    assert "Case files audited: 8" in page
    assert "Overdue by" in page and "A2: Home visits" in page
    for _, verdict, reason in (
        loop["con"]
        .execute("select action_id, verdict, reason from marts.rpt_action_review")
        .fetchall()
    ):
        assert verdict in page and (reason in page or "Figures withheld" in page)


def test_the_workbook_gains_the_partnership_sheets(loop):
    book = load_workbook(loop["root"] / "outputs" / "exports" / "csc_intel_indicators.xlsx")
    assert {"Partnership questions", "Survey results", "Focus groups and interviews",
            "Case-file audits", "Shared plan", "Action review"} <= set(book.sheetnames)  # fmt: skip
    audits = {r[1:3]: r[3] for r in book["Case-file audits"].iter_rows(min_row=2, values_only=True)}
    assert audits[("Cases audited", None)] == 8
    # 2 good is hidden, and with 8 audited published the 6 requiring improvement go too.
    assert audits[("Grade", "Good")] == audits[("Grade", "Requires improvement")] == "c"
    assert audits[("Finding", "Risk recognised late")] == 6


def test_the_analyst_copy_holds_the_partnership_marts_with_their_descriptions(loop):
    copy = loop["root"] / "outputs" / "analyst_marts.duckdb"
    with duckdb.connect(str(copy), read_only=True) as con:
        tables = {
            name: (grain, text)
            for name, grain, text in con.execute(
                "select table_name, record_level, description from about.tables"
                " where schema_name = 'marts'"
            ).fetchall()
        }
        (comment,) = con.execute(
            "select comment from duckdb_columns() where table_name = 'fct_questions'"
            " and column_name = 'still_outside'"
        ).fetchone()
    assert tables["fct_questions"][1].startswith("One row per question ever raised")
    assert tables["fct_enquiry_evidence"][0] is True  # pseudonyms: restricted
    assert {"fct_question_history", "rpt_action_review"} <= set(tables)
    assert comment.startswith("True when this run's register holds the question")


def test_a_new_return_is_new_input_for_the_build_and_its_manifest_rows_are_not(tmp_path):
    landing, warehouse = tmp_path / "landing", WarehouseResource(path=str(tmp_path / "w.duckdb"))
    with duckdb.connect(warehouse.path) as con:
        con.execute("create schema raw")
        con.execute("create table raw.file_manifest"
                    " (file_path varchar, file_sha256 varchar, status varchar)")  # fmt: skip
        con.execute("insert into raw.file_manifest values ('cin_census/a.xml', 'aa', 'loaded')")
    nothing = build_inputs(warehouse, landing)
    (landing / "partnership").mkdir(parents=True)
    (landing / "partnership" / RETURN_NAME).write_bytes(b"a return")
    arrived = build_inputs(warehouse, landing)
    with duckdb.connect(warehouse.path) as con:  # the stage reads it after the build
        con.execute(f"insert into raw.file_manifest values ('partnership/{RETURN_NAME}',"
                    " 'bb', 'loaded')")  # fmt: skip
    assert nothing != arrived == build_inputs(warehouse, landing)
    (landing / "partnership" / RETURN_NAME).write_bytes(b"a corrected return")
    assert build_inputs(warehouse, landing) not in (nothing, arrived)
