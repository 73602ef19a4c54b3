"""What period a delivery covers, from the bulk of its dates rather than its extremes.

A delivery replaces an earlier one only for the same period (framework: supersede), so one
stray date must not move the period: a typed 2099, an episode ending the day after the year,
a review keyed into the wrong year would otherwise make a re-delivery look like a new period
(and fill months with zeros) or make one year's return replace another's.
"""

import re
from datetime import date, datetime
from pathlib import Path

import pyarrow as pa

from orchestration.ingest.content_rules import FIRST_LINES_SHOWN
from orchestration.ingest.delimited import parse_date_sql
from orchestration.ingest.model import Finding, scratch_connection
from orchestration.ingest.supersede import CONFIRMED_FOLDER

# Monthly extracts: the period is the months holding the central 99% of the dated rows, so
# that strays (under half a percent at either end) cannot stretch it while a genuine first
# or last month of a few days still counts.
TAIL_SHARE = 0.005


def collection_year_sql(date_sql: str) -> str:
    """DuckDB expression: the DfE collection year (ending 31 March) a date falls in."""
    return f"(year({date_sql}) + case when month({date_sql}) >= 4 then 1 else 0 end)"


def year_in_path(path: Path) -> int | None:
    """The collection year the file name, else its nearest folder, names: 2021 in
    ssda903_938_2021_Header.csv or 938/2021/header.csv, and 2021 for DfE's 2020-21. A
    confirmed/ folder (supersede.py) names no year: the one above it does."""
    folders = [part for part in reversed(path.parent.parts) if part != CONFIRMED_FOLDER]
    for name in (path.name, *folders[:1]):
        span = re.search(r"(?<!\d)20(\d{2})[-_](\d{2})(?!\d)", name)
        if span and int(span[2]) == (int(span[1]) + 1) % 100:
            return 2001 + int(span[1])
        years = re.findall(r"(?<!\d)(20\d{2})(?!\d)", name)
        if years:
            return int(years[-1])
    return None


def delivered_on(path: Path) -> date:
    """The day the file was delivered (its modification time, never after today): a date
    after it is in the future for the file, so it cannot be a month the file covers."""
    return min(datetime.fromtimestamp(path.stat().st_mtime).date(), date.today())


def bulk_months_sql(event_sql: str, delivered: date) -> str:
    """Aggregates over a file: the first and last month of the central dated rows that are
    not after the delivery, and how many rows have a readable date at all."""
    dated = f"cast({event_sql} as date) <= date '{delivered.isoformat()}'"
    return (
        f"strftime(quantile_disc({event_sql}, {TAIL_SHARE}) filter (where {dated}), '%Y-%m'),"
        f" strftime(quantile_disc({event_sql}, {1 - TAIL_SHARE}) filter (where {dated}),"
        f" '%Y-%m'), count({event_sql})"
    )


def complete_months(first: str, last: str, delivered: date) -> str:
    """The period 'first..last' (yyyy-mm) of an extract, ending before the month it was
    delivered in: that month was not over when the file was made, so its rows are a part
    of the month and would read as a fall (a month no delivery completes gets no rows). An
    extract whose every month is the delivery month keeps it, being all the file holds."""
    current = f"{delivered:%Y-%m}"
    if last >= current and first < current:
        previous = date(delivered.year - (delivered.month == 1), (delivered.month - 2) % 12 + 1, 1)
        last = f"{previous:%Y-%m}"
    return f"{first}..{last}"


def outside_period(frame: pa.Table, column: str, period: str, what: str) -> list[Finding]:
    """One finding for the rows of a batch dated outside the months of the delivery's period
    (first..last): they load, and the data-quality layer reports them."""
    first, last = period.split("..")
    con = scratch_connection()
    try:
        con.register("period_batch", frame.select([column, "_record_line"]))
        lines = [
            line
            for (line,) in con.execute(
                f"select _record_line from period_batch"
                f" where strftime({parse_date_sql(column)}, '%Y-%m') not between ? and ?"
                " order by _record_line",
                [first, last],
            ).fetchall()
        ]
    finally:
        con.close()
    if not lines:
        return []
    shown = ", ".join(str(line) for line in lines[:FIRST_LINES_SHOWN])
    return [
        Finding(
            lines[0],
            column,
            "date_outside_period",
            f"{len(lines)} row(s) dated in {column} outside the months the bulk of the file "
            f"covers, in the month it was delivered (not yet over) or after it; first at "
            f"line(s) {shown}. They are "
            f"loaded but set no period. Fix: correct the dates in the source system (see "
            f"{what}) and re-deliver.",
        )
    ]
