"""How the CIN census XML maps to raw tables: each repeated element of a Child (CINdetails,
Assessments, Section47, ChildProtectionPlans...) is a table with its key, its parent's key
and its fields by relative path, every schema year from 2017 to 2026 in one map (elements a
year lacks are simply absent). A module that adds elements (a new schema's module) adds a
table here and as a child of its parent element.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from orchestration.ingest.model import RawTable


@dataclass(frozen=True)
class ElementTable:
    """How one repeated element maps to a raw table: its key, its parent's key, its fields."""

    table: RawTable
    path: str
    key: str | None
    key_suffix: str
    parent_key: str | None
    fields: dict[str, str]
    children: tuple[ElementTable, ...] = field(default=())


def _table(
    name: str,
    path: str,
    key: str | None,
    suffix: str,
    parent_key: str | None,
    fields: dict[str, str],
    children: tuple[ElementTable, ...] = (),
    identifiers: dict[str, str] | None = None,
) -> ElementTable:
    columns = tuple(c for c in (key, parent_key) if c) + tuple(fields)
    return ElementTable(
        RawTable(name, columns, identifiers or {}), path, key, suffix, parent_key, fields, children
    )


ASSESSMENT_FACTOR = _table(
    "cin_assessment_factor",
    "FactorsIdentifiedAtAssessment/AssessmentFactors",
    None,
    "",
    "assessment_key",
    {"assessment_factor": "."},
)
ASSESSMENT = _table(
    "cin_assessment",
    "Assessments",
    "assessment_key",
    "a",
    "cin_details_key",
    {
        "assessment_actual_start_date": "AssessmentActualStartDate",
        "assessment_internal_review_date": "AssessmentInternalReviewDate",
        "assessment_authorisation_date": "AssessmentAuthorisationDate",
    },
    children=(ASSESSMENT_FACTOR,),
)
CIN_PLAN = _table(
    "cin_plan",
    "CINPlanDates",
    "cin_plan_key",
    "p",
    "cin_details_key",
    {"cin_plan_start_date": "CINPlanStartDate", "cin_plan_end_date": "CINPlanEndDate"},
)
SECTION47 = _table(
    "cin_section47",
    "Section47",
    "section47_key",
    "s",
    "cin_details_key",
    {
        "s47_actual_start_date": "S47ActualStartDate",
        "initial_cpc_target": "InitialCPCtarget",
        "date_of_initial_cpc": "DateOfInitialCPC",
        "icpc_not_required": "ICPCnotRequired",
    },
)
CP_PLAN_REVIEW = _table(
    "cin_cp_plan_review",
    "Reviews/CPPreviewDate",
    None,
    "",
    "cp_plan_key",
    {"cpp_review_date": "."},
)
CP_PLAN = _table(
    "cin_cp_plan",
    "ChildProtectionPlans",
    "cp_plan_key",
    "c",
    "cin_details_key",
    {
        "cpp_start_date": "CPPstartDate",
        "cpp_end_date": "CPPendDate",
        "initial_category_of_abuse": "InitialCategoryOfAbuse",
        "latest_category_of_abuse": "LatestCategoryOfAbuse",
        "number_of_previous_cpp": "NumberOfPreviousCPP",
    },
    children=(CP_PLAN_REVIEW,),
)
CIN_DETAILS = _table(
    "cin_details",
    "CINdetails",
    "cin_details_key",
    "r",
    "child_key",
    {
        "cin_referral_date": "CINreferralDate",
        "referral_source": "ReferralSource",
        "primary_need_code": "PrimaryNeedCode",
        "cin_closure_date": "CINclosureDate",
        "reason_for_closure": "ReasonForClosure",
        "date_of_initial_cpc": "DateOfInitialCPC",
        "referral_nfa": "ReferralNFA",
    },
    children=(ASSESSMENT, CIN_PLAN, SECTION47, CP_PLAN),
)
DISABILITY = _table(
    "cin_disability",
    "ChildCharacteristics/Disabilities/Disability",
    None,
    "",
    "child_key",
    {"disability": "."},
)
CHARACTERISTICS = _table(
    "cin_child_characteristics",
    "ChildCharacteristics",
    None,
    "",
    "child_key",
    {"ethnicity": "Ethnicity"},
)
CHILD = _table(
    "cin_child",
    "Child",
    "child_key",
    "",
    None,
    {
        "la_child_id": "ChildIdentifiers/LAchildID",
        "upn": "ChildIdentifiers/UPN",
        "former_upn": "ChildIdentifiers/FormerUPN",
        "upn_unknown": "ChildIdentifiers/UPNunknown",
        "person_birth_date": "ChildIdentifiers/PersonBirthDate",
        "expected_person_birth_date": "ChildIdentifiers/ExpectedPersonBirthDate",
        "gender_current": "ChildIdentifiers/GenderCurrent",
        "sex": "ChildIdentifiers/Sex",
        "person_death_date": "ChildIdentifiers/PersonDeathDate",
    },
    children=(CHARACTERISTICS, DISABILITY, CIN_DETAILS),
    identifiers={
        "la_child_id": "la_child_id",
        "upn": "upn",
        "former_upn": "upn",
        "person_birth_date": "date_of_birth",
        "expected_person_birth_date": "date_of_birth",
    },
    # The framework keeps the month of each date of birth in the clear (<column>_month).
)


def _flatten(spec: ElementTable) -> Iterator[ElementTable]:
    yield spec
    for child in spec.children:
        yield from _flatten(child)


ELEMENT_TABLES = tuple(_flatten(CHILD))
