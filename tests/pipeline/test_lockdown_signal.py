"""The generated lockdown shows in the comparison with the baseline as leaders would read it:
referrals from schools flagged far below baseline in April and May 2020, police referrals
and domestic abuse not below it."""

import pytest

from tests.warehouse import synthetic_warehouse

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def comparison(tmp_path_factory):
    con = synthetic_warehouse(
        tmp_path_factory.mktemp("lockdown"),
        seed=11,
        children=25_000,
        start="2016-04",
        end="2021-03",
    )
    yield con
    con.close()


def flags(con, indicator_id, dimension, value):
    return dict(
        con.execute(
            "select strftime(month, '%Y-%m'), flag from marts.rpt_indicator_vs_baseline"
            " where indicator_id = ? and breakdown_dimension = ? and breakdown_value = ?"
            " and month in (date '2020-04-01', date '2020-05-01')",
            [indicator_id, dimension, value],
        ).fetchall()
    )


def test_school_referrals_are_flagged_far_below_baseline(comparison):
    assert flags(comparison, "referrals", "source_group", "schools") == {
        "2020-04": "below",
        "2020-05": "below",
    }
    (change,) = comparison.execute(
        "select percent_change from marts.rpt_period_summary where period_id = 'lockdown_1'"
        " and indicator_id = 'referrals' and breakdown_value = 'schools'"
    ).fetchone()
    assert change < -60


def test_police_referrals_are_not_below_baseline(comparison):
    assert "below" not in flags(comparison, "referrals", "source_group", "police").values()


def test_attendance_while_schools_were_closed_is_context_not_a_change(comparison):
    rows = comparison.execute(
        "select distinct flag, not_assessed_reason from marts.rpt_indicator_vs_baseline"
        " where indicator_id = 'school_attendance_rate'"
        " and period_id in ('lockdown_1', 'lockdown_3')"
    ).fetchall()
    assert rows == [("not_assessed", "not_comparable")]


def test_the_model_expects_school_referrals_near_their_pre_pandemic_level(comparison):
    (expected, low, high, method, same_months) = comparison.execute(
        "select expected_value, expected_low, expected_high, method, baseline_mean"
        " from marts.rpt_indicator_vs_baseline where indicator_id = 'referrals'"
        " and breakdown_dimension = 'source_group' and breakdown_value = 'schools'"
        " and month = date '2020-04-01'"
    ).fetchone()
    assert method == "model"
    assert low < expected < high and expected == pytest.approx(same_months, rel=0.25)
