"""Where the children in need figures come from when an authority sends the Standard
Safeguarding Dataset (SSD) besides its CIN census returns: the months each fed, by the
registry's rule (returns first, data/reference/sources/ssd.yaml), and how far the two agree
in the months both cover (marts.rpt_ssd_returns_reconciliation, its referrals)."""

from __future__ import annotations

from html import escape

import pandas as pd

from orchestration.outputs.labels import month_runs, period_of_months, source_label
from orchestration.outputs.suppression import SMALLEST_SHOWN

RETURN, OTHER = "cin_census", "ssd"


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


def agreement(both: pd.DataFrame) -> str:
    """The SSD against the returns over the months both cover, in one sentence."""
    returns, matched = both["returns_records"].sum(), both["matched_records"].sum()
    only_ssd = both["only_in_ssd"].sum()
    share = f"{100 * matched / returns:.1f}%" if returns else "none"
    return (
        f" In the {both['month'].nunique()} months both cover, the SSD holds {share} of the"
        f" returns' {count(returns)} referrals (the same child and referral date), and"
        f" {count(only_ssd)} referrals the returns do not"
        " (marts.rpt_ssd_returns_reconciliation, by month and measure)."
    )


def record_sources_note(reconciliation: pd.DataFrame | None) -> str:
    """A paragraph for the briefing's sources: empty when no SSD extract covers a month."""
    if reconciliation is None or reconciliation["ssd_records"].isna().all():
        return ""
    referrals = reconciliation[reconciliation["measure"] == "referrals"]
    fed = [
        f"from the {escape(source_label(feed))} for {escape(months_text(list(months)))}"
        for feed in (RETURN, OTHER)
        if len(months := referrals.loc[referrals["feed"] == feed, "month"].unique())
    ]
    both = referrals.dropna(subset=["matched_records"])
    return (
        "<p>Children in need figures (referrals, assessments, enquiries, conferences and"
        f" plans) come {' and '.join(fed)}: a month a census return covers is counted from"
        " the return, a month no return covers yet from the SSD."
        + (agreement(both) if len(both) else "")
        + "</p>"
    )
