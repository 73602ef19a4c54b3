"""The briefing's partnership sections from a small hand-made partnership whose figures are
known: the questions under enquiry with their owner, date and finding; the survey shares of
their respondents and the audit counts out of the cases audited, small counts suppressed as
the indicators' are; each action's lead, next review (overdue said plainly) and each watched
indicator's verdict and reason; and the one paragraph before any return has come back."""

import re
from datetime import date

import pandas as pd

from orchestration.outputs.briefing_partnership import nav_items, partnership_sections
from orchestration.outputs.partnership_published import (
    WITHHELD,
    Partnership,
    audit_results,
    coarsest,
    published_review,
    survey_results,
)

AREA = "938"
ENQUIRY, ANSWERED, PARKED = "Q00000000a1", "Q00000000b2", "Q00000000c3"


def questions() -> pd.DataFrame:
    rows = [
        (ENQUIRY, "under_enquiry", date(2026, 10, 1), "social_care", True, None,
         "Why did referrals from schools fall in Apr-Jun 2020?"),
        (ANSWERED, "answered", date(2026, 9, 14), "health", False,
         "Attendances fell as families stayed away; no recording change.",
         "Why did A&E attendances of children fall?"),
        (PARKED, "parked", date(2026, 9, 1), None, True, None, "Why did police incidents rise?"),
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["question_id", "status", "status_decided_on",
                                        "owner_partner", "still_outside", "closing_finding",
                                        "question"])  # fmt: skip
    return frame.assign(
        area_code=AREA, notes=None, indicator_id="referrals", breakdown_dimension="all",
        first_month=date(2020, 4, 1), last_month=date(2020, 6, 1),
        breakdown_value="all", direction="below", deciding_partner=frame["owner_partner"],
        first_raised_at=pd.Timestamp("2026-06-12 06:00"),
        last_seen_at=pd.Timestamp("2026-11-12 06:00"), runs_seen=6,
    )  # fmt: skip


def survey_row(question: str, option: str, count: int, role: str | None = "social_worker"):
    return {"evidence_kind": "survey", "question_id": ENQUIRY, "partner": "social_care",
            "survey_name": "Staff survey 2026", "respondents": "staff", "survey_question": question,
            "response_option": option, "role": role, "locality": None, "count": count}  # fmt: skip


def evidence() -> pd.DataFrame:
    seen = "I was able to see the children on my caseload"
    safe = "I felt able to raise a concern"
    rows = [
        survey_row(seen, "agree", 30), survey_row(seen, "agree", 20, "teacher"),
        survey_row(seen, "neither", 40), survey_row(seen, "disagree", 110),
        survey_row(safe, "agree", 150), survey_row(safe, "neither", 47),
        survey_row(safe, "disagree", 3),
        {"evidence_kind": "theme", "question_id": ENQUIRY, "partner": "education",
         "respondents": "staff", "method": "focus_group", "theme": "Lost sight of children",
         "times_raised": 14, "quote": "We stopped seeing children once schools closed"},
    ]  # fmt: skip
    return pd.DataFrame(rows).assign(returned_on=date(2026, 11, 2))


def audits() -> pd.DataFrame:
    """30 cases: 12 with risk recognised late (cases 11-22), 3 not seen alone (small);
    grades 10 good, 17 requires improvement, 3 inadequate (small: the worst of each case)."""
    rows = [(ENQUIRY, n, "plan_reviewed_on_time", "good" if n <= 10 else "requires_improvement")
            for n in range(1, 31)]  # fmt: skip
    rows += [(ENQUIRY, n, "risk_recognised_late", "requires_improvement") for n in range(11, 23)]
    rows += [(ENQUIRY, n, "child_not_seen_alone", "inadequate") for n in (28, 29, 30)]
    return pd.DataFrame(rows, columns=["question_id", "case_number", "finding", "grade"])


def actions() -> pd.DataFrame:
    rows = [
        ("social_care", "A1", "Keep sight of children", "Weekly calls to schools", ENQUIRY,
         "social_care", date(2026, 1, 5), date(2026, 6, 1), date(2026, 6, 1), True, 44),
        ("education", "A2", "Attendance", "Attendance officers visit", ENQUIRY, "education",
         date(2026, 3, 1), date(2026, 9, 1), date(2027, 1, 10), False, 0),
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["partner", "action_id", "priority", "action",
                                       "question_id", "lead_partner", "start_date",
                                       "review_date", "next_review_due", "review_overdue",
                                       "days_overdue"])  # fmt: skip
    return frame.assign(last_reviewed_on=None, watched_indicators="referrals up")


def review() -> pd.DataFrame:
    rows = [
        ("social_care", "A1", "referrals", "all", "all", "up", "moving as hoped",
         "4 of the 5 months since the action started were above the expected range", 18.0),
        ("social_care", "A1", "referrals", "source_group", "schools", "up", "too early",
         "2 months of data since the action started", 30.0),
        ("education", "A2", "referrals", "all", "all", "up", "moving the wrong way",
         "3 of the 4 months were below the expected range", -12.0),
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["partner", "action_id", "indicator_id",
                                        "breakdown_dimension", "breakdown_value",
                                        "expected_direction", "verdict", "reason",
                                        "mean_change_from_expected_percent"])  # fmt: skip
    return frame.assign(
        area_code=AREA, question_id=ENQUIRY, start_month=pd.Timestamp("2026-01-01"),
        latest_month=pd.Timestamp("2026-05-01"), months_since_start=10, months_compared=5,
        months_better=4, months_worse=0, range_source="model",
    )  # fmt: skip


def vs_baseline(hidden_group: str = "") -> pd.DataFrame:
    """Every month of 2026 of the watched series; the named group's months hidden."""
    rows = [
        (AREA, "referrals", dimension, value, month, value == hidden_group)
        for dimension, value in [("all", "all"), ("source_group", "schools")]
        for month in pd.date_range("2025-06-01", "2026-06-01", freq="MS")
    ]
    frame = pd.DataFrame(rows, columns=["area_code", "indicator_id", "breakdown_dimension",
                                        "breakdown_value", "month", "value_hidden"])  # fmt: skip
    return frame.assign(expected_hidden=False)


def partnership() -> Partnership:
    return Partnership(questions(), evidence(), audits(), actions(), review(), returns_loaded=2)


REGISTER = pd.DataFrame({
    "question_id": [ENQUIRY, PARKED],
    "evidence": ["Referrals from schools: 61% below the expected value in Apr-Jun 2020.", "x"],
})  # fmt: skip
INDICATORS = pd.DataFrame({"indicator_id": ["referrals"], "label": ["Referrals"]})


def render(hidden_group: str = "") -> str:
    return partnership_sections(
        partnership(), REGISTER, INDICATORS, vs_baseline(hidden_group), AREA
    )


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_questions_under_enquiry_name_the_owner_the_date_and_the_finding():
    page = text(render())
    assert (
        "3 questions raised so far, the partnership has 1 under enquiry, 1 answered and 1" in page
    )
    enquiry = page[page.index("Questions under enquiry") : page.index("What we heard")]
    assert (
        "Why did referrals from schools fall in Apr-Jun 2020? Q00000000a1; April 2020 to June 2020"
        in enquiry
    )
    assert "Social care Under enquiry since 01 Oct 2026 Yes, in this run" in enquiry
    assert "Health Answered on 14 Sep 2026 No: back within its expected range" in enquiry
    assert "Attendances fell as families stayed away" in enquiry
    assert "Why did police incidents rise?" not in enquiry  # parked


def test_survey_results_are_shares_of_those_answering_over_every_role():
    results = survey_results(evidence()).set_index(["survey_question", "response_option"])
    seen = results.loc["I was able to see the children on my caseload"]
    # 50 agree over two roles, of 200 answering.
    assert seen.loc["agree", ["respondents_answering", "count", "share"]].tolist() == [
        "200", "50", "25%"
    ]  # fmt: skip
    assert seen.loc["disagree", "share"] == "55%"


def test_a_small_survey_count_is_suppressed_and_so_is_the_next_smallest():
    results = survey_results(evidence()).set_index(["survey_question", "response_option"])
    safe = results.loc["I felt able to raise a concern"]
    # 3 disagree is hidden; with 200 answering, 47 neither would give it back, so it goes too.
    assert safe.loc["disagree", ["count", "share"]].tolist() == ["c", "c"]
    assert safe.loc["neither", ["count", "share"]].tolist() == ["c", "c"]
    assert safe.loc["agree", ["count", "share"]].tolist() == ["150", "75%"]
    page = text(render())
    assert "agree 75%; neither c; disagree c" in page
    assert "disagree 3" not in page and "47" not in page.split("What we heard")[1]


def test_audits_are_counts_of_cases_out_of_those_audited_small_ones_suppressed():
    results = audit_results(audits()).set_index(["measure", "code"])["cases"]
    assert results[("Cases audited", "")] == "30"
    assert results[("Finding", "risk_recognised_late")] == "12"
    assert results[("Finding", "child_not_seen_alone")] == "c"  # 3 cases
    # By each case's worst grade: 10 good, 17 requires improvement, 3 inadequate; the 3 is
    # hidden and, with 30 published, the smallest other grade too.
    assert results[("Grade", "inadequate")] == "c"
    assert results[("Grade", "good")] == "c"
    assert results[("Grade", "requires_improvement")] == "17"
    heard = text(render()).split("What we heard")[1]
    assert "Case files audited: 30" in heard
    assert "Finding: Risk recognised late 12 30" in heard
    assert "Grade: Requires improvement 17 30" in heard


def test_what_we_heard_sits_beside_the_questions_own_figures_with_themes_and_quotes():
    heard = text(render()).split("What we heard")[1].split("What we are doing")[0]
    assert "The figures: Referrals from schools: 61% below the expected value" in heard
    assert "Lost sight of children Staff (focus group) 14" in heard
    assert "\u201cWe stopped seeing children once schools closed\u201d" in heard


def test_each_action_has_its_lead_its_review_and_each_indicators_verdict():
    html = render()
    actions = text(html).split("What we are doing and whether it is working")[1]
    assert "A1: Weekly calls to schools" in actions
    assert "Social care 05 Jan 2026 Overdue by 44 days (due 01 Jun 2026)" in actions
    assert "Education 01 Mar 2026 10 Jan 2027" in actions
    assert "Referrals (hoped to rise): moving as hoped 4 of the 5 months" in actions
    assert "Referrals (referral source: Schools) (hoped to rise): too early" in actions
    assert "moving the wrong way 3 of the 4 months were below" in actions
    assert '<span class="below">moving the wrong way</span>' in html
    assert '<span class="below">Overdue by 44 days</span>' in html


def test_a_verdict_built_on_suppressed_months_keeps_its_verdict_not_its_figures():
    published = published_review(review(), vs_baseline(hidden_group="schools"))
    schools = published[published["breakdown_value"] == "schools"].iloc[0]
    assert (schools["verdict"], schools["reason"]) == ("too early", WITHHELD)
    assert schools["mean_change_from_expected_percent"] == "c"
    assert published[published["breakdown_value"] == "all"]["reason"].str.contains("months").all()
    assert WITHHELD in text(render(hidden_group="schools"))


def test_before_any_return_one_paragraph_says_where_the_template_is():
    html = partnership_sections(Partnership.empty(), REGISTER, INDICATORS, vs_baseline(), AREA)
    assert html.count("<p>") == 1 and "<table" not in html
    assert "data/outputs/partnership/partnership_return_template.xlsx" in html
    assert "data/landing/partnership/" in html and "2 questions filled in" in html
    assert nav_items(Partnership.empty()) == [("enquiry", "Under enquiry")]
    assert len(nav_items(partnership())) == 3


def test_a_survey_counted_by_role_and_again_by_locality_counts_each_person_once():
    groups = [
        ("social worker", None, 60),
        ("teacher", None, 40),
        (None, "QX1", 70),
        (None, "QX2", 30),
    ]
    survey = pd.DataFrame(
        [
            {"partner": "education", "question_id": "Q1", "survey_name": "staff",
             "respondents": "staff", "survey_question": "I could see the children",
             "role": role, "locality": locality, "count": count}
            for role, locality, count in groups
        ]
    )  # fmt: skip
    kept = coarsest(survey)
    assert kept["count"].sum() == 100
    assert kept["role"].tolist() == ["social worker", "teacher"]
