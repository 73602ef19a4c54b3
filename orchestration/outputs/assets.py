"""Output assets: files under data/outputs/ for people who do not query the warehouse. Each
is rebuilt on every run from the marts and states the data and time it was built from."""

from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import pandas as pd
from dagster_dbt import get_asset_key_for_model

from orchestration.ingest.assets import FILE_MANIFEST
from orchestration.operations import with_owners
from orchestration.outputs import briefing, exports, open_data, questions, since_last_run
from orchestration.outputs.analyst_copy import ANALYST_COPY_NAME, publish_marts
from orchestration.outputs.partnership_published import TABLES as PARTNERSHIP_TABLES
from orchestration.outputs.partnership_published import Partnership, read_partnership
from orchestration.outputs.published import Marts, publishable, read_marts
from orchestration.outputs.suppression import SUPPRESSED
from orchestration.outputs.workbook_partnership import partnership_sheets
from orchestration.partnership.marts import load_docs
from orchestration.resources import DataPathsResource, WarehouseResource
from orchestration.transform.assets import csc_dbt_models

# The dbt models and seed the reports read, by name: their keys come from the dbt assets, so
# a model moved to another folder (another key prefix) cannot leave a report without it.
REPORT_MODELS = (
    "fct_indicator_monthly",
    "rpt_indicator_vs_baseline",
    "rpt_period_summary",
    "rpt_benchmark_positions",
    "rpt_benchmark_neighbours",
    "rpt_benchmark_authorities",
    "rpt_ssd_returns_reconciliation",
    "dim_month",
    "dq_summary",
    "indicators",
)
REPORT_INPUTS = [
    *(get_asset_key_for_model([csc_dbt_models], name) for name in REPORT_MODELS),
    FILE_MANIFEST.key,
]
# The partnership marts (orchestration/partnership/, built after the questions register): by
# key, as that stage reads this module's register. The briefing and the workbook read four of
# them; the analyst copy copies every one (marts.yaml).
PARTNERSHIP_OUTPUT_INPUTS = [dg.AssetKey(["marts", table]) for table in PARTNERSHIP_TABLES]
PARTNERSHIP_MARTS = [dg.AssetKey(["marts", table]) for table in load_docs()]


# Every release's published cells, beside the warehouse (it holds the small counts too); it
# outlives a rebuilt warehouse, because the releases already published do.
RELEASE_LEDGER_NAME = "release_ledger.csv"


def published_marts(warehouse: WarehouseResource) -> tuple[Marts, dict[str, pd.DataFrame]]:
    """The marts and what of them may be published. Every output computes the same cells
    from the same marts and ledger, so the order the outputs run in does not matter."""
    with warehouse.connect(read_only=True) as con:
        marts = read_marts(con)
    return marts, publishable(marts, Path(warehouse.path).with_name(RELEASE_LEDGER_NAME))


def partnership_marts(warehouse: WarehouseResource) -> Partnership:
    with warehouse.connect(read_only=True) as con:
        return read_partnership(con)


def write_text_atomically(text: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(target)


@dg.asset(
    key=["outputs", "exports"],
    deps=[*REPORT_INPUTS, *PARTNERSHIP_OUTPUT_INPUTS],
    group_name="outputs",
    kinds={"csv", "excel"},
    description=(
        "data/outputs/exports/: the monthly indicators, each month and each period against its "
        "baseline, and the benchmarks as CSV in DfE's open data layout, each with a .meta.csv, "
        "and csc_intel_indicators.xlsx (Excel tables, a sheet per family, an About sheet, and "
        "once partners have returned the template the partnership's questions, evidence, plan "
        "and review). "
        "Counts of 1 to 4, figures built on them and figures that would reveal them through a "
        "published total are shown as 'c'; 'z' is not applicable, 'x' not delivered."
    ),
)
def exports_asset(paths: DataPathsResource, warehouse: WarehouseResource) -> dg.MaterializeResult:
    marts, tables = published_marts(warehouse)
    with warehouse.connect(read_only=True) as con:
        geography = open_data.read_geography(con)
    folder = paths.outputs_dir / "exports"
    sheets = partnership_sheets(
        partnership_marts(warehouse), marts.indicators, tables["vs_baseline"]
    )
    published = exports.write_exports(marts, tables, geography, folder, datetime.now(UTC), sheets)
    workbook = folder / exports.WORKBOOK_NAME
    monthly = published["indicators_monthly"]
    return dg.MaterializeResult(
        metadata={
            "folder": dg.MetadataValue.path(str(folder)),
            "workbook": dg.MetadataValue.path(str(workbook)),
            "monthly_rows": len(monthly),
            "values_suppressed": int((monthly["value"] == SUPPRESSED).sum()),
            "partnership_sheets": len(sheets),
        }
    )


# The decomposition of each headline's change by each of its breakdowns, beside the register.
DECOMPOSITION_NAME = "question_decomposition.csv"


@dg.asset(
    key=["outputs", "questions_register"],
    deps=REPORT_INPUTS,
    group_name="outputs",
    kinds={"csv"},
    description=(
        "data/outputs/questions.csv: for every indicator and run of months outside its expected "
        "range since the first period of interest, a question from "
        "data/reference/questions/question_rules.csv with a stable id, the evidence, the caveat "
        "and a confidence; the priority list (at most ten, data/reference/questions/"
        "priorities.yaml) first. question_decomposition.csv: each headline's change by "
        "breakdown. The last run's register is kept as questions_previous.csv."
    ),
)
def questions_register(
    paths: DataPathsResource, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    marts, tables = published_marts(warehouse)
    built = questions.build(tables["vs_baseline"], marts.indicators)
    register = built.register
    since_last_run.keep_previous(paths.outputs_dir)
    target = paths.outputs_dir / since_last_run.REGISTER_NAME
    exports.write_csv_atomically(register, target)
    exports.write_csv_atomically(built.decomposition, paths.outputs_dir / DECOMPOSITION_NAME)
    priority = register[register["priority"].notna()]
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(target)),
            "questions": len(register),
            "priority_questions": len(priority),
            "high_confidence": int((register["confidence"] == "high").sum()),
            "priority": dg.MetadataValue.md(
                "\n".join(f"{r.priority}. {r.question} {r.evidence}" for r in priority.itertuples())
            ),
        }
    )


@dg.asset(
    key=["outputs", "briefing_html"],
    # After the register, whose last run's copy says what changed since then, and after the
    # partnership stage, which reads the register.
    deps=[*REPORT_INPUTS, questions_register, *PARTNERSHIP_OUTPUT_INPUTS],
    group_name="outputs",
    kinds={"html"},
    description=(
        "data/outputs/briefing.html: the self-contained briefing (no network needed): the "
        "priority questions and what changed since the last run, the questions partners took "
        "into an enquiry, what they heard and whether their actions work (or where the "
        "partnership template is, before any return), the largest changes per "
        "period, charts per indicator family with the expected range and the lockdowns, each "
        "period against its baseline, the caveats, benchmarks and the extracts it was built from."
    ),
)
def briefing_html(paths: DataPathsResource, warehouse: WarehouseResource) -> dg.MaterializeResult:
    marts, tables = published_marts(warehouse)
    built = questions.build(tables["vs_baseline"], marts.indicators)
    since = since_last_run.compare(built.register, since_last_run.read_previous(paths.outputs_dir))
    built_at = datetime.now(UTC)
    target = paths.outputs_dir / "briefing.html"
    partnership = partnership_marts(warehouse)
    page = briefing.render(marts, tables, built, built_at, since, partnership)
    write_text_atomically(page, target)
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(target)),
            "built_at": built_at.isoformat(timespec="seconds"),
            "questions": len(built.register),
            "partnership_returns": partnership.returns_loaded,
        }
    )


@dg.asset(
    key=["outputs", "analyst_marts"],
    deps=[*csc_dbt_models.keys, *PARTNERSHIP_MARTS],
    group_name="outputs",
    kinds={"duckdb"},
    description=(
        "data/outputs/analyst_marts.duckdb: the read-only copy of the marts, reference and quality "
        "tables for analysts (about.build says when), replaced in one rename after each "
        "successful build so it can be queried while a run writes the warehouse."
    ),
)
def analyst_marts(paths: DataPathsResource, warehouse: WarehouseResource) -> dg.MaterializeResult:
    target = paths.outputs_dir / ANALYST_COPY_NAME
    copied = publish_marts(Path(warehouse.path), target, datetime.now(UTC))
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(target)),
            "tables": len(copied),
            "rows": sum(copied.values()),
        }
    )


OUTPUT_ASSETS = [exports_asset, questions_register, briefing_html, analyst_marts]

defs = dg.Definitions(assets=with_owners(OUTPUT_ASSETS))
