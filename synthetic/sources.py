"""Writes the partner sources beyond the CIN census for one authority.

SSDA903 (per collection year), A&E, admissions, CAMHS, police (one CSV a month:
synthetic/monthly_files.py), school census and daily school attendance
(synthetic/education_files.py) and population (one CSV). Each source has its own random
stream (synthetic/streams.py). Defects from the scenario are applied to the rows before
writing; the truth files record what was done.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from synthetic import partners, police, ssda903_dolo
from synthetic.calendar import NO_DATE, Calendar, to_day
from synthetic.calibration import LookedAfterRates
from synthetic.care_starts import ROUTE_STOCK
from synthetic.contracts import contract
from synthetic.defects import Defect, apply_row_defect
from synthetic.education_files import write_education
from synthetic.journeys import Episodes
from synthetic.looked_after import LookedAfter, simulate_looked_after
from synthetic.monthly_files import month_rows, monthly_truth, write_monthly
from synthetic.partners import Authority
from synthetic.period import Period
from synthetic.population import DAYS_PER_YEAR, Population
from synthetic.scenario import Scenario
from synthetic.writers import ssda903
from synthetic.writers.csv_out import iso, write_csv
from synthetic.writers.ssd_cla_placement import ReturnedPlaces


@dataclass
class SourceOutput:
    written: list[tuple[Path, int, str]] = field(default_factory=list)
    defects: list[dict] = field(default_factory=list)
    monthly: dict[str, list[list[object]]] = field(default_factory=dict)
    looked_after: LookedAfter | None = None
    # Per collection year, where its SSDA903 return says each episode was placed, as built
    # before any defect: the SSD's placements are the clean record of the same placements.
    returned_places: dict[int, ReturnedPlaces] = field(default_factory=dict)


@dataclass(frozen=True)
class SourceRun(Authority):
    """An authority whose partner sources are being written: where to, their random streams,
    the scenario that moves them, the defects that act on each source (drawn from their own
    stream) and the output every writer adds to."""

    out_dir: Path
    rng_for: Callable[[str], np.random.Generator]
    scenario: Scenario
    defects_by_source: dict[str, list[Defect]]
    defect_rng: np.random.Generator
    out: SourceOutput

    def shock(self, key: str) -> np.ndarray:
        """The scenario's multiplier on `key`, a value a calendar day."""
        return self.scenario.measure_by_day(key, self.calendar.first_day, self.calendar.last_day)

    def defects_for(self, source: str) -> list[Defect]:
        return self.defects_by_source.get(source, [])


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
    mine: dict[str, list[Defect]] = {d.source: [] for d in defects}
    for d in defects:
        mine[d.source].append(d)
    run = SourceRun(
        la=la, population=population, period=period, calendar=calendar, out_dir=out_dir,
        rng_for=rng_for, scenario=scenario, defects_by_source=mine,
        defect_rng=rng_for("defects"), out=SourceOutput(),
    )  # fmt: skip

    # Children looked after.
    cla = simulate_looked_after(
        rng_for("ssda903"),
        cin,
        population,
        calendar,
        period,
        cla_rates,
        run.shock("ssda903.starts"),
        children,
        cla_targets,
    )
    run.out.looked_after = cla
    _write_ssda903(run, cla)
    for source, rows in _health_and_police(run, cla).items():
        run.out.monthly[source] = monthly_truth(source, la, period, rows)
        for d in run.defects_for(source):
            if d.kind in ("missing_field", "recording_lag", "invalid_code", "date_order"):
                changed = apply_row_defect(run.defect_rng, d, rows)
                run.out.defects.append(d.truth_row(la, changed, source))
        write_monthly(run, source, rows)
        del rows

    write_education(run, cin, cla, scenario.school_census_export_from)
    _write_population(run)
    return run.out


def _write_ssda903(run: SourceRun, cla: LookedAfter) -> None:
    """The SSDA903 return of each collection year, its DoLo orders and monthly truth."""
    out_dir, period, la, population, out = run.out_dir, run.period, run.la, run.population, run.out
    rng = run.rng_for("ssda903")
    upn_missing = rng.random(len(population)) < 0.03
    for year in period.collection_years():
        data = ssda903.build_year(rng, cla, population, year, upn_missing)
        out.returned_places[year] = ReturnedPlaces.of(data.tables["episodes"])
        for d in run.defects_for("ssda903"):
            table = data.tables.get(d.table)
            if table is None or not d.overlaps_year(year):
                continue
            if d.table == "header":
                table["_day"] = np.full(len(table["CHILD"]), to_day(date(year - 1, 4, 1)))
            changed = apply_row_defect(run.defect_rng, d, table)
            out.defects.append(d.truth_row(la, changed, f"ssda903/{year}"))
        for path, rows in ssda903.write_year(out_dir, la, data):
            out.written.append((path, rows, f"SSDA903 {year} {path.stem.rsplit('_', 1)[-1]}"))
    # Deprivation of liberty orders (2026-27 return on): own stream, nothing before then.
    dolo = ssda903_dolo.write_orders(out_dir, run.rng_for, la, cla, population, period)
    out.written += dolo.written
    periods = cla.periods
    started = periods.route != ROUTE_STOCK
    out.monthly["ssda903"] = (
        month_rows(la, period, "starts", periods.start[started])
        + month_rows(la, period, "ceased", periods.end[periods.end != NO_DATE])
        + month_rows(la, period, "missing_episodes", cla.missing_start)
    )
    if dolo.written:
        out.monthly["ssda903"] += month_rows(la, period, "dolo_starts", dolo.starts)


def _health_and_police(run: SourceRun, cla: LookedAfter) -> dict[str, dict]:
    """The rows of the four monthly sources, each from its own stream."""
    rng_for, shock = run.rng_for, run.shock
    rows_by_source = {
        "ae_attendances": partners.ae_attendances(
            rng_for("ae_attendances"), run, shock("ae_attendances.attendances")
        ),
        "hospital_admissions": partners.hospital_admissions(
            rng_for("hospital_admissions"),
            run,
            {k: shock(f"hospital_admissions.{k}") for k in ("emergency", "self_harm", "alcohol")},
        ),
        "camhs_referrals": partners.camhs_referrals(
            rng_for("camhs_referrals"), run, shock("camhs_referrals.referrals")
        ),
        "police_incidents": police.police_incidents(
            rng_for("police_incidents"),
            run,
            {
                k: shock(f"police_incidents.{k}")
                for k in contract("police_incidents").allowed("INCIDENT_TYPE")
            },
            cla,
        ),
    }
    rows_by_source["hospital_admissions"]["_start"] = rows_by_source["hospital_admissions"]["_day"]
    return rows_by_source


def _write_population(run: SourceRun) -> None:
    period, la, population = run.period, run.la, run.population
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
    path = run.out_dir / "population" / f"population_{la}.csv"
    run.out.written.append((path, write_csv(path, columns, rows), "population by age and sex"))
