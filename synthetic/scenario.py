"""Scenarios: monthly multipliers on referral rates by referral source group.

The format is documented at the top of ``synthetic/scenarios/england_covid.yaml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from synthetic.calendar import parse_month

SCENARIO_DIR = Path(__file__).parent / "scenarios"
DEFAULT_SCENARIO = SCENARIO_DIR / "england_covid.yaml"
ALL_GROUPS = "all"


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str = ""
    # source group (or "all") -> absolute month number (year * 12 + month - 1) -> multiplier
    multipliers: dict[str, dict[int, float]] = field(default_factory=dict)

    def matrix(self, groups: Sequence[str], months: np.ndarray) -> np.ndarray:
        """Multiplier for each group (rows) and month number (columns); 1 where unset."""
        out = np.ones((len(groups), len(months)))
        shared = self.multipliers.get(ALL_GROUPS, {})
        for row, group in enumerate(groups):
            own = self.multipliers.get(group, {})
            for col, month in enumerate(np.asarray(months).tolist()):
                out[row, col] = own.get(month, 1.0) * shared.get(month, 1.0)
        return out


def load_scenario(path: Path | None, known_groups: Sequence[str]) -> Scenario:
    """Read a scenario file (the default England Covid-19 scenario when path is None)."""
    path = Path(path) if path is not None else DEFAULT_SCENARIO
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: a scenario is a mapping with name and multipliers")
    allowed = set(known_groups) | {ALL_GROUPS}
    multipliers: dict[str, dict[int, float]] = {}
    for group, months in (raw.get("multipliers") or {}).items():
        if group not in allowed:
            raise ValueError(
                f"{path}: unknown source group {group!r}; use one of {sorted(allowed)}"
            )
        multipliers[group] = _parse_months(path, group, months or {})
    return Scenario(str(raw.get("name", path.stem)), str(raw.get("description", "")), multipliers)


def _parse_months(path: Path, group: str, months: dict) -> dict[int, float]:
    out: dict[int, float] = {}
    for key, value in months.items():
        factor = float(value)
        if factor < 0:
            raise ValueError(f"{path}: {group} {key}: a multiplier cannot be negative")
        for month in _month_range(str(key)):
            out[month] = factor
    return out


def _month_range(key: str) -> range:
    """'YYYY-MM' or 'YYYY-MM..YYYY-MM' (inclusive) as absolute month numbers."""
    first_text, _, last_text = key.partition("..")
    first = parse_month(first_text)
    last = parse_month(last_text) if last_text else first
    lo, hi = first.year * 12 + first.month - 1, last.year * 12 + last.month - 1
    if hi < lo:
        raise ValueError(f"month range {key!r} ends before it starts")
    return range(lo, hi + 1)
