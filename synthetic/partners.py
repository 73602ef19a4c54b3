"""Health and police events of the same children: A&E, admissions, CAMHS, police incidents.

Each kind of event is a Poisson process per child, sampled by thinning like referrals:
rate by single year of age x the child's own propensity x month-of-year seasonality x
the scenario's monthly multiplier for that source and measure. Each builder returns the
rows as columns keyed by the contract's column names, plus "_day" (the event day) for the
writers and the truth files.
"""

from __future__ import annotations

import numpy as np

from synthetic.calendar import Calendar
from synthetic.contracts import contract
from synthetic.looked_after import LookedAfter
from synthetic.names import police_names
from synthetic.population import DAYS_PER_YEAR, Population
from synthetic.reference import code_mix
from synthetic.writers.csv_out import hhmm, iso, timestamps

Rows = dict[str, np.ndarray]

# Month-of-year shape (Jan..Dec) of A&E attendances of children: winter respiratory peak,
# summer injuries, August and December a little lower.
_AE_SEASON = np.array([1.05, 1.02, 1.02, 0.98, 1.05, 1.05, 1.02, 0.90, 0.98, 1.02, 1.02, 0.92])
# Kinds of hospital spell and police incident: (kind, events per child-year by age range,
# power of family risk in the propensity; police rows carry a fourth value, unused). Module
# constants so the answer key (synthetic/effects_sources.py) weights each kind by its
# expected count. Every spell gets an emergency admission method.
ADMISSION_KINDS = (
    ("emergency", {(0, 0): 0.20, (1, 4): 0.08, (5, 9): 0.04, (10, 17): 0.045}, 0.1),
    ("self_harm", {(10, 11): 0.0008, (12, 14): 0.004, (15, 17): 0.006}, 0.8),
    ("alcohol", {(12, 14): 0.0004, (15, 17): 0.0012}, 0.8),
)
POLICE_KINDS = (
    ("domestic_abuse", {(0, 17): 0.035}, 1.3, 0.7),
    ("antisocial_behaviour", {(10, 12): 0.01, (13, 17): 0.03}, 0.8, 1.0),
    ("missing_child", {(10, 12): 0.002, (13, 17): 0.008}, 1.2, 1.0),
    ("child_protection", {(0, 17): 0.006}, 1.2, 1.0),
    ("violence", {(8, 17): 0.008}, 1.0, 1.0),
    ("exploitation", {(12, 17): 0.002}, 1.5, 1.0),
    ("other", {(5, 17): 0.01}, 0.5, 1.0),
)
# Share of looked-after children's "M" missing episodes that become police reports.
CLA_MISSING_REPORTED = 0.8


def draw_events(
    rng: np.random.Generator,
    population: Population,
    calendar: Calendar,
    rate_by_age: np.ndarray,  # events per child-year at ages 0..17
    propensity: np.ndarray,  # per child, mean about 1
    day_factor: np.ndarray,  # per calendar day (seasonality x scenario)
    first_day: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Children and days of events between first_day and the calendar's end, ages 0-17."""
    last_day = calendar.last_day
    lo = np.maximum(population.dob, first_day)
    hi = np.minimum(population.dob + round(18 * DAYS_PER_YEAR) - 1, last_day)
    span = np.maximum(hi - lo + 1, 0)
    bound = float(rate_by_age.max() * day_factor.max()) / DAYS_PER_YEAR
    counts = rng.poisson(bound * propensity * span)
    child = np.repeat(np.arange(len(population)), counts)
    day = lo[child] + (rng.random(child.size) * span[child]).astype(np.int64)
    age = ((day - population.dob[child]) / DAYS_PER_YEAR).astype(np.int64).clip(0, 17)
    accept = rate_by_age[age] * day_factor[day - calendar.first_day] / DAYS_PER_YEAR / bound
    keep = rng.random(child.size) < accept
    child, day = child[keep], day[keep]
    order = np.lexsort((child, day))
    return child[order], day[order]


def age_rates(rates: dict[tuple[int, int], float]) -> np.ndarray:
    out = np.zeros(18)
    for (lo, hi), value in rates.items():
        out[lo : hi + 1] = value
    return out


def _season(calendar: Calendar, shape: np.ndarray) -> np.ndarray:
    return shape[calendar.month % 12]


def _sex_code(sex: np.ndarray) -> np.ndarray:
    return np.where(sex == "M", "1", "2").astype(object)


def _age(day: np.ndarray, dob: np.ndarray) -> np.ndarray:
    return ((day - dob) / DAYS_PER_YEAR).astype(np.int64)


def _propensity(rng: np.random.Generator, population: Population, shape: float, risk_power: float):
    frailty = rng.gamma(shape, 1 / shape, len(population))
    return frailty * population.risk**risk_power / np.mean(population.risk**risk_power)


def _ids(prefix: str, rng: np.random.Generator, n: int) -> np.ndarray:
    numbers = rng.permutation(n) + 10_000_000
    return np.char.add(prefix, numbers.astype(str)).astype(object)


def ae_attendances(
    rng: np.random.Generator,
    population: Population,
    calendar: Calendar,
    shock: np.ndarray,
    first_day: int,
    la: str,
) -> Rows:
    rates = age_rates({(0, 0): 0.80, (1, 4): 0.45, (5, 9): 0.25, (10, 14): 0.30, (15, 17): 0.42})
    prop = _propensity(rng, population, 1.2, 0.3)
    child, day = draw_events(
        rng, population, calendar, rates, prop, _season(calendar, _AE_SEASON) * shock, first_day
    )
    n = child.size
    age = _age(day, population.dob[child])
    teen = age >= 11
    complaint = np.where(
        teen,
        code_mix("ae_complaint_teen").draw(rng, n),
        code_mix("ae_complaint_child").draw(rng, n),
    ).astype(object)
    # Arrival time: busiest late afternoon and evening.
    minute = np.clip(rng.normal(17 * 60, 260, n), 0, 1439).astype(np.int64)
    safeguarding = rng.random(n) < np.where(
        np.isin(complaint, ["self_harm", "mental_health", "alcohol_drugs"]), 0.45, 0.04
    )
    lag = minute + 60 + rng.exponential(240, n).astype(np.int64)
    return {
        "LA_CODE": np.full(n, la, dtype=object),
        "SITE_CODE": np.array(["RQX01", "RQX02", "RQY01"], dtype=object)[rng.integers(0, 3, n)],
        "ATTENDANCE_ID": _ids("AE", rng, n),
        "NHS_NUMBER": population.nhs_number[child],
        "PERSON_BIRTH_DATE": iso(population.dob[child]),
        "AGE_AT_ARRIVAL": age,
        "SEX": _sex_code(population.sex[child]),
        "POSTCODE_DISTRICT": population.postcode_district[child],
        "ARRIVAL_DATE": iso(day),
        "ARRIVAL_TIME": hhmm(minute),
        "ATTENDANCE_SOURCE": code_mix("ae_source").draw(rng, n),
        "CHIEF_COMPLAINT": complaint,
        "SAFEGUARDING_CONCERN": np.where(safeguarding, "Y", "N").astype(object),
        "RECORDED_AT": timestamps(day, lag),
        "_day": day,
        "_child": child,
        "_lag_minutes": lag,
    }


def hospital_admissions(
    rng: np.random.Generator,
    population: Population,
    calendar: Calendar,
    shocks: dict[str, np.ndarray],
    first_day: int,
    la: str,
) -> Rows:
    parts = []
    for kind, ages, risk_power in ADMISSION_KINDS:
        prop = _propensity(rng, population, 1.0, risk_power)
        if kind == "self_harm":
            prop = prop * np.where(population.sex == "F", 1.5, 0.5)
        child, day = draw_events(
            rng, population, calendar, age_rates(ages), prop, shocks[kind], first_day
        )
        n = child.size
        if kind == "emergency":
            diag = code_mix("admission_diagnosis").draw(rng, n).astype(object)
            cause = np.full(n, "", dtype=object)
        elif kind == "self_harm":
            diag = code_mix("self_harm_diagnosis").draw(rng, n).astype(object)
            cause = code_mix("self_harm_cause").draw(rng, n).astype(object)
        else:
            diag = code_mix("alcohol_diagnosis").draw(rng, n).astype(object)
            cause = np.where(np.char.startswith(diag.astype(str), "T51"), "X450", "").astype(object)
        parts.append((child, day, diag, cause))
    child, day, diag, cause = (np.concatenate(p) for p in zip(*parts, strict=True))
    order = np.lexsort((child, day))
    child, day, diag, cause = child[order], day[order], diag[order], cause[order]
    n = child.size
    method = np.array(["21", "21", "21", "22", "2A", "28"], dtype=object)[rng.integers(0, 6, n)]
    stay = rng.geometric(0.45, n) - 1
    lag_days = 5 + rng.integers(0, 25, n)
    return {
        "LA_CODE": np.full(n, la, dtype=object),
        "PROVIDER_CODE": np.where(rng.random(n) < 0.8, "RQX", "RQY").astype(object),
        "SPELL_ID": _ids("SP", rng, n),
        "NHS_NUMBER": population.nhs_number[child],
        "PERSON_BIRTH_DATE": iso(population.dob[child]),
        "AGE_ON_ADMISSION": _age(day, population.dob[child]),
        "SEX": _sex_code(population.sex[child]),
        "POSTCODE_DISTRICT": population.postcode_district[child],
        "ADMISSION_DATE": iso(day),
        "ADMISSION_METHOD": method,
        "PRIMARY_DIAGNOSIS": diag,
        "EXTERNAL_CAUSE": cause,
        "DISCHARGE_DATE": iso(day + stay),
        "RECORDED_AT": timestamps(day + lag_days, rng.integers(8 * 60, 18 * 60, n)),
        "_day": day,
        "_child": child,
        "_lag_minutes": lag_days * 1440,
    }


def camhs_referrals(
    rng: np.random.Generator,
    population: Population,
    calendar: Calendar,
    shock: np.ndarray,
    first_day: int,
    la: str,
) -> Rows:
    rates = age_rates({(4, 9): 0.012, (10, 12): 0.03, (13, 17): 0.05})
    prop = _propensity(rng, population, 0.8, 0.5)
    child, day = draw_events(rng, population, calendar, rates, prop, shock, first_day)
    n = child.size
    lag = rng.integers(0, 8, n)
    return {
        "LA_CODE": np.full(n, la, dtype=object),
        "PROVIDER_CODE": np.full(n, "RQZ", dtype=object),
        "REFERRAL_ID": _ids("CM", rng, n),
        "NHS_NUMBER": population.nhs_number[child],
        "PERSON_BIRTH_DATE": iso(population.dob[child]),
        "AGE_AT_REFERRAL": _age(day, population.dob[child]),
        "SEX": _sex_code(population.sex[child]),
        "POSTCODE_DISTRICT": population.postcode_district[child],
        "REFERRAL_DATE": iso(day),
        "SOURCE_OF_REFERRAL": code_mix("camhs_source").draw(rng, n),
        "REFERRAL_ACCEPTED": np.where(rng.random(n) < 0.7, "Y", "N").astype(object),
        "RECORDED_AT": timestamps(day + lag, rng.integers(8 * 60, 18 * 60, n)),
        "_day": day,
        "_child": child,
        "_lag_minutes": lag * 1440,
    }


def police_incidents(
    rng: np.random.Generator,
    population: Population,
    calendar: Calendar,
    shocks: dict[str, np.ndarray],
    first_day: int,
    la: str,
    cla: LookedAfter,
) -> Rows:
    allowed = contract("police_incidents").allowed("INCIDENT_TYPE")
    parts = []
    for kind, ages, risk_power, _ in POLICE_KINDS:
        assert kind in allowed, kind
        prop = _propensity(rng, population, 0.7, risk_power)
        child, day = draw_events(
            rng, population, calendar, age_rates(ages), prop, shocks[kind], first_day
        )
        parts.append((child, day, np.full(child.size, kind, dtype=object)))
    # Children in care who go missing are reported to the police most of the time.
    report = (cla.missing_kind == "M") & (rng.random(cla.missing_kind.size) < CLA_MISSING_REPORTED)
    report &= (cla.missing_start >= first_day) & (cla.missing_start <= calendar.last_day)
    parts.append(
        (
            cla.missing_child[report],
            cla.missing_start[report],
            np.full(int(report.sum()), "missing_child", dtype=object),
        )
    )
    child, day, kind = (np.concatenate(p) for p in zip(*parts, strict=True))
    order = np.lexsort((child, day))
    child, day, kind = child[order], day[order], kind[order]
    n = child.size
    da = kind == "domestic_abuse"
    present = np.where(da, 1 + rng.poisson(0.7, n), np.where(kind == "missing_child", 0, 1))
    notified = np.where(
        da,
        rng.random(n) < 0.78,
        np.where(kind == "missing_child", rng.random(n) < 0.6, rng.random(n) < 0.3),
    )
    # Some incidents record children present without identifying any of them.
    anonymous = rng.random(n) < np.where(da, 0.08, 0.02)
    fore, sur = police_names(
        rng, population.forename[child], population.surname[child], 0.12, 0.04, 0.15
    )
    dob = iso(population.dob[child])
    no_dob = rng.random(n) < 0.06
    dob[no_dob] = ""
    postcode = (
        population.postcode_district[child].astype(object)
        + " "
        + rng.integers(1, 10, n).astype(str).astype(object)
        + np.array(list("ABDEFGHJLNPQRSTUWXYZ"), dtype=object)[rng.integers(0, 20, (n,))]
        + np.array(list("ABDEFGHJLNPQRSTUWXYZ"), dtype=object)[rng.integers(0, 20, (n,))]
    )
    postcode[rng.random(n) < 0.2] = ""
    for values in (fore, sur, dob, postcode):
        values[anonymous] = ""
    lag = rng.exponential(1.5 * 1440, n).astype(np.int64) + rng.integers(0, 1440, n)
    return {
        "FORCE_CODE": np.full(n, "99", dtype=object),
        "LA_CODE": np.full(n, la, dtype=object),
        "INCIDENT_REF": _ids("INC", rng, n),
        "INCIDENT_DATE": iso(day),
        "INCIDENT_TYPE": kind,
        "CHILDREN_PRESENT": present,
        "NOTIFIED_TO_CSC": np.where(notified, "Y", "N").astype(object),
        "CHILD_FORENAME": fore,
        "CHILD_SURNAME": sur,
        "CHILD_DOB": dob,
        "CHILD_POSTCODE": postcode,
        "RECORDED_AT": timestamps(day, lag),
        "_day": day,
        "_child": np.where(anonymous, -1, child),
        "_lag_minutes": lag,
    }
