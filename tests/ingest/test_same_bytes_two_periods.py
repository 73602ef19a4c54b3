"""A delivery is a duplicate only when the same bytes arrive for the same return (source,
area, period and part): an addresses table that did not change between two school censuses
is each census's delivery, and each keeps its rows when the other is replaced."""

import shutil

from synthetic.writers.school_census_export import write_term
from tests.ingest.test_school_census_export import PUPILS, SOURCE, deliver, ingest

SPRING = f"{SOURCE}/938/2021/spring"
SUMMER = f"{SOURCE}/938/2021/summer"
ADDRESSES_PER_PERIOD = f"""
    select _collection_period, count(*) from raw.{SOURCE}_addresses group by all order by all
"""


def manifest(con, name: str) -> list[tuple]:
    return con.execute(
        "select file_path, status from raw.file_manifest where file_path like ? order by all",
        [f"%/{name}"],
    ).fetchall()


def test_the_same_bytes_for_the_same_period_are_a_duplicate(con, tmp_path):
    deliver(tmp_path, 2021, "spring")
    ingest(con, tmp_path)
    shutil.copy(tmp_path / SPRING / "addresses.csv", tmp_path / SPRING / "addresses_again.csv")
    outcomes = {o.file_path: o.status for o in ingest(con, tmp_path).outcomes}
    assert outcomes[f"{SPRING}/addresses_again.csv"] == "duplicate"
    assert outcomes[f"{SPRING}/addresses.csv"] == "unchanged"
    assert manifest(con, "addresses_again.csv") == [(f"{SPRING}/addresses_again.csv", "duplicate")]
    # Met again, the copy is recorded once and loads nothing.
    outcomes = {o.file_path: o.status for o in ingest(con, tmp_path).outcomes}
    assert outcomes[f"{SPRING}/addresses_again.csv"] == "duplicate"
    assert len(manifest(con, "addresses_again.csv")) == 1
    assert con.execute(ADDRESSES_PER_PERIOD).fetchall() == [("2021-01..2021-03", 2)]


def test_the_same_bytes_for_another_period_are_loaded_and_kept_apart(con, tmp_path):
    deliver(tmp_path, 2021, "spring")
    ingest(con, tmp_path)
    (tmp_path / SUMMER).mkdir(parents=True)
    shutil.copy(tmp_path / SPRING / "addresses.csv", tmp_path / SUMMER / "addresses.csv")
    outcomes = {o.file_path: o.status for o in ingest(con, tmp_path).outcomes}
    assert outcomes[f"{SUMMER}/addresses.csv"] == "loaded"
    assert outcomes[f"{SPRING}/addresses.csv"] == "unchanged"
    both = [("2021-01..2021-03", 2), ("2021-04..2021-07", 2)]
    assert con.execute(ADDRESSES_PER_PERIOD).fetchall() == both
    # Spring re-delivered with a pupil more: what is replaced is spring's delivery, not
    # summer's rows of the same bytes.
    joined = {**PUPILS[0], "upn": "A12345678903B", "postcode": "QX3 3CC"}
    write_term(tmp_path / SPRING, 2021, "spring", "938", "100001", [*PUPILS, joined])
    ingest(con, tmp_path)
    assert manifest(con, "addresses.csv") == [
        (f"{SPRING}/addresses.csv", "loaded"),
        (f"{SPRING}/addresses.csv", "superseded"),
        (f"{SUMMER}/addresses.csv", "loaded"),
    ]
    assert con.execute(ADDRESSES_PER_PERIOD).fetchall() == [both[0][:1] + (3,), both[1]]
    districts = con.execute(
        f"select _collection_period, postcode_district from raw.{SOURCE}_addresses order by all"
    ).fetchall()
    assert districts == [
        ("2021-01..2021-03", "QX1"),
        ("2021-01..2021-03", "QX2"),
        ("2021-01..2021-03", "QX3"),
        ("2021-04..2021-07", "QX1"),
        ("2021-04..2021-07", "QX2"),
    ]
