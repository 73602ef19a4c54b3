"""The briefing's method note: how the expected range is made, in a few sentences, and how
often it was wrong when tested on the months before the first period of interest
(marts.rpt_method_backtest)."""

from __future__ import annotations

from html import escape

import pandas as pd

# A series whose counts average under this is never flagged (dbt var flag_min_baseline_count),
# so its backtest says nothing a reader acts on.
JUDGED_FROM = 10


def method_section(backtest: pd.DataFrame, vs_baseline: pd.DataFrame) -> str:
    methods = vs_baseline["method"].value_counts() if "method" in vs_baseline else pd.Series()
    share_model = methods.get("model", 0) / max(int(methods.sum()), 1)
    return (
        '<section id="method"><h2>How the expected range is made</h2>'
        "<p>Each series is learnt from its months that touch no lockdown or recovery period:"
        " its trend, its usual pattern through the year and the working or school days in"
        " each month. The shaded range is where a month would fall 19 times out of 20 if"
        " nothing had changed; a month outside it is flagged. Series with under three clean"
        " years use the same months of earlier years instead, and counts averaging under 10"
        f" a month are not judged. {share_model:.0%} of the months shown use the model.</p>"
        f"{backtest_sentence(backtest)}</section>"
    )


def backtest_sentence(backtest: pd.DataFrame) -> str:
    """How often the range held when each month was predicted from the months before it."""
    judged = backtest[backtest["mean_base_count"] >= JUDGED_FROM] if len(backtest) else backtest
    if judged.empty:
        return "<p>Not yet tested: too few months before the first period.</p>"
    months = int(judged["months_tested"].sum())
    inside = judged["months_inside"].sum() / months
    weights = judged["months_tested"] / months
    below = float((judged["share_flagged_below"] * weights).sum())
    above = float((judged["share_flagged_above"] * weights).sum())
    first = pd.Timestamp(judged["first_origin"].min()).strftime("%B %Y")
    last = pd.Timestamp(judged["last_origin"].max()).strftime("%B %Y")
    return (
        "<p>"
        + escape(
            f"Tested on the {len(judged)} series large enough to judge, predicting each month from"
            f" {first} to {last} from the months before it only: the recorded value fell inside"
            f" the range in {inside:.1%} of {months:,} months (a right method gives about 95%);"
            f" {below:.1%} would have been flagged below and {above:.1%} above."
        )
        + "</p>"
    )
