"""Generate synthetic partner extracts for one local authority.

The population is made once; each source is a journey model plus a writer that puts it in
the format the partner delivers. Today: the Children in Need census.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from synthetic.calendar import Calendar, month_end
from synthetic.calibration import DEFAULT_CALIBRATION, Calibration
from synthetic.cin_schema import load_profile
from synthetic.journeys import Episodes, simulate_episodes
from synthetic.period import Period
from synthetic.population import Population, build_population
from synthetic.reference import source_group_profile
from synthetic.referrals import build_referral_model
from synthetic.scenario import load_scenario
from synthetic.writers.cin_census import CinReturnHeader, episodes_in_year, write_cin_return
from synthetic.writers.truth import write_referral_truth

GENERATOR_RELEASE = "0.1.0"
CIN_DIR = "cin_census"

# Independent random streams, so changing one part of the model leaves the others' draws
# alone. Fixed numbers, never hash(): the same seed must give the same files everywhere.
_STREAMS = {"population": 1, "referrals": 2, "cin_census": 3}


@dataclass(frozen=True)
class WrittenFile:
    path: Path
    records: int  # children in a CIN return, rows in a CSV
    description: str


@dataclass(frozen=True)
class GenerationSummary:
    out_dir: Path
    la_code: str
    seed: int
    population: int  # children aged 0-17 at the start plus births
    referrals: int  # distinct referrals dated inside the period
    written: tuple[WrittenFile, ...]

    @property
    def files(self) -> list[Path]:
        return [w.path for w in self.written]


def generate(
    out_dir: Path,
    seed: int = 42,
    children: int = 250_000,
    start: str = "2016-04",
    end: str = "2022-03",
    la_code: str = "938",
    scenario: Path | None = None,
    calibration: Calibration = DEFAULT_CALIBRATION,
) -> GenerationSummary:
    """Write the synthetic CIN census returns and their ground truth under out_dir."""
    _check_arguments(children, la_code)
    out_dir = Path(out_dir)
    period = Period.from_months(start, end)
    groups = tuple(source_group_profile()["source_group"])
    calendar = Calendar.build(period.simulation_start, period.end)
    model = build_referral_model(calendar, load_scenario(scenario, groups), calibration.referrals)
    population = build_population(
        _rng(seed, "population"), children, period, la_code, calibration.population
    )
    episodes = simulate_episodes(_rng(seed, "referrals"), model, population, calendar, calibration)
    written = _write_cin_returns(out_dir, seed, period, la_code, episodes, population, calibration)
    truth = write_referral_truth(
        out_dir, la_code, period, episodes.referral, episodes.group, groups
    )
    written += [WrittenFile(p, _rows(p), "ground truth, distinct referrals a month") for p in truth]
    inside = (episodes.referral >= period.start_day) & (episodes.referral <= period.end_day)
    return GenerationSummary(
        out_dir, la_code, seed, len(population), int(inside.sum()), tuple(written)
    )


def _check_arguments(children: int, la_code: str) -> None:
    if not re.fullmatch(r"\d{3}", la_code):
        raise ValueError(f"la_code must be a three-digit DfE LA code, got {la_code!r}")
    if children < 1:
        raise ValueError("children must be at least 1")


def _rng(seed: int, stream: str) -> np.random.Generator:
    return np.random.default_rng([seed, _STREAMS[stream]])


def _write_cin_returns(
    out_dir: Path,
    seed: int,
    period: Period,
    la_code: str,
    episodes: Episodes,
    population: Population,
    calibration: Calibration,
) -> list[WrittenFile]:
    rng = _rng(seed, "cin_census")
    # Whether a child's CIN record lacks a UPN is a fact about the child, stable over years.
    upn_missing = rng.random(len(population)) < calibration.journeys.upn_missing
    written = []
    for year in period.collection_years():
        if not episodes_in_year(episodes, year).any():
            continue  # a tiny population can have a quiet year; an empty return is invalid
        header = CinReturnHeader(year, la_code, GENERATOR_RELEASE, "001", _extracted_at(rng, year))
        path = out_dir / CIN_DIR / f"cin_census_{la_code}_{year}.xml"
        counts = write_cin_return(
            path, header, episodes, population, load_profile(year), upn_missing, rng
        )
        description = (
            f"CIN census {year}: {counts.children:,} children, {counts.episodes:,} episodes"
        )
        written.append(WrittenFile(path, counts.children, description))
    return written


def _extracted_at(rng: np.random.Generator, year: int) -> str:
    """A plausible, reproducible extract time some weeks after the reference date."""
    day = date(year, 5, 1).toordinal() + int(rng.integers(0, 40))
    when = date.fromordinal(min(day, month_end(date(year, 6, 1)).toordinal()))
    return f"{when.isoformat()}T{int(rng.integers(8, 18)):02d}:{int(rng.integers(0, 60)):02d}:00"


def _rows(path: Path) -> int:
    with path.open(encoding="utf-8") as handle:
        return sum(1 for _ in handle) - 1
