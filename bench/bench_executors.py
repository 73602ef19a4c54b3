"""In-process against multiprocess execution of refresh_all on a small synthetic county.

    .venv/bin/python bench/bench_executors.py [--children 400]

Each executor runs the whole graph with `dagster job execute` on its own copy of the same
landing files, in its own DAGSTER_HOME; the script prints wall-clock time and outcome. The
multiprocess variants hold warehouse writers to one at a time (the steps tagged
WAREHOUSE_WRITER_TAGS); `all steps serial` runs every step in its own process, one after
another. This file is also the code location the multiprocess jobs run from."""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import dagster as dg

from orchestration.automation import FRESHNESS_CHECKS
from orchestration.definitions import ASSET_CHECKS, ASSETS
from orchestration.resources import WAREHOUSE_WRITER_TAGS, build_resources
from orchestration.settings import PROJECT_ROOT

[(WRITER_KEY, WRITER_VALUE)] = WAREHOUSE_WRITER_TAGS.items()


def multiprocess_job(name: str, max_concurrent: int) -> object:
    return dg.define_asset_job(
        name,
        selection=dg.AssetSelection.all(),
        executor_def=dg.multiprocess_executor.configured(
            {
                "max_concurrent": max_concurrent,
                "tag_concurrency_limits": [{"key": WRITER_KEY, "value": WRITER_VALUE, "limit": 1}],
            }
        ),
    )


defs = dg.Definitions(
    assets=ASSETS,
    asset_checks=[*ASSET_CHECKS, *FRESHNESS_CHECKS],
    jobs=[
        multiprocess_job("multiprocess_writers_serialised", max_concurrent=2),
        multiprocess_job("multiprocess_all_steps_serial", max_concurrent=1),
    ],
    resources=build_resources(),
)

VARIANTS = {
    "in-process (default)": ["-m", "orchestration.definitions", "-j", "refresh_all"],
    "multiprocess, 2 processes, writers serialised": [
        "-f",
        __file__,
        "-j",
        "multiprocess_writers_serialised",
    ],
    "multiprocess, all steps serial": ["-f", __file__, "-j", "multiprocess_all_steps_serial"],
}


def run(variant: list[str], data_dir: Path, home: Path) -> tuple[float, str]:
    home.mkdir(parents=True)
    shutil.copyfile(PROJECT_ROOT / "orchestration" / "dagster.yaml", home / "dagster.yaml")
    env = {**os.environ, "CSC_INTEL_DATA_DIR": str(data_dir), "DAGSTER_HOME": str(home)}
    env.pop("CSC_INTEL_WAREHOUSE", None)
    started = time.perf_counter()
    completed = subprocess.run(
        [str(Path(sys.executable).parent / "dagster"), "job", "execute", *variant],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    lock_errors = completed.stderr.count("Could not set lock")
    outcome = "success" if completed.returncode == 0 else "failed"
    if lock_errors:
        outcome += f" ({lock_errors} warehouse lock errors)"
    return elapsed, outcome


def main() -> None:
    from synthetic import generate

    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=800)
    parser.add_argument("--only", choices=list(VARIANTS), action="append", help="repeatable")
    args = parser.parse_args()
    variants = {label: VARIANTS[label] for label in args.only or VARIANTS}
    os.environ.setdefault("CSC_INTEL_DEMO_KEY", "1")
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "source"
        generate(source, seed=5, children=args.children, start="2020-04", end="2021-03")
        print(f"| executor ({args.children} children, 2020-04 to 2021-03) | seconds | outcome |")
        print("|---|---|---|")
        for number, (label, variant) in enumerate(variants.items()):
            data_dir = Path(scratch) / f"run{number}"
            shutil.copytree(source, data_dir / "landing")
            elapsed, outcome = run(variant, data_dir, Path(scratch) / f"home{number}")
            print(f"| {label} | {elapsed:.0f} | {outcome} |", flush=True)


if __name__ == "__main__":
    main()
