"""Police incidents involving the same children, and the missing reports of children in care.

Each incident type is a Poisson process per child (synthetic/partners.py's draw_events);
police rows identify the child by name, date of birth and postcode, as forces record
them: variant and mistyped names, blanks, and some incidents with no child identified.
"""

from __future__ import annotations

import numpy as np

from synthetic.contracts import contract
from synthetic.looked_after import LookedAfter
from synthetic.names import police_names
from synthetic.partners import Authority, Rows, age_rates, draw_events, event_ids, propensity
from synthetic.writers.csv_out import iso, timestamps

# Incident types: (type, incidents per child-year by age range, power of family risk in
# the propensity, a fourth value, unused). A module constant so the answer key
# (synthetic/effects_sources.py) weights each type by its expected count.
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


def police_incidents(
    rng: np.random.Generator,
    authority: Authority,
    shocks: dict[str, np.ndarray],
    cla: LookedAfter,
) -> Rows:
    population = authority.population
    allowed = contract("police_incidents").allowed("INCIDENT_TYPE")
    parts = []
    for kind, ages, risk_power, _ in POLICE_KINDS:
        assert kind in allowed, kind
        prop = propensity(rng, population, 0.7, risk_power)
        child, day = draw_events(rng, authority, age_rates(ages), prop, shocks[kind])
        parts.append((child, day, np.full(child.size, kind, dtype=object)))
    # Children in care who go missing are reported to the police most of the time.
    report = (cla.missing_kind == "M") & (rng.random(cla.missing_kind.size) < CLA_MISSING_REPORTED)
    first_day, last_day = authority.period.start_day, authority.calendar.last_day
    report &= (cla.missing_start >= first_day) & (cla.missing_start <= last_day)
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
        "LA_CODE": np.full(n, authority.la, dtype=object),
        "INCIDENT_REF": event_ids("INC", rng, n),
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
