"""The warehouse's record of deliveries: the raw tables and their ledgers (the manifest of
every file seen, rejected rows, schema findings), and how a file's outcome is written there.

Rows of a file count only once the manifest says it is delivered: the rows of a file that
failed half-way, or of a run killed in the middle of one, are removed (discard_unfinished).
A delivery is its content (sha256) at its path: the same bytes can be two deliveries, as a
table that did not change between terms is each term's delivery (delivered_as).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import duckdb

from orchestration.ingest.model import (
    LINEAGE_COLUMNS,
    Delivery,
    FileRejected,
    Finding,
    RawTable,
    Rejection,
)


def _create(table: str, columns: str) -> str:
    return f"create table if not exists raw.{table} ({columns})"


MANIFEST_DDL = _create(
    "file_manifest",
    "file_path varchar, file_sha256 varchar, size_bytes bigint, source varchar, area varchar,"
    " collection_period varchar, part varchar, status varchar, rows_loaded bigint,"
    " rows_rejected bigint, findings bigint, error varchar, fix varchar,"
    " pseudonymisation_key varchar, seen_at timestamp, superseded_by varchar,"
    " withdrawn_at timestamp",
)
# The two ledgers of a file's lines: where the line is, then what was wrong with it.
FILE_LINE = "source varchar, file_path varchar, file_sha256 varchar, line bigint, element varchar"
REJECTED_ROWS_DDL = _create(
    "rejected_rows", f"{FILE_LINE}, reason varchar, fix varchar, rejected_at timestamp"
)
SCHEMA_FINDINGS_DDL = _create(
    "schema_findings", f"{FILE_LINE}, rule varchar, message varchar, found_at timestamp"
)
# Written by the retention asset (orchestration/retention/); created with the other ledgers
# so that dbt, which reads it to know which months retention has emptied, always finds it.
RETENTION_AUDIT_DDL = _create(
    "retention_audit",
    "applied_at timestamp, run_id varchar, as_of date, rule varchar, source varchar,"
    " raw_table varchar, basis varchar, date_column varchar, years integer, cutoff_date date,"
    " rows_before bigint, rows_deleted bigint, rows_undated_kept bigint,"
    " policy_version varchar",
)
DELIVERED = (
    "select file_sha256, file_path from raw.file_manifest where status in ('loaded', 'superseded')"
)


def now() -> datetime:
    """The ledgers' clock: UTC, stored without a zone."""
    return datetime.now(UTC).replace(tzinfo=None)


def has_raw_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether raw.<name> exists: a warehouse nothing was ingested into has no manifest."""
    [(count,)] = con.execute(
        "select count(*) from duckdb_tables() where schema_name = 'raw' and table_name = ?",
        [name],
    ).fetchall()
    return bool(count)


def ensure_raw_tables(con: duckdb.DuckDBPyConnection, tables: tuple[RawTable, ...]) -> None:
    con.execute("create schema if not exists raw")
    for ddl in (MANIFEST_DDL, REJECTED_ROWS_DDL, SCHEMA_FINDINGS_DDL, RETENTION_AUDIT_DDL):
        con.execute(ddl)
    # A manifest from before withdrawals (orchestration/ingest/withdrawal.py) gains their time.
    con.execute("alter table raw.file_manifest add column if not exists withdrawn_at timestamp")
    for table in tables:
        columns = [f'"{name}" varchar' for name in table.all_columns]
        columns += [f'"{name}" {sql_type}' for name, sql_type in LINEAGE_COLUMNS.items()]
        con.execute(f"create table if not exists raw.{table.name} ({', '.join(columns)})")
        # A format that gained a column (a contract or DfE schema change) extends the table
        # of a warehouse built before it: earlier deliveries hold null there.
        for column in columns:
            con.execute(f"alter table raw.{table.name} add column if not exists {column}")


def delivered_as(
    con: duckdb.DuckDBPyConnection, sha: str, delivery: Delivery | None = None
) -> str | None:
    """The path this content was delivered under, if it is (or was, and stays replaced)
    loaded: for the same return (source, area, period and part) when delivery is given, else
    anywhere (a partnership return, orchestration/partnership/ingest.py)."""
    same_return, parameters = "", [sha]
    if delivery is not None:
        same_return = (
            " and source = ? and area is not distinct from ? and collection_period = ? and part = ?"
        )
        parameters += [delivery.source, delivery.area, delivery.collection_period, delivery.part]
    row = con.execute(
        "select file_path from raw.file_manifest where file_sha256 = ?"
        " and status in ('loaded', 'superseded')" + same_return,
        parameters,
    ).fetchone()
    return row[0] if row else None


def known_at(con: duckdb.DuckDBPyConnection, sha: str, relative: str) -> str | None:
    """What a run already made of this content at this path: unchanged (delivered here) or
    duplicate (recorded here as another delivery's copy); None when it is new here."""
    row = con.execute(
        "select bool_or(status in ('loaded', 'superseded')) from raw.file_manifest"
        " where file_sha256 = ? and file_path = ? and status in ('loaded', 'superseded',"
        " 'duplicate')",
        [sha, relative],
    ).fetchone()
    return None if row[0] is None else ("unchanged" if row[0] else "duplicate")


def seen_at_size(con: duckdb.DuckDBPyConnection, relative: str, size: int | None) -> bool:
    """Whether a delivered content of this size was recorded at this path: most likely the
    same file again, which needs hashing only."""
    row = con.execute(
        "select 1 from raw.file_manifest where file_path = ? and size_bytes = ?"
        " and status in ('loaded', 'superseded', 'duplicate')",
        [relative, size],
    ).fetchone()
    return row is not None


def only_loaded_area(con: duckdb.DuckDBPyConnection) -> str | None:
    """The one authority a single-authority warehouse has loaded files of, else None."""
    known = con.execute(
        "select distinct area from raw.file_manifest where status = 'loaded'"
        " and area is not null and area not like '%+%'"
    ).fetchall()
    return known[0][0] if len(known) == 1 else None


def discard_unfinished(
    con: duckdb.DuckDBPyConnection, source: str, tables: Iterable[RawTable]
) -> None:
    """Remove rows of files that are not (or no longer being) recorded as delivered."""
    for table in tables:
        con.execute(
            f"delete from raw.{table.name} where (_file_sha256, _source_file) not in ({DELIVERED})"
        )
    for log in ("rejected_rows", "schema_findings"):
        con.execute(
            f"delete from raw.{log} where source = ?"
            f" and (file_sha256, file_path) not in ({DELIVERED})",
            [source],
        )


def record_manifest(con: duckdb.DuckDBPyConnection, **values: object) -> None:
    columns = ", ".join(values)
    placeholders = ", ".join("?" for _ in values)
    con.execute(
        f"insert into raw.file_manifest ({columns}) values ({placeholders})",
        list(values.values()),
    )


def record_problems(
    con: duckdb.DuckDBPyConnection,
    source: str,
    where: tuple[str, str, datetime],
    rejections: list[Rejection],
    findings: list[Finding],
) -> None:
    """A batch's rejected rows and findings, each with the file's relative path, its sha256
    and the time of loading (where)."""
    relative, sha, at = where
    for table, rows in (
        ("rejected_rows", [[r.line, r.element, r.reason, r.fix] for r in rejections]),
        ("schema_findings", [[f.line, f.element, f.rule, f.message] for f in findings]),
    ):
        if rows:
            con.executemany(
                f"insert into raw.{table} values (?, ?, ?, ?, ?, ?, ?, ?)",
                [[source, relative, sha, *row, at] for row in rows],
            )


def record_failure(
    con: duckdb.DuckDBPyConnection,
    source: str,
    file: tuple[str, str | None, int | None],
    rejected: FileRejected,
) -> None:
    """file: its relative path, sha256 (None when refused unread) and size."""
    relative, sha, size = file
    # A file refused unread has no sha256: its earlier failure is found by its path.
    con.execute(
        "delete from raw.file_manifest where status = 'failed' and (file_sha256 = ?"
        " or (file_sha256 is null and file_path = ?))",
        [sha, relative],
    )
    record_manifest(
        con,
        file_path=relative,
        file_sha256=sha,
        size_bytes=size,
        source=source,
        status="failed",
        error=str(rejected),
        fix=rejected.fix,
        seen_at=now(),
    )


def record_once(con: duckdb.DuckDBPyConnection, **values: object) -> None:
    """A manifest row for a file that is not loaded (values name its file_path, file_sha256
    and status), written once however many runs meet the file."""
    already = con.execute(
        "select 1 from raw.file_manifest where file_path = ? and file_sha256 = ? and status = ?",
        [values["file_path"], values["file_sha256"], values["status"]],
    ).fetchone()
    if already is None:
        record_manifest(con, **values)


def record_duplicate(
    con: duckdb.DuckDBPyConnection, source: str, file: tuple[str, str, int], original: str
) -> None:
    relative, sha, size = file
    record_once(
        con,
        file_path=relative,
        file_sha256=sha,
        size_bytes=size,
        source=source,
        status="duplicate",
        error=f"Identical to {original}",
        fix="Nothing to do: the identical file is already loaded.",
        seen_at=now(),
    )
