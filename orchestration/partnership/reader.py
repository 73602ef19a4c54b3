"""A returned partnership workbook read safely: its zip checked within the extracts' limits
(ingest/xlsx.py) before openpyxl opens it, read-only; then each sheet's header against
returns.yaml, and each row cell by cell (reader_cells.py), by the sheet's rules
(reader_checks.py) and its key (a repeated key keeps the first row).

A row with a fault is rejected whole and its values go no further: the Problem says file,
sheet, row, column, reason and fix, never the value. A file is refused whole (FileRejected)
when it is no readable workbook or its about sheet does not say which partner returned it
and when."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

from openpyxl.utils import get_column_letter

from orchestration.ingest.model import FileRejected
from orchestration.ingest.xlsx import MAX_COLUMNS, MAX_SECONDS, check_workbook, opened_workbook
from orchestration.partnership.reader_cells import (
    CellRefused,
    Problem,
    Vocabulary,
    code_key,
    parse_cell,
)
from orchestration.partnership.reader_checks import ReturnContext, rules_of
from orchestration.partnership.spec import ReturnsSpec, SheetSpec, load_returns

# An encrypted (password-protected) workbook, like an old .xls, is an OLE compound file.
COMPOUND_FILE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A return has a few hundred rows a sheet: far more is not a return.
MAX_ROWS_PER_SHEET = 50_000
RETURN_AGAIN = "Return the workbook written from the platform's template"


@dataclass
class ReadReturn:
    partner: str
    returned_on: date
    rows: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    rejections: list[Problem] = field(default_factory=list)
    findings: list[Problem] = field(default_factory=list)
    rows_rejected: int = 0


def read_return(
    path: Path, file: str, vocabulary: Vocabulary, spec: ReturnsSpec | None = None
) -> ReadReturn:
    """The rows of the workbook at path (named file in messages), or FileRejected."""
    spec = spec or load_returns()
    deadline = time.monotonic() + MAX_SECONDS
    _refuse_unless_workbook(path, file, deadline)
    with opened_workbook(path, partial(_not_a_workbook, file)) as workbook:
        sheets = {code_key(name): workbook[name] for name in workbook.sheetnames}
        about = sheets.get(code_key(spec.about_sheet))
        if about is None:
            raise FileRejected(
                f"{file} has no {spec.about_sheet} sheet, which says which partner returns it "
                "and when; nothing was loaded",
                f"{RETURN_AGAIN}, with its {spec.about_sheet} sheet filled in.",
            )
        read = _read_about(about, spec.sheets[spec.about_sheet], file, vocabulary, deadline)
        context = ReturnContext()
        for name in spec.return_sheets:
            worksheet = sheets.get(code_key(name))
            if worksheet is None:
                read.findings.append(
                    Problem(
                        name,
                        None,
                        None,
                        "the sheet is not in the workbook: nothing of it was read",
                        "Nothing, if the partner has nothing of this kind to return.",
                    )
                )
                continue
            _read_sheet(worksheet, spec.sheets[name], (file, deadline), vocabulary, context, read)
        return read


def _refuse_unless_workbook(path: Path, file: str, deadline: float) -> None:
    with path.open("rb") as handle:
        start = handle.read(len(COMPOUND_FILE))
    if start == COMPOUND_FILE:
        raise FileRejected(
            f"{file} is password-protected (or an old .xls workbook), so it cannot be read",
            "Remove the password (File, Info, Protect workbook), save it as .xlsx and return "
            "it again.",
        )
    try:
        check_workbook(path, deadline)
    except FileRejected as rejected:
        # Named with its folder; and a return is fixed by returning the template, never by
        # delivering the extract's CSV that the extracts' fix suggests.
        reason = file + rejected.reason.removeprefix(path.name)
        raise FileRejected(
            reason, f"{RETURN_AGAIN}, saved as .xlsx, without embedded objects."
        ) from None


def _not_a_workbook(file: str, detail: str) -> FileRejected:
    return FileRejected(
        f"{file} cannot be read as an XLSX workbook ({detail})",
        f"{RETURN_AGAIN}, saved as .xlsx.",
    )


def _rows(worksheet: object, file: str, deadline: float) -> tuple[list[str], list[tuple]]:
    """The header (names as the spec spells them) and the data rows, within the limits."""
    rows = worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    header = [code_key(str(cell)) if cell is not None else "" for cell in next(rows, ())]
    data = []
    for number, row in enumerate(rows, start=2):
        if number > MAX_ROWS_PER_SHEET or time.monotonic() > deadline:
            raise FileRejected(
                f"{file} has more rows than a return may ({MAX_ROWS_PER_SHEET:,} a sheet, "
                f"read within {MAX_SECONDS} s)",
                f"{RETURN_AGAIN}: one workbook per partner and return, rows of the period only.",
            )
        data.append(row)
    return header, data


def _read_about(
    worksheet: object, sheet: SheetSpec, file: str, vocabulary: Vocabulary, deadline: float
) -> ReadReturn:
    header, data = _rows(worksheet, file, deadline)
    filled = [(number, row) for number, row in enumerate(data, start=2) if _filled(row)]
    number, row = filled[0] if filled else (2, ())
    cells = dict(zip(header, row, strict=False))
    values, findings = {}, []
    for name, column in sheet.columns.items():
        try:
            values[name] = parse_cell(column, cells.get(name), vocabulary)
        except CellRefused as refused:
            if name in ("partner", "returned_on"):
                raise FileRejected(
                    f"{file}, sheet {sheet.name}, row {number}, column {name}: "
                    f"{refused.reason}; nothing was loaded",
                    refused.fix,
                ) from None
            # The about sheet is never stored: the value is dropped, the partner told.
            findings.append(Problem(sheet.name, number, name, refused.reason, refused.fix))
    findings += [
        Problem(sheet.name, extra, None, "only the first filled row is read", "Nothing.")
        for extra, _ in filled[1:]
    ]
    return ReadReturn(values["partner"], values["returned_on"], findings=findings)


def _filled(row: tuple) -> bool:
    return any(cell is not None and str(cell).strip() for cell in row)


def _read_sheet(
    worksheet: object,
    sheet: SheetSpec,
    where: tuple[str, float],
    vocabulary: Vocabulary,
    context: ReturnContext,
    read: ReadReturn,
) -> None:
    """Append the sheet's rows, rejections and findings to read. where: file, deadline."""
    header, data = _rows(worksheet, *where)
    positions = {name: header.index(name) for name in sheet.columns if name in header}
    read.findings += _header_findings(sheet, header, positions)
    missing = [c.name for c in sheet.stored_columns if c.required and c.name not in positions]
    rules = rules_of(sheet)
    accepted: list[dict[str, object]] = []
    first_row_of: dict[tuple, int] = {}
    for number, row in enumerate(data, start=2):
        cells = {name: row[at] if at < len(row) else None for name, at in positions.items()}
        if _blank(sheet, cells):
            continue
        if missing:
            values, problems = {}, [_missing(sheet, number, name) for name in missing]
        else:
            values, problems = _read_row(sheet, number, cells, vocabulary, context, rules)
        key = tuple(values.get(name) for name in sheet.key)
        if not problems and key in first_row_of:
            problems = [_repeated(sheet, number, first_row_of[key])]
        if problems:
            read.rejections += problems
            read.rows_rejected += 1
            continue
        first_row_of[key] = number
        accepted.append({**values, "_record_line": number})
    if sheet.name == "actions":
        context.action_ids = {str(row["action_id"]) for row in accepted}
    read.rows[sheet.name] = accepted


def _missing(sheet: SheetSpec, number: int, name: str) -> Problem:
    return Problem(
        sheet.name,
        number,
        name,
        f"the sheet has no column {name}, which is required",
        f"Put the column {name} back in the header (the template has it) and return the "
        "workbook again.",
    )


def _header_findings(
    sheet: SheetSpec, header: list[str], positions: dict[str, int]
) -> list[Problem]:
    """Columns the sheet does not have are ignored, and named by their place only (a header
    a partner typed may say anything); optional columns left out read as blank."""
    known = set(positions.values())
    findings = [
        Problem(
            sheet.name,
            1,
            get_column_letter(at + 1),
            "the column is not one of the sheet's, or repeats one: it was ignored",
            "Nothing, unless its data belong in one of the sheet's columns.",
        )
        for at, name in enumerate(header)
        if name and at not in known
    ]
    findings += [
        Problem(sheet.name, 1, c.name, "the sheet has no such column: read as blank", "Nothing.")
        for c in sheet.stored_columns
        if not c.required and c.name not in positions
    ]
    return findings


def _blank(sheet: SheetSpec, cells: dict[str, object]) -> bool:
    """Nothing typed; in a sheet the template fills from the register, nothing beyond what
    the template wrote (the question is not decided yet)."""
    written = {c.name for c in sheet.columns.values() if c.prefilled}
    if sheet.rows_from_register:
        written |= set(sheet.key)
    return not any(
        value is not None and str(value).strip()
        for name, value in cells.items()
        if name not in written
    )


def _read_row(
    sheet: SheetSpec,
    number: int,
    cells: dict[str, object],
    vocabulary: Vocabulary,
    context: ReturnContext,
    rules: list,
) -> tuple[dict[str, object], list[Problem]]:
    """The row's stored values, and its problems: each cell's, else its rules'."""
    problems, values = [], {}
    for column in sheet.stored_columns:
        try:
            values[column.name] = parse_cell(column, cells.get(column.name), vocabulary)
        except CellRefused as refused:
            problems.append(Problem(sheet.name, number, column.name, refused.reason, refused.fix))
    if not problems:
        broken = [found for rule in rules if (found := rule(values, context)) is not None]
        problems = [Problem(sheet.name, number, *found) for found in broken]
    return values, problems


def _repeated(sheet: SheetSpec, number: int, first: int) -> Problem:
    return Problem(
        sheet.name,
        number,
        None,
        f"the row repeats the key ({', '.join(sheet.key)}) of row {first}; row {first} is kept",
        "Remove the repeated row, or merge the two, and return the workbook again.",
    )
