"""The partnership stage in Dagster: the return template written from this run's questions
register, the partners' returns read from data/landing/partnership/, the partnership marts
built from them, and the audit sample the auditors work from. It runs after the register
(which the dbt marts feed) and before the briefing and the workbook, which show what it
built."""

from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cache

import dagster as dg
import duckdb
import pandas as pd
from dagster_dbt import get_asset_key_for_model

from orchestration.ingest import robust
from orchestration.ingest.assets import INGEST_RETRY_POLICY
from orchestration.operations import table_preview
from orchestration.outputs.assets import questions_register
from orchestration.outputs.exports import write_csv_atomically
from orchestration.outputs.partnership_published import FOLDER, TEMPLATE_NAME
from orchestration.outputs.since_last_run import REGISTER_NAME
from orchestration.partnership.audit_sample import audit_sample
from orchestration.partnership.ingest import ReturnsReport, ingest_returns
from orchestration.partnership.marts import HISTORY, build_marts, load_docs
from orchestration.partnership.template import write_template
from orchestration.partnership.warehouse_tables import relation_exists
from orchestration.resources import (
    WAREHOUSE_WRITER_TAGS,
    DataPathsResource,
    PseudonymiserResource,
    WarehouseResource,
)
from orchestration.transform.assets import csc_dbt_models
from orchestration.transform.indicator_catalogue import registry

GROUP = "partnership"
AUDIT_SAMPLE_NAME = "audit_sample.csv"
TEMPLATE_KEY = dg.AssetKey([GROUP, "return_template"])
RETURNS_KEY = dg.AssetKey([GROUP, "returns"])
AUDIT_SAMPLE_KEY = dg.AssetKey(["outputs", "audit_sample"])
ERRORS_SHOWN = 20


def dbt_key(name: str) -> dg.AssetKey:
    return get_asset_key_for_model([csc_dbt_models], name)


@cache
def events_marts() -> list[dg.AssetKey]:
    """The marts the indicators count events in: where an audited child is looked for and
    the audit sample is drawn from."""
    names = {entry["compute"]["events"] for entry in registry() if "events" in entry["compute"]}
    return [dbt_key(name) for name in sorted(names)]


def read_register(paths: DataPathsResource) -> pd.DataFrame:
    """This run's questions register as the register asset wrote it (text, as published)."""
    return pd.read_csv(paths.outputs_dir / REGISTER_NAME, dtype=str, keep_default_na=False)


@dg.asset(
    key=TEMPLATE_KEY,
    deps=[questions_register, dbt_key("indicators")],
    group_name=GROUP,
    kinds={"excel"},
    description=(
        f"data/outputs/{FOLDER}/{TEMPLATE_NAME}: the workbook partners fill in and return to "
        f"data/landing/{FOLDER}/: what they decided about each question (the rows come "
        "pre-filled with this run's register), survey results, focus-group and interview "
        "themes, case-file audits and the shared plan, with instructions, drop-down lists and "
        "checks (orchestration/partnership/returns.yaml)."
    ),
)
def return_template(paths: DataPathsResource, warehouse: WarehouseResource) -> dg.MaterializeResult:
    register = read_register(paths)
    with warehouse.connect(read_only=True) as con:
        indicators = con.execute("select indicator_id from reference.indicators order by 1")
        indicator_ids = [indicator for (indicator,) in indicators.fetchall()]
    target = write_template(paths.outputs_dir / FOLDER / TEMPLATE_NAME, register, indicator_ids)
    return dg.MaterializeResult(
        metadata={"path": dg.MetadataValue.path(str(target)), "questions": len(register)}
    )


def question_ids_raised(con: duckdb.DuckDBPyConnection, register: pd.DataFrame) -> set[str]:
    """The ids a return may name: this run's questions and every one an earlier run raised
    (a partner may still be answering a question that has since closed)."""
    ids = set(register["question_id"])
    if relation_exists(con, "marts", HISTORY):
        earlier = con.execute(f"select distinct question_id from marts.{HISTORY}").fetchall()
        ids |= {question for (question,) in earlier}
    return ids


def files_table(report: ReturnsReport) -> str:
    lines = ["| file | partner | status | rows loaded | rows rejected |", "|---|---|---|---|---|"]
    lines += [
        f"| `{o.file}` | {o.partner or ''} | {o.status} | {o.rows_loaded} | {o.rows_rejected} |"
        for o in report.files
    ]
    return "\n".join(lines) if report.files else f"no return in data/landing/{FOLDER}/"


def returns_metadata(report: ReturnsReport) -> dict:
    errors = [error for outcome in report.files for error in outcome.errors]
    shown = "\n".join(f"- {error}" for error in errors[:ERRORS_SHOWN])
    more = f"\n- and {len(errors) - ERRORS_SHOWN} more" if len(errors) > ERRORS_SHOWN else ""
    counts = {f"files_{status}": report.count(status) for status in
              ("loaded", "superseded", "refused", "unchanged")}  # fmt: skip
    return {
        **counts,
        "files": dg.MetadataValue.md(files_table(report)),
        "rows_loaded": sum(outcome.rows_loaded for outcome in report.files),
        "rows_rejected": sum(outcome.rows_rejected for outcome in report.files),
        "errors": dg.MetadataValue.md(shown + more if errors else "none"),
    }


@dg.asset(
    key=RETURNS_KEY,
    # The ids of earlier runs are read from marts.fct_question_history as the last run left
    # it: a dependency on the marts built below would be a cycle.
    deps=[TEMPLATE_KEY, questions_register],
    group_name=GROUP,
    kinds={"excel", "duckdb"},
    retry_policy=INGEST_RETRY_POLICY,
    op_tags=WAREHOUSE_WRITER_TAGS,
    description=(
        f"raw.partnership_<sheet>: the partners' returns in data/landing/{FOLDER}/, one table "
        "per sheet, each partner's latest return only (an earlier one is superseded and stays "
        "in raw.file_manifest). A row with an unknown question, a code outside its list or a "
        "name or date typed into free text is rejected into raw.rejected_rows with the file, "
        "sheet, row and fix; case references are stored as the child's pseudonym only."
    ),
)
def partnership_returns(
    context: dg.AssetExecutionContext,
    paths: DataPathsResource,
    warehouse: WarehouseResource,
    pseudonymiser: PseudonymiserResource,
) -> dg.MaterializeResult:
    register = read_register(paths)
    with robust.retry_only_transient("partnership_returns"), warehouse.connect() as con:
        known = question_ids_raised(con, register)
        protector = pseudonymiser.get(paths.landing_dir, con)
        report = ingest_returns(con, paths.landing_dir / FOLDER, known, protector)
    for outcome in report.files:
        if outcome.status == "refused" or outcome.rows_rejected:
            context.log.warning(f"{outcome.file}: {outcome.status}, {outcome.rows_rejected} rows"
                                " rejected (see the check returns_without_errors)")  # fmt: skip
    return dg.MaterializeResult(metadata=returns_metadata(report))


MART_KEYS = [dg.AssetKey(["marts", name]) for name in load_docs()]


@dg.multi_asset(
    name="partnership_marts",
    specs=[
        dg.AssetSpec(
            key,
            group_name=GROUP,
            kinds={"python", "duckdb"},
            deps=[
                RETURNS_KEY,
                questions_register,
                dbt_key("rpt_indicator_vs_baseline"),
                *events_marts(),
            ],  # fmt: skip
            description=" ".join(docs["description"].split())
            + " (orchestration/partnership/marts.yaml documents every column.)",
        )
        for key, docs in zip(MART_KEYS, load_docs().values(), strict=True)
    ],
    op_tags=WAREHOUSE_WRITER_TAGS,
)
def partnership_marts(
    context: dg.AssetExecutionContext, paths: DataPathsResource, warehouse: WarehouseResource
) -> Iterator[dg.MaterializeResult]:
    register = read_register(paths)
    run_at = datetime.now(UTC)
    with warehouse.connect() as con:
        written = build_marts(con, register, context.run_id, run_at, run_at.date())
        previews = {name: table_preview(con, f"marts.{name}") for name in written}
    for key in MART_KEYS:
        name = key.path[-1]
        preview = {"preview": previews[name]} if previews[name] is not None else {}
        yield dg.MaterializeResult(
            asset_key=key, metadata={"dagster/row_count": written[name], **preview}
        )


@dg.asset(
    key=AUDIT_SAMPLE_KEY,
    deps=[
        dg.AssetKey(["marts", "fct_questions"]),
        RETURNS_KEY,
        questions_register,
        *events_marts(),
    ],  # fmt: skip
    group_name=GROUP,
    kinds={"csv"},
    description=(
        f"data/outputs/{FOLDER}/{AUDIT_SAMPLE_NAME}: for each question under enquiry, up to "
        "30 children behind it (the events its indicator counts in its months and group), by "
        "pseudonym, for the auditors to look up in the authority's own system, drawn the same "
        "on every run (data/reference/partnership/review.yaml); a question without a list has "
        "the reason. Restricted: pseudonyms, never to be published."
    ),
)
def audit_sample_csv(
    paths: DataPathsResource, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    register = read_register(paths)
    with warehouse.connect(read_only=True) as con:
        sample = audit_sample(con, register)
    target = paths.outputs_dir / FOLDER / AUDIT_SAMPLE_NAME
    write_csv_atomically(sample, target)
    listed = sample[sample["child_pseudonym"].notna()]
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(target)),
            "questions": sample["question_id"].nunique(),
            "cases": len(listed),
            "questions_without_a_list": int(sample["reason"].notna().sum()),
        }
    )


PARTNERSHIP_ASSETS = [return_template, partnership_returns, partnership_marts, audit_sample_csv]
