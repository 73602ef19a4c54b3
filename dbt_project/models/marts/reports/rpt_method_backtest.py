"""How often the expected values are wrong: a rolling-origin backtest over the months
before the first period of interest (orchestration/expected/backtest.py), one row per
series, described in this model's YAML."""

from typing import Any

import pandas as pd

from orchestration.expected.backtest import backtest
from orchestration.expected.dbt_inputs import read_inputs


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
    return backtest(inputs, settings)
