"""What the demo county's partners write in their returns: the survey's statements, the themes
heard in focus groups and interviews, the plan's actions and the notes, in words no name, date
or identifier is in (each passes orchestration.privacy.free_text.identifiers_in, as a test
checks).

The codes come from returns.yaml (the return's one home); what is keyed by a code here is what
the county would say about it (how often an auditor finds it, which action a partner leads),
and partnership_evidence checks every key is one of the list's codes."""

from __future__ import annotations

from dataclasses import dataclass

# Each piece of evidence bears on the questions of these indicator families (seed
# indicators.csv): it is attached to the first question under enquiry of one of them.
SCHOOLS_AND_SOCIAL_CARE = ("education", "social_care")


@dataclass(frozen=True)
class SurveyStatement:
    text: str
    families: tuple[str, ...]
    # Shares answering agree, neither, disagree, for social care staff and schools staff.
    social_care: tuple[float, float, float]
    schools: tuple[float, float, float]


SURVEY_NAME = "Staff survey: seeing children through the lockdowns"
SURVEY_RESPONDENTS = "staff"
RESPONSE_OPTIONS = ("agree", "neither", "disagree")
SURVEY_SIZE = (190, 211)  # respondents, drawn in this range: "about 200"
STATEMENTS_ASKED = (4, 5)  # how many statements the survey asks, at least and at most
SURVEY_STATEMENTS = (
    SurveyStatement(
        "During school closures I was able to see the children on my caseload",
        SCHOOLS_AND_SOCIAL_CARE,
        (0.34, 0.18, 0.48),
        (0.22, 0.24, 0.54),
    ),
    SurveyStatement(
        "I knew which children with a social worker were not attending school",
        ("education",),
        (0.46, 0.22, 0.32),
        (0.63, 0.15, 0.22),
    ),
    SurveyStatement(
        "Schools and social care shared worries about a child quickly enough",
        SCHOOLS_AND_SOCIAL_CARE,
        (0.41, 0.27, 0.32),
        (0.38, 0.25, 0.37),
    ),
    SurveyStatement(
        "I felt confident judging the risk to a child over a video call",
        ("social_care",),
        (0.21, 0.26, 0.53),
        (0.17, 0.31, 0.52),
    ),
    SurveyStatement(
        "Families I work with stayed away from the doctor or hospital when a child needed care",
        ("health",),
        (0.52, 0.31, 0.17),
        (0.47, 0.36, 0.17),
    ),
    SurveyStatement(
        "I heard about police call-outs to the homes of children I work with in good time",
        ("police",),
        (0.29, 0.3, 0.41),
        (0.18, 0.33, 0.49),
    ),
)
# Who answered: role -> (sector, weight); the weights make about six in ten social care staff.
SURVEY_ROLES = {
    "social worker": ("social_care", 68),
    "senior practitioner": ("social_care", 22),
    "team manager": ("social_care", 14),
    "designated safeguarding lead": ("schools", 42),
    "teacher": ("schools", 40),
    "teaching assistant": ("schools", 14),
}


@dataclass(frozen=True)
class Theme:
    theme: str
    method: str  # a code of the list evidence_method
    respondents: str  # a code of the list respondents
    families: tuple[str, ...]
    times_raised: tuple[int, int]  # drawn in this range
    quote: str


THEMES_HEARD = (6, 9)  # how many themes the return holds, at least and at most
THEMES = (
    Theme(
        "Children were harder to see while schools were closed",
        "focus_group", "staff", SCHOOLS_AND_SOCIAL_CARE, (8, 15),
        "When the schools shut we lost our eyes on the children. Nobody else was seeing them "
        "every day.",
    ),
    Theme(
        "Doorstep visits took the place of home visits",
        "interview", "staff", ("social_care",), (5, 10),
        "We did a lot of visits from the garden path. You cannot see a bedroom from the "
        "doorstep.",
    ),
    Theme(
        "Families feared catching the virus in hospital",
        "focus_group", "parents_and_carers", ("health",), (6, 12),
        "We stayed away from the hospital unless it was really bad, because we were scared of "
        "bringing the virus home.",
    ),
    Theme(
        "Young people did not know who to tell",
        "focus_group", "children_and_young_people", SCHOOLS_AND_SOCIAL_CARE, (4, 9),
        "At school there is always someone you can talk to. At home there was nobody to tell.",
    ),
    Theme(
        "Referrals came back later and more serious",
        "interview", "staff", ("social_care",), (4, 8),
        "When the referrals came back they were further along: worries that would have been "
        "picked up early had grown.",
    ),
    Theme(
        "Video calls worked for some families and not for others",
        "focus_group", "parents_and_carers", SCHOOLS_AND_SOCIAL_CARE, (5, 11),
        "The video calls were fine for us, but the family next door had one phone between "
        "four children.",
    ),
    Theme(
        "Waits for mental health support grew",
        "interview", "staff", ("health",), (3, 7),
        "The young people we refer now are more unwell than before, and they wait longer to "
        "be seen.",
    ),
    Theme(
        "Officers returned to the same homes again and again",
        "interview", "staff", ("police",), (3, 6),
        "We were going back to the same houses over and over, with the children at home all "
        "day.",
    ),
    Theme(
        "Community volunteers were often the only visitors",
        "focus_group", "community", ("social_care", "health"), (4, 9),
        "The food bank volunteers were often the only people who saw inside the house.",
    ),
)  # fmt: skip

# The case-file audit: how likely a finding of concern is chosen, and a note an auditor
# might add to it. The other findings of the list are good practice, chosen evenly.
CONCERNS = {
    "no_school_contact_during_closure": (4, "No contact with the school recorded while closed."),
    "risk_recognised_late": (3, "Earlier worries were on file before the referral."),
    "no_visit_within_timescale": (3, "The first visit was by video call only."),
    "child_not_seen_alone": (2, "The child was seen only with a parent present."),
}
# Grade -> how many findings of concern and of good practice a case of that grade has.
GRADES = {
    "outstanding": (3, (0, 0), (2, 3)),  # (weight, concerns range, good practice range)
    "good": (10, (0, 1), (1, 2)),
    "requires_improvement": (12, (1, 2), (0, 1)),
    "inadequate": (5, (2, 3), (0, 0)),
}
CASES_AUDITED = 30

# The questions sheet: what the partnership writes beside each status it sets.
STATUS_NOTES = {
    "under_enquiry": "Staff survey, focus groups and a case-file audit under way.",
    "answered": "Checked with the service and against the months either side.",
    "parked": "Parked until more months of figures are in: too soon to tell a change from noise.",
}
CLOSING_FINDING = (
    "The change matches the lockdown months and the series came back within its expected "
    "range afterwards; the service found no group of children missed, so no further enquiry."
)


@dataclass(frozen=True)
class PlannedAction:
    priority: str
    action: str
    review_note: str


# The shared plan's action a partner leads, by the partner owning the question it answers.
ACTIONS = {
    "social_care": PlannedAction(
        "Children are seen when they are out of sight of universal services",
        "Weekly calls between school safeguarding leads and the front door about children not "
        "in school, with one shared list of the children to see.",
        "Calls running with every secondary school; primary schools join next term.",
    ),
    "education": PlannedAction(
        "Children with a social worker stay in school",
        "A named contact in every school for each child with a social worker, and a call home "
        "on the first day of absence.",
        "Named contacts in place in most schools; first-day calls not yet recorded everywhere.",
    ),
    "health": PlannedAction(
        "Families seek care for children when they need it",
        "Health visitors and school nurses tell families that urgent care is safe and open, "
        "and follow up every missed appointment of a child known to social care.",
        "Messages sent through every health visiting team; follow-up calls started.",
    ),
    "police": PlannedAction(
        "Children at home during incidents are known to social care",
        "Every domestic incident with a child present is shared with the front door the same "
        "day, with a named officer to follow it up.",
        "Same-day sharing in place on weekdays; weekend cover still being agreed.",
    ),
}
