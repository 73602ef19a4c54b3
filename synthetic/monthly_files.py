"""The monthly partner files (A&E, admissions, CAMHS, police) and the answer key's counts a
month: one CSV a month by the contract's event date, with the scenario's gap months and
re-deliveries acted out as they are written.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from synthetic.calendar import month_index, to_day
from synthetic.contracts import contract
from synthetic.period import Period
from synthetic.writers.csv_out import write_csv

if TYPE_CHECKING:
    from synthetic.sources import SourceRun


def month_label(month: int) -> str:
    return f"{month // 12:04d}-{month % 12 + 1:02d}"


def month_rows(la: str, period: Period, measure: str, days: np.ndarray) -> list[list[object]]:
    first = period.start.year * 12 + period.start.month - 1
    n = len(period.months())
    days = np.asarray(days)
    inside = days[(days >= period.start_day) & (days <= period.end_day)]
    counts = np.bincount(month_index(inside) - first, minlength=n) if inside.size else np.zeros(n)
    return [[la, month_label(first + k), measure, int(c)] for k, c in enumerate(counts)]


def monthly_truth(source: str, la: str, period: Period, rows: dict) -> list[list[object]]:
    day = rows["_day"]
    out = month_rows(la, period, "rows", day)
    if source == "police_incidents":
        for kind in contract(source).allowed("INCIDENT_TYPE"):
            out += month_rows(la, period, kind, day[rows["INCIDENT_TYPE"] == kind])
    if source == "hospital_admissions":
        diag = rows["PRIMARY_DIAGNOSIS"].astype(str)
        alcohol = np.char.startswith(diag, "F10") | np.char.startswith(diag, "T51")
        self_harm = np.char.startswith(rows["EXTERNAL_CAUSE"].astype(str), "X6") | (
            np.char.startswith(rows["EXTERNAL_CAUSE"].astype(str), "X7")
            | np.char.startswith(rows["EXTERNAL_CAUSE"].astype(str), "X8")
        )
        out += month_rows(la, period, "alcohol_related", day[alcohol])
        out += month_rows(la, period, "self_harm", day[self_harm])
    return out


def write_monthly(run: SourceRun, source: str, rows: dict) -> None:
    """The source's file of each month of the period, less its gap months, and its
    re-deliveries, with their rows of the answer key."""
    out_dir, la, period, out, rng = run.out_dir, run.la, run.period, run.out, run.defect_rng
    defects = run.defects_for(source)
    columns = contract(source).columns
    month = month_index(rows["_day"])
    bounds = np.searchsorted(month, np.arange(month.min(), month.max() + 2)) if month.size else []
    first_month = int(month.min()) if month.size else 0
    gaps = {d.defect_id: d for d in defects if d.kind == "gap_month"}
    dupes = [d for d in defects if d.kind == "duplicate_delivery"]
    for k in range(len(bounds) - 1):
        m = first_month + k
        label = month_label(m)
        lo, hi = bounds[k], bounds[k + 1]
        day0 = to_day(date(m // 12, m % 12 + 1, 1))
        if day0 < period.start_day or day0 > period.end_day:
            continue
        gap = [d for d in gaps.values() if d.first_day <= day0 <= d.last_day]
        if gap:
            for d in gap:
                out.defects.append(d.truth_row(la, int(hi - lo), f"{source}/{label}"))
            continue
        part = {c: _slice(rows[c], lo, hi) for c in columns}
        path = out_dir / source / f"{source}_{la}_{label}.csv"
        out.written.append((path, write_csv(path, columns, part), f"{source} {label}"))
        for d in dupes:
            if d.first_day <= day0 <= d.last_day:
                n = hi - lo
                extra = np.sort(rng.choice(n, size=int(round(n * d.size)), replace=False))
                index = np.sort(np.r_[np.arange(n), extra])
                dup = {c: _take(part[c], index) for c in columns}
                dpath = out_dir / source / f"{source}_{la}_{label}_redelivery.csv"
                out.written.append(
                    (dpath, write_csv(dpath, columns, dup), f"{source} {label} re-delivered")
                )
                location = dpath.relative_to(out_dir).as_posix()
                out.defects.append(d.truth_row(la, int(extra.size), location))


def _slice(values: object, lo: int, hi: int) -> object:
    return values[lo:hi] if isinstance(values, np.ndarray) else values


def _take(values: object, index: np.ndarray) -> object:
    return values[index] if isinstance(values, np.ndarray) else values
