"""A returned workbook read back: the template round trip typed, and every bad input of the
issue rejected with file, sheet, row, column and fix, never the value."""

import copy
from datetime import date

import pytest
from openpyxl import load_workbook

from orchestration.ingest.model import FileRejected
from orchestration.partnership.reader import read_return
from orchestration.partnership.reader_cells import Vocabulary
from orchestration.partnership.spec import load_returns
from orchestration.privacy.pseudonymise import DEMO_KEY, Pseudonymiser
from tests.partnership.test_spec_and_template import ABOUT, GOOD, QUESTION_IDS, fill, template

PSEUDONYMISER = Pseudonymiser(DEMO_KEY, "DEMO (synthetic data only)")
VOCABULARY = Vocabulary(load_returns().lists, frozenset(QUESTION_IDS), PSEUDONYMISER)
FILE = "partnership/health_2026-11.xlsx"


def read(tmp_path, sheets=GOOD, about=ABOUT):
    path = fill(template(tmp_path), tmp_path / "health_2026-11.xlsx", about, sheets)
    return read_return(path, FILE, VOCABULARY)


def with_row(sheet: str, index: int, **changes) -> dict:
    """GOOD with one row changed (a value None blanks the cell)."""
    sheets = copy.deepcopy(GOOD)
    sheets[sheet][index].update(changes)
    return sheets


def test_the_template_round_trip_gives_the_values_typed(tmp_path):
    returned = read(tmp_path)
    assert (returned.partner, returned.returned_on) == ("health", date(2026, 11, 3))
    assert returned.rejections == [] and returned.rows_rejected == 0
    questions = returned.rows["questions"]
    assert [(q["question_id"], q["status"], q["decided_on"]) for q in questions] == [
        ("Q0a1b2c3d4e", "under_enquiry", date(2026, 10, 1)),
        ("Q1f2e3d4c5b", "answered", date(2026, 10, 2)),  # typed 'Answered', text date
    ]
    assert "question" not in questions[0]  # the template's wording is not read back
    assert [row["_record_line"] for row in questions] == [2, 3]
    assert [row["count"] for row in returned.rows["survey"]] == [120, 0]
    assert returned.rows["survey"][0]["locality"] == "Ashcombe North"
    assert returned.rows["themes"][0]["times_raised"] == 7
    audits = returned.rows["audits"]
    assert [a["case_reference"] for a in audits] == [
        PSEUDONYMISER.pseudonymise("la_child_id", "LA10000001"),
        PSEUDONYMISER.pseudonymise("la_child_id", "LA10000002"),  # typed la10000002, spaced
    ]
    assert returned.rows["actions"][0]["review_date"] == date(2027, 1, 15)
    assert returned.rows["watched_indicators"][0]["indicator_id"] == "referrals"
    assert returned.rows["reviews"][0]["next_review_date"] == date(2027, 1, 15)


def test_undecided_questions_and_blank_rows_are_skipped(tmp_path):
    returned = read(tmp_path)
    # The register's third question was left as the template wrote it.
    assert "Q9a8b7c6d5e" not in [q["question_id"] for q in returned.rows["questions"]]
    assert returned.rows_rejected == 0


def only_problem(returned, sheet=None):
    """The one rejection (of the sheet, when a rejected action also rejects its watches and
    reviews: see test_an_action_missing_from_the_plan_rejects_its_watch_and_review)."""
    [problem] = [p for p in returned.rejections if sheet in (None, p.sheet)]
    return problem, problem.message(FILE)


@pytest.mark.parametrize(
    ("sheet", "index", "changes", "column", "reason"),
    [
        ("questions", 0, {"question_id": "Qffffffffff"}, "question_id", "not one of the questions"),
        ("questions", 0, {"status": "closed"}, "status", "not one of the question_status codes"),
        ("questions", 1, {"closing_finding": None}, "closing_finding", "needs its closing"),
        ("questions", 0, {"owner_partner": None}, "owner_partner", "owns the enquiry"),
        ("actions", 0, {"lead_partner": None}, "lead_partner", "lead_partner is required"),
        ("actions", 0, {"review_date": date(2026, 10, 1)}, "review_date", "before the action's"),
        ("survey", 0, {"count": -3}, "count", "a count cannot be negative"),
        ("survey", 0, {"count": 2.5}, "count", "not a whole number"),
        ("audits", 0, {"audited_on": "03/11/2026"}, "audited_on", "not a date"),
        ("watched_indicators", 0, {"indicator_id": "happiness"}, "indicator_id", "indicator"),
        ("reviews", 0, {"next_review_date": date(2026, 11, 1)}, "next_review_date", "not after"),
    ],
)
def test_each_bad_value_rejects_its_row(tmp_path, sheet, index, changes, column, reason):
    returned = read(tmp_path, with_row(sheet, index, **changes))
    problem, message = only_problem(returned, sheet)
    assert (problem.sheet, problem.column) == (sheet, column)
    assert reason in problem.reason
    assert message.startswith(f"{FILE}, sheet {sheet}, row {index + 2}, column {column}: ")
    assert "Fix: " in message
    assert len(returned.rows[sheet]) == len(GOOD[sheet]) - 1


@pytest.mark.parametrize(
    ("quote", "kinds"),
    [
        ("Olivia said nobody came after the schools shut", "a name"),
        ("I was born on 17/05/2011 and nobody asked me", "a date"),
        ("Mrs Quuxworth rang the school, my dob is 17 May 2011", "a date and a name"),
    ],
)
def test_a_name_or_date_of_birth_in_a_quote_is_refused_unquoted(tmp_path, quote, kinds):
    returned = read(tmp_path, with_row("themes", 0, quote=quote))
    problem, message = only_problem(returned)
    assert returned.rows_rejected == 1
    assert message.startswith(
        f"{FILE}, sheet themes, row 2, column quote: the text contains {kinds}; text in quote"
        " is stored only without names, dates or identifiers. Fix: "
    )
    assert "role (e.g. 'my social worker')" in message or "a period" in message
    assert returned.rows["themes"] == []
    for planted in ("Olivia", "Quuxworth", "17/05/2011", "17 May 2011", "2011"):
        assert planted not in message


def test_an_action_missing_from_the_plan_rejects_its_watch_and_review(tmp_path):
    returned = read(tmp_path, with_row("actions", 0, lead_partner=None))
    assert [(p.sheet, p.column) for p in returned.rejections] == [
        ("actions", "lead_partner"),
        ("watched_indicators", "action_id"),
        ("reviews", "action_id"),
    ]
    assert returned.rows_rejected == 3


def test_a_repeated_key_keeps_the_first_row(tmp_path):
    sheets = copy.deepcopy(GOOD)
    sheets["themes"].append({**sheets["themes"][0], "times_raised": 9})
    returned = read(tmp_path, sheets)
    problem, message = only_problem(returned)
    assert (problem.sheet, problem.row, returned.rows_rejected) == ("themes", 3, 1)
    assert "repeats the key (question_id, method, respondents, theme) of row 2" in message
    assert [t["times_raised"] for t in returned.rows["themes"]] == [7]


def test_an_extra_column_is_ignored_with_a_finding(tmp_path):
    returned = read(tmp_path, with_row("themes", 0, **{"Child's name": "Zebedee"}))
    assert returned.rejections == [] and len(returned.rows["themes"]) == 1
    [finding] = [f for f in returned.findings if f.sheet == "themes"]
    assert finding.column == "G" and "ignored" in finding.reason
    assert "Zebedee" not in finding.message(FILE) and "name" not in finding.message(FILE)


def test_a_sheet_without_a_required_column_is_refused_with_a_fix(tmp_path):
    path = fill(template(tmp_path), tmp_path / "r.xlsx", ABOUT, GOOD)
    workbook = load_workbook(path)
    workbook["survey"].delete_cols(8)  # count
    workbook.save(path)
    returned = read_return(path, FILE, VOCABULARY)
    assert returned.rows["survey"] == [] and returned.rows_rejected == 2
    assert {p.message(FILE).split(": ", 1)[1] for p in returned.rejections} == {
        "the sheet has no column count, which is required. Fix: Put the column count back in"
        " the header (the template has it) and return the workbook again."
    }
    assert len(returned.rows["themes"]) == 1  # the other sheets are read


@pytest.mark.parametrize(
    ("about", "message"),
    [
        ({**ABOUT, "partner": "the council"}, "sheet about, row 2, column partner: the value"),
        ({**ABOUT, "partner": None}, "column partner: partner is required"),
        ({**ABOUT, "returned_on": "soon"}, "column returned_on: the value is not a date"),
    ],
)
def test_a_return_that_does_not_say_whose_it_is_is_refused(tmp_path, about, message):
    with pytest.raises(FileRejected) as refused:
        read(tmp_path, about=about)
    assert str(refused.value).startswith(FILE) and message in str(refused.value)
    assert "nothing was loaded" in str(refused.value) and "the council" not in str(refused.value)


def test_a_workbook_without_its_about_sheet_is_refused(tmp_path):
    path = fill(template(tmp_path), tmp_path / "r.xlsx", ABOUT, GOOD)
    workbook = load_workbook(path)
    del workbook["about"]
    workbook.save(path)
    with pytest.raises(FileRejected, match="has no about sheet"):
        read_return(path, FILE, VOCABULARY)


def test_a_name_in_the_contact_role_is_dropped_not_refused(tmp_path):
    returned = read(tmp_path, about={**ABOUT, "contact_role": "Oliver in safeguarding"})
    assert returned.partner == "health" and returned.rows_rejected == 0
    [finding] = [f for f in returned.findings if f.sheet == "about"]
    assert finding.column == "contact_role" and "Oliver" not in finding.message(FILE)
