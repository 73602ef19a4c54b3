"""What the dbt Python models hand to the method: the monthly indicators, the seeds and the
calendar of each area (working days; school days from the daily attendance returns). The
models call dbt.ref themselves, because dbt finds a Python model's parents in its own file."""

from __future__ import annotations

from orchestration.expected.series import Inputs, Settings

# The model or seed each input is read from. The Python models spell them again as literal
# dbt.ref calls, which is how dbt finds their parents; read_inputs checks the names agree.
INPUT_MODELS = {
    "monthly": "fct_indicator_monthly",
    "days": "int_calendar__days",
    "school_days": "fct_school_attendance_daily",
    "catalogue": "indicators",
    "periods": "periods",
    "terms": "expected_value_terms",
}


def read_inputs(meta: dict | None, **relations) -> tuple[Inputs, Settings]:
    """Inputs and settings from a model's meta and its relations, one per INPUT_MODELS key."""
    if relations.keys() != INPUT_MODELS.keys():
        raise TypeError(f"read_inputs needs the relations {sorted(INPUT_MODELS)}")
    monthly = relations["monthly"]
    working = (
        relations["days"]
        .aggregate(
            "date_trunc('month', calendar_date)::date as month,"
            " sum(case when is_working_day then 1 else 0 end) as working_days",
            "date_trunc('month', calendar_date)::date",
        )
        .df()
    )
    schools = (
        relations["school_days"]
        .aggregate(
            "area_code, attendance_month as month, count(distinct attendance_date) as school_days",
            "area_code, attendance_month",
        )
        .df()
    )
    areas = monthly.aggregate("area_code", "area_code").df()
    calendar = areas.merge(working, how="cross").merge(
        schools, on=["area_code", "month"], how="left"
    )
    calendar["school_days"] = calendar["school_days"].fillna(0)
    inputs = Inputs(
        monthly=monthly.df(),
        catalogue=relations["catalogue"].df(),
        periods=relations["periods"].df(),
        terms=relations["terms"].df(),
        calendar=calendar,
    )
    return inputs, Settings.from_config(meta or {})
