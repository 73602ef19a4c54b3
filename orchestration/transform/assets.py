"""Every dbt model, seed and test as Dagster assets and checks.

The manifest is prepared outside import time (`dbt parse` in `make setup` and the tests), so
loading the code location never runs dbt."""

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from orchestration import settings
from orchestration.resources import WarehouseResource

DBT_PROJECT = DbtProject(
    project_dir=settings.DBT_PROJECT_DIR, profiles_dir=settings.DBT_PROJECT_DIR
)
if not DBT_PROJECT.manifest_path.exists():
    raise FileNotFoundError(
        f"No dbt manifest at {DBT_PROJECT.manifest_path}. Run `make setup` (or "
        "`dbt parse --project-dir dbt_project --profiles-dir dbt_project`) first."
    )

LAYER_GROUPS = {
    "staging": "staging",
    "intermediate": "intermediate",
    "marts": "marts",
    "quality": "quality",
}


class CscDbtTranslator(DagsterDbtTranslator):
    """Sources resolve to the ingestion assets that load them (raw/<table>); models are
    grouped by layer and keyed by schema, so the graph reads landing -> raw -> marts."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey(["raw", dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        layer = dbt_resource_props["fqn"][1] if len(dbt_resource_props["fqn"]) > 2 else None
        return LAYER_GROUPS.get(layer, "marts")


@contextmanager
def warehouse_environment(path: str) -> Iterator[None]:
    """dbt reads the warehouse path from the environment (profiles.yml)."""
    previous = os.environ.get(settings.WAREHOUSE_ENV)
    os.environ[settings.WAREHOUSE_ENV] = path
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(settings.WAREHOUSE_ENV, None)
        else:
            os.environ[settings.WAREHOUSE_ENV] = previous


@dbt_assets(manifest=DBT_PROJECT.manifest_path, dagster_dbt_translator=CscDbtTranslator())
def csc_dbt_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
) -> Iterator[Any]:
    with warehouse_environment(warehouse.path):
        yield from dbt.cli(["build"], context=context).stream()
