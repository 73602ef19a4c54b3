"""Data-quality caveats in the briefing. The full text of each caveat appears once, in the
data-quality section, by source with its months in order; a chart marks the months a caveat
affects and a table cell names them, both pointing to that section."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

import pandas as pd

from orchestration.outputs.labels import month_runs, source_label
from orchestration.outputs.published import SERIES

LIGHTS = ["red", "amber"]  # worst first
LIGHT_CLASSES = {"red": "below", "amber": "medium"}
CLAUSE_SEPARATOR = "; "
# A figure in a caveat's text (not a DfE rule number): what varies from month to month.
NUMBER = re.compile(r"(?<!rule )(?<![\w.])\d[\d,]*(?:\.\d+)?%?")


@dataclass
class Caveats:
    by_series: dict[tuple, list[pd.Timestamp]]  # series key (SERIES) -> caveated months, in order
    clauses: pd.DataFrame  # area_code, source, month, light, clause: one row per clause and month

    def months(
        self,
        key: tuple,
        first: pd.Timestamp | None = None,
        last: pd.Timestamp | None = None,
    ) -> list[pd.Timestamp]:
        """The caveated months of a series, between first and last when given."""
        return [
            m
            for m in self.by_series.get(key, [])
            if (first is None or m >= first) and (last is None or m <= last)
        ]

    def pointer(
        self, months: list[pd.Timestamp], caveated: bool = False, short: bool = False
    ) -> str:
        """A table cell's caveat: a link to the full text naming the months it affects (only
        a marker when short: the months are then in its tooltip)."""
        if not months and not caveated:
            return ""
        named = month_runs(months) if months else "see Data quality"
        text = "\u25b2" if short else f"\u25b2 {named}"
        return (
            f'<a class="caveat" href="#quality" title="Recording caveat: {escape(named)}">'
            f"{escape(text)}</a>"
        )


def collect(
    vs_baseline: pd.DataFrame, indicators: pd.DataFrame, dq_summary: pd.DataFrame | None
) -> Caveats:
    """Which months of which series carry a caveat (`dq_caveat` of the comparison mart), and
    every caveat's text as clauses: those of the amber and red months of quality.dq_summary,
    then any clause of the marts that the summary does not already hold."""
    caveated = vs_baseline[vs_baseline["dq_caveat"].notna() & (vs_baseline["dq_caveat"] != "")]
    by_series = {
        key: sorted(set(rows["month"]))
        for key, rows in caveated.groupby(SERIES, sort=False)
    }  # fmt: skip
    frames = []
    if dq_summary is not None:
        poor = dq_summary[dq_summary["traffic_light"].isin(LIGHTS)]
        frames.append(
            pd.DataFrame(
                {
                    "area_code": poor["area_code"],
                    "source": poor["source"],
                    "month": pd.to_datetime(poor["month"]),
                    "light": poor["traffic_light"],
                    "text": poor["reasons"],
                }
            )
        )
    sources = indicators.set_index("indicator_id")["source"]
    frames.append(
        pd.DataFrame(
            {
                "area_code": caveated["area_code"],
                "source": caveated["indicator_id"].map(sources).fillna(caveated["indicator_id"]),
                "month": pd.to_datetime(caveated["month"]),
                "light": None,
                "text": caveated["dq_caveat"],
            }
        )
    )
    rows = pd.concat(frames, ignore_index=True)
    rows = rows.assign(clause=rows["text"].fillna("").str.split(CLAUSE_SEPARATOR)).explode("clause")
    rows["clause"] = rows["clause"].str.strip()
    rows = rows[rows["clause"] != ""].drop_duplicates(["area_code", "month", "clause"])
    return Caveats(by_series, rows.drop(columns="text").reset_index(drop=True))


def quality_section(dq_summary: pd.DataFrame | None, caveats: Caveats | None = None) -> str:
    """The data-quality section: the lights of the source-months, then every caveat once (by
    source, with its red and amber months; first month first) with the months it applies to."""
    if caveats is None:
        empty = pd.DataFrame(columns=[*SERIES, "month", "dq_caveat"])
        caveats = collect(empty, pd.DataFrame(columns=["indicator_id", "source"]), dq_summary)
    if dq_summary is None:
        summary = (
            "No data-quality summary (<code>quality.dq_summary</code>) in this warehouse: the"
            " caveats below come from the marts only."
        )
    else:
        counts = dq_summary["traffic_light"].value_counts()
        summary = (
            f"Source-months: {counts.get('green', 0)} green, {counts.get('amber', 0)} amber,"
            f" {counts.get('red', 0)} red."
        )
    rows = []
    several_areas = caveats.clauses["area_code"].nunique() > 1
    for (area, source), clauses in caveats.clauses.groupby(["area_code", "source"], sort=True):
        rows.append(
            f'<tr class="group"><th colspan="2">{escape(source_label(source))}'
            f"{f' ({escape(area)})' if several_areas else ''}{lights(clauses)}</th></tr>"
        )
        rows += [
            f'<tr><td class="caveat-text">{escape(text)}</td><td>{escape(months)}</td></tr>'
            for text, months in findings(clauses)
        ]
    table = (
        '<table class="quality"><thead><tr><th>What was found</th><th>Months</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
        if rows
        else "<p>No caveats.</p>"
    )
    return (
        '<h2 id="quality">Data quality</h2>'
        f"<p>{summary} Each recording caveat once, by source, with the months it applies to"
        " (and the month's figure where it varies, shown here as \u2026); the charts mark these"
        " months with \u25b2 and the tables name them.</p>" + table
    )


def lights(clauses: pd.DataFrame) -> str:
    """A source's red and amber months (quality.dq_summary), for its heading."""
    by_month = clauses.dropna(subset=["light"]).drop_duplicates("month")
    named = [
        f'<span class="{LIGHT_CLASSES[light]}">{light}</span>'
        f" {month_runs(list(by_month.loc[by_month['light'] == light, 'month']))}"
        for light in LIGHTS
        if (by_month["light"] == light).any()
    ]
    return f' <span class="lights">({"; ".join(named)})</span>' if named else ""


def findings(clauses: pd.DataFrame) -> list[tuple[str, str]]:
    """One source's clauses as (text, months), first month first. Clauses that differ
    only in their figures are one finding: its figures that vary are shown as '\u2026' in the
    text and given month by month ('2016: Apr 7.1%; 2020: Apr 21.8%, Jun 19.9%')."""
    found = []
    shapes = clauses.assign(shape=clauses["clause"].map(lambda c: NUMBER.sub("#", c)))
    for _, rows in shapes.sort_values("month").groupby("shape", sort=False):
        figures = [NUMBER.findall(c) for c in rows["clause"]]
        varies = [len(set(column)) > 1 for column in zip(*figures, strict=True)]
        pieces = iter(NUMBER.split(rows["clause"].iloc[0]))
        text = next(pieces) + "".join(
            ("\u2026" if vary else figure) + next(pieces)
            for vary, figure in zip(varies, figures[0], strict=True)
        )
        if any(varies):
            by_year: dict[int, list[str]] = {}
            for month, values in zip(rows["month"], figures, strict=True):
                shown = ", ".join(f for f, vary in zip(values, varies, strict=True) if vary)
                by_year.setdefault(month.year, []).append(f"{month:%b} {shown}")
            months = "; ".join(f"{year}: {', '.join(items)}" for year, items in by_year.items())
        else:
            months = month_runs(list(rows["month"]))
        found.append((text, months))
    return found
