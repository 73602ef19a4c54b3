"""SSDA903 returns: one CSV per table per collection year, with that year's DfE columns.

Column names and order, and the code lists values are checked against, come from the
SSDA903 schema files (synthetic.contracts.ssda903_schema). Dates are dd/mm/yyyy. A child
looked after across years appears in each year's return; an episode still open at
31 March has blank DEC and REC in that return.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from synthetic.calendar import NO_DATE, to_day
from synthetic.care_periods import CarePeriods
from synthetic.care_starts import ROUTE_STOCK, ROUTE_UASC, uasc_until
from synthetic.contracts import SSDA903_TABLES, ssda903_schema
from synthetic.looked_after import LookedAfter
from synthetic.population import DAYS_PER_YEAR, Population
from synthetic.reference import code_mix
from synthetic.writers.csv_out import dmy, write_csv

SSDA903_DIR = "ssda903"
_ADULT_REASONS = ("E17", "E5", "E6", "E7", "E8")


@dataclass(frozen=True)
class Ssda903Year:
    year: int
    tables: dict[str, dict[str, object]]  # table key -> column -> values


def ssda903_path(out_dir: Path, la_code: str, year: int, table: str) -> Path:
    name = SSDA903_TABLES[table]
    return out_dir / SSDA903_DIR / str(year) / f"ssda903_{la_code}_{year}_{name}.csv"


def build_year(
    rng: np.random.Generator,
    cla: LookedAfter,
    population: Population,
    year: int,
    upn_missing: np.ndarray,
) -> Ssda903Year:
    schema = ssda903_schema(year)
    lo = to_day(_date(year - 1, 4, 1))
    hi = to_day(_date(year, 3, 31))
    ep = cla.episodes
    sel = np.flatnonzero((ep.start <= hi) & ((ep.end == NO_DATE) | (ep.end >= lo)))
    closed = (ep.end[sel] != NO_DATE) & (ep.end[sel] <= hi)
    child_e = ep.child[sel]
    ids = population.la_child_id
    district = population.postcode_district
    pl_district = np.where(
        ep.pl_inside[sel], district[rng.integers(0, len(population), sel.size)], "QY9"
    )
    tables: dict[str, dict[str, object]] = {}
    tables["episodes"] = {
        "CHILD": ids[child_e],
        "DECOM": dmy(ep.start[sel]),
        "RNE": ep.rne[sel],
        "LS": ep.legal_status[sel],
        "CIN": ep.need[sel],
        "PLACE": year_codes(ep.place[sel], year, "PLACE"),
        "PLACE_PROVIDER": ep.provider[sel],
        "DEC": np.where(closed, dmy(ep.end[sel]), ""),
        "REC": np.where(closed, year_codes(ep.reason_ceased[sel], year, "REC"), ""),
        "REASON_PLACE_CHANGE": ep.reason_place_change[sel],
        "HOME_POST": _postcodes(rng, district[child_e]),
        "PL_POST": _postcodes(rng, pl_district),
        "URN": np.where(
            np.isin(ep.place[sel], ["K1", "K2", "S1"]),
            "SC" + np.char.zfill(rng.integers(0, 10**6, sel.size).astype(str), 6).astype(object),
            "XXXXXXX",
        ),
        "_day": ep.start[sel],
        "_start": ep.start[sel],
        "_episode": sel,  # each row's episode: the SSD's placements read its URN and PL_POST
    }
    children = np.unique(child_e)
    dob = population.dob[children]
    sex_codes = schema.codes("header", "SEX")
    male, female = ("1", "2") if "1" in sex_codes else ("M", "F")
    sex = np.where(population.sex[children] == "M", male, female).astype(object)
    age_end = (hi - dob) / DAYS_PER_YEAR
    upn = population.upn[children].copy()
    upn[age_end < 4.5] = "UN1"
    upn[upn_missing[children] & (age_end >= 4.5)] = "UN5"
    mother = np.where(
        (population.sex[children] == "F") & (age_end >= 13),
        np.where(rng.random(children.size) < 0.03, "1", "0"),
        "",
    ).astype(object)
    mc_dob = np.where(mother == "1", dmy(hi - rng.integers(30, 700, children.size)), "")
    tables["header"] = {
        "CHILD": ids[children],
        "SEX": sex,
        "DOB": dmy(dob),
        "ETHNIC": population.ethnicity[children],
        "UPN": upn,
        "MOTHER": mother,
        "MC_DOB": mc_dob,
    }

    def dob_col(kids: np.ndarray) -> np.ndarray:
        return dmy(population.dob[kids])

    r = np.flatnonzero((cla.review_day >= lo) & (cla.review_day <= hi))
    tables["reviews"] = {
        "CHILD": ids[cla.review_child[r]],
        "DOB": dob_col(cla.review_child[r]),
        "REVIEW": dmy(cla.review_day[r]),
        "REVIEW_CODE": cla.review_code[r],
    }
    m = np.flatnonzero((cla.missing_start >= lo) & (cla.missing_start <= hi))
    tables["missing"] = {
        "CHILD": ids[cla.missing_child[m]],
        "DOB": dob_col(cla.missing_child[m]),
        "MISSING": cla.missing_kind[m],
        "MIS_START": dmy(cla.missing_start[m]),
        "MIS_END": np.where(cla.missing_end[m] <= hi, dmy(cla.missing_end[m]), ""),
        "_day": cla.missing_start[m],
        "_start": cla.missing_start[m],
    }
    per = cla.periods
    in_year = (per.start <= hi) & ((per.end == NO_DATE) | (per.end >= lo))
    u = np.flatnonzero(in_year & (per.route == ROUTE_UASC))
    uk = per.child[u]
    duc = uasc_until(population.dob[uk])
    tables["uasc"] = {
        "CHILD": ids[uk],
        "DOB": dob_col(uk),
        "SEX": np.where(population.sex[uk] == "M", male, female),
        "DUC": dmy(duc),
    }
    started = np.flatnonzero((per.start >= lo) & (per.start <= hi) & (per.route != ROUTE_STOCK))
    pk = per.child[started]
    prev = code_mix("cla_prev_perm").draw(rng, pk.size).astype(object)
    has_prev = np.isin(prev, ["P1", "P2", "P3"])
    tables["prevperm"] = {
        "CHILD": ids[pk],
        "DOB": dob_col(pk),
        "PREV_PERM": prev,
        "LA_PERM": np.where(has_prev, "938", ""),
        "DATE_PERM": np.where(
            has_prev, dmy(per.start[started] - rng.integers(400, 2000, pk.size)), ""
        ),
    }
    adopted = np.flatnonzero(per.adopted & (per.end >= lo) & (per.end <= hi))
    ak = per.child[adopted]
    tables["ad1"] = {
        "CHILD": ids[ak],
        "DOB": dob_col(ak),
        "DATE_INT": dmy(per.placement_order[adopted] - rng.integers(30, 200, ak.size)),
        "DATE_MATCH": dmy(per.placement_order[adopted] + rng.integers(20, 120, ak.size)),
        "FOSTER_CARE": np.where(rng.random(ak.size) < 0.15, "1", "0"),
        "NB_ADOPTR": np.where(rng.random(ak.size) < 0.8, "2", "1"),
        "SEX_ADOPTR": np.array(["MF", "MF", "MF", "FF", "MM", "F1"], dtype=object)[
            rng.integers(0, 6, ak.size)
        ],
        "LS_ADOPTR": np.array(["L0", "L11", "L12", "L2", "L3", "L4"], dtype=object)[
            rng.integers(0, 6, ak.size)
        ],
    }
    po = np.flatnonzero((per.placement_order != NO_DATE) & (per.placement_order <= hi) & in_year)
    po_ceased = per.adopted[po] & (per.end[po] <= hi)
    tables["placedadoption"] = {
        "CHILD": ids[per.child[po]],
        "DOB": dob_col(per.child[po]),
        "DATE_PLACED": dmy(per.placement_order[po]),
        "DATE_PLACED_CEASED": np.where(po_ceased, dmy(per.end[po]), ""),
        "REASON_PLACED_CEASED": np.where(po_ceased, "RD1", ""),
    }
    tables["oc2"] = _oc2(rng, per, population, hi, ids)
    tables["oc3"] = _oc3(rng, per, population, lo, hi, ids)
    if "socialworker" in schema.tables:
        sw = np.flatnonzero(in_year)
        tables["socialworker"] = {
            "CHILD": ids[per.child[sw]],
            "DOB": dob_col(per.child[sw]),
            "SW_ID": "SW"
            + np.char.zfill(rng.integers(0, 400, sw.size).astype(str), 5).astype(object),
            "SW_DECOM": dmy(np.maximum(per.start[sw], lo)),
            "SW_DEC": "",
            "SW_REASON": "",
        }
    return Ssda903Year(year, tables)


def year_codes(values: np.ndarray, year: int, column: str) -> np.ndarray:
    """An Episodes column (PLACE, REC) as the return of `year` writes it: a code its schema
    lacks by its fallback (the SSD's episodes and placements take the same codes)."""
    mix = {"PLACE": "cla_place_teen", "REC": "cla_ceased_medium"}[column]
    return _valid(values, ssda903_schema(year).codes("episodes", column), mix)


def _oc2(
    rng: np.random.Generator, per: CarePeriods, population: Population, hi: int, ids: np.ndarray
) -> dict[str, object]:
    sel = np.flatnonzero((per.start <= hi - 365) & ((per.end == NO_DATE) | (per.end > hi)))
    kids = per.child[sel]
    n = kids.size
    age = (hi - population.dob[kids]) / DAYS_PER_YEAR
    sdq_age = (age >= 4) & (age < 17)
    score = np.clip(np.round(rng.normal(14, 6, n)), 0, 40).astype(int).astype(str).astype(object)
    has_score = sdq_age & (rng.random(n) < 0.8)
    flag = lambda p: np.where(rng.random(n) < p, "1", "0").astype(object)  # noqa: E731
    misuse = flag(0.04)
    return {
        "CHILD": ids[kids],
        "DOB": dmy(population.dob[kids]),
        "SDQ_SCORE": np.where(has_score, score, ""),
        "SDQ_REASON": np.where(has_score, "", np.where(sdq_age, "SDQ1", "")),
        "CONVICTED": np.where(age >= 10, flag(0.03), ""),
        "HEALTH_CHECK": flag(0.9),
        "IMMUNISATIONS": flag(0.86),
        "TEETH_CHECK": flag(0.85),
        "HEALTH_ASSESSMENT": flag(0.9),
        "SUBSTANCE_MISUSE": misuse,
        "INTERVENTION_RECEIVED": np.where(misuse == "1", flag(0.6), ""),
        "INTERVENTION_OFFERED": np.where(misuse == "1", flag(0.8), ""),
    }


def _oc3(
    rng: np.random.Generator,
    per: CarePeriods,
    population: Population,
    lo: int,
    hi: int,
    ids: np.ndarray,
) -> dict[str, object]:
    left_adult = (per.end != NO_DATE) & np.isin(per.reason, _ADULT_REASONS)
    kids = per.child[left_adult]
    dob = population.dob[kids]
    keep = np.zeros(kids.size, bool)
    for age in (19, 20, 21):
        birthday = dob + np.round(age * DAYS_PER_YEAR).astype(np.int64)
        keep |= (birthday >= lo) & (birthday <= hi)
    kids = kids[keep]
    n = kids.size
    return {
        "CHILD": ids[kids],
        "DOB": dmy(population.dob[kids]),
        "IN_TOUCH": np.where(rng.random(n) < 0.9, "YES", "NO"),
        "ACTIV": np.array(["F1", "P1", "F2", "G4", "G5", "G6"], dtype=object)[
            rng.integers(0, 6, n)
        ],
        "ACCOM": np.array(["B1", "C1", "D1", "E1", "S1", "T1", "U1"], dtype=object)[
            rng.integers(0, 7, n)
        ],
    }


def _valid(values: np.ndarray, allowed: tuple[str, ...], mix_field: str) -> np.ndarray:
    """Replace codes the year's schema lacks by their fallback (E45 -> E43 before 2019)."""
    out = values.astype(object).copy()
    if not allowed:
        return out
    fallback = code_mix(mix_field).fallback
    bad = ~np.isin(out, allowed) & (out != "")
    out[bad] = [fallback.get(v, v) for v in out[bad]]
    return out


def _postcodes(rng: np.random.Generator, district: np.ndarray) -> np.ndarray:
    n = district.size
    letters = np.array(list("ABDEFGHJLNPQRSTUWXYZ"), dtype=object)
    return (
        district.astype(object)
        + " "
        + rng.integers(1, 10, n).astype(str).astype(object)
        + letters[rng.integers(0, 20, n)]
        + letters[rng.integers(0, 20, n)]
    )


def write_year(out_dir: Path, la_code: str, data: Ssda903Year) -> list[tuple[Path, int]]:
    schema = ssda903_schema(data.year)
    written = []
    for table in SSDA903_TABLES:
        if table not in schema.tables or table not in data.tables:
            continue
        path = ssda903_path(out_dir, la_code, data.year, table)
        rows = write_csv(path, schema.columns(table), data.tables[table])
        written.append((path, rows))
    return written


def _date(y: int, m: int, d: int) -> date:
    return date(y, m, d)
