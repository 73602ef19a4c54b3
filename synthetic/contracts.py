"""The partner extract contracts (data/reference/contracts/*.yaml) and the SSDA903 schemas.

Both are the single home of column names, order and codes: the generator reads them here
and never restates them, so a change to a contract or schema changes the files it writes.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"
CONTRACTS_DIR = REFERENCE_DIR / "contracts"
SSDA903_DIR = REFERENCE_DIR / "dfe_schemas" / "ssda903"


@dataclass(frozen=True)
class Contract:
    source: str
    columns: tuple[str, ...]
    codes: dict[str, tuple[str, ...]]  # column -> allowed codes (only coded columns)
    event_date: str
    recorded_at: str | None

    def allowed(self, column: str) -> tuple[str, ...]:
        return self.codes[column]


@cache
def contract(source: str) -> Contract:
    raw = yaml.safe_load((CONTRACTS_DIR / f"{source}.yaml").read_text(encoding="utf-8"))
    columns = tuple(str(c["name"]) for c in raw["columns"])
    codes = {
        str(c["name"]): tuple(str(k) for k in c["codes"]) for c in raw["columns"] if c.get("codes")
    }
    return Contract(
        str(raw["source"]), columns, codes, str(raw["event_date"]), raw.get("recorded_at")
    )


# SSDA903 tables, keyed by the schema's table name folded to lower case without
# underscores (the 2017 and 2024 files spell them differently) -> DfE file name.
SSDA903_TABLES = {
    "header": "Header",
    "episodes": "Episodes",
    "reviews": "Reviews",
    "uasc": "UASC",
    "oc2": "OC2",
    "oc3": "OC3",
    "ad1": "AD1",
    "placedadoption": "PlacedAdoption",
    "prevperm": "PrevPerm",
    "missing": "Missing",
    "socialworker": "SWEpisodes",
}


@dataclass(frozen=True)
class Ssda903Schema:
    year: int
    tables: dict[str, dict[str, dict]]  # table (lower case) -> column -> spec, in order

    def columns(self, table: str) -> tuple[str, ...]:
        return tuple(self.tables[table])

    def codes(self, table: str, column: str) -> tuple[str, ...]:
        spec = self.tables[table][column].get("category") or []
        return tuple(str(item["code"]) for item in spec)


def _lower_tables(column_map: dict) -> dict[str, dict]:
    return {_table_key(name): dict(cols) for name, cols in column_map.items()}


def _table_key(name: object) -> str:
    return str(name).lower().replace("_", "")


def _apply_diff(tables: dict[str, dict], diff: dict) -> None:
    for key, change in diff.items():
        parts = key.split(".")[1:]  # drop "column_map"
        parts[0] = _table_key(parts[0])
        if change["type"] == "add" and len(parts) == 1:
            tables[parts[0]] = dict(change["value"])
            continue
        node = tables
        for part in parts[:-1]:
            node = node[part]
        if change["type"] in ("modify", "add"):
            node[parts[-1]] = change["value"]
        elif change["type"] == "remove":
            node.pop(parts[-1], None)


@cache
def ssda903_schema(year: int) -> Ssda903Schema:
    """The SSDA903 column map of a collection year: a full schema plus the yearly diffs."""

    def load(name: str) -> dict:
        return yaml.safe_load((SSDA903_DIR / name).read_text(encoding="utf-8"))

    base_year = 2024 if year >= 2024 else 2017
    tables = _lower_tables(load(f"SSDA903_schema_{base_year}.yml")["column_map"])
    tables = copy.deepcopy(tables)
    diffs = sorted(int(p.name.split("_")[2].split(".")[0]) for p in SSDA903_DIR.glob("*.diff.yml"))
    for diff_year in diffs:
        if base_year < diff_year <= year:
            _apply_diff(tables, load(f"SSDA903_schema_{diff_year}.diff.yml"))
    return Ssda903Schema(year, tables)
