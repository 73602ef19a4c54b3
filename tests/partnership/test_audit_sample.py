"""The audit sample: for each question under enquiry, children counted by its indicator in its
months and group, at most cases_per_question spread over the months, the same on every run;
a question it cannot be drawn for gets a reason."""

from datetime import date

import pandas as pd
import pytest

from orchestration.partnership.audit_sample import audit_sample
from orchestration.partnership.review import load_settings
from tests.partnership.raw_returns import register, write_returns

CAP = load_settings()["audit_sample"]["cases_per_question"]
# Children referred in each month of the first lockdown (April to June 2020) in area 938.
REFERRED = {"2020-04-01": 60, "2020-05-01": 40, "2020-06-01": 20}


def referrals(reverse: bool = False) -> pd.DataFrame:
    """Every fifth child referred by a school; a child of April referred again in May; and
    referrals outside the months or the area, which no sample may list."""
    rows, child = [], 0
    for month, count in REFERRED.items():
        for _ in range(count):
            source = "schools" if child % 5 == 0 else "police"
            rows.append(("938", month, f"p{child:04d}", source))
            child += 1
    rows.append(("938", "2020-05-01", "p0000", "schools"))  # first counted in April
    rows += [("938", "2020-03-01", "p9001", "schools"), ("938", "2020-07-01", "p9002", "schools"),
             ("999", "2020-05-01", "p9003", "schools")]  # fmt: skip
    frame = pd.DataFrame(
        rows, columns=["area_code", "referral_month", "la_child_id_pseudonym", "source_group"]
    ).assign(referral_month=lambda f: pd.to_datetime(f["referral_month"]))
    return frame.iloc[::-1] if reverse else frame


def write_marts(con, reverse: bool = False) -> None:
    con.execute("create schema if not exists marts")
    con.register("rows", referrals(reverse))
    con.execute("create or replace table marts.fct_referrals as select * from rows")
    con.unregister("rows")
    con.execute(
        "create or replace table marts.fct_cla_periods_of_care as select * from (values"
        " ('938', date '2020-05-01', 'c1', true), ('938', date '2020-05-01', 'c2', false),"
        " ('938', date '2020-06-01', 'c3', true)) as t(area_code, started_month,"
        " la_child_id_pseudonym, is_start_recorded)"
    )
    con.execute(
        "create or replace table marts.fct_ae_attendances as select * from (values"
        " ('938', date '2020-05-01', 'k1')) as t(area_code, arrival_month, child_key)"
    )


QUESTIONS = register(
    {"question_id": "Q1"},
    {"question_id": "Q2", "breakdown_dimension": "source_group", "breakdown_value": "schools",
     "role": "breakdown", "first_month": "2020-05", "last_month": "2020-06"},
    {"question_id": "Q3", "indicator_id": "ae_attendances"},
    {"question_id": "Q4", "indicator_id": "assessment_factors"},
    {"question_id": "Q5"},
    {"question_id": "Q6", "indicator_id": "s47_enquiries"},
    {"question_id": "Q7", "indicator_id": "cla_starts"},
    {"question_id": "Q8", "indicator_id": "referrals_per_10000", "first_month": "2020-06"},
)  # fmt: skip


@pytest.fixture
def sample(con) -> pd.DataFrame:
    write_marts(con)
    decided = [
        {"question_id": question_id, "status": "under_enquiry", "decided_on": date(2021, 5, 1),
         "owner_partner": "social_care"}
        for question_id in ("Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7", "Q8")
    ]  # fmt: skip
    decided.append({"question_id": "Q5", "status": "answered", "decided_on": date(2021, 5, 9),
                    "closing_finding": "Explained by the school closures"})  # fmt: skip
    write_returns(con, {"questions": decided})
    return audit_sample(con, QUESTIONS)


def cases(sample: pd.DataFrame, question_id: str) -> pd.DataFrame:
    return sample[sample["question_id"] == question_id]


def test_every_case_matches_its_questions_months_and_group(sample):
    events = referrals()
    for question_id, first, last, schools_only in [
        ("Q1", "2020-04-01", "2020-06-01", False), ("Q2", "2020-05-01", "2020-06-01", True),
    ]:  # fmt: skip
        listed = cases(sample, question_id)
        assert len(listed) and listed["reason"].isna().all()
        for case in listed.itertuples():
            theirs = events[
                (events["la_child_id_pseudonym"] == case.child_pseudonym)
                & (events["referral_month"] == pd.Timestamp(case.month))
                & (events["area_code"] == "938")
            ]
            assert len(theirs) == 1, case
            assert pd.Timestamp(first) <= pd.Timestamp(case.month) <= pd.Timestamp(last)
            assert theirs["source_group"].iloc[0] == "schools" or not schools_only
    assert set(cases(sample, "Q1")["child_pseudonym"]).isdisjoint({"p9001", "p9002", "p9003"})
    # The child referred in April and again in May is behind Q2 (May and June) by May.
    again = cases(sample, "Q2").set_index("child_pseudonym").loc["p0000"]
    assert str(again["month"]) == "2020-05-01"


def test_at_most_the_cap_per_question_spread_over_its_months(sample):
    first = cases(sample, "Q1")
    assert len(first) == CAP == 30
    assert first["child_pseudonym"].is_unique
    assert first["cases_in_months"].iloc[0] == 120  # the child referred twice counted once
    by_month = first.groupby(first["month"].astype(str)).size().to_dict()
    assert by_month == {"2020-04-01": 15, "2020-05-01": 10, "2020-06-01": 5}  # 60 : 40 : 20
    schools = cases(sample, "Q2")  # 9 in May, 4 in June: fewer than the cap, all listed
    assert len(schools) == 13 and schools["cases_in_months"].iloc[0] == 13


def test_a_rerun_lists_the_same_cases_whatever_the_order_of_the_mart(con, sample):
    assert audit_sample(con, QUESTIONS).equals(sample)
    write_marts(con, reverse=True)
    assert audit_sample(con, QUESTIONS).equals(sample)


def test_only_questions_under_enquiry_are_sampled_and_the_others_get_a_reason(sample):
    assert "Q5" not in set(sample["question_id"])  # answered since
    reasons = sample[sample["reason"].notna()].set_index("question_id")
    assert set(reasons.index) == {"Q3", "Q4", "Q6"}
    assert reasons["child_pseudonym"].isna().all()
    assert reasons.at["Q3", "reason"] == (
        "marts.fct_ae_attendances has no la_child_id_pseudonym: its children cannot be looked"
        " up by the authority's own child id."
    )
    assert "not counted from one events mart" in reasons.at["Q4", "reason"]
    assert reasons.at["Q6", "reason"] == (
        "Its events mart, marts.fct_section47_enquiries, is not in the warehouse."
    )


def test_the_indicators_own_filter_and_a_rates_count_pick_the_events(sample):
    assert list(cases(sample, "Q7")["child_pseudonym"]) == ["c1", "c3"]  # starts recorded
    rate = cases(sample, "Q8")  # referrals per 10,000: the referrals of June
    assert (len(rate), set(rate["month"].astype(str))) == (20, {"2020-06-01"})
