"""Questions with a life: the history appended per run (a re-run replacing its rows), one row
per question ever raised with the latest decision, every decision kept, the marts typed and
documented from marts.yaml, and all of it written in one transaction."""

from datetime import UTC, date, datetime

import pandas as pd
import pytest

from orchestration.partnership import review
from orchestration.partnership.marts import build_marts, load_docs
from orchestration.partnership.warehouse_tables import relation_exists
from tests.partnership.raw_returns import register, write_returns

FIRST_RUN = datetime(2021, 5, 1, 8, 0, tzinfo=UTC)
SECOND_RUN = datetime(2021, 6, 1, 8, 0, tzinfo=UTC)
TODAY = date(2021, 6, 1)


def decision(question_id: str, status: str, decided_on: date, **fields) -> dict:
    return {"question_id": question_id, "status": status, "decided_on": decided_on} | fields


def two_runs(con) -> None:
    build_marts(con, register({"question_id": "QA"}, {"question_id": "QB"}), "r1", FIRST_RUN,
                TODAY)  # fmt: skip
    second = register(
        {"question_id": "QB", "priority": None, "confidence": "medium"}, {"question_id": "QC"}
    )
    build_marts(con, second, "r2", SECOND_RUN, TODAY)


def table(con, name: str) -> pd.DataFrame:
    return con.execute(f"select * from marts.{name} order by all").df()


def test_each_run_is_appended_and_a_question_keeps_its_life_across_runs(con):
    two_runs(con)
    history = table(con, "fct_question_history")
    assert sorted(zip(history["run_id"], history["question_id"], strict=True)) == [
        ("r1", "QA"), ("r1", "QB"), ("r2", "QB"), ("r2", "QC"),
    ]  # fmt: skip
    assert history["run_at"].max() == pd.Timestamp("2021-06-01 08:00")  # UTC, no zone
    assert history["first_month"].iloc[0] == pd.Timestamp("2020-04-01")
    questions = table(con, "fct_questions").set_index("question_id")
    assert list(questions.index) == ["QA", "QB", "QC"]
    assert questions["runs_seen"].to_dict() == {"QA": 1, "QB": 2, "QC": 1}
    assert questions["still_outside"].to_dict() == {"QA": False, "QB": True, "QC": True}
    assert questions.at["QB", "first_raised_at"] == pd.Timestamp("2021-05-01 08:00")
    assert questions.at["QB", "last_seen_at"] == pd.Timestamp("2021-06-01 08:00")
    assert questions.at["QA", "last_seen_at"] == pd.Timestamp("2021-05-01 08:00")
    # The latest register row's fields: QB lost its priority and confidence on the second run.
    assert pd.isna(questions.at["QB", "priority"]) and questions.at["QA", "priority"] == 1
    assert questions.at["QB", "confidence"] == "medium"
    assert set(questions["status"]) == {"new"}


def test_a_rerun_of_the_same_run_replaces_its_rows(con):
    two_runs(con)
    written = build_marts(con, register({"question_id": "QC"}), "r2", SECOND_RUN, TODAY)
    history = table(con, "fct_question_history")
    assert written["fct_question_history"] == 1
    assert sorted(zip(history["run_id"], history["question_id"], strict=True)) == [
        ("r1", "QA"), ("r1", "QB"), ("r2", "QC"),
    ]  # fmt: skip
    questions = table(con, "fct_questions").set_index("question_id")
    assert questions["still_outside"].to_dict() == {"QA": False, "QB": False, "QC": True}


def test_the_latest_decision_by_date_then_return_is_the_status(con):
    write_returns(con, {"questions": [
        decision("QB", "under_enquiry", date(2021, 5, 3), owner_partner="social_care",
                 notes="Schools referrals fell in lockdown"),
        decision("QA", "parked", date(2021, 5, 20)),
    ]}, partner="social_care", returned_on=date(2021, 5, 25))  # fmt: skip
    write_returns(con, {"questions": [
        decision("QB", "answered", date(2021, 5, 20), owner_partner="education",
                 closing_finding="No school contact during closure"),
        decision("QA", "under_enquiry", date(2021, 5, 20), owner_partner="police"),
    ]}, partner="education", returned_on=date(2021, 5, 28))  # fmt: skip
    two_runs(con)
    questions = table(con, "fct_questions").set_index("question_id")
    assert questions.at["QB", "status"] == "answered"  # decided later
    assert questions.at["QB", "status_decided_on"] == pd.Timestamp("2021-05-20")
    assert questions.at["QB", "deciding_partner"] == "education"
    assert questions.at["QB", "closing_finding"] == "No school contact during closure"
    assert questions.at["QA", "status"] == "under_enquiry"  # same day: the later return
    assert questions.at["QA", "owner_partner"] == "police"
    assert questions.at["QC", "status"] == "new"
    assert pd.isna(questions.at["QC", "status_decided_on"])
    decisions = table(con, "fct_question_status_history")
    assert list(zip(decisions["question_id"], decisions["status"], strict=True)) == [
        ("QA", "parked"), ("QA", "under_enquiry"), ("QB", "under_enquiry"), ("QB", "answered"),
    ]  # fmt: skip
    assert set(decisions["_source_file"]) == {
        "social_care_20210525.xlsx", "education_20210528.xlsx"
    }  # fmt: skip


def test_each_run_keeps_the_status_in_force_then(con):
    build_marts(con, register({"question_id": "QA"}), "r1", FIRST_RUN, TODAY)
    write_returns(con, {"questions": [decision("QA", "under_enquiry", date(2021, 5, 10),
                                               owner_partner="health")]})  # fmt: skip
    build_marts(con, register({"question_id": "QA"}), "r2", SECOND_RUN, TODAY)
    history = table(con, "fct_question_history")
    assert list(zip(history["run_id"], history["status"], strict=True)) == [
        ("r1", "new"), ("r2", "under_enquiry"),
    ]  # fmt: skip
    assert history["status_decided_on"].iloc[1] == pd.Timestamp("2021-05-10")


def test_without_any_return_every_mart_exists_typed_and_documented(con):
    written = build_marts(con, register({"question_id": "QA"}), "r1", FIRST_RUN, TODAY)
    assert written == {
        "fct_question_history": 1, "fct_questions": 1, "fct_question_status_history": 0,
        "fct_enquiry_evidence": 0, "fct_plan_actions": 0, "rpt_action_review": 0,
    }  # fmt: skip
    for name, docs in load_docs().items():
        columns = con.execute(
            "select column_name, data_type, comment from duckdb_columns()"
            " where schema_name = 'marts' and table_name = ? order by column_index",
            [name],
        ).fetchall()
        assert [(c, t) for c, t, _ in columns] == [
            (column, spec["type"]) for column, spec in docs["columns"].items()
        ], name
        assert all(comment for _, _, comment in columns), name
        described = con.execute(
            "select comment from duckdb_tables() where schema_name = 'marts' and table_name = ?",
            [name],
        ).fetchall()[0][0]
        assert described == " ".join(docs["description"].split())


def test_a_failure_leaves_every_mart_as_it_was(con, monkeypatch):
    build_marts(con, register({"question_id": "QA"}), "r1", FIRST_RUN, TODAY)

    def broken(*args, **kwargs):
        raise RuntimeError("review failed")

    monkeypatch.setattr(review, "action_review", broken)
    with pytest.raises(RuntimeError):
        build_marts(con, register({"question_id": "QB"}), "r2", SECOND_RUN, TODAY)
    assert list(table(con, "fct_question_history")["run_id"]) == ["r1"]
    assert list(table(con, "fct_questions")["question_id"]) == ["QA"]
    assert relation_exists(con, "marts", "rpt_action_review")
