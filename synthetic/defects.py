"""Degraded recording, injected on purpose from the scenario's ``defects`` section.

Each defect acts on the rows of one extract (columns keyed by name, with "_day" the event
day) before they are written, and returns what it did for ``_truth/defects.csv``.
Duplicate deliveries and gap months act when the monthly files are written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from orchestration.quality.detection_report import InjectedDefect
from synthetic.calendar import NO_DATE, month_end, parse_month, to_day
from synthetic.writers.csv_out import dmy, iso, timestamps

KINDS = (
    "missing_field",
    "recording_lag",
    "duplicate_delivery",
    "gap_month",
    "invalid_code",
    "date_order",
)
# For date_order: the end-date field and the start-date field it must not precede.
_START_OF = {
    "DEC": "DECOM",
    "MIS_END": "MIS_START",
    "DISCHARGE_DATE": "ADMISSION_DATE",
    "DATE_PLACED_CEASED": "DATE_PLACED",
}
INVALID_CODE = "ZZ9"


@dataclass(frozen=True)
class Defect(InjectedDefect):
    """A defect as the scenario configures it: what the detection report reads back from
    each of its rows of the answer key, with its size and what it does."""

    size: float
    description: str

    @property
    def first_day(self) -> int:
        return to_day(parse_month(self.first_month))

    @property
    def last_day(self) -> int:
        return to_day(month_end(parse_month(self.last_month)))

    def overlaps_year(self, year: int) -> bool:
        """Whether its months meet collection year `year` (April to March)."""
        return self.first_day <= to_day(date(year, 3, 31)) and self.last_day >= to_day(
            date(year - 1, 4, 1)
        )

    def truth_row(self, la_code: str, changed: int, location: str, table: str = "") -> dict:
        """Its row of _truth/defects.csv for one place it acted on (table: the source's own
        name for it where the scenario names none)."""
        return {
            "defect_id": self.defect_id,
            "la_code": la_code,
            "source": self.source,
            "table": table or self.table or self.source,
            "field": self.field,
            "first_month": self.first_month,
            "last_month": self.last_month,
            "kind": self.kind,
            "size": self.size,
            "rows_affected": changed,
            "location": location,
            "description": self.description,
        }


def parse_defects(raw: tuple[dict, ...]) -> list[Defect]:
    out = []
    for number, item in enumerate(raw, start=1):
        kind = str(item.get("kind", ""))
        if kind not in KINDS:
            raise ValueError(f"defect {number}: kind must be one of {KINDS}, got {kind!r}")
        months = str(item.get("months", ""))
        first, _, last = months.partition("..")
        if not first:
            raise ValueError(f"defect {number}: months is required")
        parse_month(first)
        parse_month(last or first)
        out.append(
            Defect(
                defect_id=f"D{number:02d}",
                kind=kind,
                source=str(item.get("source", "")),
                table=str(item.get("table", "")),
                field=str(item.get("field", "")),
                first_month=first,
                last_month=last or first,
                size=float(item.get("size", 0) or 0),
                description=str(item.get("description", "")) or _describe(kind, item),
            )
        )
    return out


def _describe(kind: str, item: dict) -> str:
    if item.get("source") == "cin_census":
        return ""  # described by synthetic.cin_defects, which knows how missing looks there
    field, size = item.get("field", ""), item.get("size", "")
    return {
        "missing_field": f"{field} left blank on a share {size} of rows in the months",
        "recording_lag": f"{field} delayed by {size} days on average in the months",
        "duplicate_delivery": f"the month re-delivered in an extra file with {size} of rows twice",
        "gap_month": "no file delivered for the month",
        "invalid_code": f"{size} rows of {field} carry the invalid code {INVALID_CODE}",
        "date_order": f"{size} rows of {field} dated before their start",
    }[kind]


def apply_row_defect(rng: np.random.Generator, defect: Defect, rows: dict) -> int:
    """Apply a row-level defect in place; returns the number of rows changed."""
    day = np.asarray(rows["_day"])
    in_months = np.flatnonzero((day >= defect.first_day) & (day <= defect.last_day))
    field = defect.field
    if defect.kind == "missing_field":
        values = np.asarray(rows[field], dtype=object).copy()
        hit = in_months[(rng.random(in_months.size) < defect.size) & (values[in_months] != "")]
        values[hit] = ""
        rows[field] = values
        return int(hit.size)
    if defect.kind == "recording_lag":
        extra = (rng.exponential(defect.size, in_months.size) * 1440).astype(np.int64)
        lag = np.asarray(rows["_lag_minutes"], dtype=np.int64).copy()
        lag[in_months] += extra
        rows["_lag_minutes"] = lag
        values = np.asarray(rows[field], dtype=object).copy()
        values[in_months] = timestamps(day[in_months], lag[in_months])
        rows[field] = values
        return int(in_months.size)
    if defect.kind == "invalid_code":
        values = np.asarray(rows[field], dtype=object).copy()
        hit = _pick(rng, in_months, int(defect.size))
        values[hit] = INVALID_CODE
        rows[field] = values
        return int(hit.size)
    if defect.kind == "date_order":
        values = np.asarray(rows[field], dtype=object).copy()
        start_text = np.asarray(rows[_START_OF[field]], dtype=object)
        usable = in_months[values[in_months] != ""]
        hit = _pick(rng, usable, int(defect.size))
        start_day = np.asarray(rows.get("_start", day), dtype=np.int64)[hit]
        earlier = start_day - rng.integers(1, 30, hit.size)
        uses_dmy = hit.size and "/" in str(start_text[hit[0]])
        values[hit] = dmy(earlier) if uses_dmy else iso(earlier)
        rows[field] = values
        return int(hit.size)
    raise ValueError(f"{defect.kind} is not a row defect")


def _pick(rng: np.random.Generator, candidates: np.ndarray, k: int) -> np.ndarray:
    k = min(k, candidates.size)
    return np.sort(rng.choice(candidates, size=k, replace=False)) if k else candidates[:0]


def no_date_mask(days: np.ndarray) -> np.ndarray:
    return np.asarray(days) == NO_DATE
