"""The partnership marts as the briefing and the workbook publish them: survey results as
shares of their respondents, case-file audits as counts out of the cases audited, with the
platform's suppression rule applied as to the indicators (suppression.py): a count of 1 to 4
is 'c', and so is any further count that a total published beside it would give back (the
respondents of a survey question, the cases audited for a question). No pseudonym is read:
an audited case is known here only by its number within its question."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import duckdb
import pandas as pd

from orchestration.outputs.published import readable
from orchestration.outputs.suppression import SUPPRESSED, Total, is_small, secondary_suppression
from orchestration.partnership.ingest import SOURCE
from orchestration.partnership.spec import load_returns
from orchestration.partnership.warehouse_tables import relation_exists

# Where the partnership's files are, under data/outputs/ and data/landing/ alike.
FOLDER = "partnership"
TEMPLATE_NAME = "partnership_return_template.xlsx"
# The partnership marts the outputs read (partnership/marts.yaml documents them).
TABLES = ("fct_questions", "fct_enquiry_evidence", "fct_plan_actions", "rpt_action_review")
UNDER_ENQUIRY, ANSWERED = "under_enquiry", "answered"
SURVEY_KEY = ["question_id", "survey_name", "respondents", "survey_question"]
AUDITED = "Cases audited"
AUDITS_SQL = """
select question_id, finding, grade,
    dense_rank() over (partition by question_id order by child_pseudonym) as case_number
from marts.fct_enquiry_evidence where evidence_kind = 'audit'
"""


@dataclass
class Partnership:
    """What the partnership returned, as the marts hold it (audits by case number)."""

    questions: pd.DataFrame  # marts.fct_questions
    evidence: pd.DataFrame  # surveys and themes of marts.fct_enquiry_evidence
    audits: pd.DataFrame  # question_id, finding, grade, case_number
    actions: pd.DataFrame  # marts.fct_plan_actions
    review: pd.DataFrame  # marts.rpt_action_review
    returns_loaded: int  # partnership returns in use (raw.file_manifest)

    @classmethod
    def empty(cls) -> Partnership:
        none = pd.DataFrame()
        return cls(none, none, none, none, none, 0)


def read_partnership(con: duckdb.DuckDBPyConnection) -> Partnership:
    """The partnership marts; empty before the partnership stage first ran."""
    if not all(relation_exists(con, "marts", table) for table in TABLES):
        return Partnership.empty()
    frame = lambda sql: con.execute(sql).df()  # noqa: E731
    returns = con.execute(
        "select count(*) from raw.file_manifest where source = ? and status = 'loaded'", [SOURCE]
    ).fetchone()[0]
    return Partnership(
        questions=frame("select * from marts.fct_questions"),
        evidence=frame(
            "select * exclude (child_pseudonym) from marts.fct_enquiry_evidence"
            " where evidence_kind <> 'audit'"
        ),
        audits=frame(AUDITS_SQL),
        actions=frame("select * from marts.fct_plan_actions"),
        review=frame("select * from marts.rpt_action_review"),
        returns_loaded=int(returns),
    )


def label(code: object) -> str:
    """A code as words: 'requires_improvement' -> 'Requires improvement'; blank stays blank."""
    return "" if pd.isna(code) or code == "" else readable(str(code))


def shown(counts: dict[Hashable, int], hidden: set[Hashable], cell: Hashable) -> str:
    return SUPPRESSED if cell in hidden else f"{counts[cell]:,}"


def suppressed(counts: dict[Hashable, int], totals: list[Total]) -> set[Hashable]:
    """The cells to show as 'c': the small counts, and what a published total would give back."""
    series = pd.Series(counts, dtype="int64")
    small = set(series.index[is_small(series)]) if len(series) else set()
    return secondary_suppression(counts, small, totals)


def coarsest(survey: pd.DataFrame) -> pd.DataFrame:
    """Each survey question's counts at one level, the coarsest: a return may hold its totals
    (role and locality blank), the counts by role, by locality, and by both, and adding two
    of them would count the same people twice. Totals first, then by role, by locality."""
    role, locality = survey["role"].isna(), survey["locality"].isna()
    level = (~(role & locality)).astype(int) + (~locality).astype(int) + (~role & ~locality)
    first = level.groupby([survey[c] for c in ["partner", *SURVEY_KEY]]).transform("min")
    return survey[level == first]


def survey_results(evidence: pd.DataFrame) -> pd.DataFrame:
    """One row per survey question and response option, over every role and locality: the
    respondents, the option's count and its share of them, as published."""
    columns = [*SURVEY_KEY, "response_option", "respondents_answering", "count", "share"]
    if evidence.empty or not (evidence["evidence_kind"] == "survey").any():
        return pd.DataFrame(columns=columns)
    survey = coarsest(evidence[evidence["evidence_kind"] == "survey"])
    options = survey.groupby([*SURVEY_KEY, "response_option"], sort=False)["count"].sum()
    answering = options.groupby(level=SURVEY_KEY, sort=False).sum()
    counts = {**options.astype(int).to_dict(), **answering.astype(int).to_dict()}
    totals = [
        Total(key, tuple(option for option in options.index if option[:-1] == key))
        for key in answering.index
    ]
    hidden = suppressed(counts, totals)
    rows = []
    for option, count in options.items():
        key, total = option[:-1], answering[option[:-1]]
        share = "" if total == 0 else f"{100 * count / total:.0f}%"
        rows.append([
            *key, option[-1], shown(counts, hidden, key), shown(counts, hidden, option),
            SUPPRESSED if hidden & {option, key} else share,
        ])  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def worst_grades(audits: pd.DataFrame) -> pd.Series:
    """Each audited case's grade: the worst its rows give (returns.yaml lists the grades from
    the best to the worst)."""
    order = {grade: rank for rank, grade in enumerate(load_returns().lists["audit_grade"])}
    ranked = audits.assign(rank=audits["grade"].map(order))
    worst = ranked.sort_values("rank").drop_duplicates(["question_id", "case_number"], keep="last")
    return worst.set_index(["question_id", "case_number"])["grade"]


def audit_results(audits: pd.DataFrame) -> pd.DataFrame:
    """Per question: the cases audited, the cases with each finding and the cases by grade,
    each out of the cases audited, as published."""
    columns = ["question_id", "measure", "code", "cases", "cases_audited"]
    if audits.empty:
        return pd.DataFrame(columns=columns)
    cases = audits.groupby("question_id")["case_number"].nunique()
    findings = audits.groupby(["question_id", "finding"])["case_number"].nunique()
    grades = worst_grades(audits).reset_index().groupby(["question_id", "grade"]).size()
    counts: dict[Hashable, int] = {(q, AUDITED, ""): int(n) for q, n in cases.items()}
    counts |= {(q, "Finding", f): int(n) for (q, f), n in findings.items()}
    counts |= {(q, "Grade", g): int(n) for (q, g), n in grades.items()}
    totals = [
        Total((q, AUDITED, ""), tuple((q, "Grade", g) for (qg, g) in grades.index if qg == q))
        for q in cases.index
    ]
    hidden = suppressed(counts, totals)
    grade_order = load_returns().lists["audit_grade"]
    ordered = sorted(
        counts,
        key=lambda c: (c[0], [AUDITED, "Finding", "Grade"].index(c[1]),
                       grade_order.index(c[2]) if c[1] == "Grade" else 0, c[2]),
    )  # fmt: skip
    rows = [
        [q, measure, code, shown(counts, hidden, (q, measure, code)),
         shown(counts, hidden, (q, AUDITED, ""))]
        for q, measure, code in ordered
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


WITHHELD = "Figures withheld: small numbers in the months since the action started."


def published_review(review: pd.DataFrame, vs_baseline: pd.DataFrame) -> pd.DataFrame:
    """The review with its figures withheld where a month they are built on is published as
    'c' (a watched breakdown of a few children): the verdict stays, its reason and mean
    change go."""
    if review.empty:
        return review
    hidden = vs_baseline[vs_baseline["value_hidden"] | vs_baseline["expected_hidden"]]
    keys = ["area_code", "indicator_id", "breakdown_dimension", "breakdown_value"]
    months = review[[*keys, "start_month"]].reset_index().merge(hidden[[*keys, "month"]], on=keys)
    after = months[months["month"] >= pd.to_datetime(months["start_month"])]
    withheld = review.index.isin(after["index"])
    published = review.copy()
    published["reason"] = published["reason"].where(~withheld, WITHHELD)
    change = published["mean_change_from_expected_percent"].round(1).astype(object)
    published["mean_change_from_expected_percent"] = change.where(~withheld, SUPPRESSED)
    return published
