"""The engine's limit: the dbt project's compiled SQL executed straight on DuckDB, without
dbt or Dagster, on a copy of the warehouse holding only what dbt reads (raw and the seeds).

The Python models (the expected-value fits, the benchmarks) are not SQL: their tables are
kept as dbt built them, so the limit is the SQL's time alone and what reads them still runs.
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
from measuring import BIN, ROOT, Measure, measured

DBT_ARGS = ["--project-dir", "dbt_project", "--profiles-dir", "dbt_project"]
KEPT_SCHEMA = "_engine_kept"  # the Python models' tables, while the model schemas are rebuilt


def engine_limit(work: Path, env: dict[str, str]) -> Measure:
    """The dbt project's compiled SQL (models, then tests) executed straight on DuckDB, on a
    copy of the warehouse holding only what dbt reads (raw and the seeds)."""
    target = work / "engine_target"
    subprocess.run(
        [
            str(BIN / "dbt"),
            "compile",
            *DBT_ARGS,
            "--target-path",
            str(target),
            "--quiet",
            "--log-path",
            str(work / "engine_logs"),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    manifest = json.loads((target / "manifest.json").read_text())
    # The compiled SQL names the catalog after the file: the copy keeps the name.
    copy = work / "engine" / "warehouse.duckdb"
    copy.parent.mkdir()
    shutil.copy(work / "warehouse.duckdb", copy)
    with duckdb.connect(str(copy)) as con:
        models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]
        kept = [_relation(n) for n in models if n.get("language") == "python"]
        con.execute(f"create schema {KEPT_SCHEMA}")
        for index, relation in enumerate(kept):
            con.execute(f"create table {KEPT_SCHEMA}.t{index} as select * from {relation}")
        for schema in {node["schema"] for node in models}:
            con.execute(f'drop schema if exists "{schema}" cascade')
            con.execute(f'create schema "{schema}"')
        for index, relation in enumerate(kept):
            con.execute(f"create table {relation} as select * from {KEPT_SCHEMA}.t{index}")
        con.execute(f"drop schema {KEPT_SCHEMA} cascade")
    statements = _statements_in_build_order(manifest)
    script = work / "engine_script.py"
    script.write_text(
        "import duckdb, json, sys\n"
        "con = duckdb.connect(sys.argv[1])\n"
        "for sql in json.load(open(sys.argv[2])):\n"
        "    con.execute(sql).fetchall()\n"
    )
    statements_file = work / "engine_statements.json"
    statements_file.write_text(json.dumps(statements))
    return measured(
        "engine_limit_sql", [sys.executable, str(script), str(copy), str(statements_file)], env
    )


def _statements_in_build_order(manifest: dict) -> list[str]:
    nodes = {
        uid: node
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] in ("model", "test")
        and node.get("compiled_code")
        and node.get("language", "sql") == "sql"
    }
    done: set[str] = set()
    ordered: list[str] = []

    def visit(uid: str) -> None:
        if uid in done or uid not in nodes:
            return
        done.add(uid)
        for parent in nodes[uid]["depends_on"]["nodes"]:
            visit(parent)
        ordered.append(uid)

    for uid in nodes:
        visit(uid)
    statements = []
    for uid in ordered:
        node = nodes[uid]
        if node["resource_type"] == "test":
            statements.append(f"select count(*) from ({node['compiled_code']})")
            continue
        kind = "view" if node["config"]["materialized"] == "view" else "table"
        statements.append(
            f"create or replace {kind} {_relation(node)} as ({node['compiled_code']})"
        )
    return statements


def _relation(node: dict) -> str:
    return f'"{node["schema"]}"."{node["alias"]}"'
