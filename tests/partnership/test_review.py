"""The review's verdicts on series built with a known effect: a watched indicator's months
since the action started against the model's interval (or, without a model, a range made from
the months before the start), with the reason a board member reads."""

from datetime import UTC, date, datetime

import pandas as pd
import pytest

from orchestration.partnership.marts import build_marts
from tests.partnership.raw_returns import register, write_returns

MONTHS = pd.date_range("2019-07-01", "2021-06-01", freq="MS")
TODAY = date(2021, 7, 15)


def series(
    after: float,
    start: str = "2021-01",
    before: float | list[float] = 100.0,
    method: str = "model",
    dimension: str = "all",
    value: str = "all",
    area: str = "938",
) -> pd.DataFrame:
    """Referrals over MONTHS: `before` (one value, or one per month cycled) up to the start,
    `after` from it on; the model expects 100, 90 to 110, where the method is a model."""
    cycle = before if isinstance(before, list) else [before]
    values = [
        after if month >= pd.Timestamp(start) else cycle[i % len(cycle)]
        for i, month in enumerate(MONTHS)
    ]
    modelled = method == "model"
    return pd.DataFrame({
        "area_code": area, "month": MONTHS, "indicator_id": "referrals",
        "breakdown_dimension": dimension, "breakdown_value": value, "value": values,
        "method": method, "expected_value": 100.0 if modelled else None,
        "expected_low": 90.0 if modelled else None, "expected_high": 110.0 if modelled else None,
    })  # fmt: skip


def reviewed(con, *frames: pd.DataFrame, start=date(2021, 1, 11), direction="down",
             dimension=None, value=None) -> pd.Series:  # fmt: skip
    """The review of one action watching referrals (or a breakdown), started on `start`."""
    con.execute("create schema if not exists marts")
    con.register("vs_baseline", pd.concat(frames, ignore_index=True))
    con.execute("create table marts.rpt_indicator_vs_baseline as select * from vs_baseline")
    con.unregister("vs_baseline")
    write_returns(con, {
        "actions": [{
            "action_id": "A1", "priority": "Referrals from schools", "action": "Weekly calls",
            "question_id": "QA", "lead_partner": "education", "start_date": start,
            "review_date": date(2021, 9, 1),
        }],
        "watched_indicators": [{
            "action_id": "A1", "indicator_id": "referrals", "breakdown_dimension": dimension,
            "breakdown_value": value, "expected_direction": direction,
        }],
    })  # fmt: skip
    run_at = datetime(2021, 7, 15, tzinfo=UTC)
    build_marts(con, register({"question_id": "QA"}), "r1", run_at, TODAY)
    review = con.execute("select * from marts.rpt_action_review").df()
    assert len(review) == 1
    return review.iloc[0]


def test_a_fall_of_a_fifth_after_the_start_is_moving_as_hoped(con):
    row = reviewed(con, series(after=80), series(after=130, area="999"))
    assert row["verdict"] == "moving as hoped"
    assert (row["months_compared"], row["months_better"], row["months_worse"]) == (6, 6, 0)
    assert row["mean_change_from_expected_percent"] == pytest.approx(-20)
    assert (row["range_source"], row["area_code"]) == ("model", "938")
    assert row["start_month"] == pd.Timestamp("2021-01-01")
    assert row["latest_month"] == pd.Timestamp("2021-06-01")
    assert row["months_since_start"] == 6
    assert row["reason"] == (
        "6 of the 6 months since the action started were below the expected range; referrals"
        " to children's social care averaged 20% under what was expected."
    )


def test_a_rise_of_a_fifth_on_an_action_hoping_for_a_fall_is_moving_the_wrong_way(con):
    row = reviewed(con, series(after=120))
    assert row["verdict"] == "moving the wrong way"
    assert (row["months_better"], row["months_worse"]) == (0, 6)
    assert row["reason"].startswith("6 of the 6 months since the action started were above")
    assert row["reason"].endswith("averaged 20% over what was expected.")


def test_a_rise_on_an_action_hoping_for_one_is_moving_as_hoped(con):
    assert reviewed(con, series(after=120), direction="up")["verdict"] == "moving as hoped"


def test_values_inside_the_range_are_no_change_yet(con):
    row = reviewed(con, series(after=104))
    assert row["verdict"] == "no change yet"
    assert (row["months_compared"], row["months_better"], row["months_worse"]) == (6, 0, 0)
    assert row["reason"] == (
        "None of the 6 months since the action started were outside the expected range;"
        " referrals to children's social care averaged 4% over what was expected."
    )


def test_a_single_month_outside_among_six_is_no_change_yet(con):
    mixed = series(after=100)
    mixed.loc[mixed["month"] == "2021-03-01", "value"] = 70.0
    row = reviewed(con, mixed)
    assert (row["verdict"], row["months_better"], row["months_worse"]) == ("no change yet", 1, 0)
    assert row["reason"] == (
        "Of the 6 months since the action started, 1 was below the expected range and 0 above"
        " it; referrals to children's social care averaged 5% under what was expected."
    )


def test_two_months_of_data_since_the_start_is_too_early(con):
    row = reviewed(con, series(after=70, start="2021-05"), start=date(2021, 5, 3))
    assert row["verdict"] == "too early"
    assert (row["months_compared"], row["months_better"]) == (2, 2)
    assert row["reason"] == (
        "Only 2 months of data since the action started in May 2021; a verdict needs at least 3."
    )


def test_an_action_started_after_the_latest_month_is_too_early(con):
    row = reviewed(con, series(after=70), start=date(2021, 7, 1))
    assert (row["verdict"], row["months_compared"]) == ("too early", 0)
    assert row["reason"].startswith("No month of data since the action started in Jul 2021")


def test_a_breakdown_is_read_on_its_own_series(con):
    total = series(after=100)
    schools = series(after=80, dimension="source_group", value="schools")
    row = reviewed(con, total, schools, dimension="source_group", value="schools")
    assert (row["breakdown_dimension"], row["breakdown_value"]) == ("source_group", "schools")
    assert row["verdict"] == "moving as hoped"
    assert row["reason"].endswith(
        "referrals to children's social care (source group: schools) averaged 20% under what"
        " was expected."
    )


def test_a_blank_breakdown_watches_the_whole_population(con):
    schools = series(after=80, dimension="source_group", value="schools")
    row = reviewed(con, series(after=100), schools)
    assert (row["breakdown_dimension"], row["verdict"]) == ("all", "no change yet")


def test_without_a_model_the_range_comes_from_the_months_before_the_start(con):
    # Before the start: 98 and 102 in turn (mean 100, sd 2.09): a range of about 95.8 to 104.2.
    row = reviewed(con, series(after=94, before=[98, 102], method="same_months"))
    assert row["range_source"] == "months_before_start"
    assert row["verdict"] == "moving as hoped"
    assert row["mean_change_from_expected_percent"] == pytest.approx(-6)
    # The same values inside that narrower range read as no change.
    con.execute("drop table marts.rpt_indicator_vs_baseline")
    con.execute("drop schema raw cascade")
    same = reviewed(con, series(after=103, before=[98, 102], method="same_months"))
    assert (same["range_source"], same["verdict"]) == ("months_before_start", "no change yet")


def test_without_a_model_or_enough_months_before_the_start_there_is_no_range(con):
    short = series(after=80, method="none").iloc[-9:]  # three months before the start
    row = reviewed(con, short)
    assert (row["range_source"], row["verdict"], row["months_compared"]) == (
        "none", "too early", 0
    )  # fmt: skip
    assert row["reason"] == (
        "No expected range to read referrals to children's social care against: the series has"
        " no model interval and fewer than 6 months of data before the action started in Jan"
        " 2021."
    )
