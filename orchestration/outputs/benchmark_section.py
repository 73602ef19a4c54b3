"""The briefing's benchmarks: where the authority stands in its latest complete year against
England, its region, its statistical neighbours and every English authority (quarter and a
funnel plot per measure), the years before in a table, and where our own figure disagrees
with the one DfE published for the authority, why it may."""

from __future__ import annotations

from html import escape

import pandas as pd

from orchestration.outputs.briefing_questions import table
from orchestration.outputs.evidence import figure
from orchestration.outputs.funnel_chart import LEGEND, funnel_svg

QUARTERS = {1: "lowest", 2: "second lowest", 3: "second highest", 4: "highest"}
FUNNEL_WORDS = {
    "within": "within the funnel's limits: no different from England beyond what authorities"
    " commonly vary",
    "above_95": "above the funnel's 95% limit",
    "above_99.8": "above the funnel's 99.8% limit: unlikely to be chance",
    "below_95": "below the funnel's 95% limit",
    "below_99.8": "below the funnel's 99.8% limit: unlikely to be chance",
}


def number(value: object, unit: str, hidden: bool) -> str:
    return figure(None if pd.isna(value) else float(value), unit, bool(hidden))


def benchmarks_section(
    benchmarks: pd.DataFrame, area: str, neighbours: pd.DataFrame | None = None,
    authorities: pd.DataFrame | None = None,
) -> str:  # fmt: skip
    mine = benchmarks[benchmarks["area_code"] == area].sort_values(
        ["indicator_id", "year_ending_march"]
    )
    nearby = _neighbours_of(neighbours, area)
    parts = ['<h2 id="benchmarks">Benchmarks</h2>']
    if "funnel_position" in mine and len(mine):
        latest = mine[mine["year_ending_march"] == mine["year_ending_march"].max()]
        parts.append(_standing(latest, nearby))
        parts.append(_funnels(latest, nearby, authorities))
    parts.append(_history(mine))
    parts.append(_published_notes(mine))
    return "".join(parts)


def _neighbours_of(neighbours: pd.DataFrame | None, area: str) -> pd.DataFrame:
    if neighbours is None or neighbours.empty:
        return pd.DataFrame(columns=["neighbour_code", "neighbour_name", "method"])
    return neighbours[neighbours["area_code"] == area].sort_values("neighbour_rank")


def _standing(latest: pd.DataFrame, nearby: pd.DataFrame) -> str:
    year = int(latest["year_ending_march"].iloc[0])
    items = []
    for row in latest.itertuples(index=False):
        hidden = bool(row.computed_hidden)
        where = ""
        if not hidden and pd.notna(row.quartile):
            where = f" (the {QUARTERS[int(row.quartile)]} quarter of English authorities)"
        funnel_words = "" if hidden else FUNNEL_WORDS.get(row.funnel_position, "")
        items.append(
            f"<li><b>{escape(str(row.indicator))}</b>:"
            f" {number(row.computed_per_10000, 'rate', hidden)} per 10,000 children from our"
            f" records{where}; England {number(row.england_per_10000, 'rate', False)},"
            f" region {number(row.region_per_10000, 'rate', False)}, statistical neighbours"
            f" {number(row.neighbours_per_10000, 'rate', False)}"
            + (f"; {funnel_words}" if funnel_words else "") + ".</li>"
        )  # fmt: skip
    names = ", ".join(escape(str(n)) for n in nearby["neighbour_name"])
    method = escape(str(nearby["method"].iloc[0])) if len(nearby) else ""
    neighbours = (
        f"<p>Statistical neighbours: {names} ({method}; DfE's own neighbour model is not"
        " held here).</p>" if names else "<p>No statistical neighbours: DfE publishes no"
        " complete profile for this authority.</p>"
    )  # fmt: skip
    return (
        f"<p>Year ending March {year}, per 10,000 children, against DfE's published figures"
        f" for every English authority.</p><ul>{''.join(items)}</ul>{neighbours}"
    )


def _funnels(latest: pd.DataFrame, nearby: pd.DataFrame, authorities: pd.DataFrame | None) -> str:
    if authorities is None or authorities.empty:
        return ""
    codes = set(nearby["neighbour_code"])
    charts = []
    for row in latest.itertuples(index=False):
        points = authorities[
            (authorities["year_ending_march"] == row.year_ending_march)
            & (authorities["indicator_id"] == row.indicator_id)
            & (authorities["area_code"] != row.area_code)
        ]
        ours = None
        if not row.computed_hidden and row.computed_per_10000 and row.computed_per_10000 > 0:
            ours = (row.computed * 10_000 / row.computed_per_10000, row.computed_per_10000)
        title = f"{row.indicator}, year ending March {row.year_ending_march}"
        charts.append(funnel_svg(points, codes, ours, float(row.funnel_dispersion), title))
    return f'<div class="charts">{"".join(charts)}</div>{LEGEND}'


def _history(mine: pd.DataFrame) -> str:
    region = [c for c in mine.columns if c.startswith("region") and c.endswith("per_10000")]
    rows = [
        [
            escape(str(row["indicator"])), str(row["year_ending_march"]),
            number(row["computed"], "count", row["computed_hidden"]),
            number(row["computed_per_10000"], "rate", row["computed_hidden"]),
            number(row["published_for_area_per_10000"], "rate", False),
            *[number(row[c], "rate", False) for c in region],
            number(row.get("neighbours_per_10000"), "rate", False),
            number(row["england_per_10000"], "rate", False),
        ]
        for _, row in mine.iterrows()
    ]  # fmt: skip
    headings = [
        "Indicator", "Year ending March", "From our records", "Per 10,000",
        "Published for the authority, per 10,000", *["Region, per 10,000" for _ in region],
        "Statistical neighbours, per 10,000", "England, per 10,000",
    ]  # fmt: skip
    note = "" if region else " The published extract has no regional figures yet."
    return (
        f"<p>Every complete year from our records next to DfE's published figures.{note}</p>"
        + table(headings, rows, numeric=set(range(2, len(headings))))
    )


def _published_notes(mine: pd.DataFrame) -> str:
    """Where our figure and DfE's for the authority disagree, one line per measure (its years
    and range, the reasons once); never for a suppressed figure (the note quotes our count)."""
    if "published_note" not in mine:
        return ""
    shown = mine[~mine["computed_hidden"].astype(bool) & (mine["published_note"].fillna("") != "")]
    if shown.empty:
        return "<p>Our figures agree with those DfE published for the authority.</p>"
    items = [_note_line(rows) for _, rows in shown.groupby("indicator", sort=True)]
    return f"<h3>Where our figures differ from DfE's</h3><ul>{''.join(items)}</ul>"


def _note_line(rows: pd.DataFrame) -> str:
    label = escape(str(rows["indicator"].iloc[0]))
    differ = rows[rows["published_note"].str.contains("Likely reasons: ", regex=False)]
    population = rows[rows["published_note"].str.startswith("The counts agree")]
    parts = []
    if len(differ):
        low, high = differ["published_difference_percent"].agg(["min", "max"])
        span = f"{low:+.0f}%" if round(low) == round(high) else f"{low:+.0f}% to {high:+.0f}%"
        reasons = str(differ["published_note"].iloc[-1]).partition("Likely reasons: ")[2]
        parts.append(
            f"ours differ from DfE's published figure by {span} in"
            f" {_years(differ)}. Likely reasons: {escape(reasons)}"
        )
    if len(population):
        parts.append(
            f"The counts agree but the rates differ in {_years(population)}: the child"
            " population differs (ours from the population extract, DfE's from ONS estimates)."
        )
    unpublished = rows[rows["published_for_area"].isna()]
    if len(unpublished):
        parts.append(f"DfE published no figure for {_years(unpublished)}.")
    return f"<li><b>{label}</b>: {' '.join(parts)}</li>"


def _years(rows: pd.DataFrame) -> str:
    years = sorted(int(y) for y in rows["year_ending_march"])
    return ", ".join(map(str, years[:-1])) + (" and " if len(years) > 1 else "") + str(years[-1])
