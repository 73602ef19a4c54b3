"""The platform benchmark: each stage timed on its own, the whole run through Dagster, the
same models' SQL straight on DuckDB (the engine's limit), and incremental runs.

    make bench                                  # county: 1 authority, 250,000 children
    make bench SCALE=region                     # 10 authorities
    make bench SCALE=national AUTHORITIES=40
    .venv/bin/python bench/bench_platform.py --scale tiny --children 3000 --end 2021-03

Every stage runs in its own process (`dagster job execute` of one job of
bench/platform_jobs.py, or the generator); wall time, CPU time (user + system of the process
and the processes it waited for) and peak memory (largest resident set among them) come from
`os.wait4` (bench/measuring.py; the engine's limit: bench/engine_limit.py). Results go to
bench/results/<date>-<scale>.json and are printed as a table.
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import tempfile
from dataclasses import asdict
from datetime import date
from importlib.metadata import version
from pathlib import Path

from engine_limit import engine_limit
from measuring import (
    BIN,
    ROOT,
    Measure,
    dagster_job,
    environment,
    fresh_workdir,
    measured,
    table_rows,
)

RESULTS = ROOT / "bench" / "results"
SCALES = {"county": 1, "region": 10, "national": None, "tiny": 1}
STAGE_JOBS = ("ingest", "dbt_build", "quality", "outputs")
RUNS = ("stages", "whole", "new_month")


def run(args: argparse.Namespace) -> dict:
    authorities = args.authorities or SCALES[args.scale]
    if authorities is None:
        raise SystemExit("--scale national needs --authorities N")
    commit = _git_commit()  # the code the runs execute, whatever is committed meanwhile
    base = Path(tempfile.mkdtemp(prefix=f"bench-{args.scale}-", dir=args.workdir))
    generator = [
        str(BIN / "csc-intel"),
        "generate",
        "--out",
        str(base / "landing"),
        "--seed",
        "42",
        "--authorities",
        str(authorities),
    ]
    for option in ("children", "start", "end"):
        if getattr(args, option):
            generator += [f"--{option}", str(getattr(args, option))]
    env = environment(base)
    figures = [measured("generate", generator, env)]
    landing = base / "landing"
    held_back = base / "new_month"
    # The latest month is held back only when a run adds it later.
    last_month = _hold_back_last_month(landing, held_back) if "new_month" in args.runs else ""

    if "stages" in args.runs:
        figures += stage_by_stage(base, landing)
    if "whole" in args.runs:
        figures += whole_runs(base, landing, held_back, last_month)
    if not args.keep:
        shutil.rmtree(base)
    return {
        "date": date.today().isoformat(),
        "scale": args.scale,
        "authorities": authorities,
        "children_option": args.children,
        "period": [args.start, args.end],
        "runs": args.runs,
        "machine": _machine(),
        "versions": {
            name: version(name)
            for name in ("dagster", "dagster-dbt", "dbt-core", "dbt-duckdb", "duckdb", "pandas")
        },
        "git_commit": commit,
        "stages": [{**asdict(m), "rows_per_s": m.rows_per_s} for m in figures],
        "ratios": _ratios(figures),
    }


def stage_by_stage(base: Path, landing: Path) -> list[Measure]:
    """Each stage on its own, on one warehouse, then the engine's limit on a copy of it."""
    staged = fresh_workdir(base, "staged", landing)
    env = environment(staged)
    figures = [measured(stage, dagster_job(f"bench_{stage}"), env) for stage in STAGE_JOBS]
    warehouse = staged / "warehouse.duckdb"
    figures[0].rows = table_rows(warehouse, ("raw",))
    figures[1].rows = table_rows(warehouse, ("staging", "intermediate", "marts"))
    return [*figures, engine_limit(staged, env)]


def whole_runs(base: Path, landing: Path, held_back: Path, last_month: str) -> list[Measure]:
    """The whole run through Dagster, then nothing new, then the held-back month's extracts
    (when a month was held back)."""
    whole = fresh_workdir(base, "whole", landing)
    env = environment(whole)
    figures = [
        measured("whole_run", dagster_job("refresh_all"), env),
        measured("rerun_nothing_new", dagster_job("refresh_all"), env),
    ]
    if last_month:
        for path in held_back.rglob("*"):
            if path.is_file():
                destination = whole / "landing" / path.relative_to(held_back)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, destination)
        figures.append(measured(f"one_new_month_{last_month}", dagster_job("refresh_all"), env))
    return figures


def _hold_back_last_month(landing: Path, held_back: Path) -> str:
    """Move the monthly files of the latest month aside; the incremental run adds them."""
    months = sorted({p.stem[-7:] for p in landing.rglob("*_????-??.csv")})
    last = months[-1]
    for path in list(landing.rglob(f"*_{last}.csv")):
        destination = held_back / path.relative_to(landing)
        destination.parent.mkdir(parents=True, exist_ok=True)
        path.rename(destination)
    return last


def _ratios(figures: list[Measure]) -> dict[str, float]:
    wall = {m.stage: m.wall_s for m in figures}
    ratios = {}
    if "engine_limit_sql" in wall:
        limit = wall["engine_limit_sql"]
        ratios["dbt_build_over_engine_sql"] = round(wall["dbt_build"] / limit, 2)
        if "whole_run" in wall:
            ratios["whole_run_over_ingest_plus_engine_sql"] = round(
                wall["whole_run"] / (wall["ingest"] + limit), 2
            )
    if "whole_run" in wall:
        ratios["rerun_nothing_new_over_whole_run"] = round(
            wall["rerun_nothing_new"] / wall["whole_run"], 2
        )
    return ratios


def _machine() -> dict:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(memory, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def _git_commit() -> str:
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()


def print_table(result: dict) -> None:
    print(
        f"{result['scale']}: {result['authorities']} authorities, "
        f"{result['machine']['cores']} cores, {result['machine']['memory_gib']} GiB, "
        f"commit {result['git_commit'][:8]}"
    )
    print(f"{'stage':28} {'wall s':>8} {'CPU s':>8} {'peak MiB':>9} {'rows':>12} {'rows/s':>9}")
    for m in result["stages"]:
        rows = f"{m['rows']:,}" if m["rows"] else ""
        rate = f"{m['rows_per_s']:,}" if m["rows_per_s"] else ""
        print(
            f"{m['stage']:28} {m['wall_s']:8.1f} {m['cpu_s']:8.1f} {m['peak_mib']:9.0f} "
            f"{rows:>12} {rate:>9}"
        )
    for name, value in result["ratios"].items():
        print(f"{name}: {value}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, required=True)
    parser.add_argument("--authorities", type=int)
    parser.add_argument("--children", type=int)
    parser.add_argument("--start")
    parser.add_argument("--end")
    parser.add_argument("--workdir", help="where the temporary folders go (default: /tmp)")
    parser.add_argument("--keep", action="store_true", help="keep the work folders")
    parser.add_argument(
        "--runs",
        nargs="+",
        choices=RUNS,
        default=list(RUNS),
        help="stages: each stage and the engine's limit; whole: the whole run and a rerun "
        "with nothing new; new_month: then one more month (needs whole)",
    )
    args = parser.parse_args()
    result = run(args)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{result['date']}-{args.scale}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print_table(result)
    print(f"written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
