"""Whether the plan is working: for each action and watched indicator, the series since the
action started against its expected range, and a plain verdict with a one-sentence reason
(marts.rpt_action_review). The thresholds and the fallback range are in
data/reference/partnership/review.yaml, with why."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import yaml

from orchestration.outputs.published import SERIES, readable
from orchestration.partnership.warehouse_tables import relation_exists
from orchestration.settings import REFERENCE_DIR

REVIEW_FILE = REFERENCE_DIR / "partnership" / "review.yaml"
AS_HOPED, NO_CHANGE, WRONG_WAY, TOO_EARLY = (
    "moving as hoped", "no change yet", "moving the wrong way", "too early"
)  # fmt: skip
SERIES_COLUMNS = [*SERIES, "month", "value", "method", "expected_value", "expected_low",
                  "expected_high"]  # fmt: skip


def load_settings() -> dict:
    return yaml.safe_load(REVIEW_FILE.read_text())


def month_index(day: pd.Timestamp | date) -> int:
    return day.year * 12 + day.month


def watched_series(con: duckdb.DuckDBPyConnection, keys: pd.DataFrame) -> pd.DataFrame:
    """The months of marts.rpt_indicator_vs_baseline of the watched series only."""
    exists = relation_exists(con, "marts", "rpt_indicator_vs_baseline")
    if not exists or keys.empty:
        return pd.DataFrame(columns=SERIES_COLUMNS)
    con.register("watched_keys", keys[SERIES].drop_duplicates())
    try:
        columns = ", ".join(f"vs.{c}" for c in SERIES_COLUMNS)
        on = " and ".join(f"vs.{c} = watched_keys.{c}" for c in SERIES)
        return con.execute(
            f"select {columns} from marts.rpt_indicator_vs_baseline as vs"
            f" inner join watched_keys on {on} order by vs.month"
        ).df()
    finally:
        con.unregister("watched_keys")


def expected_range(after: pd.DataFrame, before: pd.DataFrame, settings: dict) -> tuple:
    """The months from the start on with a range to read them against, and where the range
    came from: the model's interval, else the months before the start (review.yaml), else
    none."""
    interval = after["method"].isin(settings["interval_methods"])
    modelled = after[interval & after["expected_low"].notna() & after["expected_high"].notna()]
    if not modelled.empty:
        return modelled, "model"
    before = before.tail(settings["months_before_start"])
    if len(before) < settings["min_months_before_start"]:
        return after.iloc[0:0], "none"
    mean, spread = before["value"].mean(), settings["spread_sd"] * before["value"].std()
    ranged = after.assign(
        expected_value=mean, expected_low=mean - spread, expected_high=mean + spread
    )
    return ranged, "months_before_start"


def counts(compared: pd.DataFrame, direction: str) -> dict:
    below = int((compared["value"] < compared["expected_low"]).sum())
    above = int((compared["value"] > compared["expected_high"]).sum())
    better, worse = (below, above) if direction == "down" else (above, below)
    expected = compared["expected_value"].where(compared["expected_value"] != 0)
    change = (100 * (compared["value"] - expected) / expected).mean()
    return {
        "months_compared": len(compared),
        "months_better": better,
        "months_worse": worse,
        "mean_change_from_expected_percent": None if pd.isna(change) else float(change),
        "latest_month": compared["month"].max() if len(compared) else None,
    }


def verdict(found: dict, settings: dict) -> str:
    compared, better, worse = (
        found["months_compared"], found["months_better"], found["months_worse"]
    )  # fmt: skip
    if compared < settings["min_months"] or found["range_source"] == "none":
        return TOO_EARLY
    share = settings["min_share_of_months_outside"]
    if better >= share * compared and better > worse:
        return AS_HOPED
    if worse >= share * compared and worse > better:
        return WRONG_WAY
    return NO_CHANGE


def in_sentence(text: str) -> str:
    """Lower-cased for the middle of a sentence, unless it starts with an acronym (ICPCs, A&E)
    or a code (N4)."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def subject(label: str, dimension: str, value: str) -> str:
    """E.g. "referrals to children's social care (source group: schools)"."""
    if dimension == "all":
        return in_sentence(label)
    return f"{in_sentence(label)} ({readable(dimension).lower()}: {in_sentence(readable(value))})"


def months_word(count: int) -> str:
    return "1 month" if count == 1 else f"{count} months"


def change_words(found: dict, what: str) -> str:
    change = found["mean_change_from_expected_percent"]
    if change is None:
        return ""
    if round(abs(change)) == 0:
        return f"; {what} averaged what was expected"
    side = "under" if change < 0 else "over"
    return f"; {what} averaged {abs(change):.0f}% {side} what was expected"


def reason(found: dict, direction: str, what: str, settings: dict) -> str:
    """The verdict in one sentence a board member can read."""
    started = f"{found['start_month']:%b %Y}"
    compared, minimum = found["months_compared"], settings["min_months"]
    if found["range_source"] == "none" and found["months_with_data"]:
        return (
            f"No expected range to read {what} against: the series has no model interval and"
            f" fewer than {settings['min_months_before_start']} months of data before the"
            f" action started in {started}."
        )
    if compared < minimum:
        had = "No month" if not compared else f"Only {months_word(compared)}"
        return (
            f"{had} of data since the action started in {started}; a verdict needs at least"
            f" {minimum}."
        )
    return f"{outside_words(found, direction)}{change_words(found, what)}."


def outside_words(found: dict, direction: str) -> str:
    """How many of the months compared lay outside the range, and on which side."""
    hoped, other = ("below", "above") if direction == "down" else ("above", "below")
    better, worse, compared = (
        found["months_better"],
        found["months_worse"],
        found["months_compared"],
    )
    since = f"the {compared} months since the action started"
    if found["verdict"] == AS_HOPED:
        return f"{better} of {since} were {hoped} the expected range"
    if found["verdict"] == WRONG_WAY:
        return f"{worse} of {since} were {other} the expected range"
    if better + worse == 0:
        return f"None of {since} were outside the expected range"
    was = "was" if better == 1 else "were"
    return f"Of {since}, {better} {was} {hoped} the expected range and {worse} {other} it"


def review_one(
    rows: pd.DataFrame, start: pd.Timestamp, direction: str, today: date, settings: dict
) -> dict:
    """The figures and verdict of one watched series of one action."""
    valued = rows[rows["value"].notna()].sort_values("month")
    after = valued[valued["month"] >= start]
    compared, source = expected_range(after, valued[valued["month"] < start], settings)
    found = counts(compared, direction) | {
        "range_source": source,
        "start_month": start,
        "months_since_start": month_index(today) - month_index(start),
        "months_with_data": len(after),
    }
    return found | {"verdict": verdict(found, settings)}


def action_review(
    keys: pd.DataFrame,
    series: pd.DataFrame,
    today: date,
    labels: dict[str, str],
    settings: dict | None = None,
) -> pd.DataFrame:
    """rpt_action_review: one row per watched series of an action (keys: watched_keys), read
    against its months (series: watched_series)."""
    settings = settings or load_settings()
    by_series = {key: rows for key, rows in series.groupby(SERIES)} if len(series) else {}
    rows = []
    for row in keys.to_dict("records"):
        start = pd.Timestamp(row["start_date"]).to_period("M").to_timestamp()
        months = by_series.get(tuple(row[c] for c in SERIES), series.iloc[0:0])
        found = review_one(months, start, row["expected_direction"], today, settings)
        what = subject(labels.get(row["indicator_id"], row["indicator_id"]),
                       row["breakdown_dimension"], row["breakdown_value"])  # fmt: skip
        reasoned = reason(found, row["expected_direction"], what, settings)
        rows.append(row | found | {"reason": reasoned})
    return pd.DataFrame(rows) if rows else keys.assign(reason=None)


def watched_keys(plan: pd.DataFrame, watched: pd.DataFrame, areas: pd.Series) -> pd.DataFrame:
    """Each watched series with its action's fields and area; a blank breakdown is 'all'."""
    frame = watched.merge(
        plan[["partner", "action_id", "action", "question_id", "start_date"]],
        on=["partner", "action_id"],
        how="inner",
    )
    for column in ("breakdown_dimension", "breakdown_value"):
        blank = frame[column].isna() | (frame[column].astype(str).str.strip() == "")
        frame[column] = frame[column].where(~blank, "all")
    frame["area_code"] = frame["question_id"].map(areas)
    return frame[
        ["partner", "action_id", "action", "question_id", *SERIES, "expected_direction",
         "start_date"]
    ]  # fmt: skip
