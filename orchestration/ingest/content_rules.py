"""Content checks at the door: types, code lists and required values per column.

A value that breaks a rule does not stop its row from loading (the data-quality layer
weighs it and it travels with the indicators as a caveat); each broken rule becomes one
finding per column and batch, with the count, the first lines and what to do. Values are
never quoted from identifier columns, and code columns hold no personal data."""

from collections.abc import Iterable
from dataclasses import dataclass

import pyarrow as pa

from orchestration.ingest.framework import Finding, scratch_connection

FIRST_LINES_SHOWN = 5
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class ColumnRule:
    """What a column's values must look like."""

    column: str
    kind: str = "string"  # string, date, datetime, integer or flag
    codes: frozenset[str] | None = None
    required: bool = False


def _parses(value: str, formats: Iterable[str]) -> str:
    attempts = ", ".join(f"try_strptime({value}, '{f}')" for f in formats)
    return f"coalesce({attempts}) is not null"


def _problems(rule: ColumnRule) -> list[tuple[str, str, str]]:
    """(rule name, SQL condition of a broken value, what is wrong) for one column."""
    value = f'trim("{rule.column}")'
    present = f"({value} is not null and {value} <> '')"
    problems = []
    if rule.required:
        problems.append(("required", f"not {present}", "blank but required"))
    if rule.kind == "date":
        problems.append(
            (
                "date",
                f"{present} and not {_parses(value, DATE_FORMATS)}",
                "not a real date in dd/mm/yyyy or yyyy-mm-dd",
            )
        )
    elif rule.kind == "datetime":
        problems.append(
            (
                "datetime",
                f"{present} and not {_parses(value, DATETIME_FORMATS)}",
                "not a date and time in yyyy-mm-dd hh:mm:ss",
            )
        )
    elif rule.kind == "integer":
        problems.append(
            ("integer", f"{present} and try_cast({value} as bigint) is null", "not a whole number")
        )
    elif rule.kind == "flag":
        problems.append(("flag", f"{present} and upper({value}) not in ('Y', 'N')", "not Y or N"))
    if rule.codes:
        codes = ", ".join("'" + code.replace("'", "''") + "'" for code in sorted(rule.codes))
        problems.append(("code", f"{present} and {value} not in ({codes})", "not in the code list"))
    return problems


def check_batch(frame: pa.Table, rules: Iterable[ColumnRule], specification: str) -> list[Finding]:
    """One finding per column and broken rule in the batch."""
    fix = (
        f"correct these values in the source system (see {specification}) and re-deliver; "
        "meanwhile the rows are loaded and the problem is reported as a caveat."
    )
    checks = [(rule, *problem) for rule in rules for problem in _problems(rule)]
    if not checks or frame.num_rows == 0:
        return []
    selects = []
    for index, (rule, name, condition, _) in enumerate(checks):
        selects.append(f"count(*) filter (where {condition}) as n{index}")
        selects.append(
            f"list(_record_line order by _record_line) filter (where {condition})"
            f"[1:{FIRST_LINES_SHOWN}] as l{index}"
        )
        # Only codes are shown: they are never personal data, unlike dates of birth or ids.
        codes_shown = f'list(distinct trim("{rule.column}")) filter (where {condition})[1:5]'
        selects.append(f"{codes_shown if name == 'code' else 'null'} as v{index}")
    con = scratch_connection()
    try:
        con.register("batch", frame)
        row = con.execute(f"select {', '.join(selects)} from batch").fetchone()
    finally:
        con.close()
    findings = []
    for index, (rule, name, _, wrong) in enumerate(checks):
        count, lines, values = row[3 * index], row[3 * index + 1], row[3 * index + 2]
        if count:
            shown = f" ({', '.join(values)})" if values else ""
            where = ", ".join(str(line) for line in lines)
            findings.append(
                Finding(
                    lines[0],
                    rule.column,
                    name,
                    f"{count} value(s) of {rule.column} {wrong}{shown}; first at line(s) "
                    f"{where}. Fix: {fix}",
                )
            )
    return findings
