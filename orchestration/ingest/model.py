"""What ingestion talks about: raw tables, what a delivered file is, its rows, rejections and
findings, and what a run did with each file.

The bottom of the ingestion package: it imports nothing of ingestion, so every module of it
(the readers, the formats, the ledger, the loader) can use these names. The format protocol
is in delivered.py, beside the delivered file a format reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

import duckdb
import pyarrow as pa

from orchestration.privacy.clear_parts import clear_columns

LINEAGE_COLUMNS: dict[str, str] = {
    "_source_file": "VARCHAR",
    "_file_sha256": "VARCHAR",
    "_record_line": "BIGINT",
    "_area": "VARCHAR",
    "_collection_period": "VARCHAR",
    "_loaded_at": "TIMESTAMP",
}


@dataclass(frozen=True)
class RawTable:
    """A raw table: delivered columns kept as text, identifier columns pseudonymised, and
    for some identifier kinds a coarse part kept in the clear (privacy/clear_parts.py)."""

    name: str
    columns: tuple[str, ...]
    identifiers: Mapping[str, str] = field(default_factory=dict)

    @property
    def clear_columns(self) -> dict[str, tuple[str, str]]:
        """Clear column name -> (identifier column, kind)."""
        return clear_columns(self.identifiers)

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


@cache
def _scratch_database() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


def scratch_connection() -> duckdb.DuckDBPyConnection:
    """A connection to an in-memory database for reading files, never the warehouse. Opening
    a new database costs ~25 ms, a cursor on a shared one well under 1 ms."""
    return _scratch_database().cursor()
