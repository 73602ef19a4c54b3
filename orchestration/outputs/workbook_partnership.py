"""The workbook's partnership sheets: the tables of the briefing's partnership sections, as
published there (partnership_published.py): every question with the partnership's decision,
the survey results, the themes, the case-file audits, the shared plan and its review. None
before a partnership return has come back."""

from __future__ import annotations

import pandas as pd

from orchestration.outputs.labels import dimension_label, label
from orchestration.outputs.partnership_published import (
    Partnership,
    audit_results,
    published_review,
    survey_results,
)
from orchestration.outputs.partnership_published import label as words

QUESTION_COLUMNS = [
    "question_id", "area_code", "indicator", "breakdown", "group", "direction", "question",
    "status", "status_decided_on", "owner_partner", "deciding_partner", "still_outside",
    "first_raised_at", "last_seen_at", "runs_seen", "notes", "closing_finding",
]  # fmt: skip
THEME_COLUMNS = ["question_id", "partner", "returned_on", "method", "respondents", "theme",
                 "times_raised", "quote"]  # fmt: skip
ACTION_COLUMNS = [
    "partner", "action_id", "priority", "action", "question_id", "lead_partner", "start_date",
    "review_date", "last_reviewed_on", "next_review_due", "review_overdue", "days_overdue",
    "watched_indicators",
]  # fmt: skip
REVIEW_COLUMNS = [
    "partner", "action_id", "question_id", "area_code", "indicator", "breakdown", "group",
    "expected_direction", "start_month", "latest_month", "months_since_start",
    "months_compared", "months_better", "months_worse", "mean_change_from_expected_percent",
    "range_source", "verdict", "reason",
]  # fmt: skip
# Codes shown as words on the sheets.
CODED = ["status", "owner_partner", "deciding_partner", "partner", "lead_partner", "method",
         "respondents", "measure", "code"]  # fmt: skip


def named(frame: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Indicator, breakdown and group by their labels, as the other sheets have them."""
    names = indicators.set_index("indicator_id")["label"]
    dimension, value = frame["breakdown_dimension"], frame["breakdown_value"]
    return frame.assign(
        indicator=frame["indicator_id"].map(names).fillna(frame["indicator_id"]),
        breakdown=[dimension_label(d) if d != "all" else "All" for d in dimension],
        group=[label(d, v) for d, v in zip(dimension, value, strict=True)],
    )


def in_words(frame: pd.DataFrame) -> pd.DataFrame:
    coded = [column for column in CODED if column in frame]
    return frame.assign(**{column: frame[column].map(words) for column in coded})


def partnership_sheets(
    partnership: Partnership, indicators: pd.DataFrame, vs_baseline: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """Sheet title -> published table, in the order the briefing has them; a kind of evidence
    no partner returned has no sheet (no empty tables)."""
    if partnership.returns_loaded == 0:
        return {}
    questions = named(partnership.questions, indicators).sort_values(["status", "question_id"])
    themes = partnership.evidence[partnership.evidence["evidence_kind"] == "theme"]
    review = named(published_review(partnership.review, vs_baseline), indicators)
    sheets = {
        "Partnership questions": questions[QUESTION_COLUMNS],
        "Survey results": survey_results(partnership.evidence),
        "Focus groups and interviews": themes[THEME_COLUMNS],
        "Case-file audits": audit_results(partnership.audits),
        "Shared plan": partnership.actions[ACTION_COLUMNS],
        "Action review": review[REVIEW_COLUMNS],
    }
    return {title: in_words(frame) for title, frame in sheets.items() if len(frame)}
