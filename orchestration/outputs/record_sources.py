"""Where the children in need and looked-after figures come from when an authority sends the
Standard Safeguarding Dataset (SSD) besides its CIN census and SSDA903 returns: the months
each fed, by the registry's rule (returns first, data/reference/sources/ssd.yaml), and how
far the two agree in the months both cover (marts.rpt_ssd_returns_reconciliation, by each
return's lead measure: referrals, episodes of care started)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import pandas as pd

from orchestration.outputs.labels import month_runs, period_of_months, source_label
from orchestration.outputs.suppression import SMALLEST_SHOWN

OTHER = "ssd"


@dataclass(frozen=True)
class FedFigures:
    """One return's figures the SSD can feed, and the measure the note reconciles them by."""

    fed_return: str
    figures: str
    measure: str
    records: str
    same_record: str


FED_FIGURES = (
    FedFigures(
        "cin_census",
        "Children in need figures (referrals, assessments, enquiries, conferences and plans)",
        "referrals",
        "referrals",
        "the same child and referral date",
    ),
    FedFigures(
        "ssda903",
        "Looked-after figures (starts, endings, placement moves and missing episodes)",
        "care_episodes_started",
        "episodes of care",
        "the same child and start",
    ),
)


def count(value: float) -> str:
    """A count of records as the briefing may show it: a small one only as such."""
    number = int(value)
    return f"fewer than {SMALLEST_SHOWN}" if 0 < number < SMALLEST_SHOWN else f"{number:,}"


def months_text(months: list[pd.Timestamp]) -> str:
    """'April 2019 to March 2021' when the months run on, else each run of them."""
    ordered = sorted({pd.Timestamp(m) for m in months})
    first, last = ordered[0], ordered[-1]
    span = (last.year - first.year) * 12 + last.month - first.month + 1
    return period_of_months(first, last) if span == len(ordered) else month_runs(ordered)


def agreement(both: pd.DataFrame, fed: FedFigures) -> str:
    """The SSD against the returns over the months both cover, in one sentence."""
    returns, matched = both["returns_records"].sum(), both["matched_records"].sum()
    only_ssd = both["only_in_ssd"].sum()
    shared = both["month"].nunique()
    months_both = "month" if shared == 1 else f"{shared} months"
    share = f"{100 * matched / returns:.1f}%" if returns else "none"
    return (
        f" In the {months_both} both cover, the SSD holds {share} of the"
        f" returns' {count(returns)} {fed.records} ({fed.same_record}), and"
        f" {count(only_ssd)} {fed.records} the returns do not"
        " (marts.rpt_ssd_returns_reconciliation, by month and measure)."
    )


def fed_note(reconciliation: pd.DataFrame, fed: FedFigures) -> str:
    """A paragraph on one return's figures: empty when no SSD extract covers its months."""
    rows = reconciliation[reconciliation["measure"] == fed.measure]
    if rows["ssd_records"].isna().all():
        return ""
    sources = [
        f"from the {escape(source_label(feed))} for {escape(months_text(list(months)))}"
        for feed in (fed.fed_return, OTHER)
        if len(months := rows.loc[rows["feed"] == feed, "month"].unique())
    ]
    both = rows.dropna(subset=["matched_records"])
    return (
        f"<p>{fed.figures} come {' and '.join(sources)}: a month a return covers is counted"
        " from the return, a month no return covers yet from the SSD."
        + (agreement(both, fed) if len(both) else "")
        + "</p>"
    )


def record_sources_note(reconciliation: pd.DataFrame | None) -> str:
    """The briefing's paragraphs on the SSD's months: empty when no extract covers one."""
    if reconciliation is None:
        return ""
    return "".join(fed_note(reconciliation, fed) for fed in FED_FIGURES)
