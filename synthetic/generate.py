"""Generate synthetic partner extracts for one local authority.

The population is made once per authority; each source is a journey model plus a writer
that puts it in the format the partner delivers: the Children in Need census (XML),
SSDA903 (CSV per collection year), health, police, education and population CSVs, and the
Standard Safeguarding Dataset extracts (CSV per object and year).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from orchestration.privacy.keys import mark_synthetic
from synthetic import calibrate_la, cin_defects
from synthetic.calendar import Calendar
from synthetic.calibration import (
    DEFAULT_CALIBRATION,
    DEFAULT_LOOKED_AFTER,
    Calibration,
    LookedAfterRates,
)
from synthetic.cin_returns import write_cin_returns
from synthetic.defects import parse_defects
from synthetic.effects_sources import injected_effect_rows
from synthetic.journeys import Episodes, simulate_episodes
from synthetic.names import add_names
from synthetic.period import Period
from synthetic.population import build_population
from synthetic.reference import source_group_profile
from synthetic.referrals import build_referral_model
from synthetic.scenario import Scenario, load_scenario
from synthetic.sources import write_partner_sources
from synthetic.streams import stream_rng
from synthetic.writers import ssd as ssd_writer
from synthetic.writers.truth import write_injected_effects, write_referral_truth, write_source_truth

DEFAULT_CHILDREN = 250_000
DEFAULT_LA_CODE = "938"
# Further authorities (--authorities N): LA codes and sizes relative to the first.
EXTRA_AUTHORITIES = (
    ("936", 0.45),
    ("937", 0.7),
    ("935", 0.3),
    ("925", 0.55),
    ("926", 0.4),
    ("850", 0.6),
    ("886", 0.5),
    ("931", 0.35),
    ("825", 0.3),
)


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
    children: int | None = None,
    start: str = "2016-04",
    end: str = "2022-03",
    la_code: str | None = None,
    scenario: Path | None = None,
    calibration: Calibration = DEFAULT_CALIBRATION,
    authorities: int = 1,
    partner_sources: bool = True,
    cla_rates: LookedAfterRates = DEFAULT_LOOKED_AFTER,
    cla_targets: dict[int, float] | None = None,
    calibrate_to: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> GenerationSummary:
    """Write every partner's extracts and the ground truth under out_dir.

    The first authority is la_code (default 938) with `children` (default 250,000);
    further ones (authorities > 1) take the codes and relative sizes in EXTRA_AUTHORITIES
    and their own random streams. calibrate_to: a DfE LA code whose published yearly
    volumes the authority reproduces (synthetic/calibrate_la.py); la_code and children
    then default to that LA's code and child population. progress, if given, is told each
    stage as it ends.
    """
    say = progress or (lambda _: None)
    targets = calibrate_la.la_targets(calibrate_to) if calibrate_to is not None else None
    if children is None:
        children = targets.population if targets else DEFAULT_CHILDREN
    if la_code is None:
        la_code = calibrate_to if targets else DEFAULT_LA_CODE
    _check_arguments(children, la_code)
    if not 1 <= authorities <= 1 + len(EXTRA_AUTHORITIES):
        raise ValueError(f"authorities must be 1 to {1 + len(EXTRA_AUTHORITIES)}")
    out_dir = Path(out_dir)
    period = Period.from_months(start, end)
    groups = tuple(source_group_profile()["source_group"])
    calendar = Calendar.build(period.simulation_start, period.end)
    loaded = load_scenario(scenario, groups)
    referral_factors = None
    if targets is not None:
        fitted = _fit_to_la(
            targets, seed, children, la_code, period, calendar, loaded, calibration, cla_rates
        )
        referral_factors, calibration = fitted.referral_factors, fitted.calibration
        cla_rates, cla_targets = fitted.cla_rates, fitted.cla_targets
    model = build_referral_model(calendar, loaded, calibration.referrals, referral_factors)
    defects = parse_defects(loaded.defects)
    cin_only_defects = cin_defects.check_cin_defects(defects)
    plan = [(la_code, children)] + [
        (code, max(1, round(children * share)))
        for code, share in EXTRA_AUTHORITIES[: authorities - 1]
    ]
    if la_code in {code for code, _ in plan[1:]}:
        raise ValueError(f"la_code {la_code} clashes with a further authority's code")
    written: list[WrittenFile] = []
    defect_rows: list[dict] = []
    monthly: dict[str, list[list[object]]] = {}
    effect_rows: list[list[object]] = []  # the answer key reads no random stream
    population_total = referrals = 0
    for index, (code, size) in enumerate(plan):

        def rng_for(stream: str, index: int = index) -> np.random.Generator:
            return stream_rng(seed, stream, index)

        population = build_population(
            rng_for("population"), size, period, code, calibration.population
        )
        episodes = simulate_episodes(rng_for("referrals"), model, population, calendar, calibration)
        say(f"LA {code}: {len(population):,} children and their referrals simulated")
        cin_written, cin_defect_rows = write_cin_returns(
            out_dir,
            rng_for("cin_census"),
            period,
            code,
            episodes,
            population,
            calibration,
            cin_only_defects,
            rng_for("cin_defects"),
        )
        written += [WrittenFile(p, n, d) for p, n, d in cin_written]
        defect_rows += cin_defect_rows
        say(f"LA {code}: {len(cin_written)} CIN census returns written")
        truth = write_referral_truth(
            out_dir,
            code,
            period,
            episodes.referral,
            episodes.group,
            groups,
            suffix="" if index == 0 else f"_{code}",
        )
        written += [
            WrittenFile(p, _rows(p), "ground truth, distinct referrals a month") for p in truth
        ]
        inside = (episodes.referral >= period.start_day) & (episodes.referral <= period.end_day)
        population_total += len(population)
        referrals += int(inside.sum())
        if not partner_sources:
            effect_rows += injected_effect_rows(
                code, calendar, period, loaded, calibration, population
            )
            continue
        population = add_names(rng_for("names"), population)
        result = write_partner_sources(
            out_dir,
            rng_for,
            period,
            calendar,
            code,
            population,
            episodes,
            loaded,
            size,
            defects,
            cla_rates,
            cla_targets,
        )
        written += [WrittenFile(p, n, d) for p, n, d in result.written]
        say(f"LA {code}: {len(result.written)} partner extracts written")
        # The looked-after objects come from the simulation the SSDA903 returns were written
        # from, so the SSD and the returns agree child by child.
        ssd_files, ssd_monthly = ssd_writer.simulate_and_write(
            out_dir,
            rng_for("ssd"),
            model,
            episodes,
            population,
            calibration,
            period,
            code,
            result.looked_after,
            result.returned_places,
        )
        written += [WrittenFile(p, n, d) for p, n, d in ssd_files]
        monthly.setdefault("ssd", []).extend(ssd_monthly)
        say(f"LA {code}: {len(ssd_files)} SSD extract files written")
        effect_rows += injected_effect_rows(
            code, calendar, period, loaded, calibration, population, result, cla_rates, cla_targets
        )
        defect_rows += result.defects
        for source, rows in result.monthly.items():
            monthly.setdefault(source, []).extend(rows)
    if partner_sources or cin_only_defects:
        written += [
            WrittenFile(p, _rows(p), "ground truth")
            for p in write_source_truth(out_dir, defect_rows, monthly)
        ]
    path = write_injected_effects(out_dir, effect_rows)
    written.append(WrittenFile(path, len(effect_rows), "ground truth, injected effects"))
    # Last, so only a folder the generator wrote through may be protected by the demo key.
    written.append(WrittenFile(mark_synthetic(out_dir), 0, "synthetic marker: demo key allowed"))
    return GenerationSummary(out_dir, la_code, seed, population_total, referrals, tuple(written))


def _fit_to_la(
    targets: calibrate_la.LaTargets,
    seed: int,
    children: int,
    la_code: str,
    period: Period,
    calendar: Calendar,
    scenario: Scenario,
    calibration: Calibration,
    cla_rates: LookedAfterRates,
) -> calibrate_la.Fitted:
    # Pilot runs on the first authority's own population and random streams (common random
    # numbers), so the correction measures the model, not another draw's noise.
    population = build_population(
        stream_rng(seed, "population"), children, period, la_code, calibration.population
    )

    def simulate(cal: Calibration, factors: dict[int, float]) -> Episodes:
        model = build_referral_model(calendar, scenario, cal.referrals, factors)
        return simulate_episodes(stream_rng(seed, "referrals"), model, population, calendar, cal)

    # The first collection year wholly inside the simulation (1 April to 31 March).
    first = period.simulation_start
    first_year = first.year + (1 if first <= date(first.year, 4, 1) else 2)
    return calibrate_la.fit(
        targets,
        children,
        calibration,
        cla_rates,
        simulate,
        first_year,
        period.collection_years()[-1] if period.collection_years() else period.end.year,
    )


def _check_arguments(children: int, la_code: str) -> None:
    if not re.fullmatch(r"\d{3}", la_code):
        raise ValueError(f"la_code must be a three-digit DfE LA code, got {la_code!r}")
    if children < 1:
        raise ValueError("children must be at least 1")


def _rows(path: Path) -> int:
    with path.open(encoding="utf-8") as handle:
        return sum(1 for _ in handle) - 1
