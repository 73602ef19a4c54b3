"""analyst_marts.duckdb: a restricted, pseudonymised copy of the marts, the code lists and the
data-quality results, for the authority's own analysts. It is not for publication: the fact
tables hold a row per referral, enquiry, plan or episode, keyed by pseudonyms, and no figure
in it is suppressed. What may be published is exports/ and the briefing.

The copy documents itself: every table and column carries its dbt description as a comment
(`duckdb_tables()`, `duckdb_columns()`; a table dbt does not build, as the partnership marts,
keeps the comments the warehouse gives it), and `about.tables` lists the tables with their rows,
grain and description. Every table that has a month calls it `month`: the month of the row's
event (a fact's own `referral_month`, `started_month`, `arrival_month`... is renamed; other
months keep their names, as `ended_month`). docs/analyst_guide.md shows how to query it.

Built beside the target and swapped in with one rename, so an analyst's open connection keeps
reading the previous copy while a run writes the working warehouse, and a new connection opens
the new one; never half of either."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from orchestration.operations import is_person_grain

# Not 'marts.duckdb': DuckDB names the catalog after the file, and a catalog called 'marts'
# would make every `marts.<table>` query ambiguous.
ANALYST_COPY_NAME = "analyst_marts.duckdb"
# The marts, the code lists and catalogue they are read with, and the data-quality results.
COPIED_SCHEMAS = ("marts", "reference", "quality")
CLASSIFICATION = (
    "Restricted: pseudonymised record-level data for the authority's analysts. Not for "
    "publication: publish only the suppressed figures of exports/ and the briefing."
)
# A fact's event month where it is not its first *_month column.
EVENT_MONTH = {"fct_school_attendance": "term_end_month"}
NOT_EVENT_MONTHS = {"birth_month", "baseline_first_month"}


@dataclass
class Docs:
    """The dbt descriptions of relations and their columns, by (schema, name)."""

    tables: dict[tuple[str, str], str] = field(default_factory=dict)
    columns: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)


def dbt_docs(manifest: dict[str, Any]) -> Docs:
    """Descriptions of every model and seed in the dbt manifest (doc blocks already rendered)."""
    docs = Docs()
    for node in manifest["nodes"].values():
        if node["resource_type"] not in ("model", "seed", "snapshot"):
            continue
        key = (node["schema"], node.get("alias") or node["name"])
        docs.tables[key] = (node.get("description") or "").strip()
        docs.columns[key] = {
            name: (column.get("description") or "").strip()
            for name, column in node.get("columns", {}).items()
        }
    return docs


def project_docs() -> Docs:
    """The descriptions of this project's dbt manifest."""
    from orchestration.transform.assets import manifest

    return dbt_docs(manifest())


def event_month(table: str, columns: list[tuple[str, str]]) -> str | None:
    """The column to publish as `month`: none if the table has one already, else the month
    of the row's event (EVENT_MONTH, or its first date column named *_month)."""
    names = [name for name, _ in columns]
    if "month" in names:
        return None
    if table in EVENT_MONTH and EVENT_MONTH[table] in names:
        return EVENT_MONTH[table]
    for name, data_type in columns:
        if name.endswith("_month") and name not in NOT_EVENT_MONTHS and data_type in (
            "DATE", "TIMESTAMP"
        ):  # fmt: skip
            return name
    return None


def with_warehouse_comments(con: duckdb.DuckDBPyConnection, docs: Docs) -> Docs:
    """The docs, and for the relations dbt does not document (the partnership marts, built in
    Python) the comments they carry in the attached warehouse."""
    found = Docs(dict(docs.tables), {key: dict(value) for key, value in docs.columns.items()})
    tables = con.execute(
        "select schema_name, table_name, comment from duckdb_tables()"
        " where database_name = 'working' and comment is not null"
    ).fetchall()
    for schema, name, text in tables:
        found.tables[(schema, name)] = found.tables.get((schema, name)) or text
    columns = con.execute(
        "select schema_name, table_name, column_name, comment from duckdb_columns()"
        " where database_name = 'working' and comment is not null"
    ).fetchall()
    for schema, name, column, text in columns:
        described = found.columns.setdefault((schema, name), {})
        described[column] = described.get(column) or text
    return found


def quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def copy_relation(
    con: duckdb.DuckDBPyConnection, schema: str, name: str, docs: Docs
) -> tuple[int, list[str]]:
    """Copy one relation with its month as `month` (a date) and its comments; returns its
    rows and columns."""
    columns = con.execute(
        "select column_name, data_type from information_schema.columns where table_catalog"
        " = 'working' and table_schema = ? and table_name = ? order by ordinal_position",
        [schema, name],
    ).fetchall()
    renamed = event_month(name, columns)
    selected, published = [], []
    for column, data_type in columns:
        target = "month" if column == renamed else column
        expression = f'"{column}"'
        if target == "month" and data_type.startswith("TIMESTAMP"):
            expression = f'cast("{column}" as date)'
        selected.append(f'{expression} as "{target}"')
        published.append(target)
    relation = f'"{schema}"."{name}"'
    con.execute(f"create table {relation} as select {', '.join(selected)} from working.{relation}")
    table_doc = docs.tables.get((schema, name), "")
    if table_doc:
        con.execute(f"comment on table {relation} is {quoted(table_doc)}")
    described = docs.columns.get((schema, name), {})
    for (column, _), target in zip(columns, published, strict=True):
        text = described.get(column, "")
        if column != target:
            text = f"{text} (`{column}` in the warehouse and the dbt docs.)".strip()
        if text:
            con.execute(f'comment on column {relation}."{target}" is {quoted(text)}')
    (rows,) = con.execute(f"select count(*) from {relation}").fetchone()
    return rows, published


ABOUT = {
    "about.build": "When the copy was built, the months it covers and what it is for.",
    "about.tables": "Every table of the copy: its rows, whether it is at a child's or a "
    "record's grain (pseudonyms, keys: never to be published) and its description.",
}
ABOUT_COLUMNS = {
    "about.build": {
        "built_at": "When the copy was built (UTC).",
        "first_month": "First month of marts.dim_month.",
        "last_month": "Last month of marts.dim_month.",
        "tables": "Tables copied from the warehouse (about.* aside).",
        "classification": "What the copy is for, and what it is not for.",
    },
    "about.tables": {
        "schema_name": "marts, reference or quality.",
        "table_name": "The table's name, as in the warehouse and the dbt docs.",
        "rows": "Rows copied.",
        "columns": "Columns copied.",
        "record_level": "True when a row is a child or a record (a pseudonym, key or source"
        " line column): restricted, never to be published or shared outside the authority.",
        "description": "The table's description from the dbt docs.",
    },
}


def publish_marts(
    warehouse: Path, target: Path, built_at: datetime, docs: Docs | None = None
) -> dict[str, int]:
    """Copy every table and view of COPIED_SCHEMAS from the warehouse into target, with
    comments from the dbt docs (docs, else the project's manifest), `about.build` saying when
    and from what and `about.tables` what each table is; returns rows per copied table."""
    docs = project_docs() if docs is None else docs
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    for leftover in (partial, partial.with_name(partial.name + ".wal")):
        leftover.unlink(missing_ok=True)
    copied: dict[str, int] = {}
    catalogue = []
    with duckdb.connect(str(partial)) as con:
        con.execute("set enable_progress_bar = false")
        con.execute(f"attach {quoted(str(warehouse))} as working (read_only)")
        docs = with_warehouse_comments(con, docs)
        relations = con.execute(
            "select table_schema, table_name from information_schema.tables"
            " where table_catalog = 'working' and table_schema in"
            f" ({', '.join('?' for _ in COPIED_SCHEMAS)}) order by 1, 2",
            list(COPIED_SCHEMAS),
        ).fetchall()
        for schema in sorted({schema for schema, _ in relations}):
            con.execute(f'create schema "{schema}"')
        for schema, name in relations:
            rows, columns = copy_relation(con, schema, name, docs)
            copied[f"{schema}.{name}"] = rows
            catalogue.append((schema, name, rows, len(columns), is_person_grain(columns),
                              docs.tables.get((schema, name), "")))  # fmt: skip
        first_month, last_month = con.execute(
            "select min(month), max(month) from marts.dim_month"
        ).fetchone()
        con.execute("detach working")
        con.execute("create schema about")
        con.execute(
            "create table about.build as select ? as built_at, ? as first_month,"
            " ? as last_month, ? as tables, ? as classification",
            [built_at, first_month, last_month, len(copied), CLASSIFICATION],
        )
        con.execute(
            "create table about.tables (schema_name varchar, table_name varchar, rows bigint,"
            " columns integer, record_level boolean, description varchar)"
        )
        con.executemany("insert into about.tables values (?, ?, ?, ?, ?, ?)", catalogue)
        for relation, text in ABOUT.items():
            con.execute(f"comment on table {relation} is {quoted(text + ' ' + CLASSIFICATION)}")
            for column, comment in ABOUT_COLUMNS[relation].items():
                con.execute(f"comment on column {relation}.{column} is {quoted(comment)}")
    os.replace(partial, target)
    return copied
