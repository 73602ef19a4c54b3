"""Great Expectations suites (expectations/*.json) run as Dagster asset checks.

GE's SQL datasource does not work on DuckDB, so each suite runs on a pandas frame of just the
columns it names, read from the warehouse. GE is imported inside the check because importing
it costs seconds that loading the code location should not pay. A suite over a raw table
gives its last result again when nothing delivered has changed since (unchanged_result)."""

import csv
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pandas as pd
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus

from orchestration.resources import WarehouseResource
from orchestration.settings import DBT_PROJECT_DIR, EXPECTATIONS_DIR
from orchestration.transform.build_inputs import REBUILD_TAG, build_inputs

SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
# A failing row is shown by its file and line, under this column name.
ROW_REF = "row_ref"
EXAMPLES_SHOWN = 5
# What a suite's result was validated from (build_inputs), so a run with nothing new reuses it.
VALIDATED_INPUTS = "csc_intel/validated_inputs"
FINISHED = {AssetCheckExecutionRecordStatus.SUCCEEDED, AssetCheckExecutionRecordStatus.FAILED}


@dataclass(frozen=True)
class Suite:
    """A suite file: which table it validates, which asset it belongs to, how severe it is.

    meta.derived names SQL expressions over the table (aliased t) that the suite validates
    like columns, for rules across fields or tables (a closure before its referral); a
    value_set of {"code_list": seed} stands for the codes of that seed."""

    name: str
    table: str
    asset_key: dg.AssetKey
    severity: dg.AssetCheckSeverity
    description: str
    expectations: list[dict[str, Any]]
    derived: dict[str, str]

    @property
    def columns(self) -> list[str]:
        named = {e["kwargs"]["column"] for e in self.expectations if "column" in e["kwargs"]}
        named |= {c for e in self.expectations for c in e["kwargs"].get("column_list", [])}
        return sorted(named - set(self.derived))

    @property
    def existence_only(self) -> set[str]:
        """Columns named only by expect_column_to_exist."""
        read = {
            e["kwargs"]["column"]
            for e in self.expectations
            if "column" in e["kwargs"] and e["type"] != "expect_column_to_exist"
        }
        read |= {c for e in self.expectations for c in e["kwargs"].get("column_list", [])}
        return set(self.columns) - read


def load_suite(path: Path) -> Suite:
    document = json.loads(path.read_text())
    meta = document["meta"]
    return Suite(
        name=document["name"],
        table=meta["table"],
        asset_key=dg.AssetKey(meta["asset_key"]),
        severity=dg.AssetCheckSeverity[meta.get("severity", "WARN")],
        description=meta["description"],
        expectations=[_with_code_lists(e) for e in document["expectations"]],
        derived=meta.get("derived", {}),
    )


def _with_code_lists(expectation: dict[str, Any]) -> dict[str, Any]:
    value_set = expectation["kwargs"].get("value_set")
    if not isinstance(value_set, dict):
        return expectation
    with (SEEDS_DIR / f"{value_set['code_list']}.csv").open(encoding="utf-8") as handle:
        codes = sorted({row["code"] for row in csv.DictReader(handle)})
    return {**expectation, "kwargs": {**expectation["kwargs"], "value_set": codes}}


def read_frame(con: duckdb.DuckDBPyConnection, suite: Suite) -> pd.DataFrame | None:
    """The suite's columns and derived values; a named column the table lacks is left out
    (the suite's column-exists expectations then fail); None when the table is missing."""
    schema, _, name = suite.table.partition(".")
    present = {
        column
        for (column,) in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ?",
            [schema, name],
        ).fetchall()
    }
    if not present:
        return None
    # A column the suite only needs to exist is not read: existence is the table's schema.
    selected = [
        f'null as "{column}"' if column in suite.existence_only else f't."{column}"'
        for column in suite.columns
        if column in present
    ]
    if {"_source_file", "_record_line"} <= present:
        selected.append(f"t._source_file || ':' || cast(t._record_line as varchar) as {ROW_REF}")
    selected += [f'{expression} as "{alias}"' for alias, expression in suite.derived.items()]
    # A suite about the schema alone reads no rows.
    schema_only = set(suite.columns) == suite.existence_only and not suite.derived
    rows = " limit 0" if schema_only else ""
    return con.execute(f"select {', '.join(selected)} from {suite.table} as t{rows}").df()


def validate_frame(suite: Suite, frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Run the suite on the frame; one summary per expectation (counts only, never values)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    gx_suite = gx.ExpectationSuite(name=suite.name)
    for expectation in suite.expectations:
        gx_suite.add_expectation(ExpectationConfiguration(**expectation).to_domain_obj())
    batch = (
        context.data_sources.add_pandas(suite.name)
        .add_dataframe_asset(suite.table)
        .add_batch_definition_whole_dataframe("whole_table")
        .get_batch(batch_parameters={"dataframe": frame})
    )
    results = batch.validate(gx_suite, result_format=_result_format(frame))
    return [
        {
            "expectation": result.expectation_config.type,
            "column": result.expectation_config.kwargs.get("column"),
            "rule": result.expectation_config.meta.get("rule", ""),
            "success": bool(result.success),
            "unexpected_count": int(result.result.get("unexpected_count") or 0),
            "unexpected_percent": round(float(result.result.get("unexpected_percent") or 0), 2),
            "error": _exception_message(result.exception_info or {}),
            "example_rows": [
                index[ROW_REF] for index in result.result.get("partial_unexpected_index_list") or []
            ],
        }
        for result in results.results
    ]


def _result_format(frame: pd.DataFrame) -> dict[str, Any]:
    """Counts only, plus (where the table has lineage) the file:line of a few failing rows;
    failing values are never reported, as some columns hold pseudonyms."""
    if ROW_REF not in frame.columns:
        return {"result_format": "BASIC"}
    return {
        "result_format": "SUMMARY",
        "unexpected_index_column_names": [ROW_REF],
        "partial_unexpected_count": EXAMPLES_SHOWN,
    }


def _exception_message(info: dict[str, Any]) -> str:
    """GE reports a failure to evaluate either flat or keyed by metric; find its message."""
    if info.get("raised_exception"):
        return str(info.get("exception_message") or "raised an exception")
    nested = [v for v in info.values() if isinstance(v, dict) and v.get("raised_exception")]
    return str(nested[0].get("exception_message")) if nested else ""


def _dates_at_nanoseconds(frame: pd.DataFrame) -> pd.DataFrame:
    """DuckDB hands dates over at microsecond precision; GE compares a date column with the
    suite's ISO-string bounds only at nanosecond precision."""
    for column in frame.select_dtypes(include=["datetime"]).columns:
        frame[column] = frame[column].astype("datetime64[ns]")
    return frame


def _summary_markdown(outcomes: list[dict[str, Any]]) -> str:
    lines = [
        "| rule | expectation | column | passed | unexpected | % | example rows | error |",
        "|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {o['rule']} | {o['expectation']} | {o['column']} | {o['success']} "
        f"| {o['unexpected_count']} | {o['unexpected_percent']} "
        f"| {', '.join(o['example_rows'])} | {o['error']} |"
        for o in outcomes
    ]
    return "\n".join(lines)


def unchanged_result(
    context: dg.AssetCheckExecutionContext, suite: Suite, inputs: str
) -> dg.AssetCheckResult | None:
    """The suite's last result when it was validated from these inputs (build_inputs: the
    same delivered files, retention deletions and code), so validating again would give the
    same outcome."""
    if context.run.tags.get(REBUILD_TAG) == "always":
        return None
    history = context.instance.event_log_storage.get_asset_check_execution_history(
        context.check_specs[0].key, limit=1, status=FINISHED
    )
    if not history or history[0].event is None or history[0].event.dagster_event is None:
        return None
    last = history[0].event.dagster_event.event_specific_data
    validated_from = last.metadata.get(VALIDATED_INPUTS)
    if validated_from is None or validated_from.value != inputs:
        return None
    return dg.AssetCheckResult(passed=last.passed, severity=suite.severity, metadata=last.metadata)


def validated_result(suite: Suite, warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """The suite run on its table as the warehouse holds it now."""
    with warehouse.connect(read_only=True) as con:
        frame = read_frame(con, suite)
    if frame is None:
        return dg.AssetCheckResult(
            passed=False,
            severity=suite.severity,
            metadata={"error": f"table {suite.table} does not exist"},
        )
    frame = _dates_at_nanoseconds(frame)
    outcomes = validate_frame(suite, frame)
    failed = [o for o in outcomes if not o["success"]]
    return dg.AssetCheckResult(
        passed=not failed,
        severity=suite.severity,
        metadata={
            "rows_validated": len(frame),
            "expectations_failed": len(failed),
            "results": dg.MetadataValue.md(_summary_markdown(outcomes)),
        },
    )


def build_suite_check(suite: Suite) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=suite.asset_key,
        name=f"expectations_{suite.name}",
        description=suite.description,
        blocking=suite.severity == dg.AssetCheckSeverity.ERROR,
    )
    def _check(
        context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
    ) -> dg.AssetCheckResult:
        # Only raw tables change by delivery alone; a suite over the marts always runs.
        inputs = build_inputs(warehouse) if suite.table.startswith("raw.") else None
        unchanged = unchanged_result(context, suite, inputs) if inputs else None
        if unchanged is not None:
            return unchanged
        result = validated_result(suite, warehouse)
        validated = {"validated_in_run": context.run.run_id}
        if inputs:
            validated[VALIDATED_INPUTS] = inputs
        return dg.AssetCheckResult(
            passed=result.passed, severity=suite.severity, metadata={**result.metadata, **validated}
        )

    return _check


def suite_checks(directory: Path = EXPECTATIONS_DIR) -> list[dg.AssetChecksDefinition]:
    return [build_suite_check(load_suite(path)) for path in sorted(directory.glob("*.json"))]
