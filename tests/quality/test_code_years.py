"""The quality layer judges an SSDA903 return against its own year's codes, as ingestion
does: placement H5, retired in 2025, is valid in a 2024 return and invalid in a 2025 one."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from synthetic import generate
from tests.warehouse import dbt_build, ingest_landing

pytestmark = pytest.mark.slow
RETIRED = "H5"


def set_placements(episodes: Path, every: int) -> int:
    """PLACE = H5 on every `every`-th row of an episodes file; rows changed."""
    with episodes.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("PLACE")
    changed = 0
    for number, row in enumerate(rows[1:]):
        if number % every == 0 and row[column] != RETIRED:
            row[column] = RETIRED
            changed += 1
    with episodes.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return changed


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("code_years")
    generate(root / "landing", seed=5, children=1500, start="2023-04", end="2025-06")
    changed = {
        year: set_placements(
            next((root / "landing" / "ssda903" / str(year)).glob("*_Episodes.csv")), every=2
        )
        for year in (2024, 2025)
    }
    warehouse = ingest_landing(root)
    dbt_build(root, select=["+dq_field_month"])
    con = duckdb.connect(str(warehouse), read_only=True)
    yield con, changed
    con.close()


def test_a_retired_code_is_invalid_only_in_the_years_after_it(built) -> None:
    con, changed = built
    assert changed[2024] >= 5 and changed[2025] >= 5
    h5 = dict(con.execute(
        "select _collection_period, count(*) from raw.ssda903_episodes where place = ?"
        " group by 1", [RETIRED],
    ).fetchall())  # fmt: skip
    assert h5.get("2025", 0) >= changed[2025]
    (failing,) = con.execute(
        "select sum(rows_failing) from quality.dq_field_month"
        " where table_name = 'episodes' and field = 'PLACE' and check_name = 'validity'"
    ).fetchone()
    # Every H5 of the 2025 return fails; none of the 2024 return's does.
    assert failing == h5["2025"]
