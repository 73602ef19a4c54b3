"""Writes the partner sources beyond the CIN census for one authority.

SSDA903 (per collection year), A&E, admissions, CAMHS, police (one CSV a month), school
census (one CSV a term, or from the scenario's school_census_export_from as schools export
it: a folder of tables a census), daily school attendance (one CSV a month) and population
(one CSV). Each source has its own random stream (generate._STREAMS). Defects from the scenario
are applied to the rows before writing; the truth files record what was done.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from synthetic import education, partners, school_census_exports, ssda903_dolo
from synthetic.calendar import NO_DATE, Calendar, month_index, to_day
from synthetic.calibration import LookedAfterRates
from synthetic.care_starts import ROUTE_STOCK
from synthetic.contracts import contract
from synthetic.defects import Defect, apply_row_defect
from synthetic.journeys import Episodes
from synthetic.looked_after import LookedAfter, simulate_looked_after
from synthetic.period import Period
from synthetic.population import DAYS_PER_YEAR, Population
from synthetic.scenario import Scenario
from synthetic.writers import ssda903
from synthetic.writers.csv_out import iso, write_csv

MONTHLY_SOURCES = ("ae_attendances", "hospital_admissions", "camhs_referrals", "police_incidents")


@dataclass
class SourceOutput:
    written: list[tuple[Path, int, str]] = field(default_factory=list)
    defects: list[dict] = field(default_factory=list)
    monthly: dict[str, list[list[object]]] = field(default_factory=dict)
    looked_after: LookedAfter | None = None


def write_partner_sources(
    out_dir: Path,
    rng_for: Callable[[str], np.random.Generator],
    period: Period,
    calendar: Calendar,
    la: str,
    population: Population,
    cin: Episodes,
    scenario: Scenario,
    children: int,
    defects: list[Defect],
    cla_rates: LookedAfterRates,
    cla_targets: dict[int, float] | None = None,
) -> SourceOutput:
    out = SourceOutput()
    first, last = calendar.first_day, calendar.last_day

    def shock(key: str) -> np.ndarray:
        return scenario.measure_by_day(key, first, last)

    mine = {d.source: [] for d in defects}
    for d in defects:
        mine[d.source].append(d)

    # Children looked after.
    cla = simulate_looked_after(
        rng_for("ssda903"),
        cin,
        population,
        calendar,
        period,
        cla_rates,
        shock("ssda903.starts"),
        children,
        cla_targets,
    )
    out.looked_after = cla
    rng = rng_for("ssda903")
    upn_missing = rng.random(len(population)) < 0.03
    defect_rng = rng_for("defects")
    for year in period.collection_years():
        data = ssda903.build_year(rng, cla, population, year, upn_missing)
        for d in mine.get("ssda903", []):
            table = data.tables.get(d.table)
            if table is None or not _overlaps_year(d, year):
                continue
            if d.table == "header":
                table["_day"] = np.full(len(table["CHILD"]), to_day(date(year - 1, 4, 1)))
            changed = apply_row_defect(defect_rng, d, table)
            out.defects.append(_defect_row(d, la, changed, f"ssda903/{year}"))
        for path, rows in ssda903.write_year(out_dir, la, data):
            out.written.append((path, rows, f"SSDA903 {year} {path.stem.rsplit('_', 1)[-1]}"))
    # Deprivation of liberty orders (2026-27 return on): own stream, nothing before then.
    dolo = ssda903_dolo.write_orders(out_dir, rng_for, la, cla, population, period)
    out.written += dolo.written
    periods = cla.periods
    started = periods.route != ROUTE_STOCK
    out.monthly["ssda903"] = (
        _month_rows(la, period, "starts", periods.start[started])
        + _month_rows(la, period, "ceased", periods.end[periods.end != NO_DATE])
        + _month_rows(la, period, "missing_episodes", cla.missing_start)
    )
    if dolo.written:
        out.monthly["ssda903"] += _month_rows(la, period, "dolo_starts", dolo.starts)

    # Health and police: one file per month.
    start_day = period.start_day
    rows_by_source = {
        "ae_attendances": partners.ae_attendances(
            rng_for("ae_attendances"),
            population,
            calendar,
            shock("ae_attendances.attendances"),
            start_day,
            la,
        ),
        "hospital_admissions": partners.hospital_admissions(
            rng_for("hospital_admissions"),
            population,
            calendar,
            {k: shock(f"hospital_admissions.{k}") for k in ("emergency", "self_harm", "alcohol")},
            start_day,
            la,
        ),
        "camhs_referrals": partners.camhs_referrals(
            rng_for("camhs_referrals"),
            population,
            calendar,
            shock("camhs_referrals.referrals"),
            start_day,
            la,
        ),
        "police_incidents": partners.police_incidents(
            rng_for("police_incidents"),
            population,
            calendar,
            {
                k: shock(f"police_incidents.{k}")
                for k in contract("police_incidents").allowed("INCIDENT_TYPE")
            },
            start_day,
            la,
            cla,
        ),
    }
    rows_by_source["hospital_admissions"]["_start"] = rows_by_source["hospital_admissions"]["_day"]
    for source, rows in rows_by_source.items():
        out.monthly[source] = _monthly_truth(source, la, period, rows)
        for d in mine.get(source, []):
            if d.kind in ("missing_field", "recording_lag", "invalid_code", "date_order"):
                changed = apply_row_defect(defect_rng, d, rows)
                out.defects.append(_defect_row(d, la, changed, source))
        _write_monthly(out_dir, source, la, period, rows, mine.get(source, []), out, defect_rng)
        del rows

    _write_education(
        out_dir, rng_for, period, calendar, la, population, cin, cla, shock, mine, out, defect_rng,
        scenario.school_census_export_from,
    )  # fmt: skip
    _write_population(out_dir, period, la, population, out)
    return out


def _overlaps_year(d: Defect, year: int) -> bool:
    lo, hi = to_day(date(year - 1, 4, 1)), to_day(date(year, 3, 31))
    return d.first_day <= hi and d.last_day >= lo


def _defect_row(d: Defect, la: str, changed: int, where: str) -> dict:
    return {
        "defect_id": d.defect_id,
        "la_code": la,
        "source": d.source,
        "table": d.table or d.source,
        "field": d.field,
        "first_month": d.first_month,
        "last_month": d.last_month,
        "kind": d.kind,
        "size": d.size,
        "rows_affected": changed,
        "location": where,
        "description": d.description,
    }


def _month_label(month: int) -> str:
    return f"{month // 12:04d}-{month % 12 + 1:02d}"


def _month_rows(la: str, period: Period, measure: str, days: np.ndarray) -> list[list[object]]:
    first = period.start.year * 12 + period.start.month - 1
    n = len(period.months())
    days = np.asarray(days)
    inside = days[(days >= period.start_day) & (days <= period.end_day)]
    counts = np.bincount(month_index(inside) - first, minlength=n) if inside.size else np.zeros(n)
    return [[la, _month_label(first + k), measure, int(c)] for k, c in enumerate(counts)]


def _monthly_truth(source: str, la: str, period: Period, rows: dict) -> list[list[object]]:
    day = rows["_day"]
    out = _month_rows(la, period, "rows", day)
    if source == "police_incidents":
        for kind in contract(source).allowed("INCIDENT_TYPE"):
            out += _month_rows(la, period, kind, day[rows["INCIDENT_TYPE"] == kind])
    if source == "hospital_admissions":
        diag = rows["PRIMARY_DIAGNOSIS"].astype(str)
        alcohol = np.char.startswith(diag, "F10") | np.char.startswith(diag, "T51")
        self_harm = np.char.startswith(rows["EXTERNAL_CAUSE"].astype(str), "X6") | (
            np.char.startswith(rows["EXTERNAL_CAUSE"].astype(str), "X7")
            | np.char.startswith(rows["EXTERNAL_CAUSE"].astype(str), "X8")
        )
        out += _month_rows(la, period, "alcohol_related", day[alcohol])
        out += _month_rows(la, period, "self_harm", day[self_harm])
    return out


def _write_monthly(
    out_dir: Path,
    source: str,
    la: str,
    period: Period,
    rows: dict,
    defects: list[Defect],
    out: SourceOutput,
    rng: np.random.Generator,
) -> None:
    columns = contract(source).columns
    month = month_index(rows["_day"])
    bounds = np.searchsorted(month, np.arange(month.min(), month.max() + 2)) if month.size else []
    first_month = int(month.min()) if month.size else 0
    gaps = {d.defect_id: d for d in defects if d.kind == "gap_month"}
    dupes = [d for d in defects if d.kind == "duplicate_delivery"]
    for k in range(len(bounds) - 1):
        m = first_month + k
        label = _month_label(m)
        lo, hi = bounds[k], bounds[k + 1]
        day0 = to_day(date(m // 12, m % 12 + 1, 1))
        if day0 < period.start_day or day0 > period.end_day:
            continue
        gap = [d for d in gaps.values() if d.first_day <= day0 <= d.last_day]
        if gap:
            for d in gap:
                out.defects.append(_defect_row(d, la, int(hi - lo), f"{source}/{label}"))
            continue
        part = {c: _slice(rows[c], lo, hi) for c in columns}
        path = out_dir / source / f"{source}_{la}_{label}.csv"
        out.written.append((path, write_csv(path, columns, part), f"{source} {label}"))
        for d in dupes:
            if d.first_day <= day0 <= d.last_day:
                n = hi - lo
                extra = np.sort(rng.choice(n, size=int(round(n * d.size)), replace=False))
                index = np.sort(np.r_[np.arange(n), extra])
                dup = {c: _take(part[c], index) for c in columns}
                dpath = out_dir / source / f"{source}_{la}_{label}_redelivery.csv"
                out.written.append(
                    (dpath, write_csv(dpath, columns, dup), f"{source} {label} re-delivered")
                )
                out.defects.append(
                    _defect_row(d, la, int(extra.size), dpath.relative_to(out_dir).as_posix())
                )


def _slice(values: object, lo: int, hi: int) -> object:
    return values[lo:hi] if isinstance(values, np.ndarray) else values


def _take(values: object, index: np.ndarray) -> object:
    return values[index] if isinstance(values, np.ndarray) else values


def _write_education(
    out_dir: Path,
    rng_for: Callable[[str], np.random.Generator],
    period: Period,
    calendar: Calendar,
    la: str,
    population: Population,
    cin: Episodes,
    cla: LookedAfter,
    shock: Callable[[str], np.ndarray],
    mine: dict[str, list[Defect]],
    out: SourceOutput,
    defect_rng: np.random.Generator,
    export_from: int | None,
) -> None:
    rng = rng_for("education")
    schools = education.build_schools(rng, population, la)
    propensity = np.clip(1 + 0.03 * rng.standard_normal(len(population)), 0.6, 1.04)
    propensity = np.where(rng.random(len(population)) < 0.1, propensity * 0.85, propensity)
    cin_open = cin.referral <= calendar.last_day
    csw = education.social_worker_intervals(
        cin.child[cin_open],
        cin.referral[cin_open],
        cin.closure[cin_open],
        cla.periods.child,
        cla.periods.start,
        cla.periods.end,
    )
    rate_all = shock("school_attendance.pupils")
    rate_csw = shock("school_attendance.csw")
    suspension = shock("school_census.suspensions")
    census_columns = contract("school_census").columns
    daily_columns = contract("school_attendance_daily").columns
    first_ay = period.start.year if period.start.month >= 9 else period.start.year - 1
    last_ay = period.end.year if period.end.month >= 9 else period.end.year - 1
    exports = None
    if export_from is not None:
        # A stream spawned from education's: the contract rows and every other source's
        # draws are the same whether or not the census is exported.
        exports = school_census_exports.ExportedCensuses(
            out_dir, la, export_from, period, calendar, population,
            suspension, rng_for("education").spawn(1)[0],
        )  # fmt: skip
    census_days: list[np.ndarray] = []
    att: dict[int, list[int]] = {}
    for ay in range(first_ay, last_ay + 1):
        for term, day0, rows in education.school_census(
            rng, population, schools, calendar, ay, rate_all, rate_csw, csw, suspension,
            propensity, la,
        ):  # fmt: skip
            if period.start_day <= day0 <= period.end_day:
                for d in mine.get("school_census", []):
                    changed = apply_row_defect(defect_rng, d, rows)
                    if changed:
                        where = f"school_census/{ay}/{term}"
                        out.defects.append(_defect_row(d, la, changed, where))
                # The answer key counts the children's terms, whichever layout reports them.
                census_days.append(np.full(rows["_child"].size, day0))
                if exports is None or not exports.exported(ay, term):
                    label = f"{ay}-{(ay + 1) % 100:02d}_{term}"
                    path = out_dir / "school_census" / f"school_census_{la}_{label}.csv"
                    written = write_csv(path, census_columns, rows)
                    out.written.append((path, written, f"school census {label}"))
            if exports is not None:
                for path, written in exports.add_term(ay, term, rows):
                    census = "/".join(path.parts[-3:-1])
                    out.written.append((path, written, f"school census {census} {path.stem}"))
        daily = education.daily_attendance(
            rng, population, schools, calendar, ay, period.start_day, period.end_day, rate_all,
            rate_csw, csw, la,
        )  # fmt: skip
        if daily is None:
            continue
        month = month_index(daily["_day"])
        order = np.argsort(month, kind="stable")
        daily = {k: (v[order] if isinstance(v, np.ndarray) else v) for k, v in daily.items()}
        month = month[order]
        for m in np.unique(month).tolist():
            sel = month == m
            part = {k: (v[sel] if isinstance(v, np.ndarray) else v) for k, v in daily.items()}
            label = _month_label(m)
            path = out_dir / "school_attendance_daily" / f"school_attendance_daily_{la}_{label}.csv"
            out.written.append((path, write_csv(path, daily_columns, part), f"attendance {label}"))
            tot = att.setdefault(m, [0, 0, 0, 0])
            tot[0] += int(part["PUPILS_ON_ROLL"].sum())
            tot[1] += int(part["PUPILS_ATTENDING"].sum())
            tot[2] += int(part["CSW_ON_ROLL"].sum())
            tot[3] += int(part["CSW_ATTENDING"].sum())
    out.monthly["school_attendance_daily"] = [
        [la, _month_label(m), measure, value]
        for m, t in sorted(att.items())
        for measure, value in (
            ("attendance_rate", round(t[1] / max(t[0], 1), 4)),
            ("csw_attendance_rate", round(t[3] / max(t[2], 1), 4)),
        )
    ]
    if census_days:
        out.monthly["school_census"] = _month_rows(la, period, "rows", np.concatenate(census_days))


def _write_population(
    out_dir: Path, period: Period, la: str, population: Population, out: SourceOutput
) -> None:
    columns = contract("population").columns
    rows: dict[str, list] = {c: [] for c in columns}
    for year in range(period.start.year, period.end.year + 1):
        mid = to_day(date(year, 6, 30))
        age = np.floor((mid - population.dob) / DAYS_PER_YEAR).astype(np.int64)
        alive = (age >= 0) & (age <= 17)
        for sex in ("F", "M"):
            counts = np.bincount(age[alive & (population.sex == sex)], minlength=18)[:18]
            for a, c in enumerate(counts.tolist()):
                rows["LA_CODE"].append(la)
                rows["ONS_CODE"].append("")
                rows["AREA_NAME"].append(f"Synthetic authority {la}")
                rows["MID_YEAR_DATE"].append(iso(np.array([mid]))[0])
                rows["SEX"].append(sex)
                rows["AGE"].append(a)
                rows["POPULATION"].append(c)
    path = out_dir / "population" / f"population_{la}.csv"
    out.written.append((path, write_csv(path, columns, rows), "population by age and sex"))
