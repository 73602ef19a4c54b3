"""exports/: the indicator, comparison, period and benchmark tables as CSV in DfE's open data
layout (open_data.py), each with its `.meta.csv`, and one XLSX workbook for the authority's
analysts (workbook.py). Every figure as published: `c` where suppressed (published.py), `z`
where it does not apply, `x` where its data was not delivered."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pandas as pd

from orchestration.outputs import open_data
from orchestration.outputs.export_columns import metadata_of
from orchestration.outputs.neutralise import neutralised, neutralised_frame
from orchestration.outputs.open_data import NOT_APPLICABLE, NOT_AVAILABLE, laid_out, month_time
from orchestration.outputs.published import SERIES, Marts
from orchestration.outputs.suppression import SUPPRESSED
from orchestration.outputs.workbook import About, write_workbook

__all__ = ["export_tables", "neutralised", "write_csv_atomically", "write_exports",
           "write_workbook"]  # fmt: skip

# Decimal places of an indicator's value by unit; numerators and denominators are whole.
VALUE_DECIMALS = {"count": 0, "percent": 1, "per_10000": 1, "days": 0}
SERIES_LABELS = ["family", "indicator", "unit", "breakdown", "group"]
SERIES_FILTERS = ["family", "indicator_id", "indicator", "unit", "breakdown_dimension",
                  "breakdown", "breakdown_value", "group"]  # fmt: skip
MEASURES = ["numerator", "denominator", "value"]
BASELINE = ["baseline_mean", "baseline_min", "baseline_max"]
EXPECTED = ["expected_value", "expected_low", "expected_high"]
CHANGE = ["absolute_change", "percent_change"]
# A filter the data leaves blank, as EES wants it: every filter cell has a value.
BLANK_FILTERS = {"period_label": "None", "dq_caveat": "None",
                 "not_assessed_reason": "Not applicable"}  # fmt: skip
# What a month a series lacks says in the comparison (open_data.gap_rows).
EITHER = {True: NOT_APPLICABLE, False: NOT_AVAILABLE}
GAP_REASONS = {NOT_AVAILABLE: "not_delivered", NOT_APPLICABLE: "not_a_month_of_the_measure"}


def symbols(frame: pd.DataFrame, default: str | pd.Series) -> pd.Series:
    """The symbol of a row with no figure: its gap's (a month not delivered), else default."""
    gap = frame["gap"] if "gap" in frame else pd.Series("", index=frame.index)
    fallback = default if isinstance(default, pd.Series) else pd.Series(default, frame.index)
    return gap.where(gap != "", fallback)


def as_text(
    values: pd.Series,
    hidden: pd.Series | bool,
    decimals: pd.Series | int,
    missing: pd.Series | str = NOT_AVAILABLE,
) -> list[str]:
    """`c` where hidden, the missing symbol where there is no figure, else the number."""
    index = values.index
    hidden = hidden if isinstance(hidden, pd.Series) else pd.Series(hidden, index=index)
    decimals = decimals if isinstance(decimals, pd.Series) else pd.Series(decimals, index=index)
    missing = missing if isinstance(missing, pd.Series) else pd.Series(missing, index=index)
    return [
        SUPPRESSED if hide else symbol if pd.isna(value) else f"{value:.{int(places)}f}"
        for value, hide, places, symbol in zip(values, hidden, decimals, missing, strict=True)
    ]


def published_measures(frame: pd.DataFrame, baseline: list[str]) -> pd.DataFrame:
    """The frame with every figure as its published text."""
    out = frame.copy()
    decimals = out["unit"].map(VALUE_DECIMALS).fillna(1)
    not_delivered = symbols(out, NOT_AVAILABLE)
    derived = symbols(out, NOT_APPLICABLE)
    # A count has no denominator, delivered or not; a share or rate of nothing has no value.
    counts_only = symbols(out, NOT_AVAILABLE).where(out["unit"] != "count", NOT_APPLICABLE)
    of_nothing = symbols(out, out["denominator"].eq(0).map(EITHER))
    out["numerator"] = as_text(out["numerator"], out["numerator_hidden"], 0, not_delivered)
    out["denominator"] = as_text(out["denominator"], out["denominator_hidden"], 0, counts_only)
    out["value"] = as_text(out["value"], out["value_hidden"], decimals, of_nothing)
    for column in baseline:
        out[column] = as_text(out[column], out["baseline_hidden"], decimals + 1, derived)
    for column in [c for c in CHANGE if c in out]:
        places = 1 if column == "percent_change" else decimals + 1
        hidden = out["value_hidden"] | out["baseline_hidden"]
        out[column] = as_text(out[column], hidden, places, derived)
    if "baseline_years_used" in out:
        out["baseline_years_used"] = as_text(out["baseline_years_used"], False, 0, derived)
    return out


def filled_filters(frame: pd.DataFrame) -> pd.DataFrame:
    present = {c: v for c, v in BLANK_FILTERS.items() if c in frame}
    return frame.assign(**{c: frame[c].fillna(v).replace("", v) for c, v in present.items()})


def ordered(frame: pd.DataFrame, last: str) -> pd.DataFrame:
    keys = ["old_la_code", "family", "indicator_id", "breakdown_dimension", "breakdown_value"]
    return frame.sort_values([k for k in keys if k in frame] + [last]).reset_index(drop=True)


def monthly_table(tables: dict, geography: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    frame = open_data.with_gaps(tables["monthly"], indicators, [*SERIES, *SERIES_LABELS])
    frame = published_measures(frame, [])
    period, identifier = month_time(frame["month"])
    frame["month"] = frame["month"].dt.strftime("%Y-%m")
    columns = [*SERIES_FILTERS, "month", *MEASURES]
    return ordered(laid_out(frame, period, identifier, geography, columns), "month")


def comparison_table(
    tables: dict, geography: pd.DataFrame, indicators: pd.DataFrame
) -> pd.DataFrame:
    frame = open_data.with_gaps(tables["vs_baseline"], indicators, [*SERIES, *SERIES_LABELS])
    gap = frame["gap"] != ""
    frame.loc[gap, ["method", "flag"]] = ["none", "not_assessed"]
    frame.loc[gap, "not_assessed_reason"] = frame.loc[gap, "gap"].map(GAP_REASONS)
    frame["expected_hidden"] = frame["expected_hidden"].fillna(False).astype(bool)
    frame = published_measures(frame, BASELINE)
    decimals = frame["unit"].map(VALUE_DECIMALS).fillna(1) + 1
    derived = symbols(frame, NOT_APPLICABLE)
    for column in EXPECTED:
        frame[column] = as_text(frame[column], frame["expected_hidden"], decimals, derived)
    frame["change_from_expected_percent"] = as_text(
        frame["change_from_expected_percent"], frame["value_hidden"] | frame["expected_hidden"],
        1, derived,
    )  # fmt: skip
    period, identifier = month_time(frame["month"])
    frame["month"] = frame["month"].dt.strftime("%Y-%m")
    columns = [*SERIES_FILTERS, "month", "period_label", "method", "flag",
               "not_assessed_reason", "dq_caveat", *MEASURES, *EXPECTED,
               "change_from_expected_percent", "baseline_years_used", *BASELINE,
               *CHANGE]  # fmt: skip
    frame = filled_filters(frame)
    return ordered(laid_out(frame, period, identifier, geography, columns), "month")


def period_table(tables: dict, geography: pd.DataFrame) -> pd.DataFrame:
    frame = filled_filters(published_measures(tables["periods"], BASELINE))
    starts = pd.to_datetime(frame["start_date"])
    period, identifier = month_time(starts)
    for column in ("start_date", "end_date"):
        frame[column] = pd.to_datetime(frame[column]).dt.strftime("%Y-%m-%d")
    columns = [*SERIES_FILTERS, "period_id", "period_label", "start_date", "end_date",
               "dq_caveat", "months_covered", *MEASURES, "baseline_years_used", *BASELINE,
               *CHANGE]  # fmt: skip
    return ordered(laid_out(frame, period, identifier, geography, columns), "start_date")


# rpt_benchmark_positions' published rates around the authority (none of them ours).
POSITION_RATES = ["neighbours_per_10000", "lower_quartile_per_10000", "median_per_10000",
                  "upper_quartile_per_10000", "funnel_lower_95_per_10000",
                  "funnel_upper_95_per_10000", "funnel_lower_998_per_10000",
                  "funnel_upper_998_per_10000"]  # fmt: skip


def benchmark_table(tables: dict, geography: pd.DataFrame) -> pd.DataFrame:
    frame = tables["benchmarks"].copy()
    hidden = frame["computed_hidden"]
    frame["computed"] = as_text(frame["computed"], hidden, 0)
    frame["computed_per_10000"] = as_text(frame["computed_per_10000"], hidden, 1)
    frame["difference_from_published"] = as_text(frame["difference_from_published"], hidden, 0)
    published = ["published_for_area", "published_for_area_per_10000",
                 *[c for c in frame.columns if c.startswith("region") and c != "region_name"],
                 "england_per_10000"]  # fmt: skip
    published += [c for c in POSITION_RATES if c in frame]
    for column in published:
        frame[column] = as_text(frame[column], False, 0 if column == "published_for_area" else 1)
    # Where our figure stands says something about it: hidden with it.
    derived = [c for c in ("quartile", "funnel_position", "published_difference_percent",
                           "published_note") if c in frame]  # fmt: skip
    for column in derived:
        places = 1 if column == "published_difference_percent" else 0
        if column in ("funnel_position", "published_note"):
            frame[column] = frame[column].fillna("").astype(str).where(~hidden, SUPPRESSED)
        else:
            frame[column] = as_text(frame[column], hidden, places)
    columns = ["indicator_id", "indicator", "computed", "computed_per_10000", *published,
               "difference_from_published", *derived]  # fmt: skip
    frame = laid_out(frame, frame["year_ending_march"], open_data.REPORTING_YEAR, geography,
                     columns)  # fmt: skip
    return ordered(frame, "time_period")


def export_tables(
    tables: dict[str, pd.DataFrame],
    geography: pd.DataFrame | None = None,
    indicators: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """File stem -> published table in the open data layout. Without geography an authority
    is named by its code; without the catalogue every indicator is taken as monthly."""
    if geography is None:
        geography = pd.DataFrame(columns=["area_code", "region_code", "region_name",
                                          "new_la_code", "la_name"])  # fmt: skip
    indicators = pd.DataFrame(columns=["indicator_id"]) if indicators is None else indicators
    return {
        "indicators_monthly": monthly_table(tables, geography, indicators),
        "indicators_vs_baseline": comparison_table(tables, geography, indicators),
        "periods_vs_baseline": period_table(tables, geography),
        "published_benchmarks": benchmark_table(tables, geography),
    }


def write_exports(
    marts: Marts,
    tables: dict[str, pd.DataFrame],
    geography: pd.DataFrame,
    folder: Path,
    built_at: datetime,
    partnership: dict[str, pd.DataFrame] | None = None,
) -> dict[str, pd.DataFrame]:
    """Every CSV with its `.meta.csv`, and the workbook (with the partnership's sheets, if
    given); returns the published tables."""
    published = export_tables(tables, geography, marts.indicators)
    for stem, frame in published.items():
        write_csv_atomically(frame, folder / f"{stem}.csv")
        write_csv_atomically(metadata_of(frame), folder / f"{stem}.meta.csv")
    write_workbook(published, folder / WORKBOOK_NAME, About.of(marts, built_at), partnership)
    return published


WORKBOOK_NAME = "csc_intel_indicators.xlsx"


def write_csv_atomically(frame: pd.DataFrame, target: Path) -> None:
    """Readers never see a half-written file: write beside the target, then rename. Text
    that a spreadsheet would run as a formula is neutralised."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    neutralised_frame(frame).to_csv(partial, index=False)
    os.replace(partial, target)
