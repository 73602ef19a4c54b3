"""The rule table (data/reference/questions/question_rules.csv): which question a change
asks, chosen by the indicator, the breakdown, the direction and the pattern of the change
against its total. The most specific matching row wins; `*` is the fallback for indicators
nobody has written a question for yet, and such questions never reach the priority list."""

from __future__ import annotations

import csv
import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from orchestration.outputs.decomposition import PATTERNS
from orchestration.settings import PROJECT_ROOT

QUESTIONS_DIR = PROJECT_ROOT / "data" / "reference" / "questions"
RULES_FILE = QUESTIONS_DIR / "question_rules.csv"
DIRECTIONS = {"below", "above", "either"}
PLACEHOLDERS = {"indicator", "group", "breakdown", "months"}
# A breakdown's pattern against its total (decomposition.pattern); and a group that is a
# recording value ('Unknown', 'Not recorded': priorities.recording), read on its own.
RECORDING_VALUE = "recording_value"
COMPARISONS = PATTERNS - {"with_parent"}
FALLBACK = "*"


class RuleError(ValueError):
    """A row of the rule table that cannot be used, with where it is and how to fix it."""


@dataclass(frozen=True)
class Rule:
    line: int
    indicator: str  # an indicator_id, a family or '*'
    breakdown: str  # '', 'dimension' or 'dimension=value'
    direction: str
    pattern: str  # '' (any), one of PATTERNS or RECORDING_VALUE
    related: str  # '' or an indicator_id whose figure over the same months the evidence quotes
    question: str

    def matches(self, finding: Mapping) -> bool:
        scope_ok = self.indicator in (FALLBACK, finding["indicator_id"], finding["family"])
        direction_ok = self.direction in ("either", finding["direction"])
        dimension, _, value = self.breakdown.partition("=")
        breakdown_ok = not dimension or (
            dimension == finding["breakdown_dimension"]
            and (not value or value == str(finding["breakdown_value"]))
        )
        pattern_ok = not self.pattern or self.pattern == finding["pattern"]
        return scope_ok and direction_ok and breakdown_ok and pattern_ok

    def specificity(self, finding: Mapping) -> tuple[int, int, int, int]:
        scope = 2 if self.indicator == finding["indicator_id"] else int(self.indicator != FALLBACK)
        breakdown = self.breakdown.count("=") + bool(self.breakdown)
        # The pattern first: a group that moved with its total, or a recording value, is
        # asked about as that whatever its indicator's own questions say.
        return (bool(self.pattern), scope, breakdown, self.direction != "either")

    def specific(self, finding: Mapping) -> bool:
        """Written for the finding's indicator, not a family's or the fallback's question."""
        return self.indicator == finding["indicator_id"]


def load_rules(path: Path = RULES_FILE) -> list[Rule]:
    rules = []
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            rule = Rule(
                line=line,
                **{
                    field: (row.get(field) or "").strip()
                    for field in ("indicator", "breakdown", "direction", "pattern", "related")
                },
                question=(row.get("question") or "").strip(),
            )
            check_rule(rule, path)
            rules.append(rule)
    if not any(r.indicator == FALLBACK and r.direction == "either" for r in rules):
        raise RuleError(
            f"{path}: add a fallback row '*,,either,,,<question>' so every change gets one"
        )
    return rules


def check_rule(rule: Rule, path: Path) -> None:
    where = f"{path}, line {rule.line}"
    if not rule.indicator or not rule.question:
        raise RuleError(f"{where}: 'indicator' and 'question' are required")
    if rule.direction not in DIRECTIONS:
        raise RuleError(
            f"{where}: direction {rule.direction!r} must be one of {sorted(DIRECTIONS)}"
        )
    allowed = PATTERNS | {RECORDING_VALUE}
    if rule.pattern and rule.pattern not in allowed:
        raise RuleError(
            f"{where}: pattern {rule.pattern!r} must be empty or one of {sorted(allowed)}"
        )
    if rule.pattern in COMPARISONS and not rule.breakdown:
        raise RuleError(
            f"{where}: pattern {rule.pattern!r} compares a breakdown with its total: name one"
        )
    names = {name for _, name, _, _ in string.Formatter().parse(rule.question) if name}
    if names - PLACEHOLDERS:
        raise RuleError(
            f"{where}: unknown placeholder(s) {sorted(names - PLACEHOLDERS)} in the question;"
            f" use only {sorted(PLACEHOLDERS)}"
        )


def check_related(rules: list[Rule], indicators: pd.DataFrame, path: Path = RULES_FILE) -> None:
    """A rule for an indicator of the catalogue quoting one it lacks would quote nothing:
    refuse it."""
    known = set(indicators["indicator_id"])
    scopes = known | set(indicators["family"]) | {FALLBACK}
    for rule in rules:
        if rule.related and rule.indicator in scopes and rule.related not in known:
            raise RuleError(
                f"{path}, line {rule.line}: related indicator {rule.related!r} is not in the"
                " catalogue (dbt_project/seeds/indicators.csv); use an indicator_id or leave it"
                " empty"
            )


def choose_rule(rules: list[Rule], finding: Mapping) -> Rule:
    return max((r for r in rules if r.matches(finding)), key=lambda r: r.specificity(finding))
