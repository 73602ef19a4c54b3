"""The partnership marts, written into the warehouse's marts schema in one transaction: the
questions' history and life (history.py), the evidence and the plan (evidence.py) and the
review of the plan's actions (review.py), from the partnership returns (raw.partnership_<sheet>)
and marts.rpt_indicator_vs_baseline. Their columns, types and descriptions have one home,
marts.yaml, written beside the data as DuckDB comments."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from orchestration.partnership import evidence as evidence_marts
from orchestration.partnership import history, review
from orchestration.partnership.spec import RETURN_SHEETS
from orchestration.partnership.warehouse_tables import read_raw
from orchestration.transform.indicator_catalogue import registry

MARTS_FILE = Path(__file__).with_name("marts.yaml")
HISTORY = "fct_question_history"


@cache
def load_docs() -> dict[str, dict]:
    """marts.yaml's tables: each with its description and columns ({type, description})."""
    return yaml.safe_load(MARTS_FILE.read_text())["tables"]


def quoted(text: str) -> str:
    return "'" + " ".join(str(text).split()).replace("'", "''") + "'"


def create_table(con: duckdb.DuckDBPyConnection, name: str, replace: bool) -> None:
    columns = load_docs()[name]["columns"]
    body = ", ".join(f'"{column}" {spec["type"]}' for column, spec in columns.items())
    verb = "create or replace table" if replace else "create table if not exists"
    con.execute(f"{verb} marts.{name} ({body})")


def insert_rows(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> int:
    """The frame's rows into marts.<name>, each column cast to its marts.yaml type."""
    columns = load_docs()[name]["columns"]
    missing = [column for column in columns if column not in frame.columns]
    if missing and len(frame):
        raise ValueError(f"marts.{name}: the rows lack columns {missing} (marts.yaml)")
    rows = frame.reindex(columns=list(columns)).astype(object)
    rows = rows.where(rows.notna(), None)  # NaN, NaT and pd.NA are all NULL in the mart
    select = ", ".join(f'cast("{column}" as {spec["type"]})' for column, spec in columns.items())
    con.register("partnership_rows", rows)
    try:
        con.execute(f"insert into marts.{name} select {select} from partnership_rows")
    finally:
        con.unregister("partnership_rows")
    return len(rows)


def comment(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """marts.yaml's descriptions on the table and its columns."""
    docs = load_docs()[name]
    con.execute(f"comment on table marts.{name} is {quoted(docs['description'])}")
    for column, spec in docs["columns"].items():
        con.execute(f'comment on column marts.{name}."{column}" is {quoted(spec["description"])}')


def replace_table(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> int:
    create_table(con, name, replace=True)
    return insert_rows(con, name, frame)


def append_run(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame, run_id: str) -> int:
    """This run's rows of the history, replacing any an earlier attempt of the run wrote."""
    create_table(con, HISTORY, replace=False)
    con.execute(f"delete from marts.{HISTORY} where run_id = ?", [run_id])
    return insert_rows(con, HISTORY, rows)


def build_marts(
    con: duckdb.DuckDBPyConnection,
    register: pd.DataFrame,
    run_id: str,
    run_at: datetime,
    today: date,
) -> dict[str, int]:
    """Append this run to marts.fct_question_history and replace the other partnership marts,
    all in one transaction (a failure leaves the marts as they were). Rows written per table."""
    con.execute("begin transaction")
    try:
        con.execute("create schema if not exists marts")
        raw = {sheet: read_raw(con, sheet) for sheet in RETURN_SHEETS}
        run = history.history_rows(register, run_id, run_at, raw["questions"])
        written = {HISTORY: append_run(con, run, run_id)}
        for name, frame in replaced_marts(con, register, raw, today).items():
            written[name] = replace_table(con, name, frame)
        for name in load_docs():
            comment(con, name)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return written


def replaced_marts(
    con: duckdb.DuckDBPyConnection,
    register: pd.DataFrame,
    raw: dict[str, pd.DataFrame],
    today: date,
) -> dict[str, pd.DataFrame]:
    """The partnership marts each run replaces, from the returns' raw sheets and the history
    this run has appended to."""
    decisions, audits = raw["questions"], raw["audits"]
    pseudonym_column = review.load_settings()["audit_sample"]["case_pseudonym_column"]
    found = evidence_marts.children_in_marts(con, audits["case_reference"], pseudonym_column)
    enquiry = evidence_marts.enquiry_evidence(raw["survey"], raw["themes"], audits, found)
    plan = evidence_marts.plan_actions(
        raw["actions"], raw["watched_indicators"], raw["reviews"], today
    )
    all_runs = con.execute(f"select * from marts.{HISTORY}").df()
    questions = history.questions(all_runs, register, decisions, enquiry, plan)
    areas = questions.set_index("question_id")["area_code"] if len(questions) else pd.Series()
    keys = review.watched_keys(plan, raw["watched_indicators"], areas)
    labels = {entry["indicator_id"]: entry["label"] for entry in registry()}
    reviewed = review.action_review(keys, review.watched_series(con, keys), today, labels)
    return {
        "fct_questions": questions,
        "fct_question_status_history": history.status_history(decisions),
        "fct_enquiry_evidence": enquiry,
        "fct_plan_actions": plan,
        "rpt_action_review": reviewed,
    }
