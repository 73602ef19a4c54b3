"""The exports in DfE's open data layout, the standard explore-education-statistics (EES) and
its screener read: observational units first (time_period and time_identifier, then
geographic_level and the country, region and local authority codes and names), then the
filters, then the indicators; every indicator cell a number or a GSS symbol, never blank;
and beside each data file a `.meta.csv` naming every filter and indicator column.

GSS symbols: `c` confidential (suppressed: see published.py), `z` not applicable (the figure
does not exist for the row: a count has no denominator, a share of nothing has no value, a
month not assessed has no expected value) and `x` not available (the figure would exist,
but its data was not delivered: a month a source did not send)."""

from __future__ import annotations

import calendar
from collections import Counter

import duckdb
import pandas as pd

NOT_APPLICABLE = "z"
NOT_AVAILABLE = "x"
ENGLAND = {"country_code": "E92000001", "country_name": "England"}
LA_LEVEL = "Local authority"
GEOGRAPHY = ["region_code", "region_name", "old_la_code", "new_la_code", "la_name"]
OBSERVATIONAL_UNITS = ["time_period", "time_identifier", "geographic_level", "country_code",
                       "country_name", *GEOGRAPHY]  # fmt: skip
# The time identifier of a year ending 31 March, as DfE's children's social care
# publications write it.
REPORTING_YEAR = "Reporting year"
META_COLUMNS = ["col_name", "col_type", "label", "indicator_grouping", "indicator_unit",
                "indicator_dp", "filter_hint", "filter_grouping_column",
                "filter_default"]  # fmt: skip


def read_geography(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per area (its three-digit DfE code): the authority's ONS code and name and its region,
    from DfE's own tables (the seed la_annual_volumes), as of the latest year."""
    has_seed = con.execute(
        "select count(*) from information_schema.tables"
        " where table_schema = 'reference' and table_name = 'la_annual_volumes'"
    ).fetchone()[0]
    if not has_seed:
        return pd.DataFrame(columns=["area_code", *GEOGRAPHY[:2], *GEOGRAPHY[3:]])
    return con.execute(
        "select old_la_code as area_code, region_code, region_name, new_la_code, la_name"
        " from reference.la_annual_volumes where geographic_level = 'Local authority'"
        " qualify row_number() over (partition by old_la_code order by time_period desc) = 1"
    ).df()


def laid_out(
    frame: pd.DataFrame,
    time_period: pd.Series,
    time_identifier: pd.Series | str,
    geography: pd.DataFrame,
    columns: list[str],
) -> pd.DataFrame:
    """The frame's columns after DfE's observational units for its authority (area_code)."""
    places = geography.set_index("area_code")
    area = frame["area_code"].astype(str)
    units = pd.DataFrame(
        {
            "time_period": time_period.astype(int).to_numpy(),
            "time_identifier": time_identifier
            if isinstance(time_identifier, str)
            else time_identifier.to_numpy(),
            "geographic_level": LA_LEVEL,
            **ENGLAND,
            "region_code": area.map(places["region_code"]).fillna("").to_numpy(),
            "region_name": area.map(places["region_name"]).fillna("").to_numpy(),
            "old_la_code": area.to_numpy(),
            "new_la_code": area.map(places["new_la_code"]).fillna("").to_numpy(),
            "la_name": area.map(places["la_name"]).fillna(area).to_numpy(),
        },
        index=frame.index,
    )
    return pd.concat([units, frame[columns]], axis=1)


def month_time(months: pd.Series) -> tuple[pd.Series, pd.Series]:
    """A month as DfE writes one: time_period the calendar year, time_identifier its name."""
    months = pd.to_datetime(months)
    return months.dt.year, months.dt.month.map(lambda number: calendar.month_name[number])


def gap_rows(frame: pd.DataFrame, monthly: set[str], series: list[str]) -> pd.DataFrame:
    """Rows for the months a monthly indicator has no figure in, between its first and last
    month, one per series of the indicator (the `series` columns: its keys and labels), with
    `gap` saying why: `z` where the indicator lacks that calendar month in every year of
    two or more (no school sessions in August), else `x` (the source did not deliver it). The
    period is the month's; every other column is empty. A measure of more than one month
    (termly) is dated to the months its terms end in and has no other month to fill."""
    frame = frame[frame["indicator_id"].isin(monthly)]
    month_columns = [c for c in ("period_id", "period_label", "month_label") if c in frame]
    per_month = frame.drop_duplicates("month").set_index("month")[month_columns]
    filled = []
    for _, rows in frame.groupby(["area_code", "indicator_id"]):
        present = set(rows["month"])
        span = pd.date_range(min(present), max(present), freq="MS")
        missing = [month for month in span if month not in present]
        if not missing:
            continue
        calendar_months = {month.month for month in present}
        occurrences = Counter(month.month for month in span)
        never = {m for m, times in occurrences.items() if m not in calendar_months and times > 1}
        gaps = pd.DataFrame(
            {
                "month": missing,
                "gap": [NOT_APPLICABLE if m.month in never else NOT_AVAILABLE for m in missing],
            }
        )
        filled.append(rows[series].drop_duplicates().merge(gaps, how="cross"))
    columns = [*frame.columns, "gap"]
    if not filled:
        return pd.DataFrame(columns=columns)
    rows = pd.concat(filled, ignore_index=True)
    for column in month_columns:
        rows[column] = rows["month"].map(per_month[column])
    for column in frame.columns:
        if column not in rows:
            rows[column] = False if column.endswith("_hidden") else None
    return rows[columns]


def with_gaps(frame: pd.DataFrame, indicators: pd.DataFrame, series: list[str]) -> pd.DataFrame:
    """The frame with a row for every month a monthly series lacks (see gap_rows); its own
    rows have no gap ('')."""
    covers = indicators.set_index("indicator_id")["months_covered"] if len(indicators) else None
    monthly = {
        indicator
        for indicator in frame["indicator_id"].unique()
        if covers is None or covers.get(indicator, 1) == 1
    }
    gaps = gap_rows(frame, monthly, series)
    own = frame.assign(gap="")
    if gaps.empty:
        return own
    return pd.concat([own, gaps.astype({"month": own["month"].dtype})], ignore_index=True)


def metadata(
    columns: list[str],
    filters: dict[str, str],
    indicators: dict[str, str],
    hints: dict[str, str],
    grouping: dict[str, str],
    units: dict[str, str],
    decimals: dict[str, int],
    defaults: dict[str, str],
) -> pd.DataFrame:
    """The `.meta.csv` of a data file: a row per filter and indicator column (everything but
    the observational units), in the data file's order, with its label and, for an indicator,
    its unit and decimal places; for a filter, its hint, grouping column and default."""
    rows = []
    for column in columns:
        if column in OBSERVATIONAL_UNITS:
            continue
        is_filter = column in filters
        if not is_filter and column not in indicators:
            raise ValueError(f"{column!r} is neither a filter nor an indicator")
        rows.append(
            {
                "col_name": column,
                "col_type": "Filter" if is_filter else "Indicator",
                "label": filters[column] if is_filter else indicators[column],
                "indicator_grouping": "",
                "indicator_unit": "" if is_filter else units.get(column, ""),
                "indicator_dp": "" if is_filter else str(decimals.get(column, "")),
                "filter_hint": hints.get(column, "") if is_filter else "",
                "filter_grouping_column": grouping.get(column, "") if is_filter else "",
                "filter_default": defaults.get(column, "") if is_filter else "",
            }
        )
    return pd.DataFrame(rows, columns=META_COLUMNS)
