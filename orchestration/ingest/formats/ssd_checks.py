"""The SSD specification's rules as findings at the door: required fields, types (datetime,
int), lengths and unique primary keys. As for every finding, the rows still load, and a
finding names the field, counts the rows and gives their first lines and the fix, never a
value (ssd_spec.py reads the rules from the specification).

SSD extracts come from SQL Server warehouses, whose datetime columns export as a date, a
date and time, or with fractions of a second (2020-04-05 00:00:00.000), and sometimes as
dd/mm/yyyy: a real date in any of these forms is loaded as ISO (yyyy-mm-dd, with hh:mm:ss
when a time was given), so a date of birth has the same pseudonym and month as in the CIN
census and staging types one form. Anything else is left as delivered and reported.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from orchestration.ingest.content_rules import FIRST_LINES_SHOWN, ColumnRule, check_batch
from orchestration.ingest.formats.ssd_spec import SsdObject
from orchestration.ingest.model import Finding, scratch_connection
from orchestration.privacy.pseudonymise import per_distinct

DATETIME_TYPES = frozenset({"datetime", "date"})
# The forms read, each with the form it is written back in to check it was a real date
# (parsing alone lets 31/02 roll into March): days and months padded to two digits first.
FORMS = (
    ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S"),
    ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"),
    ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"),
    ("%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S"),
    ("%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S"),
    ("%Y-%m-%d", "%Y-%m-%d"),
    ("%d/%m/%Y", "%Y-%m-%d"),
)
ISO = r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$"


def _fix(what: str) -> str:
    return (
        f"correct these values in the case management system or the SSD extract (see {what}) "
        "and re-deliver; meanwhile the rows are loaded and the problem is reported as a caveat."
    )


def _padded(text: pa.Array) -> pa.Array:
    trimmed = pc.replace_substring_regex(pc.utf8_trim_whitespace(text), r"\.\d+$", "")
    return pc.replace_substring_regex(
        pc.replace_substring_regex(trimmed, r"^(\d)/", "0\\1/"), r"/(\d)/", "/0\\1/"
    )


def _readings(text: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Each real date (or date and time) as ISO, anything else as delivered; and which
    values were real ones."""
    padded, result = _padded(text), text
    real = pa.array([False] * len(text), type=pa.bool_())
    for read_as, written_as in FORMS:
        parsed = pc.strptime(padded, format=read_as, unit="s", error_is_null=True)
        same = pc.fill_null(pc.equal(pc.strftime(parsed, format=read_as), padded), False)
        result = pc.if_else(same, pc.strftime(parsed, format=written_as), result)
        real = pc.or_(real, same)
    return result, real


def _iso(text: pa.Array) -> pa.Array:
    return _readings(text)[0]


def _is_iso_datetime(text: pa.Array) -> pa.Array:
    """True where the text is a real date, or date and time, in the ISO form loaded."""
    shaped = pc.fill_null(pc.match_substring_regex(text, ISO), False)
    return pc.and_(shaped, _readings(text)[1])


def iso_datetimes(frame: pa.Table, obj: SsdObject) -> pa.Table:
    for field in obj.fields:
        if field.type in DATETIME_TYPES and field.name in frame.column_names:
            index = frame.schema.get_field_index(field.name)
            frame = frame.set_column(index, field.name, per_distinct(_iso, frame[field.name]))
    return frame


def _finding(field: str, rule: str, wrong: str, mask: pa.Array, lines: pa.Array, what: str):
    mask = pc.fill_null(mask, False)
    count = pc.sum(mask).as_py() or 0
    if not count:
        return []
    first = pc.filter(lines, mask)[:FIRST_LINES_SHOWN].to_pylist()
    shown = ", ".join(str(line) for line in first)
    return [
        Finding(
            first[0],
            field,
            rule,
            f"{count} value(s) of {field} {wrong}; first at line(s) {shown}. Fix: {_fix(what)}",
        )
    ]


def check_fields(frame: pa.Table, obj: SsdObject, what: str) -> list[Finding]:
    """Findings for the batch's required, int, datetime and length rules (after iso_datetimes)."""
    present = {f.name for f in obj.fields if f.name in frame.column_names}
    rules = [
        ColumnRule(f.name, "integer" if f.type == "int" else "string", None, f.required)
        for f in obj.fields
        if f.name in present
    ]
    findings = check_batch(frame, rules, what)
    lines = frame["_record_line"]
    for field in (f for f in obj.fields if f.name in present):
        text = pc.utf8_trim_whitespace(frame[field.name])
        given = pc.fill_null(pc.not_equal(text, ""), False)
        if field.type in DATETIME_TYPES:
            real = per_distinct(_is_iso_datetime, text)
            wrong = "not a date or date and time (yyyy-mm-dd, yyyy-mm-dd hh:mm:ss or dd/mm/yyyy)"
            broken = pc.and_(given, pc.invert(real))
            findings += _finding(field.name, "datetime", wrong, broken, lines, what)
        if field.max_length is not None:
            longer = pc.greater(pc.utf8_length(text), field.max_length)
            wrong = f"longer than the {field.max_length} characters the specification allows"
            findings += _finding(field.name, "length", wrong, longer, lines, what)
    return findings


class DuplicateKeys:
    """Collects a file's primary keys batch by batch and reports the rows whose key an
    earlier row of the file already has (a blank key is the required rule's finding)."""

    def __init__(self, obj: SsdObject, what: str) -> None:
        self.key = obj.primary_key
        self.what = what
        self.parts: list[pa.Table] = []

    def add(self, frame: pa.Table) -> None:
        if self.key:
            self.parts.append(frame.select([*self.key, "_record_line"]))

    def findings(self) -> list[Finding]:
        if not self.parts:
            return []
        columns = ", ".join(f'trim("{c}")' for c in self.key)
        given = " and ".join(f"coalesce(trim(\"{c}\"), '') <> ''" for c in self.key)
        con = scratch_connection()
        try:
            con.register("key_rows", pa.concat_tables(self.parts))
            lines = [
                line
                for (line,) in con.execute(
                    f"select _record_line from (select _record_line, row_number() over"
                    f" (partition by {columns} order by _record_line) as copy from key_rows"
                    f" where {given}) where copy > 1 order by _record_line"
                ).fetchall()
            ]
        finally:
            con.close()
        if not lines:
            return []
        key = " and ".join(self.key)
        shown = ", ".join(str(line) for line in lines[:FIRST_LINES_SHOWN])
        return [
            Finding(
                lines[0],
                self.key[0],
                "duplicate_key",
                f"{len(lines)} row(s) repeat the primary key ({key}) of an earlier row of the "
                f"file; first at line(s) {shown}. They are loaded and staging keeps the last "
                f"row of each key. Fix: give each record its own key in the extract (see "
                f"{self.what}) and re-deliver.",
            )
        ]
