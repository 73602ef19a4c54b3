"""The briefing's section per indicator family: a chart per indicator (the whole authority
against its expected range) with a chart per breakdown under it, and one table of each period
against its baseline. Every figure is the published (suppressed) one."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import pandas as pd

from orchestration.outputs.caveats import Caveats
from orchestration.outputs.charts import Band, Chart, Line, Shade, figure, fmt
from orchestration.outputs.labels import dimension_label, label, readable, unit_label
from orchestration.outputs.suppression import SUPPRESSED

GROUPS_PER_BREAKDOWN = 6
FAMILY_NAMES = {
    "social_care": "Social care",
    "health": "Health",
    "police": "Police",
    "education": "Education",
    "linked": "Linked across partners",
}


@dataclass(frozen=True)
class Expected:
    """Where the comparison mart keeps the expected range and what it is: the model's 95%
    prediction interval or the same months of earlier years (`method` 'model' or
    'same_months'; `expected_hidden`, `expected_value`), or, in a warehouse built before the
    model, the baseline years' range, hidden with the baseline."""

    hidden: str
    value: str | None
    name: str


BAND_NAMES = {
    frozenset({"model"}): "Expected range (95% prediction interval)",
    frozenset({"same_months"}): "Expected range (same months of earlier years)",
    frozenset({"model", "same_months"}): "Expected range (95% prediction interval where"
    " modelled, else the same months of earlier years)",
}


def family_name(family: str) -> str:
    return FAMILY_NAMES.get(family) or readable(family)


def expected_columns(vs_baseline: pd.DataFrame) -> Expected:
    methods = frozenset(vs_baseline["method"].dropna()) if "method" in vs_baseline else None
    return Expected(
        hidden="expected_hidden" if "expected_hidden" in vs_baseline else "baseline_hidden",
        value="expected_value" if "expected_value" in vs_baseline else None,
        name=BAND_NAMES.get(methods, "Expected range"),
    )


def data_range(vs_baseline: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The first and last month with a published value: what the charts show."""
    shown = vs_baseline.loc[
        vs_baseline["value"].notna() & ~vs_baseline["value_hidden"].astype(bool), "month"
    ]
    return None if shown.empty else (pd.Timestamp(shown.min()), pd.Timestamp(shown.max()))


def axis(
    months: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp
) -> tuple[list[pd.Timestamp], list[Shade]]:
    """The months of the data range, and each period of interest in it as a shaded span."""
    shown = months[(months["month"] >= first) & (months["month"] <= last)].reset_index(drop=True)
    shades = [
        Shade(rows.index.min(), rows.index.max(), rows["period_label"].iloc[0], kind)
        for (_, kind), rows in shown[shown["period_id"].notna()].groupby(
            ["period_id", "period_type"], sort=False
        )
    ]
    return [pd.Timestamp(m) for m in shown["month"]], shades


def series_values(
    rows: pd.DataFrame, months: list[pd.Timestamp], column: str, hidden: str
) -> list[float | None]:
    """The column per month of the axis: None where missing or hidden."""
    shown = rows[~rows[hidden].astype(bool) & rows[column].notna()]
    by_month = dict(zip(shown["month"], shown[column].astype(float), strict=True))
    return [by_month.get(month) for month in months]


def indicator_charts(
    indicator: pd.Series,
    rows: pd.DataFrame,
    months: list[pd.Timestamp],
    shades: list[Shade],
    caveats: Caveats,
) -> str:
    """The indicator's heading and whole-authority chart, and its breakdowns folded under it."""
    indicator_id, unit = indicator["indicator_id"], indicator["unit"]
    on_axis = lambda marked: [i for i, m in enumerate(months) if m in marked]  # noqa: E731
    parts = [f'<section class="indicator"><h3>{escape(indicator["label"])}</h3>']
    whole = rows[rows["breakdown_dimension"] == "all"]
    if not whole.empty:
        area, expected = whole["area_code"].iloc[0], expected_columns(whole)
        band = Band(
            series_values(whole, months, "expected_low", expected.hidden),
            series_values(whole, months, "expected_high", expected.hidden),
            expected.name,
            series_values(whole, months, expected.value, expected.hidden)
            if expected.value
            else None,
        )
        spec = Chart(
            f"chart-{indicator_id}",
            months,
            [Line("Recorded", series_values(whole, months, "value", "value_hidden"))],
            unit,
            shades,
            band,
            on_axis(set(caveats.months((area, indicator_id, "all", "all")))),
            {"indicator": indicator_id, "breakdown": "all"},
        )
        parts.append(figure(spec))
    for dimension, parts_rows in rows[rows["breakdown_dimension"] != "all"].groupby(
        "breakdown_dimension"
    ):
        totals = parts_rows.groupby("breakdown_value")["numerator"].sum()
        groups = list(totals.sort_values(ascending=False).index[:GROUPS_PER_BREAKDOWN])
        marked = {
            month
            for group in groups
            for month in caveats.months((parts_rows["area_code"].iloc[0], indicator_id,
                                         dimension, group))
        }  # fmt: skip
        spec = Chart(
            f"chart-{indicator_id}-{dimension}",
            months,
            [
                Line(
                    label(dimension, group),
                    series_values(
                        parts_rows[parts_rows["breakdown_value"] == group],
                        months,
                        "value",
                        "value_hidden",
                    ),
                )
                for group in groups
            ],
            unit,
            shades,
            None,
            on_axis(marked),
            {"indicator": indicator_id, "breakdown": dimension},
        )
        left_out = len(totals) - len(groups)
        parts.append(
            f"<details><summary>By {escape(lower_first(dimension_label(dimension)))}</summary>"
            f"{figure(spec)}"
            + (f'<p class="note">{left_out} smaller groups not drawn.</p>' if left_out else "")
            + "</details>"
        )
    return "".join(parts) + "</section>"


def lower_first(text: str) -> str:
    """'Age band' -> 'age band'; 'LA services' stays."""
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]


def short(value: object, unit: str, hidden: bool) -> str:
    """A figure in a table cell whose row names the unit."""
    if hidden:
        return SUPPRESSED
    return "" if pd.isna(value) else fmt(float(value), unit)


def period_table(periods: pd.DataFrame, indicators: pd.DataFrame, caveats: Caveats) -> str:
    """Indicators down, periods across: the change against the baseline mean, with the
    recorded figure and the baseline mean beneath and the months of any caveat."""
    if periods.empty:
        return ""
    order = periods.drop_duplicates("period_id").sort_values("start_date")
    cells = periods.set_index(["indicator_id", "period_id"])
    head = "".join(f"<th>{escape(p)}</th>" for p in order["period_label"])
    rows = []
    for _, indicator in indicators.iterrows():
        key = indicator["indicator_id"]
        if key not in cells.index.get_level_values(0):
            continue
        row = [f"<th>{escape(indicator['label'])}<br><small>{unit_label(indicator['unit'])}"
               "</small></th>"]  # fmt: skip
        for period in order.itertuples():
            if (key, period.period_id) not in cells.index:
                row.append("<td></td>")
                continue
            cell = cells.loc[(key, period.period_id)]
            hidden = bool(cell["value_hidden"] or cell["baseline_hidden"])
            months = caveats.months((cell["area_code"], key, "all", "all"),
                                    pd.Timestamp(period.start_date).replace(day=1),
                                    pd.Timestamp(period.end_date))  # fmt: skip
            caveated = isinstance(cell["dq_caveat"], str) and bool(cell["dq_caveat"])
            row.append(
                f'<td class="num">{change(cell["percent_change"], hidden)}<br><small>'
                f"{short(cell['value'], cell['unit'], cell['value_hidden'])} vs"
                f" {short(cell['baseline_mean'], cell['unit'], cell['baseline_hidden'])}"
                f"</small> {caveats.pointer(months, caveated, short=True)}</td>"
            )
        rows.append(f"<tr>{''.join(row)}</tr>")
    return (
        "<h3>Each period against its baseline</h3>"
        '<p class="note">Change against the mean of the same months of the baseline years;'
        " beneath it, the figure recorded in the period vs the baseline mean; \u25b2 a recording"
        ' caveat in the period, see <a href="#quality">Data quality</a>.</p>'
        f'<table class="periods"><thead><tr><th>Indicator</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def change(value: float, hidden: bool) -> str:
    if hidden:
        return SUPPRESSED
    if pd.isna(value):
        return ""
    if round(value) == 0:
        return "0%"
    css = "below" if value < 0 else "above"
    return f'<span class="{css}">{value:+.0f}%</span>'


def family_sections(
    months: pd.DataFrame,
    indicators: pd.DataFrame,
    tables: dict[str, pd.DataFrame],
    area: str,
    caveats: Caveats,
) -> list[str]:
    vs_baseline = tables["vs_baseline"][tables["vs_baseline"]["area_code"] == area]
    span = data_range(vs_baseline)
    if span is None:
        return []
    axis_months, shades = axis(months, *span)
    periods = tables["periods"][
        (tables["periods"]["area_code"] == area)
        & (tables["periods"]["breakdown_dimension"] == "all")
    ]
    sections = []
    for family, members in indicators.groupby("family", sort=False):
        charts = [
            indicator_charts(
                indicator,
                vs_baseline[vs_baseline["indicator_id"] == indicator["indicator_id"]],
                axis_months,
                shades,
                caveats,
            )
            for _, indicator in members.iterrows()
            if (vs_baseline["indicator_id"] == indicator["indicator_id"]).any()
        ]
        sections.append(
            f'<h2 id="family-{family}">{escape(family_name(family))}</h2>'
            f'<div class="charts">{"".join(charts)}</div>'
            + period_table(
                periods[periods["indicator_id"].isin(members["indicator_id"])], members, caveats
            )  # fmt: skip
        )
    return sections
