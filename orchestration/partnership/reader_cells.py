"""One cell of a partnership return read as its column's type (returns.yaml), or refused with
a reason and a fix that never quote the cell: whatever a partner typed may be a child's name.

A case reference is pseudonymised here, with the identifier kind the CIN census gives its
LAchildID, so an audited case carries the same pseudonym as the child in the extracts and
the clear reference goes no further than this module."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from orchestration.ingest.formats.cin_census_tables import CHILD
from orchestration.partnership.spec import ColumnSpec
from orchestration.privacy.free_text import advice, identifiers_in, joined
from orchestration.privacy.pseudonymise import Pseudonymiser

CASE_REFERENCE_KIND = CHILD.table.identifiers["la_child_id"]
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A list this long is pointed to rather than spelled out in a message.
CODES_SPELLED_OUT = 12


@dataclass(frozen=True)
class Problem:
    """Why a row (or a sheet, or the file) is not read as delivered; never the value."""

    sheet: str
    row: int | None
    column: str | None
    reason: str
    fix: str

    def message(self, file: str) -> str:
        where = [file, f"sheet {self.sheet}"]
        where += [f"row {self.row}"] if self.row is not None else []
        where += [f"column {self.column}"] if self.column else []
        return f"{', '.join(where)}: {self.reason}. Fix: {self.fix}"


class CellRefused(Exception):
    def __init__(self, reason: str, fix: str) -> None:
        super().__init__(reason)
        self.reason, self.fix = reason, fix


@dataclass(frozen=True)
class Vocabulary:
    """What a cell's value is checked against: the lists, the register's question ids, and
    the pseudonymiser for case references."""

    lists: dict[str, list[str]]
    question_ids: frozenset[str]
    pseudonymiser: Pseudonymiser


def code_key(text: str) -> str:
    """Codes match whatever their case and spacing: 'Under enquiry' is under_enquiry."""
    return re.sub(r"[\s_\-]+", "_", text.strip().casefold())


def parse_cell(column: ColumnSpec, value: object, vocabulary: Vocabulary) -> object | None:
    """The cell's value as stored (None when blank), or CellRefused."""
    if isinstance(value, str):
        value = value.strip() or None
    if value is None:
        if column.required:
            raise CellRefused(
                f"{column.name} is required and is blank",
                f"Fill in {column.name} (the header's comment says what it takes) and return "
                "the workbook again.",
            )
        return None
    parse = PARSERS[column.type]
    return parse(column, value, vocabulary)


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _free_text(column: ColumnSpec, value: object, _: Vocabulary) -> str:
    text = _text(value)
    kinds = identifiers_in(text) if column.free_text else []
    if kinds:
        raise CellRefused(
            f"the text contains {joined(kinds)}; text in {column.name} is stored only without "
            "names, dates or identifiers",
            f"{advice(kinds).capitalize()} and return the workbook again.",
        )
    return text


def _code(column: ColumnSpec, value: object, vocabulary: Vocabulary) -> str:
    codes = vocabulary.lists[column.list]
    by_key = {code_key(code): code for code in codes}
    found = by_key.get(code_key(_text(value)))
    if found is None:
        choices = (
            f"one of {', '.join(codes)}"
            if len(codes) <= CODES_SPELLED_OUT
            else f"one of the {len(codes)} codes of the drop-down"
        )
        raise CellRefused(
            f"the value is not one of the {column.list} codes",
            f"Choose {choices} (the template's drop-down lists them).",
        )
    return found


def _question_id(column: ColumnSpec, value: object, vocabulary: Vocabulary) -> str:
    text = _text(value)
    if text not in vocabulary.question_ids:
        raise CellRefused(
            "the question id is not one of the questions register's",
            "Choose a question id from the drop-down (data/outputs/questions.csv lists the "
            "register), or return the latest template's questions sheet.",
        )
    return text


def _date(column: ColumnSpec, value: object, _: Vocabulary) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if isinstance(value, str) and ISO_DATE.fullmatch(text[:10]) and text[10:] in ("", " 00:00:00"):
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            pass
    raise CellRefused(
        "the value is not a date",
        f"Enter {column.name} as a date cell or as text YYYY-MM-DD (e.g. 2026-11-03).",
    )


def _count(column: ColumnSpec, value: object, _: Vocabulary) -> int:
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():  # not NaN, infinite or a fraction
        number = int(value)
    elif isinstance(value, str) and re.fullmatch(r"-?\d+", value.replace(",", "")):
        number = int(value.replace(",", ""))
    if number is None:
        raise CellRefused(
            "the value is not a whole number",
            f"Enter {column.name} as a whole number, 0 or more.",
        )
    if number < 0:
        raise CellRefused(
            "a count cannot be negative",
            f"Enter {column.name} as the number of responses or people, 0 or more.",
        )
    return number


def _case_reference(column: ColumnSpec, value: object, vocabulary: Vocabulary) -> str:
    return vocabulary.pseudonymiser.pseudonymise(CASE_REFERENCE_KIND, _text(value))


PARSERS = {
    "text": _free_text,
    "code": _code,
    "indicator_id": _code,
    "question_id": _question_id,
    "date": _date,
    "count": _count,
    "case_reference": _case_reference,
}
