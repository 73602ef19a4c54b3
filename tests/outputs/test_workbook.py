"""The workbook as an analyst opens it: quickly, every sheet an Excel table with filters,
numbers formatted by their unit, months as dates, and an About sheet that says when it was
built, what it covers, how it is suppressed and what each indicator is."""

import zipfile
from datetime import datetime

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

pytestmark = pytest.mark.slow

FORMATS = {"count": "#,##0", "percent": '0.0"%"', "per_10000": "#,##0.0", "days": "#,##0"}
UNITS = {"Count": "count", "Percent": "percent", "Per 10,000 children": "per_10000",
         "Days": "days"}  # fmt: skip


def is_number(value) -> bool:
    """A number cell (openpyxl reads a whole number back as an int)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


@pytest.fixture(scope="module")
def book_path(built):
    return built / "outputs" / "exports" / "csc_intel_indicators.xlsx"


@pytest.fixture(scope="module")
def book(book_path):
    return load_workbook(book_path)


def test_its_text_is_stored_once_so_it_opens_fast(book_path):
    # The open time itself is a benchmark figure (bench/README.md), not a timed test: what
    # makes it fast is each distinct text stored once instead of inline in every cell.
    with zipfile.ZipFile(book_path) as archive:
        assert "xl/sharedStrings.xml" in archive.namelist()
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"inlineStr" in archive.read(name) for name in sheets)


def test_every_sheet_is_an_excel_table_with_filters_over_all_its_rows(book):
    for sheet in book.worksheets:
        assert len(sheet.tables) == 1, sheet.title
        (table,) = sheet.tables.values()
        first_column, first_row, last_column, last_row = range_boundaries(table.ref)
        headers = [sheet.cell(first_row, c).value for c in range(first_column, last_column + 1)]
        assert [column.name for column in table.tableColumns] == headers
        assert table.autoFilter is not None and table.autoFilter.ref == table.ref
        if sheet.title != "About":
            assert (first_row, last_row, last_column) == (1, sheet.max_row, sheet.max_column)
            assert sheet.freeze_panes == "A2"
            assert all(isinstance(h, str) and "_" not in h for h in headers), headers


def test_numbers_are_formatted_by_unit_and_months_are_dates(book):
    sheet = book["Social care"]
    headers = [c.value for c in sheet[1]]
    unit, month, value = (headers.index(h) for h in ("Unit", "Month", "Value"))
    numerator = headers.index("Numerator")
    seen = set()
    for row in sheet.iter_rows(min_row=2):
        assert isinstance(row[month].value, datetime) and row[month].number_format == "mmm yyyy"
        if is_number(row[value].value):
            kind = UNITS[row[unit].value]
            assert row[value].number_format == FORMATS[kind], (kind, row[value].number_format)
            seen.add(kind)
        if is_number(row[numerator].value):
            assert row[numerator].number_format == "#,##0"
        else:
            assert row[numerator].value in ("c", "x", "z")
    # The small county's plan lengths are all suppressed; the days format is checked when shown.
    assert seen >= {"count", "percent", "per_10000"}
    periods = book["Periods vs baseline"]
    headers = [c.value for c in periods[1]]
    start = periods.cell(2, headers.index("From") + 1)
    assert isinstance(start.value, datetime) and start.number_format == "d mmm yyyy"
    change = headers.index("Change against the baseline mean (%)") + 1
    numbers = [periods.cell(r, change) for r in range(2, periods.max_row + 1)]
    assert {c.number_format for c in numbers if is_number(c.value)} == {'0.0"%"'}


def test_the_about_sheet_says_when_what_how_and_defines_every_indicator(book, warehouse):
    about = {row[0].value: row[1].value for row in book["About"].iter_rows() if row[0].value}
    assert isinstance(about["Built (UTC)"], datetime)
    assert abs((datetime.utcnow() - about["Built (UTC)"]).total_seconds()) < 24 * 3600
    first, last = warehouse.execute(
        "select min(month), max(month) from marts.fct_indicator_monthly"
    ).fetchone()
    assert about["Figures from"].date() == first and about["Figures to"].date() == last
    assert "1 to 4" in about["Suppression"]
    assert {"c", "z", "x"} <= set(about)
    (table,) = book["About"].tables.values()
    definitions = pd.DataFrame(book["About"][table.ref]).map(lambda c: c.value)
    definitions.columns = definitions.iloc[0]
    definitions = definitions.iloc[1:]
    catalogue = warehouse.execute("select indicator_id, numerator from reference.indicators").df()
    assert set(definitions["Indicator id"]) == set(catalogue["indicator_id"])
    assert definitions["Numerator (what is counted)"].notna().all()
