"""Writes CIN census returns: DfE XML, one file per collection year.

A return holds every child with an episode open at any time in the collection year
(1 April to 31 March) and shows what was known at the reference date: modules that ended
before the year are left out, dates after the reference date are not yet known. The XML is
built as strings, whole columns at a time, and streamed to the file in chunks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from synthetic.calendar import NO_DATE, iso_dates, to_day
from synthetic.cin_defects import CinDefectPlan, ReturnOverrides, overrides_for_return
from synthetic.cin_schema import CinSchemaProfile
from synthetic.journeys import Episodes
from synthetic.population import Population
from synthetic.reference import code_mix

SOFTWARE_CODE = "csc-intel synthetic generator"
_CHUNK = 20_000
# CPP reviews: the first within three months of the ICPC, then every six months.
_FIRST_REVIEW_DAYS = 91
_REVIEW_INTERVAL_DAYS = 182
_MAX_REVIEWS = 12
_UPN_UNKNOWN_UNDER_AGE_DAYS = 6 * 365
_TARGET_HORIZON_DAYS = 60


@dataclass(frozen=True)
class CinReturnHeader:
    year: int
    la_code: str
    release: str
    serial_no: str
    extracted_at: str  # ISO dateTime

    @property
    def reference_date(self) -> date:
        return date(self.year, 3, 31)


@dataclass(frozen=True)
class CinReturnCounts:
    children: int
    episodes: int
    defects_changed: tuple[int, ...] = ()  # per defect of the plan: elements changed


@dataclass(frozen=True)
class _Year:
    """The collection year's boundaries and the date-to-text lookup."""

    first: int
    last: int
    base: int
    text: np.ndarray

    def iso(self, days: np.ndarray) -> np.ndarray:
        return self.text[np.clip(days - self.base, 0, self.text.size - 1)]

    def known(self, days: np.ndarray) -> np.ndarray:
        return (days != NO_DATE) & (days <= self.last)

    def active(self, start: np.ndarray, end: np.ndarray) -> np.ndarray:
        """Module started by the reference date and not ended before the year began."""
        return (start != NO_DATE) & (start <= self.last) & (end >= self.first)


def episodes_in_year(episodes: Episodes, year: int) -> np.ndarray:
    """Episodes open at any time from 1 April (year - 1) to 31 March year."""
    first, last = to_day(date(year - 1, 4, 1)), to_day(date(year, 3, 31))
    return (episodes.referral <= last) & (episodes.closure >= first)


def write_cin_return(
    path: Path,
    header: CinReturnHeader,
    episodes: Episodes,
    population: Population,
    profile: CinSchemaProfile,
    upn_missing: np.ndarray,
    rng: np.random.Generator,
    defects: CinDefectPlan | None = None,
) -> CinReturnCounts:
    """Write one year's return; upn_missing flags children whose record lacks a UPN.

    defects: degraded recording to write (synthetic/cin_defects.py); None writes the truth.
    """
    index = np.flatnonzero(episodes_in_year(episodes, header.year))
    eps = episodes.take(index)
    if not len(eps):
        raise ValueError(f"no CIN episodes in {header.year}: the schema needs at least one child")
    ref = to_day(header.reference_date)
    base = int(eps.referral.min())
    if defects:
        base -= 31  # date_order defects write closures up to 29 days before a referral
    first = to_day(date(header.year - 1, 4, 1))
    # Targets (InitialCPCtarget) can fall after the reference date, so the lookup runs on.
    year = _Year(first, ref, base, iso_dates(base, ref + _TARGET_HORIZON_DAYS))
    first_rows = np.r_[True, eps.child[1:] != eps.child[:-1]]
    last_rows = np.r_[first_rows[1:], True]
    kids = eps.child[first_rows]
    marks = None
    if defects:
        marks = overrides_for_return(
            defects,
            index,
            eps.source,
            eps.need,
            eps.closure,
            year.known(eps.closure),
            np.flatnonzero(last_rows),
            population.ethnicity[kids],
            (population.dob[kids] > year.last) | upn_missing[kids],
        )
    body = np.full(len(eps), "", dtype=object)
    body[first_rows] = _child_opening(
        kids, eps, first_rows, population, profile, year, upn_missing, rng, marks
    )
    body = (
        body + _cin_details(eps, profile, year, marks) + np.where(last_rows, "    </Child>\n", "")
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(_header_xml(header))
        for lo in range(0, body.size, _CHUNK):
            out.write("".join(body[lo : lo + _CHUNK].tolist()))
        out.write("  </Children>\n</Message>\n")
    changed = tuple(marks.changed) if marks is not None else ()
    return CinReturnCounts(children=int(kids.size), episodes=len(eps), defects_changed=changed)


def _header_xml(header: CinReturnHeader) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        "<Message>\n"
        "  <Header>\n"
        "    <CollectionDetails>\n"
        "      <Collection>CIN</Collection>\n"
        f"      <Year>{header.year}</Year>\n"
        f"      <ReferenceDate>{header.reference_date.isoformat()}</ReferenceDate>\n"
        "    </CollectionDetails>\n"
        "    <Source>\n"
        "      <SourceLevel>L</SourceLevel>\n"
        f"      <LEA>{header.la_code}</LEA>\n"
        f"      <SoftwareCode>{SOFTWARE_CODE}</SoftwareCode>\n"
        f"      <Release>{header.release}</Release>\n"
        f"      <SerialNo>{header.serial_no}</SerialNo>\n"
        f"      <DateTime>{header.extracted_at}</DateTime>\n"
        "    </Source>\n"
        "  </Header>\n"
        "  <Children>\n"
    )


def _tag(name: str, values: np.ndarray, present: np.ndarray | bool, depth: int) -> np.ndarray:
    pad = "  " * depth
    text = f"{pad}<{name}>" + np.asarray(values, dtype=object) + f"</{name}>\n"
    return np.where(present, text, "")


def _block(name: str, inner: np.ndarray, present: np.ndarray, depth: int) -> np.ndarray:
    pad = "  " * depth
    return np.where(present, f"{pad}<{name}>\n" + inner + f"{pad}</{name}>\n", "")


def _child_opening(
    kids: np.ndarray,
    eps: Episodes,
    child_rows: np.ndarray,
    population: Population,
    profile: CinSchemaProfile,
    year: _Year,
    upn_missing: np.ndarray,
    rng: np.random.Generator,
    marks: ReturnOverrides | None = None,
) -> np.ndarray:
    dob = population.dob[kids]
    unborn = dob > year.last
    no_upn = unborn | upn_missing[kids]
    ethnicity = population.ethnicity[kids]
    if marks is not None:
        no_upn = no_upn | marks.upn_missing
        ethnicity = marks.ethnicity
    all_nfa = np.logical_and.reduceat(eps.nfa, np.flatnonzero(child_rows)) if kids.size else unborn
    reason = _upn_unknown(rng, dob, year.last, all_nfa)
    dob_text = np.datetime_as_string(dob.astype("datetime64[D]")).astype(object)
    ids = (
        _tag("LAchildID", population.la_child_id[kids], True, 4)
        + _tag("UPN", population.upn[kids], ~no_upn, 4)
        + _tag("UPNunknown", reason, no_upn, 4)
        + _tag("PersonBirthDate", dob_text, ~unborn, 4)
        + _tag("ExpectedPersonBirthDate", dob_text, unborn, 4)
        + _tag(profile.sex_element, _sex_codes(population.sex[kids], unborn, profile), True, 4)
    )
    disability = _block(
        "Disabilities", _tag("Disability", population.disability[kids], True, 5), True, 4
    )
    characteristics = _tag("Ethnicity", ethnicity, True, 4) + disability
    return (
        "    <Child>\n"
        + _block("ChildIdentifiers", ids, True, 3)
        + _block("ChildCharacteristics", characteristics, True, 3)
    )


def _sex_codes(sex: np.ndarray, unborn: np.ndarray, profile: CinSchemaProfile) -> np.ndarray:
    if profile.sex_element == "Sex":
        return np.where(unborn, "U", sex)
    # GenderCurrent: 1 male, 2 female, 0 not recorded or unborn (rule 8750).
    return np.where(unborn, "0", np.where(sex == "M", "1", "2"))


def _upn_unknown(
    rng: np.random.Generator, dob: np.ndarray, ref: int, all_nfa: np.ndarray
) -> np.ndarray:
    reason = code_mix("upn_unknown_school_age").draw(rng, dob.size)
    reason = np.where(ref - dob < _UPN_UNKNOWN_UNDER_AGE_DAYS, "UN1", reason)
    # UN7 "referral with no further action" only fits when every episode was NFA (rule 8772).
    return np.where(all_nfa, "UN7", reason)


def _cin_details(
    eps: Episodes, profile: CinSchemaProfile, year: _Year, marks: ReturnOverrides | None = None
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
        _tag("CINreferralDate", year.iso(eps.referral), True, 4)
        + _tag("ReferralSource", source, True, 4)
        + _tag("PrimaryNeedCode", need, need_present, 4)
        + _tag("CINclosureDate", year.iso(closure), closed, 4)
        + _tag("ReasonForClosure", eps.closure_reason, closed, 4)
        + _assessments(eps, year)
        + (_cin_plans(eps, year) if profile.has_cin_plan_dates else "")
        + _section47(eps, year)
        + _tag("ReferralNFA", np.where(eps.nfa, "1", "0"), True, 4)
        + _protection_plans(eps, year)
    )
    return _block("CINdetails", inner, np.ones(len(eps), dtype=bool), 3)


def _assessments(eps: Episodes, year: _Year) -> np.ndarray:
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
        _tag("AssessmentActualStartDate", year.iso(eps.assessment_start), True, 5)
        + _tag("AssessmentAuthorisationDate", year.iso(eps.assessment_end), done, 5)
        + _block("FactorsIdentifiedAtAssessment", factor_xml, factors != "", 5)
    )
    return _block("Assessments", inner, present, 4)


def _cin_plans(eps: Episodes, year: _Year) -> np.ndarray:
    present = year.active(eps.plan_start, eps.plan_end)
    inner = _tag("CINPlanStartDate", year.iso(eps.plan_start), True, 5) + _tag(
        "CINPlanEndDate", year.iso(eps.plan_end), year.known(eps.plan_end), 5
    )
    return _block("CINPlanDates", inner, present, 4)


def _section47(eps: Episodes, year: _Year) -> np.ndarray:
    present = year.active(eps.s47_start, eps.s47_end)
    held = year.known(eps.icpc)
    not_required = (eps.icpc == NO_DATE) & year.known(eps.s47_end)
    inner = (
        _tag("S47ActualStartDate", year.iso(eps.s47_start), True, 5)
        + _tag("InitialCPCtarget", year.iso(eps.icpc_target), True, 5)
        + _tag("DateOfInitialCPC", year.iso(eps.icpc), held, 5)
        + _tag("ICPCnotRequired", np.where(not_required, "1", "0"), True, 5)
    )
    return _block("Section47", inner, present, 4)


def _protection_plans(eps: Episodes, year: _Year) -> np.ndarray:
    present = year.active(eps.cpp_start, eps.cpp_end)
    inner = (
        _tag("CPPstartDate", year.iso(eps.cpp_start), True, 5)
        + _tag("CPPendDate", year.iso(eps.cpp_end), year.known(eps.cpp_end), 5)
        + _tag("InitialCategoryOfAbuse", eps.cpp_initial, True, 5)
        + _tag("LatestCategoryOfAbuse", eps.cpp_latest, True, 5)
        + _tag("NumberOfPreviousCPP", eps.cpp_previous.astype(str), True, 5)
        + _reviews(eps, year, present)
    )
    return _block("ChildProtectionPlans", inner, present, 4)


def _reviews(eps: Episodes, year: _Year, present: np.ndarray) -> np.ndarray:
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
        inner = inner + _tag("CPPreviewDate", year.iso(due[:, column]), held[:, column], 6)
    return _block("Reviews", inner, held.any(axis=1), 5)
