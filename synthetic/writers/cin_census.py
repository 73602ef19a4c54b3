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

from synthetic.calendar import iso_dates, to_day
from synthetic.cin_defects import CinDefectPlan, ReturnOverrides, overrides_for_return
from synthetic.cin_schema import CinSchemaProfile
from synthetic.journeys import Episodes
from synthetic.population import Population
from synthetic.reference import code_mix
from synthetic.writers.cin_details import cin_details
from synthetic.writers.cin_xml import CollectionYear, block, tag

SOFTWARE_CODE = "csc-intel synthetic generator"
_CHUNK = 20_000
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
    year = CollectionYear(first, ref, base, iso_dates(base, ref + _TARGET_HORIZON_DAYS))
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
    body = body + cin_details(eps, profile, year, marks) + np.where(last_rows, "    </Child>\n", "")
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


def _child_opening(
    kids: np.ndarray,
    eps: Episodes,
    child_rows: np.ndarray,
    population: Population,
    profile: CinSchemaProfile,
    year: CollectionYear,
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
        tag("LAchildID", population.la_child_id[kids], True, 4)
        + tag("UPN", population.upn[kids], ~no_upn, 4)
        + tag("UPNunknown", reason, no_upn, 4)
        + tag("PersonBirthDate", dob_text, ~unborn, 4)
        + tag("ExpectedPersonBirthDate", dob_text, unborn, 4)
        + tag(profile.sex_element, _sex_codes(population.sex[kids], unborn, profile), True, 4)
    )
    disability = block(
        "Disabilities", tag("Disability", population.disability[kids], True, 5), True, 4
    )
    characteristics = tag("Ethnicity", ethnicity, True, 4) + disability
    return (
        "    <Child>\n"
        + block("ChildIdentifiers", ids, True, 3)
        + block("ChildCharacteristics", characteristics, True, 3)
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
