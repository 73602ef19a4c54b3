"""Partnership returns delivered under data/landing/partnership/ loaded into the warehouse:
each workbook read (reader.py) and, in one transaction, its rows written to
raw.partnership_<sheet>, the file to raw.file_manifest and its rejected rows to
raw.rejected_rows, with the extracts' ledger (ingest/ledger.py).

A partner's latest return (by returned_on, then file name) is its current one: a later
return supersedes the earlier, whose rows leave the raw tables while its file stays in the
manifest, marked superseded as an extract's replaced delivery is. A file already loaded is
not read again; one that is no readable workbook is refused with its reason, never a
traceback."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from orchestration.ingest import ledger, robust
from orchestration.ingest.landing import WORKBOOK_SUFFIXES, LandingFile, delivered_files
from orchestration.ingest.landing import file_sha256 as sha256_of
from orchestration.ingest.model import FileRejected, Finding, Rejection
from orchestration.partnership.reader import ReadReturn, read_return
from orchestration.partnership.reader_cells import Problem, Vocabulary
from orchestration.partnership.spec import ReturnsSpec, SheetSpec, load_returns, raw_table_name
from orchestration.privacy.pseudonymise import Pseudonymiser

SOURCE = "partnership"
# A return is a few hundred KB; more is no return (and is refused before it is read).
MAX_RETURN_BYTES = 20 * 2**20
SQL_TYPES = {"date": "DATE", "count": "BIGINT"}
ARROW_TYPES = {"date": pa.date32(), "count": pa.int64()}
LINEAGE = {
    "partner": "VARCHAR",
    "returned_on": "DATE",
    "_source_file": "VARCHAR",
    "_file_sha256": "VARCHAR",
    "_record_line": "BIGINT",
    "_loaded_at": "TIMESTAMP",
}


@dataclass
class ReturnOutcome:
    file: str
    partner: str | None
    status: str  # loaded | superseded | refused | unchanged
    rows_loaded: int = 0
    rows_rejected: int = 0
    errors: list[str] = field(default_factory=list)  # rejections and refusals, no value
    findings: list[str] = field(default_factory=list)  # what was read otherwise than given


@dataclass
class ReturnsReport:
    files: list[ReturnOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.files if outcome.status == status)


def ingest_returns(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    known_question_ids: set[str],
    pseudonymiser: Pseudonymiser,
) -> ReturnsReport:
    """Load every return under folder (data/landing/partnership) not loaded yet."""
    spec = load_returns()
    ensure_return_tables(con, spec)
    vocabulary = Vocabulary(spec.lists, frozenset(known_question_ids), pseudonymiser)
    report = ReturnsReport()
    for entry in delivered_files(folder.parent, folder, max_bytes=MAX_RETURN_BYTES):
        relative = entry.path.relative_to(folder.parent).as_posix()
        report.files.append(_ingest_file(con, entry, relative, vocabulary, spec))
    return report


def ensure_return_tables(con: duckdb.DuckDBPyConnection, spec: ReturnsSpec) -> None:
    """The ledgers and one raw table per sheet, typed; a column added to returns.yaml since
    a table was created is added to it (earlier returns hold null there)."""
    ledger.ensure_raw_tables(con, ())
    for name in spec.return_sheets:
        columns = [
            (c.name, SQL_TYPES.get(c.type, "VARCHAR")) for c in spec.sheets[name].stored_columns
        ]
        columns += list(LINEAGE.items())
        typed = ", ".join(f'"{column}" {sql_type}' for column, sql_type in columns)
        con.execute(f'create table if not exists raw."{raw_table_name(name)}" ({typed})')
        for column, sql_type in columns:
            con.execute(
                f'alter table raw."{raw_table_name(name)}" add column if not exists'
                f' "{column}" {sql_type}'
            )


def _ingest_file(
    con: duckdb.DuckDBPyConnection,
    entry: LandingFile,
    relative: str,
    vocabulary: Vocabulary,
    spec: ReturnsSpec,
) -> ReturnOutcome:
    if entry.refusal is not None:  # refused unread: a link, a device, too large, an archive
        refused = FileRejected(entry.refusal.reason, entry.refusal.fix)
        return _refuse(con, (relative, None, entry.size), refused)
    sha = sha256_of(entry.path)
    delivered_as = ledger.delivered_as(con, sha)
    if delivered_as is not None:
        if delivered_as != relative:
            ledger.record_duplicate(con, SOURCE, (relative, sha, entry.size), delivered_as)
        return ReturnOutcome(relative, _partner_of(con, sha), "unchanged")
    try:
        if entry.path.suffix.lower() not in WORKBOOK_SUFFIXES:
            raise FileRejected(
                f"{relative} is not a workbook: partnership returns are the platform's XLSX "
                "template filled in",
                "Fill in the template (data/outputs/partnership/partnership_return_template"
                ".xlsx), save it as .xlsx and return it again; remove this file.",
            )
        with robust.reading(entry.path):
            read = read_return(entry.path, relative, vocabulary, spec)
    except FileRejected as rejected:
        return _refuse(con, (relative, sha, entry.size), rejected)
    return _load(con, read, (relative, sha, entry.size), vocabulary.pseudonymiser, spec)


def _refuse(
    con: duckdb.DuckDBPyConnection, file: tuple[str, str | None, int | None], error: FileRejected
) -> ReturnOutcome:
    ledger.record_failure(con, SOURCE, file, error)
    return ReturnOutcome(file[0], None, "refused", errors=[str(error)])


def _partner_of(con: duckdb.DuckDBPyConnection, sha: str) -> str | None:
    row = con.execute(
        "select part from raw.file_manifest where file_sha256 = ? and source = ?"
        " and status in ('loaded', 'superseded')",
        [sha, SOURCE],
    ).fetchone()
    return row[0] if row else None


def _load(
    con: duckdb.DuckDBPyConnection,
    read: ReadReturn,
    file: tuple[str, str, int | None],
    pseudonymiser: Pseudonymiser,
    spec: ReturnsSpec,
) -> ReturnOutcome:
    relative, sha, size = file
    now = ledger.now()
    rows_loaded = sum(len(rows) for rows in read.rows.values())
    con.execute("begin transaction")
    try:
        lineage = {
            "partner": read.partner,
            "returned_on": read.returned_on,
            "_source_file": relative,
            "_file_sha256": sha,
            "_loaded_at": now,
        }
        for name, rows in read.rows.items():
            _insert(con, spec.sheets[name], rows, lineage)
        ledger.record_problems(
            con,
            SOURCE,
            (relative, sha, now),
            [_rejection(problem) for problem in read.rejections],
            [_finding(problem) for problem in read.findings],
        )
        ledger.record_manifest(
            con,
            file_path=relative,
            file_sha256=sha,
            size_bytes=size,
            source=SOURCE,
            area=ledger.only_loaded_area(con),
            collection_period=read.returned_on.isoformat(),
            part=read.partner,
            status="loaded",
            rows_loaded=rows_loaded,
            rows_rejected=read.rows_rejected,
            findings=len(read.findings),
            pseudonymisation_key=pseudonymiser.fingerprint,
            seen_at=now,
        )
        current = _supersede_earlier(con, read.partner, spec)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return ReturnOutcome(
        relative,
        read.partner,
        "loaded" if current == sha else "superseded",
        rows_loaded=rows_loaded,
        rows_rejected=read.rows_rejected,
        errors=[problem.message(relative) for problem in read.rejections],
        findings=[problem.message(relative) for problem in read.findings],
    )


def _insert(
    con: duckdb.DuckDBPyConnection,
    sheet: SheetSpec,
    rows: list[dict[str, object]],
    lineage: dict[str, object],
) -> None:
    if not rows:
        return
    arrays = {
        column.name: pa.array(
            [row[column.name] for row in rows], ARROW_TYPES.get(column.type, pa.string())
        )
        for column in sheet.stored_columns
    }
    arrays["_record_line"] = pa.array([row["_record_line"] for row in rows], pa.int64())
    con.register("incoming_return_rows", pa.table(arrays))
    try:
        constants = ", ".join(f'? as "{name}"' for name in lineage)
        con.execute(
            f'insert into raw."{raw_table_name(sheet.name)}" by name'
            f" select *, {constants} from incoming_return_rows",
            list(lineage.values()),
        )
    finally:
        con.unregister("incoming_return_rows")


def _supersede_earlier(con: duckdb.DuckDBPyConnection, partner: str, spec: ReturnsSpec) -> str:
    """Keep the partner's latest loaded return, supersede the others; the latest's sha256.
    Latest: by returned_on, then file name, then (a file corrected in place) the last seen."""
    loaded = con.execute(
        "select file_sha256 from raw.file_manifest where source = ? and part = ?"
        " and status = 'loaded' order by collection_period desc, file_path desc, seen_at desc",
        [SOURCE, partner],
    ).fetchall()
    latest, *earlier = [sha for (sha,) in loaded]
    if earlier:
        for name in spec.return_sheets:
            con.execute(
                f'delete from raw."{raw_table_name(name)}"'
                " where _file_sha256 in (select unnest(?))",
                [earlier],
            )
        con.execute(
            "update raw.file_manifest set status = 'superseded', superseded_by = ?"
            " where source = ? and status = 'loaded' and file_sha256 in (select unnest(?))",
            [latest, SOURCE, earlier],
        )
    return latest


def _rejection(problem: Problem) -> Rejection:
    return Rejection(problem.row, _element(problem), problem.reason, problem.fix)


def _finding(problem: Problem) -> Finding:
    return Finding(problem.row, _element(problem), "partnership_return", problem.reason)


def _element(problem: Problem) -> str:
    return f"{problem.sheet}.{problem.column}" if problem.column else problem.sheet
