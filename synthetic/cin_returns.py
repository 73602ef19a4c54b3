"""The Children in Need census returns of one authority: one XML file per collection year
(synthetic/writers/cin_census.py writes it), with the CIN defects' rows of the answer key.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np

from synthetic import cin_defects
from synthetic.calendar import month_end
from synthetic.calibration import Calibration
from synthetic.cin_schema import load_profile
from synthetic.defects import Defect
from synthetic.journeys import Episodes
from synthetic.period import Period
from synthetic.population import Population
from synthetic.writers.cin_census import CinReturnHeader, episodes_in_year, write_cin_return

GENERATOR_RELEASE = "0.1.0"
CIN_DIR = "cin_census"


def write_cin_returns(
    out_dir: Path,
    rng: np.random.Generator,
    period: Period,
    la_code: str,
    episodes: Episodes,
    population: Population,
    calibration: Calibration,
    defects: list[Defect],
    defect_rng: np.random.Generator,
) -> tuple[list[tuple[Path, int, str]], list[dict]]:
    """The written files (path, children, description) and the defects' truth rows."""
    # Whether a child's CIN record lacks a UPN is a fact about the child, stable over years.
    upn_missing = rng.random(len(population)) < calibration.journeys.upn_missing
    # Degraded recording: drawn once per episode from its own stream, so the returns of a
    # scenario without CIN defects are byte-identical to the clean ones.
    plan = cin_defects.plan_cin_defects(defect_rng, defects, episodes.referral, episodes.closure)
    written = []
    defect_rows = []
    for year in period.collection_years():
        if not episodes_in_year(episodes, year).any():
            continue  # a tiny population can have a quiet year; an empty return is invalid
        header = CinReturnHeader(year, la_code, GENERATOR_RELEASE, "001", _extracted_at(rng, year))
        path = out_dir / CIN_DIR / f"cin_census_{la_code}_{year}.xml"
        counts = write_cin_return(
            path, header, episodes, population, load_profile(year), upn_missing, rng, plan or None
        )
        for d, changed in zip(plan.defects, counts.defects_changed, strict=True):
            if d.overlaps_year(year) or changed:
                location = path.relative_to(out_dir).as_posix()
                table = cin_defects.FIELDS[d.field][0]
                defect_rows.append(d.truth_row(la_code, changed, location, table))
        description = (
            f"CIN census {year}: {counts.children:,} children, {counts.episodes:,} episodes"
        )
        written.append((path, counts.children, description))
    return written, defect_rows


def _extracted_at(rng: np.random.Generator, year: int) -> str:
    """A plausible, reproducible extract time some weeks after the reference date."""
    day = date(year, 5, 1).toordinal() + int(rng.integers(0, 40))
    when = date.fromordinal(min(day, month_end(date(year, 6, 1)).toordinal()))
    return f"{when.isoformat()}T{int(rng.integers(8, 18)):02d}:{int(rng.integers(0, 60)):02d}:00"
