"""The SSD feeding the children in need and looked-after indicators by the registry's rule
(returns first, data/reference/sources/ssd.yaml), and the month-by-month reconciliation with
the returns.

One small clean synthetic county (no shock, no defects: the SSD and the returns record the
same children) is generated once, with its CIN census and SSDA903 returns and SSD extracts,
and built three ways from copies of its files:
- both: every return and every extract; the returns cover every month, so they feed every
  month and the SSD only reconciles;
- ssd_only: the extracts without the returns; every figure comes from the SSD;
- recent: the last year's return not yet delivered; its months come from the SSD, the
  year before from the return, and what the return left open is carried on from the SSD.
The indicators must be the same figure whichever way they are fed, but
for what the two record differently: only the returns have assessment factors and the plans
before the SSD's history (second-or-later plans count them); a return records a child's sex
and UPN as they were at its census date (an unborn child's sex unknown, a child's missing
UPN, which places a referral's child in a locality), the SSD its person as it is now. The
sex and locality breakdowns must still add up to the same referrals each month.
"""

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from synthetic import generate
from tests.warehouse import dbt_build, ingest_landing

pytestmark = pytest.mark.slow

START, END = "2019-04", "2021-03"
SCENARIO = Path(__file__).parents[2] / "synthetic" / "scenarios" / "no_shock.yaml"
# What the indicators read: the returns, the SSD and the population.
RETURNS = ("cin_census", "ssda903")
SOURCES = (*RETURNS, "ssd", "population")
FAMILIES = ("children_in_need", "looked_after")
SELECT = [
    *(f"+fct_indicator_monthly__{family}" for family in FAMILIES),
    "+rpt_ssd_returns_reconciliation",
]
MEASURES = {"cin_census": 7, "ssda903": 3}
ONLY_IN_RETURNS = ("assessment_factors", "cp_plans_second_or_later")


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ssd_feeds") / "generated"
    generate(out, seed=23, children=4000, start=START, end=END, scenario=SCENARIO)
    return out


def build(root: Path, generated: Path, left_out=None, without=()) -> duckdb.DuckDBPyConnection:
    landing = root / "landing"
    for source in SOURCES:
        if (generated / source).is_dir() and source not in without:
            shutil.copytree(generated / source, landing / source, ignore=left_out)
    ingest_landing(root)
    dbt_build(root, SELECT)
    return duckdb.connect(str(root / "warehouse.duckdb"), read_only=True)


@pytest.fixture(scope="module")
def both(tmp_path_factory, generated):
    con = build(tmp_path_factory.mktemp("both"), generated)
    yield con
    con.close()


@pytest.fixture(scope="module")
def ssd_only(tmp_path_factory, generated):
    con = build(tmp_path_factory.mktemp("ssd_only"), generated, without=RETURNS)
    yield con
    con.close()


@pytest.fixture(scope="module")
def recent(tmp_path_factory, generated):
    con = build(
        tmp_path_factory.mktemp("recent"),
        generated,
        # The CIN census return of 2021 and the SSDA903 return's 2021 folder.
        shutil.ignore_patterns("cin_census_*_2021.xml", "2021"),
    )
    yield con
    con.close()


def indicators(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The children in need and looked-after figures, but those only the returns record, by
    indicator, breakdown and month."""
    frame = con.execute(
        " union all ".join(
            f"""
            select indicator_id, breakdown_dimension, breakdown_value,
                strftime(month, '%Y-%m') as month, numerator, denominator,
                round(value, 9) as value
            from marts.fct_indicator_monthly__{family}
            where breakdown_dimension not in ('locality', 'sex')
            """
            for family in FAMILIES
        )
    ).df()
    frame = frame[~frame["indicator_id"].isin(ONLY_IN_RETURNS)]
    keys = ["indicator_id", "breakdown_dimension", "breakdown_value", "month"]
    return frame.sort_values(keys).set_index(keys)


def referrals_by(con: duckdb.DuckDBPyConnection, dimension: str) -> dict[str, int]:
    """Referrals a month, added up over the values of one breakdown."""
    rows = con.execute(
        """
        select strftime(month, '%Y-%m'), sum(numerator)
        from marts.fct_indicator_monthly__children_in_need
        where indicator_id = 'referrals' and breakdown_dimension = ? group by all order by 1
        """,
        [dimension],
    ).fetchall()
    return dict(rows)


def sources_of(con: duckdb.DuckDBPyConnection, model: str) -> dict[str, int]:
    rows = con.execute(
        f"select record_source, count(*) from marts.{model} group by all order by 1"
    ).fetchall()
    return dict(rows)


def test_with_both_the_returns_feed_every_month_and_the_ssd_reconciles_exactly(both):
    for model in ("fct_referrals", "fct_assessments", "fct_section47_enquiries", "fct_cp_plans"):
        counts = sources_of(both, model)
        assert set(counts) == {"cin_census"} and counts["cin_census"] > 50, (model, counts)
    for model in ("fct_cla_periods_of_care", "fct_cla_placement_moves", "fct_cla_missing_episodes"):
        counts = sources_of(both, model)
        assert set(counts) == {"ssda903"} and counts["ssda903"] > 20, (model, counts)
    report = both.execute(
        "select * from marts.rpt_ssd_returns_reconciliation order by fed_return, measure, month"
    ).df()
    fed = set(zip(report["fed_return"], report["feed"], strict=True))
    assert fed == {(fed_return, fed_return) for fed_return in RETURNS}
    for fed_return, measures in MEASURES.items():  # a row a measure, April 2019 to March 2021
        assert (report["fed_return"] == fed_return).sum() == measures * 24
    assert (report["returns_records"] == report["ssd_records"]).all()
    assert (report["matched_records"] == report["returns_records"]).all()
    assert (report[["only_in_returns", "only_in_ssd", "difference"]] == 0).all().all()
    # The report counts the months either covers; the first return also holds episodes
    # referred before them and still open.
    episodes = report[report["measure"] == "care_episodes_started"]["matched_records"].sum()
    assert episodes > 30
    referrals = report[report["measure"] == "referrals"]["returns_records"].sum()
    in_months = "select count(*) from marts.fct_referrals where referral_month >= '2019-04-01'"
    assert referrals == both.execute(in_months).fetchone()[0] > 300


def test_from_the_ssd_alone_the_figures_are_the_returns(both, ssd_only):
    expected, found = indicators(both), indicators(ssd_only)
    assert len(expected) > 1000
    pd.testing.assert_frame_equal(found, expected)
    for dimension in ("sex", "locality"):
        assert referrals_by(ssd_only, dimension) == referrals_by(both, "all")
    for model in ("fct_referrals", "fct_cla_periods_of_care", "fct_cla_missing_episodes"):
        assert set(sources_of(ssd_only, model)) == {"ssd"}, model
    report = ssd_only.execute("select * from marts.rpt_ssd_returns_reconciliation").df()
    assert set(report["feed"]) == {"ssd"} and report["returns_records"].isna().all()


def test_a_year_without_its_return_comes_from_the_ssd_and_carries_on_what_was_open(both, recent):
    pd.testing.assert_frame_equal(indicators(recent), indicators(both))
    referrals = recent.execute(
        """
        select record_source, min(referral_month), max(referral_month), count(*)
        from marts.fct_referrals where referral_month >= '2019-04-01' group by all order by 1
        """
    ).fetchall()
    assert [(r[0], str(r[1]), str(r[2])) for r in referrals] == [
        ("cin_census", "2019-04-01", "2020-03-01"),
        ("ssd", "2020-04-01", "2021-03-01"),
    ]
    # Plans the 2020 return left open and that ended in 2020-21: their end is the SSD's.
    carried = recent.execute(
        """
        select count(*) from marts.fct_cp_plans
        where record_source = 'cin_census' and ended_on >= date '2020-04-01'
        """
    ).fetchone()[0]
    assert carried > 0
    # Periods of care the 2020 return left open and that ended in 2020-21: the SSD's end.
    care_carried = recent.execute(
        """
        select count(*) from marts.fct_cla_periods_of_care
        where record_source = 'ssda903' and ended_on >= date '2020-04-01'
        """
    ).fetchone()[0]
    assert care_carried > 0
    feeds = recent.execute(
        """
        select fed_return, feed, count(*) from intermediate.int_coverage__feeds
        group by all order by 1, 2
        """
    ).fetchall()
    assert feeds == sorted((r, f, 12) for r in RETURNS for f in (r, "ssd"))
