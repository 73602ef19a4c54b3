"""Content checks at the door: types, code lists and required values per column.

A value that breaks a rule does not stop its row from loading (the data-quality layer
weighs it and it travels with the indicators as a caveat); each broken rule becomes one
finding per column and batch, with the count, the first lines and what to do. Values are
never quoted: a code column can hold a name typed in the wrong field, so a finding names the
lines and the codes expected instead."""

from collections.abc import Iterable
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from orchestration.ingest.model import Finding
from orchestration.privacy.pseudonymise import normalise_array, per_distinct

FIRST_LINES_SHOWN = 5
# Enough to read the expected codes in the finding; longer lists are in the specification.
CODES_SHOWN = 12
DATE_PATTERN = r"^(\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})$"
DATETIME_PATTERN = r"^(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?|\d{2}/\d{2}/\d{4} \d{2}:\d{2})$"


@dataclass(frozen=True)
class ColumnRule:
    """What a column's values must look like."""

    column: str
    kind: str = "string"  # string, date, datetime, integer or flag
    codes: frozenset[str] | None = None
    required: bool = False


def _valid_iso_dates(iso: pa.Array) -> pa.Array:
    """True where the text is a real calendar date: parsing alone would let 31/02 roll over
    into March, so the date must also print back as the same text."""
    parsed = pc.strptime(iso, format="%Y-%m-%d", unit="s", error_is_null=True)
    return pc.fill_null(pc.equal(pc.strftime(parsed, format="%Y-%m-%d"), iso), False)


def _is_date(text: pa.Array) -> pa.Array:
    shaped = pc.match_substring_regex(text, DATE_PATTERN)
    return pc.and_(shaped, _valid_iso_dates(normalise_array("date_of_birth", text)))


def _is_datetime(text: pa.Array) -> pa.Array:
    shaped = pc.match_substring_regex(text, DATETIME_PATTERN)
    date_part = pc.utf8_slice_codeunits(text, 0, 10)
    return pc.and_(shaped, _valid_iso_dates(normalise_array("date_of_birth", date_part)))


def _broken(rule: ColumnRule, text: pa.Array, present: pa.Array) -> list[tuple[str, pa.Array, str]]:
    """(rule name, mask of broken values, what is wrong) for one column."""
    problems = []
    if rule.required:
        problems.append(("required", pc.invert(present), "blank but required"))
    valid = {
        "date": _is_date,
        "datetime": _is_datetime,
        "integer": lambda values: pc.match_substring_regex(values, r"^-?\d+$"),
        "flag": lambda values: pc.is_in(pc.utf8_upper(values), value_set=pa.array(["Y", "N"])),
    }.get(rule.kind)
    wrong = {
        "date": "not a real date in dd/mm/yyyy or yyyy-mm-dd",
        "datetime": "not a date and time in yyyy-mm-dd hh:mm:ss",
        "integer": "not a whole number",
        "flag": "not Y or N",
    }
    if valid is not None:
        is_valid = per_distinct(valid, text)
        problems.append((rule.kind, pc.and_(present, pc.invert(is_valid)), wrong[rule.kind]))
    if rule.codes:
        in_list = pc.is_in(text, value_set=pa.array(sorted(rule.codes)))
        problems.append(("code", pc.and_(present, pc.invert(in_list)), "not in the code list"))
    return problems


def check_batch(frame: pa.Table, rules: Iterable[ColumnRule], specification: str) -> list[Finding]:
    """One finding per column and broken rule in the batch."""
    fix = (
        f"correct these values in the source system (see {specification}) and re-deliver; "
        "meanwhile the rows are loaded and the problem is reported as a caveat."
    )
    findings = []
    lines = frame["_record_line"]
    for rule in rules:
        text = pc.utf8_trim_whitespace(frame[rule.column])
        present = pc.fill_null(pc.not_equal(text, ""), False)
        for name, mask, wrong in _broken(rule, text, present):
            mask = pc.fill_null(mask, False)
            count = pc.sum(mask).as_py() or 0
            if not count:
                continue
            first = pc.filter(lines, mask)[:FIRST_LINES_SHOWN].to_pylist()
            shown = _expected_codes(rule.codes) if name == "code" else ""
            findings.append(
                Finding(
                    first[0],
                    rule.column,
                    name,
                    f"{count} value(s) of {rule.column} {wrong}{shown}; first at line(s) "
                    f"{', '.join(str(line) for line in first)}. Fix: {fix}",
                )
            )
    return findings


def _expected_codes(codes: frozenset[str]) -> str:
    listed = sorted(codes)
    more = f" and {len(listed) - CODES_SHOWN} more" if len(listed) > CODES_SHOWN else ""
    return f" (expected one of {', '.join(listed[:CODES_SHOWN])}{more})"
