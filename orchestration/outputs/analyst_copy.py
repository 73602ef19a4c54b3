"""analyst_marts.duckdb: the published read-only copy of the marts for analysts. Built beside the
target and swapped in with one rename, so an analyst's open connection keeps reading the
previous copy while a run writes the working warehouse, and a new connection opens the new
one; never half of either."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import duckdb

# Not 'marts.duckdb': DuckDB names the catalog after the file, and a catalog called 'marts'
# would make every `marts.<table>` query ambiguous.
ANALYST_COPY_NAME = "analyst_marts.duckdb"
# The marts, the code lists and catalogue they are read with, and the data-quality results.
PUBLISHED_SCHEMAS = ("marts", "reference", "quality")


def publish_marts(warehouse: Path, target: Path, built_at: datetime) -> dict[str, int]:
    """Copy every table and view of PUBLISHED_SCHEMAS from the warehouse into target, with
    `about.build` saying when and from what; returns rows per copied table."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    for leftover in (partial, partial.with_name(partial.name + ".wal")):
        leftover.unlink(missing_ok=True)
    copied: dict[str, int] = {}
    with duckdb.connect(str(partial)) as con:
        quoted = str(warehouse).replace("'", "''")
        con.execute(f"attach '{quoted}' as working (read_only)")
        relations = con.execute(
            "select table_schema, table_name from information_schema.tables"
            " where table_catalog = 'working' and table_schema in"
            f" ({', '.join('?' for _ in PUBLISHED_SCHEMAS)}) order by 1, 2",
            list(PUBLISHED_SCHEMAS),
        ).fetchall()
        for schema, name in relations:
            con.execute(f'create schema if not exists "{schema}"')
            con.execute(
                f'create table "{schema}"."{name}" as select * from working."{schema}"."{name}"'
            )
            copied[f"{schema}.{name}"] = con.execute(
                f'select count(*) from "{schema}"."{name}"'
            ).fetchone()[0]
        first_month, last_month = con.execute(
            "select min(month), max(month) from marts.dim_month"
        ).fetchone()
        con.execute("detach working")
        con.execute("create schema about")
        con.execute(
            "create table about.build as select ? as built_at, ? as first_month,"
            " ? as last_month, ? as tables",
            [built_at, first_month, last_month, len(copied)],
        )
    os.replace(partial, target)
    return copied
