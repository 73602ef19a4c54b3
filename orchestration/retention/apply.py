"""Applying the retention policy to the raw tables: one delete per rule and table, all in one
transaction with their audit rows, so a run either applies the whole policy or none of it.

The audit says what was deleted under which rule, how many rows and when; never which
child, file or record."""

from __future__ import annotations

from dataclasses import astuple, dataclass
from datetime import UTC, date, datetime

import duckdb

from orchestration.ingest.delimited import parse_date_sql
from orchestration.ingest.formats import all_formats
from orchestration.ingest.ledger import RETENTION_AUDIT_DDL
from orchestration.retention.policy import Policy, TableRule


@dataclass(frozen=True)
class AuditRow:
    applied_at: datetime
    run_id: str
    as_of: date
    rule: str
    source: str
    raw_table: str
    basis: str
    date_column: str
    years: int
    cutoff_date: date
    rows_before: int
    rows_deleted: int
    rows_undated_kept: int
    policy_version: str


def cutoff(today: date, years: int) -> date:
    """The day `years` before today: rows dated before it have been kept `years` in full.
    29 February falls back to the 28th in a year without it."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def anchor_sql(basis: str, column: str) -> str:
    """The date a row's period runs from, null when the delivered value cannot be read."""
    quoted = f'"{column}"'
    if basis == "date":
        return f"cast({parse_date_sql(column)} as date)"
    if basis == "birth_month":
        # Only the month is known: its last day, so no one's record goes before its time.
        return f"last_day(cast(try_strptime(trim({quoted}) || '-01', '%Y-%m-%d') as date))"
    # A collection year ends on 31 March of the year the return is named after.
    return (
        f"case when regexp_full_match(trim({quoted}), '[0-9]{{4}}')"
        f" then make_date(cast(trim({quoted}) as integer), 3, 31) end"
    )


def linked_anchors_sql(rule: TableRule) -> str:
    """Per child (the join_on key) of the linked table, the latest date it gives."""
    keys = ", ".join(f'"{key}"' for key in rule.join_on)
    return (
        f"select {keys}, max({anchor_sql(rule.basis, rule.column)}) as anchor"
        f' from raw."{rule.from_table}" group by all'
    )


def _row_anchor_sql(rule: TableRule, table: str) -> str:
    """A row's anchor date (null: undated), the one the rows are counted and deleted by: its
    own, or its child's latest in the linked table."""
    if rule.from_table is None:
        return anchor_sql(rule.basis, rule.column)
    joined = " and ".join(f'linked."{key}" = {table}."{key}"' for key in rule.join_on)
    return f"(select linked.anchor from ({linked_anchors_sql(rule)}) as linked where {joined})"


def dated_rows_sql(rule: TableRule) -> str:
    """Every row of the rule's table with its anchor date (null: undated)."""
    table = f'raw."{rule.table}"'
    return f"select {_row_anchor_sql(rule, table)} as anchor from {table}"


def delete_sql(rule: TableRule) -> str:
    table = f'raw."{rule.table}"'
    return f"delete from {table} where {_row_anchor_sql(rule, table)} < ?"


def existing_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute("select table_name from duckdb_tables() where schema_name = 'raw'")
    return {name for (name,) in rows.fetchall()}


def application_order(policy: Policy) -> list[TableRule]:
    """Rules that read another table's dates run first, before that table loses rows."""
    return sorted(policy.rules, key=lambda rule: rule.from_table is None)


def apply_policy(
    con: duckdb.DuckDBPyConnection,
    policy: Policy,
    today: date,
    run_id: str,
    policy_version: str,
) -> list[AuditRow]:
    """Delete what the policy no longer allows to be kept at `today`; one audit row per rule
    and table present (a source never delivered has no table yet and nothing to delete)."""
    con.execute("create schema if not exists raw")
    con.execute(RETENTION_AUDIT_DDL)
    present = existing_tables(con)
    # The audit names the landing folder a table is delivered to, the word the manifest
    # uses, so dbt can tell which deliveries' months retention has emptied.
    delivered_by = {table.name: fmt.source for fmt in all_formats() for table in fmt.tables}
    applied_at = datetime.now(UTC).replace(tzinfo=None)
    audit = []
    con.execute("begin transaction")
    try:
        for rule in application_order(policy):
            if not {rule.table, rule.from_table or rule.table} <= present:
                continue
            limit = cutoff(today, rule.years)
            before, undated = con.execute(
                "select count(*), count(*) filter (where anchor is null)"
                f" from ({dated_rows_sql(rule)})"
            ).fetchone()
            (deleted,) = con.execute(delete_sql(rule), [limit]).fetchone()
            audit.append(
                AuditRow(
                    applied_at=applied_at,
                    run_id=run_id,
                    as_of=today,
                    rule=rule.rule_id,
                    source=delivered_by[rule.table],
                    raw_table=rule.table,
                    basis=rule.basis,
                    date_column=rule.date_column,
                    years=rule.years,
                    cutoff_date=limit,
                    rows_before=before,
                    rows_deleted=deleted,
                    rows_undated_kept=undated,
                    policy_version=policy_version,
                )
            )
        if audit:
            con.executemany(
                "insert into raw.retention_audit values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [list(astuple(row)) for row in audit],
            )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return audit
