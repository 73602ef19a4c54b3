"""Scenarios: monthly multipliers on referral rates by referral source group.

The format is documented at the top of ``synthetic/scenarios/england_covid.yaml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import yaml

from synthetic.calendar import month_end, parse_month, to_day

SCENARIO_DIR = Path(__file__).parent / "scenarios"
DEFAULT_SCENARIO = SCENARIO_DIR / "england_covid.yaml"
ALL_GROUPS = "all"
# Partner sources and their measures a scenario can scale (section "sources").
SOURCE_MEASURES = frozenset(
    {
        "ssda903.starts",
        "ssda903.missing",
        "ae_attendances.attendances",
        "hospital_admissions.emergency",
        "hospital_admissions.self_harm",
        "hospital_admissions.alcohol",
        "camhs_referrals.referrals",
        "police_incidents.domestic_abuse",
        "police_incidents.antisocial_behaviour",
        "police_incidents.missing_child",
        "police_incidents.child_protection",
        "police_incidents.violence",
        "police_incidents.exploitation",
        "police_incidents.other",
        "school_attendance.pupils",
        "school_attendance.csw",
        "school_census.suspensions",
    }
)


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str = ""
    # source group (or "all") -> absolute month number (year * 12 + month - 1) -> multiplier
    multipliers: dict[str, dict[int, float]] = field(default_factory=dict)
    # "source.measure" -> [(first day, last day, multiplier)], for the partner sources.
    measures: dict[str, list[tuple[int, int, float]]] = field(default_factory=dict)
    # Degraded recording to inject (see synthetic/defects.py); empty for a clean scenario.
    defects: tuple[dict, ...] = ()
    # The first academic year (the September it starts) whose school census is delivered as
    # schools export it instead of the contract file; None: the contract file throughout.
    school_census_export_from: int | None = None

    def measure_by_day(self, key: str, first_day: int, last_day: int) -> np.ndarray:
        """Multiplier of a source measure on each day from first_day to last_day (1 unset)."""
        if key not in SOURCE_MEASURES:
            raise KeyError(f"unknown measure {key!r}")
        out = np.ones(last_day - first_day + 1)
        for lo, hi, factor in self.measures.get(key, []):
            a, b = max(lo, first_day) - first_day, min(hi, last_day) - first_day
            if b >= a:
                out[a : b + 1] = factor
        return out

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
    measures: dict[str, dict[int, float]] = {}
    for source, per_measure in (raw.get("sources") or {}).items():
        for measure, months in (per_measure or {}).items():
            key = f"{source}.{measure}"
            if key not in SOURCE_MEASURES:
                raise ValueError(
                    f"{path}: unknown source measure {key!r}; use one of {sorted(SOURCE_MEASURES)}"
                )
            measures[key] = _parse_day_ranges(path, key, months or {})
    defects = raw.get("defects") or []
    if not isinstance(defects, list) or not all(isinstance(d, dict) for d in defects):
        raise ValueError(f"{path}: defects is a list of mappings")
    exported = raw.get("school_census_export_from")
    return Scenario(
        str(raw.get("name", path.stem)),
        str(raw.get("description", "")),
        multipliers,
        measures,
        tuple(defects),
        None if exported is None else _academic_year(path, str(exported)),
    )


def _academic_year(path: Path, text: str) -> int:
    """'2021/22' (or 2021-22) as the year its September is in."""
    first, _, second = text.replace("-", "/").partition("/")
    if not (first.isdigit() and len(first) == 4 and second == f"{(int(first) + 1) % 100:02d}"):
        raise ValueError(
            f"{path}: school_census_export_from: expected an academic year as 2021/22, got {text!r}"
        )
    return int(first)


def _parse_months(path: Path, group: str, months: dict) -> dict[int, float]:
    out: dict[int, float] = {}
    for key, value in months.items():
        factor = float(value)
        if factor < 0:
            raise ValueError(f"{path}: {group} {key}: a multiplier cannot be negative")
        for month in _month_range(str(key)):
            out[month] = factor
    return out


def _parse_day_ranges(path: Path, key: str, months: dict) -> list[tuple[int, int, float]]:
    """Keys 'YYYY-MM', 'YYYY-MM-DD' or ranges 'A..B' of either -> inclusive day ranges."""
    out = []
    for text, value in months.items():
        factor = float(value)
        if factor < 0:
            raise ValueError(f"{path}: {key} {text}: a multiplier cannot be negative")
        first_text, _, last_text = str(text).partition("..")
        lo = _day_of(first_text, last=False)
        hi = _day_of(last_text or first_text, last=True)
        if hi < lo:
            raise ValueError(f"{path}: {key}: range {text!r} ends before it starts")
        out.append((lo, hi, factor))
    return out


def _day_of(text: str, last: bool) -> int:
    text = text.strip()
    if len(text) == 10:
        try:
            return to_day(date.fromisoformat(text))
        except ValueError as exc:
            raise ValueError(f"expected a date as YYYY-MM-DD, got {text!r}") from exc
    first = parse_month(text)
    return to_day(month_end(first) if last else first)


def _month_range(key: str) -> range:
    """'YYYY-MM' or 'YYYY-MM..YYYY-MM' (inclusive) as absolute month numbers."""
    first_text, _, last_text = key.partition("..")
    first = parse_month(first_text)
    last = parse_month(last_text) if last_text else first
    lo, hi = first.year * 12 + first.month - 1, last.year * 12 + last.month - 1
    if hi < lo:
        raise ValueError(f"month range {key!r} ends before it starts")
    return range(lo, hi + 1)
