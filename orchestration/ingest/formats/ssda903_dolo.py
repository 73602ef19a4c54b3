"""SSDA903 deprivation of liberty orders (DoLo, from the 2026-27 return): the DfE rules of
the collection year that one delivered table can be checked against, at ingestion.

The table (CHILD, DOB, DOLO_START, DOLO_END) and rules 700-710 are in
data/reference/dfe_schemas/ssda903/SSDA903_2026_27_DoLO.md; its columns reach the yearly
specification through SSDA903_schema_2027.diff.yml. Rules on the table alone (700-705 and
708, which needs the date of birth before it is pseudonymised) become findings here, coded
"DfE 7xx" and worded as the DfE words them; rules that need another table or last year's
return (706, 707, 709, 710) are the suite expectations/raw_ssda903_dolo_rules.json. As for
every finding, the rows still load and no value is quoted: only counts and lines.
"""

from __future__ import annotations

import re
from functools import cache

import pyarrow as pa

from orchestration.ingest.content_rules import DATE_PATTERN, FIRST_LINES_SHOWN
from orchestration.ingest.delimited import parse_date_sql
from orchestration.ingest.model import Finding, scratch_connection
from orchestration.settings import REFERENCE_DIR

TABLE = "DoLo"
SPECIFICATION = REFERENCE_DIR / "dfe_schemas" / "ssda903" / "SSDA903_2026_27_DoLO.md"
# Columns whose blank and date checks are DfE rules 700 and 701 here, so the generic content
# checks leave them out rather than report each problem twice.
CHECKED_BY_RULES = frozenset({"dolo_start", "dolo_end"})
ROW_COLUMNS = ("child", "dob", "dolo_start", "dolo_end", "_record_line")
FIX = (
    "correct the order in the case management system (see "
    "data/reference/dfe_schemas/ssda903/SSDA903_2026_27_DoLO.md) and re-deliver the DoLo table; "
    "meanwhile the rows are loaded and the problem is reported as a caveat."
)
HINTS = {
    "703": "If the order belongs to a later return, deliver it in that year's folder; else ",
    "704": "If the order ended in another collection year, deliver it in that return; else ",
}


def _valid(column: str) -> str:
    """SQL: the delivered text as a date when it is a real one (dd/mm/yyyy or ISO)."""
    shaped = f"regexp_full_match(trim(\"{column}\"), '{DATE_PATTERN[1:-1]}')"
    return f"case when {shaped} then cast({parse_date_sql(column)} as date) end"


def _blank(column: str) -> str:
    return f"coalesce(trim(\"{column}\"), '') = ''"


# Each rule: (the column it reports under, SQL condition on a row of `dated` that breaks it).
# Dates are the valid ones (s, e, b) or null; y0 and y1 are the first and last days of the
# collection year. 702 and 708 count the same day as broken, as the DfE validator does.
RULES: dict[str, tuple[str, str]] = {
    "700": ("dolo_start", "s is null"),
    "701": ("dolo_end", "not end_blank and e is null"),
    "702": ("dolo_end", "e <= s"),
    "703": ("dolo_start", "s > y1"),
    "704": ("dolo_end", "e < y0 or e > y1"),
    "705": ("dolo_start", "s is not null and (previous_open or previous_end > s)"),
    "708": ("dolo_start", "s <= b"),
}


@cache
def rule_messages() -> dict[str, str]:
    """Code -> the DfE's message, from the specification copied into data/reference."""
    text = SPECIFICATION.read_text(encoding="utf-8")
    return dict(re.findall(r"^- (7\d\d): (.+)$", text, flags=re.MULTILINE))


def _dated_sql(year: int) -> str:
    """The rows with their valid dates and, for 705, the child's previous order (by start
    date, then line): whether it is open (DOLO_END blank) and when it ended."""
    return f"""
        with dated as (
            select _record_line, child, {_valid("dolo_start")} as s, {_valid("dolo_end")} as e,
                {_valid("dob")} as b, {_blank("dolo_end")} as end_blank,
                date '{year - 1}-04-01' as y0, date '{year}-03-31' as y1
            from dolo_rows
        )
        select *,
            lag(end_blank) over by_start as previous_open,
            lag(e) over by_start as previous_end
        from dated
        window by_start as (partition by child, s is null order by s, _record_line)"""


class DoloRules:
    """Collects a DoLo table's rows batch by batch (a child's orders may be in two batches)
    and checks the rules once the whole table is read."""

    def __init__(self, year: int) -> None:
        self.year = year
        self.parts: list[pa.Table] = []

    def add(self, frame: pa.Table) -> None:
        self.parts.append(frame.select(list(ROW_COLUMNS)))

    def findings(self) -> list[Finding]:
        if not self.parts:
            return []
        rows = pa.concat_tables(self.parts)
        con = scratch_connection()
        try:
            con.register("dolo_rows", rows)
            broken = {
                code: [
                    line
                    for (line,) in con.execute(
                        f"select _record_line from ({_dated_sql(self.year)})"
                        f" where coalesce({condition}, false) order by _record_line"
                    ).fetchall()
                ]
                for code, (_, condition) in RULES.items()
            }
        finally:
            con.close()
        return [self._finding(code, lines) for code, lines in broken.items() if lines]

    def _finding(self, code: str, lines: list[int]) -> Finding:
        column = RULES[code][0]
        shown = ", ".join(str(line) for line in lines[:FIRST_LINES_SHOWN])
        fix = HINTS.get(code, "") + FIX
        year = f"{self.year - 1}-{self.year % 100:02d}"
        return Finding(
            lines[0],
            column,
            f"DfE {code}",
            f"{len(lines)} row(s) break DfE rule {code} of the {year} return"
            f" ({rule_messages()[code].rstrip('.')}); first at line(s) {shown}. Fix: "
            f"{fix[0].upper()}{fix[1:]}",
        )
