"""The CINdetails of a CIN census return: one element per episode, with its assessment,
CIN plan, section 47 and child protection plan modules as known at the reference date.
"""

from __future__ import annotations

import numpy as np

from synthetic.calendar import NO_DATE
from synthetic.cin_defects import ReturnOverrides
from synthetic.cin_schema import CinSchemaProfile
from synthetic.journeys import Episodes
from synthetic.writers.cin_xml import CollectionYear, block, tag

# CPP reviews: the first within three months of the ICPC, then every six months.
_FIRST_REVIEW_DAYS = 91
_REVIEW_INTERVAL_DAYS = 182
_MAX_REVIEWS = 12


def cin_details(
    eps: Episodes,
    profile: CinSchemaProfile,
    year: CollectionYear,
    marks: ReturnOverrides | None = None,
) -> np.ndarray:
    closed = year.known(eps.closure)
    source, need, need_present, closure = eps.source, eps.need, eps.need != "", eps.closure
    if marks is not None:
        source, need, need_present, closure = (
            marks.source,
            marks.need,
            marks.need_present,
            marks.closure_day,
        )
    inner = (
        tag("CINreferralDate", year.iso(eps.referral), True, 4)
        + tag("ReferralSource", source, True, 4)
        + tag("PrimaryNeedCode", need, need_present, 4)
        + tag("CINclosureDate", year.iso(closure), closed, 4)
        + tag("ReasonForClosure", eps.closure_reason, closed, 4)
        + _assessments(eps, year)
        + (_cin_plans(eps, year) if profile.has_cin_plan_dates else "")
        + _section47(eps, year)
        + tag("ReferralNFA", np.where(eps.nfa, "1", "0"), True, 4)
        + _protection_plans(eps, year)
    )
    return block("CINdetails", inner, np.ones(len(eps), dtype=bool), 3)


def _assessments(eps: Episodes, year: CollectionYear) -> np.ndarray:
    present = year.active(eps.assessment_start, eps.assessment_end)
    done = year.known(eps.assessment_end)
    # Factors are recorded when the assessment is authorised (rule 8614).
    factors = np.where(done & (eps.factors != ""), eps.factors, "")
    factor_xml = np.array(
        [
            "".join(f"            <AssessmentFactors>{c}</AssessmentFactors>\n" for c in f.split())
            for f in factors.tolist()
        ],
        dtype=object,
    )
    inner = (
        tag("AssessmentActualStartDate", year.iso(eps.assessment_start), True, 5)
        + tag("AssessmentAuthorisationDate", year.iso(eps.assessment_end), done, 5)
        + block("FactorsIdentifiedAtAssessment", factor_xml, factors != "", 5)
    )
    return block("Assessments", inner, present, 4)


def _cin_plans(eps: Episodes, year: CollectionYear) -> np.ndarray:
    present = year.active(eps.plan_start, eps.plan_end)
    inner = tag("CINPlanStartDate", year.iso(eps.plan_start), True, 5) + tag(
        "CINPlanEndDate", year.iso(eps.plan_end), year.known(eps.plan_end), 5
    )
    return block("CINPlanDates", inner, present, 4)


def _section47(eps: Episodes, year: CollectionYear) -> np.ndarray:
    present = year.active(eps.s47_start, eps.s47_end)
    held = year.known(eps.icpc)
    not_required = (eps.icpc == NO_DATE) & year.known(eps.s47_end)
    inner = (
        tag("S47ActualStartDate", year.iso(eps.s47_start), True, 5)
        + tag("InitialCPCtarget", year.iso(eps.icpc_target), True, 5)
        + tag("DateOfInitialCPC", year.iso(eps.icpc), held, 5)
        + tag("ICPCnotRequired", np.where(not_required, "1", "0"), True, 5)
    )
    return block("Section47", inner, present, 4)


def _protection_plans(eps: Episodes, year: CollectionYear) -> np.ndarray:
    present = year.active(eps.cpp_start, eps.cpp_end)
    inner = (
        tag("CPPstartDate", year.iso(eps.cpp_start), True, 5)
        + tag("CPPendDate", year.iso(eps.cpp_end), year.known(eps.cpp_end), 5)
        + tag("InitialCategoryOfAbuse", eps.cpp_initial, True, 5)
        + tag("LatestCategoryOfAbuse", eps.cpp_latest, True, 5)
        + tag("NumberOfPreviousCPP", eps.cpp_previous.astype(str), True, 5)
        + _reviews(eps, year, present)
    )
    return block("ChildProtectionPlans", inner, present, 4)


def _reviews(eps: Episodes, year: CollectionYear, present: np.ndarray) -> np.ndarray:
    """Review conferences held in the collection year, before the plan ended."""
    k = np.arange(_MAX_REVIEWS)
    start = np.where(present, eps.cpp_start, 0)[:, None]
    due = start + _FIRST_REVIEW_DAYS + _REVIEW_INTERVAL_DAYS * k
    weekday = (due + 3) % 7  # 0 = Monday; day 0 (1970-01-01) was a Thursday
    due = due + np.where(weekday >= 5, 7 - weekday, 0)
    held = (
        present[:, None] & (due >= year.first) & (due <= year.last) & (due < eps.cpp_end[:, None])
    )
    inner = np.full(len(eps), "", dtype=object)
    for column in range(_MAX_REVIEWS):
        inner = inner + tag("CPPreviewDate", year.iso(due[:, column]), held[:, column], 6)
    return block("Reviews", inner, held.any(axis=1), 5)
