"""dbt build on two hand-made CIN census returns whose every count is known."""

from datetime import date

import duckdb
import pytest

from tests.cin_builder import Child, Episode, write_return
from tests.warehouse import dbt_build, ingest_landing

OPEN_ACROSS_YEARS = Episode("2019-06-02", source="2A")


def two_returns(landing):
    write_return(
        landing,
        2020,
        [
            Child("LA1", episodes=[OPEN_ACROSS_YEARS]),
            Child("LA4", episodes=[Episode("2019-11-01", source=None)]),
            Child(
                "LA5",
                episodes=[Episode("2019-06-20", source="3A"), Episode("2020-01-05", source="1A")],
            ),
        ],
    )
    closed = Episode("2019-06-02", source="2A", closure_date="2020-05-10", closure_reason="RC8")
    write_return(
        landing,
        2021,
        [
            Child("LA1", episodes=[closed]),
            Child("LA2", ethnicity="APKN", episodes=[Episode("2020-04-15", source="6")]),
            Child("LA3", ethnicity="NOBT", episodes=[Episode("2020-04-20", source="ZZ")]),
        ],
    )


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("dbt")
    two_returns(root / "landing")
    ingest_landing(root)
    dbt_build(root)
    con = duckdb.connect(str(root / "warehouse.duckdb"), read_only=True)
    yield con
    con.close()


def fetch(con, sql):
    return con.execute(sql).fetchall()


def test_a_referral_open_across_two_returns_counts_once_with_its_latest_state(warehouse):
    assert fetch(warehouse, "select count(*) from marts.fct_referrals") == [(6,)]
    assert fetch(
        warehouse,
        "select returns_count, collection_year, closure_date, reason_for_closure_code"
        " from marts.fct_referrals where referral_date = date '2019-06-02'",
    ) == [(2, 2021, date(2020, 5, 10), "RC8")]


def test_sources_are_decoded_and_problems_kept_visible(warehouse):
    assert fetch(
        warehouse,
        "select source_group, count(*) from marts.fct_referrals group by 1 order by 1",
    ) == [
        ("health", 1),
        ("individual", 1),
        ("invalid_code", 1),
        ("not_recorded", 1),
        ("police", 1),
        ("schools", 1),
    ]


def test_monthly_referrals_cover_both_years_with_real_zeros(warehouse):
    monthly = dict(
        fetch(
            warehouse,
            "select strftime(month, '%Y-%m'), value from marts.fct_indicator_monthly"
            " where indicator_id = 'referrals' and breakdown_dimension = 'all'",
        )
    )
    assert len(monthly) == 24
    assert min(monthly) == "2019-04" and max(monthly) == "2021-03"
    assert {m: v for m, v in monthly.items() if v} == {
        "2019-06": 2.0,
        "2019-11": 1.0,
        "2020-01": 1.0,
        "2020-04": 2.0,
    }


def test_ethnicity_is_decoded_to_its_major_group_and_locality_needs_another_partner(warehouse):
    assert fetch(
        warehouse,
        "select ethnicity_major_group, locality, count(*) from marts.fct_referrals"
        " group by 1, 2 order by 1",
    ) == [("Asian", "not_known", 1), ("Not known", "not_known", 1), ("White", "not_known", 4)]


def test_every_breakdown_of_a_count_adds_up_to_the_total(warehouse):
    mismatches = fetch(
        warehouse,
        """
        with referrals as (
            select * from marts.fct_indicator_monthly where indicator_id = 'referrals'
        ),
        totals as (select month, value from referrals where breakdown_dimension = 'all')
        select parts.month, parts.breakdown_dimension
        from referrals as parts
        inner join totals on parts.month = totals.month
        where parts.breakdown_dimension <> 'all'
        group by parts.month, parts.breakdown_dimension, totals.value
        having sum(parts.value) <> totals.value
        """,
    )
    assert mismatches == []
    assert fetch(
        warehouse,
        "select breakdown_dimension, count(distinct month) from marts.fct_indicator_monthly"
        " where indicator_id = 'referrals' group by 1 order by 1",
    ) == [
        ("age_band", 24),
        ("all", 24),
        ("ethnicity_major_group", 24),
        ("locality", 24),
        ("primary_need_code", 24),
        ("sex", 24),
        ("source_group", 24),
    ]
    assert fetch(
        warehouse,
        "select value from marts.fct_indicator_monthly where month = date '2020-04-01'"
        " and indicator_id = 'referrals' and breakdown_value = 'police'",
    ) == [(1.0,)]


def test_re_referrals_and_shares_are_computed_per_month(warehouse):
    # LA5 was referred on 2019-06-20 and again on 2020-01-05: a re-referral within 12 months.
    assert fetch(
        warehouse,
        "select strftime(month, '%Y-%m'), numerator, denominator, value"
        " from marts.fct_indicator_monthly where indicator_id = 're_referrals_within_12_months'"
        " and breakdown_dimension = 'all' and denominator > 0 order by month",
    ) == [
        ("2019-06", 0.0, 2.0, 0.0),
        ("2019-11", 0.0, 1.0, 0.0),
        ("2020-01", 1.0, 1.0, 100.0),
        ("2020-04", 0.0, 2.0, 0.0),
    ]


def test_months_carry_their_period_of_interest(warehouse):
    assert fetch(
        warehouse,
        "select strftime(month, '%Y-%m'), period_id from marts.dim_month"
        " where period_id is not null order by month",
    ) == [
        ("2020-04", "lockdown_1"),
        ("2020-05", "lockdown_1"),
        ("2020-06", "lockdown_1"),
        ("2020-07", "recovery_1"),
        ("2020-08", "recovery_1"),
        ("2020-09", "recovery_1"),
        ("2020-10", "recovery_1"),
        ("2020-11", "lockdown_2"),
        ("2020-12", "recovery_2"),
        ("2021-01", "lockdown_3"),
        ("2021-02", "lockdown_3"),
        ("2021-03", "recovery_3"),
    ]
