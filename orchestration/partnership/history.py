"""Questions with a life: each run's register appended to marts.fct_question_history, one row
per question ever raised (marts.fct_questions) with the partnership's latest decision about it,
and every decision recorded (marts.fct_question_status_history).

A partner's later return supersedes its earlier one, whose rows leave the raw tables; the
history row of each run keeps the status in force then, so a decision since replaced is not
lost."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

NEW = "new"
UNDER_ENQUIRY = "under_enquiry"
# The register's fields each run keeps, and fct_questions takes from the latest run.
REGISTER_FIELDS = [
    "area_code", "indicator_id", "breakdown_dimension", "breakdown_value", "direction", "role",
    "priority", "confidence", "first_month", "last_month", "question",
]  # fmt: skip


def month_dates(values: pd.Series) -> pd.Series:
    """The register's months ('YYYY-MM' in the published file, timestamps in a frame) as dates."""
    return pd.to_datetime(values.astype(str), format="mixed").dt.date


def latest_decisions(decisions: pd.DataFrame) -> pd.DataFrame:
    """One row per question: its latest decision by decided_on, then by the date of the return
    (two partners deciding on one day: the later return has the last word), then by load."""
    if decisions.empty:
        return decisions
    ordered = decisions.sort_values(
        ["decided_on", "returned_on", "_loaded_at", "_record_line"], na_position="first"
    )
    return ordered.drop_duplicates("question_id", keep="last").set_index("question_id")


def history_rows(
    register: pd.DataFrame, run_id: str, run_at: datetime, decisions: pd.DataFrame
) -> pd.DataFrame:
    """This run's rows of fct_question_history: the register's questions, each with the status
    in force now."""
    rows = register[["question_id", *REGISTER_FIELDS]].copy()
    rows["priority"] = pd.to_numeric(rows["priority"], errors="coerce").astype("Int64")
    rows["first_month"] = month_dates(rows["first_month"])
    rows["last_month"] = month_dates(rows["last_month"])
    latest = latest_decisions(decisions)
    status = latest["status"] if not latest.empty else pd.Series(dtype=object)
    decided = latest["decided_on"] if not latest.empty else pd.Series(dtype=object)
    rows["status"] = rows["question_id"].map(status).fillna(NEW)
    rows["status_decided_on"] = rows["question_id"].map(decided)
    return rows.assign(run_id=run_id, run_at=utc_naive(run_at))


def utc_naive(moment: datetime) -> pd.Timestamp:
    """The run's time in UTC without a zone: the warehouse's TIMESTAMP columns hold UTC."""
    stamp = pd.Timestamp(moment)
    return stamp.tz_convert("UTC").tz_localize(None) if stamp.tzinfo else stamp


def questions(
    history: pd.DataFrame,
    register: pd.DataFrame,
    decisions: pd.DataFrame,
    evidence: pd.DataFrame,
    actions: pd.DataFrame,
) -> pd.DataFrame:
    """fct_questions: every question of the history, with its latest register row, its life
    across runs, the latest decision and the evidence and actions bearing on it."""
    if history.empty:
        return pd.DataFrame(columns=["question_id"])
    ordered = history.sort_values(["run_at", "run_id"])
    latest = ordered.drop_duplicates("question_id", keep="last").set_index("question_id")
    life = ordered.groupby("question_id").agg(
        first_raised_at=("run_at", "min"),
        last_seen_at=("run_at", "max"),
        runs_seen=("run_id", "nunique"),
    )
    frame = latest[REGISTER_FIELDS].join(life)
    frame["still_outside"] = frame.index.isin(register["question_id"])
    frame = frame.join(decision_fields(decisions))
    frame["status"] = frame["status"].fillna(NEW)
    frame = frame.join(evidence_counts(evidence, actions))
    counts = ["survey_rows", "themes", "audited_cases", "actions"]
    frame[counts] = frame[counts].fillna(0).astype(int)
    return frame.reset_index()


def decision_fields(decisions: pd.DataFrame) -> pd.DataFrame:
    """The latest decision of each question, under fct_questions' names."""
    names = {
        "status": "status",
        "decided_on": "status_decided_on",
        "owner_partner": "owner_partner",
        "notes": "notes",
        "closing_finding": "closing_finding",
        "partner": "deciding_partner",
    }
    latest = latest_decisions(decisions)
    if latest.empty:
        return pd.DataFrame(columns=list(names.values()))
    return latest[list(names)].rename(columns=names)


def evidence_counts(evidence: pd.DataFrame, actions: pd.DataFrame) -> pd.DataFrame:
    """Per question: survey rows, themes, distinct audited children and actions."""
    kind = evidence["evidence_kind"]
    audits = evidence[kind == "audit"]
    return pd.DataFrame(
        {
            "survey_rows": evidence[kind == "survey"].groupby("question_id").size(),
            "themes": evidence[kind == "theme"].groupby("question_id").size(),
            "audited_cases": audits.groupby("question_id")["child_pseudonym"].nunique(),
            "actions": actions.groupby("question_id").size(),
        }
    )


def status_history(decisions: pd.DataFrame) -> pd.DataFrame:
    """fct_question_status_history: every decision of the current returns, oldest first."""
    columns = ["question_id", "decided_on", "status", "owner_partner", "partner", "returned_on"]
    return decisions.sort_values(["question_id", "decided_on", "returned_on"])[
        [*columns, "_source_file"]
    ]
