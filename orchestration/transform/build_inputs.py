"""Whether the last build already holds everything a new one would: the same delivered files
and the same code. A scheduled run with nothing new then skips the dbt build, and with it
the checks and outputs that read the marts, instead of rebuilding all of them unchanged."""

import hashlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import dagster as dg

from orchestration import settings
from orchestration.ingest.landing import STAGE_FOLDERS, delivered_files, file_sha256
from orchestration.ingest.ledger import has_raw_table
from orchestration.operations import code_version
from orchestration.resources import WarehouseResource

# Stored on every model's materialization by a build that succeeded.
BUILD_INPUTS = "csc_intel/build_inputs"
# `dagster job launch ... --tags '{"csc_intel/rebuild": "always"}'` builds even when nothing
# changed (after restoring a warehouse from backup, say).
REBUILD_TAG = "csc_intel/rebuild"
CODE_FOLDERS = ("dbt_project", "orchestration", "expectations", "data/reference")
GENERATED_FOLDERS = {"target", "logs", "dbt_packages", "__pycache__"}


def _code_files() -> Iterable[Path]:
    for folder in CODE_FOLDERS:
        for path in (settings.PROJECT_ROOT / folder).rglob("*"):
            relative = path.relative_to(settings.PROJECT_ROOT)
            if path.is_file() and not GENERATED_FOLDERS.intersection(relative.parts):
                yield path


@cache
def platform_code_version() -> str:
    """Changes with any model, macro, seed, parser, output, expectation or reference file."""
    return code_version(_code_files())


def stage_deliveries(landing_dir: Path) -> list[tuple[str, str]]:
    """(path, sha256 or refusal) of every file in the landing folders a stage after the build
    reads (STAGE_FOLDERS: the partnership returns, which need this run's questions register).
    They are read only after the build, so their manifest rows cannot tell the build they are
    new, and would tell the next one they are: what is delivered counts instead."""
    return sorted(
        (
            entry.path.relative_to(landing_dir).as_posix(),
            entry.refusal.reason if entry.refusal else file_sha256(entry.path),
        )
        for folder in sorted(STAGE_FOLDERS)
        for entry in delivered_files(landing_dir, landing_dir / folder)
    )


def build_inputs(warehouse: WarehouseResource, landing_dir: Path | None = None) -> str | None:
    """A hash of every file delivered (its content and status; for a later stage's folders,
    what is in landing_dir), of every retention run that deleted rows (raw tables lose rows
    without any file changing) and of the platform's code; None before anything has been
    ingested."""
    if not Path(warehouse.path).exists():
        return None
    with warehouse.connect(read_only=True) as con:
        if not has_raw_table(con, "file_manifest"):
            return None
        files = con.execute(
            "select file_path, file_sha256, status from raw.file_manifest"
            " where split_part(file_path, '/', 1) not in (select unnest(?)) order by all",
            [sorted(STAGE_FOLDERS)],
        ).fetchall()
        # Only deletions count: a retention run that removed nothing must not force a build.
        deletions = (
            con.execute(
                "select run_id, raw_table, rows_deleted from raw.retention_audit"
                " where rows_deleted > 0 order by all"
            ).fetchall()
            if has_raw_table(con, "retention_audit")
            else []
        )
    # The dbt variables a deployment sets change what the same files build.
    variables = repr(sorted(settings.dbt_vars().items()))
    stages = stage_deliveries(landing_dir) if landing_dir else []
    fingerprint = repr(files) + repr(deletions) + repr(stages) + platform_code_version() + variables
    return hashlib.sha256(fingerprint.encode()).hexdigest()[:16]


def last_build_is_current(
    context: dg.AssetExecutionContext, sentinel: dg.AssetKey, inputs: str | None
) -> dg.EventLogEntry | None:
    """The last build's materialization of `sentinel` when it was built from these inputs and
    every asset of the job downstream of the build was materialized after it (a run whose
    outputs failed is not current); None when a build is needed."""
    if inputs is None or context.run.tags.get(REBUILD_TAG) == "always":
        return None
    if set(context.selected_asset_keys) != set(context.assets_def.keys):
        return None
    last = context.instance.get_latest_materialization_event(sentinel)
    if last is None or last.asset_materialization is None:
        return None
    built_from = last.asset_materialization.metadata.get(BUILD_INPUTS)
    if built_from is None or built_from.value != inputs:
        return None
    for key in downstream_of_build(context):
        latest = context.instance.get_latest_materialization_event(key)
        if latest is None or latest.timestamp < last.timestamp:
            return None
    return last


def downstream_of_build(context: dg.AssetExecutionContext) -> set[dg.AssetKey]:
    """The assets of this run's job that read what the build makes."""
    graph = context.job_def.asset_layer.asset_graph
    built = set(context.assets_def.keys)
    children = {child for key in built for child in graph.get(key).child_keys}
    return children - built
