"""exports/: the indicator and comparison tables as CSV, and one XLSX workbook for the
authority's analysts (a sheet per family, frozen header, readable labels), every figure as
published: 'c' where suppressed."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from orchestration.outputs.briefing import FAMILY_NAMES
from orchestration.outputs.suppression import SUPPRESSED

# Decimal places of an indicator's value by unit; numerators and denominators are whole.
VALUE_DECIMALS = {"count": 0, "percent": 1, "per_10000": 1, "days": 0}
LABELS = ["area_code", "family", "indicator_id", "indicator", "unit", "breakdown_dimension",
          "breakdown", "breakdown_value", "group"]  # fmt: skip
MEASURES = ["numerator", "denominator", "value"]
BASELINE = ["baseline_mean", "baseline_min", "baseline_max"]
EXPECTED = ["expected_value", "expected_low", "expected_high"]
CHANGE = ["absolute_change", "percent_change"]
HEADINGS = {
    "area_code": "Area code", "family": "Family", "indicator_id": "Indicator id",
    "indicator": "Indicator", "unit": "Unit", "breakdown_dimension": "Breakdown id",
    "breakdown": "Breakdown", "breakdown_value": "Group id", "group": "Group",
    "month": "Month", "period_id": "Period id", "period_label": "Period", "start_date": "From",
    "end_date": "To", "months_covered": "Months covered", "numerator": "Numerator",
    "denominator": "Denominator", "value": "Value", "baseline_years_used": "Baseline years",
    "baseline_mean": "Baseline mean (same months, earlier years)",
    "baseline_min": "Baseline minimum", "baseline_max": "Baseline maximum",
    "expected_low": "Expected from (95% interval)", "expected_high": "Expected to (95% interval)",
    "absolute_change": "Change against the baseline mean",
    "percent_change": "Change against the baseline mean (%)", "flag": "Flag",
    "dq_caveat": "Data-quality caveat", "method": "Method",
    "expected_value": "Expected value",
    "change_from_expected_percent": "Change against expected (%)",
    "not_assessed_reason": "Not assessed because",
    "year_ending_march": "Year ending March", "la_name": "Authority",
    "computed": "From our records", "computed_per_10000": "From our records per 10,000",
    "published_for_area": "Published for the authority",
    "published_for_area_per_10000": "Published for the authority per 10,000",
    "england_per_10000": "England per 10,000",
    "difference_from_published": "Difference from published",
}  # fmt: skip


def as_text(values: pd.Series, hidden: pd.Series, decimals: pd.Series | int) -> list[str]:
    if not isinstance(decimals, pd.Series):
        decimals = pd.Series(decimals, index=values.index)
    return [
        SUPPRESSED if hide else "" if pd.isna(value) else f"{value:.{int(places)}f}"
        for value, hide, places in zip(values, hidden, decimals, strict=True)
    ]


def published_measures(frame: pd.DataFrame, baseline: list[str]) -> pd.DataFrame:
    """The frame with every figure as its published text."""
    out = frame.copy()
    decimals = out["unit"].map(VALUE_DECIMALS).fillna(1)
    out["numerator"] = as_text(
        out["numerator"], out["numerator_hidden"], decimals.where(out["unit"] != "per_10000", 0)
    )
    out["denominator"] = as_text(out["denominator"], out["denominator_hidden"], 0)
    out["value"] = as_text(out["value"], out["value_hidden"], decimals)
    for column in baseline:
        out[column] = as_text(out[column], out["baseline_hidden"], decimals + 1)
    for column in [c for c in CHANGE if c in out]:
        places = 1 if column == "percent_change" else decimals + 1
        out[column] = as_text(out[column], out["value_hidden"] | out["baseline_hidden"], places)
    return out


def monthly_table(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    frame = published_measures(tables["monthly"], [])
    frame["month"] = frame["month"].dt.strftime("%Y-%m")
    return frame[[*LABELS, "month", *MEASURES]].sort_values(
        [*LABELS[:3], "breakdown_dimension", "breakdown_value", "month"]
    )


def comparison_table(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    frame = published_measures(tables["vs_baseline"], BASELINE)
    decimals = frame["unit"].map(VALUE_DECIMALS).fillna(1) + 1
    for column in EXPECTED:
        frame[column] = as_text(frame[column], frame["expected_hidden"], decimals)
    frame["change_from_expected_percent"] = as_text(
        frame["change_from_expected_percent"], frame["value_hidden"] | frame["expected_hidden"], 1
    )
    frame["month"] = frame["month"].dt.strftime("%Y-%m")
    columns = [*LABELS, "month", "period_label", *MEASURES, "method", *EXPECTED,
               "change_from_expected_percent", "flag", "not_assessed_reason",
               "baseline_years_used", *BASELINE, *CHANGE, "dq_caveat"]  # fmt: skip
    return frame[columns].sort_values(
        [*LABELS[:3], "breakdown_dimension", "breakdown_value", "month"]
    )


def period_table(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    frame = published_measures(tables["periods"], BASELINE)
    for column in ("start_date", "end_date"):
        frame[column] = pd.to_datetime(frame[column]).dt.strftime("%Y-%m-%d")
    columns = [*LABELS, "period_id", "period_label", "start_date", "end_date", "months_covered",
               *MEASURES, "baseline_years_used", *BASELINE, *CHANGE, "dq_caveat"]  # fmt: skip
    return frame[columns].sort_values(
        [*LABELS[:3], "breakdown_dimension", "breakdown_value", "start_date"]
    )


def benchmark_table(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    frame = tables["benchmarks"].copy()
    hidden = frame["computed_hidden"]
    frame["computed"] = as_text(frame["computed"], hidden, 0)
    frame["computed_per_10000"] = as_text(frame["computed_per_10000"], hidden, 1)
    frame["difference_from_published"] = as_text(frame["difference_from_published"], hidden, 0)
    columns = ["area_code", "la_name", "year_ending_march", "indicator_id", "indicator",
               "computed", "computed_per_10000", "published_for_area",
               "published_for_area_per_10000",
               *[c for c in frame.columns if c.startswith("region")], "england_per_10000",
               "difference_from_published"]  # fmt: skip
    return frame[columns].sort_values(["area_code", "indicator_id", "year_ending_march"])


def export_tables(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """File stem -> published table."""
    return {
        "indicators_monthly": monthly_table(tables),
        "indicators_vs_baseline": comparison_table(tables),
        "periods_vs_baseline": period_table(tables),
        "published_benchmarks": benchmark_table(tables),
    }


# A spreadsheet reads text starting with these as a formula (OWASP's CSV injection list).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: object) -> object:
    """Text a spreadsheet would run as a formula (=HYPERLINK(...), =cmd|...) gets a leading
    apostrophe, the standard prefix rule; numbers written as text ('-4.2') stay numbers."""
    if not isinstance(value, str) or not value.startswith(FORMULA_TRIGGERS):
        return value
    try:
        float(value)
    except ValueError:
        return "'" + value
    return value


def one_line(value: object) -> object:
    """A published cell is one line: a carriage return the CSV writer leaves unquoted would
    split the row."""
    return re.sub(r"[\r\n]+", " ", value) if isinstance(value, str) else value


def neutralised_frame(frame: pd.DataFrame) -> pd.DataFrame:
    text = frame.select_dtypes(include=["object", "string"]).columns
    safe = lambda value: neutralised(one_line(value))  # noqa: E731
    return frame.assign(**{column: frame[column].map(safe) for column in text})


def write_csv_atomically(frame: pd.DataFrame, target: Path) -> None:
    """Readers never see a half-written file: write beside the target, then rename. Text
    that a spreadsheet would run as a formula is neutralised."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    neutralised_frame(frame).to_csv(partial, index=False)
    os.replace(partial, target)


def cell(value: object) -> object:
    """Numbers as numbers for the analyst's spreadsheet; 'c' and text as they are, except
    text a spreadsheet would run as a formula, which is neutralised."""
    if not isinstance(value, str):
        return None if pd.isna(value) else value
    if value in ("", SUPPRESSED):
        return value or None
    try:
        return float(value)
    except ValueError:
        return neutralised(value)


def add_sheet(workbook: Workbook, title: str, frame: pd.DataFrame) -> None:
    sheet = workbook.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    for number, column in enumerate(frame.columns, start=1):
        width = max(
            [len(HEADINGS.get(column, column))] + [len(str(v)) for v in frame[column].head(200)]
        )
        sheet.column_dimensions[get_column_letter(number)].width = min(width + 2, 60)
    header = []
    for column in frame.columns:
        heading = WriteOnlyCell(sheet, HEADINGS.get(column, column))
        heading.font = Font(bold=True)
        header.append(heading)
    sheet.append(header)
    for row in frame.itertuples(index=False):
        sheet.append([cell(v) for v in row])


def write_workbook(exports: dict[str, pd.DataFrame], target: Path) -> None:
    # Write-only: streams rows, several times faster for tens of thousands of rows.
    workbook = Workbook(write_only=True)
    notes = workbook.create_sheet("About")
    for line in (
        "Children's services indicators, as published by csc-intel.",
        f"'{SUPPRESSED}': a count of 1 to 4, a figure built on one, or a figure that would"
        " reveal one through a total.",
        "One sheet per family of indicators (every month and breakdown), then each period"
        " against its baseline and the benchmarks.",
    ):
        notes.append([line])
    monthly = exports["indicators_monthly"]
    for family, rows in monthly.groupby("family", sort=False):
        add_sheet(workbook, FAMILY_NAMES.get(family, family), rows)
    add_sheet(workbook, "Periods vs baseline", exports["periods_vs_baseline"])
    add_sheet(workbook, "Benchmarks", exports["published_benchmarks"])
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    workbook.save(partial)
    os.replace(partial, target)
