"""csc_intel_indicators.xlsx, the workbook an analyst opens without reformatting: an About
sheet (when it was built, the months it covers, the suppression rule, the symbols, each
indicator's definition), a sheet per family of indicators, the periods against their
baseline and the benchmarks. Each sheet is an Excel table (filters on every column, banded
rows) with readable headers and a frozen header row; numbers are numbers formatted by their
unit, months and dates are dates; `c`, `z` and `x` stay as DfE publishes them."""

from __future__ import annotations

import os
import re
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from orchestration.outputs.briefing import FAMILY_NAMES
from orchestration.outputs.export_columns import FILTERS, heading
from orchestration.outputs.neutralise import neutralised
from orchestration.outputs.open_data import OBSERVATIONAL_UNITS
from orchestration.outputs.published import Marts
from orchestration.outputs.shared_strings import share_strings
from orchestration.outputs.suppression import SMALLEST_SHOWN, SUPPRESSED

# The unit columns whose numbers are in the row's unit, and their formats by unit: a value as
# published, and statistics built on it (baseline, expected) with one more decimal.
VALUE_FORMATS = {"count": "#,##0", "percent": '0.0"%"', "per_10000": "#,##0.0", "days": "#,##0"}
STATISTIC_FORMATS = {"count": "#,##0.0", "percent": '0.00"%"', "per_10000": "#,##0.00",
                     "days": "#,##0.0"}  # fmt: skip
STATISTICS = {"expected_value", "expected_low", "expected_high", "baseline_mean",
              "baseline_min", "baseline_max", "absolute_change"}  # fmt: skip
WHOLE = {"numerator", "denominator", "computed", "published_for_area", "months_covered",
         "difference_from_published", "baseline_years_used"}  # fmt: skip
PERCENT = {"percent_change", "change_from_expected_percent"}
DATES = {"month": "mmm yyyy", "start_date": "d mmm yyyy", "end_date": "d mmm yyyy"}
UNIT_NAMES = {"count": "Count", "percent": "Percent", "per_10000": "Per 10,000 children",
              "days": "Days"}  # fmt: skip
# Kept in the CSVs for joining and for EES; a sheet of one family and one authority reads
# better without them.
NOT_ON_SHEETS = {*OBSERVATIONAL_UNITS, "family", "indicator_id", "breakdown_dimension",
                 "breakdown_value", "period_id", "area_code"}  # fmt: skip
SYMBOLS = (
    (SUPPRESSED, f"suppressed: a count of 1 to {SMALLEST_SHOWN - 1}, a figure built on one, "
     "or a figure that would give one back through a total published beside it"),
    ("z", "not applicable: the figure does not exist for the row (a count has no "
     "denominator; a share of nothing has no value; a month not assessed has no expected "
     "value; a calendar month the measure never has, as school attendance in August)"),
    ("x", "not available: the source did not deliver the month"),
)  # fmt: skip
SYMBOL_TEXT = {symbol for symbol, _ in SYMBOLS}
DEFINITIONS = {"indicator_id": "Indicator id", "label": "Indicator", "family": "Family",
               "unit": "Unit", "numerator": "Numerator (what is counted)",
               "denominator": "Denominator", "months_covered": "Months a value covers",
               "source": "Source"}  # fmt: skip


@dataclass(frozen=True)
class About:
    """What the About sheet says beyond the fixed notes."""

    built_at: datetime
    first_month: pd.Timestamp | None
    last_month: pd.Timestamp | None
    definitions: pd.DataFrame

    @classmethod
    def of(cls, marts: Marts, built_at: datetime) -> About:
        months = pd.to_datetime(marts.monthly["month"])
        columns = [c for c in DEFINITIONS if c in marts.indicators]
        return cls(
            built_at=built_at,
            first_month=months.min() if len(months) else None,
            last_month=months.max() if len(months) else None,
            definitions=marts.indicators[columns].sort_values(["family", "indicator_id"]),
        )


def number_format(column: str, unit: object) -> str | None:
    if column in WHOLE:
        return "#,##0"
    if column == "value":
        return VALUE_FORMATS.get(str(unit), "#,##0.0")
    if column in STATISTICS:
        return STATISTIC_FORMATS.get(str(unit), "#,##0.00")
    if column in PERCENT:
        return '0.0"%"'
    if column.endswith("_per_10000"):
        return "#,##0.0"
    return None


def typed(value: object, column: str) -> object:
    """Numbers as numbers, dates as dates; '', 'c', 'z', 'x' and text as they are (text a
    spreadsheet would run as a formula is neutralised)."""
    if not isinstance(value, str):
        return None if pd.isna(value) else value
    if value == "":
        return None
    if column in DATES and re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", value):
        return datetime.fromisoformat(value if len(value) == 10 else value + "-01")
    if column in FILTERS or value in SYMBOL_TEXT:
        return neutralised(value)
    try:
        return float(value)
    except ValueError:
        return neutralised(value)


def shown(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[[c for c in frame.columns if c not in NOT_ON_SHEETS]]


def add_table(
    sheet: WriteOnlyWorksheet, name: str, headers: list[str], first_row: int, rows: int
) -> None:
    if rows == 0:
        return
    ref = f"A{first_row}:{get_column_letter(len(headers))}{first_row + rows}"
    table = Table(displayName=re.sub(r"\W", "_", name), ref=ref)
    table.tableColumns = [TableColumn(id=i, name=h) for i, h in enumerate(headers, start=1)]
    table.autoFilter = AutoFilter(ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    with warnings.catch_warnings():  # the columns are added above, as write-only mode needs
        warnings.filterwarnings("ignore", "In write-only mode you must add table columns")
        sheet.add_table(table)


def add_sheet(workbook: Workbook, title: str, frame: pd.DataFrame) -> None:
    frame = frame.reset_index(drop=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    headers = [heading(c) for c in frame.columns]
    for number, column in enumerate(frame.columns, start=1):
        # str() of each value: a blank (None, NaN) is as wide as its text, never an error.
        sample = [str(value) for value in frame[column].head(200)]
        width = 12 if column in DATES else max([len(headers[number - 1]), *map(len, sample)])
        sheet.column_dimensions[get_column_letter(number)].width = min(width + 2, 60)
    header = []
    for text in headers:
        cell = WriteOnlyCell(sheet, text)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    units = frame["unit"] if "unit" in frame else pd.Series(None, index=frame.index)
    formats = {c: DATES.get(c) for c in frame.columns}
    for row, unit in zip(frame.itertuples(index=False, name=None), units, strict=True):
        cells = []
        for column, value in zip(frame.columns, row, strict=True):
            value = typed(value, column)
            style = formats[column] or (
                number_format(column, unit) if isinstance(value, float) else None
            )
            if column == "unit":
                value = UNIT_NAMES.get(str(value), value)
            if style is None or value is None or isinstance(value, str):
                cells.append(value)
                continue
            cell = WriteOnlyCell(sheet, value)
            cell.number_format = style
            cells.append(cell)
        sheet.append(cells)
    add_table(sheet, title, headers, 1, len(frame))


def add_about(workbook: Workbook, about: About | None) -> None:
    sheet = workbook.create_sheet("About")
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 90
    title = WriteOnlyCell(sheet, "Children's services indicators, as published by csc-intel")
    title.font = Font(bold=True, size=14)
    rows: list[list] = [[title], []]
    if about is not None:
        built = about.built_at.astimezone(UTC).replace(tzinfo=None)
        rows += [["Built (UTC)", dated(sheet, built, "d mmm yyyy hh:mm")]]
        if about.first_month is not None:
            rows += [["Figures from", dated(sheet, about.first_month, "mmmm yyyy")],
                     ["Figures to", dated(sheet, about.last_month, "mmmm yyyy")]]  # fmt: skip
    rows += [
        ["Suppression", "Counts of 1 to 4 are not shown, nor any figure built on one, nor any "
         "figure that would give one back through a total published beside it (the all row of "
         "a breakdown, a period over its months, a year over its months); a figure once "
         "hidden stays hidden in later releases."],
        *[[symbol, meaning] for symbol, meaning in SYMBOLS],
        ["Sheets", "A sheet per family of indicators (every month and breakdown), then each "
         "period of interest against the same months of earlier years, and the benchmarks "
         "against DfE's published figures; once partners have returned the partnership "
         "template, the questions they took into an enquiry, what they heard (survey "
         "results, themes, case-file audits) and the shared plan with its review. The CSVs "
         "beside this workbook hold the same indicator figures and each month against its "
         "expected value, in DfE's open data layout."],
        ["Units", "Counts are whole; percentages are shown with a % sign (23.4 is 23.4%); "
         "rates are per 10,000 children aged 0 to 17; durations are in days."],
        [],
    ]  # fmt: skip
    for row in rows:
        sheet.append([wrapped(sheet, v) if isinstance(v, str) and len(v) > 90 else v for v in row])
    if about is None or about.definitions.empty:
        return
    heading_cell = WriteOnlyCell(sheet, "Definitions")
    heading_cell.font = Font(bold=True)
    sheet.append([heading_cell])
    headers = [DEFINITIONS[c] for c in about.definitions.columns]
    sheet.append(headers)
    for row in about.definitions.itertuples(index=False, name=None):
        sheet.append([None if pd.isna(v) else v for v in row])
    add_table(sheet, "Definitions", headers, len(rows) + 2, len(about.definitions))


def dated(sheet: WriteOnlyWorksheet, value: object, style: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, pd.Timestamp(value).to_pydatetime())
    cell.number_format = style
    cell.alignment = Alignment(horizontal="left")
    return cell


def wrapped(sheet: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, text)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def write_workbook(
    exports: dict[str, pd.DataFrame],
    target: Path,
    about: About | None = None,
    partnership: dict[str, pd.DataFrame] | None = None,
) -> None:
    """The workbook from the published tables (export_tables), and the partnership's sheets
    (workbook_partnership.py) after them, written beside the target and renamed into place."""
    # Write-only: streams rows, several times faster for tens of thousands of rows.
    workbook = Workbook(write_only=True)
    add_about(workbook, about)
    monthly = exports["indicators_monthly"]
    for family, rows in monthly.groupby("family", sort=True):
        add_sheet(workbook, FAMILY_NAMES.get(family, str(family)), shown(rows))
    add_sheet(workbook, "Periods vs baseline", shown(exports["periods_vs_baseline"]))
    benchmarks = exports["published_benchmarks"]
    year = {"time_period": "year_ending_march"} if "time_period" in benchmarks else {}
    add_sheet(workbook, "Benchmarks", shown(benchmarks.rename(columns=year)))
    for title, frame in (partnership or {}).items():
        add_sheet(workbook, title, frame)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    workbook.save(partial)
    share_strings(partial)
    os.replace(partial, target)
