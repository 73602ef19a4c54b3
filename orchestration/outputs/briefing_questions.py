"""The briefing's questions: the priority list (each question with its evidence, how the
headline's change splits by breakdown and how sure we are), what changed since the last run,
and the largest changes of each period, chosen and ordered as the priority list is."""

from __future__ import annotations

from html import escape

import pandas as pd

from orchestration.outputs import priorities
from orchestration.outputs.briefing_families import change
from orchestration.outputs.caveats import Caveats
from orchestration.outputs.evidence import figure, summarise
from orchestration.outputs.questions import Questions
from orchestration.outputs.since_last_run import SinceLastRun, in_priority

LARGEST_CHANGES_PER_PERIOD = 5
DECOMPOSITION_GROUPS = 4  # groups named in a decomposition line; the rest are summed
LISTED_SINCE = 10
MOVERS_SHOWN = 2  # breakdowns besides the decomposed one named under a headline


def table(headings: list[str], rows: list[list[str] | str], numeric: set[int] = frozenset()) -> str:
    """A table of rows of cells; a row given as a string (a group's heading) is used as is
    (every table of the briefing is drawn by this one)."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headings)
    body = "".join(
        row if isinstance(row, str) else "<tr>" + "".join(
            f'<td class="num">{cell}</td>' if i in numeric else f"<td>{cell}</td>"
            for i, cell in enumerate(row)
        ) + "</tr>"
        for row in rows
    )  # fmt: skip
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def priority_rows(register: pd.DataFrame) -> pd.DataFrame:
    return register[in_priority(register)].sort_values("priority")


def signed(value: float) -> str:
    """'+361', '−464', '0'."""
    return "0" if round(value) == 0 else f"{value:+,.0f}".replace("-", "\u2212")


def share(value: float) -> str:
    return f"{value:.0f}%".replace("-", "\u2212")


def decomposition_line(parts: pd.DataFrame) -> str:
    """'Of the change against expected (−548), by referral source: Schools −464 (85%); ...;
    6 other groups −140 (26%); difference between the groups' expected values and the
    total's −35': every part shown, summing to the total's change."""
    if parts.empty:
        return ""
    groups, last = parts.iloc[:-1], parts.iloc[-1]
    named, rest = groups.iloc[:DECOMPOSITION_GROUPS], groups.iloc[DECOMPOSITION_GROUPS:]
    items = [
        f"{escape(g.group)} {signed(g.contribution)} ({share(g.share_percent)})"
        for g in named.itertuples()
    ]
    if len(rest):
        items.append(
            f"{len(rest)} other groups {signed(rest['contribution'].sum())}"
            f" ({share(rest['share_percent'].sum())})"
        )
    items.append(f"{escape(str(last.group)).lower()} {signed(last.contribution)}")
    total = parts["contribution"].sum()
    return (
        f'<span class="note">Of the change against expected ({signed(total)}), by'
        f" {escape(parts['breakdown'].iloc[0].lower())}: {'; '.join(items)}.</span>"
    )


def priority_section(questions: Questions, area: str, caveats: Caveats) -> str:
    register = questions.register[questions.register["area_code"] == area]
    chosen = priority_rows(register)
    rows = []
    for row in chosen.itertuples():
        months = caveats.months(
            (row.area_code, row.indicator_id, row.breakdown_dimension, row.breakdown_value),
            pd.Timestamp(f"{row.first_month}-01"),
            pd.Timestamp(f"{row.last_month}-01"),
        )
        parts = questions.decomposition[questions.decomposition["question_id"] == row.question_id]
        first = parts[parts["dimension"] == parts["dimension"].iloc[0]] if len(parts) else parts
        movers = row.breakdowns.split("; ")[1 if len(first) else 0 :][:MOVERS_SHOWN]
        details = [
            escape(row.evidence),
            decomposition_line(first),
            f'<span class="note">{escape("; ".join(movers))}</span>' if row.breakdowns else "",
            f'<span class="note">{escape(row.related)}</span>' if row.related else "",
        ]
        reasons = escape(row.confidence_reasons) if row.confidence_reasons else ""
        rows.append([
            str(row.priority),
            f"<b>{escape(row.question)}</b><br>" + "<br>".join(d for d in details if d),
            f'<span class="{row.confidence}">{row.confidence}</span>'
            + (f'<br><span class="note">{reasons}</span>' if reasons else ""),
            caveats.pointer(months, bool(row.caveat)),
            f'<span class="note">{escape(row.question_id)}</span>',
        ])  # fmt: skip
    others = register[~in_priority(register)]
    held = others["held_back"].mask(
        others["held_back"] == "",
        others["confidence"].map(lambda c: "low confidence" if c == "low" else "a lower score"),
    )
    counts = "; ".join(f"{escape(reason)}: {n}" for reason, n in held.value_counts().items())
    return (
        '<h2 id="questions">Priority questions</h2>'
        f"<p>The {len(chosen)} questions with the strongest evidence (how far outside the"
        " expected range, for how many months, on how many children or events), weighed by"
        " the importance of the figure and how sure we are. A breakdown is a question of its"
        " own only where it moved differently from its total; otherwise it is evidence under"
        f" the headline. The other {len(register) - len(chosen)} questions are in"
        f" <code>questions.csv</code> ({counts}).</p>"
        + table(["#", "Question and evidence", "Confidence", "Caveat", "Id"], rows)
    )


def question_items(rows: pd.DataFrame) -> str:
    return "".join(
        f"<li>{escape(r.question)} <span class='note'>({escape(r.indicator)}"
        f"{'' if r.group == 'All' else ': ' + escape(r.group)}, {escape(r.months)};"
        f" {escape(r.question_id)})</span></li>"
        for r in rows.head(LISTED_SINCE).itertuples()
    )


def since_section(since: SinceLastRun | None) -> str:
    if since is None or not since.previous_found:
        return (
            '<h3 id="since">Since the last run</h3><p>No earlier register to compare with:'
            " this is the first run that keeps one (questions_previous.csv).</p>"
        )
    parts = [
        f"<p>{len(since.new)} new questions, {len(since.closed)} closed (in the last register,"
        f" not in this one) and {since.continuing} continuing, matched by their ids.</p>"
    ]
    for title, rows in [
        ("Entered the priority list", since.entered_priority),
        ("Left the priority list", since.left_priority),
        ("New questions", since.new),
        ("Closed questions", since.closed),
    ]:
        if len(rows):
            more = f" (first {LISTED_SINCE} of {len(rows)})" if len(rows) > LISTED_SINCE else ""
            parts.append(f"<p><b>{title}</b>{more}:</p><ul>{question_items(rows)}</ul>")
    return '<h3 id="since">Since the last run</h3>' + "".join(parts)


def glance_items(register: pd.DataFrame) -> str:
    """The priority list in a line each, for the one-page summary (a priority's figures are
    never suppressed)."""
    return "".join(
        f"<li><b>{escape(r.indicator)}</b>"
        f"{'' if r.group == 'All' else f' ({escape(r.breakdown.lower())}: {escape(r.group)})'}:"
        f" {abs(float(r.percent_change)):.0f}% {escape(r.direction)} the expected value in"
        f" {escape(r.months)}. {escape(r.question)}</li>"
        for r in priority_rows(register).itertuples()
    )


def largest_changes(vs_baseline: pd.DataFrame, area: str, caveats: Caveats, settings: dict) -> str:
    """Per period, the whole-authority figures furthest outside their expected range over the
    period's months, scored as the priority list is. A figure declared not comparable in a
    period (schools closed: attendance, absence, exclusions) is left out of it, and so is one
    with a suppressed month or that repeats another's figures."""
    rows_in = vs_baseline[
        (vs_baseline["area_code"] == area)
        & (vs_baseline["breakdown_dimension"] == "all")
        & vs_baseline["period_id"].notna()
    ]
    headings = ["Indicator", "Recorded", "Expected (95% range)", "Change", "Months outside",
                "Caveat"]  # fmt: skip
    rows: list[list[str] | str] = []
    for (_, label), period in rows_in.sort_values("month").groupby(
        ["period_id", "period_label"], sort=False
    ):
        found = []
        for indicator, months in period.groupby("indicator_id"):
            if (months["not_assessed_reason"] == "not_comparable").any() or indicator in settings[
                "same_figures"
            ]:
                continue
            summary = summarise(months, settings["z_cap"])
            if summary["hidden"] or not summary["months_outside"]:
                continue
            run = summary | {
                "indicator_id": indicator, "breakdown_dimension": "all", "recording_shift": 0.0,
            }  # fmt: skip
            level, _ = priorities.confidence(run, settings)
            found.append((priorities.score(run, level, settings), indicator, months, summary))
        if not found:
            continue
        rows.append(f'<tr class="group"><th colspan="{len(headings)}">{escape(label)}</th></tr>')
        for _, indicator, months, summary in sorted(found, key=lambda f: -f[0])[
            :LARGEST_CHANGES_PER_PERIOD
        ]:
            shown = {
                k: figure(summary[k], summary["unit"], False)
                for k in ("recorded", "expected", "expected_low", "expected_high")
            }
            caveated = caveats.months((area, indicator, "all", "all"), months["month"].min(),
                                      months["month"].max())  # fmt: skip
            rows.append([
                escape(months["indicator"].iloc[0]),
                shown["recorded"],
                f"{shown['expected']} ({shown['expected_low']} to {shown['expected_high']})",
                change(summary["percent_change"], False),
                f"{summary['months_outside']} of {len(months)}",
                caveats.pointer(caveated, bool(summary["caveat"])),
            ])  # fmt: skip
    return (
        '<h2 id="changes">Largest changes in each period</h2>'
        f"<p>For each period, the {LARGEST_CHANGES_PER_PERIOD} whole-authority figures furthest"
        " outside their expected range over its months (summed for counts, averaged"
        " otherwise), ordered as the priority questions are. Figures declared not comparable"
        " in a period (attendance, absence and exclusions while schools were closed) are left"
        " out of it.</p>" + table(headings, rows, numeric={1, 2, 3, 4})
    )
