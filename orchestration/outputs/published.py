"""The marts as they may be published: readable labels, and every count that could single a
child out hidden, including through the totals published beside it.
Cells are counts: the numerator (and, for shares, the denominator) of each indicator, area,
breakdown and month or period. A published total (the `all` row of a breakdown, a period
over its months, a year over its months) constrains its parts; secondary suppression hides
cells until no total gives a hidden one back. A value built on a hidden count is hidden, and
so is an expectation or baseline any hidden month may be built on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from orchestration.outputs.release_ledger import ReleaseLedger
from orchestration.outputs.suppression import Total, secondary_suppression

SERIES = ["area_code", "indicator_id", "breakdown_dimension", "breakdown_value"]
# Which columns of an indicator are counts of children or events, by unit: a rate's
# denominator is the population and a length's numerator is days, neither a count to hide.
COUNT_COLUMNS = {
    "count": ["numerator"],
    "percent": ["numerator", "denominator"],
    "per_10000": ["numerator"],
    "days": ["denominator"],
}
# Breakdown values that are codes, and the reference table that names them.
CODE_LABELS = {
    "primary_need_code": "cin_primary_needs",
    "initial_category_of_abuse_code": "cin_categories_of_abuse",
    "incident_type_code": "police_incident_types",
    "missing_type_code": "ssda903_missing_types",
}
# What the marts write where a code could not be decoded (decoded_or_reason,
# known_breakdown_value in the dbt macros).
REASON_LABELS = {
    "invalid_code": "Invalid or unknown code",
    "not_recorded": "Not recorded",
    "not_known": "Not known",
}


def readable(name: str) -> str:
    """'source_group' -> 'Source group', 'la_services' -> 'La services'."""
    text = str(name).replace("_code", "").replace("_", " ").strip()  # a code's capitals stay
    return text[:1].upper() + text[1:]


@dataclass
class Marts:
    """What the outputs read from the warehouse, as frames."""

    monthly: pd.DataFrame
    vs_baseline: pd.DataFrame
    periods: pd.DataFrame
    benchmarks: pd.DataFrame
    backtest: pd.DataFrame
    months: pd.DataFrame
    indicators: pd.DataFrame
    manifest: pd.DataFrame
    dq_summary: pd.DataFrame | None
    neighbours: pd.DataFrame | None = None  # rpt_benchmark_neighbours
    authorities: pd.DataFrame | None = None  # every English authority's published rates
    reconciliation: pd.DataFrame | None = None  # rpt_ssd_returns_reconciliation


def read_marts(con: duckdb.DuckDBPyConnection) -> Marts:
    frame = lambda sql: con.execute(sql).df()  # noqa: E731
    tables = con.execute("select table_schema, table_name from information_schema.tables")
    built = {f"{schema}.{name}" for schema, name in tables.fetchall()}
    optional = lambda name: frame(f"select * from {name}") if name in built else None  # noqa: E731
    marts = Marts(
        monthly=frame("select * from marts.fct_indicator_monthly"),
        vs_baseline=frame("select * from marts.rpt_indicator_vs_baseline"),
        periods=frame("select * from marts.rpt_period_summary"),
        benchmarks=frame("select * from marts.rpt_benchmark_positions"),
        neighbours=frame("select * from marts.rpt_benchmark_neighbours"),
        authorities=frame("select * from marts.rpt_benchmark_authorities"),
        backtest=frame("select * from marts.rpt_method_backtest"),
        months=frame("select * from marts.dim_month order by month"),
        indicators=frame("select * from reference.indicators"),
        manifest=frame(
            "select source, area, collection_period, part, status, rows_loaded, seen_at"
            " from raw.file_manifest"
        ),
        dq_summary=optional("quality.dq_summary"),
        reconciliation=optional("marts.rpt_ssd_returns_reconciliation"),
    )
    labels = breakdown_labels(con)
    for table in (marts.monthly, marts.vs_baseline, marts.periods):
        label_rows(table, marts.indicators, labels)
    label_rows(marts.benchmarks, marts.indicators, labels)
    return marts


def breakdown_labels(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], str]:
    labels = {}
    for dimension, table in CODE_LABELS.items():
        for code, label in con.execute(f"select code, label from reference.{table}").fetchall():
            labels[(dimension, str(code))] = label
    return labels


def label_rows(frame: pd.DataFrame, indicators: pd.DataFrame, labels: dict) -> None:
    catalogue = indicators.set_index("indicator_id")
    frame["indicator"] = frame["indicator_id"].map(catalogue["label"])
    if "family" not in frame:
        frame["family"] = frame["indicator_id"].map(catalogue["family"])
    if "unit" not in frame:
        frame["unit"] = frame["indicator_id"].map(catalogue["unit"])
    if "breakdown_dimension" in frame:
        frame["breakdown"] = frame["breakdown_dimension"].map(
            lambda d: "All" if d == "all" else readable(d)
        )
        frame["group"] = [
            group_label(d, str(v), labels)
            for d, v in zip(frame["breakdown_dimension"], frame["breakdown_value"], strict=True)
        ]


def group_label(dimension: str, value: str, labels: dict[tuple[str, str], str]) -> str:
    """A coded group by its code list's label; a code the list lacks is never shown as
    itself (the marts already say 'invalid_code'; this holds even if one did not)."""
    if dimension == "all":
        return "All"
    if value in REASON_LABELS:
        return REASON_LABELS[value]
    if dimension in CODE_LABELS:
        return labels.get((dimension, value), REASON_LABELS["invalid_code"])
    return readable(value)


def counted_in(frame: pd.DataFrame, column: str) -> pd.Series:
    """Rows whose `column` is a count, by their unit."""
    return frame["unit"].map(COUNT_COLUMNS).map(lambda columns: column in columns)


def hidden_cells(marts: Marts, prior: ReleaseLedger) -> tuple[set[tuple], ReleaseLedger]:
    """Every cell to hide: primary (1 to 4), those hidden in an earlier release, and
    secondary, over the monthly table, the period table and the benchmark years, which
    publish totals of the monthly cells; and the ledger with this release added."""
    counts: dict[tuple, float] = {}
    totals: list[Total] = []
    months = marts.months.set_index("month")
    for column in ("numerator", "denominator"):
        monthly = marts.monthly[counted_in(marts.monthly, column)]
        keyed = monthly.assign(
            cell=[(column, *key) for key in monthly[[*SERIES, "month"]].itertuples(index=False)]
        )
        counts.update(zip(keyed["cell"], keyed[column].fillna(0), strict=True))
        totals += breakdown_totals(keyed, "month", column)

        in_period = keyed.assign(period_id=keyed["month"].map(months["period_id"]))
        in_period = in_period[in_period["period_id"].notna()]
        periods = marts.periods[counted_in(marts.periods, column)]
        period_cells = periods.assign(
            cell=[(column, *key) for key in periods[[*SERIES, "period_id"]].itertuples(index=False)]
        )
        counts.update(zip(period_cells["cell"], period_cells[column].fillna(0), strict=True))
        totals += breakdown_totals(period_cells, "period_id", column)
        totals += aggregate_totals(in_period, "period_id", column)

        if column == "numerator":
            yearly = keyed.assign(year=keyed["month"].map(months["year_ending_march"]))
            bench = marts.benchmarks.assign(breakdown_dimension="all", breakdown_value="all")
            bench_cells = [
                (column, *key, ("year", year))
                for *key, year in bench[[*SERIES, "year_ending_march"]].itertuples(index=False)
            ]
            counts.update(zip(bench_cells, bench["computed"].fillna(0), strict=True))
            yearly = yearly.assign(year=yearly["year"].map(lambda y: ("year", y)))
            totals += aggregate_totals(yearly, "year", column, only=set(bench_cells))

    primary = {cell for cell, count in counts.items() if 1 <= count <= 4}
    primary |= prior.previously_hidden(counts)
    hidden = secondary_suppression(
        counts,
        primary,
        totals + prior.moved_totals(counts, totals),
        already_public=prior.already_public(counts),
    )
    return hidden, prior.updated(counts, hidden)


def breakdown_totals(cells: pd.DataFrame, when: str, column: str) -> list[Total]:
    """The `all` cell of each indicator and time is the total of each breakdown's cells."""
    parts: dict[tuple, list] = {}
    keys = cells[["area_code", "indicator_id", "breakdown_dimension", when]]
    for (area, indicator, dimension, stamp), cell in zip(
        keys.itertuples(index=False, name=None), cells["cell"], strict=True
    ):
        if dimension != "all":
            total = (column, area, indicator, "all", "all", stamp)
            parts.setdefault((total, dimension), []).append(cell)
    return [Total(total, tuple(cells)) for (total, _), cells in parts.items()]


def aggregate_totals(cells: pd.DataFrame, over: str, column: str, only: set | None = None) -> list:
    """A period's (or year's) cell is the total of the same series' monthly cells in it."""
    parts: dict[tuple, list] = {}
    for key, cell in zip(
        cells[[*SERIES, over]].itertuples(index=False, name=None), cells["cell"], strict=True
    ):
        parts.setdefault((column, *key), []).append(cell)
    return [
        Total(total, tuple(cells))
        for total, cells in parts.items()
        if only is None or total in only
    ]


def publishable(marts: Marts, ledger: Path | None = None) -> dict[str, pd.DataFrame]:
    """The monthly, comparison, period and benchmark tables with boolean `*_hidden` columns
    saying which figures must be shown as 'c'. With a ledger, the cells are chosen so that
    this release compared with the earlier ones gives nothing back, and the ledger is
    updated (see release_ledger.py)."""
    hidden, released = hidden_cells(marts, ReleaseLedger.read(ledger))
    if ledger is not None:
        released.write(ledger)
    months = marts.months.set_index("month")

    def mark(frame: pd.DataFrame, when: str) -> pd.DataFrame:
        frame = frame.copy()
        keys = list(frame[[*SERIES, when]].itertuples(index=False, name=None))
        for column in ("numerator", "denominator"):
            frame[f"{column}_hidden"] = [(column, *k) in hidden for k in keys]
        counted = frame["unit"].map(COUNT_COLUMNS)
        any_hidden = frame["numerator_hidden"] | frame["denominator_hidden"]
        frame["value_hidden"] = any_hidden
        # A length's days are hidden with the plans they are summed over.
        frame["numerator_hidden"] = frame["numerator_hidden"] | (
            any_hidden & counted.map(lambda c: "numerator" not in c)
        )
        return frame

    monthly = mark(marts.monthly, "month")
    vs_baseline = mark(marts.vs_baseline, "month")
    periods = mark(marts.periods, "period_id")
    monthly_hidden = monthly.assign(month_of_year=monthly["month"].dt.month)
    vs_baseline["baseline_hidden"] = earlier_hidden(monthly_hidden, vs_baseline)
    vs_baseline["expected_hidden"] = expected_hidden(vs_baseline)
    periods["baseline_hidden"] = period_baseline_hidden(monthly_hidden, periods, months)
    benchmarks = marts.benchmarks.copy()
    benchmarks["computed_hidden"] = [
        ("numerator", area, indicator, "all", "all", ("year", year)) in hidden
        for area, indicator, year in benchmarks[
            ["area_code", "indicator_id", "year_ending_march"]
        ].itertuples(index=False)
    ]
    return {
        "monthly": monthly,
        "vs_baseline": vs_baseline,
        "periods": periods,
        "benchmarks": benchmarks,
    }


def earlier_hidden(monthly: pd.DataFrame, rows: pd.DataFrame) -> pd.Series:
    """Whether an earlier same calendar month of the series (its baseline) is hidden."""
    ordered = monthly.sort_values("month")
    hidden = ordered["value_hidden"].astype(int)
    so_far = hidden.groupby([ordered[c] for c in [*SERIES, "month_of_year"]]).cumsum()
    ordered["hidden_before"] = (so_far - hidden) > 0
    lookup = ordered.set_index([*SERIES, "month"])["hidden_before"]
    keys = pd.MultiIndex.from_frame(rows[[*SERIES, "month"]])
    return pd.Series(lookup.reindex(keys).fillna(True).to_numpy(), index=rows.index)


def expected_hidden(rows: pd.DataFrame) -> pd.Series:
    """Whether a month's expected value and interval must be hidden: a Poisson fit with
    month-of-year terms reproduces each calendar month's total, so one hidden month in a fit
    hides the series' expectations; the same-months rule hides as its baseline does."""
    in_fit_hidden = rows["in_model_fit"].fillna(False).astype(bool) & rows["value_hidden"]
    series_hidden = in_fit_hidden.groupby([rows[c] for c in SERIES]).transform("any")
    model = rows["method"].eq("model")
    return (model & series_hidden) | (~model & rows["baseline_hidden"])


def period_baseline_hidden(
    monthly: pd.DataFrame, periods: pd.DataFrame, months: pd.DataFrame
) -> pd.Series:
    """Whether any month before the period, in its calendar months, is hidden for the series."""
    result = pd.Series(False, index=periods.index)
    for period_id, rows in periods.groupby("period_id"):
        in_period = months.index[months["period_id"] == period_id]
        if in_period.empty:
            continue
        candidates = monthly[
            monthly["month_of_year"].isin(in_period.month) & (monthly["month"] < in_period.min())
        ]
        hidden_series = set(
            candidates.loc[candidates["value_hidden"], SERIES].itertuples(index=False, name=None)
        )
        result.loc[rows.index] = [
            key in hidden_series for key in rows[SERIES].itertuples(index=False, name=None)
        ]
    return result
