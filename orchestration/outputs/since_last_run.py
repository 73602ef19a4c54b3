"""What changed in the questions register since the last run: questions that appeared, that
closed (in the last register, not in this one), and that entered or left the priority list,
matched by their stable ids. The questions asset keeps the last run's register beside the
new one (PREVIOUS_NAME) for the briefing to read."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

REGISTER_NAME = "questions.csv"
PREVIOUS_NAME = "questions_previous.csv"


@dataclass
class SinceLastRun:
    previous_found: bool
    new: pd.DataFrame  # rows of this register
    closed: pd.DataFrame  # rows of the last register
    entered_priority: pd.DataFrame  # rows of this register
    left_priority: pd.DataFrame  # rows of the last register
    continuing: int


def keep_previous(outputs: Path) -> None:
    """Before a new register is written, the one it replaces becomes the previous run's."""
    current = outputs / REGISTER_NAME
    if current.exists():
        shutil.copyfile(current, outputs / PREVIOUS_NAME)


def read_previous(outputs: Path) -> pd.DataFrame | None:
    """The last run's register, or None: none kept yet, or one written before questions had
    ids (nothing to match on)."""
    path = outputs / PREVIOUS_NAME
    if not path.exists():
        return None
    previous = pd.read_csv(path, dtype=str, keep_default_na=False)
    return previous if "question_id" in previous.columns else None


def in_priority(register: pd.DataFrame) -> pd.Series:
    """Rows with a priority (a number in this run's frame, text in the last run's file)."""
    return pd.to_numeric(register["priority"], errors="coerce").notna()


def compare(current: pd.DataFrame, previous: pd.DataFrame | None) -> SinceLastRun:
    if previous is None:
        empty = current.iloc[0:0]
        return SinceLastRun(False, empty, empty, empty, empty, 0)
    now, before = set(current["question_id"]), set(previous["question_id"])
    now_priority = set(current.loc[in_priority(current), "question_id"])
    before_priority = set(previous.loc[in_priority(previous), "question_id"])
    return SinceLastRun(
        previous_found=True,
        new=current[current["question_id"].isin(now - before)],
        closed=previous[previous["question_id"].isin(before - now)],
        entered_priority=current[current["question_id"].isin(now_priority - before_priority)],
        left_priority=previous[previous["question_id"].isin(before_priority - now_priority)],
        continuing=len(now & before),
    )
