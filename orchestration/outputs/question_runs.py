"""Runs of months outside the expected range, read as questions: each run's summary, its
place (a headline, a breakdown that stands on its own, or evidence under its headline), its
pattern against its total, and the headline it belongs to."""

from __future__ import annotations

import pandas as pd

from orchestration.outputs import decomposition as parts
from orchestration.outputs import priorities
from orchestration.outputs.evidence import Columns, by_series, month_span, summarise, within
from orchestration.outputs.labels import dimension_label, label
from orchestration.outputs.published import SERIES
from orchestration.outputs.question_rules import RECORDING_VALUE


def runs_outside_range(vs_baseline: pd.DataFrame) -> pd.DataFrame:
    """Months of one series flagged in the same direction, from the first period of interest
    on (earlier flags are the baseline years' own noise), labelled by run: consecutive months,
    and two runs joined across a single month back inside the range when all three months lie
    in one period (one such month in the middle of a lockdown does not make two changes)."""
    first_period_month = vs_baseline.loc[vs_baseline["period_id"].notna(), "month"].min()
    flagged = vs_baseline[
        vs_baseline["flag"].isin(["below", "above"]) & (vs_baseline["month"] >= first_period_month)
    ].copy()
    if flagged.empty:
        return flagged
    flagged["month_index"] = flagged["month"].dt.year * 12 + flagged["month"].dt.month
    flagged = flagged.sort_values([*SERIES, "flag", "month_index"])
    series = [flagged[c] for c in [*SERIES, "flag"]]
    gap = flagged.groupby(series)["month_index"].diff().ne(1)
    flagged["run"] = gap.cumsum()
    period_of = vs_baseline.drop_duplicates("month").set_index("month")["period_id"]
    flagged["run"] = joined_in_periods(flagged, period_of)
    return flagged


def joined_in_periods(flagged: pd.DataFrame, period_of: pd.Series) -> pd.Series:
    """Run labels with a series' runs in one direction joined when one month separates them
    and the end of one, that month and the start of the next lie in the same period."""
    bounds = flagged.groupby("run").agg(
        first=("month", "min"), last=("month", "max"),
        **{c: (c, "first") for c in [*SERIES, "flag"]},
    )  # fmt: skip
    label, previous, labels = 0, None, {}
    for run, row in bounds.iterrows():
        key = tuple(row[c] for c in [*SERIES, "flag"])
        between = period_of.reindex(pd.date_range(previous[1], row["first"], freq="MS")) if (
            previous is not None and previous[0] == key
        ) else None  # fmt: skip
        if between is None or len(between) > 3 or between.isna().any() or between.nunique() != 1:
            label += 1
        labels[run] = label
        previous = (key, row["last"])
    return flagged["run"].map(labels)


class Context:
    """What every run is read against: the series by key, their breakdowns, the catalogue."""

    def __init__(self, vs_baseline: pd.DataFrame, indicators: pd.DataFrame, settings: dict) -> None:
        self.series = by_series(vs_baseline)
        self.catalogue = indicators.set_index("indicator_id")
        self.settings = settings
        self.groups: dict[tuple, dict[str, Columns]] = {}
        self.breakdowns: dict[tuple, list[str]] = {}
        for (area, indicator, dimension, value), rows in self.series.items():
            self.groups.setdefault((area, indicator, dimension), {})[value] = rows
            found = self.breakdowns.setdefault((area, indicator), [])
            if dimension != "all" and dimension not in found:
                found.append(dimension)
        for (_, indicator), found in self.breakdowns.items():
            first = settings["decompose_by"].get(indicator)
            found.sort(key=lambda d, first=first: d != first)

    def over(self, key: tuple, months: pd.DatetimeIndex) -> dict | None:
        arrays = self.series.get(key)
        months_of_series = None if arrays is None else within(arrays, months)
        if months_of_series is None:
            return None
        return summarise(months_of_series, self.settings["z_cap"])

    def cells(self, key: tuple, dimension: str, months: pd.DatetimeIndex) -> list:
        groups = self.groups.get((*key[:2], dimension), {})
        return parts.cells_over(groups, months, self.settings["z_cap"])


def against_total(
    summary: dict, key: tuple, months: pd.DatetimeIndex, context: Context
) -> tuple[dict | None, str, float]:
    """A breakdown's run against its total over the same months: the total's summary, the
    pattern (parts.pattern, the records lost to a recording value of the breakdown given
    back) and that share of records where giving them back changed the reading (0 else)."""
    parent = context.over((*key[:2], "all", "all"), months)
    recording = priorities.recording(key[2], context.settings)
    shift = 0.0
    if key[3] not in recording:
        shift = parts.recording_shift(context.cells(key, key[2], months), parent, recording)
    if summary["hidden"]:
        return parent, "", 0.0  # no claim about how a suppressed group moved
    pattern = parts.pattern(summary, parent, shift)
    changed_reading = pattern != parts.pattern(summary, parent)
    return parent, pattern, shift if changed_reading else 0.0


def describe(rows: pd.DataFrame, context: Context) -> dict:
    """One run: its summary, its pattern against its total and its place (headline, a
    breakdown standing on its own, or evidence under the headline)."""
    first = rows.iloc[0]
    key = tuple(first[c] for c in SERIES)
    span = pd.date_range(rows["month"].min(), rows["month"].max(), freq="MS")
    arrays = within(context.series[key], span)  # with any month back inside between
    months = pd.DatetimeIndex(arrays["month"])
    summary = summarise(arrays, context.settings["z_cap"])
    headline = key[2] == "all"
    parent, pattern, shift = (
        (None, "", 0.0) if headline else against_total(summary, key, months, context)
    )
    role = "headline" if headline else "breakdown"
    if not headline and key[3] in priorities.recording(key[2], context.settings):
        pattern = RECORDING_VALUE
    return {
        **summary,
        **dict(zip(SERIES, key, strict=True)),
        "family": first["family"],
        "indicator": first["indicator"],
        "breakdown": dimension_label(key[2]),
        "group": label(key[2], key[3]),
        "direction": first["flag"],
        "first_month": months.min(),
        "last_month": months.max(),
        "months": month_span(months.min(), months.max()),
        "periods": "; ".join(dict.fromkeys(rows["period_label"].dropna())),
        "bucket": first["period_id"] if pd.notna(first["period_id"]) else f"{months.min():%Y-%m}",
        "termly": context.catalogue.at[key[1], "months_covered"] > 1,
        "role": "evidence" if pattern == "with_parent" else role,
        "pattern": pattern,
        "parent": parent,
        "recording_shift": shift,
        "month_index": months,
    }


def parent_ids(frame: pd.DataFrame) -> list[str]:
    """Each breakdown's headline: the total's question overlapping its months most."""
    headlines = frame[frame["role"] == "headline"]
    found = []
    for run in frame.itertuples():
        if run.role == "headline":
            found.append("")
            continue
        same = headlines[
            (headlines["area_code"] == run.area_code)
            & (headlines["indicator_id"] == run.indicator_id)
        ]
        overlap = same["month_index"].map(lambda m, mine=run.month_index: len(m.intersection(mine)))
        found.append(same.loc[overlap.idxmax(), "question_id"] if overlap.sum() else "")
    return found
