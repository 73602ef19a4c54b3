"""Data-quality caveats in the briefing. A figure carries a caveat only where a defect can
affect it: the marts' `dq_caveat` already holds, per indicator, breakdown and month, only the
findings on the fields that figure reads (quality.dq_indicator_findings), and the source-wide
ones. A chart marks the months a caveat affects and a table cell names them; the full text of
each caveat appears once, in the data-quality section, and only if a figure the page shows
carries it (the months the page asked for through `Caveats.months`), by source with its
months in order."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

import pandas as pd

from orchestration.outputs.labels import month_runs, source_label
from orchestration.outputs.published import SERIES

LIGHTS = ["red", "amber"]  # worst first
LIGHT_CLASSES = {"red": "below", "amber": "medium"}
CLAUSE_SEPARATOR = "; "
# A figure in a caveat's text (not a DfE rule number): what varies from month to month.
NUMBER = re.compile(r"(?<!rule )(?<![\w.])\d[\d,]*(?:\.\d+)?%?")
CLAUSE_COLUMNS = ["area_code", "source", "month", "clause"]


@dataclass
class Caveats:
    by_series: dict[tuple, list[pd.Timestamp]]  # series key (SERIES) -> caveated months, in order
    clauses: pd.DataFrame  # SERIES, month, source, clause: one row per clause of a series-month
    lights: pd.DataFrame  # area_code, source, month, light: the amber and red source-months
    shown: set[tuple] = field(default_factory=set)  # (*series key, month) the page showed

    def months(
        self,
        key: tuple,
        first: pd.Timestamp | None = None,
        last: pd.Timestamp | None = None,
    ) -> list[pd.Timestamp]:
        """The caveated months of a series, between first and last when given. The page
        shows what it asks for: these months' caveats are written in the data-quality
        section."""
        found = [
            m
            for m in self.by_series.get(key, [])
            if (first is None or m >= first) and (last is None or m <= last)
        ]
        self.shown.update((*key, m) for m in found)
        return found

    def shown_clauses(self) -> pd.DataFrame:
        """The clauses of the series-months the page showed, each once per area, source and
        month."""
        keys = list(self.clauses[[*SERIES, "month"]].itertuples(index=False, name=None))
        shown = self.clauses[[key in self.shown for key in keys]]
        return shown[CLAUSE_COLUMNS].drop_duplicates().reset_index(drop=True)

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


def split_clauses(frame: pd.DataFrame, text: str) -> pd.DataFrame:
    """One row per clause of the `text` column ('; '-separated), blank clauses dropped."""
    rows = frame.assign(clause=frame[text].fillna("").str.split(CLAUSE_SEPARATOR))
    rows = rows.explode("clause").drop(columns=text)
    rows["clause"] = rows["clause"].str.strip()
    return rows[rows["clause"] != ""]


def poor_months(dq_summary: pd.DataFrame | None) -> pd.DataFrame:
    """The amber and red source-months of quality.dq_summary, with their reasons."""
    if dq_summary is None:
        return pd.DataFrame(columns=["area_code", "source", "month", "light", "reasons"])
    poor = dq_summary[dq_summary["traffic_light"].isin(LIGHTS)]
    return pd.DataFrame(
        {
            "area_code": poor["area_code"],
            "source": poor["source"],
            "month": pd.to_datetime(poor["month"]),
            "light": poor["traffic_light"],
            "reasons": poor["reasons"],
        }
    )


def collect(
    vs_baseline: pd.DataFrame, indicators: pd.DataFrame, dq_summary: pd.DataFrame | None
) -> Caveats:
    """Which months of which series carry a caveat (`dq_caveat` of the comparison mart, and
    the months a source did not deliver) and its clauses, by the indicator's source; and the
    lights of quality.dq_summary."""
    sources = indicators.set_index("indicator_id")["source"]
    values = vs_baseline.assign(
        month=pd.to_datetime(vs_baseline["month"]),
        source=vs_baseline["indicator_id"].map(sources).fillna(vs_baseline["indicator_id"]),
    )
    caveated = values[values["dq_caveat"].notna() & (values["dq_caveat"] != "")]
    poor = poor_months(dq_summary)
    covered = indicators.set_index("indicator_id").get("months_covered")
    monthly = values if covered is None else values[values["indicator_id"].map(covered).le(1)]
    rows = pd.concat(
        [caveated[[*SERIES, "month", "source", "dq_caveat"]], gap_months(monthly, poor)],
        ignore_index=True,
    )
    clauses = split_clauses(rows, "dq_caveat").reset_index(drop=True)
    by_series = {
        key: sorted(set(months["month"])) for key, months in clauses.groupby(SERIES, sort=False)
    }
    return Caveats(by_series, clauses, poor.drop(columns="reasons").reset_index(drop=True))


def gap_months(values: pd.DataFrame, poor: pd.DataFrame) -> pd.DataFrame:
    """A source-month with findings but no figure (an extract not delivered: the charts draw
    it as a gap) inside the months the source's monthly indicators have figures for: its
    reasons are the caveat of every series of the source, as the mart's would be had the
    month a value (a termly figure has no value in most months by design)."""
    found = []
    for (area, source), rows in values.groupby(["area_code", "source"], sort=False):
        missing = poor[
            (poor["area_code"] == area)
            & (poor["source"] == source)
            & poor["month"].between(rows["month"].min(), rows["month"].max())
            & ~poor["month"].isin(set(rows["month"]))
        ]
        series = rows[SERIES].drop_duplicates()
        found += [
            series.assign(month=gap.month, source=source, dq_caveat=gap.reasons)
            for gap in missing.itertuples()
        ]
    columns = [*SERIES, "month", "source", "dq_caveat"]
    return pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=columns)


def quality_section(dq_summary: pd.DataFrame | None, caveats: Caveats | None = None) -> str:
    """The data-quality section: the lights of the source-months, then each caveat a figure
    on the page carries, once (by source; first month first) with the months it applies to.
    Without `caveats` (the section on its own), every amber and red source-month's reasons."""
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
    poor = poor_months(dq_summary)
    if caveats is None:
        listed = split_clauses(poor, "reasons")[CLAUSE_COLUMNS].drop_duplicates()
        lit = poor.drop(columns="reasons")
        scope = ""
    else:
        listed, lit = caveats.shown_clauses(), caveats.lights
        scope = (
            " Only findings that can affect a figure shown here are listed; all of them are in"
            " <code>quality.dq_findings</code>."
            if not poor.empty
            else ""
        )
    rows = []
    several_areas = listed["area_code"].nunique() > 1
    for (area, source), clauses in listed.groupby(["area_code", "source"], sort=True):
        source_lights = lit[(lit["area_code"] == area) & (lit["source"] == source)]
        rows.append(
            f'<tr class="group"><th colspan="2">{escape(source_label(source))}'
            f"{f' ({escape(area)})' if several_areas else ''}"
            f"{lights(source_lights[source_lights['month'].isin(clauses['month'])])}</th></tr>"
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
        f" months with \u25b2 and the tables name them.{scope}</p>" + table
    )


def lights(months: pd.DataFrame) -> str:
    """A source's red and amber months (quality.dq_summary), for its heading."""
    by_month = months.drop_duplicates("month")
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
