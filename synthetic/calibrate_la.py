"""``--calibrate-to LA_CODE``: make the synthetic authority reproduce a real one's volumes.

Reads ``data/reference/published_statistics/la_annual_volumes.csv`` (DfE published
figures, Open Government Licence v3.0; provenance in the README there): per collection
year, referrals (C1), section 47 enquiries and ICPCs (C4), CP plan starts (D3) and
children starting to be looked after (CLA). The authority's child population is the
mean over the years of DfE's population aged 0-17 (CLA table, 2019+) or, for years
without it, referrals / referrals per 10,000 x 10,000 (C1).

Fallback for a year a table lacks (CLA starts before 2019, suppressed cells, years before
2013 or after 2023): the authority's value in the nearest year that has one, times the
national change between the two years where the national series has both, else unchanged.

Fitting: per collection year, the referral rate is scaled by target / 545 per 10,000 and
the s47, ICPC and CP plan conversion rates by the published ratios; a pilot simulation
of the same population and random streams measures what those give, scenario shock
included, and the factors are corrected by target / measured (three rounds). While
calibrating, s47, ICPC and CP plan decisions use systematic sampling per year
(assessments.systematic_draw), so a year's count is its expected count, not a draw with a
few per cent of noise. Care starts are
set per year directly (simulate_looked_after's year targets).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import numpy as np

from synthetic.calendar import NO_DATE, collection_year
from synthetic.calibration import Calibration, LookedAfterRates
from synthetic.journeys import Episodes

PUBLISHED = (
    Path(__file__).resolve().parents[1]
    / "data"
    / "reference"
    / "published_statistics"
    / "la_annual_volumes.csv"
)
MEASURES = ("referrals", "s47", "icpc", "cpp_starts", "cla_starts")
# The columns the authority's population is estimated from (see the module docstring).
POPULATION_MEASURES = ("cla_population_0_17", "referrals_per_10k")
PILOT_ROUNDS = 3


@dataclass(frozen=True)
class LaTargets:
    la_code: str
    la_name: str
    population: int
    volumes: dict[str, dict[int, float]]  # measure -> collection year -> published value
    fallback: dict[str, dict[int, str]]  # measure -> year -> how it was filled

    def value(self, measure: str, year: int) -> float:
        """Published value, or the fallback (see the module docstring)."""
        return _fill(self, measure, year)[0]


@cache
def _table() -> tuple[dict[str, dict[int, dict[str, float]]], dict[str, str]]:
    rows: dict[str, dict[int, dict[str, float]]] = {}
    names: dict[str, str] = {}
    with PUBLISHED.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["geographic_level"] == "Regional":
                continue
            code = row["old_la_code"] or "england"
            names[code] = row["la_name"]
            columns = (*MEASURES, *POPULATION_MEASURES)
            values = {k: float(row[k]) for k in columns if row[k] != ""}
            rows.setdefault(code, {})[int(row["time_period"])] = values
    return rows, names


def known_codes() -> dict[str, str]:
    rows, names = _table()
    return {code: names[code] for code in rows if code != "england"}


def la_targets(la_code: str) -> LaTargets:
    rows, names = _table()
    if la_code not in rows or la_code == "england":
        examples = ", ".join(f"{c} {n}" for c, n in list(sorted(known_codes().items()))[:4])
        raise ValueError(
            f"no published figures for LA code {la_code!r}: use a three-digit DfE (old) LA "
            f"code from the old_la_code column of {PUBLISHED.relative_to(PUBLISHED.parents[3])}"
            f" ({len(known_codes())} authorities, e.g. {examples}, 938 West Sussex)"
        )
    years = rows[la_code]
    volumes = {m: {y: v[m] for y, v in years.items() if m in v} for m in MEASURES}
    populations = []
    for values in years.values():
        if "cla_population_0_17" in values:
            populations.append(values["cla_population_0_17"])
        elif values.get("referrals_per_10k"):
            populations.append(values["referrals"] / values["referrals_per_10k"] * 10_000)
    if not populations or not all(volumes.values()):
        missing = [m for m, v in volumes.items() if not v] or ["population"]
        raise ValueError(f"LA {la_code} lacks published {', '.join(missing)}: pick another LA")
    return LaTargets(la_code, names[la_code], round(float(np.mean(populations))), volumes, {})


def _fill(targets: LaTargets, measure: str, year: int) -> tuple[float, str]:
    own = targets.volumes[measure]
    if year in own:
        return own[year], "published"
    nearest = min(own, key=lambda y: (abs(y - year), -y))
    national = _table()[0]["england"]
    a, b = national.get(year, {}).get(measure), national.get(nearest, {}).get(measure)
    if a and b:
        return own[nearest] * a / b, f"{nearest} value x national {year}/{nearest}"
    return own[nearest], f"{nearest} value"


def yearly_table(targets: LaTargets, years: list[int]) -> list[dict[str, object]]:
    """Target volumes per year with how each was obtained (for reports and tests)."""
    out = []
    for year in years:
        row: dict[str, object] = {"year": year}
        for m in MEASURES:
            row[m], row[f"{m}_from"] = _fill(targets, m, year)
        out.append(row)
    return out


def episode_counts(episodes: Episodes, years: list[int]) -> dict[str, dict[int, int]]:
    """Referrals, s47s, ICPCs and CP plan starts per collection year of their own date."""
    dates = {
        "referrals": episodes.referral,
        "s47": episodes.s47_start,
        "icpc": episodes.icpc,
        "cpp_starts": episodes.cpp_start,
    }
    out = {}
    for measure, days in dates.items():
        days = days[days != NO_DATE]
        year = collection_year(days)
        out[measure] = {y: int((year == y).sum()) for y in years}
    return out


@dataclass(frozen=True)
class Fitted:
    referral_factors: dict[int, float]
    calibration: Calibration  # with year factors on the conversion rates
    cla_rates: LookedAfterRates  # with the LA's start rate
    cla_targets: dict[int, float]  # starts a year, UASC excluded


def fit(
    targets: LaTargets,
    children: int,
    calibration: Calibration,
    cla_rates: LookedAfterRates,
    simulate: Callable[[Calibration, dict[int, float]], Episodes],
    first_year: int,
    last_year: int,
) -> Fitted:
    """Year factors so that simulate(calibration, referral_factors) -> Episodes hits the
    targets, scaled to `children` (the LA's population gives its published counts)."""
    years = list(range(first_year, last_year + 1))
    scale = children / targets.population
    want = {m: {y: targets.value(m, y) * scale for y in years} for m in MEASURES}
    base = calibration.referrals.per_10k * children / 10_000
    ref = {y: want["referrals"][y] / base for y in years}
    conv = {y: [1.0, 1.0, 1.0] for y in years}
    for _ in range(PILOT_ROUNDS):
        cal = _with_factors(calibration, conv)
        got = episode_counts(simulate(cal, ref), years)
        for y in years:
            ratio = {m: want[m][y] / max(got[m][y], 1) for m in got}
            ref[y] *= ratio["referrals"]
            conv[y][0] *= ratio["s47"] / ratio["referrals"]
            conv[y][1] *= ratio["icpc"] / ratio["s47"]
            conv[y][2] *= ratio["cpp_starts"] / ratio["icpc"]
    rate = float(np.mean([want["cla_starts"][y] for y in years])) / children * 10_000
    la_rates = replace(cla_rates, starts_per_10k=rate)
    cla_targets = {y: want["cla_starts"][y] * (1 - la_rates.uasc_share) for y in years}
    return Fitted(ref, _with_factors(calibration, conv), la_rates, cla_targets)


def _with_factors(calibration: Calibration, conv: dict[int, list[float]]) -> Calibration:
    rows = tuple((y, *f) for y, f in sorted(conv.items()))
    return replace(calibration, journeys=replace(calibration.journeys, year_factors=rows))
