"""briefing.html: one self-contained page for leaders (inline CSS and SVG, nothing fetched):
what changed in each period, against what baseline, how sure we are, which questions to ask
next, and what it was built from. Every figure is the published (suppressed) one."""

from __future__ import annotations

from datetime import datetime
from html import escape

import pandas as pd

from orchestration.outputs.charts import PALETTE, Line, Shade, chart
from orchestration.outputs.published import Marts
from orchestration.outputs.questions import figure
from orchestration.outputs.suppression import SUPPRESSED

LARGEST_CHANGES_PER_PERIOD = 5
QUESTIONS_SHOWN = 15
GROUPS_PER_BREAKDOWN = 6
CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Arial,sans-serif;color:#0b0c0c;
 max-width:1100px;margin:0 auto;padding:0 20px 40px}
h1{font-size:28px;margin:24px 0 4px}
h2{border-top:4px solid #1d4f91;padding-top:10px;margin-top:36px}
h3{margin:26px 0 6px}.stamp{color:#505a5f}.note{color:#505a5f;font-size:13px}
table{border-collapse:collapse;width:100%;margin:8px 0 16px;font-size:13.5px}
th,td{border-bottom:1px solid #d8dde0;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f3f2f1}td.num{text-align:right;font-variant-numeric:tabular-nums}
.below{color:#d4351c;font-weight:600}.above{color:#1d4f91;font-weight:600}
.caveat{color:#8a4b00;font-size:12.5px}.high{color:#00703c}.medium{color:#8a4b00}.low{color:#6f777b}
svg.chart{width:100%;height:auto;background:#fff}svg .period{fill:#f3d9c9;opacity:.7}
svg .band{fill:#c8d7ec;opacity:.8}svg .series{fill:none;stroke-width:1.8}
svg .series circle{fill:currentColor;stroke-width:1}svg .axis line{stroke:#b1b4b6}
svg .axis .grid{stroke:#eceeef}svg text{font-size:11px;fill:#505a5f}
.legend span{display:inline-block;margin-right:14px;font-size:12.5px}
.legend i{display:inline-block;width:14px;height:4px;margin-right:5px;vertical-align:middle}
details{margin:4px 0 12px}summary{cursor:pointer;color:#1d4f91}
nav a{margin-right:14px}
"""
LIGHT_CLASSES = {"red": "below", "amber": "medium"}
FAMILY_NAMES = {
    "social_care": "Social care",
    "health": "Health",
    "police": "Police",
    "education": "Education",
    "linked": "Linked across partners",
}


def render(
    marts: Marts, tables: dict[str, pd.DataFrame], questions: pd.DataFrame, built_at: datetime
) -> str:
    areas = sorted(tables["monthly"]["area_code"].unique())
    body = [header(marts, built_at)]
    for area in areas:
        if len(areas) > 1:
            body.append(f"<h2>Authority {escape(str(area))}</h2>")
        body += [
            largest_changes(tables["periods"], area),
            questions_section(questions[questions["area_code"] == area]),
            *family_sections(marts, tables, area),
            benchmarks_section(tables["benchmarks"], area),
        ]
    body += [quality_section(marts.dq_summary), sources_section(marts)]
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        "<title>Children's services briefing</title>"
        f"<style>{CSS}</style></head><body>{''.join(body)}</body></html>"
    )


def header(marts: Marts, built_at: datetime) -> str:
    months = marts.months["month"]
    loaded = marts.manifest[marts.manifest["status"] == "loaded"]
    families = [FAMILY_NAMES.get(f, f) for f in marts.indicators["family"].unique()]
    nav = "".join(
        f'<a href="#{anchor}">{label}</a>'
        for anchor, label in [
            ("changes", "Largest changes"), ("questions", "Questions"),
            *[(f"family-{f}", FAMILY_NAMES.get(f, f)) for f in marts.indicators["family"].unique()],
            ("benchmarks", "Benchmarks"), ("quality", "Data quality"), ("sources", "Built from"),
        ]
    )  # fmt: skip
    return (
        "<h1>Children's services: what changed, and what to ask next</h1>"
        f'<p class="stamp" id="stamp">Built {built_at:%d %B %Y at %H:%M} UTC from'
        f" {len(loaded)} extracts covering {months.min():%B %Y} to {months.max():%B %Y}"
        f" ({', '.join(families)}). Each month is compared with the same month of the"
        " pre-pandemic baseline years; the shaded band on the charts is the expected range and"
        " the shaded columns are the lockdowns. Counts of 1 to 4, and figures that would"
        f" reveal them, are shown as <b>{SUPPRESSED}</b>. No child can be identified from this"
        f" page.</p><nav>{nav}</nav>"
    )


def number(value: object, unit: str, hidden: bool) -> str:
    return figure(None if pd.isna(value) else float(value), unit, bool(hidden))


def change(value: float, hidden: bool) -> str:
    if hidden:
        return SUPPRESSED
    if pd.isna(value):
        return ""
    css = "below" if value < 0 else "above"
    return f'<span class="{css}">{value:+.0f}%</span>'


def caveat(text: object) -> str:
    return (
        f'<span class="caveat">{escape(str(text))}</span>' if isinstance(text, str) and text else ""
    )


def table(headings: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headings)
    body = "".join(
        "<tr>" + "".join(
            f'<td class="num">{cell}</td>' if i in numeric else f"<td>{cell}</td>"
            for i, cell in enumerate(row)
        ) + "</tr>"
        for row in rows
    )  # fmt: skip
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def period_rows(periods: pd.DataFrame) -> list[list[str]]:
    return [
        [
            escape(row.period_label),
            escape(row.indicator) + ("" if row.group == "All" else f" ({escape(row.group)})"),
            number(row.value, row.unit, row.value_hidden),
            number(row.baseline_mean, row.unit, row.baseline_hidden),
            f"{number(row.baseline_min, row.unit, row.baseline_hidden)} to"
            f" {number(row.baseline_max, row.unit, row.baseline_hidden)}",
            change(row.percent_change, row.value_hidden or row.baseline_hidden),
            caveat(row.dq_caveat),
        ]
        for row in periods.itertuples()
    ]


PERIOD_HEADINGS = [
    "Period",
    "Indicator",
    "Recorded",
    "Baseline mean",
    "Baseline range",
    "Change",
    "Caveat",
]


def largest_changes(periods: pd.DataFrame, area: str) -> str:
    shown = periods[
        (periods["area_code"] == area)
        & (periods["breakdown_dimension"] == "all")
        & ~periods["value_hidden"]
        & ~periods["baseline_hidden"]
        & periods["percent_change"].notna()
    ]
    shown = shown.assign(size=shown["percent_change"].abs()).sort_values(
        ["start_date", "size"], ascending=[True, False]
    )
    top = shown.groupby("period_id", sort=False).head(LARGEST_CHANGES_PER_PERIOD)
    return (
        '<h2 id="changes">Largest changes in each period</h2>'
        f"<p>For each period, the {LARGEST_CHANGES_PER_PERIOD} indicators furthest from the"
        " same months of the baseline years (whole authority).</p>"
        + table(PERIOD_HEADINGS, period_rows(top), numeric={2, 3, 4, 5})
    )


def questions_section(questions: pd.DataFrame) -> str:
    rows = [
        [
            str(row.rank),
            f"<b>{escape(row.question)}</b><br>{escape(row.evidence)}",
            f'<span class="{row.confidence}">{row.confidence}</span>'
            + (
                f'<br><span class="note">{escape(row.confidence_reasons)}</span>'
                if row.confidence_reasons
                else ""
            ),
            caveat(row.caveat),
        ]
        for row in questions.head(QUESTIONS_SHOWN).itertuples()
    ]
    return (
        '<h2 id="questions">Questions to ask next</h2>'
        f"<p>{len(questions)} changes outside their expected range since the first lockdown,"
        " each with a question from the rule table, ranked by size and confidence; the"
        f" first {min(QUESTIONS_SHOWN, len(questions))} are below, all are in"
        " <code>questions.csv</code>.</p>"
        + table(["#", "Question and evidence", "Confidence", "Caveat"], rows)
    )


def axis(marts: Marts) -> tuple[list[pd.Timestamp], list[Shade]]:
    months = list(marts.months["month"])
    shades = []
    lockdowns = marts.months[marts.months["period_type"] == "lockdown"]
    for _, rows in lockdowns.groupby("period_id", sort=False):
        first, last = rows.index.min(), rows.index.max()
        shades.append(Shade(first, last, rows["period_label"].iloc[0]))
    return months, shades


def series_values(
    rows: pd.DataFrame, months: list[pd.Timestamp], column: str, hidden: str
) -> list[float | None]:
    """The column per month of the axis: None where missing or hidden."""
    shown = rows[~rows[hidden].astype(bool) & rows[column].notna()]
    by_month = dict(zip(shown["month"], shown[column].astype(float), strict=True))
    return [by_month.get(month) for month in months]


def legend(names: list[str]) -> str:
    return '<div class="legend">' + "".join(
        f'<span><i style="background:{PALETTE[n % len(PALETTE)]}"></i>{escape(name)}</span>'
        for n, name in enumerate(names)
    ) + "</div>"  # fmt: skip


def indicator_charts(
    indicator: pd.Series, rows: pd.DataFrame, months: list[pd.Timestamp], shades: list[Shade]
) -> str:
    whole = rows[rows["breakdown_dimension"] == "all"]
    parts = [f"<h3>{escape(indicator['label'])}</h3>"]
    if not whole.empty:
        attributes = {"indicator": indicator["indicator_id"], "breakdown": "all"}
        band = (
            series_values(whole, months, "expected_low", "baseline_hidden"),
            series_values(whole, months, "expected_high", "baseline_hidden"),
        )
        line = Line("Recorded", series_values(whole, months, "value", "value_hidden"))
        parts.append(
            chart(f"chart-{indicator['indicator_id']}", months, [line], shades, band, attributes)
        )
        parts.append(
            legend(["Recorded"])
            + '<p class="note">Band: expected range from the baseline years.</p>'
        )
        caveats = whole.dropna(subset=["dq_caveat"])
        if not caveats.empty:
            notes = "; ".join(
                f"{m:%b %Y}: {c}"
                for m, c in zip(caveats["month"], caveats["dq_caveat"], strict=True)
            )
            parts.append(f"<p>{caveat('Caveat: ' + notes)}</p>")
    for dimension, parts_rows in rows[rows["breakdown_dimension"] != "all"].groupby(
        "breakdown_dimension"
    ):
        totals = parts_rows.groupby("group")["numerator"].sum().sort_values(ascending=False)
        groups = list(totals.index[:GROUPS_PER_BREAKDOWN])
        lines = [
            Line(
                group,
                series_values(
                    parts_rows[parts_rows["group"] == group], months, "value", "value_hidden"
                ),
            )
            for group in groups
        ]
        attributes = {"indicator": indicator["indicator_id"], "breakdown": dimension}
        left_out = len(totals) - len(groups)
        parts.append(
            f"<details><summary>By {escape(parts_rows['breakdown'].iloc[0].lower())}</summary>"
            + chart(
                f"chart-{indicator['indicator_id']}-{dimension}",
                months,
                lines,
                shades,
                None,
                attributes,
            )
            + legend(groups)
            + (f'<p class="note">{left_out} smaller groups not drawn.</p>' if left_out else "")
            + "</details>"
        )
    return "".join(parts)


def family_sections(marts: Marts, tables: dict[str, pd.DataFrame], area: str) -> list[str]:
    months, shades = axis(marts)
    vs_baseline = tables["vs_baseline"][tables["vs_baseline"]["area_code"] == area]
    periods = tables["periods"][
        (tables["periods"]["area_code"] == area)
        & (tables["periods"]["breakdown_dimension"] == "all")
    ]
    sections = []
    for family, indicators in marts.indicators.groupby("family", sort=False):
        charts = [
            indicator_charts(
                indicator,
                vs_baseline[vs_baseline["indicator_id"] == indicator["indicator_id"]],
                months,
                shades,
            )
            for _, indicator in indicators.iterrows()
            if (vs_baseline["indicator_id"] == indicator["indicator_id"]).any()
        ]
        family_periods = periods[
            periods["indicator_id"].isin(indicators["indicator_id"])
        ].sort_values(["indicator_id", "start_date"])
        sections.append(
            f'<h2 id="family-{family}">{FAMILY_NAMES.get(family, family)}</h2>'
            + "".join(charts)
            + "<h3>Each period against its baseline</h3>"
            + table(PERIOD_HEADINGS, period_rows(family_periods), numeric={2, 3, 4, 5})
        )
    return sections


def benchmarks_section(benchmarks: pd.DataFrame, area: str) -> str:
    rows_frame = benchmarks[benchmarks["area_code"] == area].sort_values(
        ["indicator_id", "year_ending_march"]
    )
    region = [c for c in rows_frame.columns if c.startswith("region") and c.endswith("per_10000")]
    rows = [
        [
            escape(str(row["indicator"])),
            str(row["year_ending_march"]),
            number(row["computed"], "count", row["computed_hidden"]),
            number(row["computed_per_10000"], "rate", row["computed_hidden"]),
            number(row["published_for_area_per_10000"], "rate", False),
            *[number(row[c], "rate", False) for c in region],
            number(row["england_per_10000"], "rate", False),
        ]
        for _, row in rows_frame.iterrows()
    ]
    headings = [
        "Indicator", "Year ending March", "From our records", "Per 10,000",
        "Published for the authority, per 10,000", *["Region, per 10,000" for _ in region],
        "England, per 10,000",
    ]  # fmt: skip
    note = "" if region else " The published extract has no regional figures yet."
    return (
        '<h2 id="benchmarks">Benchmarks</h2>'
        f"<p>Annual figures from our records next to DfE's published figures.{note}</p>"
        + table(headings, rows, numeric=set(range(2, len(headings))))
    )


def quality_section(dq_summary: pd.DataFrame | None) -> str:
    if dq_summary is None:
        return (
            '<h2 id="quality">Data quality</h2><p>No data-quality summary'
            " (<code>quality.dq_summary</code>) in this warehouse: caveats beside the figures"
            " come from the marts only.</p>"
        )
    poor = dq_summary[dq_summary["traffic_light"].isin(["amber", "red"])].sort_values(
        ["source", "month"]
    )
    rows = [
        [
            escape(str(r.source)),
            f"{pd.Timestamp(r.month):%b %Y}",
            f'<span class="{LIGHT_CLASSES.get(r.traffic_light, "")}">{r.traffic_light}</span>',
            escape(str(r.reasons)),
        ]
        for r in poor.itertuples()
    ]
    counts = dq_summary["traffic_light"].value_counts()
    return (
        '<h2 id="quality">Data quality</h2>'
        f"<p>Source-months: {counts.get('green', 0)} green, {counts.get('amber', 0)} amber,"
        f" {counts.get('red', 0)} red. Amber and red months:</p>"
        + table(["Source", "Month", "Light", "Reasons"], rows)
    )


def sources_section(marts: Marts) -> str:
    manifest = marts.manifest
    rows = []
    for source, files in manifest.groupby("source"):
        loaded = files[files["status"] == "loaded"]
        periods = sorted(loaded["collection_period"].dropna().astype(str))
        rows.append([
            escape(source), str(len(loaded)), str(len(files) - len(loaded)),
            escape(f"{periods[0]} to {periods[-1]}" if periods else ""),
            f"{int(loaded['rows_loaded'].fillna(0).sum()):,}",
            f"{pd.Timestamp(files['seen_at'].max()):%d %b %Y %H:%M}",
        ])  # fmt: skip
    return (
        '<h2 id="sources">Built from</h2>'
        "<p>Every extract in the warehouse's file manifest (superseded, duplicate or failed"
        " files are counted but not used).</p>"
        + table(
            [
                "Source",
                "Files used",
                "Files not used",
                "Collection periods",
                "Rows loaded",
                "Last file seen",
            ],
            rows,
            numeric={1, 2, 4},
        )
    )
