"""The audit sample: for each question under enquiry, the children behind it (the events its
indicator counts, in its months and breakdown), by pseudonym, for the auditors to look up in
their own system. At most cases_per_question per question (review.yaml), drawn with a fixed
seed so a re-run lists the same cases, spread over the months in proportion to their cases.
A question the sample cannot be drawn for gets a reason, not an error."""

from __future__ import annotations

import hashlib
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from orchestration.outputs.published import SERIES
from orchestration.partnership import history
from orchestration.partnership.review import load_settings
from orchestration.partnership.warehouse_tables import columns_of, read_raw, relation_exists
from orchestration.transform.indicator_catalogue import registry

NOT_FROM_EVENTS = "Its indicator is not counted from one events mart (made by a macro)."
SAMPLE_COLUMNS = [
    "question_id", *SERIES, "first_month", "last_month", "events_mart", "cases_in_months",
    "month", "child_pseudonym", "reason",
]  # fmt: skip


def counted_rows(entry: dict[str, Any], entries: dict[str, dict[str, Any]]) -> dict | None:
    """How the indicator picks its events: the mart, month column, filter and the expression
    that is positive for an event it counts (a share's or length's denominator, a count's
    numerator). A rate is its count's; an indicator computed by a macro has none."""
    compute = entry["compute"]
    if "rate_per_10000_of" in compute:
        return counted_rows(entries[compute["rate_per_10000_of"]], entries)
    if "events" not in compute:
        return None
    counted = compute.get("denominator") or (
        compute.get("numerator") if entry["unit"] == "count" else None
    )
    return {
        "events": compute["events"],
        "month": compute["month"],
        "where": compute.get("where", "true"),
        "counted": counted or "1",
    }


def candidates(
    con: duckdb.DuckDBPyConnection, question: dict, how: dict, person: str
) -> pd.DataFrame | str:
    """Each child counted by the indicator in the question's months and group, with the first
    month they were counted in; or why there is no list."""
    columns = set(columns_of(con, "marts", how["events"]))
    if not columns:
        return f"Its events mart, marts.{how['events']}, is not in the warehouse."
    if person not in columns:
        return (
            f"marts.{how['events']} has no {person}: its children cannot be looked up by the"
            " authority's own child id."
        )
    dimension = question["breakdown_dimension"]
    if dimension != "all" and dimension not in columns:
        return f"marts.{how['events']} has no column {dimension} to select the group by."
    group = (
        f"and coalesce(cast({dimension} as varchar), 'not_recorded') = $group"
        if dimension != "all"
        else ""
    )
    sql = f"""
        select {person} as child_pseudonym, min({how["month"]}) as month
        from marts.{how["events"]}
        where area_code = $area and {how["month"]} between $first and $last
            and {person} is not null and ({how["where"]}) and ({how["counted"]}) > 0 {group}
        group by {person}
        order by month, child_pseudonym
    """
    parameters = {
        "area": question["area_code"],
        "first": question["first_month"],
        "last": question["last_month"],
    } | ({"group": str(question["breakdown_value"])} if dimension != "all" else {})
    found = con.execute(sql, parameters).df()
    if found.empty:
        return "No child was counted in the question's months and group."
    return found.assign(month=found["month"].dt.date)


def quotas(per_month: pd.Series, size: int) -> pd.Series:
    """Cases to draw from each month: proportional to its cases, whole numbers summing to size
    (largest remainders first, earlier months on a tie)."""
    share = per_month * size / per_month.sum()
    whole = np.floor(share).astype(int)
    remainder = (share - whole).sort_values(ascending=False, kind="stable")
    extra = remainder.index[: size - int(whole.sum())]
    whole[extra] += 1
    return whole


def draw(cases: pd.DataFrame, size: int, seed: int, question_id: str) -> pd.DataFrame:
    """At most size cases, stratified by month. The generator is seeded by the fixed seed and
    the question, so each question's draw is its own and the same on every run."""
    if len(cases) <= size:
        return cases
    digest = int(hashlib.sha256(question_id.encode()).hexdigest()[:12], 16)
    generator = np.random.default_rng([seed, digest])
    per_month = cases.groupby("month").size()
    chosen = []
    for month, quota in quotas(per_month, size).items():
        in_month = cases[cases["month"] == month]
        picked = generator.choice(len(in_month), size=quota, replace=False)
        chosen.append(in_month.iloc[np.sort(picked)])
    return pd.concat(chosen)


def under_enquiry(con: duckdb.DuckDBPyConnection, register: pd.DataFrame) -> pd.DataFrame:
    """The questions whose latest status is under_enquiry, with their register fields (a
    question no longer in the register from marts.fct_questions, if built)."""
    latest = history.latest_decisions(read_raw(con, "questions"))
    if latest.empty:
        return register.iloc[0:0]
    wanted = set(latest.index[latest["status"] == history.UNDER_ENQUIRY])
    fields = ["question_id", *SERIES, "first_month", "last_month"]
    known = register[fields]
    if relation_exists(con, "marts", "fct_questions"):
        earlier = con.execute(f"select {', '.join(fields)} from marts.fct_questions").df()
        known = pd.concat([known, earlier[~earlier["question_id"].isin(known["question_id"])]])
    found = known[known["question_id"].isin(wanted)].copy()
    found["first_month"] = history.month_dates(found["first_month"])
    found["last_month"] = history.month_dates(found["last_month"])
    return found.sort_values("question_id")


def audit_sample(con: duckdb.DuckDBPyConnection, register: pd.DataFrame) -> pd.DataFrame:
    """For each question under enquiry, the cases matching it by pseudonym (columns
    SAMPLE_COLUMNS); a question without a list has one row with the reason."""
    settings = load_settings()["audit_sample"]
    entries = {entry["indicator_id"]: entry for entry in registry()}
    rows = []
    for question in under_enquiry(con, register).to_dict("records"):
        entry = entries.get(question["indicator_id"])
        how = counted_rows(entry, entries) if entry else None
        if how is None:
            rows.append(question | {"reason": NOT_FROM_EVENTS})
            continue
        found = candidates(con, question, how, settings["case_pseudonym_column"])
        if isinstance(found, str):
            rows.append(question | {"events_mart": how["events"], "reason": found})
            continue
        chosen = draw(
            found, settings["cases_per_question"], settings["seed"], question["question_id"]
        )
        described = question | {"events_mart": how["events"], "cases_in_months": len(found)}
        rows += [described | case for case in chosen.to_dict("records")]
    sample = pd.DataFrame(rows, columns=SAMPLE_COLUMNS)
    return sample.astype({"cases_in_months": "Int64"})
