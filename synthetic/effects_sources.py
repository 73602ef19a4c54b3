"""Injected effects on the partner sources' indicators (the scenario's ``sources:`` block).

Each partner event is drawn by thinning a Poisson process whose day factor is the
scenario's multiplier for its source and measure (synthetic/partners.py), so the effect
on an indicator in a month is the multiplier averaged over the month's days, weighted by
the events expected on each day; where an indicator mixes several kinds of event (all
admissions, all police incidents) each kind is weighted by its expected count from the
generator's rates by age and the children alive that day. Attendance is averaged over
school days; termly measures over the term's school days. Nothing here draws a random
number. Not covered: persistent absence (a threshold on attendance, not a multiplier)
and ``ssda903.missing``, which the generator accepts but does not apply.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from synthetic import education, partners, police
from synthetic.calendar import Calendar, collection_year, month_index
from synthetic.calibration import DEFAULT_LOOKED_AFTER, Calibration, LookedAfterRates
from synthetic.contracts import contract
from synthetic.effects import MonthGrid, Series, age_band_of_years, effect_rows, referral_series
from synthetic.looked_after import LookedAfter
from synthetic.period import Period
from synthetic.population import DAYS_PER_YEAR, Population
from synthetic.reference import code_mix
from synthetic.scenario import Scenario
from synthetic.sources import SourceOutput

AGES = 18  # partner events are of children aged 0-17
# The phases education.build_schools gives its schools.
SCHOOL_PHASES = ("primary", "secondary")
Shock = Callable[[str], np.ndarray]  # source.measure -> multiplier per calendar day


def children_by_age(population: Population, calendar: Calendar) -> np.ndarray:
    """(age 0-17, calendar day): children of each whole age alive that day."""
    n = calendar.n_days
    out = np.zeros((AGES, n))
    for age in range(AGES):
        # Age as draw_events counts it: whole years of (day - birth) / DAYS_PER_YEAR.
        lo = population.dob + int(np.ceil(age * DAYS_PER_YEAR)) - calendar.first_day
        hi = population.dob + int(np.ceil((age + 1) * DAYS_PER_YEAR)) - calendar.first_day
        lo, hi = lo.clip(0, n), hi.clip(0, n)
        keep = hi > lo
        step = np.bincount(lo[keep], minlength=n + 1) - np.bincount(hi[keep], minlength=n + 1)
        out[age] = np.cumsum(step)[:n]
    return out


def injected_effect_rows(
    area_code: str,
    calendar: Calendar,
    period: Period,
    scenario: Scenario,
    calibration: Calibration,
    population: Population,
    sources: SourceOutput | None = None,
    cla_rates: LookedAfterRates = DEFAULT_LOOKED_AFTER,
    cla_targets: dict[int, float] | None = None,
) -> list[list[object]]:
    """One authority's rows of _truth/injected_effects.csv: referrals, and the partner
    sources when they were generated (sources: what write_partner_sources returned)."""
    series = referral_series(calendar, period, scenario, calibration.referrals, population.sex)
    if sources is not None and sources.looked_after is not None:
        series += source_series(
            calendar, period, scenario, population, sources.looked_after, cla_rates, cla_targets
        )
    return effect_rows(area_code, period, series)


def source_series(
    calendar: Calendar,
    period: Period,
    scenario: Scenario,
    population: Population,
    looked_after: LookedAfter,
    cla_rates: LookedAfterRates,
    cla_targets: dict[int, float] | None = None,
) -> list[Series]:
    """Every indicator the sources block shapes directly, by each breakdown it can shape."""
    grid = MonthGrid.build(period, calendar)
    by_age = children_by_age(population, calendar)

    def shock(key: str) -> np.ndarray:
        return scenario.measure_by_day(key, calendar.first_day, calendar.last_day)

    def single(
        indicator: str, key: str, weight: np.ndarray, breakdowns: Sequence[tuple[str, str]]
    ) -> list[Series]:
        effect = grid.ratio(weight * shock(key), weight)
        mechanism = f"sources.{key}"
        out = [Series(indicator, "all", "all", effect, mechanism)]
        return out + [Series(indicator, d, v, effect, mechanism) for d, v in breakdowns]

    children = by_age.sum(axis=0)
    bands = [("age_band", b) for b in dict.fromkeys(age_band_of_years(a) for a in range(AGES))]
    camhs_codes = [("referral_source_code", c) for c in code_mix("camhs_source").codes]
    every_day = np.arange(calendar.first_day, calendar.last_day + 1)
    school = np.isin(every_day, education.school_days(calendar)).astype(float)
    phases = [("school_phase", p) for p in SCHOOL_PHASES]
    out = (
        # A&E: every age has a rate and the month-of-year season is constant in a month.
        single("ae_attendances", "ae_attendances.attendances", children, bands)
        + single("camhs_referrals", "camhs_referrals.referrals", children, camhs_codes)
        # Attendance: the multiplier scales each school day's rate, and every school day of
        # the month weighs alike (the roll is fixed within an academic year). First order
        # for all pupils: the ~3% with a social worker on roll follow the csw multiplier.
        + single("school_attendance_rate", "school_attendance.pupils", school, phases)
        + single(
            "school_attendance_children_with_social_worker",
            "school_attendance.csw",
            school,
            phases,
        )
    )
    out += _admissions(grid, by_age, shock)
    out += _police(grid, by_age, shock, looked_after, period, calendar)
    out += _school_terms(grid, calendar, period, shock("school_census.suspensions"))
    out += _care_starts(grid, calendar, shock("ssda903.starts"), cla_rates, cla_targets)
    return out


def _expected(
    ages: dict[tuple[int, int], float], by_age: np.ndarray, keep: np.ndarray | None = None
) -> np.ndarray:
    """Events expected each day from rates per child-year by age (optionally some ages)."""
    rates = partners.age_rates(ages)
    if keep is not None:
        rates = np.where(keep, rates, 0.0)
    return rates @ by_age / DAYS_PER_YEAR


def _mixture(grid: MonthGrid, parts: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Effect on a sum of kinds of event, each (expected per day, multiplier per day)."""
    shocked = sum(e * f for e, f in parts)
    return grid.ratio(shocked, sum(e for e, _ in parts))


def _admissions(grid: MonthGrid, by_age: np.ndarray, shock: Shock) -> list[Series]:
    # Every spell gets an emergency admission method, so emergency admissions are all the
    # spells: emergency, self-harm and alcohol kinds, each with its own multiplier.
    kinds = {kind: ages for kind, ages, _ in partners.ADMISSION_KINDS}
    key = {k: f"hospital_admissions.{k}" for k in kinds}
    band = np.array([age_band_of_years(a) for a in range(AGES)])
    out = []
    for indicator, members in (
        ("emergency_admissions", tuple(kinds)),
        ("self_harm_admissions", ("self_harm",)),
        ("alcohol_related_admissions", ("alcohol",)),
    ):
        mechanism = "; ".join(f"sources.{key[k]}" for k in members)
        if len(members) > 1:
            mechanism += " (weighted by expected spells)"
        cuts = [("all", "all", None)]
        if indicator != "alcohol_related_admissions":  # the catalogue's breakdowns
            cuts += [("age_band", b, band == b) for b in dict.fromkeys(band.tolist())]
        for dimension, value, keep in cuts:
            parts = [(_expected(kinds[k], by_age, keep), shock(key[k])) for k in members]
            if sum(e.sum() for e, _ in parts) > 0:  # a band with no such spells has no series
                out.append(Series(indicator, dimension, value, _mixture(grid, parts), mechanism))
    return out


def _police(
    grid: MonthGrid,
    by_age: np.ndarray,
    shock: Shock,
    looked_after: LookedAfter,
    period: Period,
    calendar: Calendar,
) -> list[Series]:
    kinds = {kind: ages for kind, ages, _, _ in police.POLICE_KINDS}
    parts = {k: (_expected(kinds[k], by_age), shock(f"police_incidents.{k}")) for k in kinds}
    # Missing-child reports also come from looked-after children's missing episodes, which
    # no police multiplier scales (and ssda903.missing is not applied). Their expected
    # count is taken as the period's mean a day: their month-to-month noise is not a shock.
    starts = looked_after.missing_start[looked_after.missing_kind == "M"]
    inside = starts[(starts >= period.start_day) & (starts <= period.end_day)]
    days = period.end_day - period.start_day + 1
    parts["cla"] = (
        np.full(calendar.n_days, police.CLA_MISSING_REPORTED * inside.size / days),
        np.ones(calendar.n_days),
    )

    def of(*members: str) -> np.ndarray:
        return _mixture(grid, [parts[m] for m in members])

    def mechanism(kind: str) -> str:
        if kind == "missing_child":
            return "sources.police_incidents.missing_child (children in care's reports unscaled)"
        return f"sources.police_incidents.{kind}"

    missing = of("missing_child", "cla")
    weighted = "sources.police_incidents.* (weighted by expected incidents)"
    out = [Series("police_incidents", "all", "all", of(*parts), weighted)]
    for kind in contract("police_incidents").allowed("INCIDENT_TYPE"):
        effect = missing if kind == "missing_child" else of(kind)
        out.append(Series("police_incidents", "incident_type_code", kind, effect, mechanism(kind)))
    for indicator, kind in (
        ("missing_child_reports", "missing_child"),
        ("domestic_abuse_incidents_with_children", "domestic_abuse"),
        ("antisocial_behaviour_incidents", "antisocial_behaviour"),
    ):
        effect = missing if kind == "missing_child" else of(kind)
        out.append(Series(indicator, "all", "all", effect, mechanism(kind)))
    return out


def _school_terms(
    grid: MonthGrid, calendar: Calendar, period: Period, factor: np.ndarray
) -> list[Series]:
    """Suspensions and permanent exclusions: a term's count follows its mean multiplier.

    A term's effect is the multiplier averaged over its school days (suspensions), and 0 or
    1 for permanent exclusions, which stop in a term whose mean is EXCLUSIONS_ABOVE or less.
    Every month carries the effect of its term: from the month of the term's first school
    day up to the month before the next term's (the catalogue dates a term to its first
    month, and a month between terms, August, has no termly events).
    """
    days = education.school_days(calendar)
    first_month, mean = [], []
    for year in range(period.start.year - 1, period.end.year + 1):
        for _, lo, hi in education.terms(year):
            in_term = days[(days >= lo) & (days <= hi)]
            if in_term.size:
                first_month.append(int(month_index(in_term[:1])[0]))
                mean.append(float(factor[in_term - calendar.first_day].mean()))
    months = np.array([int(label[:4]) * 12 + int(label[5:7]) - 1 for label in grid.labels])
    term = np.searchsorted(np.array(first_month), months, side="right") - 1
    mean_of = np.where(term >= 0, np.array(mean + [1.0])[term.clip(0)], 1.0)
    key = "sources.school_census.suspensions"
    stopped = f"{key} (none when the term's mean is {education.EXCLUSIONS_ABOVE} or less)"
    return [
        Series("suspensions", "all", "all", mean_of, key + " (term mean over school days)"),
        Series(
            "permanent_exclusions",
            "all",
            "all",
            (mean_of > education.EXCLUSIONS_ABOVE) * 1.0,
            stopped,
        ),
    ]


def _care_starts(
    grid: MonthGrid,
    calendar: Calendar,
    factor: np.ndarray,
    rates: LookedAfterRates,
    targets: dict[int, float] | None,
) -> list[Series]:
    """Starts of care: the multiplier on candidate days, and the UASC arrivals thinned by it.

    Starts from CIN journeys are scaled per collection year to the target rate times the
    year's mean multiplier, then follow the multiplier day by day: the month's effect is
    its mean (first order: candidate days are spread about evenly over a year, and the
    referral shock thins the candidates a little in the following months). Under year
    targets (--calibrate-to) the year's total is fixed, so the effect is relative to the
    year's mean. UASC arrivals follow the multiplier itself (drawn at the rate times the
    multiplier's maximum, at least 1, and kept with probability multiplier / that maximum).
    """
    main_day = factor.copy()
    if targets:
        year = collection_year(np.arange(calendar.first_day, calendar.last_day + 1))
        for y in np.unique(year).tolist():
            main_day[year == y] /= max(float(factor[year == y].mean()), 1e-9)
    ones = np.ones(calendar.n_days)
    main = grid.ratio(main_day, ones)
    uasc = grid.ratio(factor, ones)
    share = rates.uasc_share
    key = "sources.ssda903.starts"
    return [
        Series("cla_starts", "all", "all", (1 - share) * main + share * uasc, key),
        Series("cla_starts", "is_uasc", "false", main, key),
        Series("cla_starts", "is_uasc", "true", uasc, key),
    ]
