"""DoLo tables of two returns, ingested and built by dbt: one row per order (the later
return's end date wins), and the orders open, started and ended per month of the years
that delivered a DoLo table."""

import duckdb
import pytest

from tests.warehouse import dbt_build, ingest_landing

pytestmark = pytest.mark.slow

HEADER = "CHILD,DOB,DOLO_START,DOLO_END"
RETURNS = {
    "2027": [
        "C1,14/02/2011,03/05/2026,20/11/2026",
        "C2,30/09/2009,15/01/2027,",  # open at 31 March 2027: ends in the next return
        "C3,01/07/2010,01/10/2026,01/08/2026",  # ends before it starts (rule 702)
    ],
    "2028": ["C2,30/09/2009,15/01/2027,10/06/2027", "C4,01/07/2010,2027-05-20,"],
}
MODELS = [
    "stg_ssda903__deprivation_of_liberty_orders",
    "int_looked_after__deprivation_of_liberty_monthly",
]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("dolo_dbt")
    for year, rows in RETURNS.items():
        folder = root / "landing" / "ssda903" / "938" / year
        folder.mkdir(parents=True)
        (folder / "dolo.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    path = ingest_landing(root)
    dbt_build(root, select=[f"+{model}" for model in MODELS])
    with duckdb.connect(str(path), read_only=True) as con:
        yield con


def test_one_row_per_order_with_the_latest_return_s_end(warehouse):
    rows = warehouse.execute(
        "select collection_year, returns_count, cast(order_start_date as varchar),"
        " cast(order_end_date as varchar), is_open_in_latest_return, is_end_before_start,"
        " birth_month, source_line"
        " from staging.stg_ssda903__deprivation_of_liberty_orders order by order_start_date"
    ).fetchall()
    assert [row[:6] for row in rows] == [
        (2027, 1, "2026-05-03", "2026-11-20", False, False),
        (2027, 1, "2026-10-01", "2026-08-01", False, True),
        (2028, 2, "2027-01-15", "2027-06-10", False, False),
        (2028, 1, "2027-05-20", None, True, False),
    ]
    assert [str(row[6]) for row in rows] == ["2011-02-01", "2010-07-01", "2009-09-01", "2010-07-01"]
    pseudonyms = warehouse.execute(
        "select la_child_id_pseudonym from staging.stg_ssda903__deprivation_of_liberty_orders"
    ).fetchall()
    assert not {p for (p,) in pseudonyms} & {"C1", "C2", "C3", "C4"}


def test_orders_open_started_and_ended_per_month_of_the_delivered_years(warehouse):
    months = warehouse.execute(
        "select strftime(month, '%Y-%m'), orders_open, children_with_an_open_order,"
        " orders_started, orders_ended"
        " from intermediate.int_looked_after__deprivation_of_liberty_monthly order by month"
    ).fetchall()
    by_month = {month: counts for month, *counts in months}
    assert len(by_month) == 24 and min(by_month) == "2026-04" and max(by_month) == "2028-03"
    assert by_month["2026-04"] == [0, 0, 0, 0]
    assert by_month["2026-05"] == [1, 1, 1, 0]
    assert by_month["2026-11"] == [1, 1, 0, 1]
    assert by_month["2026-12"] == [0, 0, 0, 0]
    assert by_month["2027-01"] == [1, 1, 1, 0]
    assert by_month["2027-05"] == [2, 2, 1, 0]
    assert by_month["2027-06"] == [2, 2, 0, 1]
    assert by_month["2028-03"] == [1, 1, 0, 0]
    # Rule 702's order (October to August) counts nowhere.
    assert by_month["2026-10"] == [1, 1, 0, 0]
