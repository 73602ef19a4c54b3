"""briefing.html: one self-contained page for leaders (inline CSS and SVG, nothing fetched):
what changed in each period, against what baseline, how sure we are, which questions to ask
next, and what it was built from. Every figure is the published (suppressed) one; it prints
on A4 (briefing_style.py)."""

from __future__ import annotations

from datetime import datetime
from html import escape

import pandas as pd

from orchestration.outputs.briefing_families import (
    FAMILY_NAMES,
    change,
    data_range,
    family_name,
    family_sections,
)
from orchestration.outputs.briefing_style import CSS
from orchestration.outputs.caveats import Caveats, collect, quality_section
from orchestration.outputs.labels import period_of_months, source_label
from orchestration.outputs.method_note import method_section
from orchestration.outputs.published import Marts
from orchestration.outputs.questions import figure
from orchestration.outputs.suppression import SUPPRESSED

__all__ = ["FAMILY_NAMES", "quality_section", "render"]

LARGEST_CHANGES_PER_PERIOD = 5
QUESTIONS_SHOWN = 10
HEADLINES = 3


def render(
    marts: Marts, tables: dict[str, pd.DataFrame], questions: pd.DataFrame, built_at: datetime
) -> str:
    areas = sorted(tables["monthly"]["area_code"].unique())
    caveats = collect(tables["vs_baseline"], marts.indicators, marts.dq_summary)
    body = [header(marts, tables, built_at), at_a_glance(tables, questions)]
    for area in areas:
        if len(areas) > 1:
            body.append(f"<h2>Authority {escape(str(area))}</h2>")
        body += [
            largest_changes(tables["periods"], area, caveats),
            questions_section(questions[questions["area_code"] == area], caveats),
            *family_sections(marts.months, marts.indicators, tables, area, caveats),
            benchmarks_section(tables["benchmarks"], area),
        ]
    body += [
        method_section(marts.backtest, tables["vs_baseline"]),
        quality_section(marts.dq_summary, caveats),
        sources_section(marts),
    ]
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        "<title>Children's services briefing</title>"
        f"<style>{CSS}</style></head><body>{''.join(body)}</body></html>"
    )


def header(marts: Marts, tables: dict[str, pd.DataFrame], built_at: datetime) -> str:
    loaded = marts.manifest[marts.manifest["status"] == "loaded"]
    families = list(marts.indicators["family"].unique())
    span = data_range(tables["vs_baseline"])
    figures = f"with figures from {period_of_months(*span)}" if span else "with no figures yet"
    nav = "".join(
        f'<a href="#{anchor}">{label}</a>'
        for anchor, label in [
            ("glance", "At a glance"), ("changes", "Largest changes"), ("questions", "Questions"),
            *[(f"family-{f}", family_name(f)) for f in families],
            ("benchmarks", "Benchmarks"), ("method", "Method"), ("quality", "Data quality"),
            ("sources", "Built from"),
        ]
    )  # fmt: skip
    return (
        "<h1>Children's services: what changed, and what to ask next</h1>"
        f'<p class="stamp" id="stamp">Built {built_at:%d %B %Y at %H:%M} UTC from'
        f" {len(loaded)} extracts ({', '.join(map(family_name, families))}), {figures}. Each"
        " month is compared with what its months outside the lockdowns lead us to expect."
        " Counts of 1 to 4,"
        f" and figures that would reveal them, are shown as <b>{SUPPRESSED}</b>. No child can"
        " be identified from this page.</p>"
        f"<nav>{nav}</nav>"
    )


def at_a_glance(tables: dict[str, pd.DataFrame], questions: pd.DataFrame) -> str:
    """The one-page summary: the data range, the periods, how many questions and the largest
    whole-authority changes among the first questions, all read from the tables."""
    span = data_range(tables["vs_baseline"])
    periods = tables["periods"].drop_duplicates("period_id").sort_values("start_date")
    period_items = "".join(
        f"<li>{escape(p.period_label)}: {p.start_date:%d %b %Y} to {p.end_date:%d %b %Y}</li>"
        for p in periods.itertuples()
    )
    counts = questions["confidence"].value_counts() if len(questions) else pd.Series(dtype=int)
    sizes = pd.to_numeric(questions["percent_change"], errors="coerce").abs()
    shown = questions.assign(size=sizes)[
        (questions["breakdown_dimension"] == "all") & sizes.notna()
    ]
    headlines = "".join(
        f"<li><b>{escape(q.indicator)}</b>: {q.size:.0f}% {escape(q.direction)} expected in"
        f" {escape(q.months)}</li>"
        for q in shown.head(HEADLINES).itertuples()
    )
    return (
        '<section id="glance" class="glance"><h2>At a glance</h2><dl>'
        f"<dt>Data</dt><dd>{period_of_months(*span) if span else 'None published yet'}</dd>"
        f"<dt>Periods of interest</dt><dd><ul>{period_items}</ul></dd>"
        f"<dt>Questions</dt><dd>{len(questions)} changes outside their expected range since"
        f" the first period of interest ({counts.get('high', 0)} with high confidence);"
        f" the first {min(QUESTIONS_SHOWN, len(questions))} are under"
        ' <a href="#questions">Questions to ask next</a>.</dd>'
        + (
            f"<dt>Largest changes asked about</dt><dd><ul>{headlines}</ul></dd>"
            if headlines
            else ""
        )
        + "</dl></section>"
    )


def number(value: object, unit: str, hidden: bool) -> str:
    return figure(None if pd.isna(value) else float(value), unit, bool(hidden))


def table(headings: list[str], rows: list[list[str] | str], numeric: set[int] = frozenset()) -> str:
    """A table of rows of cells; a row given as a string (a group's heading) is used as is."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headings)
    body = "".join(
        row if isinstance(row, str) else "<tr>" + "".join(
            f'<td class="num">{cell}</td>' if i in numeric else f"<td>{cell}</td>"
            for i, cell in enumerate(row)
        ) + "</tr>"
        for row in rows
    )  # fmt: skip
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def largest_changes(periods: pd.DataFrame, area: str, caveats: Caveats) -> str:
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
    headings = ["Indicator", "Recorded", "Baseline mean", "Baseline range", "Change", "Caveat"]
    rows: list[list[str] | str] = []
    for (_, label), top in shown.groupby(["period_id", "period_label"], sort=False):
        rows.append(f'<tr class="group"><th colspan="{len(headings)}">{escape(label)}</th></tr>')
        for row in top.head(LARGEST_CHANGES_PER_PERIOD).itertuples():
            months = caveats.months((area, row.indicator_id, "all", "all"),
                                    pd.Timestamp(row.start_date).replace(day=1),
                                    pd.Timestamp(row.end_date))  # fmt: skip
            rows.append([
                escape(row.indicator),
                number(row.value, row.unit, row.value_hidden),
                number(row.baseline_mean, row.unit, row.baseline_hidden),
                f"{number(row.baseline_min, row.unit, row.baseline_hidden)} to"
                f" {number(row.baseline_max, row.unit, row.baseline_hidden)}",
                change(row.percent_change, False),
                caveats.pointer(months, isinstance(row.dq_caveat, str) and bool(row.dq_caveat)),
            ])  # fmt: skip
    return (
        '<h2 id="changes">Largest changes in each period</h2>'
        f"<p>For each period, the {LARGEST_CHANGES_PER_PERIOD} indicators furthest from the"
        " same months of the baseline years (whole authority).</p>"
        + table(headings, rows, numeric={1, 2, 3, 4})
    )


def questions_section(questions: pd.DataFrame, caveats: Caveats) -> str:
    rows = []
    for row in questions.head(QUESTIONS_SHOWN).itertuples():
        months = caveats.months(
            (row.area_code, row.indicator_id, row.breakdown_dimension, row.breakdown_value),
            pd.Timestamp(f"{row.first_month}-01"),
            pd.Timestamp(f"{row.last_month}-01"),
        )
        reasons = escape(row.confidence_reasons) if row.confidence_reasons else ""
        rows.append([
            str(row.rank),
            f"<b>{escape(row.question)}</b><br>{escape(row.evidence)}",
            f'<span class="{row.confidence}">{row.confidence}</span>'
            + (f'<br><span class="note">{reasons}</span>' if reasons else ""),
            caveats.pointer(months, bool(row.caveat)),
        ])  # fmt: skip
    return (
        '<h2 id="questions">Questions to ask next</h2>'
        f"<p>{len(questions)} changes outside their expected range since the first period of"
        f" interest, each with a question from the rule table; the first"
        f" {min(QUESTIONS_SHOWN, len(questions))} of the register are below, all are in"
        " <code>questions.csv</code>.</p>"
        + table(["#", "Question and evidence", "Confidence", "Caveat"], rows)
    )


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


def sources_section(marts: Marts) -> str:
    manifest = marts.manifest
    rows = []
    for source, files in manifest.groupby("source"):
        loaded = files[files["status"] == "loaded"]
        periods = sorted(loaded["collection_period"].dropna().astype(str))
        rows.append([
            escape(source_label(source)), str(len(loaded)), str(len(files) - len(loaded)),
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
