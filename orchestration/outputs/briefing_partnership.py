"""The briefing's partnership sections, after the priority questions: the questions partners
took into a deeper enquiry, what they heard (surveys, focus groups and interviews, case-file
audits) beside the question's own figures, and what they are doing and whether it is working.
Before any return has come back, one paragraph says where the template is and how to return
it. Survey and audit counts are published as partnership_published.py suppresses them."""

from __future__ import annotations

from html import escape

import pandas as pd

from orchestration.outputs.briefing_questions import table
from orchestration.outputs.labels import dimension_label, label, period_of_months
from orchestration.outputs.partnership_published import (
    ANSWERED,
    AUDITED,
    FOLDER,
    TEMPLATE_NAME,
    UNDER_ENQUIRY,
    Partnership,
    audit_results,
    published_review,
    survey_results,
)
from orchestration.outputs.partnership_published import label as words
from orchestration.outputs.suppression import SUPPRESSED

# How a verdict reads (the classes of briefing_style.py: green, amber, grey, red).
VERDICT_CLASSES = {
    "moving as hoped": "high",
    "no change yet": "medium",
    "too early": "low",
    "moving the wrong way": "below",
}
NAV = [("enquiry", "Under enquiry"), ("heard", "What we heard"), ("actions", "What we are doing")]


def nav_items(partnership: Partnership | None) -> list[tuple[str, str]]:
    """The header's links to the sections the briefing has."""
    if partnership is None:
        return []
    return NAV if partnership.returns_loaded else NAV[:1]


def day(value: object) -> str:
    return "" if pd.isna(value) else f"{pd.Timestamp(value):%d %b %Y}"


def in_area(frame: pd.DataFrame, questions: pd.DataFrame, area: str) -> pd.DataFrame:
    """The rows whose question is the area's (a question the marts do not place is shown)."""
    areas = questions.set_index("question_id")["area_code"]
    placed = frame["question_id"].map(areas)
    return frame[placed.isna() | (placed == area)]


def partnership_sections(
    partnership: Partnership, register: pd.DataFrame, indicators: pd.DataFrame,
    vs_baseline: pd.DataFrame, area: str,
) -> str:  # fmt: skip
    """The three sections for one area; the template paragraph when nothing came back."""
    if partnership.returns_loaded == 0:
        return no_return_section(len(register))
    questions = partnership.questions
    questions = questions[questions["area_code"] == area]
    return "".join([
        enquiry_section(questions),
        heard_section(partnership, questions, register),
        actions_section(partnership, indicators, vs_baseline, area),
    ])  # fmt: skip


def no_return_section(questions: int) -> str:
    return (
        '<h2 id="enquiry">Questions under enquiry</h2>'
        "<p>No partnership return has come back yet. The return template, with this run's"
        f" {questions} questions filled in, is <code>data/outputs/{FOLDER}/{TEMPLATE_NAME}</code>:"
        " each partner records what it decided about the questions, its survey results,"
        " focus-group and interview themes, case-file audits and the shared plan (one sheet"
        " each; the instructions sheet says how) and saves the workbook in"
        f" <code>data/landing/{FOLDER}/</code>. The next run reads it, and this briefing then"
        " shows the questions under enquiry, what was heard and whether the actions work.</p>"
    )


def months_of(question: object) -> str:
    """The months the question is about: 'April to July 2020'-like, or blank."""
    if pd.isna(question.first_month) or pd.isna(question.last_month):
        return ""
    return period_of_months(pd.Timestamp(question.first_month), pd.Timestamp(question.last_month))


def question_cell(question: object) -> str:
    notes = [question.question_id, months_of(question)]
    if isinstance(question.notes, str):
        notes.append(question.notes)
    note = "; ".join(escape(n) for n in notes if n)
    return f'<b>{escape(question.question)}</b><br><span class="note">{note}</span>'


def enquiry_section(questions: pd.DataFrame) -> str:
    chosen = questions[questions["status"].isin([UNDER_ENQUIRY, ANSWERED])]
    chosen = chosen.sort_values(["status", "status_decided_on"], ascending=[False, True])
    counts = questions["status"].value_counts()
    summary = (
        f"<p>Of the {len(questions)} questions raised so far, the partnership has"
        f" {counts.get(UNDER_ENQUIRY, 0)} under enquiry, {counts.get(ANSWERED, 0)} answered"
        f" and {counts.get('parked', 0)} parked.</p>"
    )
    rows = [
        [
            question_cell(q),
            escape(words(q.owner_partner)),
            ("Under enquiry since " if q.status == UNDER_ENQUIRY else "Answered on ")
            + day(q.status_decided_on),
            "Yes, in this run" if q.still_outside else "No: back within its expected range",
            escape(q.closing_finding) if q.status == ANSWERED else "",
        ]
        for q in chosen.itertuples()
    ]
    headings = ["Question", "Owner", "Status", "Still outside its range", "What was found"]
    body = table(headings, rows) if rows else "<p>No question is under enquiry or answered yet.</p>"
    return '<h2 id="enquiry">Questions under enquiry</h2>' + summary + body


def heard_section(partnership: Partnership, questions: pd.DataFrame, register: pd.DataFrame) -> str:
    ids = set(questions["question_id"])
    evidence = partnership.evidence[partnership.evidence["question_id"].isin(ids)]
    surveys = survey_results(evidence)
    themes = evidence[evidence["evidence_kind"] == "theme"]
    audits = audit_results(partnership.audits[partnership.audits["question_id"].isin(ids)])
    heard = set(surveys["question_id"]) | set(themes["question_id"]) | set(audits["question_id"])
    intro = (
        '<h2 id="heard">What we heard</h2><p>What partners gathered about each question:'
        " staff and family surveys (shares of those who answered), themes from focus groups"
        " and interviews, and case-file audits, beside the question's own figures. Counts of"
        f" 1 to 4, and counts that would reveal them, are shown as <b>{SUPPRESSED}</b>.</p>"
    )
    if not heard:
        return intro + "<p>No survey, theme or audit has been returned yet.</p>"
    figures = register.set_index("question_id")["evidence"] if len(register) else pd.Series()
    parts = [intro]
    for q in questions[questions["question_id"].isin(heard)].itertuples():
        own = figures.get(q.question_id)
        own = escape(own) if isinstance(own, str) else "not outside its expected range in this run."
        parts += [
            f'<h3>{escape(q.question)}</h3><p class="note">The figures: {own}</p>',
            survey_table(surveys[surveys["question_id"] == q.question_id]),
            themes_table(themes[themes["question_id"] == q.question_id]),
            audit_table(audits[audits["question_id"] == q.question_id]),
        ]
    return "".join(parts)


def survey_table(results: pd.DataFrame) -> str:
    if results.empty:
        return ""
    rows = []
    for (survey, respondents, question), options in results.groupby(
        ["survey_name", "respondents", "survey_question"], sort=False
    ):
        answers = "; ".join(f"{escape(o.response_option)} {o.share}" for o in options.itertuples())
        rows.append([
            f"{escape(question)}<br><span class=\"note\">{escape(survey)}</span>",
            escape(words(respondents)), options["respondents_answering"].iloc[0], answers,
        ])  # fmt: skip
    return table(["Survey question", "Who answered", "Answers", "Responses"], rows, {2})


def themes_table(themes: pd.DataFrame) -> str:
    if themes.empty:
        return ""
    ordered = themes.sort_values("times_raised", ascending=False)
    rows = [
        [
            escape(t.theme),
            f"{escape(words(t.respondents))} ({escape(words(t.method).lower())})",
            f"{int(t.times_raised):,}",
            f"\u201c{escape(t.quote)}\u201d" if isinstance(t.quote, str) and t.quote else "",
        ]
        for t in ordered.itertuples()
    ]
    return table(["Theme", "Heard from", "Raised by", "In their words"], rows, {2})


def audit_table(results: pd.DataFrame) -> str:
    if results.empty:
        return ""
    audited = results["cases_audited"].iloc[0]
    rows = [
        [f"{escape(r.measure)}: {escape(words(r.code))}", r.cases, r.cases_audited]
        for r in results[results["measure"] != AUDITED].itertuples()
    ]
    return f"<p>Case files audited: <b>{audited}</b>.</p>" + table(
        ["Finding or grade", "Cases", "Of cases audited"], rows, {1, 2}
    )


def actions_section(
    partnership: Partnership, indicators: pd.DataFrame, vs_baseline: pd.DataFrame, area: str
) -> str:
    intro = (
        '<h2 id="actions">What we are doing and whether it is working</h2><p>The shared'
        " plan's actions, and for each indicator an action should move, its months since the"
        " action started against their expected range.</p>"
    )
    actions = in_area(partnership.actions, partnership.questions, area)
    if actions.empty:
        return intro + "<p>No action has been returned yet.</p>"
    wording = partnership.questions.set_index("question_id")["question"]
    names = indicators.set_index("indicator_id")["label"]
    review = published_review(partnership.review, vs_baseline)
    rows = []
    for a in actions.sort_values(["start_date", "partner", "action_id"]).itertuples():
        watched = review[(review["partner"] == a.partner) & (review["action_id"] == a.action_id)]
        rows.append([
            f"<b>{escape(a.action_id)}: {escape(a.action)}</b><br><span class=\"note\">"
            f"{escape(a.priority)}. Answers: {escape(str(wording.get(a.question_id, '')))}</span>",
            escape(words(a.lead_partner)),
            day(a.start_date),
            next_review(a),
            "<br>".join(verdict_line(w, names) for w in watched.itertuples()),
        ])  # fmt: skip
    return intro + table(["Action", "Lead", "Started", "Next review", "Is it working?"], rows)


def next_review(action: object) -> str:
    due = day(action.next_review_due)
    if not action.review_overdue:
        return due
    return f'<span class="below">Overdue by {action.days_overdue} days</span> (due {due})'


def verdict_line(watched: object, names: pd.Series) -> str:
    subject = str(names.get(watched.indicator_id, watched.indicator_id))
    if watched.breakdown_dimension != "all":
        group = label(watched.breakdown_dimension, watched.breakdown_value)
        subject += f" ({dimension_label(watched.breakdown_dimension).lower()}: {group})"
    hoped = "hoped to fall" if watched.expected_direction == "down" else "hoped to rise"
    why = str(watched.reason or "")
    css = VERDICT_CLASSES.get(watched.verdict, "low")
    return (
        f'<b>{escape(subject)}</b> ({hoped}): <span class="{css}">{escape(watched.verdict)}'
        f'</span><br><span class="note">{escape(why)}</span>'
    )
