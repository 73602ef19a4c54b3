"""The retention step: after every ingestion step and before the dbt build (whose models
that read raw tables depend on it), it deletes from raw what the policy no longer allows to
be kept, so the same run rebuilds everything derived without it, and records one audit row
per rule and table in raw.retention_audit."""

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
from pydantic import Field

from orchestration.ingest.assets import INGEST_RETRY_POLICY, raw_table_key
from orchestration.operations import code_version, with_owners
from orchestration.resources import WAREHOUSE_WRITER_TAGS, WarehouseResource
from orchestration.retention import apply, policy
from orchestration.retention.apply import AuditRow, apply_policy

RETENTION_AUDIT = dg.AssetKey(["raw", "retention_audit"])
# The day is London's, as the schedules' are: a run just after midnight applies that day.
TIMEZONE = ZoneInfo("Europe/London")
CODE_FILES = [policy.POLICY_FILE, Path(policy.__file__), Path(apply.__file__), Path(__file__)]


class RetentionConfig(dg.Config):
    today: str | None = Field(
        default=None,
        description="The day the rules are applied at, YYYY-MM-DD; the run's day when unset "
        "(set it to test the policy at a chosen date).",
    )


def as_of(config: RetentionConfig) -> date:
    if config.today is None:
        return datetime.now(TIMEZONE).date()
    try:
        return date.fromisoformat(config.today)
    except ValueError:
        raise dg.Failure(
            f"Retention config today={config.today!r} is not a date: give it as YYYY-MM-DD.",
            allow_retries=False,
        ) from None


def audit_table(rows: list[AuditRow]) -> str:
    lines = [
        "| rule | table | cut-off | rows deleted | undated, kept |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {r.rule} | raw.{r.raw_table} | {r.cutoff_date} | {r.rows_deleted} | "
        f"{r.rows_undated_kept} |"
        for r in rows
    ]
    return "\n".join(lines)


def build_retention_asset() -> dg.AssetsDefinition:
    current = policy.policy()
    tables = {rule.table for rule in current.rules} | {
        rule.from_table for rule in current.rules if rule.from_table
    }

    @dg.asset(
        key=RETENTION_AUDIT,
        group_name="ingest",
        deps=[raw_table_key(table) for table in sorted(tables)],
        kinds={"python", "duckdb"},
        retry_policy=INGEST_RETRY_POLICY,
        op_tags=WAREHOUSE_WRITER_TAGS,
        code_version=code_version(CODE_FILES),
        description="raw.retention_audit: applies the retention policy "
        "(orchestration/retention/policy.yaml) after ingestion, deleting from the raw tables "
        "the rows kept as long as their rule allows, before the dbt build rebuilds from "
        "raw; one audit row per rule and table (cut-off, rows deleted, undated rows kept), "
        "never which child.",
    )
    def retention_audit(
        context: dg.AssetExecutionContext, config: RetentionConfig, warehouse: WarehouseResource
    ) -> dg.MaterializeResult:
        today = as_of(config)
        uncovered = policy.uncovered_tables(current)
        if uncovered:
            context.log.warning(
                "No retention rule for raw." + ", raw.".join(uncovered) + ": add one (or list "
                "the table under not_child_level) in orchestration/retention/policy.yaml."
            )
        with warehouse.connect() as con:
            rows = apply_policy(
                con, current, today, context.run_id, code_version([policy.POLICY_FILE])
            )
            (history,) = con.execute("select count(*) from raw.retention_audit").fetchone()
        for row in rows:
            if row.rows_deleted or row.rows_undated_kept:
                context.log.info(
                    f"{row.rule}: {row.rows_deleted} rows deleted from raw.{row.raw_table} "
                    f"(dated before {row.cutoff_date}); {row.rows_undated_kept} undated, kept"
                )
        return dg.MaterializeResult(
            metadata={
                "as_of": str(today),
                "rows_deleted": sum(row.rows_deleted for row in rows),
                "rows_undated_kept": sum(row.rows_undated_kept for row in rows),
                "rules": dg.MetadataValue.md(audit_table(rows)),
                "tables_without_rule": ", ".join(uncovered) or "none",
                "dagster/row_count": history,
            }
        )

    return retention_audit


RETENTION_ASSETS = [build_retention_asset()]

defs = dg.Definitions(assets=with_owners(RETENTION_ASSETS))
