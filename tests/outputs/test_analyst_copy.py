"""An analyst queries the published copy of the marts while a run rebuilds the warehouse and
republishes the copy: every query answers, the open connection keeps its copy, a new one
sees the new build."""

import json
import shutil
import subprocess
import sys
import time

import dagster as dg
import duckdb
import pytest

from orchestration.outputs.analyst_copy import ANALYST_COPY_NAME
from orchestration.outputs.assets import analyst_marts
from orchestration.resources import build_resources
from orchestration.transform.assets import csc_dbt_models

pytestmark = pytest.mark.slow

ANALYST = """
import json, sys, time, pathlib, duckdb
copy, stop, ready = sys.argv[1:4]
con = duckdb.connect(copy, read_only=True)
(first_build,) = con.execute("select built_at from about.build").fetchone()
pathlib.Path(ready).touch()
answers, errors = [], []
while not pathlib.Path(stop).exists():
    try:
        answers.append(con.execute(
            "select count(*) from marts.fct_indicator_monthly m"
            " join marts.dim_month d using (month)").fetchone()[0])
    except Exception as error:
        errors.append(str(error))
    time.sleep(0.05)
(still_first,) = con.execute("select built_at from about.build").fetchone()
con.close()  # DuckDB shares one instance per file within a process: reopen after closing
with duckdb.connect(copy, read_only=True) as fresh:
    (new_build,) = fresh.execute("select built_at from about.build").fetchone()
print(json.dumps({"first": str(first_build), "still": str(still_first), "new": str(new_build),
                  "answers": answers, "errors": errors}))
"""


def test_the_copy_answers_an_analyst_while_a_run_writes_the_warehouse(built, tmp_path):
    root = tmp_path / "run"
    (root / "outputs").mkdir(parents=True)
    # Its own warehouse: the session's other tests hold a read-only connection to theirs.
    shutil.copy(built / "warehouse.duckdb", root / "warehouse.duckdb")
    copy = root / "outputs" / ANALYST_COPY_NAME
    shutil.copy(built / "outputs" / ANALYST_COPY_NAME, copy)
    with duckdb.connect(str(copy), read_only=True) as con:
        (rows,) = con.execute("select count(*) from marts.fct_indicator_monthly").fetchone()
        assert con.execute("select count(*) from reference.indicators").fetchone()[0] >= 39

    stop, ready = tmp_path / "stop", tmp_path / "ready"
    analyst = subprocess.Popen(
        [sys.executable, "-c", ANALYST, str(copy), str(stop), str(ready)],
        stdout=subprocess.PIPE,
        text=True,
    )
    while not ready.exists():
        assert analyst.poll() is None, "the analyst could not open the copy"
        time.sleep(0.05)
    result = dg.materialize(
        [csc_dbt_models, analyst_marts],
        selection=[dg.AssetKey(["marts", "dim_month"]), dg.AssetKey(["outputs", "analyst_marts"])],
        resources=build_resources(root),
    )
    stop.touch()
    report = json.loads(analyst.communicate(timeout=60)[0])

    assert result.success
    assert report["errors"] == []
    assert len(report["answers"]) > 20  # queried all through the run
    assert set(report["answers"]) == {rows}
    assert report["still"] == report["first"]  # the open connection kept its copy
    assert report["new"] > report["first"]  # a new connection opens the new one
    assert not copy.with_name(copy.name + ".partial").exists()
