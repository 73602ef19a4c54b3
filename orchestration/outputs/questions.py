"""The questions register: for every indicator and run of months outside its expected range,
a question from the rule table (question_rules.py), the evidence, the caveat and how sure we
are, with its stable id; the priority list first (priorities.py), then the rest by score.

A breakdown's run is set against its total over the same months (question_runs.py): where
it moves with the total it is evidence under the headline, and only where it moves
differently does it stand as a question of its own. Every headline of a count carries the
decomposition of its change by each breakdown (decomposition.py)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from orchestration.outputs import decomposition as parts
from orchestration.outputs import priorities
from orchestration.outputs.evidence import change_words, figure
from orchestration.outputs.published import SERIES
from orchestration.outputs.question_rules import (
    RULES_FILE,
    Rule,
    check_related,
    choose_rule,
    load_rules,
)
from orchestration.outputs.question_runs import Context, describe, parent_ids, runs_outside_range
from orchestration.outputs.suppression import SUPPRESSED

REGISTER_COLUMNS = [
    "rank", "priority", "question_id", "parent_id", "role", "area_code", "family",
    "indicator_id", "indicator", "breakdown_dimension", "breakdown", "breakdown_value", "group",
    "direction", "pattern", "first_month", "last_month", "months", "periods", "recorded",
    "expected_low", "expected_high", "percent_change", "months_outside", "strength",
    "confidence", "confidence_reasons", "score", "held_back", "question", "evidence",
    "breakdowns", "related", "caveat", "rule",
]  # fmt: skip


@dataclass
class Questions:
    register: pd.DataFrame  # REGISTER_COLUMNS, published figures
    decomposition: pd.DataFrame  # parts.DECOMPOSITION_COLUMNS, hidden groups folded


def evidence(run: dict) -> str:
    subject = run["indicator"] if run["role"] == "headline" else (
        f"{run['indicator']} ({run['breakdown'].lower()}: {run['group']})"
    )  # fmt: skip
    averaged = "" if run["unit"] == "count" else ", monthly average"
    low = figure(run["expected_low"], run["unit"], run["expected_hidden"])
    high = figure(run["expected_high"], run["unit"], run["expected_hidden"])
    recorded = figure(run["recorded"], run["unit"], run["value_hidden"])
    note = " (c: small numbers suppressed)" if SUPPRESSED in (low, recorded) else ""
    outside = (
        f", {run['months_outside']} of its {run['months_in_run']} months outside the range"
        if run["months_outside"] < run["months_in_run"]
        else ""
    )
    text = (
        f"{subject}: {change_words(run)} in {run['months']}{outside} (expected {low} to"
        f" {high}; recorded {recorded}{averaged}){note}."
    )
    if run["parent"] is not None and not run["hidden"]:
        text += f" The total: {change_words(run['parent'])}."
    return text


def related(rule: Rule, run: dict, context: Context) -> str:
    """The figure of the rule's related indicator over the run's months, e.g. whether the
    share of referrals leading to an enquiry moved when enquiries fell."""
    if not rule.related:
        return ""
    summary = context.over((run["area_code"], rule.related, "all", "all"), run["month_index"])
    if summary is None:
        return ""
    name = context.catalogue.at[rule.related, "label"]
    recorded = figure(summary["recorded"], summary["unit"], summary["value_hidden"])
    expected = figure(summary["expected"], summary["unit"], summary["expected_hidden"])
    where = (
        f"outside its range in {summary['months_outside']} of {summary['months_in_run']} months"
        if summary["months_outside"]
        else "within its range"
    )
    return f"{name}: {recorded} recorded against {expected} expected ({where})."


def headline_breakdowns(run: dict, context: Context) -> tuple[str, list[pd.DataFrame]]:
    """A headline's groups by each breakdown ('Referral source: Schools -63%, ...') and, for a
    count, its decomposition by each breakdown."""
    key = tuple(run[c] for c in SERIES)
    texts, frames = [], []
    for dimension in context.breakdowns.get(key[:2], []):
        cells = context.cells(key, dimension, run["month_index"])
        texts.append(parts.movers(dimension, cells))
        if run["unit"] == "count" and not run["hidden"]:
            decomposed = parts.decompose(run["question_id"], run, dimension, cells)
            frames.append(parts.published(decomposed))
    return "; ".join(t for t in texts if t), frames


def build(
    vs_baseline: pd.DataFrame,
    indicators: pd.DataFrame,
    rules: list[Rule] | None = None,
    settings: dict | None = None,
) -> Questions:
    """The register (priority rows first, then by score) and the headlines' decompositions."""
    rules = rules if rules is not None else load_rules()
    check_related(rules, indicators)
    settings = settings or priorities.load_settings()
    flagged = runs_outside_range(vs_baseline)
    if flagged.empty:
        return Questions(pd.DataFrame(columns=REGISTER_COLUMNS), parts.published(pd.DataFrame()))
    context = Context(vs_baseline, indicators, settings)
    frame = pd.DataFrame([describe(rows, context) for _, rows in flagged.groupby("run")])
    frame["question_id"] = priorities.assign_ids(frame)
    frame["parent_id"] = parent_ids(frame)
    decompositions, rows = [], []
    for run in frame.to_dict("records"):
        rule = choose_rule(rules, run)
        level, reasons = priorities.confidence(run, settings)
        run |= {"specific_rule": rule.specific(run), "confidence": level}
        texts, found = headline_breakdowns(run, context) if run["role"] == "headline" else ("", [])
        decompositions += found
        rows.append(run | {
            "confidence_reasons": "; ".join(reasons),
            "score": priorities.score(run, level, settings),
            "held_back": priorities.held_back(run, settings),
            "question": rule.question.format(
                indicator=run["indicator"], group=run["group"], months=run["months"],
                breakdown=run["breakdown"].lower(),
            ),
            "evidence": evidence(run),
            "breakdowns": texts,
            "related": related(rule, run, context),
            "rule": f"{RULES_FILE.name} line {rule.line}",
        })  # fmt: skip
    result = pd.DataFrame(rows)
    result["priority"] = priorities.choose(result, settings)
    result = result.assign(unprioritised=result["priority"].isna()).sort_values(
        ["unprioritised", "priority", "score", "months_in_run", "indicator_id"],
        ascending=[True, True, False, False, True],
    )
    result["rank"] = range(1, len(result) + 1)
    decomposition = (
        pd.concat(decompositions, ignore_index=True)
        if decompositions
        else parts.published(pd.DataFrame())
    )
    return Questions(published_register(result), decomposition)


def published_register(result: pd.DataFrame) -> pd.DataFrame:
    """The register as it may be published: figures of a run with a hidden month as 'c'."""
    result = result.copy()
    for column in ("recorded", "expected_low", "expected_high"):
        hidden = result["expected_hidden" if column.startswith("expected") else "value_hidden"]
        result[column] = [
            figure(v, u, h) for v, u, h in zip(result[column], result["unit"], hidden, strict=True)
        ]
    change = result["percent_change"].astype("Float64").round(1)
    result["percent_change"] = change.astype(str).where(~result["hidden"], SUPPRESSED)
    result["percent_change"] = result["percent_change"].replace("<NA>", "")
    result["strength"] = result["strength"].round(1).astype(str).where(~result["hidden"], "")
    result["score"] = result["score"].round(3)
    result["first_month"] = result["first_month"].dt.strftime("%Y-%m")
    result["last_month"] = result["last_month"].dt.strftime("%Y-%m")
    return result[REGISTER_COLUMNS].reset_index(drop=True)


def register(
    vs_baseline: pd.DataFrame,
    indicators: pd.DataFrame,
    rules: list[Rule] | None = None,
    settings: dict | None = None,
) -> pd.DataFrame:
    """The ranked questions register (columns REGISTER_COLUMNS), one row per run."""
    return build(vs_baseline, indicators, rules, settings).register
