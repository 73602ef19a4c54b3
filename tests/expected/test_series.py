"""Expected values, flags, fallbacks and the backtest on series drawn from known rates."""

import numpy as np
import pandas as pd
import pytest

from orchestration.expected.backtest import backtest
from orchestration.expected.series import Settings, expected_values
from tests.expected.series_builder import MONTHS, count_series, inputs, share_series

SEASON = 1 + 0.25 * np.cos((MONTHS.month.to_numpy() - 1) * 2 * np.pi / 12)


def period(start: str, end: str, not_comparable: str = "") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period_id": ["p"],
            "start_date": [pd.Timestamp(start)],
            "end_date": [pd.Timestamp(end)],
            "not_comparable": [not_comparable],
        }
    )


def test_a_fall_inside_a_period_is_below_and_the_period_is_not_fitted():
    rates = 80 * SEASON
    monthly = count_series(rates, seed=3)
    shocked = monthly["month"].between("2019-04-01", "2019-06-01")
    monthly.loc[shocked, ["numerator", "value"]] = (monthly.loc[shocked, "value"] * 0.6).round()
    result = expected_values(inputs(monthly, period("2019-04-01", "2019-06-30")), Settings())
    in_period = result[result["month"].between("2019-04-01", "2019-06-01")]
    assert (in_period["flag"] == "below").all()
    assert not in_period["in_model_fit"].any()
    assert (result["method"] == "model").all()
    # the expected value follows the true rate, not the shocked months
    truth = pd.Series(rates, index=MONTHS)[in_period["month"]].to_numpy()
    assert in_period["expected_value"].to_numpy() == pytest.approx(truth, rel=0.15)
    outside = result[~result["month"].between("2019-04-01", "2019-06-01")]
    assert outside["flag"].isin(["below", "above"]).mean() < 0.10


def test_a_share_with_a_large_denominator_has_an_interval_that_is_not_zero_wide():
    trials = np.full(len(MONTHS), 2_000_000.0)
    result = expected_values(inputs(share_series(0.95, trials)), Settings())
    width = result["expected_high"] - result["expected_low"]
    assert (width > 0).all()
    assert (result["expected_low"] > 94.9).all() and (result["expected_high"] < 95.1).all()
    assert (result["expected_low"] > 0).all()


def test_a_short_series_falls_back_to_the_same_months_rule_and_says_so():
    months = MONTHS[-30:]  # 30 clean months: under the 36 a model needs
    monthly = count_series(np.full(30, 50.0), months=months, seed=5)
    result = expected_values(inputs(monthly), Settings()).set_index("month")
    first_two_years = result.loc[: months[23]]
    assert (first_two_years["method"] == "none").all()
    assert (first_two_years["not_assessed_reason"] == "short_series").all()
    last = result.loc[months[-1]]
    assert last["method"] == "same_months"
    earlier = monthly.set_index("month")["value"][[months[-13], months[-25]]]
    assert last["expected_value"] == pytest.approx(earlier.mean())
    assert last["baseline_years_used"] == 2
    assert last["flag"] in {"within", "below", "above"}


def test_small_counts_are_never_assessed():
    monthly = count_series(np.full(len(MONTHS), 3.0), seed=2)
    result = expected_values(inputs(monthly), Settings())
    assert (result["flag"] == "not_assessed").all()
    assert set(result["not_assessed_reason"]) == {"small_counts"}
    assert (result["method"] == "same_months").sum() > 0
    assert result["expected_low"].isna().all() and result["expected_high"].isna().all()


def test_a_measure_not_comparable_in_its_period_is_context_not_change():
    monthly = count_series(60 * SEASON, seed=4, indicator="school_attendance")
    monthly.loc[monthly["month"] == "2019-05-01", ["numerator", "value"]] = 1.0
    periods = period("2019-04-15", "2019-05-31", "school_attendance|suspensions")
    result = expected_values(inputs(monthly, periods), Settings()).set_index("month")
    assert result.loc["2019-05-01", "flag"] == "not_assessed"
    assert result.loc["2019-05-01", "not_assessed_reason"] == "not_comparable"
    assert pd.isna(result.loc["2019-06-01", "not_assessed_reason"])


def test_a_termly_value_is_unclean_while_any_month_it_covers_is_in_a_period():
    monthly = count_series(60 * SEASON, seed=6, indicator="suspensions")
    periods = period("2019-03-01", "2019-03-31", "suspensions")
    result = expected_values(
        inputs(monthly, periods, months_covered={"suspensions": 4}), Settings()
    ).set_index("month")
    # dated June, it covers March to June: unclean and not comparable; July covers April on
    assert not result.loc["2019-06-01", "in_model_fit"]
    assert result.loc["2019-06-01", "not_assessed_reason"] == "not_comparable"
    assert result.loc["2019-07-01", "in_model_fit"]


def test_backtest_coverage_of_a_known_rate_is_close_to_95_percent():
    monthly = pd.concat(
        [count_series(40 * SEASON, breakdown=f"g{seed}", seed=seed) for seed in range(30)]
    )
    periods = period("2020-03-23", "2020-07-04")
    result = backtest(inputs(monthly, periods), Settings())
    assert len(result) == 30
    assert (result["months_tested"] == len(MONTHS) - 24).all()
    pooled = result["months_inside"].sum() / result["months_tested"].sum()
    assert 0.92 <= pooled <= 0.985
    assert result["mean_bias_percent"].abs().mean() < 5


def test_settings_come_from_meta_strings():
    settings = Settings.from_config({"interval_level": "0.9", "min_clean_months": "24", "x": 1})
    assert settings.interval_level == 0.9 and settings.min_clean_months == 24
    assert settings.same_months_years == 3


def test_the_first_year_of_a_re_referral_series_is_neither_fitted_nor_judged():
    monthly = count_series(60 * SEASON, seed=8, indicator="re_referrals")
    monthly.loc[monthly["month"] < "2015-04-01", ["numerator", "value"]] = 2.0  # no history yet
    result = expected_values(
        inputs(monthly, history_months={"re_referrals": 12}), Settings()
    ).set_index("month")
    first_year = result.loc[:"2015-03-01"]
    assert len(first_year) == 12
    assert (first_year["not_assessed_reason"] == "history_incomplete").all()
    assert not first_year["in_model_fit"].any()
    later = result.loc["2015-04-01":]
    assert later["in_model_fit"].all() and (later["expected_low"] > 20).all()


def test_no_indicators_yet_gives_an_empty_table_with_every_column():
    empty = count_series(np.full(len(MONTHS), 40.0)).iloc[0:0]
    result = expected_values(inputs(empty), Settings())
    assert result.empty and "expected_value" in result.columns and "flag" in result.columns
    assert backtest(inputs(empty), Settings()).empty
