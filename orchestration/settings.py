"""Where the project's files live. Runtime locations come from the environment so that the
same code serves `make demo`, the tests (temporary folders) and a deployment."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
REFERENCE_DIR = PROJECT_ROOT / "data" / "reference"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"

DATA_DIR_ENV = "CSC_INTEL_DATA_DIR"
WAREHOUSE_ENV = "CSC_INTEL_WAREHOUSE"


def data_dir() -> Path:
    return Path(os.environ.get(DATA_DIR_ENV, PROJECT_ROOT / "data")).resolve()


def warehouse_path() -> Path:
    default = data_dir() / "warehouse.duckdb"
    return Path(os.environ.get(WAREHOUSE_ENV, default)).resolve()


# The authorities (three-digit DfE LA codes) this deployment serves, comma-separated, and the
# years of the same-months baseline (the dbt variable baseline_years, 3 in dbt_project.yml):
# both may also come from csc-intel.toml (orchestration/cli/config.py).
AUTHORITIES_ENV = "CSC_INTEL_AUTHORITIES"
BASELINE_YEARS_ENV = "CSC_INTEL_BASELINE_YEARS"
MAX_BASELINE_YEARS = 10


def authorities() -> list[str]:
    """The configured authorities; empty when none is configured."""
    codes = [code.strip() for code in os.environ.get(AUTHORITIES_ENV, "").split(",")]
    return [code for code in codes if code]


def dbt_vars() -> dict[str, int]:
    """The dbt variables set by the deployment's configuration (none by default)."""
    text = os.environ.get(BASELINE_YEARS_ENV, "").strip()
    if not text:
        return {}
    if not text.isdigit() or not 1 <= int(text) <= MAX_BASELINE_YEARS:
        raise ValueError(
            f"{BASELINE_YEARS_ENV} is {text!r}: it must be a whole number of years from 1 to "
            f"{MAX_BASELINE_YEARS}."
        )
    return {"baseline_years": int(text)}
