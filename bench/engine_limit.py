"""The engine's limit: the dbt project's compiled SQL executed straight on DuckDB, without
dbt or Dagster, on a copy of the warehouse holding only what dbt reads (raw and the seeds).
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
from measuring import BIN, ROOT, Measure, measured

DBT_ARGS = ["--project-dir", "dbt_project", "--profiles-dir", "dbt_project"]


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
        schemas = {
            node["schema"]
            for node in manifest["nodes"].values()
            if node["resource_type"] == "model"
        }
        for schema in schemas:
            con.execute(f'drop schema if exists "{schema}" cascade')
            con.execute(f'create schema "{schema}"')
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
        if node["resource_type"] in ("model", "test") and node.get("compiled_code")
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
        relation = f'"{node["schema"]}"."{node["alias"]}"'
        statements.append(f"create or replace {kind} {relation} as ({node['compiled_code']})")
    return statements
