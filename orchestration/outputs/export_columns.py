"""What each exported column is: its readable heading (the workbook's header, the `.meta.csv`
label), whether it is a filter or an indicator in DfE's open data terms, and for the
`.meta.csv` its unit, decimal places, hint, grouping column and default."""

from __future__ import annotations

import pandas as pd

from orchestration.outputs import open_data

HEADINGS = {
    "time_period": "Time period", "time_identifier": "Time identifier",
    "geographic_level": "Geographic level", "country_code": "Country code",
    "country_name": "Country", "region_code": "Region code", "region_name": "Region",
    "old_la_code": "LA code", "new_la_code": "LA code (ONS)", "la_name": "Local authority",
    "area_code": "Area code", "family": "Family", "indicator_id": "Indicator id",
    "indicator": "Indicator", "unit": "Unit", "breakdown_dimension": "Breakdown id",
    "breakdown": "Breakdown", "breakdown_value": "Group id", "group": "Group",
    "month": "Month", "period_id": "Period id", "period_label": "Period", "start_date": "From",
    "end_date": "To", "months_covered": "Months covered", "numerator": "Numerator",
    "denominator": "Denominator", "value": "Value", "baseline_years_used": "Baseline years",
    "baseline_mean": "Baseline mean (same months, earlier years)",
    "baseline_min": "Baseline minimum", "baseline_max": "Baseline maximum",
    "expected_value": "Expected value",
    "expected_low": "Expected from (95% interval)", "expected_high": "Expected to (95% interval)",
    "change_from_expected_percent": "Change against expected (%)",
    "absolute_change": "Change against the baseline mean",
    "percent_change": "Change against the baseline mean (%)", "flag": "Flag",
    "not_assessed_reason": "Not assessed because", "dq_caveat": "Data-quality caveat",
    "method": "Method", "year_ending_march": "Year ending March",
    "computed": "From our records", "computed_per_10000": "From our records per 10,000",
    "published_for_area": "Published for the authority",
    "published_for_area_per_10000": "Published for the authority per 10,000",
    "region_per_10000": "Region per 10,000", "england_per_10000": "England per 10,000",
    "difference_from_published": "Difference from published",
    "neighbours_per_10000": "Statistical neighbours per 10,000",
    "lower_quartile_per_10000": "English authorities, lower quartile per 10,000",
    "median_per_10000": "English authorities, median per 10,000",
    "upper_quartile_per_10000": "English authorities, upper quartile per 10,000",
    "quartile": "Quarter of English authorities (1 lowest, 4 highest)",
    "funnel_lower_95_per_10000": "Funnel lower 95% limit per 10,000",
    "funnel_upper_95_per_10000": "Funnel upper 95% limit per 10,000",
    "funnel_lower_998_per_10000": "Funnel lower 99.8% limit per 10,000",
    "funnel_upper_998_per_10000": "Funnel upper 99.8% limit per 10,000",
    "funnel_position": "Against the funnel's limits",
    "published_difference_percent": "Difference from published (%)",
    "published_note": "Why ours may differ from published",
}  # fmt: skip
FILTERS = {"family", "indicator_id", "indicator", "unit", "breakdown_dimension", "breakdown",
           "breakdown_value", "group", "month", "period_id", "period_label", "start_date",
           "end_date", "method", "flag", "not_assessed_reason", "dq_caveat", "funnel_position",
           "published_note"}  # fmt: skip
HINTS = {
    "unit": "count, percent, per_10000 or days: the unit of the row's value, expected and "
    "baseline figures",
    "month": "The month as yyyy-mm, the same as time_period and time_identifier",
    "period_label": "The period of interest the month falls in (its 15th day), or None",
    "start_date": "First day of the period (yyyy-mm-dd); time_period and time_identifier "
    "are the month it starts in",
    "method": "How the expected value was made: model, same_months or none",
    "flag": "The month against its expected range: below, above, within or not_assessed",
    "not_assessed_reason": "Why a month was not judged (not_delivered: the source sent no "
    "data for the month)",
    "dq_caveat": "A data-quality finding that can affect the figure, or None",
}
GROUPING = {"indicator": "family", "group": "breakdown", "breakdown_value": "breakdown_dimension"}
DEFAULTS = {"breakdown_dimension": "all", "breakdown": "All", "breakdown_value": "all",
            "group": "All"}  # fmt: skip
PERCENT = {"percent_change", "change_from_expected_percent", "published_difference_percent"}
WHOLE = {"numerator", "denominator", "months_covered", "baseline_years_used", "computed",
         "published_for_area", "difference_from_published", "quartile"}  # fmt: skip
# Columns whose unit is the row's (count, percent, per 10,000 or days).
IN_ROW_UNIT = {"value", "expected_value", "expected_low", "expected_high", "baseline_mean",
               "baseline_min", "baseline_max", "absolute_change"}  # fmt: skip


def heading(column: str) -> str:
    return HEADINGS.get(column, column.replace("_", " ").capitalize())


def decimals(column: str) -> int | str:
    if column in WHOLE:
        return 0
    if column in PERCENT or column.endswith("_per_10000"):
        return 1
    return ""


def metadata_of(frame: pd.DataFrame) -> pd.DataFrame:
    """The `.meta.csv` of an exported table: every column but the observational units."""
    columns = [c for c in frame.columns if c not in open_data.OBSERVATIONAL_UNITS]
    labels = {c: heading(c) + (" (in the row's unit)" if c in IN_ROW_UNIT else "") for c in columns}
    return open_data.metadata(
        columns,
        filters={c: labels[c] for c in columns if c in FILTERS},
        indicators={c: labels[c] for c in columns if c not in FILTERS},
        hints=HINTS,
        grouping={c: g for c, g in GROUPING.items() if g in columns},
        units={c: "%" for c in PERCENT},
        decimals={c: d for c in columns if (d := decimals(c)) != ""},
        defaults=DEFAULTS,
    )
