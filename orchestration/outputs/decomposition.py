"""Breakdowns under their headline: how each group of a breakdown moved over the headline's
months, how much of the change in the total each contributes, and whether a group moved
differently from the total (only then does it stand as a question of its own).

The contributions are recorded minus expected per group, summed over the months. They add up
to the total's change up to the difference between the groups' expected values and the
total's (each series has its own model), which is given as its own line, so the parts always
sum to the whole."""

from __future__ import annotations

import pandas as pd

from orchestration.outputs.evidence import Columns, signed_percent, summarise, within
from orchestration.outputs.labels import dimension_label, label
from orchestration.outputs.suppression import SUPPRESSED

MODEL_DIFFERENCE = "Difference between the groups' expected values and the total's"
HIDDEN_AND_DIFFERENCE = (
    "Groups with small numbers (not shown), and the difference between the groups' expected"
    " values and the total's"
)
DECOMPOSITION_COLUMNS = [
    "question_id", "dimension", "breakdown", "breakdown_value", "group", "recorded",
    "expected", "contribution", "share_percent", "percent_change",
]  # fmt: skip
PATTERNS = {"with_parent", "more_than_parent", "less_than_parent", "against_parent"}


def cells_over(
    groups: dict[str, Columns], months: pd.DatetimeIndex, z_cap: float
) -> list[tuple[str, dict]]:
    """(breakdown value, summary over the months) for every group of one breakdown."""
    found = []
    for value, arrays in groups.items():
        months_of_group = within(arrays, months)
        if months_of_group is not None:
            found.append((value, summarise(months_of_group, z_cap)))
    return found


def recording_shift(cells: list[tuple[str, dict]], total: dict | None, recording: set) -> float:
    """The share of the total's records that moved into a recording value ('Unknown', 'Not
    recorded') beyond what was expected: each other group lost about that share of its
    records to it, which is a recording change, not a change in the children."""
    if total is None or not total["recorded"]:
        return 0.0
    excess = sum(
        s["recorded"] - s["expected"]
        for v, s in cells
        if v in recording and s["expected"] is not None and not pd.isna(s["expected"])
    )
    return min(max(excess / total["recorded"], 0.0), 0.9)


def pattern(cell: dict, parent: dict | None, shift: float = 0.0) -> str:
    """How a group moved against its total over the same months, its records lost to a
    recording value given back (shift). It moves with the total when its recorded figure
    lies inside its own interval (as published) scaled by the total's change; otherwise
    against it (opposite sides of expected), more than it or less than it."""
    if parent is None or not parent["expected"] or not cell["expected"]:
        return "more_than_parent"  # no total to move with: the group's change is its own
    ratio = parent["recorded"] / parent["expected"]
    recorded = cell["recorded"] / (1 - shift)
    if cell["expected_low"] * ratio <= recorded <= cell["expected_high"] * ratio:
        return "with_parent"
    own, total = recorded / cell["expected"] - 1, ratio - 1
    if own * total < 0:
        return "against_parent"
    return "more_than_parent" if abs(own) > abs(total) else "less_than_parent"


def decompose(
    question_id: str, parent: dict, dimension: str, cells: list[tuple[str, dict]]
) -> pd.DataFrame:
    """The change in a count's total split by one breakdown, unsuppressed: a row per group
    (recorded, expected, contribution = recorded - expected, its share of the total's change)
    and a last row, the difference between the groups' expected values and the total's."""
    change = parent["recorded"] - parent["expected"]
    rows = [
        {
            "question_id": question_id,
            "dimension": dimension,
            "breakdown": dimension_label(dimension),
            "breakdown_value": value,
            "group": label(dimension, value),
            "recorded": summary["recorded"],
            "expected": summary["expected"],
            "contribution": summary["recorded"] - summary["expected"],
            "hidden": summary["hidden"],
            "percent_change": summary["percent_change"],
        }
        for value, summary in cells
    ]
    residual = change - sum(r["contribution"] for r in rows)
    rows.sort(key=lambda r: -abs(r["contribution"]))
    rows.append(
        {
            "question_id": question_id,
            "dimension": dimension,
            "breakdown": dimension_label(dimension),
            "breakdown_value": "",
            "group": MODEL_DIFFERENCE,
            "recorded": None,
            "expected": None,
            "contribution": residual,
            "hidden": False,
            "percent_change": None,
        }
    )
    frame = pd.DataFrame(rows)
    frame["share_percent"] = 100 * frame["contribution"] / change if change else None
    return frame


def published(decomposition: pd.DataFrame) -> pd.DataFrame:
    """The decomposition as it may be shown: groups with a hidden figure are folded into the
    last line with the difference of the expected values. That line is the total's change
    less the groups shown, all published figures, so it gives back no hidden one."""
    if decomposition.empty:
        return decomposition.reindex(columns=DECOMPOSITION_COLUMNS)
    shown = decomposition[~decomposition["hidden"] & (decomposition["breakdown_value"] != "")]
    folded = decomposition[decomposition["hidden"] | (decomposition["breakdown_value"] == "")]
    last = folded.iloc[[-1]].copy()
    last["contribution"] = folded["contribution"].sum()
    last["share_percent"] = folded["share_percent"].sum(min_count=1)
    if folded["hidden"].any():
        last["group"] = HIDDEN_AND_DIFFERENCE
    frame = pd.concat([shown, last], ignore_index=True)
    return frame.reindex(columns=DECOMPOSITION_COLUMNS).round(
        {"recorded": 0, "expected": 1, "contribution": 1, "share_percent": 1, "percent_change": 1}
    )


def movers(dimension: str, cells: list[tuple[str, dict]], shown: int = 4) -> str:
    """'Referral source: Schools −63%, Health services −35%, Police +6%': the groups that
    moved the total most (by their difference in children or events), hidden ones left out."""
    visible = [(v, s) for v, s in cells if not s["hidden"] and s["percent_change"] is not None]
    visible.sort(key=lambda vs: -vs[1]["events"])
    parts = [f"{label(dimension, v)} {signed_percent(s)}" for v, s in visible[:shown]]
    hidden = len(cells) - len(visible)
    note = f" ({hidden} with small numbers, {SUPPRESSED})" if hidden else ""
    return f"{dimension_label(dimension)}: {', '.join(parts)}{note}" if parts else ""
