"""briefing.html: one self-contained page for leaders (inline CSS and SVG, nothing fetched):
what changed in each period, against what baseline, how sure we are, which questions to ask
next, and what it was built from. Every figure is the published (suppressed) one; it prints
on A4 (briefing_style.py)."""

from __future__ import annotations

from datetime import datetime
from html import escape

import pandas as pd

from orchestration.outputs import priorities
from orchestration.outputs.benchmark_section import benchmarks_section
from orchestration.outputs.briefing_families import (
    FAMILY_NAMES,
    data_range,
    family_name,
    family_sections,
)
from orchestration.outputs.briefing_partnership import nav_items, partnership_sections
from orchestration.outputs.briefing_questions import (
    glance_items,
    largest_changes,
    priority_section,
    since_section,
    table,
)
from orchestration.outputs.briefing_style import CSS
from orchestration.outputs.caveats import collect, quality_section
from orchestration.outputs.labels import period_of_months, source_label
from orchestration.outputs.method_note import method_section
from orchestration.outputs.partnership_published import Partnership
from orchestration.outputs.published import Marts
from orchestration.outputs.questions import Questions
from orchestration.outputs.record_sources import record_sources_note
from orchestration.outputs.since_last_run import SinceLastRun
from orchestration.outputs.suppression import SUPPRESSED

__all__ = ["FAMILY_NAMES", "quality_section", "render"]


def render(
    marts: Marts,
    tables: dict[str, pd.DataFrame],
    questions: Questions,
    built_at: datetime,
    since: SinceLastRun | None = None,
    partnership: Partnership | None = None,
) -> str:
    """The page; without `partnership` (the partnership stage not run) it has no sections on
    the partnership's enquiry and plan."""
    areas = sorted(tables["monthly"]["area_code"].unique())
    caveats = collect(tables["vs_baseline"], marts.indicators, marts.dq_summary)
    settings = priorities.load_settings()
    body = [
        header(marts, tables, built_at, nav_items(partnership)),
        at_a_glance(tables, questions.register),
    ]
    for area in areas:
        if len(areas) > 1:
            body.append(f"<h2>Authority {escape(str(area))}</h2>")
        body += [
            priority_section(questions, area, caveats),
            since_section(since),
            partnership_sections(
                partnership, questions.register, marts.indicators, tables["vs_baseline"], area
            )
            if partnership is not None
            else "",
            largest_changes(tables["vs_baseline"], area, caveats, settings),
            *family_sections(marts.months, marts.indicators, tables, area, caveats),
            benchmarks_section(tables["benchmarks"], area, marts.neighbours, marts.authorities),
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


def header(
    marts: Marts,
    tables: dict[str, pd.DataFrame],
    built_at: datetime,
    partnership_links: list[tuple[str, str]] = (),
) -> str:
    loaded = marts.manifest[marts.manifest["status"] == "loaded"]
    families = list(marts.indicators["family"].unique())
    span = data_range(tables["vs_baseline"])
    figures = f"with figures from {period_of_months(*span)}" if span else "with no figures yet"
    nav = "".join(
        f'<a href="#{anchor}">{label}</a>'
        for anchor, label in [
            ("glance", "At a glance"), ("questions", "Priority questions"),
            *partnership_links, ("changes", "Largest changes"),
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
    """The one-page summary: the data range, the periods, how many questions and the
    priority list in a line each, all read from the tables."""
    span = data_range(tables["vs_baseline"])
    periods = tables["periods"].drop_duplicates("period_id").sort_values("start_date")
    period_items = "".join(
        f"<li>{escape(p.period_label)}: {p.start_date:%d %b %Y} to {p.end_date:%d %b %Y}</li>"
        for p in periods.itertuples()
    )
    counts = questions["confidence"].value_counts() if len(questions) else pd.Series(dtype=int)
    items = glance_items(questions)
    return (
        '<section id="glance" class="glance"><h2>At a glance</h2><dl>'
        f"<dt>Data</dt><dd>{period_of_months(*span) if span else 'None published yet'}</dd>"
        f"<dt>Periods of interest</dt><dd><ul>{period_items}</ul></dd>"
        f"<dt>Questions</dt><dd>{len(questions)} changes outside their expected range since"
        f" the first period of interest ({counts.get('high', 0)} with high confidence); the"
        ' priority questions, with their evidence, are under <a href="#questions">Priority'
        " questions</a>.</dd>"
        + (f"<dt>Priority questions</dt><dd><ol>{items}</ol></dd>" if items else "")
        + "</dl></section>"
    )


def months_covered(periods: list[str]) -> str:
    """The months a source's files cover, from the first to the last: a period is months
    (2019-04..2020-03) or a collection year (2021: April 2020 to March 2021)."""
    bounds = [
        (period[:7], period[-7:]) if ".." in period else (f"{int(period) - 1}-04", f"{period}-03")
        for period in periods
        if ".." in period or period.isdigit()
    ]
    if not bounds:
        return ""
    first, last = min(b[0] for b in bounds), max(b[1] for b in bounds)
    return period_of_months(pd.Timestamp(f"{first}-01"), pd.Timestamp(f"{last}-01"))


def sources_section(marts: Marts) -> str:
    manifest = marts.manifest
    rows = []
    for source, files in manifest.groupby("source"):
        loaded = files[files["status"] == "loaded"]
        periods = loaded["collection_period"].dropna().astype(str).tolist()
        rows.append([
            escape(source_label(source)), str(len(loaded)), str(len(files) - len(loaded)),
            escape(months_covered(periods)),
            f"{int(loaded['rows_loaded'].fillna(0).sum()):,}",
            f"{pd.Timestamp(files['seen_at'].max()):%d %b %Y %H:%M}",
        ])  # fmt: skip
    return (
        '<h2 id="sources">Built from</h2>'
        "<p>Every extract in the warehouse's file manifest (superseded, duplicate or failed"
        " files are counted but not used).</p>"
        + record_sources_note(marts.reconciliation)
        + table(
            [
                "Source",
                "Files used",
                "Files not used",
                "Months covered",
                "Rows loaded",
                "Last file seen",
            ],
            rows,
            numeric={1, 2, 4},
        )
    )
