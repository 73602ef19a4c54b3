"""Schools: pupils on roll each term with sessions and exclusions, and daily counts.

Every child of school age (reception to year 11, and half of them in years 12-13) is on
the roll of a primary school in their district, then a secondary school. A child "with a
social worker" on a day is one with an open CIN episode (including CP plans) or period of
care that day. Attendance rates follow the scenario's multipliers for school attendance
(all pupils and children with a social worker separately).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from synthetic.calendar import NO_DATE, Calendar, easter_sunday, to_day
from synthetic.population import DAYS_PER_YEAR, Population
from synthetic.writers.csv_out import iso

BASE_ATTENDANCE = 0.955
CSW_ATTENDANCE = 0.90
# No permanent exclusions in a term whose mean suspension multiplier is this or lower
# (schools closed to most pupils).
EXCLUSIONS_ABOVE = 0.3
_PRIMARY_SIZE = 300
_SECONDARY_SIZE = 1000
# Why pupils were suspended or excluded (codes every layout since 2015 holds), about as often
# as the DfE's statistics give them: persistent disruptive behaviour the most common reason.
EXCLUSION_REASONS = ("PP", "VA", "PA", "VP", "DA", "DM", "BU", "TH", "SM", "RA", "DB")
REASON_WEIGHTS = np.array([36, 15, 14, 8, 7, 5, 4, 4, 3, 2, 2]) / 100


@dataclass(frozen=True)
class Schools:
    urn: np.ndarray
    phase: np.ndarray
    primary_of: np.ndarray  # per child: school index
    secondary_of: np.ndarray


def build_schools(rng: np.random.Generator, population: Population, la: str) -> Schools:
    n = len(population)
    districts, district = np.unique(population.postcode_district, return_inverse=True)
    per_year = n / 18
    primary_counts = np.maximum(
        1, np.round(np.bincount(district) / n * per_year * 7 / _PRIMARY_SIZE).astype(int)
    )
    n_secondary = max(1, int(round(per_year * 6 / _SECONDARY_SIZE)))
    first = np.r_[0, np.cumsum(primary_counts)[:-1]]
    primary_of = first[district] + (rng.random(n) * primary_counts[district]).astype(np.int64)
    n_primary = int(primary_counts.sum())
    secondary_of = n_primary + rng.integers(0, n_secondary, n)
    total = n_primary + n_secondary
    urn = np.array([f"{la}{k:03d}" for k in range(1, total + 1)], dtype=object)
    phase = np.r_[np.full(n_primary, "primary"), np.full(n_secondary, "secondary")].astype(object)
    return Schools(urn, phase, primary_of, secondary_of)


def school_days(calendar: Calendar) -> np.ndarray:
    open_ = ~(calendar.weekend | calendar.bank_holiday | calendar.school_holiday)
    return calendar.first_day + np.flatnonzero(open_)


def terms(academic_year: int) -> list[tuple[str, int, int]]:
    """(term, first day, last day) of an academic year starting in September academic_year."""
    y = academic_year
    return [
        ("autumn", to_day(date(y, 9, 1)), to_day(date(y, 12, 31))),
        ("spring", to_day(date(y + 1, 1, 1)), to_day(date(y + 1, 4, 15))),
        ("summer", to_day(date(y + 1, 4, 16)), to_day(date(y + 1, 7, 31))),
    ]


def year_group(dob: np.ndarray, academic_year: int) -> np.ndarray:
    """National curriculum year (0 = reception) in the academic year starting in September."""
    age_at_aug31 = (to_day(date(academic_year, 8, 31)) - dob) / DAYS_PER_YEAR
    return np.floor(age_at_aug31).astype(np.int64) - 4


def social_worker_intervals(
    cin_child: np.ndarray,
    cin_start: np.ndarray,
    cin_end: np.ndarray,
    cla_child: np.ndarray,
    cla_start: np.ndarray,
    cla_end: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Merged intervals per child during which the child has an open CIN episode or care."""
    child = np.r_[cin_child, cla_child]
    start = np.r_[cin_start, cla_start]
    end = np.r_[cin_end, np.where(cla_end == NO_DATE, 10**7, cla_end)]
    order = np.lexsort((start, child))
    child, start, end = child[order], start[order], end[order]
    frame = pd.DataFrame({"child": child, "end": end})
    reach = frame.groupby("child")["end"].cummax().to_numpy()
    prev_reach = np.r_[-1, reach[:-1]]
    new = np.r_[True, child[1:] != child[:-1]] | (start > prev_reach)
    group = np.cumsum(new) - 1
    first = np.flatnonzero(new)
    last_end = np.maximum.reduceat(end, first) if first.size else end
    del group
    return child[first], start[first], last_end


def school_census(
    rng: np.random.Generator,
    population: Population,
    schools: Schools,
    calendar: Calendar,
    academic_year: int,
    day_rate_all: np.ndarray,
    day_rate_csw: np.ndarray,
    csw: tuple[np.ndarray, np.ndarray, np.ndarray],
    suspension_factor: np.ndarray,
    propensity: np.ndarray,
    la: str,
):
    """Yields (term, term start day, rows) for the three terms of an academic year."""
    ncy = year_group(population.dob, academic_year)
    on_roll = (ncy >= 0) & ((ncy <= 11) | ((ncy <= 13) & (propensity > 0.97)))
    kids = np.flatnonzero(on_roll)
    ncy_k = ncy[kids]
    school = np.where(ncy_k <= 6, schools.primary_of[kids], schools.secondary_of[kids])
    days = school_days(calendar)
    c_child, c_start, c_end = csw
    for term, lo, hi in terms(academic_year):
        in_term = days[(days >= lo) & (days <= hi)]
        if in_term.size == 0:
            continue
        possible = 2 * in_term.size
        open_ = (c_start <= hi) & (c_end >= lo)
        has_sw = np.zeros(len(population), bool)
        has_sw[c_child[open_]] = True
        sw = has_sw[kids]
        idx = in_term - calendar.first_day
        rate = np.where(sw, day_rate_csw[idx].mean(), day_rate_all[idx].mean())
        p = np.clip(propensity[kids] * np.where(sw, CSW_ATTENDANCE, BASE_ATTENDANCE), 0, 1) * rate
        attended = rng.binomial(possible, np.clip(p, 0, 1))
        absent = possible - attended
        unauth = rng.binomial(absent, np.where(sw, 0.35, 0.2))
        secondary = ncy_k >= 7
        susp_rate = np.where(secondary, 0.02, 0.003) * np.where(sw, 4.0, 1.0)
        susp_rate = susp_rate * suspension_factor[idx].mean()
        suspensions = rng.poisson(susp_rate)
        perm = rng.random(kids.size) < np.where(secondary, 0.0004, 0.00003) * np.where(sw, 5, 1)
        perm &= suspension_factor[idx].mean() > EXCLUSIONS_ABOVE
        n = kids.size
        ncy_text = np.where(ncy_k == 0, "R", ncy_k.astype(str)).astype(object)
        rows = {
            "LA_CODE": np.full(n, la, dtype=object),
            "ACADEMIC_YEAR": f"{academic_year}/{(academic_year + 1) % 100:02d}",
            "TERM": term,
            "TERM_START_DATE": iso(np.array([in_term[0]]))[0],
            "URN": schools.urn[school],
            "UPN": population.upn[kids],
            "PERSON_BIRTH_DATE": iso(population.dob[kids]),
            "SEX": population.sex[kids],
            "POSTCODE_DISTRICT": population.postcode_district[kids],
            "NCYEAR_ACTUAL": ncy_text,
            "SESSIONS_POSSIBLE": np.full(n, possible),
            "SESSIONS_ATTENDED": attended,
            "SESSIONS_AUTHORISED_ABSENCE": absent - unauth,
            "SESSIONS_UNAUTHORISED_ABSENCE": unauth,
            "SUSPENSIONS": suspensions,
            "PERMANENT_EXCLUSION": np.where(perm, "Y", "N").astype(object),
            "_day": np.full(n, in_term[0]),
            "_child": kids,
            "_sw": sw,
        }
        yield term, int(in_term[0]), rows


def daily_attendance(
    rng: np.random.Generator,
    population: Population,
    schools: Schools,
    calendar: Calendar,
    academic_year: int,
    first_day: int,
    last_day: int,
    day_rate_all: np.ndarray,
    day_rate_csw: np.ndarray,
    csw: tuple[np.ndarray, np.ndarray, np.ndarray],
    la: str,
):
    """Rows (one per school and school day) of one academic year, within [first, last]."""
    days = school_days(calendar)
    lo_y, hi_y = to_day(date(academic_year, 9, 1)), to_day(date(academic_year + 1, 8, 31))
    days = days[(days >= max(lo_y, first_day)) & (days <= min(hi_y, last_day))]
    n_schools = schools.urn.size
    if days.size == 0:
        return None
    ncy = year_group(population.dob, academic_year)
    on_roll = (ncy >= 0) & (ncy <= 11)
    school = np.where(ncy <= 6, schools.primary_of, schools.secondary_of)
    roll = np.bincount(school[on_roll], minlength=n_schools)
    # Children with a social worker on roll each day: +1 at the start, -1 after the end.
    c_child, c_start, c_end = csw
    mine = on_roll[c_child] & (c_start <= days[-1]) & (c_end >= days[0])
    s = school[c_child[mine]]
    a = np.searchsorted(days, c_start[mine], side="left")
    b = np.searchsorted(days, c_end[mine], side="right")
    diff = np.zeros((n_schools, days.size + 1), dtype=np.int64)
    np.add.at(diff, (s, a), 1)
    np.add.at(diff, (s, b), -1)
    csw_roll = np.cumsum(diff, axis=1)[:, :-1]
    # A child with two overlapping intervals (CIN and care) is counted once at most roughly.
    csw_roll = np.minimum(csw_roll, roll[:, None])
    idx = days - calendar.first_day
    rate_all = BASE_ATTENDANCE * day_rate_all[idx]
    rate_csw = CSW_ATTENDANCE * day_rate_csw[idx]
    csw_att = rng.binomial(csw_roll, np.clip(rate_csw, 0, 1)[None, :])
    other = rng.binomial(roll[:, None] - csw_roll, np.clip(rate_all, 0, 1)[None, :])
    n = n_schools * days.size
    return {
        "LA_CODE": np.full(n, la, dtype=object),
        "DATE": np.tile(iso(days), n_schools),
        "URN": np.repeat(schools.urn, days.size),
        "PHASE": np.repeat(schools.phase, days.size),
        "PUPILS_ON_ROLL": np.repeat(roll, days.size),
        "PUPILS_ATTENDING": (other + csw_att).ravel(),
        "CSW_ON_ROLL": csw_roll.ravel(),
        "CSW_ATTENDING": csw_att.ravel(),
        "_day": np.tile(days, n_schools),
    }


def exclusion_days(calendar: Calendar, academic_year: int, term: str) -> np.ndarray:
    """School days of a term on which an exclusion can start: inside the simulated term and
    the school census's own (spring ends before Easter Monday and summer starts on it), so
    a start date places the exclusion in the term it was counted in."""
    _, lo, hi = next(t for t in terms(academic_year) if t[0] == term)
    easter_monday = to_day(easter_sunday(academic_year + 1)) + 1
    if term == "spring":
        hi = min(hi, easter_monday - 1)
    elif term == "summer":
        lo = max(lo, easter_monday)
    days = school_days(calendar)
    return days[(days >= lo) & (days <= hi)]


def exclusion_starts(
    rng: np.random.Generator, rows: dict, days: np.ndarray, multiplier: np.ndarray
) -> dict[str, np.ndarray]:
    """Each exclusion of a term's rows: the row, its start day, category (SUSP or PERM),
    length in sessions (0 for a permanent exclusion) and reason. Suspensions start on the
    term's days (exclusion_days) in proportion to the scenario's suspension multiplier on
    each (few while schools were closed); a permanent exclusion on or after the pupil's
    last suspension of the term."""
    suspended = np.repeat(np.arange(len(rows["_child"])), rows["SUSPENSIONS"].astype(np.int64))
    weight = multiplier if multiplier.sum() > 0 else np.ones(days.size)
    start = rng.choice(days, size=suspended.size, p=weight / weight.sum())
    permanent = np.flatnonzero(rows["PERMANENT_EXCLUSION"] == "Y")
    latest = np.full(len(rows["_child"]), days[0])
    np.maximum.at(latest, suspended, start)
    after = np.searchsorted(days, latest[permanent])
    last_day = days[after + (rng.random(permanent.size) * (days.size - after)).astype(np.int64)]
    n_suspended = suspended.size
    return {
        "row": np.r_[suspended, permanent],
        "day": np.r_[start, last_day],
        "category": np.r_[np.full(n_suspended, "SUSP"), np.full(permanent.size, "PERM")],
        "sessions": np.r_[rng.integers(1, 11, n_suspended), np.zeros(permanent.size, int)],
        "reason": rng.choice(EXCLUSION_REASONS, n_suspended + permanent.size, p=REASON_WEIGHTS),
    }


def summer_second_half(
    rng: np.random.Generator, rows: dict, calendar: Calendar, academic_year: int
) -> dict[str, np.ndarray]:
    """The summer term's sessions after the May half-term (its school days from 1 June), as
    the autumn census reports them apart: each absence falls on any of the term's possible
    sessions alike, so both halves' absences are drawn without replacement from the term's."""
    _, _, last_day = terms(academic_year)[2]
    days = school_days(calendar)
    possible = rows["SESSIONS_POSSIBLE"].astype(np.int64)
    june = to_day(date(academic_year + 1, 6, 1))
    second = np.full(possible.size, 2 * int(((days >= june) & (days <= last_day)).sum()))
    unauthorised = rows["SESSIONS_UNAUTHORISED_ABSENCE"].astype(np.int64)
    absent = rows["SESSIONS_AUTHORISED_ABSENCE"].astype(np.int64) + unauthorised
    absent_second = rng.hypergeometric(second, possible - second, absent)
    unauthorised_second = rng.hypergeometric(unauthorised, absent - unauthorised, absent_second)
    return {
        "possible": second,
        "authorised": absent_second - unauthorised_second,
        "unauthorised": unauthorised_second,
    }
