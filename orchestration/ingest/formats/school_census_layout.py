"""The school census as schools' management systems export it: each term's tables and
their columns, types and blank rules for a collection year, from the 2015 layout and the
yearly changes since (data/reference/dfe_schemas/school_census).

The diffs differ from SSDA903's (orchestration/ingest/formats/ssda903.py): they are per
term, rename and remove columns and whole tables, and a modify replaces a column's whole
definition, so the 903 reader (attribute-level modify, tables only added) is not reused.
"""

from functools import cache

import yaml

from orchestration.ingest.content_rules import ColumnRule
from orchestration.ingest.delimited import header_key
from orchestration.settings import REFERENCE_DIR

SCHEMA_DIR = REFERENCE_DIR / "dfe_schemas" / "school_census"
TERMS = ("autumn", "spring", "summer")
FIRST_YEAR = 2015

Layout = dict[str, dict[str, dict]]  # table -> column -> definition


@cache
def latest_year() -> int:
    return max(int(p.name.split("_")[3].split(".")[0]) for p in SCHEMA_DIR.glob("*.diff.yml"))


@cache
def _schema_file(name: str) -> dict | None:
    """One schema file, parsed once (with libyaml where installed): every term of every year
    reads the 2015 layout and the diffs after it, and the pure-Python parser took 25 s to
    read them afresh for each."""
    path = SCHEMA_DIR / name
    if not path.exists():
        return None
    return yaml.load(path.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@cache
def layout(year: int, term: str) -> Layout:
    """Tables and column definitions in force for a term of a collection year. The
    definitions are shared between layouts: _apply replaces them and never edits one."""
    base = _schema_file(f"school_census_schema_{FIRST_YEAR}.yml")
    tables: Layout = {name: dict(cols) for name, cols in base[term]["column_map"].items()}
    for diff_year in range(FIRST_YEAR + 1, year + 1):
        diff = _schema_file(f"school_census_schema_{diff_year}.diff.yml")
        for key, change in ((diff or {}).get(term) or {}).items():
            _apply(tables, key.split(".")[1:], change)
    return tables


def _apply(tables: Layout, parts: list[str], change: dict) -> None:
    kind, value = change["type"], change["value"]
    if not parts:  # the whole column map: tables dropped from the collection
        if kind == "remove":
            for table in value:
                tables.pop(table, None)
        elif kind == "add":
            tables.update({name: dict(cols) for name, cols in value.items()})
        return
    table = parts[0]
    if len(parts) == 1:
        if kind == "add":
            tables[table] = dict(value)
        elif kind == "remove":
            for column in value:
                tables.get(table, {}).pop(column, None)
        return
    columns = tables.setdefault(table, {})
    column = parts[1]
    if kind in ("add", "modify"):
        columns[column] = value
    elif kind == "rename" and column in columns:
        columns[value] = columns.pop(column)
    elif kind == "remove":
        columns.pop(column, None)


def recognise(header: list[str], year: int, term: str) -> str | None:
    """The table of the layout whose columns the header holds (the widest when several)."""
    delivered = {header_key(name) for name in header}
    tables = layout(year, term)
    matches = [t for t, cols in tables.items() if {header_key(c) for c in cols} <= delivered]
    return max(matches, key=lambda table: len(tables[table]), default=None)


def closest(header: list[str], year: int, term: str) -> tuple[str, list[str]]:
    """The table the header comes nearest to, and the columns it lacks."""
    delivered = {header_key(name) for name in header}
    tables = layout(year, term)

    def lacking(table: str) -> list[str]:
        return [c for c in tables[table] if header_key(c) not in delivered]

    table = min(tables, key=lambda t: (len(lacking(t)), t))
    return table, lacking(table)


@cache
def all_columns(table: str) -> tuple[str, ...]:
    """Every column the table has in any term of any year, in first-seen order: one raw
    table holds every year's files."""
    seen: dict[str, None] = {}
    for year in range(FIRST_YEAR, latest_year() + 1):
        for term in TERMS:
            seen.update(dict.fromkeys(c.lower() for c in layout(year, term).get(table, {})))
    return tuple(seen)


@cache
def all_tables() -> tuple[str, ...]:
    names = {t for y in range(FIRST_YEAR, latest_year() + 1) for s in TERMS for t in layout(y, s)}
    return tuple(sorted(names))


def rules(year: int, term: str, table: str, kept: tuple[str, ...]) -> list[ColumnRule]:
    """Content rules of the kept columns: type, code list, and blank or not."""
    definitions = {c.lower(): d for c, d in layout(year, term)[table].items()}
    return [_rule(column, definitions[column]) for column in kept if column in definitions]


def _rule(column: str, definition: dict) -> ColumnRule:
    numeric = definition.get("numeric") or {}
    kind = (
        "date"
        if "date" in definition
        else "integer"
        if numeric.get("type") == "integer"
        else "string"
    )
    codes = definition.get("category")
    return ColumnRule(
        column,
        kind,
        frozenset(str(item["code"]) for item in codes) if codes else None,
        definition.get("canbeblank") in (False, "no"),
    )
