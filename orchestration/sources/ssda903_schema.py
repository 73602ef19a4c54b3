"""The SSDA903 specification of each collection year: the latest full schema not after the
year (2017 or 2024, data/reference/dfe_schemas/ssda903) with the yearly changes since
applied. The one reader of those files: ingestion checks a return against it, the seed of
codes by year is generated from it and the generator writes its columns and codes.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from orchestration.settings import REFERENCE_DIR

SCHEMA_DIR = REFERENCE_DIR / "dfe_schemas" / "ssda903"
FULL_SCHEMA_YEARS = (2017, 2024)
# DfE's table names and the raw table each loads into (raw.ssda903_<name>); the schema files
# spell the tables either way (the 2017 file as the raw names, the 2024 file as DfE's).
RAW_NAMES = {
    "Header": "header",
    "Episodes": "episodes",
    "Reviews": "reviews",
    "UASC": "uasc",
    "OC2": "oc2",
    "OC3": "oc3",
    "AD1": "ad1",
    "PlacedAdoption": "placed_adoption",
    "PrevPerm": "prev_perm",
    "Missing": "missing",
    "SocialWorker": "social_worker",
    "DoLo": "dolo",
}
_DFE_NAMES = {raw: table for table, raw in RAW_NAMES.items()}

Specification = dict[str, dict[str, dict[str, Any]]]


def _year_of(path: Path) -> int:
    return int(path.name.split("_")[2].split(".")[0])


@cache
def latest_year() -> int:
    """The latest collection year a schema file names."""
    return max(_year_of(path) for path in SCHEMA_DIR.glob("SSDA903_schema_*.yml"))


def _load(name: str) -> dict[str, Any]:
    return yaml.safe_load((SCHEMA_DIR / name).read_text(encoding="utf-8"))


def _dfe_name(name: str) -> str:
    return _DFE_NAMES.get(name, name)


@cache
def specification(year: int) -> Specification:
    """DfE table name -> column -> its definition, for a collection year, tables and columns
    in the files' order. Shared between callers: read it, do not change it."""
    base = max((full for full in FULL_SCHEMA_YEARS if full <= year), default=FULL_SCHEMA_YEARS[0])
    spec = {
        _dfe_name(name): copy.deepcopy(columns)
        for name, columns in _load(f"SSDA903_schema_{base}.yml")["column_map"].items()
    }
    diffs = sorted(SCHEMA_DIR.glob("SSDA903_schema_*.diff.yml"), key=_year_of)
    for diff in diffs:
        if base < _year_of(diff) <= year:
            _apply_changes(spec, _load(diff.name))
    return spec


def _apply_changes(spec: Specification, changes: dict[str, Any]) -> None:
    """A diff file's changes: `column_map.<table>[.<column>[.<key>]]` added, modified or
    removed."""
    for path, change in changes.items():
        parts = path.split(".")[1:]
        parts[0] = _dfe_name(parts[0])
        if change["type"] == "add" and len(parts) == 1:
            spec[parts[0]] = copy.deepcopy(change["value"])
            continue
        node: dict[str, Any] = spec
        for part in parts[:-1]:
            node = node[part]
        if change["type"] in ("modify", "add"):
            node[parts[-1]] = copy.deepcopy(change["value"])
        elif change["type"] == "remove":
            node.pop(parts[-1], None)
