"""Why DuckDB's CSV reader refused a row, told without quoting it: the reader's own error
kinds, each with what it means for the row and how to fix the file."""

import duckdb

from orchestration.ingest.model import Rejection

# Why DuckDB refused a row, in its error_type's words; its error_message and the stored line
# are not used, since either may quote the row.
ROW_ERRORS = {
    "MISSING COLUMNS": (
        "fewer fields than the header's {fields}",
        "every row needs as many fields as the header",
    ),
    "TOO MANY COLUMNS": (
        "more fields than the header's {fields}",
        "every row needs as many fields as the header (quote values that contain commas)",
    ),
    "UNQUOTED VALUE": (
        "a quoted value that is not closed, or text after a closing quote",
        'quote whole values, doubling any quote inside them ("")',
    ),
    "INVALID ENCODING": (
        "bytes that are not valid in the file's encoding",
        "save the extract as UTF-8",
    ),
    "LINE SIZE OVER MAXIMUM": (
        "a line longer than DuckDB reads (2 MB)",
        "check the line endings and the quoting",
    ),
}


def refused_rows(con: duckdb.DuckDBPyConnection, file_name: str, fields: int) -> list[Rejection]:
    """The rows the last read_csv on con refused (store_rejects), one rejection per line."""
    rows = con.execute(
        "select line, error_type from reject_errors"
        " qualify row_number() over (partition by line order by column_idx) = 1 order by line"
    ).fetchall()
    rejections = []
    for line, error_type in rows:
        problem, fix = ROW_ERRORS.get(error_type, ("a malformed row", "check the quoting"))
        rejections.append(
            Rejection(
                line,
                "row",
                f"{error_type.lower()}: line {line} has {problem.format(fields=fields)}",
                f"Check line {line} of {file_name}: {fix}, and re-deliver the file.",
            )
        )
    return rejections
