"""The partnership's checks, WARN and non-blocking like the data-quality rules: a return the
platform could not read whole (a partner to ask for a corrected workbook), and an action of
the shared plan whose review is overdue (a partnership to remind). Both are judged on what
the warehouse holds, the second against today's date as the freshness checks are, so the
daily check job shows a review falling overdue with nothing delivered."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.partnership.assets import RETURNS_KEY
from orchestration.partnership.ingest import SOURCE
from orchestration.partnership.warehouse_tables import relation_exists
from orchestration.resources import WarehouseResource

PLAN_KEY = dg.AssetKey(["marts", "fct_plan_actions"])
MESSAGES_SHOWN = 3

# The returns in use or refused: a superseded or withdrawn one has been replaced.
RETURNS_WITH_ERRORS = """
select file_path, status, coalesce(rows_rejected, 0), error from raw.file_manifest
where source = ? and (status = 'failed' or (status = 'loaded' and rows_rejected > 0))
order by file_path
"""
# The first rejections of a file, as the reader words them: row, sheet and column, reason
# and fix, never the value.
FIRST_REJECTIONS = """
select line, element, reason, fix from raw.rejected_rows
where source = ? and file_path = ? order by line, element limit ?
"""
OVERDUE = """
select action_id, lead_partner, partner, next_review_due from marts.fct_plan_actions
where next_review_due < ? order by next_review_due, partner, action_id
"""


def _read_once_built(
    warehouse: WarehouseResource,
    schema: str,
    table: str,
    read: Callable[[duckdb.DuckDBPyConnection], list],
) -> list:
    """What read finds in the warehouse; nothing before the warehouse or the table it reads
    has been built."""
    if not Path(warehouse.path).exists():
        return []
    with warehouse.connect(read_only=True) as con:
        return read(con) if relation_exists(con, schema, table) else []


def _warning_check(asset: dg.AssetKey, description: str) -> Callable:
    """A partnership check, named after its function: it never blocks what follows."""
    return dg.asset_check(asset=asset, blocking=False, description=description)


def _warning(failures: list, metadata: dict[str, object]) -> dg.AssetCheckResult:
    """Passed when there is nothing to report; else a warning, never an error."""
    return dg.AssetCheckResult(
        passed=not failures, severity=dg.AssetCheckSeverity.WARN, metadata=metadata
    )


def rejection_text(file: str, line: int | None, element: str, reason: str, fix: str) -> str:
    sheet, _, column = element.partition(".")
    where = [file, f"sheet {sheet}", *([f"row {line}"] if line is not None else []),
             *([f"column {column}"] if column else [])]  # fmt: skip
    return f"{', '.join(where)}: {reason}. Fix: {fix}"


def returns_with_errors(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Each return refused or loaded with rejected rows, with its first messages."""
    found = []
    for file, status, rejected, error in con.execute(RETURNS_WITH_ERRORS, [SOURCE]).fetchall():
        if status == "failed":  # the error names the reason and the fix
            messages = [str(error)]
        else:
            rows = con.execute(FIRST_REJECTIONS, [SOURCE, file, MESSAGES_SHOWN]).fetchall()
            messages = [rejection_text(file, *row) for row in rows]
        found.append({"file": file, "refused": status == "failed", "rows": rejected,
                      "messages": messages})  # fmt: skip
    return found


def errors_markdown(found: list[dict]) -> str:
    lines = ["| file | outcome | rows rejected | first messages |", "|---|---|---:|---|"]
    lines += [
        f"| `{f['file']}` | {'refused' if f['refused'] else 'loaded'} | {f['rows']} | "
        + "<br>".join(m.replace("|", "/") for m in f["messages"])
        + " |"
        for f in found
    ]
    return "\n".join(lines)


@_warning_check(
    RETURNS_KEY,
    "Every partnership return in use was read whole: none refused, none with "
    "rejected rows. WARN: the rest of the return is used; the partner corrects the rows the "
    "messages name (file, sheet, row, column and fix) and returns the workbook again.",
)
def returns_without_errors(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    found = _read_once_built(warehouse, "raw", "file_manifest", returns_with_errors)
    return _warning(
        found,
        {
            "returns_refused": sum(f["refused"] for f in found),
            "returns_with_rejected_rows": sum(not f["refused"] for f in found),
            "rows_rejected": sum(f["rows"] for f in found),
            "returns": dg.MetadataValue.md(errors_markdown(found) if found else "none"),
        },
    )


def overdue_reviews(con: duckdb.DuckDBPyConnection, today: date) -> list[tuple]:
    """(action id, lead partner, partner, due date, days overdue) of each overdue review."""
    rows = con.execute(OVERDUE, [today]).fetchall()
    return [(*row, (today - row[3]).days) for row in rows]


@_warning_check(
    PLAN_KEY,
    "No action of the shared plan is past its next review date (the latest "
    "review's next date, else the plan's review date), judged against today. WARN: the lead "
    "partner holds the review and returns it in the reviews sheet.",
)
def reviews_not_overdue(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    today = datetime.now(UTC).date()
    overdue = _read_once_built(
        warehouse, "marts", PLAN_KEY.path[-1], lambda con: overdue_reviews(con, today)
    )
    table = "\n".join([
        "| action | lead partner | plan of | review due | days overdue |",
        "|---|---|---|---|---:|",
        *(f"| {a} | {lead} | {plan} | {due.isoformat()} | {days} |"
          for a, lead, plan, due, days in overdue),
    ])  # fmt: skip
    return _warning(
        overdue,
        {
            "reviews_overdue": len(overdue),
            "most_days_overdue": max((row[-1] for row in overdue), default=0),
            "overdue": dg.MetadataValue.md(table if overdue else "none"),
        },
    )


PARTNERSHIP_CHECKS = [returns_without_errors, reviews_not_overdue]
