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
from orchestration.transform.assets import csc_dbt_models, manifest

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


@pytest.fixture(scope="module")
def copy(built):
    with duckdb.connect(str(built / "outputs" / ANALYST_COPY_NAME), read_only=True) as con:
        yield con


def dbt_node(name):
    (node,) = [n for n in manifest()["nodes"].values() if n["name"] == name]
    return node


@pytest.mark.parametrize(
    ("schema", "model"),
    [("marts", "fct_referrals"), ("marts", "rpt_indicator_vs_baseline"),
     ("reference", "indicators"), ("quality", "dq_summary")],
)  # fmt: skip
def test_the_copy_carries_the_dbt_docs_of_tables_and_columns(copy, schema, model):
    node = dbt_node(model)
    (table_comment,) = copy.execute(
        "select comment from duckdb_tables() where schema_name = ? and table_name = ?",
        [schema, model],
    ).fetchone()
    assert table_comment == node["description"].strip() != ""
    comments = dict(
        copy.execute(
            "select column_name, comment from duckdb_columns()"
            " where schema_name = ? and table_name = ?",
            [schema, model],
        ).fetchall()
    )
    described = {
        c: d["description"].strip() for c, d in node["columns"].items() if d["description"]
    }
    assert described
    for column, text in described.items():
        name = "month" if column == "referral_month" else column
        assert comments[name].startswith(text), (model, column)
    if model == "fct_referrals":
        assert "referral_month" not in comments and "`referral_month`" in comments["month"]


def test_the_copy_is_documented_almost_everywhere(copy):
    tables, commented = copy.execute(
        "select count(*), count(comment) from duckdb_tables()"
        " where schema_name in ('marts', 'quality', 'about')"
    ).fetchone()
    assert commented == tables > 30
    columns, commented = copy.execute(
        "select count(*), count(comment) from duckdb_columns()"
        " where schema_name in ('marts', 'quality', 'about')"
    ).fetchone()
    assert commented == columns > 400


def column_types(con) -> dict[str, dict[str, str]]:
    tables: dict[str, dict[str, str]] = {}
    for table, column, data_type in con.execute(
        "select schema_name || '.' || table_name, column_name, data_type from duckdb_columns()"
        " where schema_name in ('marts', 'reference', 'quality')"
    ).fetchall():
        tables.setdefault(table, {})[column] = data_type
    return tables


def test_every_table_with_a_month_calls_it_month(copy, warehouse):
    """A table whose rows have an event month in the warehouse (referral_month,
    started_month...) has it as `month` in the copy, a date, described."""
    working, copied = column_types(warehouse), column_types(copy)
    assert set(copied) == set(working)
    event_months = {
        table
        for table, types in working.items()
        if any(
            c.endswith("_month") and c not in ("birth_month", "baseline_first_month")
            for c, t in types.items()
            if t in ("DATE", "TIMESTAMP")
        )
        or "month" in types
    }
    assert {"marts.fct_referrals", "marts.fct_cp_plans", "marts.fct_ae_attendances"} <= (
        event_months
    )
    assert [t for t in event_months if copied[t].get("month") != "DATE"] == []
    assert "referral_month" not in copied["marts.fct_referrals"]
    assert "ended_month" in copied["marts.fct_cp_plans"]  # a second month keeps its name
    (referral_month,) = copy.execute(
        "select count(*) from marts.fct_referrals"
        " where month is distinct from date_trunc('month', referral_date)"
    ).fetchone()
    assert referral_month == 0
    (fact_month,) = copy.execute(
        "select count(*) from marts.fct_school_attendance where month is distinct from"
        " date_trunc('month', term_end_date)"
    ).fetchone()
    assert fact_month == 0


def test_the_copy_says_what_it_is_restricted_and_not_for_publication(copy):
    (classification,) = copy.execute("select classification from about.build").fetchone()
    assert "Restricted" in classification and "Not for publication" in classification
    listed = copy.execute("select schema_name, table_name, record_level from about.tables").df()
    assert len(listed) == copy.execute("select tables from about.build").fetchone()[0]
    record_level = set(listed.loc[listed["record_level"], "table_name"])
    assert {"fct_referrals", "dim_child"} <= record_level
    assert "fct_indicator_monthly" not in record_level
