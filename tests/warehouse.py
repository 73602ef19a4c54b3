"""Building test warehouses the way a run does: partner files ingested by every format,
then dbt, each test in its own folder (its own dbt target and logs, so tests never touch
the manifest the Dagster definitions read)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from orchestration.ingest.formats import all_formats
from orchestration.ingest.loader import Ingestor
from orchestration.privacy.keys import mark_synthetic
from orchestration.privacy.pseudonymise import load_pseudonymiser
from synthetic import generate
from tests.conftest import PARSE_STATE, PROJECT_ROOT, TEST_WAREHOUSE_NAME


def ingest_landing(root: Path) -> Path:
    """Ingest root/landing into root/warehouse.duckdb; every raw table exists afterwards.
    Test landings hold made-up data only, so they are marked for the demo key."""
    warehouse = root / "warehouse.duckdb"
    mark_synthetic(root / "landing")
    with duckdb.connect(str(warehouse)) as con:
        for fmt in all_formats():
            Ingestor(fmt, con, load_pseudonymiser(root / "landing"), root / "landing").ingest(
                root / "landing" / fmt.source
            )
    return warehouse


def dbt_build(root: Path, select: list[str] = (), exclude: list[str] = ()) -> None:
    """dbt build against root/warehouse.duckdb; a selection keeps tests of other models out.

    dbt runs from root with the warehouse named relatively, so its profile is the one the
    session's parse saw (tests/conftest.py) and it reuses that parse instead of parsing the
    whole project again (dbt reparses when the profile changes, and a path is in it)."""
    project = str(PROJECT_ROOT / "dbt_project")
    (root / "target").mkdir(exist_ok=True)
    shutil.copy2(PARSE_STATE, root / "target" / PARSE_STATE.name)
    command = [
        os.path.join(os.path.dirname(sys.executable), "dbt"),
        "build",
        "--project-dir",
        project,
        "--profiles-dir",
        project,
        "--target-path",
        str(root / "target"),
        "--log-path",
        str(root / "logs"),
    ]
    if select:
        command += ["--select", *select, "--indirect-selection", "cautious"]
    if exclude:
        command += ["--exclude", *exclude]
    completed = subprocess.run(
        command,
        cwd=root,
        env={**os.environ, "CSC_INTEL_WAREHOUSE": TEST_WAREHOUSE_NAME},
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stdout[-4000:]


def synthetic_warehouse(
    root: Path, *, select: list[str] = (), exclude: list[str] = (), **generator_options
) -> duckdb.DuckDBPyConnection:
    """Generate partner files, ingest them, build dbt; a read-only connection to the result."""
    generate(root / "landing", **generator_options)
    warehouse = ingest_landing(root)
    dbt_build(root, select, exclude)
    return duckdb.connect(str(warehouse), read_only=True)
