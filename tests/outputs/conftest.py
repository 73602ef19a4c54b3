"""One small synthetic county built once for every output test: ingested, dbt-built (tests
skipped: other suites run them) and its outputs materialized through Dagster."""

from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.outputs.assets import OUTPUT_ASSETS
from orchestration.resources import build_resources
from tests.warehouse import synthetic_warehouse


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("outputs")
    synthetic_warehouse(
        root,
        exclude=["resource_type:test"],
        seed=11,
        children=3_000,
        start="2016-04",
        end="2021-03",
    ).close()
    result = dg.materialize(OUTPUT_ASSETS, resources=build_resources(root))
    assert result.success
    return root


@pytest.fixture(scope="session")
def warehouse(built):
    con = duckdb.connect(str(built / "warehouse.duckdb"), read_only=True)
    yield con
    con.close()
