"""The priority list: at most priority_size questions, chosen and ordered by the strength of
the evidence, the importance of the indicator and how sure we are (the weights are in
data/reference/questions/priorities.yaml and confidence.yaml), and the stable id every
question keeps from run to run."""

from __future__ import annotations

import hashlib
import math

import pandas as pd
import yaml

from orchestration.outputs.question_rules import QUESTIONS_DIR

PRIORITIES_FILE = QUESTIONS_DIR / "priorities.yaml"
CONFIDENCE_FILE = QUESTIONS_DIR / "confidence.yaml"
CONFIDENCE_LEVELS = ["high", "medium", "low"]
# Why a question cannot be a priority, in the order they are checked.
SUPPRESSED_EVIDENCE = "figures suppressed, small numbers"
MOVES_WITH_TOTAL = "moves with its total, evidence under the headline"
RECORDING_GROUP = "a recording value, not a group of children"
REPEATS = "repeats another series' figures"
NO_SPECIFIC_QUESTION = "no question written for the indicator yet"


def load_settings() -> dict:
    """priorities.yaml with confidence.yaml under 'confidence'."""
    settings = yaml.safe_load(PRIORITIES_FILE.read_text())
    settings["confidence"] = yaml.safe_load(CONFIDENCE_FILE.read_text())
    return settings


def confidence(run: dict, settings: dict) -> tuple[str, list[str]]:
    """high, medium or low: one step down for each reason to doubt (confidence.yaml)."""
    limits = settings["confidence"]
    reasons = []
    if run["caveat"]:
        reasons.append("data-quality caveat")
    if run["method"] != "model":
        reasons.append("series too short for a model (same months of earlier years)")
    if run["hidden"] or not run["base_count"] >= limits["small_base_count"]:
        reasons.append(f"small numbers (under {limits['small_base_count']} a month)")
    if run["months_outside"] == 1:
        reasons.append("a single term" if run.get("termly") else "a single month")
    if run["recording_shift"] >= limits["recording_shift"]:
        reasons.append(
            f"read net of a recording change: {run['recording_shift']:.0%} of the total's"
            f" records moved to an unrecorded {run['breakdown'].lower()}"
        )
    if run["strength"] < limits["strong_evidence"]:
        reasons.append("close to the edge of the expected range")
    level = CONFIDENCE_LEVELS[min(len(reasons), len(CONFIDENCE_LEVELS) - 1)]
    return level, reasons


def importance(run: dict, settings: dict) -> float:
    weight = settings["importance"].get(run["indicator_id"], settings["default_importance"])
    if run["breakdown_dimension"] != "all":
        weight *= settings["breakdown_weight"].get(
            run["breakdown_dimension"], settings["default_breakdown_weight"]
        )
    return float(weight)


def score(run: dict, level: str, settings: dict) -> float:
    """The product of importance, confidence, evidence, size and reach (priorities.yaml).
    A question with a suppressed figure scores 0: its place among the others must not say how
    large the hidden change is."""
    if run["hidden"] or run["percent_change"] is None:
        return 0.0
    evidence = min(run["strength"] / settings["full_evidence"], 1.0)
    size = math.log2(1 + abs(run["percent_change"]) / settings["percent_scale"])
    reach = min(math.log1p(run["events"]) / math.log1p(settings["full_events"]), 1.0)
    weight = settings["confidence"]["weights"][level]
    return importance(run, settings) * weight * evidence * size * reach


def recording(dimension: str, settings: dict) -> set[str]:
    """The values of a breakdown that are recording values (recording_values names a value of
    any breakdown, or dimension=value)."""
    entries = settings["recording_values"]
    return {e for e in entries if "=" not in e} | {
        e.partition("=")[2] for e in entries if e.partition("=")[0] == dimension
    }


def held_back(run: dict, settings: dict) -> str:
    """Why a question cannot be a priority ('' if it can). same_figures names an indicator
    or indicator/dimension=value."""
    indicator, dimension, value = (
        run["indicator_id"], run["breakdown_dimension"], str(run["breakdown_value"])
    )  # fmt: skip
    if run["hidden"]:
        return SUPPRESSED_EVIDENCE
    if run["role"] != "headline" and run["pattern"] == "with_parent":
        return MOVES_WITH_TOTAL
    if dimension != "all" and value in recording(dimension, settings):
        return RECORDING_GROUP
    if {indicator, f"{indicator}/{dimension}={value}"} & set(settings["same_figures"]):
        return REPEATS
    if not run["specific_rule"]:
        return NO_SPECIFIC_QUESTION
    return ""


def question_id(key: tuple, bucket: str, direction: str) -> str:
    """The same series, period (or first month outside every period) and direction give the
    same id on every run."""
    text = "|".join(str(part) for part in (*key, bucket, direction))
    return "Q" + hashlib.sha1(text.encode()).hexdigest()[:10]


def assign_ids(frame: pd.DataFrame) -> pd.Series:
    """Stable ids; a second run of the same series, direction and bucket (a month back inside
    the range between two) takes its order as a suffix: '-2'."""
    keys = frame[["area_code", "indicator_id", "breakdown_dimension", "breakdown_value"]]
    base = [
        question_id(tuple(key), bucket, direction)
        for key, bucket, direction in zip(
            keys.itertuples(index=False, name=None), frame["bucket"], frame["direction"],
            strict=True,
        )
    ]  # fmt: skip
    order = pd.Series(base, index=frame.index).groupby(base).cumcount()
    return pd.Series(
        [b if n == 0 else f"{b}-{n + 1}" for b, n in zip(base, order, strict=True)],
        index=frame.index,
    )


def choose(frame: pd.DataFrame, settings: dict) -> pd.Series:
    """Priority 1..priority_size (else NA) in each area: see choose_in_area."""
    priority = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    for _, rows in frame.groupby("area_code"):
        chosen = choose_in_area(rows, settings)
        priority[chosen.index] = chosen
    return priority


def choose_in_area(frame: pd.DataFrame, settings: dict) -> pd.Series:
    """The eligible questions of highest score, at most per_series of one series (so one
    series cannot fill the list), none below lowest_confidence or min_change_percent, each
    headline placed just before the breakdowns chosen under it (whole-authority first)."""
    lowest = CONFIDENCE_LEVELS.index(settings["lowest_confidence"])
    sure = frame["confidence"].map(CONFIDENCE_LEVELS.index) <= lowest
    material = (
        pd.to_numeric(frame["percent_change"], errors="coerce").abs()
        >= settings["min_change_percent"]
    )
    eligible = frame[sure & material & (frame["held_back"] == "") & (frame["score"] > 0)]
    eligible = eligible.sort_values(
        ["score", "indicator_id", "first_month"], ascending=[False, True, True]
    )
    series = eligible[["area_code", "indicator_id", "breakdown_dimension", "breakdown_value"]]
    within_limit = series.groupby(list(series.columns)).cumcount() < settings["per_series"]
    chosen = eligible[within_limit].head(settings["priority_size"])
    by_id = dict(zip(chosen["question_id"], chosen.index, strict=True))
    order: list = []
    for index, parent in zip(chosen.index, chosen["parent_id"], strict=True):
        if parent in by_id and by_id[parent] not in order:
            order.append(by_id[parent])
        if index not in order:
            order.append(index)
    return pd.Series(range(1, len(order) + 1), index=order, dtype="Int64")
