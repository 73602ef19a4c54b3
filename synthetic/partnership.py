"""The demo county's partnership returns, filled in as its partners would: after a run has
written the questions register (data/outputs/questions.csv) and the return template
(data/outputs/partnership/partnership_return_template.xlsx), each partner copies the template,
fills in its sheets and saves it into data/landing/partnership/, where the next run reads it.

  csc-intel generate-partnership-returns --outputs data/outputs --landing data/landing

The template is copied (openpyxl keeps its drop-downs, date formats and header comments) and
filled: the questions a partner owns in its workbook, the staff survey in education's, the
themes in health's, the case-file audit and the shared plan in social care's. The same seed
and the same date of return write the same cells."""

from __future__ import annotations

import os
from dataclasses import asdict
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from orchestration.outputs.partnership_published import FOLDER, TEMPLATE_NAME
from orchestration.outputs.since_last_run import REGISTER_NAME
from orchestration.partnership.spec import load_returns
from synthetic import partnership_evidence as evidence
from synthetic import partnership_story as story
from synthetic.partnership_wording import ACTIONS, CLOSING_FINDING, STATUS_NOTES

# Who returns the sheets beyond the questions: the enquiry's evidence is gathered by the
# partner closest to it, the plan kept by the local authority, which convenes the partnership.
RETURNED_BY = {
    "survey": "education",
    "themes": "health",
    "audits": "social_care",
    "actions": "social_care",
    "watched_indicators": "social_care",
    "reviews": "social_care",
}
# Independent random streams, so that a change to one part leaves the others' draws alone.
STREAMS = {"decisions": 1, "plan": 2, "survey": 3, "themes": 4, "audit": 5}


def return_name(partner: str) -> str:
    return f"partnership_return_{partner}.xlsx"


def generate_partnership_returns(
    outputs: Path, landing: Path, seed: int = 42, as_of: date | None = None
) -> list[Path]:
    """Write one filled return per partner into landing/partnership/ and list them. as_of is
    the date of the returns (default today): the plan's reviews are set against it."""
    as_of = as_of or date.today()
    register = read_register(outputs)
    template = outputs / FOLDER / TEMPLATE_NAME
    if not template.is_file():
        raise FileNotFoundError(f"no return template at {template}: run `csc-intel run` first")
    sheets = returned_sheets(register, landing, seed, as_of)
    folder = landing / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for partner, rows in sorted(sheets.items()):
        about = {"partner": partner, "returned_on": as_of,
                 "contact_role": f"Partnership lead for {partner.replace('_', ' ')}"}  # fmt: skip
        written.append(fill(template, folder / return_name(partner), {"about": [about], **rows}))
    return written


def read_register(outputs: Path) -> pd.DataFrame:
    path = outputs / REGISTER_NAME
    if not path.is_file():
        raise FileNotFoundError(f"no questions register at {path}: run `csc-intel run` first")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def rng_for(seed: int, part: str) -> np.random.Generator:
    return np.random.default_rng([seed, STREAMS[part]])


def returned_sheets(
    register: pd.DataFrame, landing: Path, seed: int, as_of: date
) -> dict[str, dict[str, list[dict]]]:
    """partner -> sheet -> rows (dicts of the sheet's columns)."""
    decisions = story.decide(register, rng_for(seed, "decisions"))
    under = [d for d in decisions if d.status == story.UNDER_ENQUIRY]
    actions = story.plan(decisions, rng_for(seed, "plan"), as_of)
    audited = evidence.audited_question(under, story.catalogue())
    by_sheet = {
        "survey": evidence.survey_rows(under, rng_for(seed, "survey")),
        "themes": evidence.theme_rows(under, rng_for(seed, "themes")),
        "audits": evidence.audit_rows(landing, audited, rng_for(seed, "audit")),
        **plan_rows(actions),
    }
    partners = load_returns().lists["partner"]
    unknown = set(RETURNED_BY.values()) - set(partners)
    if unknown:
        raise ValueError(f"not partners of the list partner (returns.yaml): {sorted(unknown)}")
    returned: dict[str, dict[str, list[dict]]] = {}
    for decision in decisions:
        rows = returned.setdefault(decision.owner, {}).setdefault("questions", [])
        rows.append(question_row(decision))
    for sheet, rows in by_sheet.items():
        returned.setdefault(RETURNED_BY[sheet], {})[sheet] = rows
    return returned


def question_row(decision: story.Decision) -> dict:
    return {
        "question_id": decision.question["question_id"],
        "status": decision.status,
        "owner_partner": decision.owner,
        "decided_on": decision.decided_on,
        "notes": STATUS_NOTES[decision.status],
        "closing_finding": CLOSING_FINDING if decision.status == story.ANSWERED else None,
    }


def plan_rows(actions: list[story.Action]) -> dict[str, list[dict]]:
    actions_sheet, watched, reviews = [], [], []
    for action in actions:
        wording = ACTIONS[action.decision.owner]
        actions_sheet.append({
            "action_id": action.action_id, "priority": wording.priority,
            "action": wording.action, "question_id": action.decision.question["question_id"],
            "lead_partner": action.decision.owner, "start_date": action.start_date,
            "review_date": action.review_date,
        })  # fmt: skip
        watched += [{"action_id": action.action_id, **asdict(w)} for w in action.watched]
        if action.review is not None:
            reviews.append({"action_id": action.action_id, **asdict(action.review),
                            "note": wording.review_note})  # fmt: skip
    return {"actions": actions_sheet, "watched_indicators": watched, "reviews": reviews}


def fill(template: Path, target: Path, sheets: dict[str, list[dict]]) -> Path:
    """The template copied to target with the rows written; the questions sheet's rows are
    the template's own (one per question of the register), filled where decided."""
    workbook = load_workbook(template)
    for name, rows in sheets.items():
        worksheet = workbook[name]
        if load_returns().sheets[name].rows_from_register:
            fill_prefilled(worksheet, rows)
        else:
            append_rows(worksheet, rows)
    partial = target.with_name(f".{target.name}.partial")
    workbook.save(partial)
    os.replace(partial, target)
    return target


def header_columns(worksheet: Worksheet) -> dict[str, int]:
    return {cell.value: cell.column for cell in worksheet[1] if cell.value}


def append_rows(worksheet: Worksheet, rows: list[dict]) -> None:
    columns = header_columns(worksheet)
    for number, row in enumerate(rows, start=2):
        for name, value in row.items():
            if value is not None and value != "":
                worksheet.cell(number, columns[name], value)


def fill_prefilled(worksheet: Worksheet, rows: list[dict]) -> None:
    columns = header_columns(worksheet)
    line_of = {
        worksheet.cell(line, columns["question_id"]).value: line
        for line in range(2, worksheet.max_row + 1)
    }
    for row in rows:
        line = line_of[row["question_id"]]
        for name, value in row.items():
            if value is not None:
                worksheet.cell(line, columns[name], value)
