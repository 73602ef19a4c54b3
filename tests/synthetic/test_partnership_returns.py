"""The demo county's filled partnership returns (synthetic/partnership.py): read by the
platform's reader without a rejection, the same cells from the same seed, survey counts that
add up, an audit of the county's own children and free text the identifier scan passes."""

import shutil
from collections import Counter
from datetime import date

import duckdb
import pandas as pd
import pytest
from openpyxl import load_workbook

from orchestration.outputs.partnership_published import FOLDER, TEMPLATE_NAME
from orchestration.outputs.since_last_run import REGISTER_NAME
from orchestration.partnership.ingest import ingest_returns
from orchestration.partnership.spec import load_returns, raw_table_name
from orchestration.partnership.template import write_template
from orchestration.privacy.free_text import identifiers_in
from orchestration.privacy.pseudonymise import load_pseudonymiser
from synthetic import partnership_wording as words
from synthetic.cli import main
from synthetic.partnership import generate_partnership_returns
from synthetic.partnership_evidence import cin_referrals
from synthetic.partnership_story import catalogue

AS_OF = date(2026, 12, 1)
COLUMNS = ["priority", "question_id", "area_code", "family", "indicator_id",
           "breakdown_dimension", "breakdown_value", "direction", "first_month", "last_month",
           "months", "question"]  # fmt: skip
# The small county's register (tests/synthetic: April 2019 to March 2021): eight priority
# questions of five families, one worded as another, and one not on the priority list.
REGISTER = pd.DataFrame(
    [
        ("1", "Q0000000001", "938", "social_care", "referrals", "all", "all", "below",
         "2019-06", "2020-09", "June 2019 to September 2020", "Who has stopped referring?"),
        ("2", "Q0000000002", "938", "health", "ae_attendances", "all", "all", "below",
         "2020-04", "2020-06", "April to June 2020", "Are families avoiding A&E?"),
        ("3", "Q0000000003", "938", "social_care", "referrals", "source_group", "schools",
         "below", "2020-04", "2020-06", "April to June 2020", "Which children have schools "
         "stopped seeing?"),
        ("4", "Q0000000004", "938", "education", "school_attendance_children_with_social_worker",
         "all", "all", "below", "2020-09", "2020-12", "September to December 2020",
         "Are children with a social worker in school?"),
        ("5", "Q0000000005", "938", "health", "ae_attendances", "all", "all", "below",
         "2021-01", "2021-03", "January to March 2021", "Are families avoiding A&E?"),
        ("6", "Q0000000006", "938", "police", "domestic_abuse_incidents_with_children", "all",
         "all", "above", "2020-04", "2020-07", "April to July 2020", "Is abuse hidden at home?"),
        ("7", "Q0000000007", "938", "linked", "referrals_known_to_other_partners", "all", "all",
         "below", "2020-04", "2020-06", "April to June 2020", "Are known children referred?"),
        ("8", "Q0000000008", "938", "social_care", "cla_starts", "all", "all", "below",
         "2020-04", "2020-07", "April to July 2020", "Are children who need care waiting?"),
        ("9", "Q0000000009", "938", "social_care", "s47_enquiries", "all", "all", "below",
         "2020-04", "2020-06", "April to June 2020", "Are children at risk being seen?"),
        ("", "Q000000000a", "938", "social_care", "icpcs", "all", "all", "below",
         "2020-04", "2020-05", "April and May 2020", "Are conferences held?"),
    ],
    columns=COLUMNS,
)  # fmt: skip


def county_with_template(small_run, folder):
    """A copy of the small county's landing folder and outputs holding the register and the
    template a run would write from it."""
    landing = shutil.copytree(small_run.out_dir, folder / "landing")
    outputs = folder / "outputs"
    outputs.mkdir()
    REGISTER.to_csv(outputs / REGISTER_NAME, index=False)
    indicators = catalogue()["indicator_id"].tolist()
    write_template(outputs / FOLDER / TEMPLATE_NAME, REGISTER, indicators)
    return landing, outputs


@pytest.fixture(scope="module")
def county(small_run, tmp_path_factory):
    landing, outputs = county_with_template(small_run, tmp_path_factory.mktemp("partnership"))
    written = generate_partnership_returns(outputs, landing, seed=42, as_of=AS_OF)
    return landing, outputs, written


@pytest.fixture(scope="module")
def loaded(county):
    landing, _, _ = county
    con = duckdb.connect()
    report = ingest_returns(
        con, landing / FOLDER, set(REGISTER["question_id"]), load_pseudonymiser(landing)
    )
    yield con, report
    con.close()


def sheet_rows(path, name):
    rows = list(load_workbook(path, read_only=True)[name].iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, row, strict=True)) for row in rows[1:] if any(row)]


def rows_of(written, name):
    return [row for path in written for row in sheet_rows(path, name)]


def test_one_return_per_partner_read_without_rejection(county, loaded):
    _, _, written = county
    _, report = loaded
    assert sorted(path.name for path in written) == [
        "partnership_return_education.xlsx",
        "partnership_return_health.xlsx",
        "partnership_return_police.xlsx",
        "partnership_return_social_care.xlsx",
    ]
    assert [(o.status, o.rows_rejected, o.errors, o.findings) for o in report.files] == [
        ("loaded", 0, [], [])
    ] * 4
    assert sum(o.rows_loaded for o in report.files) > 250


def table(con, sheet):
    """The raw table, its dates as dates."""
    frame = con.execute(f"select * from raw.{raw_table_name(sheet)}").df()
    dates = frame.select_dtypes("datetime").columns
    return frame.assign(**{column: frame[column].dt.date for column in dates})


def test_decisions_plan_and_reviews(loaded):
    con, _ = loaded
    questions = table(con, "questions").set_index("question_id")
    statuses = Counter(questions["status"])
    assert 3 <= statuses["under_enquiry"] <= 5 and statuses["answered"] == statuses["parked"] == 1
    # one of each family under enquiry first, the question worded as another left out
    assert {"Q0000000001", "Q0000000002", "Q0000000004", "Q0000000006"} <= set(
        questions.index[questions["status"] == "under_enquiry"]
    )
    assert "Q0000000005" not in questions.index and "Q000000000a" not in questions.index
    assert questions.at["Q0000000006", "owner_partner"] == "police"
    ends = REGISTER.set_index("question_id")["last_month"]
    for question_id, decided in questions["decided_on"].items():
        assert decided > pd.Period(ends[question_id], freq="M").end_time.date()
    answered = questions[questions["status"] == "answered"]
    assert answered["closing_finding"].notna().all()
    actions = table(con, "actions").set_index("action_id")
    assert list(actions.index) == ["A1", "A2"]
    assert set(actions["question_id"]) <= set(
        questions.index[questions["status"] == "under_enquiry"]
    )
    assert (actions["start_date"] > actions["question_id"].map(questions["decided_on"])).all()
    reviews = table(con, "reviews")
    assert list(reviews["action_id"]) == ["A1"] and (reviews["next_review_date"] > AS_OF).all()
    assert actions.at["A2", "review_date"] < AS_OF  # overdue: no review returned for it
    # the question's indicator, back the other way, and the next indicator of its source
    watched = table(con, "watched_indicators").merge(actions["question_id"].reset_index())
    source = catalogue().set_index("indicator_id")["source"]
    questions_of = REGISTER.set_index("question_id")
    for action_id, rows in watched.groupby("action_id"):
        question = questions_of.loc[actions.at[action_id, "question_id"]]
        assert rows["indicator_id"].iloc[0] == question["indicator_id"]
        hoped = {"below": "up", "above": "down"}[question["direction"]]
        assert rows["expected_direction"].iloc[0] == hoped
        assert len(rows) == 2
        assert source[rows["indicator_id"].iloc[1]] == source[question["indicator_id"]]
    # this seed's plan: A&E attendances (A1) and domestic abuse (A2), each with the related
    # indicator moving away from its direction of concern
    assert dict(zip(watched["indicator_id"], watched["expected_direction"], strict=True)) == {
        "ae_attendances": "up",
        "ae_attendances_known_to_social_care": "down",
        "domestic_abuse_incidents_with_children": "down",
        "domestic_abuse_notified_to_social_care": "up",
    }


def cells(paths):
    return {
        (path.name, sheet.title, cell.coordinate): cell.value
        for path in paths
        for sheet in load_workbook(path)
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }


def test_the_same_seed_writes_the_same_cells(county, small_run, tmp_path):
    _, _, written = county
    landing, outputs = county_with_template(small_run, tmp_path)
    again = cells(generate_partnership_returns(outputs, landing, seed=42, as_of=AS_OF))
    assert again == cells(written)
    other = generate_partnership_returns(outputs, landing, seed=7, as_of=AS_OF)
    assert cells(other) != again


def test_survey_counts_add_up_by_role_and_by_locality(county):
    _, _, written = county
    survey = pd.DataFrame(rows_of(written, "survey"))
    statements = survey["survey_question"].unique()
    assert words.STATEMENTS_ASKED[0] <= len(statements) <= words.STATEMENTS_ASKED[1]
    by_role = survey[survey["role"].notna()].groupby(["survey_question", "role"])["count"].sum()
    by_place = (
        survey[survey["locality"].notna()].groupby(["survey_question", "locality"])["count"].sum()
    )
    # every respondent answered every statement: each group's size is the same throughout
    assert by_role.unstack().nunique().eq(1).all() and by_place.unstack().nunique().eq(1).all()
    respondents = by_role.groupby("survey_question").sum()
    assert respondents.nunique() == 1
    assert (by_place.groupby("survey_question").sum() == respondents).all()
    assert words.SURVEY_SIZE[0] <= respondents.iloc[0] < words.SURVEY_SIZE[1]
    assert set(survey["locality"].dropna()) <= set(load_returns().lists["locality"])
    assert set(survey["response_option"]) == set(words.RESPONSE_OPTIONS)


def test_the_audit_is_of_thirty_children_referred_in_the_months(county, small_run):
    _, _, written = county
    audits = pd.DataFrame(rows_of(written, "audits"))
    assert set(audits["question_id"]) == {"Q0000000001"}
    cases = audits["case_reference"].unique()
    assert len(cases) == words.CASES_AUDITED
    referrals = cin_referrals(small_run.out_dir, "938", {2019, 2020, 2021})
    referred = pd.to_datetime(referrals["referral_date"]).dt.strftime("%Y-%m")
    in_months = referrals[referred.between("2019-06", "2020-09")]
    assert set(cases) <= set(in_months["child_id"])
    grades = audits.drop_duplicates("case_reference")["grade"]
    assert grades.nunique() >= 3  # a plausible mix, not one grade throughout
    assert (audits.groupby("case_reference")["grade"].nunique() == 1).all()
    assert set(audits["finding"]) <= set(load_returns().lists["audit_finding"])


def test_no_free_text_holds_an_identifier(county):
    _, _, written = county
    spec = load_returns()
    checked = 0
    for name, sheet in spec.sheets.items():
        free = [c.name for c in sheet.columns.values() if c.free_text and not c.prefilled]
        for row in rows_of(written, name):
            for column in free:
                if row.get(column):
                    assert identifiers_in(str(row[column])) == [], (name, column)
                    checked += 1
    assert checked > 100
    every_quote = [theme.quote for theme in words.THEMES] + [theme.theme for theme in words.THEMES]
    assert all(identifiers_in(text) == [] for text in every_quote)


def test_the_command_writes_the_returns_or_says_what_is_missing(county, tmp_path, capsys):
    landing, outputs, written = county
    command = ["generate-partnership-returns", "--outputs", str(outputs), "--landing",
               str(landing), "--as-of", AS_OF.isoformat()]  # fmt: skip
    assert main(command) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{path}: partnership return, filled in" for path in written
    ]
    assert main([*command[:2], str(tmp_path), *command[3:]]) == 2
    error = capsys.readouterr().err
    assert f"no questions register at {tmp_path / REGISTER_NAME}" in error
    assert "run `csc-intel run` first" in error
