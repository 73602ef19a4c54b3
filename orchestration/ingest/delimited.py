"""Reading delimited extracts (CSV, or the first sheet of an XLSX workbook) as delivered:
every value as text, the header checked against what the format expects, ragged rows kept
out with their line numbers. Shared by every CSV-based format."""

import csv
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from orchestration.ingest.landing import WORKBOOK_SUFFIXES
from orchestration.ingest.model import FileRejected, Finding, Rejection, scratch_connection
from orchestration.ingest.refused_rows import refused_rows
from orchestration.ingest.text_files import TextSurvey, readable_text
from orchestration.ingest.xlsx import xlsx_to_csv as _xlsx_to_csv

ROWS_PER_BATCH = 250_000
# Far beyond any header (the widest, SSDA903 Episodes, is under 150 characters), and under
# the csv module's 128 KB limit on a cell.
MAX_HEADER_CHARS = 1 << 16


def header_key(name: str) -> str:
    """Header names compared loosely: case, spaces and punctuation differ between systems."""
    return re.sub(r"[^A-Z0-9]", "", name.upper())


@dataclass
class DelimitedFile:
    """A delivered file made readable: its text path, encoding and header as delivered."""

    path: Path
    text_path: Path
    encoding: str
    header: list[str]
    findings: list[Finding] = field(default_factory=list)
    data_lines: int = 0  # lines after the header that are not blank
    blank_lines: frozenset[int] = frozenset()
    # The rows DuckDB's reader refuses, known once a query has read the whole file
    # (column_summary): the load then needs no pass of its own to find them.
    rejections: list[Rejection] | None = None


@contextmanager
def open_delimited(path: Path, survey: TextSurvey | None = None) -> Iterator[DelimitedFile]:
    """Yield the file ready for read_csv; an XLSX is converted to a temporary CSV first.
    survey: what a pass over the delivered bytes found, if one was made (a workbook's is not
    used: its sheet is read as converted)."""
    if path.stat().st_size == 0:
        raise FileRejected(
            f"{path.name} is empty", "Re-export the extract: the file has no header and no rows."
        )
    with tempfile.TemporaryDirectory() as scratch:
        text_path = path
        if path.suffix.lower() in WORKBOOK_SUFFIXES:
            text_path, survey = Path(scratch) / "sheet.csv", None
            _xlsx_to_csv(path, text_path)
        text = readable_text(text_path, Path(scratch), path.name, survey)
        header = _read_header(text.path, text.encoding, path.name)
        yield DelimitedFile(
            path,
            text.path,
            text.encoding,
            header,
            list(text.findings),
            text.lines - 1,
            text.blank_lines,
        )


def _read_header(path: Path, encoding: str, name: str) -> list[str]:
    # One line, of bounded length: a file without line breaks is not read whole for it.
    with path.open(encoding="utf-8-sig" if encoding == "utf-8" else encoding, newline="") as f:
        line = f.readline(MAX_HEADER_CHARS)
    first = next(csv.reader([line]), None)
    if not first or not any(cell.strip() for cell in first) or len(line) == MAX_HEADER_CHARS:
        raise FileRejected(
            f"{name} has no header row (line 1 is blank, or longer than any header)",
            "Re-export the extract with its column names in the first row.",
            1,
        )
    return [cell.strip() for cell in first]


def match_header(
    delivered: list[str],
    expected: list[str],
    required: list[str],
    file_name: str,
    fix: str,
    what: str,
) -> tuple[dict[str, str], list[Finding]]:
    """Map each expected column to the delivered header name. Missing required columns reject
    the file; other differences (spelling, extra or missing optional columns) are findings.

    When the header row is missing, the first row of data stands in its place, so a delivered
    name is only quoted once it matched an expected column; the others are named by position.
    `what` names the specification, for example "the SSDA903 Header table"."""
    by_key = {header_key(name): name for name in delivered}
    mapping = {
        column: by_key[header_key(column)] for column in expected if header_key(column) in by_key
    }
    missing = [column for column in required if column not in mapping]
    if missing and not mapping:
        raise FileRejected(not_a_header(file_name, len(delivered), what, ", ".join(expected)), fix)
    if missing:
        raise FileRejected(
            f"{file_name} lacks required column(s) {', '.join(missing)} of {what}: of the "
            f"{len(delivered)} cells of its header, {len(mapping)} name expected columns "
            f"({', '.join(mapping)})",
            fix,
            1,
        )
    expected_keys = {header_key(c) for c in expected}
    findings = [
        Finding(
            1,
            f"header cell {position}",
            "header",
            f"Header cell {position} names no column of {what}: its column is not loaded.",
        )
        for position, name in enumerate(delivered, start=1)
        if header_key(name) not in expected_keys
    ]
    findings += [
        Finding(1, column, "header", f"Optional column {column!r} is missing: loaded as blank.")
        for column in expected
        if column not in mapping
    ]
    findings += [
        Finding(1, column, "header", f"Column {mapping[column]!r} read as {column!r}.")
        for column in mapping
        if mapping[column] != column
    ]
    return mapping, findings


def not_a_header(file_name: str, cells: int, what: str, expected: str) -> str:
    """The reason for a file whose first line names none of the expected columns: most often
    an export without its header row, so that line is data and is described, never quoted."""
    return (
        f"{file_name}: line 1 is not a header: none of its {cells} cells names a column of "
        f"{what} (expected {expected})"
    )


READ_CSV = (
    "select {projection} from read_csv(?, header = true, auto_detect = false, columns = ?,"
    " delim = ',', quote = '\"', escape = '\"', encoding = ?, ignore_errors = true,"
    " store_rejects = true, strict_mode = true)"
)


def read_batches(
    file: DelimitedFile, mapping: dict[str, str], output_names: dict[str, str]
) -> Iterator[tuple[pa.Table, list[Rejection]]]:
    """Stream the rows as text in batches: columns renamed to output names, absent optional
    columns blank, and each row's line number. Ragged rows come back as rejections.

    Each row must be one line: a file where a quoted value runs over a line break (a quote
    not closed) is rejected whole, as its rows could not be numbered or all be accounted for."""
    parameters = _read_csv_parameters(file)
    con = scratch_connection()
    try:
        rejections, rows = file.rejections, None
        if rejections is None:  # a first pass finds the ragged rows, to number the good ones
            [(rows,)] = con.execute(READ_CSV.format(projection="count(*)"), parameters).fetchall()
            rejections = refused_rows(con, file.path.name, len(file.header))
            _check_rows_over_lines(file, rows, rejections)
        rejected_lines = {rejection.line for rejection in rejections} | file.blank_lines
        reader = con.sql(READ_CSV.format(projection="*"), params=parameters).to_arrow_reader(
            ROWS_PER_BATCH
        )
        next_line, streamed, pending = 2, 0, rejections
        for batch in reader:
            lines = []
            while len(lines) < batch.num_rows:
                if next_line not in rejected_lines:
                    lines.append(next_line)
                next_line += 1
            streamed += batch.num_rows
            yield _renamed(batch, mapping, output_names, lines), pending
            pending = []
        if rows is None:  # counted while loading: what was yielded goes with the file
            _check_rows_over_lines(file, streamed, rejections)
        if pending:
            yield _renamed(None, mapping, output_names, []), pending
    except duckdb.Error as error:
        raise _unreadable(file, error) from None
    finally:
        con.close()


def _read_csv_parameters(file: DelimitedFile) -> list:
    return [str(file.text_path), {name: "VARCHAR" for name in file.header}, file.encoding]


def _check_rows_over_lines(file: DelimitedFile, rows: int, rejections: list[Rejection]) -> None:
    if rows + len(rejections) != file.data_lines:
        raise _rows_over_lines(file, rows + len(rejections), rejections)


def _renamed(
    batch: pa.RecordBatch | None,
    mapping: dict[str, str],
    output_names: dict[str, str],
    lines: list[int],
) -> pa.Table:
    rows = len(lines)
    arrays = {
        output_names[column]: (
            batch.column(batch.schema.get_field_index(mapping[column]))
            if batch is not None and column in mapping
            else pa.nulls(rows, pa.string())
        )
        for column in output_names
    }
    arrays["_record_line"] = pa.array(lines, type=pa.int64())
    return pa.table(arrays)


def column_summary(file: DelimitedFile, sql: str) -> tuple:
    """One row of aggregates over the file (its columns as delivered, all text), for example
    the area and the range of event dates that say what the delivery covers. The query
    reads every row, so the rows the reader refused are kept on file for the load."""
    con = scratch_connection()
    try:
        # fetchall, not fetchone: the refused rows are stored once the result is consumed.
        [summary] = con.execute(
            sql.replace("{file}", READ_CSV.format(projection="*")), _read_csv_parameters(file)
        ).fetchall()
        file.rejections = refused_rows(con, file.path.name, len(file.header))
        return summary
    except duckdb.Error as error:
        raise _unreadable(file, error) from None
    finally:
        con.close()


def _rows_over_lines(file: DelimitedFile, rows: int, rejections: list[Rejection]) -> FileRejected:
    first = f", the first rejected at line {rejections[0].line}" if rejections else ""
    return FileRejected(
        f"{file.path.name} has {file.data_lines} lines of data but {rows} rows: a quoted value "
        f"runs over a line break (a quote not closed, or a line break inside a value){first}",
        "Quote whole values, double any quote inside them, keep each row on one line, and "
        "re-deliver the file.",
    )


def _unreadable(file: DelimitedFile, error: duckdb.Error) -> FileRejected:
    # DuckDB's CSV errors quote the offending line, which may hold identifiers: only the
    # kind of error is kept.
    return FileRejected(
        f"{file.path.name} cannot be read as CSV (DuckDB {type(error).__name__})",
        "Save the extract again as UTF-8 CSV, comma-separated, with quotes around values that "
        "contain commas or quotes, and re-deliver it.",
    )


def parse_date_sql(column: str) -> str:
    """DuckDB expression for a delivered date: dd/mm/yyyy or ISO, else null."""
    quoted = f'"{column}"'
    formats = ("%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S")
    attempts = ", ".join(f"try_strptime(trim({quoted}), '{f}')" for f in formats)
    return f"coalesce({attempts})"
