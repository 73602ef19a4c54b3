"""How well the expected values work, on scenarios whose truth is known (issue 14's targets).

For each scenario (default: the England Covid-19 default and `no_shock`, no shock and no
defects) a county is generated, run through the whole platform, and scored:
- the share of assessed indicator-months flagged (a mean count of 10 or more): on no_shock
  every flag is a false alarm;
- the backtest (marts.rpt_method_backtest): pooled coverage of the 95% interval, and the
  share of series whose own coverage lies in 90%-98%, beside the share a perfect method
  would reach with so few months per series (binomial);
- recall of the injected changes of 20% or more (the generator's _truth/injected_effects.csv)
  among series the method assesses, flagged in the right direction;
- the time to fit every series and to backtest them, on the built warehouse.

    .venv/bin/python bench/bench_expected.py                    # 250,000 children, both scenarios
    .venv/bin/python bench/bench_expected.py --children 50000 --scenarios no_shock
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from scipy.stats import binom

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measuring import (  # noqa: E402
    BIN,
    ROOT,
    dagster_job,
    environment,
    fresh_workdir,
    measured,
)

SCENARIOS = {
    "england_covid": ROOT / "synthetic" / "scenarios" / "england_covid.yaml",
    "no_shock": ROOT / "synthetic" / "scenarios" / "no_shock.yaml",
}
ASSESSED = ("below", "above", "within")


def build(base: Path, scenario: str, children: int) -> Path:
    landing = base / f"{scenario}_landing"
    subprocess.run(
        [str(BIN / "csc-intel"), "generate", "--out", str(landing), "--seed", "42",
         "--children", str(children), "--scenario", str(SCENARIOS[scenario])],
        check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    work = fresh_workdir(base, scenario, landing)
    for stage in ("ingest", "dbt_build"):
        measured(stage, dagster_job(f"bench_{stage}"), environment(work))
    return work


def score(work: Path) -> dict:
    with duckdb.connect(str(work / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute(
            "select area_code, indicator_id, breakdown_dimension, breakdown_value, month,"
            " flag, method, period_id from marts.rpt_indicator_vs_baseline"
        ).df()
        backtest = con.execute("select * from marts.rpt_method_backtest").df()
        timings = fit_times(con)
    truth = pd.read_csv(work / "landing" / "_truth" / "injected_effects.csv", dtype=str)
    assessed = rows[rows["flag"].isin(ASSESSED)]
    flagged = assessed["flag"].isin(["below", "above"])
    since = assessed["month"] >= rows.loc[rows["period_id"].notna(), "month"].min()
    big = backtest[backtest["mean_base_count"] >= 10]
    perfect = np.mean(
        [binom.cdf(np.floor(0.98 * n), n, 0.95) - binom.cdf(np.ceil(0.90 * n) - 1, n, 0.95)
         for n in big["months_tested"]]
    )  # fmt: skip
    return {
        "indicator_months_assessed": len(assessed),
        "share_flagged": round(float(flagged.mean()), 4),
        "share_flagged_before_first_period": round(float(flagged[~since].mean()), 4),
        "backtest_series": len(big),
        "backtest_pooled_coverage": round(
            big["months_inside"].sum() / big["months_tested"].sum(), 4
        ),
        "backtest_series_in_90_98": round(float(big["coverage"].between(0.9, 0.98).mean()), 3),
        "backtest_series_in_90_98_if_perfect": round(float(perfect), 3),
        "backtest_series_coverage_median": round(float(big["coverage"].median()), 3),
        **recall(rows, truth),
        **timings,
    }


def recall(rows: pd.DataFrame, truth: pd.DataFrame) -> dict:
    keys = ["area_code", "indicator_id", "breakdown_dimension", "breakdown_value", "month"]
    truth = truth.assign(true_effect=truth["true_effect"].astype(float))
    injected = truth[(truth["true_effect"] - 1).abs() >= 0.2]
    rows = rows.assign(month=pd.to_datetime(rows["month"]).dt.strftime("%Y-%m-01"))
    joined = injected.merge(rows, on=keys, how="inner")
    judged = joined[joined["flag"].isin(ASSESSED)]
    right = np.where(judged["true_effect"] < 1, "below", "above")
    hits = judged["flag"].to_numpy() == right
    missed = judged.loc[~hits, ["indicator_id", "breakdown_value", "month", "true_effect", "flag"]]
    return {
        "injected_changes_20pc": len(injected),
        "injected_assessed": len(judged),
        "injected_not_assessed": int((~joined["flag"].isin(ASSESSED)).sum()),
        "recall_right_direction": round(float(hits.mean()), 3) if len(judged) else None,
        "missed_examples": missed.head(12).to_dict("records"),
    }


def fit_times(con: duckdb.DuckDBPyConnection) -> dict:
    """Seconds to fit every series, and to backtest them, from the built warehouse."""
    from orchestration.expected.backtest import backtest
    from orchestration.expected.dbt_inputs import INPUT_MODELS, read_inputs
    from orchestration.expected.series import expected_values

    schemas = dict(
        con.execute(
            "select table_name, table_schema from information_schema.tables"
            " where table_schema in ('reference', 'intermediate', 'marts')"
        ).fetchall()
    )
    relations = {
        argument: con.table(f"{schemas[name]}.{name}") for argument, name in INPUT_MODELS.items()
    }
    inputs, settings = read_inputs(None, **relations)
    series = inputs.monthly.groupby(
        ["area_code", "indicator_id", "breakdown_dimension", "breakdown_value"]
    ).ngroups
    started = time.perf_counter()
    expected_values(inputs, settings)
    fitted = time.perf_counter() - started
    backtest(inputs, settings)
    return {
        "series": series,
        "fit_seconds": round(fitted, 2),
        "backtest_seconds": round(time.perf_counter() - started - fitted, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=250_000)
    parser.add_argument("--scenarios", nargs="+", default=list(SCENARIOS), choices=SCENARIOS)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory(prefix="bench_expected_") as folder:
        for scenario in args.scenarios:
            started = time.perf_counter()
            work = build(Path(folder), scenario, args.children)
            results[scenario] = {**score(work), "run_seconds": round(time.perf_counter() - started)}
            print(scenario, json.dumps(results[scenario], indent=1, default=str), flush=True)
    out = ROOT / "bench" / "results" / "expected_values.json"
    out.write_text(json.dumps({"children": args.children, **results}, indent=1, default=str))


if __name__ == "__main__":
    main()
