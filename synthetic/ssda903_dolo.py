"""Deprivation of liberty orders: the SSDA903 DoLo table of every collection year whose
schema has it (the 2026-27 return, collection year 2027, onwards).

An order is drawn for some children's-home episodes (K2, or the Z12 and Z13 placements
DfE rule 709 expects), inside the episode and never touching its first or last day, so the
orders keep the DfE rules 700-710: valid dates, ending after they start, inside the
return's year (an order still open at 31 March has a blank DOLO_END and is in the next
return with the same start), one at a time per child, closed before care ceases, after
birth, and only during the expected placements. A year with no order writes no file (a
table with a header only is not a delivery).

The draws come from their own stream, spawned from the SSDA903 stream's seed (which is
the main seed and the stream's number), so no other stream moves: a run without a DoLo
year draws nothing here and its files are byte-identical to those before this module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from synthetic.calendar import NO_DATE, to_day
from synthetic.contracts import ssda903_schema
from synthetic.looked_after import LookedAfter
from synthetic.period import Period
from synthetic.population import Population
from synthetic.writers.csv_out import dmy, write_csv

TABLE = "dolo"
FILE_NAME = "DoLo"
PLACEMENTS = ("K2", "Z12", "Z13")
# An assumption of this generator, not a published rate: 15% of children's-home episodes
# get an order, about 1.5% of the children looked after in a year, the order of magnitude
# of the applications to England's national deprivation of liberty court.
ORDER_SHARE = 0.15
MEDIAN_DAYS = 120
SIGMA = 0.8
# An order starts within this many days of the episode's start (or of 1 April of the
# first DoLo year, for an episode under way then).
START_WITHIN_DAYS = 90
# An episode open at the end of the run is taken to last this long after it.
OPEN_EPISODE_DAYS = 365


@dataclass(frozen=True)
class Orders:
    child: np.ndarray  # index into the population
    start: np.ndarray
    end: np.ndarray  # the day it ends, possibly after the run (open in the last return)


@dataclass
class DoloOutput:
    written: list[tuple[Path, int, str]] = field(default_factory=list)
    starts: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


def dolo_years(period: Period) -> list[int]:
    """The run's collection years whose SSDA903 schema has the DoLo table."""
    return [y for y in period.collection_years() if TABLE in ssda903_schema(y).tables]


def dolo_rng(rng_for: Callable[[str], np.random.Generator]) -> np.random.Generator:
    """A stream of its own: the first child of the SSDA903 stream's seed sequence. Spawning
    from a fresh generator of that stream draws nothing from any generator in use."""
    return np.random.default_rng(rng_for("ssda903").bit_generator.seed_seq.spawn(1)[0])


def draw_orders(rng: np.random.Generator, cla: LookedAfter, period: Period) -> Orders:
    years = dolo_years(period)
    ep = cla.episodes
    first_day = to_day(date(years[0] - 1, 4, 1))
    last = np.where(ep.end == NO_DATE, period.end_day + OPEN_EPISODE_DAYS, ep.end)
    earliest = np.maximum(ep.start + 1, first_day)
    latest = last - 2  # so that the order ends after it starts and before the episode ends
    candidate = np.flatnonzero(np.isin(ep.place, PLACEMENTS) & (earliest <= latest))
    chosen = candidate[rng.random(candidate.size) < ORDER_SHARE]
    span = np.minimum(latest[chosen] - earliest[chosen], START_WITHIN_DAYS)
    start = earliest[chosen] + np.floor(rng.random(chosen.size) * (span + 1)).astype(np.int64)
    duration = np.maximum(1, np.round(rng.lognormal(np.log(MEDIAN_DAYS), SIGMA, chosen.size)))
    end = np.minimum(start + duration.astype(np.int64), last[chosen] - 1)
    child = ep.child[chosen]
    order = np.lexsort((start, child))
    return Orders(child[order], start[order], end[order])


def write_orders(
    out_dir: Path,
    rng_for: Callable[[str], np.random.Generator],
    la_code: str,
    cla: LookedAfter,
    population: Population,
    period: Period,
) -> DoloOutput:
    """One DoLo CSV per DoLo year with orders, beside that year's other SSDA903 tables."""
    out = DoloOutput()
    years = dolo_years(period)
    if not years:
        return out
    orders = draw_orders(dolo_rng(rng_for), cla, period)
    for year in years:
        lo, hi = to_day(date(year - 1, 4, 1)), to_day(date(year, 3, 31))
        sel = np.flatnonzero((orders.start <= hi) & (orders.end >= lo))
        if not sel.size:
            continue
        end = orders.end[sel]
        data = {
            "CHILD": population.la_child_id[orders.child[sel]],
            "DOB": dmy(population.dob[orders.child[sel]]),
            "DOLO_START": dmy(orders.start[sel]),
            "DOLO_END": np.where(end <= hi, dmy(end), ""),
        }
        path = out_dir / "ssda903" / str(year) / f"ssda903_{la_code}_{year}_{FILE_NAME}.csv"
        rows = write_csv(path, ssda903_schema(year).columns(TABLE), data)
        out.written.append((path, rows, f"SSDA903 {year} {FILE_NAME}"))
    out.starts = orders.start
    return out
