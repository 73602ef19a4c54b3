"""The return's shape (returns.yaml, its seed lists, its refusals of a wrong spec) and the
template written from it: sheets, help, validation lists, the register's questions, the same
cells from the same inputs. Also the helpers the reader and ingestion tests fill it with."""

import csv
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from orchestration.partnership.reader_checks import RULES, rules_of
from orchestration.partnership.spec import (
    RETURN_SHEETS,
    SpecError,
    load_returns,
    raw_table_name,
)
from orchestration.partnership.template import LISTS_SHEET, write_template
from orchestration.settings import DBT_PROJECT_DIR

REGISTER = pd.DataFrame(
    {
        "question_id": ["Q0a1b2c3d4e", "Q1f2e3d4c5b", "Q9a8b7c6d5e"],
        "question": [
            "Why did referrals from schools fall?",
            "Why did A&E attendances for self-harm rise?",
            "Why are fewer assessments completed within 45 days?",
        ],
    }
)
QUESTION_IDS = set(REGISTER["question_id"])
INDICATOR_IDS = load_returns().lists["indicator"]


def template(folder: Path) -> Path:
    return write_template(folder / "template.xlsx", REGISTER, INDICATOR_IDS)


def fill(template_path: Path, target: Path, about: dict, sheets: dict[str, list[dict]]) -> Path:
    """The template filled in as a partner would: the about row, the questions' pre-filled
    rows (found by question_id), and other sheets' rows from row 2; a row's None leaves the
    cell blank, and a key outside the header becomes an extra column."""
    workbook = load_workbook(template_path)
    _fill_rows(workbook["about"], [about])
    for name, rows in sheets.items():
        _fill_rows(workbook[name], rows, by_question=name == "questions")
    workbook.save(target)
    return target


def _fill_rows(worksheet, rows: list[dict], by_question: bool = False) -> None:
    header = [cell.value for cell in worksheet[1]]
    ids = [worksheet.cell(row, 1).value for row in range(1, worksheet.max_row + 1)]
    for offset, values in enumerate(rows):
        number = offset + 2
        if by_question and values.get("question_id") in ids:
            number = ids.index(values["question_id"]) + 1
        for name, value in values.items():
            if name not in header:
                header.append(name)
                worksheet.cell(1, len(header), name)
            worksheet.cell(number, header.index(name) + 1, value)


ABOUT = {
    "partner": "health",
    "returned_on": date(2026, 11, 3),
    "contact_role": "Head of safeguarding",
}
GOOD = {
    "questions": [
        {
            "question_id": "Q0a1b2c3d4e",
            "status": "under_enquiry",
            "owner_partner": "education",
            "decided_on": date(2026, 10, 1),
            "notes": "Staff in Ashcombe North said the referral line was hard to reach",
        },
        {
            "question_id": "Q1f2e3d4c5b",
            "status": "Answered",
            "owner_partner": "health",
            "decided_on": "2026-10-02",
            "closing_finding": "Self-harm presentations rose with the waiting list",
        },
    ],
    "survey": [
        {
            "survey_name": "Staff survey autumn",
            "question_id": "Q0a1b2c3d4e",
            "respondents": "staff",
            "survey_question": "Do you know how to make a referral?",
            "response_option": "Yes",
            "role": "teacher",
            "locality": "Ashcombe North",
            "count": 120,
        },
        {
            "survey_name": "Staff survey autumn",
            "question_id": "Q0a1b2c3d4e",
            "respondents": "staff",
            "survey_question": "Do you know how to make a referral?",
            "response_option": "No",
            "role": "teacher",
            "locality": "Ashcombe North",
            "count": 0,
        },
    ],
    "themes": [
        {
            "question_id": "Q0a1b2c3d4e",
            "method": "focus_group",
            "respondents": "children_and_young_people",
            "theme": "Nobody at school to tell",
            "times_raised": 7,
            "quote": "We stopped seeing anyone once schools closed",
        }
    ],
    "audits": [
        {
            "case_reference": "LA10000001",
            "question_id": "Q0a1b2c3d4e",
            "audited_on": date(2026, 10, 20),
            "finding": "no_school_contact_during_closure",
            "grade": "requires_improvement",
        },
        {
            "case_reference": "la10000002 ",
            "question_id": "Q0a1b2c3d4e",
            "audited_on": date(2026, 10, 21),
            "finding": "risk_recognised_late",
            "grade": "inadequate",
            "note": "The school nurse raised it twice",
        },
    ],
    "actions": [
        {
            "action_id": "A1",
            "priority": "Schools know how to refer",
            "action": "Designated leads trained on the front door",
            "question_id": "Q0a1b2c3d4e",
            "lead_partner": "education",
            "start_date": date(2026, 11, 1),
            "review_date": date(2027, 1, 15),
        }
    ],
    "watched_indicators": [
        {"action_id": "A1", "indicator_id": "referrals", "expected_direction": "up"}
    ],
    "reviews": [
        {
            "action_id": "A1",
            "reviewed_on": date(2026, 11, 2),
            "next_review_date": date(2027, 1, 15),
            "note": "Training booked",
        }
    ],
}


def seed_column(seed: str, column: str) -> list[str]:
    with (DBT_PROJECT_DIR / "seeds" / f"{seed}.csv").open(encoding="utf-8") as handle:
        return list(dict.fromkeys(row[column] for row in csv.DictReader(handle)))


def test_the_spec_reads_its_lists_from_the_seeds():
    spec = load_returns()
    assert spec.lists["partner"] == ["social_care", "health", "police", "education"]
    assert spec.lists["locality"] == seed_column("localities", "locality")
    assert spec.lists["indicator"] == seed_column("indicators", "indicator_id")
    assert spec.lists["question_status"] == ["new", "under_enquiry", "answered", "parked"]
    assert RETURN_SHEETS == (
        "questions", "survey", "themes", "audits", "actions", "watched_indicators", "reviews",
    )  # fmt: skip
    assert raw_table_name("themes") == "partnership_themes"
    questions = spec.sheets["questions"]
    assert questions.key == ["question_id"] and questions.rows_from_register
    assert "question" not in [column.name for column in questions.stored_columns]
    assert spec.sheets["about"].single_row


def test_every_check_named_is_a_rule():
    for sheet in load_returns().sheets.values():
        assert len(rules_of(sheet)) == len(sheet.checks)
    assert set(RULES) == {check for s in load_returns().sheets.values() for check in s.checks}


BASE = """
about_sheet: about
lists: {colours: [red]}
sheets:
  about:
    single_row: true
    columns: {partner: {type: text}, returned_on: {type: date}}
"""


@pytest.mark.parametrize(
    ("sheet", "message"),
    [
        ("  s: {columns: {a: {type: colour}}}", "unknown type 'colour'"),
        ("  s: {columns: {a: {type: code, list: shapes}}}", "needs `list:`"),
        ("  s: {columns: {a: {type: text, list: colours}}}", "only code and indicator_id"),
        ("  s: {columns: {a: {type: text, requried: true}}}", "unknown setting(s) requried"),
        ("  s: {key: [b], columns: {a: {type: text}}}", "key column(s) b"),
        ("  s: {columns: {a: {type: text}}, colour: red}", "unknown setting(s) colour"),
    ],
)
def test_a_wrong_spec_is_refused_clearly(tmp_path, sheet, message):
    path = tmp_path / "returns.yaml"
    path.write_text(BASE + sheet + "\n")
    with pytest.raises(SpecError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_returns(path)


def test_a_seed_list_needs_its_seed(tmp_path):
    path = tmp_path / "returns.yaml"
    path.write_text(BASE.replace("{colours: [red]}", "{colours: {seed: colours, column: c}}"))
    with pytest.raises(SpecError, match="no seed colours.csv"):
        load_returns(path)


def test_the_template_has_instructions_sheets_and_hidden_lists(tmp_path):
    workbook = load_workbook(template(tmp_path))
    spec = load_returns()
    assert workbook.sheetnames == ["instructions", *spec.sheets, LISTS_SHEET]
    assert workbook[LISTS_SHEET].sheet_state == "hidden"
    titles = [row[0] for row in workbook["instructions"].iter_rows(values_only=True)]
    assert [f"Sheet {name}" for name in spec.sheets] == [t for t in titles if t.startswith("Sheet")]
    paragraphs = {row[0]: row[1] for row in workbook["instructions"].iter_rows(values_only=True)}
    assert paragraphs["Sheet themes"].startswith(spec.sheets["themes"].instructions)
    assert "pseudonym" in paragraphs["Identifiers"]
    for name, sheet in spec.sheets.items():
        worksheet = workbook[name]
        assert [cell.value for cell in worksheet[1]] == list(sheet.columns)
        assert all(cell.font.bold and cell.comment.text for cell in worksheet[1])
        assert worksheet.freeze_panes == "A2"
    comment = workbook["themes"]["F1"].comment.text
    assert "No names, dates or identifiers" in comment


def validations(worksheet) -> dict[str, object]:
    """Column letter -> its data validation."""
    found = {}
    for validation in worksheet.data_validations.dataValidation:
        for cells in validation.sqref.ranges:
            found[cells.coord.split(":")[0].rstrip("0123456789")] = validation
    return found


def listed(workbook, formula: str) -> list[str]:
    sheet, cells = formula.split("!")
    return [c.value for (c,) in workbook[sheet.strip("'")][cells.replace("$", "")]]


def test_every_code_id_count_and_date_column_is_validated(tmp_path):
    workbook = load_workbook(template(tmp_path))
    spec = load_returns()
    expected = {**spec.lists, "question_id": sorted(QUESTION_IDS)}
    for name, sheet in spec.sheets.items():
        found = validations(workbook[name])
        for letter, column in zip("ABCDEFGHIJ", sheet.columns.values(), strict=False):
            if column.prefilled or column.type in ("text", "case_reference"):
                assert letter not in found, (name, column.name)
            elif column.type == "count":
                assert (found[letter].type, found[letter].operator) == (
                    "whole",
                    "greaterThanOrEqual",
                )
                assert found[letter].formula1 == "0"
            elif column.type == "date":
                assert found[letter].type == "date"
            else:
                codes = listed(workbook, found[letter].formula1)
                wanted = expected[column.list or column.type]
                assert sorted(codes) == sorted(wanted), (name, column.name)
    status = validations(workbook["questions"])["C"]
    assert listed(workbook, status.formula1) == ["new", "under_enquiry", "answered", "parked"]
    assert str(validations(workbook["about"])["A"].sqref) == "A2"


def test_the_questions_sheet_comes_with_the_register(tmp_path):
    worksheet = load_workbook(template(tmp_path))["questions"]
    rows = [row[:3] for row in worksheet.iter_rows(min_row=2, max_row=4, values_only=True)]
    assert rows == [(qid, question, None) for qid, question in REGISTER.itertuples(index=False)]
    assert worksheet.cell(5, 1).value is None


def test_the_same_inputs_write_the_same_cells(tmp_path):
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    first, second = (load_workbook(template(tmp_path / d)) for d in ("a", "b"))
    for name in first.sheetnames:
        one, two = first[name], second[name]
        assert list(one.iter_rows(values_only=True)) == list(two.iter_rows(values_only=True))
        assert [(v.sqref, v.formula1) for v in one.data_validations.dataValidation] == [
            (v.sqref, v.formula1) for v in two.data_validations.dataValidation
        ]
