"""The education sources: the termly school census (as the contract's CSV, or from the
scenario's school_census_export_from as schools export it) and daily school attendance,
with their rows of the answer key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from synthetic import education, school_census_exports
from synthetic.calendar import month_index
from synthetic.contracts import contract
from synthetic.defects import apply_row_defect
from synthetic.journeys import Episodes
from synthetic.looked_after import LookedAfter
from synthetic.monthly_files import month_label, month_rows
from synthetic.writers.csv_out import write_csv

if TYPE_CHECKING:
    from synthetic.sources import SourceRun


def write_education(
    run: SourceRun, cin: Episodes, cla: LookedAfter, export_from: int | None
) -> None:
    out_dir, period, calendar, la = run.out_dir, run.period, run.calendar, run.la
    population, out, rng_for, shock = run.population, run.out, run.rng_for, run.shock
    rng = rng_for("education")
    schools = education.build_schools(rng, population, la)
    propensity = np.clip(1 + 0.03 * rng.standard_normal(len(population)), 0.6, 1.04)
    propensity = np.where(rng.random(len(population)) < 0.1, propensity * 0.85, propensity)
    cin_open = cin.referral <= calendar.last_day
    csw = education.social_worker_intervals(
        cin.child[cin_open],
        cin.referral[cin_open],
        cin.closure[cin_open],
        cla.periods.child,
        cla.periods.start,
        cla.periods.end,
    )
    rate_all = shock("school_attendance.pupils")
    rate_csw = shock("school_attendance.csw")
    suspension = shock("school_census.suspensions")
    census_columns = contract("school_census").columns
    daily_columns = contract("school_attendance_daily").columns
    first_ay = period.start.year if period.start.month >= 9 else period.start.year - 1
    last_ay = period.end.year if period.end.month >= 9 else period.end.year - 1
    exports = None
    if export_from is not None:
        # A stream spawned from education's: the contract rows and every other source's
        # draws are the same whether or not the census is exported.
        exports = school_census_exports.ExportedCensuses(
            out_dir, la, export_from, period, calendar, population,
            suspension, rng_for("education").spawn(1)[0],
        )  # fmt: skip
    census_days: list[np.ndarray] = []
    att: dict[int, list[int]] = {}
    for ay in range(first_ay, last_ay + 1):
        for term, day0, rows in education.school_census(
            rng, population, schools, calendar, ay, rate_all, rate_csw, csw, suspension,
            propensity, la,
        ):  # fmt: skip
            if period.start_day <= day0 <= period.end_day:
                for d in run.defects_for("school_census"):
                    changed = apply_row_defect(run.defect_rng, d, rows)
                    if changed:
                        where = f"school_census/{ay}/{term}"
                        out.defects.append(d.truth_row(la, changed, where))
                # The answer key counts the children's terms, whichever layout reports them.
                census_days.append(np.full(rows["_child"].size, day0))
                if exports is None or not exports.exported(ay, term):
                    label = f"{ay}-{(ay + 1) % 100:02d}_{term}"
                    path = out_dir / "school_census" / f"school_census_{la}_{label}.csv"
                    written = write_csv(path, census_columns, rows)
                    out.written.append((path, written, f"school census {label}"))
            if exports is not None:
                for path, written in exports.add_term(ay, term, rows):
                    census = "/".join(path.parts[-3:-1])
                    out.written.append((path, written, f"school census {census} {path.stem}"))
        daily = education.daily_attendance(
            rng, population, schools, calendar, ay, period.start_day, period.end_day, rate_all,
            rate_csw, csw, la,
        )  # fmt: skip
        if daily is None:
            continue
        month = month_index(daily["_day"])
        order = np.argsort(month, kind="stable")
        daily = {k: (v[order] if isinstance(v, np.ndarray) else v) for k, v in daily.items()}
        month = month[order]
        for m in np.unique(month).tolist():
            sel = month == m
            part = {k: (v[sel] if isinstance(v, np.ndarray) else v) for k, v in daily.items()}
            label = month_label(m)
            path = out_dir / "school_attendance_daily" / f"school_attendance_daily_{la}_{label}.csv"
            out.written.append((path, write_csv(path, daily_columns, part), f"attendance {label}"))
            tot = att.setdefault(m, [0, 0, 0, 0])
            tot[0] += int(part["PUPILS_ON_ROLL"].sum())
            tot[1] += int(part["PUPILS_ATTENDING"].sum())
            tot[2] += int(part["CSW_ON_ROLL"].sum())
            tot[3] += int(part["CSW_ATTENDING"].sum())
    out.monthly["school_attendance_daily"] = [
        [la, month_label(m), measure, value]
        for m, t in sorted(att.items())
        for measure, value in (
            ("attendance_rate", round(t[1] / max(t[0], 1), 4)),
            ("csw_attendance_rate", round(t[3] / max(t[2], 1), 4)),
        )
    ]
    if census_days:
        out.monthly["school_census"] = month_rows(la, period, "rows", np.concatenate(census_days))
