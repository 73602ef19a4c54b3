"""Measuring a benchmark stage: each runs in its own process in a fresh work folder, and
os.wait4 gives its wall time, CPU time (user + system of the process and the processes it
waited for) and peak memory (largest resident set among them).
"""

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@dataclass
class Measure:
    stage: str
    wall_s: float
    cpu_s: float
    peak_mib: float
    rows: int | None = None

    @property
    def rows_per_s(self) -> float | None:
        return round(self.rows / self.wall_s) if self.rows and self.wall_s else None


def measured(stage: str, command: list[str], env: dict[str, str]) -> Measure:
    """Run a command to completion; its wall time, CPU time and peak memory."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{stage} failed ({' '.join(command)}):\n{output.decode()[-3000:]}")
    return Measure(
        stage,
        round(wall, 1),
        round(usage.ru_utime + usage.ru_stime, 1),
        round(usage.ru_maxrss / 1024),
    )


def environment(work: Path) -> dict[str, str]:
    """The platform run as an operator runs it, on the demo key, with its data, warehouse and
    Dagster instance in the work folder and telemetry off (tests/ops/test_cli.py runs the
    commands in it too)."""
    return {
        **os.environ,
        "CSC_INTEL_DEMO_KEY": "1",
        "CSC_INTEL_DATA_DIR": str(work),
        "CSC_INTEL_WAREHOUSE": str(work / "warehouse.duckdb"),
        "DAGSTER_HOME": str(work / "dagster_home"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DO_NOT_TRACK": "1",
        "GX_ANALYTICS_ENABLED": "false",
    }


def dagster_job(job: str) -> list[str]:
    return [str(BIN / "dagster"), "job", "execute", "-f", "bench/platform_jobs.py", "-j", job]


def fresh_workdir(base: Path, name: str, landing: Path) -> Path:
    work = base / name
    (work / "dagster_home").mkdir(parents=True)
    shutil.copy(ROOT / "orchestration" / "dagster.yaml", work / "dagster_home" / "dagster.yaml")
    shutil.copytree(landing, work / "landing")
    return work


def table_rows(warehouse: Path, schemas: tuple[str, ...]) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        listed = ", ".join(f"'{schema}'" for schema in schemas)
        tables = con.execute(
            f"select schema_name, table_name from duckdb_tables() where schema_name in ({listed})"
        ).fetchall()
        return sum(
            con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0]
            for schema, table in tables
        )
