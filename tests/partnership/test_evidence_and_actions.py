"""Evidence beside the numbers and the shared plan: survey shares within their question and
group, themes, audits by pseudonym linked to the child in the marts, counts per question, and
each action's next review and whether it is overdue."""

from datetime import UTC, date, datetime

import pandas as pd
import pytest

from orchestration.partnership.marts import build_marts
from tests.partnership.raw_returns import register, write_returns

RUN_AT = datetime(2021, 6, 1, 8, 0, tzinfo=UTC)
TODAY = date(2021, 6, 1)


def survey(option: str, count: int, role: str | None, question_id: str = "QA") -> dict:
    return {
        "survey_name": "Staff survey 2021", "question_id": question_id, "respondents": "staff",
        "survey_question": "Do schools contact you when a child stops attending?",
        "response_option": option, "role": role, "count": count,
    }  # fmt: skip


def audit(pseudonym: str, finding: str, question_id: str = "QA") -> dict:
    return {
        "case_reference": pseudonym, "question_id": question_id, "audited_on": date(2021, 5, 4),
        "finding": finding, "grade": "requires_improvement",
    }  # fmt: skip


@pytest.fixture
def evidence(con) -> pd.DataFrame:
    con.execute("create schema marts")
    con.execute(
        "create table marts.fct_referrals as select * from (values ('p-known', '938'))"
        " as t(la_child_id_pseudonym, area_code)"
    )
    write_returns(con, {
        "survey": [
            survey("Always", 30, "teacher"), survey("Sometimes", 50, "teacher"),
            survey("Never", 20, "teacher"), survey("Always", 10, None), survey("Never", 30, None),
        ],
        "themes": [{
            "question_id": "QA", "method": "focus_group", "respondents": "staff",
            "theme": "No contact from schools while closed", "times_raised": 7,
            "quote": "We heard nothing from the school for weeks",
        }],
        "audits": [
            audit("p-known", "risk_recognised_late"),
            audit("p-known", "no_school_contact_during_closure"),
            audit("p-unknown", "voice_of_child_recorded"),
        ],
    })  # fmt: skip
    build_marts(con, register({"question_id": "QA"}, {"question_id": "QB"}), "r1", RUN_AT, TODAY)
    return con.execute("select * from marts.fct_enquiry_evidence").df()


def test_a_survey_option_is_a_share_of_its_question_in_its_group(evidence):
    rows = evidence[evidence["evidence_kind"] == "survey"]
    shares = {
        (role, option): share
        for role, option, share in zip(
            rows["role"].fillna("all roles"), rows["response_option"], rows["share_of_question"],
            strict=True,
        )
    }  # fmt: skip
    assert shares == pytest.approx({
        ("teacher", "Always"): 0.3, ("teacher", "Sometimes"): 0.5, ("teacher", "Never"): 0.2,
        ("all roles", "Always"): 0.25, ("all roles", "Never"): 0.75,
    })  # fmt: skip
    assert set(rows["partner"]) == {"social_care"}
    assert rows["count"].sum() == 140


def test_themes_and_audits_are_evidence_with_their_own_fields(evidence):
    theme = evidence[evidence["evidence_kind"] == "theme"].iloc[0]
    assert (theme["method"], theme["times_raised"]) == ("focus_group", 7)
    assert theme["quote"] == "We heard nothing from the school for weeks"
    audits = evidence[evidence["evidence_kind"] == "audit"].sort_values("finding")
    assert list(audits["finding"]) == [
        "no_school_contact_during_closure", "risk_recognised_late", "voice_of_child_recorded",
    ]  # fmt: skip
    assert list(audits["child_pseudonym"]) == ["p-known", "p-known", "p-unknown"]
    assert list(audits["child_found_in_marts"]) == [True, True, False]
    assert audits["share_of_question"].isna().all() and pd.isna(theme["child_pseudonym"])
    assert set(evidence["_source_file"]) == {"social_care_20210601.xlsx"}


def test_a_question_counts_the_evidence_bearing_on_it(con, evidence):
    questions = con.execute("select * from marts.fct_questions").df().set_index("question_id")
    counts = questions[["survey_rows", "themes", "audited_cases", "actions"]]
    assert counts.loc["QA"].tolist() == [5, 1, 2, 0]  # two findings of one child: one case
    assert counts.loc["QB"].tolist() == [0, 0, 0, 0]


def test_a_return_of_audits_only_has_the_other_kinds_fields_empty(con):
    write_returns(con, {"audits": [audit("p-1", "child_not_seen_alone")]})
    build_marts(con, register({"question_id": "QA"}), "r1", RUN_AT, TODAY)
    row = con.execute("select * from marts.fct_enquiry_evidence").df().iloc[0]
    assert (row["evidence_kind"], row["child_pseudonym"]) == ("audit", "p-1")
    assert pd.isna(row["survey_name"]) and pd.isna(row["theme"])
    assert not row["child_found_in_marts"]  # no events mart in this warehouse


def action(action_id: str, review_date: date, question_id: str = "QA") -> dict:
    return {
        "action_id": action_id, "priority": "Schools and social care in touch",
        "action": "Weekly call between schools and the front door", "question_id": question_id,
        "lead_partner": "education", "start_date": date(2021, 1, 11), "review_date": review_date,
    }  # fmt: skip


def watched(action_id: str, dimension: str | None = None, value: str | None = None) -> dict:
    return {
        "action_id": action_id, "indicator_id": "referrals", "breakdown_dimension": dimension,
        "breakdown_value": value, "expected_direction": "up",
    }  # fmt: skip


@pytest.fixture
def plan(con) -> pd.DataFrame:
    write_returns(con, {
        "actions": [action("A1", date(2021, 3, 1)), action("A2", date(2021, 7, 1)),
                    action("A3", date(2021, 5, 1), question_id="QB")],
        "watched_indicators": [watched("A1"), watched("A1", "source_group", "schools")],
        "reviews": [
            {"action_id": "A1", "reviewed_on": date(2021, 3, 1),
             "next_review_date": date(2021, 4, 1)},
            {"action_id": "A1", "reviewed_on": date(2021, 4, 2),
             "next_review_date": date(2021, 5, 1)},
            {"action_id": "A3", "reviewed_on": date(2021, 4, 20)},
        ],
    }, partner="education")  # fmt: skip
    # Another partner's plan with its own A1, reviewed on time.
    write_returns(con, {
        "actions": [action("A1", date(2021, 9, 1))],
        "reviews": [{"action_id": "A1", "reviewed_on": date(2021, 5, 1),
                     "next_review_date": date(2021, 8, 1)}],
    }, partner="health")  # fmt: skip
    build_marts(con, register({"question_id": "QA"}, {"question_id": "QB"}), "r1", RUN_AT, TODAY)
    return (
        con.execute("select * from marts.fct_plan_actions").df().set_index(["partner", "action_id"])
    )


def test_the_next_review_is_the_latest_reviews_date_else_the_plans(plan):
    due = plan["next_review_due"].dt.date.to_dict()
    assert due == {
        ("education", "A1"): date(2021, 5, 1),  # the latest review's next date
        ("education", "A2"): date(2021, 7, 1),  # never reviewed: the plan's date
        ("education", "A3"): date(2021, 5, 1),  # reviewed without a next date: the plan's
        ("health", "A1"): date(2021, 8, 1),
    }
    assert plan.at[("education", "A1"), "last_reviewed_on"] == pd.Timestamp("2021-04-02")
    assert pd.isna(plan.at[("education", "A2"), "last_reviewed_on"])


def test_a_review_past_its_date_is_overdue_by_its_days(plan):
    assert plan["review_overdue"].to_dict() == {
        ("education", "A1"): True, ("education", "A2"): False, ("education", "A3"): True,
        ("health", "A1"): False,
    }  # fmt: skip
    assert plan.at[("education", "A1"), "days_overdue"] == 31
    assert plan.at[("health", "A1"), "days_overdue"] == 0


def test_an_action_lists_what_it_watches_and_counts_for_its_question(con, plan):
    assert plan.at[("education", "A1"), "watched_indicators"] == (
        "referrals up; referrals (source_group=schools) up"
    )
    assert pd.isna(plan.at[("education", "A2"), "watched_indicators"])
    questions = con.execute("select question_id, actions from marts.fct_questions").fetchall()
    assert sorted(questions) == [("QA", 3), ("QB", 1)]
