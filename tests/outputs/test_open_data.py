"""The CSV exports as explore-education-statistics would screen them (DfE's open data
standard: its required columns, a `.meta.csv` naming every filter and indicator, no blank
cell, the GSS symbols), and the symbols where they belong: `c` suppressed, `z` not
applicable, `x` not delivered."""

import re

import numpy as np
import pandas as pd
import pytest

from orchestration.outputs.export_columns import metadata_of
from orchestration.outputs.exports import export_tables
from orchestration.outputs.open_data import OBSERVATIONAL_UNITS
from orchestration.outputs.published import Marts, publishable

STEMS = ["indicators_monthly", "indicators_vs_baseline", "periods_vs_baseline",
         "published_benchmarks"]  # fmt: skip
# eesyscreener's req_data_cols and req_meta_cols, and its allowed indicator units.
REQUIRED = ["time_period", "time_identifier", "geographic_level", "country_code", "country_name"]
META = ["col_name", "col_type", "label", "indicator_grouping", "indicator_unit", "indicator_dp",
        "filter_hint", "filter_grouping_column"]  # fmt: skip
UNITS = {"", "%", "pp", "£", "£m", "numberstring"}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]  # fmt: skip
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def screen(data: pd.DataFrame, meta: pd.DataFrame) -> list[str]:
    """What explore-education-statistics' screener would fail or warn on, for the checks
    that apply to these files."""
    problems = [f"missing {c}" for c in REQUIRED if c not in data]
    problems += [f"meta lacks {c}" for c in META if c not in meta]
    described = set(meta["col_name"])
    problems += [f"{c} not in meta" for c in data if c not in OBSERVATIONAL_UNITS
                 and c not in described and data[c].nunique() > 1]  # fmt: skip
    problems += [f"meta names absent {c}" for c in described if c not in data]
    groups = set(meta["filter_grouping_column"]) - {""}
    problems += [f"group {g} is not a filter" for g in groups if g not in described]
    if meta["label"].duplicated().any() or (meta["label"] == "").any():
        problems.append("labels blank or repeated")
    filters = meta.loc[meta["col_type"] == "Filter", "col_name"]
    indicators = meta.loc[meta["col_type"] == "Indicator", "col_name"]
    if set(meta["col_type"]) - {"Filter", "Indicator"}:
        problems.append("col_type other than Filter or Indicator")
    problems += [f"blank filter {c}" for c in filters if (data[c] == "").any()]
    for column in indicators:
        cells = data[column]
        bad = cells[~cells.str.fullmatch(NUMBER.pattern) & ~cells.isin(["c", "z", "x"])]
        problems += [f"{column} holds {sorted(set(bad))[:3]}"] if len(bad) else []
    if set(meta["indicator_unit"]) - UNITS:
        problems.append(f"indicator units {set(meta['indicator_unit']) - UNITS}")
    if (meta.loc[meta["col_type"] == "Filter", "indicator_unit"] != "").any():
        problems.append("a filter has a unit")
    identifiers = set(data["time_identifier"])
    if not (identifiers <= set(MONTHS) or identifiers == {"Reporting year"}):
        problems.append(f"time identifiers {identifiers}")
    if not data["time_period"].str.fullmatch(r"\d{4}").all():
        problems.append("time_period not four digits")
    local = data[data["geographic_level"] == "Local authority"]
    for column in ["old_la_code", "new_la_code", "la_name", "region_code", "region_name"]:
        if column not in data or (local[column] == "").any():
            problems.append(f"local authority rows lack {column}")
    return problems


def read(built, stem):
    folder = built / "outputs" / "exports"
    data = pd.read_csv(folder / f"{stem}.csv", dtype=str, keep_default_na=False)
    meta = pd.read_csv(folder / f"{stem}.meta.csv", dtype=str, keep_default_na=False)
    return data, meta


@pytest.mark.slow
@pytest.mark.parametrize("stem", STEMS)
def test_each_csv_passes_the_open_data_checks(built, stem):
    data, meta = read(built, stem)
    assert list(data.columns[: len(OBSERVATIONAL_UNITS)]) == OBSERVATIONAL_UNITS
    assert screen(data, meta) == []
    assert list(meta["col_name"]) == [c for c in data if c not in OBSERVATIONAL_UNITS]
    assert (data["old_la_code"] == "938").all() and (data["new_la_code"] == "E10000032").all()
    assert set(data["la_name"]) == {"West Sussex"} and set(data["region_code"]) == {"E12000008"}


@pytest.mark.slow
def test_symbols_in_the_county_exports(built):
    monthly, _ = read(built, "indicators_monthly")
    counts = monthly[monthly["unit"] == "count"]
    assert (counts["denominator"] == "z").all()
    assert (monthly["numerator"] == "c").any() and (monthly["value"] == "c").any()
    assert not (monthly[["numerator", "denominator", "value"]] == "").any().any()
    compared, _ = read(built, "indicators_vs_baseline")
    assert len(compared) == len(monthly)
    not_delivered = compared["not_assessed_reason"] == "not_delivered"
    assert (
        (compared.loc[not_delivered, ["numerator", "value", "expected_value"]] == "x").all().all()
    )
    assert not_delivered.any()  # the county's injected extract gap
    not_assessed = compared[(compared["method"] == "none") & ~not_delivered]
    # No expected value: 'z', unless its baseline months are suppressed ('c' wins).
    assert set(not_assessed["expected_value"]) == {"z", "c"}


def months(first: str, last: str) -> pd.DatetimeIndex:
    return pd.date_range(first, last, freq="MS")


def series(indicator, unit, family, dates, numerators, denominators=None, breakdown=("all", "all")):
    frame = pd.DataFrame({"month": dates, "numerator": numerators})
    frame["denominator"] = np.nan if denominators is None else denominators
    frame["value"] = frame["numerator"] if unit == "count" else (
        100 * frame["numerator"] / frame["denominator"].replace(0, np.nan)
    )  # fmt: skip
    return frame.assign(area_code="938", indicator_id=indicator, unit=unit, family=family,
                        breakdown_dimension=breakdown[0], breakdown_value=breakdown[1],
                        indicator=indicator.replace("_", " ").capitalize(),
                        breakdown=breakdown[0].capitalize(),
                        group=breakdown[1].capitalize())  # fmt: skip


@pytest.fixture(scope="module")
def small():
    """Police incidents with March 2019 not delivered (in two groups and their total), school
    attendance with no August, a share with a month of nothing and a count of 3."""
    police_months = [m for m in months("2019-01-01", "2019-06-01") if m.month != 3]
    groups = [series("police_incidents", "count", "police", police_months, [20 + i] * 5,
                     breakdown=("incident_type_code", g)) for i, g in enumerate("ab")]  # fmt: skip
    total = series("police_incidents", "count", "police", police_months, [41] * 5)
    school = [m for m in months("2018-07-01", "2019-09-01") if m.month != 8]
    attendance = series("school_attendance_rate", "percent", "education", school,
                        [900] * len(school), [1000] * len(school))  # fmt: skip
    nfa = series("referrals_nfa", "percent", "social_care", months("2019-01-01", "2019-03-01"),
                 [0, 3, 10], [0, 40, 50])  # fmt: skip
    monthly = pd.concat([*groups, total, attendance, nfa], ignore_index=True)
    compared = monthly.assign(
        method="model", in_model_fit=True, expected_value=monthly["value"], flag="within",
        expected_low=monthly["value"] - 1, expected_high=monthly["value"] + 1,
        change_from_expected_percent=0.0, not_assessed_reason=None, period_label=None,
        dq_caveat=None, baseline_years_used=np.nan, baseline_mean=np.nan, baseline_min=np.nan,
        baseline_max=np.nan, absolute_change=np.nan, percent_change=np.nan,
    )  # fmt: skip
    dim = pd.DataFrame({"month": months("2018-07-01", "2019-09-01")})
    dim["period_id"] = None
    dim["year_ending_march"] = dim["month"].dt.year + (dim["month"].dt.month >= 4)
    catalogue = pd.DataFrame({"indicator_id": ["police_incidents", "school_attendance_rate",
                                               "referrals_nfa"], "months_covered": 1})  # fmt: skip
    dim.loc[dim["month"].between("2019-01-01", "2019-02-01"), "period_id"] = "p1"
    periods = pd.DataFrame(
        {"area_code": ["938"], "indicator_id": ["school_attendance_rate"],
         "breakdown_dimension": ["all"], "breakdown_value": ["all"], "period_id": ["p1"],
         "unit": ["percent"], "numerator": [1800.0], "denominator": [2000.0], "value": [90.0],
         "start_date": ["2019-01-01"], "end_date": ["2019-02-28"], "family": ["education"],
         "indicator": ["School attendance"], "breakdown": ["All"], "group": ["All"],
         "period_label": ["A period"], "months_covered": [2], "dq_caveat": [None],
         "baseline_years_used": [0], "baseline_mean": [np.nan], "baseline_min": [np.nan],
         "baseline_max": [np.nan], "absolute_change": [np.nan], "percent_change": [np.nan]}
    )  # fmt: skip
    benchmarks = pd.DataFrame(
        {"area_code": ["938"], "indicator_id": ["police_incidents"], "year_ending_march": [2019],
         "computed": [np.nan], "computed_per_10000": [np.nan], "published_for_area": [np.nan],
         "published_for_area_per_10000": [np.nan], "england_per_10000": [1.5],
         "difference_from_published": [np.nan], "indicator": ["Police incidents"]}
    )  # fmt: skip
    marts = Marts(monthly=monthly, vs_baseline=compared, periods=periods,
                  benchmarks=benchmarks, backtest=None, months=dim, indicators=catalogue,
                  manifest=None, dq_summary=None)  # fmt: skip
    return export_tables(publishable(marts), indicators=catalogue)


def rows(table, indicator, month, dimension="all"):
    return table[(table["indicator_id"] == indicator) & (table["month"] == month)
                 & (table["breakdown_dimension"] == dimension)]  # fmt: skip


def test_a_month_not_delivered_is_x_in_every_series_and_a_count_has_no_denominator(small):
    monthly = small["indicators_monthly"]
    gap = monthly[(monthly["indicator_id"] == "police_incidents") & (monthly["month"] == "2019-03")]
    assert len(gap) == 3  # the total and both groups
    assert set(gap["numerator"]) == set(gap["value"]) == {"x"}
    assert set(gap["denominator"]) == {"z"}  # not applicable, delivered or not
    police = monthly[monthly["indicator_id"] == "police_incidents"]
    delivered = police[police["month"] != "2019-03"]
    assert set(delivered["denominator"]) == {"z"} and "x" not in set(delivered["numerator"])
    compared = small["indicators_vs_baseline"]
    gap = rows(compared, "police_incidents", "2019-03")
    assert list(gap[["method", "flag", "not_assessed_reason", "expected_value"]].iloc[0]) == [
        "none", "not_assessed", "not_delivered", "x",
    ]  # fmt: skip


def test_a_calendar_month_a_measure_never_has_is_z(small):
    august = rows(small["indicators_monthly"], "school_attendance_rate", "2018-08")
    assert list(august[["numerator", "denominator", "value"]].iloc[0]) == ["z", "z", "z"]
    assert len(rows(small["indicators_monthly"], "school_attendance_rate", "2019-08")) == 1
    september = rows(small["indicators_monthly"], "school_attendance_rate", "2019-09")
    assert september["value"].iloc[0] == "90.0"


def test_a_share_of_nothing_is_z_and_a_small_count_is_c(small):
    monthly = small["indicators_monthly"]
    empty = rows(monthly, "referrals_nfa", "2019-01")
    assert list(empty[["numerator", "denominator", "value"]].iloc[0]) == ["0", "0", "z"]
    small_count = rows(monthly, "referrals_nfa", "2019-02")
    assert list(small_count[["numerator", "value"]].iloc[0]) == ["c", "c"]
    benchmarks = small["published_benchmarks"]
    assert list(benchmarks[["computed", "published_for_area", "england_per_10000"]].iloc[0]) == [
        "x", "x", "1.5",
    ]  # fmt: skip


def test_the_metadata_names_every_filter_and_indicator(small):
    for stem, frame in small.items():
        meta = metadata_of(frame)
        assert list(meta["col_name"]) == [c for c in frame if c not in OBSERVATIONAL_UNITS], stem
        kinds = dict(zip(meta["col_name"], meta["col_type"], strict=True))
        assert kinds.get("numerator", "Indicator") == "Indicator"
        assert kinds.get("indicator") == "Filter"
    meta = metadata_of(small["indicators_monthly"]).set_index("col_name")
    assert meta.loc["group", "filter_grouping_column"] == "breakdown"
    assert meta.loc["numerator", "indicator_dp"] == "0"
