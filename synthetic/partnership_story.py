"""What the demo county's partnership decides about the questions the platform raised, and the
shared plan it agrees: a few priority questions taken into enquiry, one answered, one parked,
and two actions with their watched indicators and reviews.

Decisions follow the register's months: a question is decided after its run of months and the
first period of interest it falls in (seed periods.csv) have ended. Reviews follow the return's
date (as_of): one review was held and the next is ahead, the other is overdue, as a live
partnership's plan would be."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from orchestration.partnership.spec import load_returns
from orchestration.settings import DBT_PROJECT_DIR
from synthetic.partnership_wording import ACTIONS

SEEDS = DBT_PROJECT_DIR / "seeds"
UNDER_ENQUIRY, ANSWERED, PARKED = "under_enquiry", "answered", "parked"
UNDER_ENQUIRY_COUNT = (3, 5)  # priority questions taken into enquiry, at least and at most
# The way an action should move a question's indicator: back from where the run went.
HOPED = {"below": "up", "above": "down"}
# A related indicator's hoped way: away from its direction of concern; 'both' follows the
# question's indicator.
AWAY_FROM_CONCERN = {"up": "down", "down": "up"}


@dataclass(frozen=True)
class Decision:
    question: dict  # the register's row
    status: str
    owner: str  # a partner
    decided_on: date


@dataclass(frozen=True)
class Watched:
    indicator_id: str
    breakdown_dimension: str  # blank: all children
    breakdown_value: str
    expected_direction: str


@dataclass(frozen=True)
class Review:
    reviewed_on: date
    next_review_date: date


@dataclass(frozen=True)
class Action:
    action_id: str
    decision: Decision
    start_date: date
    review_date: date
    watched: list[Watched] = field(default_factory=list)
    review: Review | None = None


def catalogue() -> pd.DataFrame:
    return pd.read_csv(SEEDS / "indicators.csv", dtype=str, keep_default_na=False)


def owner_of(indicator_id: str, indicators: pd.DataFrame) -> str:
    """The partner of the indicator's family, or of its source for a family no partner is
    (linked indicators): seed partner_sources.csv."""
    row = indicators.set_index("indicator_id").loc[indicator_id]
    partners = load_returns().lists["partner"]
    if row["family"] in partners:
        return row["family"]
    sources = pd.read_csv(SEEDS / "partner_sources.csv", dtype=str).set_index("source")
    return sources.at[row["source"], "partner"]


def priority_questions(register: pd.DataFrame) -> pd.DataFrame:
    """The priority list in its order, a question worded as an earlier one left out (the same
    question of another run of months is one enquiry)."""
    listed = register[register["priority"].astype(str).str.strip() != ""]
    ordered = listed.assign(order=listed["priority"].astype(int)).sort_values("order")
    return ordered.drop_duplicates("question").drop(columns="order")


def choose(register: pd.DataFrame, rng: np.random.Generator) -> list[tuple[dict, str]]:
    """(question, status) of the questions decided: those under enquiry (one of each family
    first, then by priority), then one answered and one parked."""
    questions = priority_questions(register).to_dict("records")
    taken = int(rng.integers(UNDER_ENQUIRY_COUNT[0], UNDER_ENQUIRY_COUNT[1] + 1))
    if len(questions) < taken + 2:
        raise ValueError(
            f"the questions register has {len(questions)} distinct priority questions; the "
            f"demo's returns need {taken + 2}: generate a longer period (--start, --end)"
        )
    first_of_family = [
        q
        for at, q in enumerate(questions)
        if q["family"] not in {p["family"] for p in questions[:at]}
    ]
    by_family = first_of_family + [q for q in questions if q not in first_of_family]
    under = by_family[:taken]
    rest = [q for q in questions if q not in under]
    return [(q, UNDER_ENQUIRY) for q in under] + [(rest[0], ANSWERED), (rest[1], PARKED)]


def run_end(question: dict) -> date:
    last = pd.Period(question["last_month"], freq="M")
    return last.end_time.date()


def first_period_end(question: dict, periods: pd.DataFrame) -> date:
    """The end of the first period of interest the run's months touch, else of the run."""
    start = pd.Period(question["first_month"], freq="M").start_time.date()
    end = run_end(question)
    touched = periods[(periods["start_date"] <= end) & (periods["end_date"] >= start)]
    return touched.sort_values("start_date")["end_date"].iloc[0] if len(touched) else end


def decide(register: pd.DataFrame, rng: np.random.Generator) -> list[Decision]:
    indicators = catalogue()
    periods = pd.read_csv(SEEDS / "periods.csv", parse_dates=["start_date", "end_date"])
    periods[["start_date", "end_date"]] = periods[["start_date", "end_date"]].apply(
        lambda column: column.dt.date
    )
    decisions = []
    for question, status in choose(register, rng):
        settled = max(run_end(question), first_period_end(question, periods))
        decisions.append(
            Decision(
                question=question,
                status=status,
                owner=owner_of(question["indicator_id"], indicators),
                decided_on=settled + timedelta(days=int(rng.integers(14, 43))),
            )
        )
    return decisions


def related_indicator(indicator_id: str, indicators: pd.DataFrame) -> pd.Series | None:
    """The next indicator of the catalogue counted from the same source (referrals:
    re-referrals), or None when the source counts no other."""
    same_source = indicators[indicators["source"] == indicators.set_index("indicator_id").at[
        indicator_id, "source"]].reset_index(drop=True)  # fmt: skip
    if len(same_source) < 2:
        return None
    at = same_source.index[same_source["indicator_id"] == indicator_id][0]
    return same_source.iloc[(at + 1) % len(same_source)]


def watched_for(question: dict, indicators: pd.DataFrame) -> list[Watched]:
    hoped = HOPED[question["direction"]]
    breakdown = question["breakdown_dimension"] != "all"
    watched = [
        Watched(
            question["indicator_id"],
            question["breakdown_dimension"] if breakdown else "",
            question["breakdown_value"] if breakdown else "",
            hoped,
        )
    ]
    related = related_indicator(question["indicator_id"], indicators)
    if related is not None:
        direction = AWAY_FROM_CONCERN.get(related["direction_of_concern"], hoped)
        watched.append(Watched(related["indicator_id"], "", "", direction))
    return watched


def plan_questions(decisions: list[Decision]) -> list[Decision]:
    """The two questions under enquiry decided first (the most months to review an action
    by), of two partners where the enquiry has them."""
    under = sorted((d for d in decisions if d.status == UNDER_ENQUIRY), key=lambda d: d.decided_on)
    second = next((d for d in under[1:] if d.owner != under[0].owner), under[1])
    return [under[0], second]


def plan(decisions: list[Decision], rng: np.random.Generator, as_of: date) -> list[Action]:
    """Two actions: the first reviewed lately with its next review ahead, the second's review
    overdue (nothing returned for it)."""
    indicators = catalogue()
    first, second = plan_questions(decisions)
    actions = []
    for number, decision in enumerate((first, second), start=1):
        if decision.owner not in ACTIONS:
            raise ValueError(f"no action written for partner {decision.owner}")
        start = decision.decided_on + timedelta(days=int(rng.integers(14, 36)))
        reviewed = number == 1
        weeks_ago = rng.integers(2, 5) if reviewed else rng.integers(3, 7)
        due = as_of - timedelta(weeks=int(weeks_ago))
        if due < start:
            raise ValueError(
                f"the return's date {as_of} is too early: action {number} starts on {start}"
            )
        next_review = as_of + timedelta(weeks=int(rng.integers(6, 11)))
        review = Review(due, next_review) if reviewed else None
        watched = watched_for(decision.question, indicators)
        actions.append(Action(f"A{number}", decision, start, due, watched, review))
    return actions
