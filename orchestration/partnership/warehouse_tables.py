"""What the partnership marts read from the warehouse: which relations and columns exist, and
the partnership returns' raw tables (no rows when nothing was ever delivered)."""

from __future__ import annotations

import duckdb
import pandas as pd

from orchestration.partnership.spec import load_returns, raw_table_name

# What the reader adds to every raw.partnership_<sheet> row (the contract in returns.yaml).
LINEAGE = ["partner", "returned_on", "_source_file", "_file_sha256", "_record_line", "_loaded_at"]


def columns_of(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> list[str]:
    """The relation's columns in order; none when it does not exist."""
    rows = con.execute(
        "select column_name from information_schema.columns"
        " where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, name],
    ).fetchall()
    return [column for (column,) in rows]


def relation_exists(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    return bool(columns_of(con, schema, name))


def read_raw(con: duckdb.DuckDBPyConnection, sheet: str) -> pd.DataFrame:
    """The current returns' rows of a sheet; no rows (with the sheet's columns) when nothing
    was ever delivered."""
    table = raw_table_name(sheet)
    if relation_exists(con, "raw", table):
        return con.execute(f'select * from raw."{table}"').df()
    stored = [column.name for column in load_returns().sheets[sheet].stored_columns]
    return pd.DataFrame(columns=[*stored, *LINEAGE])
