"""Print a content digest of every table in a warehouse's built schemas, so two builds of the
same input can be shown to be the same byte for byte (issues 17 and 18: a refactor may not
change a mart). Rows are hashed as text and the hashes sorted, so row order does not matter
but every value, column name and type does.

    python bench/warehouse_digest.py data/warehouse.duckdb > before.txt
    python bench/warehouse_digest.py data/warehouse.duckdb --schemas marts > after.txt
    diff before.txt after.txt
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

import duckdb

DEFAULT_SCHEMAS = ("staging", "intermediate", "marts", "quality")


def table_digests(warehouse: Path, schemas: tuple[str, ...]) -> list[tuple[str, int, str]]:
    """(schema.table, rows, digest) for every table and view in the schemas, sorted by name."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        names = con.execute(
            "select table_schema, table_name from information_schema.tables"
            " where table_schema in (select unnest(?)) order by 1, 2",
            [list(schemas)],
        ).fetchall()
        return [_digest(con, schema, table) for schema, table in names]
    finally:
        con.close()


def _digest(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> tuple[str, int, str]:
    columns = con.execute(
        "select string_agg(column_name || ' ' || data_type, ', ' order by ordinal_position)"
        " from information_schema.columns where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()[0]
    rows, content = con.execute(
        f"select count(*), md5(coalesce(string_agg(h, '' order by h), '')) from "
        f'(select md5(cast(t as varchar)) as h from "{schema}"."{table}" as t)'
    ).fetchone()
    return f"{schema}.{table}", rows, f"{content[:16]} cols={_short(columns)}"


def _short(columns: str) -> str:
    return hashlib.md5(columns.encode()).hexdigest()[:12]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--schemas", nargs="+", default=list(DEFAULT_SCHEMAS))
    args = parser.parse_args()
    for name, rows, digest in table_digests(args.warehouse, tuple(args.schemas)):
        print(f"{name}\t{rows}\t{digest}")


if __name__ == "__main__":
    main()
