"""Every dbt model, seed and test as Dagster assets and checks.

The manifest is prepared outside import time (`dbt parse` in `make setup` and the tests), so
loading the code location never runs dbt."""

import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from orchestration import settings
from orchestration.ingest.formats import all_formats
from orchestration.operations import operations, table_preview, with_owners
from orchestration.resources import WAREHOUSE_WRITER_TAGS, DataPathsResource, WarehouseResource
from orchestration.retention.assets import RETENTION_AUDIT
from orchestration.transform.build_inputs import BUILD_INPUTS, build_inputs, last_build_is_current

DBT_PROJECT = DbtProject(
    project_dir=settings.DBT_PROJECT_DIR, profiles_dir=settings.DBT_PROJECT_DIR
)
if not DBT_PROJECT.manifest_path.exists():
    raise FileNotFoundError(
        f"No dbt manifest at {DBT_PROJECT.manifest_path}. Run `make setup` (or "
        "`dbt parse --project-dir dbt_project --profiles-dir dbt_project`) first."
    )

# Tables are counted after the build (cheap in DuckDB); views are not, as counting one
# runs its whole query.
COUNTED_MATERIALIZATIONS = {"table", "incremental"}
MULTIPLE_PARTNERS = "linked"
PARSE_STATE_FILE = "partial_parse.msgpack"
# The mart whose last materialization says what the last build was built from.
BUILD_SENTINEL = dg.AssetKey(["marts", "fct_indicator_monthly"])


@cache
def manifest() -> dict[str, Any]:
    return json.loads(DBT_PROJECT.manifest_path.read_text())


@cache
def partner_of_raw_table() -> dict[str, str]:
    return {table.name: fmt.family for fmt in all_formats() for table in fmt.tables}


def reads_raw(unique_id: str) -> bool:
    """Whether a dbt node selects from a raw table itself (a source among its parents)."""
    parents = manifest()["nodes"].get(unique_id, {}).get("depends_on", {}).get("nodes", [])
    return any(parent in manifest()["sources"] for parent in parents)


@cache
def partners_upstream(unique_id: str) -> frozenset[str]:
    """The partner families whose raw tables a dbt node reads, directly or through others."""
    nodes = manifest()["nodes"]
    if unique_id in manifest()["sources"]:
        family = partner_of_raw_table().get(manifest()["sources"][unique_id]["name"])
        return frozenset([family] if family else [])
    parents = nodes.get(unique_id, {}).get("depends_on", {}).get("nodes", [])
    return frozenset().union(*(partners_upstream(parent) for parent in parents))


# The indicator registry (dbt_project/macros/indicators/registry.sql) and its groups.
REGISTRY_MACRO = "macro.csc_intel.indicator_registry"
REGISTRY_GROUP_PREFIX = "macro.csc_intel.indicators__"


@cache
def macros_called(unique_id: str) -> tuple[str, ...]:
    """The project's macros a node calls, directly or through other macros, sorted."""
    nodes, macros = manifest()["nodes"], manifest()["macros"]
    pending = list(nodes.get(unique_id, {}).get("depends_on", {}).get("macros", []))
    seen: set[str] = set()
    while pending:
        macro = pending.pop()
        if macro in seen or macro not in macros or not macro.startswith("macro.csc_intel."):
            continue
        seen.add(macro)
        pending += macros[macro].get("depends_on", {}).get("macros", [])
        if macro == REGISTRY_MACRO:  # it calls its groups by name, which dbt cannot see
            pending += [m for m in macros if m.startswith(REGISTRY_GROUP_PREFIX)]
    return tuple(sorted(seen))


class CscDbtTranslator(DagsterDbtTranslator):
    """Sources resolve to the ingestion assets that load them (raw/<table>); models are
    grouped by their top folder under models/ (staging, intermediate, marts, quality, ...)
    and tagged with the partner whose data they carry, so the graph reads landing -> raw ->
    marts -> outputs. Models that read raw tables wait for the retention step, so they are
    built from what the policy still allows to be kept."""

    def get_asset_spec(
        self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None
    ) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        # A model reading the retention audit itself already depends on the step.
        waits = reads_raw(unique_id) and RETENTION_AUDIT not in {dep.asset_key for dep in spec.deps}
        return spec.merge_attributes(deps=[RETENTION_AUDIT]) if waits else spec

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey(["raw", dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        fqn = dbt_resource_props["fqn"]
        return fqn[1] if len(fqn) > 2 else "marts"

    def get_code_version(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        """The file's checksum and the text of every macro it calls, however deep: a model
        the indicator registry (macros/indicators/) writes changes when the registry does."""
        checksum = (dbt_resource_props.get("checksum") or {}).get("checksum")
        macros = macros_called(dbt_resource_props.get("unique_id", ""))
        if checksum is None or not macros:
            return checksum
        text = checksum + "".join(manifest()["macros"][m]["macro_sql"] for m in macros)
        return hashlib.sha256(text.encode()).hexdigest()

    def get_tags(self, dbt_resource_props: Mapping[str, Any]) -> Mapping[str, str]:
        partners = partners_upstream(dbt_resource_props["unique_id"])
        if not partners:
            return super().get_tags(dbt_resource_props)
        partner = next(iter(partners)) if len(partners) == 1 else MULTIPLE_PARTNERS
        return {**super().get_tags(dbt_resource_props), "partner": partner}


def relation_metadata(con: Any, node: Mapping[str, Any]) -> dict[str, Any]:
    """Row count of a built table, and a preview of a mart unless it is at a person's
    grain (see orchestration/operations.yaml)."""
    if node["config"]["materialized"] not in COUNTED_MATERIALIZATIONS:
        return {}
    relation = f'"{node["schema"]}"."{node["alias"]}"'
    metadata: dict[str, Any] = {
        "dagster/row_count": con.execute(f"select count(*) from {relation}").fetchone()[0]
    }
    if node["fqn"][1] == "marts":
        preview = table_preview(con, relation)
        if preview is not None:
            metadata["preview"] = preview
    return metadata


def with_built_table_metadata(
    events: Iterable[Any], warehouse: WarehouseResource, inputs: str | None
) -> Iterator[Any]:
    """The build's events, each model's output with its row count (and preview) added, and
    what it was built from. dbt holds the warehouse while it runs, so the counts are read
    once it has finished (and only if it built a model: a build that failed at once may
    have left no warehouse)."""
    built_from = {BUILD_INPUTS: inputs} if inputs else {}
    with ExitStack() as stack:
        con = None
        for event in events:
            node = built_model(event)
            if node is not None:
                con = con or stack.enter_context(warehouse.connect(read_only=True))
                metadata = {**event.metadata, **relation_metadata(con, node), **built_from}
                event = event.with_metadata(metadata)
            yield event


def built_model(event: Any) -> Mapping[str, Any] | None:
    """The manifest node of a model's output event; None for any other event."""
    if not isinstance(event, dg.Output) or "unique_id" not in event.metadata:
        return None
    node = manifest()["nodes"].get(event.metadata["unique_id"].value)
    return node if node and node["resource_type"] == "model" else None


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


@dbt_assets(
    manifest=DBT_PROJECT.manifest_path,
    dagster_dbt_translator=CscDbtTranslator(),
    op_tags=WAREHOUSE_WRITER_TAGS,
)
def csc_dbt_models(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    warehouse: WarehouseResource,
    paths: DataPathsResource,
) -> Iterator[Any]:
    inputs = build_inputs(warehouse, paths.landing_dir)
    current = last_build_is_current(context, BUILD_SENTINEL, inputs)
    if current is not None:
        context.log.info(
            f"Nothing new since the build of run {current.run_id}: the same delivered files "
            "and code. Skipping dbt and the checks and outputs that read the marts; tag a run "
            "csc_intel/rebuild=always to build anyway."
        )
        return
    with warehouse_environment(warehouse.path):
        invocation = dbt.cli(["build", *dbt_vars_args()], context=context, raise_on_error=False)
        events = list(invocation.stream())
    removed = prune_dbt_runs(invocation.target_path.parent, context.op_execution_context.op.name)
    if removed:
        context.log.info(f"Removed {len(removed)} old dbt run folders from dbt_project/target")
    error = invocation.get_error()
    if error is None:
        keep_parse_state(invocation.target_path)
    # Only a build that succeeded vouches for its inputs: after a failure the next run builds.
    yield from with_built_table_metadata(events, warehouse, None if error else inputs)
    if error is not None:
        raise error


def dbt_vars_args() -> list[str]:
    """`--vars` for the dbt variables the deployment sets (settings.dbt_vars), if any."""
    variables = settings.dbt_vars()
    return ["--vars", json.dumps(variables)] if variables else []


def keep_parse_state(build_target: Path) -> None:
    """Leaves a build's parse where the next build starts from: dagster-dbt copies
    dbt_project/target/partial_parse.msgpack into each build's folder, but dbt parses the
    whole project again when the saved parse saw another profile, and the warehouse path in
    the profile comes from the run, so the parse of `make setup` never matches. Replaced
    atomically, as another build may be copying it."""
    built = build_target / PARSE_STATE_FILE
    if built.exists():
        kept = DBT_PROJECT.project_dir / DBT_PROJECT.target_path / PARSE_STATE_FILE
        temporary = kept.with_name(f"{kept.name}.{os.getpid()}")
        shutil.copy2(built, temporary)
        os.replace(temporary, kept)


def prune_dbt_runs(target_dir: Path, op_name: str) -> list[Path]:
    """Removes the folders dagster-dbt writes per build (<op>-<run>-<id>/) beyond the latest
    finished ones, and those of builds that never finished (operations.yaml, dbt_target).
    A build is finished once dbt wrote its run_results.json: another build may be writing a
    newer folder right now (a second run, the tests), and that one is never removed."""
    rules = operations()["dbt_target"]
    finished, unfinished = [], []
    for folder in (p for p in target_dir.glob(f"{op_name}-*") if p.is_dir()):
        try:
            finished.append(((folder / "run_results.json").stat().st_mtime, folder))
        except FileNotFoundError:  # not finished, or just removed by another build's pruning
            unfinished.append(folder)
    newest_first = [folder for _, folder in sorted(finished, reverse=True)]
    cutoff = time.time() - float(rules["abandoned_after_hours"]) * 3600
    stale = [folder for folder in unfinished if last_written(folder) < cutoff]
    removed = [*newest_first[int(rules["keep_runs"]) :], *stale]
    for folder in removed:
        shutil.rmtree(folder, ignore_errors=True)
    return removed


def last_written(folder: Path) -> float:
    """When a build last wrote in its folder (dbt appends to dbt.log while it runs); now if
    the folder is gone meanwhile."""
    try:
        return max([folder.stat().st_mtime, *(p.stat().st_mtime for p in folder.glob("dbt.log*"))])
    except FileNotFoundError:
        return time.time()


defs = dg.Definitions(assets=with_owners([csc_dbt_models]))
