"""Ingestion assets: one multi-asset per partner source, loading its landing folder into one
Dagster asset per raw table, with a blocking check that every delivered file was parsed."""

import inspect
from pathlib import Path

import dagster as dg

from orchestration.ingest import loader, robust
from orchestration.ingest.delivered import SourceFormat
from orchestration.ingest.formats import all_formats
from orchestration.ingest.formats.unrecognised import UnrecognisedFormat
from orchestration.ingest.landing import STAGE_FOLDERS
from orchestration.ingest.loader import Ingestor
from orchestration.ingest.model import IngestReport
from orchestration.operations import code_version
from orchestration.resources import (
    WAREHOUSE_WRITER_TAGS,
    DataPathsResource,
    PseudonymiserResource,
    WarehouseResource,
)

FILES_PARSED_CHECK = "files_parsed"
NO_DELIVERY_HELD_CHECK = "no_delivery_held"

# Ingestion is idempotent, so a step that failed on something passing (the warehouse file
# held by another process, a share briefly unavailable) is simply run again. Nothing else is
# retried: a delivered file's problem fails that file alone (robust.reading), and any other
# error, like a configuration error (no pseudonymisation key), would only fail again.
INGEST_RETRY_POLICY = dg.RetryPolicy(max_retries=3, delay=20, backoff=dg.Backoff.EXPONENTIAL)


def raw_table_key(table_name: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", table_name])


def ingest_source(
    fmt: SourceFormat,
    paths: DataPathsResource,
    warehouse: WarehouseResource,
    pseudonymiser: PseudonymiserResource,
) -> IngestReport:
    with robust.retry_only_transient(f"ingest_{fmt.source}"), warehouse.connect() as con:
        ingestor = Ingestor(fmt, con, pseudonymiser.get(paths.landing_dir, con), paths.landing_dir)
        return ingestor.ingest(paths.landing_dir / fmt.source)


def files_table(report: IngestReport) -> str:
    """Markdown table of the files of this run that were not simply unchanged."""
    lines = ["| file | status | rows loaded | rows rejected | findings |", "|---|---|---|---|---|"]
    lines += [
        f"| `{o.file_path}` | {o.status} | {o.rows_loaded} | {o.rows_rejected} | {o.findings} |"
        for o in report.outcomes
        if o.status != "unchanged"
    ]
    return "\n".join(lines) if len(lines) > 2 else "no new or changed files"


# The modules every format reads through (the loader and model, delimited and text files, XLSX,
# landing, pseudonymisation, supersede...): a change to any of them re-versions every source.
SHARED_INGEST_CODE = sorted(
    path
    for path in Path(loader.__file__).parent.glob("*.py")
    if path.name not in ("assets.py", "sensors.py", "__init__.py")
)


def format_code_version(fmt: SourceFormat) -> str:
    """Changes when the format's parser, the shared ingestion code or its contract changes."""
    files = [Path(inspect.getsourcefile(type(fmt))), *SHARED_INGEST_CODE]
    contract = getattr(fmt, "contract_path", None)
    return code_version(files + ([contract] if contract else []))


def table_rows(warehouse: WarehouseResource, table_names: list[str]) -> dict[str, int]:
    """Rows of each raw table, on one connection (opening the warehouse costs more than a
    count, and a format such as the SSD loads fifteen tables)."""
    with warehouse.connect(read_only=True) as con:
        return {
            name: con.execute(f'select count(*) from raw."{name}"').fetchone()[0]
            for name in table_names
        }


def report_metadata(report: IngestReport) -> dict:
    failures = "\n".join(f"- `{f.file_path}`: {f.error}" for f in report.failures)
    held = "\n".join(f"- `{o.file_path}`: {o.error}" for o in report.outcomes if o.status == "held")
    return {
        "files_held": report.count("held"),
        "held": dg.MetadataValue.md(held or "none"),
        "files": dg.MetadataValue.md(files_table(report)),
        "files_loaded": report.count("loaded"),
        "files_unchanged": report.count("unchanged"),
        "files_failed": report.count("failed"),
        "files_duplicate": report.count("duplicate"),
        "records_loaded": report.rows_loaded,
        "records_rejected": report.rows_rejected,
        "failures": dg.MetadataValue.md(failures or "none"),
    }


def build_ingest_assets(fmt: SourceFormat, partner: str, description: str) -> dg.AssetsDefinition:
    """One ingestion step per source: every raw table it fills is an asset, and the first
    carries the structure check, which blocks everything downstream when a file failed."""
    primary = raw_table_key(fmt.tables[0].name)
    specs = [
        dg.AssetSpec(
            raw_table_key(table.name),
            group_name="ingest",
            kinds={"python", "duckdb"},
            tags={"partner": partner, "source": fmt.source},
            description=f"raw.{table.name}: {description}",
            code_version=format_code_version(fmt),
        )
        for table in fmt.tables
    ]
    check = dg.AssetCheckSpec(
        FILES_PARSED_CHECK,
        asset=primary,
        blocking=True,
        description=f"Every {fmt.source} file in landing was parsed; a file that cannot be "
        "parsed blocks downstream assets until it is fixed or removed.",
    )
    held_check = dg.AssetCheckSpec(
        NO_DELIVERY_HELD_CHECK,
        asset=primary,
        description=f"No {fmt.source} re-delivery is held for a person to confirm (it would "
        "drop more records than the supersede rule allows; the earlier delivery stays loaded).",
    )

    @dg.multi_asset(
        name=f"ingest_{fmt.source}",
        specs=specs,
        check_specs=[check, held_check],
        retry_policy=INGEST_RETRY_POLICY,
        op_tags=WAREHOUSE_WRITER_TAGS,
    )
    def _ingest(
        context: dg.AssetExecutionContext,
        paths: DataPathsResource,
        warehouse: WarehouseResource,
        pseudonymiser: PseudonymiserResource,
    ):
        report = ingest_source(fmt, paths, warehouse, pseudonymiser)
        for failure in report.failures:
            context.log.error(f"{failure.file_path}: {failure.error}")
        metadata = report_metadata(report)
        rows = table_rows(warehouse, [table.name for table in fmt.tables])
        for spec, table in zip(specs, fmt.tables, strict=True):
            yield dg.MaterializeResult(
                asset_key=spec.key, metadata={**metadata, "dagster/row_count": rows[table.name]}
            )
        yield dg.AssetCheckResult(
            asset_key=primary,
            check_name=FILES_PARSED_CHECK,
            passed=not report.failures,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={"files_failed": len(report.failures), "failures": metadata["failures"]},
        )
        yield dg.AssetCheckResult(
            asset_key=primary,
            check_name=NO_DELIVERY_HELD_CHECK,
            passed=report.count("held") == 0,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={"files_held": metadata["files_held"], "held": metadata["held"]},
        )

    return _ingest


def build_unrecognised_files_asset(sources: list[str]) -> dg.AssetsDefinition:
    check = dg.AssetCheckSpec(
        "every_file_recognised",
        asset=dg.AssetKey(["raw", "unrecognised_files"]),
        description="No file sits in a landing folder that no source reads.",
    )

    @dg.asset(
        key=["raw", "unrecognised_files"],
        group_name="ingest",
        kinds={"python"},
        check_specs=[check],
        retry_policy=INGEST_RETRY_POLICY,
        op_tags=WAREHOUSE_WRITER_TAGS,
        code_version=code_version([Path(inspect.getsourcefile(UnrecognisedFormat))]),
        description="Files in data/landing/ outside every source folder (and the folders later "
        "stages read, such as partnership/), recorded in raw.file_manifest as failed with where "
        "they belong.",
    )
    def unrecognised_files(
        paths: DataPathsResource,
        warehouse: WarehouseResource,
        pseudonymiser: PseudonymiserResource,
    ):
        with robust.retry_only_transient("unrecognised_files"), warehouse.connect() as con:
            fmt = UnrecognisedFormat(sources)
            protector = pseudonymiser.get(paths.landing_dir, con)
            report = Ingestor(fmt, con, protector, paths.landing_dir).ingest(
                paths.landing_dir, skip_folders=[*sources, *STAGE_FOLDERS]
            )
        yield dg.MaterializeResult(metadata=report_metadata(report))
        yield dg.AssetCheckResult(
            check_name=check.name,
            passed=not report.failures,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={"files": len(report.failures)},
        )

    return unrecognised_files


# Written by every ingestion step, read by the coverage models: shown in the graph as the
# external record it is rather than produced by one step.
FILE_MANIFEST = dg.AssetSpec(
    ["raw", "file_manifest"],
    group_name="ingest",
    kinds={"duckdb"},
    description="raw.file_manifest: every file seen in data/landing, with its status, period "
    "and rows; written by every ingestion step.",
)

INGEST_ASSETS = [
    build_ingest_assets(fmt, partner=fmt.family, description=fmt.description)
    for fmt in all_formats()
]
INGEST_ASSETS += [
    build_unrecognised_files_asset([fmt.source for fmt in all_formats()]),
    FILE_MANIFEST,
]
