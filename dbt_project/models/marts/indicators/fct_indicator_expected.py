"""Every indicator month with its expected value, 95% prediction interval, method and flag:
the method is orchestration/expected (a quasi-Poisson or quasi-binomial model with trend,
season and calendar, fitted on the months outside every period of interest; the same-months
rule where a series is too short or too small), described in this model's YAML."""

from typing import Any

import pandas as pd

from orchestration.expected.dbt_inputs import read_inputs
from orchestration.expected.series import expected_values


def model(dbt: Any, session: Any) -> pd.DataFrame:
    dbt.config(materialized="table")
    inputs, settings = read_inputs(
        dbt.config.get("meta"),
        monthly=dbt.ref("fct_indicator_monthly"),
        days=dbt.ref("int_calendar__days"),
        school_days=dbt.ref("fct_school_attendance_daily"),
        catalogue=dbt.ref("indicators"),
        periods=dbt.ref("periods"),
        terms=dbt.ref("expected_value_terms"),
    )
    return expected_values(inputs, settings)
