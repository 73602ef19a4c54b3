"""The one ingestion framework every delivered format plugs into.

A format knows how to recognise its files (detect) and turn them into rows (read). Everything
else happens here, once: hashing the file, skipping what is already loaded, pseudonymising
identifier columns, adding lineage, loading in one transaction, replacing an earlier delivery
for the same collection period, and keeping every rejected file and row with its reason.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Protocol

import duckdb
import pyarrow as pa

from orchestration.ingest import robust
from orchestration.ingest.landing import LandingFile, delivered_files, file_sha256
from orchestration.ingest.pseudonymise import CLEAR_PARTS, Pseudonymiser, dropped_postcodes
from orchestration.ingest.supersede import replace_earlier
from orchestration.ingest.withdrawal import apply_withdrawals

# Above this share of unreadable rows a file is more likely cut or mis-exported than
# partly wrong: it is rejected whole rather than half-loaded.
MAX_REJECTED_SHARE = 0.5

LINEAGE_COLUMNS: dict[str, str] = {
    "_source_file": "VARCHAR",
    "_file_sha256": "VARCHAR",
    "_record_line": "BIGINT",
    "_area": "VARCHAR",
    "_collection_period": "VARCHAR",
    "_loaded_at": "TIMESTAMP",
}

MANIFEST_DDL = """
create table if not exists raw.file_manifest (
    file_path varchar, file_sha256 varchar, size_bytes bigint, source varchar, area varchar,
    collection_period varchar, part varchar, status varchar, rows_loaded bigint,
    rows_rejected bigint, findings bigint, error varchar, fix varchar, pseudonymisation_key varchar,
    seen_at timestamp, superseded_by varchar, withdrawn_at timestamp
)"""
REJECTED_ROWS_DDL = """
create table if not exists raw.rejected_rows (
    source varchar, file_path varchar, file_sha256 varchar, line bigint, element varchar,
    reason varchar, fix varchar, rejected_at timestamp
)"""
SCHEMA_FINDINGS_DDL = """
create table if not exists raw.schema_findings (
    source varchar, file_path varchar, file_sha256 varchar, line bigint, element varchar,
    rule varchar, message varchar, found_at timestamp
)"""
# Written by the retention asset (orchestration/retention/); created with the other ledgers
# so that dbt, which reads it to know which months retention has emptied, always finds it.
RETENTION_AUDIT_DDL = """
create table if not exists raw.retention_audit (
    applied_at timestamp, run_id varchar, as_of date, rule varchar, source varchar,
    raw_table varchar, basis varchar, date_column varchar, years integer, cutoff_date date,
    rows_before bigint, rows_deleted bigint, rows_undated_kept bigint, policy_version varchar
)"""


@dataclass(frozen=True)
class RawTable:
    """A raw table: delivered columns kept as text, identifier columns pseudonymised, and
    for some identifier kinds a coarse part kept in the clear (see CLEAR_PARTS)."""

    name: str
    columns: tuple[str, ...]
    identifiers: Mapping[str, str] = field(default_factory=dict)

    @property
    def clear_columns(self) -> dict[str, tuple[str, str]]:
        """Clear column name -> (identifier column, kind)."""
        return {
            f"{column}{CLEAR_PARTS[kind][0]}": (column, kind)
            for column, kind in self.identifiers.items()
            if kind in CLEAR_PARTS
        }

    @property
    def all_columns(self) -> tuple[str, ...]:
        return self.columns + tuple(self.clear_columns)


@dataclass(frozen=True)
class Delivery:
    """What a file is, read from its content: source, area and collection period, and for
    a return delivered as several files (SSDA903), which part of it."""

    source: str
    area: str | None  # None: the content does not say; see Ingestor.resolve_area
    collection_period: str
    part: str = ""


@dataclass(frozen=True)
class Rejection:
    """A record that could not be loaded; the file keeps the record, this keeps the reason."""

    line: int | None
    element: str
    reason: str
    fix: str


@dataclass(frozen=True)
class Finding:
    """A content problem that does not stop loading (for example a code outside the XSD)."""

    line: int | None
    element: str
    rule: str
    message: str


@dataclass
class Batch:
    """Rows parsed from part of a file, per raw table: either column name -> values, or an
    Arrow table (text columns plus _record_line)."""

    rows: dict[str, dict[str, list] | pa.Table]
    records: int
    rejections: list[Rejection] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


class FileRejected(Exception):
    """The whole file cannot be loaded. The message says what is wrong and how to fix it."""

    def __init__(self, reason: str, fix: str, line: int | None = None) -> None:
        where = f" (line {line})" if line else ""
        super().__init__(f"{reason}{where}. Fix: {fix}")
        self.reason = reason
        self.fix = fix
        self.line = line


class SourceFormat(Protocol):
    source: str
    family: str
    description: str
    tables: tuple[RawTable, ...]
    # A larger file is refused unread: the one place a source's size limit is kept.
    max_file_bytes: int

    def detect(self, path: Path) -> Delivery:
        """Read just enough of the file to say what it is; raise FileRejected if it is not."""

    def read(self, path: Path, delivery: Delivery, file_key: str) -> Iterator[Batch]:
        """Yield the file's rows in bounded batches; raise FileRejected on broken structure.

        file_key is unique to the file's content; generated record keys start with it."""


@dataclass
class FileOutcome:
    file_path: str
    status: str
    rows_loaded: int = 0
    rows_rejected: int = 0
    findings: int = 0
    error: str | None = None


@dataclass
class IngestReport:
    source: str
    outcomes: list[FileOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def rows_loaded(self) -> int:
        return sum(outcome.rows_loaded for outcome in self.outcomes)

    @property
    def rows_rejected(self) -> int:
        return sum(outcome.rows_rejected for outcome in self.outcomes)

    @property
    def failures(self) -> list[FileOutcome]:
        return [outcome for outcome in self.outcomes if outcome.status == "failed"]


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


def _refuse_mostly_bad(path: Path, outcome: FileOutcome) -> None:
    total = outcome.rows_loaded + outcome.rows_rejected
    if total and outcome.rows_rejected / total > MAX_REJECTED_SHARE:
        raise FileRejected(
            f"{outcome.rows_rejected} of {total} rows of {path.name} could not be read, more "
            f"than the {MAX_REJECTED_SHARE:.0%} a file may lose",
            "The file looks cut or mis-exported (wrong delimiter or quoting): re-export it.",
        )


def _arrow_table(table: RawTable, columns: dict[str, list]) -> pa.Table:
    lines = columns.get("_record_line") or []
    arrays = {
        name: pa.array(columns.get(name) or [None] * len(lines), type=pa.string())
        for name in table.columns
    }
    arrays["_record_line"] = pa.array(lines, type=pa.int64())
    return pa.table(arrays)


@cache
def _scratch_database() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


def scratch_connection() -> duckdb.DuckDBPyConnection:
    """A connection to an in-memory database for reading files, never the warehouse. Opening
    a new database costs ~25 ms, a cursor on a shared one well under 1 ms."""
    return _scratch_database().cursor()


class Ingestor:
    """Loads every delivered file of one format into raw tables, idempotently."""

    def __init__(
        self,
        fmt: SourceFormat,
        con: duckdb.DuckDBPyConnection,
        pseudonymiser: Pseudonymiser,
        landing_root: Path,
    ) -> None:
        self.fmt = fmt
        self.con = con
        self.pseudonymiser = pseudonymiser
        self.landing_root = landing_root
        self.tables = {table.name: table for table in fmt.tables}

    def ingest(self, folder: Path, skip_folders: Collection[str] = ()) -> IngestReport:
        ensure_raw_tables(self.con, self.fmt.tables)
        self._discard_unfinished()
        report = IngestReport(source=self.fmt.source)
        limit = self.fmt.max_file_bytes
        entries = delivered_files(self.landing_root, folder, skip_folders, limit)
        for entry in apply_withdrawals(self, folder, entries):
            report.outcomes.append(self._ingest_file(entry))
        return report

    def _ingest_file(self, entry: LandingFile) -> FileOutcome:
        path = entry.path
        relative = path.relative_to(self.landing_root).as_posix()
        if entry.refusal is not None:  # refused unread, so there is no sha256 to record
            rejected = FileRejected(entry.refusal.reason, entry.refusal.fix)
            self._record_failure(relative, None, entry.size, rejected)
            return FileOutcome(relative, "failed", error=str(rejected))
        sha = file_sha256(path)
        # A content already delivered, even if a later delivery has replaced it since, is not
        # loaded again: otherwise an old file left in landing would undo its correction.
        loaded_as = self.con.execute(
            "select file_path from raw.file_manifest where file_sha256 = ?"
            " and status in ('loaded', 'superseded')",
            [sha],
        ).fetchone()
        if loaded_as is not None:
            status = "unchanged" if loaded_as[0] == relative else "duplicate"
            if status == "duplicate":
                self._record_duplicate(relative, sha, entry.size, loaded_as[0])
            return FileOutcome(relative, status)
        try:  # robust: an unexpected error reading the file fails that file alone
            delivery = self.resolve_area(robust.detect(self.fmt, path), path)
            return self._load(path, relative, sha, delivery)
        except FileRejected as rejected:
            self._record_failure(relative, sha, entry.size, rejected)
            return FileOutcome(relative, "failed", error=str(rejected))

    def resolve_area(self, delivery: Delivery, path: Path) -> Delivery:
        """For files that do not name their authority: a three-digit LA code as a folder or
        a token of the file name (ssda903_938_2021_Header.csv), or in a single-authority
        warehouse the one authority it knows."""
        if delivery.area is not None:
            return delivery
        relative = path.relative_to(self.landing_root)
        tokens = [*relative.parts[:-1], *re.split(r"[_\-. ]", relative.stem)]
        area = next((token for token in tokens if re.fullmatch(r"\d{3}", token)), None)
        if area is None:
            known = self.con.execute(
                "select distinct area from raw.file_manifest where status = 'loaded'"
                " and area is not null and area not like '%+%'"
            ).fetchall()
            area = known[0][0] if len(known) == 1 else None
        if area is None:
            raise FileRejected(
                f"{path.name} does not say which authority it comes from",
                f"Deliver it under a folder named with the authority's three-digit LA code, "
                f"for example data/landing/{self.fmt.source}/938/{path.name}.",
            )
        return replace(delivery, area=area)

    def _load(self, path: Path, relative: str, sha: str, delivery: Delivery) -> FileOutcome:
        now = datetime.now(UTC).replace(tzinfo=None)
        lineage = {
            "_source_file": relative,
            "_file_sha256": sha,
            "_area": delivery.area,
            "_collection_period": delivery.collection_period,
            "_loaded_at": now,
        }
        outcome = FileOutcome(relative, "loaded")
        try:
            # Each batch commits on its own so that memory stays bounded whatever the size of
            # the file; its rows only count once the manifest says the file is loaded, and
            # are removed if it never does (see _discard_unfinished).
            for batch in robust.read(self.fmt, path, delivery, sha[:16]):
                self.con.execute("begin transaction")
                self._insert_batch(batch, lineage)
                self._insert_rejections(batch.rejections, relative, sha, now)
                self._insert_findings(batch.findings, relative, sha, now)
                self.con.execute("commit")
                outcome.rows_loaded += batch.records
                outcome.rows_rejected += len(batch.rejections)
                outcome.findings += len(batch.findings)
            _refuse_mostly_bad(path, outcome)
            self.con.execute("begin transaction")
            # Replace the loaded delivery of the same return, reconciled; or hold this one.
            hold = replace_earlier(self.con, self.fmt.tables, delivery, sha, relative)
            if hold is not None:  # its rows are out again; the earlier delivery stays loaded
                outcome = FileOutcome(relative, "held", error=hold.reason)
            self._record_manifest(
                file_path=relative,
                file_sha256=sha,
                size_bytes=path.stat().st_size,
                source=delivery.source,
                area=delivery.area,
                collection_period=delivery.collection_period,
                part=delivery.part,
                status=outcome.status,
                rows_loaded=outcome.rows_loaded,
                rows_rejected=outcome.rows_rejected,
                findings=outcome.findings,
                error=outcome.error,
                fix=hold and hold.fix,
                pseudonymisation_key=self.pseudonymiser.fingerprint,
                seen_at=now,
            )
            self.con.execute("commit")
        except BaseException:
            self._rollback_quietly()
            self._discard_unfinished()
            raise
        return outcome

    def _rollback_quietly(self) -> None:
        with contextlib.suppress(duckdb.TransactionException):  # no transaction was open
            self.con.execute("rollback")

    def _discard_unfinished(self) -> None:
        """Remove rows of files that are not (or no longer being) recorded as delivered: a
        file that failed half-way, or a run that was killed in the middle of a file."""
        delivered = (
            "select file_sha256 from raw.file_manifest where status in ('loaded', 'superseded')"
        )
        for table in self.fmt.tables:
            self.con.execute(
                f"delete from raw.{table.name} where _file_sha256 not in ({delivered})"
            )
        for log in ("rejected_rows", "schema_findings"):
            self.con.execute(
                f"delete from raw.{log} where source = ? and file_sha256 not in ({delivered})",
                [self.fmt.source],
            )

    def _insert_batch(self, batch: Batch, lineage: dict) -> None:
        for table_name, columns in batch.rows.items():
            table = self.tables[table_name]
            frame = columns if isinstance(columns, pa.Table) else _arrow_table(table, columns)
            if frame.num_rows == 0:
                continue
            frame = self._protect_identifiers(table, frame, batch.findings)
            self.con.register("incoming_batch", frame)
            constants = ", ".join(f"? as {name}" for name in lineage)
            self.con.execute(
                f"insert into raw.{table_name} by name select *, {constants} from incoming_batch",
                list(lineage.values()),
            )
            self.con.unregister("incoming_batch")

    def _protect_identifiers(
        self, table: RawTable, frame: pa.Table, findings: list[Finding]
    ) -> pa.Table:
        """Derive the clear parts, then replace every identifier by its pseudonym; a postcode
        with no district to keep is dropped and counted among the findings."""
        for clear_column, (column, kind) in table.clear_columns.items():
            frame = frame.append_column(clear_column, CLEAR_PARTS[kind][1](frame[column]))
        findings += [Finding(*found) for found in dropped_postcodes(table.identifiers, frame)]
        for column, kind in table.identifiers.items():
            hashed = self.pseudonymiser.pseudonymise_array(kind, frame[column])
            frame = frame.set_column(frame.schema.get_field_index(column), column, hashed)
        return frame

    def _insert_rejections(
        self, rejections: list[Rejection], relative: str, sha: str, now: datetime
    ) -> None:
        if rejections:
            self.con.executemany(
                "insert into raw.rejected_rows values (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    [self.fmt.source, relative, sha, r.line, r.element, r.reason, r.fix, now]
                    for r in rejections
                ],
            )

    def _insert_findings(
        self, findings: list[Finding], relative: str, sha: str, now: datetime
    ) -> None:
        if findings:
            self.con.executemany(
                "insert into raw.schema_findings values (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    [self.fmt.source, relative, sha, f.line, f.element, f.rule, f.message, now]
                    for f in findings
                ],
            )

    def _record_manifest(self, **values: object) -> None:
        columns = ", ".join(values)
        placeholders = ", ".join("?" for _ in values)
        self.con.execute(
            f"insert into raw.file_manifest ({columns}) values ({placeholders})",
            list(values.values()),
        )

    def _record_failure(
        self, relative: str, sha: str | None, size: int | None, rejected: FileRejected
    ) -> None:
        # A file refused unread has no sha256: its earlier failure is found by its path.
        self.con.execute(
            "delete from raw.file_manifest where status = 'failed' and (file_sha256 = ?"
            " or (file_sha256 is null and file_path = ?))",
            [sha, relative],
        )
        self._record_manifest(
            file_path=relative,
            file_sha256=sha,
            size_bytes=size,
            source=self.fmt.source,
            status="failed",
            error=str(rejected),
            fix=rejected.fix,
            seen_at=datetime.now(UTC).replace(tzinfo=None),
        )

    def _record_duplicate(self, relative: str, sha: str, size: int, original: str) -> None:
        already = self.con.execute(
            "select 1 from raw.file_manifest where file_path = ? and file_sha256 = ?"
            " and status = 'duplicate'",
            [relative, sha],
        ).fetchone()
        if already is None:
            self._record_manifest(
                file_path=relative,
                file_sha256=sha,
                size_bytes=size,
                source=self.fmt.source,
                status="duplicate",
                error=f"Identical to {original}",
                fix="Nothing to do: the identical file is already loaded.",
                seen_at=datetime.now(UTC).replace(tzinfo=None),
            )
