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
