"""docs/analyst_guide.md's worked queries, parsed out of the guide and run against a freshly
built analyst copy: each runs and returns rows, so the guide cannot drift from the copy."""

import re
from pathlib import Path

import duckdb
import pytest

from orchestration.outputs.analyst_copy import ANALYST_COPY_NAME

pytestmark = pytest.mark.slow

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "analyst_guide.md"


def worked_queries() -> list[str]:
    return re.findall(r"```sql\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)


def test_the_guide_has_five_worked_queries():
    assert len(worked_queries()) == 5


@pytest.mark.parametrize("number", range(5))
def test_each_worked_query_runs_on_the_copy_and_returns_rows(built, number):
    query = worked_queries()[number]
    with duckdb.connect(str(built / "outputs" / ANALYST_COPY_NAME), read_only=True) as con:
        rows = con.execute(query).fetchall()
    assert len(rows) > 0, query
