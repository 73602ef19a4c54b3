"""The partnership return's template: a workbook partners fill in, written from returns.yaml.

An instructions sheet first, then one sheet per kind of return with a bold, frozen header,
each column's help as a comment on its header cell, and Excel's data validation where a cell
takes a known value: a drop-down for every code, question id and indicator id (the lists on a
hidden "lists" sheet), whole numbers of 0 or more for counts, dates for dates. The questions
sheet comes with the register's questions, so a partner only decides about them. The cells
depend on the inputs alone: the same register writes the same workbook."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from orchestration.partnership.spec import ColumnSpec, ReturnsSpec, SheetSpec, load_returns

LISTS_SHEET = "lists"
INSTRUCTIONS_SHEET = "instructions"
# Rows offered for filling in (validation and date formats reach this far); a sheet prefilled
# with the register gets as many again below its questions.
ROWS_OFFERED = 500
DATE_FORMAT = "yyyy-mm-dd"
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)
BOLD = Font(bold=True)
WIDTHS = {"text": 40, "code": 24, "question_id": 16, "indicator_id": 34, "date": 14, "count": 10}
PREFILLED_WIDTH = 80
TYPE_HELP = {
    "text": "Text.",
    "code": "Choose from the list.",
    "question_id": "A question id of the questions register (data/outputs/questions.csv).",
    "indicator_id": "An indicator id of the platform's catalogue (choose from the list).",
    "date": "A date (YYYY-MM-DD).",
    "count": "A whole number, 0 or more.",
    "case_reference": "Your own child id, as in the CIN census (LAchildID): the platform"
    " replaces it with a pseudonym as it reads the workbook and never stores it.",
}
FREE_TEXT_HELP = "No names, dates or identifiers: a row with one is refused and not stored."
ABOUT_THE_WORKBOOK = (
    "This workbook is a partnership return: what the partnership decided about the questions"
    " the platform raised, what people told you, the case files you audited, and the shared"
    " plan and its reviews. Fill in the sheets that apply (leave the others empty), one"
    " workbook per partner, and save it into data/landing/partnership/: the platform reads it"
    " at its next run, and a later return of the same partner replaces this one. Every"
    " column's header has a comment saying what it takes; drop-downs offer the allowed codes."
)
IDENTIFIERS = (
    "Identifiers: never type a child's or anyone's name, a date of birth, a UPN, an NHS"
    " number, an address, an email or a phone number into a text column. The platform scans"
    " every text column and refuses a row with one (the row is listed with the reason, and its"
    " text is not stored). The one identifier a return carries is the case reference of the"
    " audits sheet: it is replaced by a pseudonym, with the key the extracts use, as the"
    " workbook is read, so an audited case joins the child's records without its reference"
    " ever reaching the warehouse."
)


def write_template(target: Path, register: pd.DataFrame, indicator_ids: list[str]) -> Path:
    """Write the template to target (replaced whole, never half-written) and return it.
    register: the questions register (question_id, question); indicator_ids: the catalogue."""
    spec = load_returns()
    question_ids = [str(value) for value in register["question_id"]]
    choices = {**spec.lists, "question_id": question_ids, "indicator": list(indicator_ids)}
    workbook = Workbook()
    _write_instructions(workbook.active, spec)
    ranges = _write_lists(workbook.create_sheet(LISTS_SHEET), choices)
    for sheet in spec.sheets.values():
        worksheet = workbook.create_sheet(sheet.name)
        rows = _prefilled_rows(sheet, register)
        _write_sheet(worksheet, sheet, rows, ranges)
    workbook.move_sheet(LISTS_SHEET, offset=len(workbook.sheetnames) - 1)
    workbook[LISTS_SHEET].sheet_state = "hidden"
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    workbook.save(partial)
    os.replace(partial, target)
    return target


def _write_instructions(worksheet: Worksheet, spec: ReturnsSpec) -> None:
    worksheet.title = INSTRUCTIONS_SHEET
    worksheet.column_dimensions["A"].width = 24
    worksheet.column_dimensions["B"].width = 110
    worksheet.append(["Partnership return"])
    worksheet["A1"].font = Font(bold=True, size=14)
    paragraphs = [("What this is", ABOUT_THE_WORKBOOK)]
    paragraphs += [
        (f"Sheet {sheet.name}", _sheet_paragraph(sheet)) for sheet in spec.sheets.values()
    ]
    paragraphs.append(("Identifiers", IDENTIFIERS))
    for title, text in paragraphs:
        worksheet.append([title, text])
        row = worksheet.max_row
        worksheet.cell(row, 1).font = BOLD
        worksheet.cell(row, 1).alignment = Alignment(vertical="top")
        worksheet.cell(row, 2).alignment = Alignment(wrap_text=True, vertical="top")


def _sheet_paragraph(sheet: SheetSpec) -> str:
    required = [column.name for column in sheet.columns.values() if column.required]
    needs = f" Required in every row: {', '.join(required)}." if required else ""
    if sheet.single_row:
        needs += " One row to fill."
    return sheet.instructions + needs


def _write_lists(worksheet: Worksheet, choices: dict[str, list[str]]) -> dict[str, str]:
    """One column per list; returns list name -> the absolute range of its codes (lists
    without codes have none, and their columns no drop-down)."""
    ranges = {}
    for index, (name, codes) in enumerate(choices.items(), start=1):
        worksheet.cell(1, index, name).font = BOLD
        for row, code in enumerate(codes, start=2):
            worksheet.cell(row, index, code)
        if codes:
            letter = get_column_letter(index)
            where = quote_sheetname(LISTS_SHEET)
            ranges[name] = f"{where}!${letter}$2:${letter}${len(codes) + 1}"
    return ranges


def _prefilled_rows(sheet: SheetSpec, register: pd.DataFrame) -> list[dict[str, str]]:
    if not sheet.rows_from_register:
        return []
    columns = [name for name in sheet.columns if name in register.columns]
    return [
        {
            name: "" if pd.isna(value) else str(value)
            for name, value in zip(columns, row, strict=True)
        }
        for row in register[columns].itertuples(index=False, name=None)
    ]


def _write_sheet(
    worksheet: Worksheet, sheet: SheetSpec, rows: list[dict[str, str]], ranges: dict[str, str]
) -> None:
    names = list(sheet.columns)
    worksheet.append(names)
    for row in rows:
        worksheet.append([row.get(name) or None for name in names])
    last_row = 2 if sheet.single_row else len(rows) + 1 + ROWS_OFFERED
    for index, column in enumerate(sheet.columns.values(), start=1):
        letter = get_column_letter(index)
        header = worksheet.cell(1, index)
        header.font = BOLD
        header.comment = Comment(_help(column), "csc-intel", width=300, height=120)
        prefilled = column.prefilled and sheet.rows_from_register
        worksheet.column_dimensions[letter].width = (
            PREFILLED_WIDTH if prefilled else WIDTHS.get(column.type, 24)
        )
        cells = f"{letter}2:{letter}{last_row}"
        validation = _validation(column, ranges)
        if validation is not None:
            worksheet.add_data_validation(validation)
            validation.add(cells)
        if column.type == "date":
            for (cell,) in worksheet[cells]:
                cell.number_format = DATE_FORMAT
    worksheet.freeze_panes = "A2"


def _help(column: ColumnSpec) -> str:
    parts = [column.help] if column.help else []
    parts.append(TYPE_HELP[column.type])
    if column.free_text:
        parts.append(FREE_TEXT_HELP)
    if column.required:
        parts.append("Required.")
    if column.prefilled:
        parts = [column.help or "Written by the platform; not read back."]
    return " ".join(parts)


def _validation(column: ColumnSpec, ranges: dict[str, str]) -> DataValidation | None:
    if column.prefilled:
        return None
    if column.type in ("code", "indicator_id", "question_id"):
        codes = ranges.get(column.list or column.type)
        if codes is None:
            return None
        return DataValidation(
            type="list",
            formula1=codes,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=f"Not a {column.name}",
            error=f"Choose a {column.name} from the drop-down list.",
        )
    if column.type == "count":
        return DataValidation(
            type="whole",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Not a count",
            error="A whole number, 0 or more.",
        )
    if column.type == "date":
        return DataValidation(
            type="date",
            operator="between",
            formula1=str(int(to_excel(EARLIEST))),
            formula2=str(int(to_excel(LATEST))),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Not a date",
            error=f"A date between {EARLIEST} and {LATEST}, e.g. 2026-11-03.",
        )
    return None
