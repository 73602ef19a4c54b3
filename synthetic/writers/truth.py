"""Ground truth for tests and checks: what the generator actually put in the extracts.

Written under ``<out>/_truth/``; directories starting with "_" are not partner deliveries
and the ingestion skips them.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from synthetic.calendar import month_index
from synthetic.period import Period

TRUTH_DIR = "_truth"


def write_referral_truth(
    out_dir: Path,
    la_code: str,
    period: Period,
    referral_day: np.ndarray,
    group: np.ndarray,
    group_names: tuple[str, ...],
    suffix: str = "",
) -> list[Path]:
    """Distinct referrals (child and referral date) per month, in total and by source group."""
    months = period.months()
    first = months[0].year * 12 + months[0].month - 1
    inside = (referral_day >= period.start_day) & (referral_day <= period.end_day)
    offset = month_index(referral_day[inside]) - first
    counts = np.zeros((len(group_names), len(months)), dtype=np.int64)
    np.add.at(counts, (group[inside], offset), 1)
    labels = [m.isoformat() for m in months]
    folder = out_dir / TRUTH_DIR
    folder.mkdir(parents=True, exist_ok=True)
    total = folder / f"cin_referrals_monthly{suffix}.csv"
    _write(
        total,
        ["la_code", "month", "referrals"],
        ([la_code, label, int(n)] for label, n in zip(labels, counts.sum(axis=0), strict=True)),
    )
    by_group = folder / f"cin_referrals_monthly_by_source_group{suffix}.csv"
    rows = (
        [la_code, label, name, int(counts[g, m])]
        for m, label in enumerate(labels)
        for g, name in enumerate(group_names)
    )
    _write(by_group, ["la_code", "month", "source_group", "referrals"], rows)
    return [total, by_group]


def _write(path: Path, header: list[str], rows: Iterable[list[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


DEFECT_COLUMNS = [
    "defect_id",
    "la_code",
    "source",
    "table",
    "field",
    "first_month",
    "last_month",
    "kind",
    "size",
    "rows_affected",
    "location",
    "description",
]


def write_source_truth(
    out_dir: Path, defects: list[dict], monthly: dict[str, list[list[object]]]
) -> list[Path]:
    """_truth/defects.csv (every injected defect) and _truth/<source>_monthly.csv."""
    folder = out_dir / TRUTH_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "defects.csv"
    _write(path, DEFECT_COLUMNS, ([d[c] for c in DEFECT_COLUMNS] for d in defects))
    paths = [path]
    for source, rows in sorted(monthly.items()):
        p = folder / f"{source}_monthly.csv"
        _write(p, ["la_code", "month", "measure", "value"], rows)
        paths.append(p)
    return paths


EFFECT_COLUMNS = [
    "area_code",
    "indicator_id",
    "breakdown_dimension",
    "breakdown_value",
    "month",
    "true_effect",
    "mechanism",
]


def write_injected_effects(out_dir: Path, rows: list[list[object]]) -> Path:
    """_truth/injected_effects.csv: the change the scenario injected in each indicator,
    breakdown and month (EFFECT_COLUMNS; synthetic/effects.py builds the rows)."""
    folder = out_dir / TRUTH_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "injected_effects.csv"
    _write(path, EFFECT_COLUMNS, rows)
    return path
