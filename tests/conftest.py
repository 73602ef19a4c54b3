"""Test-wide set-up: telemetry off, the public demo key, and a fresh dbt manifest (dagster-dbt
reads it when orchestration.definitions is imported).

The demo key is accepted only on a landing folder the generator marked as synthetic: a test
that builds its landing folder by hand marks it with orchestration.privacy.keys.mark_synthetic."""

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DFE_SAMPLE = PROJECT_ROOT / "data" / "reference" / "format_samples" / "BAR_cin_2022.xml"


def pytest_configure(config: pytest.Config) -> None:
    os.environ["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    os.environ["DO_NOT_TRACK"] = "1"
    os.environ["GX_ANALYTICS_ENABLED"] = "false"
    os.environ["CSC_INTEL_DEMO_KEY"] = "1"
    os.environ.pop("CSC_INTEL_PSEUDONYMISATION_KEY", None)
    os.environ.pop("CSC_INTEL_PSEUDONYMISATION_KEY_FILE", None)
    dbt = Path(sys.executable).parent / "dbt"
    subprocess.run(
        [
            str(dbt),
            "parse",
            "--quiet",
            "--project-dir",
            "dbt_project",
            "--profiles-dir",
            "dbt_project",
        ],
        cwd=PROJECT_ROOT,
        check=True,
    )


@pytest.fixture
def con():
    """An in-memory warehouse for tests that ingest a few hand-made files."""
    connection = duckdb.connect()
    yield connection
    connection.close()
