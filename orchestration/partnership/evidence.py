"""Evidence beside the numbers and the shared plan: marts.fct_enquiry_evidence (survey results,
themes and case-file audits, one row per piece of evidence) and marts.fct_plan_actions (each
action with its next review and whether that review is overdue)."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

# Survey counts are shared within one partner's survey question and group.
SURVEY_GROUP = ["partner", "survey_name", "survey_question", "role", "locality"]


def survey_evidence(survey: pd.DataFrame) -> pd.DataFrame:
    """Survey rows with each option's share of its question's answers in the same group."""
    frame = survey.assign(evidence_kind="survey")
    # A blank role or locality is a group of its own (all roles), so group on a placeholder.
    keys = frame[SURVEY_GROUP].astype(object).fillna("\x00")
    total = frame["count"].groupby([keys[c] for c in SURVEY_GROUP]).transform("sum")
    frame["share_of_question"] = (frame["count"] / total.where(total > 0)).astype(float)
    return frame


def theme_evidence(themes: pd.DataFrame) -> pd.DataFrame:
    return themes.assign(evidence_kind="theme")


def audit_evidence(audits: pd.DataFrame, children_found: set[str]) -> pd.DataFrame:
    """Audit rows by the child's pseudonym (the stored case_reference already is one), and
    whether that child is in the marts."""
    frame = audits.rename(columns={"case_reference": "child_pseudonym"})
    frame["child_found_in_marts"] = frame["child_pseudonym"].isin(children_found)
    return frame.assign(evidence_kind="audit")


def enquiry_evidence(
    survey: pd.DataFrame, themes: pd.DataFrame, audits: pd.DataFrame, children_found: set[str]
) -> pd.DataFrame:
    """fct_enquiry_evidence's rows (columns as the sheets name them; marts.py orders them)."""
    parts = [
        survey_evidence(survey),
        theme_evidence(themes),
        audit_evidence(audits, children_found),
    ]
    columns = list(dict.fromkeys(column for part in parts for column in part.columns))
    # An empty kind has every column of its sheet, so the others' rows lack none of them.
    delivered = [part for part in parts if not part.empty] or parts
    return pd.concat(delivered, ignore_index=True).reindex(columns=columns)


def marts_with_column(con: duckdb.DuckDBPyConnection, column: str) -> list[str]:
    """The marts tables and views holding a column, e.g. every events mart with the child's
    la_child_id_pseudonym."""
    rows = con.execute(
        "select distinct table_name from information_schema.columns"
        " where table_schema = 'marts' and column_name = ? order by table_name",
        [column],
    ).fetchall()
    return [name for (name,) in rows]


def children_in_marts(
    con: duckdb.DuckDBPyConnection, pseudonyms: pd.Series, column: str
) -> set[str]:
    """Those of the pseudonyms that some events mart holds in `column`."""
    wanted = sorted(set(pseudonyms.dropna()))
    tables = marts_with_column(con, column)
    if not wanted or not tables:
        return set()
    union = " union ".join(
        f'select "{column}" as pseudonym from marts."{table}"'
        f' where "{column}" in (select unnest($wanted))'
        for table in tables
    )
    return {found for (found,) in con.execute(union, {"wanted": wanted}).fetchall()}


def watched_text(watched: pd.DataFrame) -> pd.Series:
    """Per (partner, action_id): 'referrals down; referrals (source_group=schools) down'."""
    if watched.empty:
        return pd.Series(dtype=object)
    dimension, value = watched["breakdown_dimension"], watched["breakdown_value"]
    breakdown = ("(" + dimension.astype(str) + "=" + value.astype(str) + ") ").where(
        dimension.notna() & (dimension != "all"), ""
    )
    text = watched["indicator_id"] + " " + breakdown + watched["expected_direction"]
    return text.groupby([watched["partner"], watched["action_id"]]).agg("; ".join)


def latest_reviews(reviews: pd.DataFrame) -> pd.DataFrame:
    """Per (partner, action_id): the latest review held and the next date it set."""
    if reviews.empty:
        keys = pd.MultiIndex.from_tuples([], names=["partner", "action_id"])
        return pd.DataFrame(columns=["last_reviewed_on", "next_review_date"], index=keys)
    latest = reviews.sort_values("reviewed_on").drop_duplicates(
        ["partner", "action_id"], keep="last"
    )
    return latest.set_index(["partner", "action_id"])[["reviewed_on", "next_review_date"]].rename(
        columns={"reviewed_on": "last_reviewed_on"}
    )


def plan_actions(
    actions: pd.DataFrame, watched: pd.DataFrame, reviews: pd.DataFrame, today: date
) -> pd.DataFrame:
    """fct_plan_actions: an action's ids are its partner's own, so the plan's sheets join on
    partner and action id."""
    frame = actions.set_index(["partner", "action_id"])
    frame = frame.join(latest_reviews(reviews))
    frame["watched_indicators"] = watched_text(watched).reindex(frame.index)
    next_date = pd.to_datetime(frame["next_review_date"])
    due = next_date.fillna(pd.to_datetime(frame["review_date"]))
    overdue = (pd.Timestamp(today) - due).dt.days
    frame["next_review_due"] = due.dt.date
    frame["review_overdue"] = (overdue > 0).fillna(False).astype(bool)
    frame["days_overdue"] = overdue.where(overdue > 0, 0).fillna(0).astype(int)
    return frame.reset_index()
