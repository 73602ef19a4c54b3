"""The operating rules of orchestration/operations.yaml, and the asset-graph conventions that
apply to every asset whichever module defines it: owners by group, code versions, previews."""

import fnmatch
import hashlib
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import yaml

from orchestration.sources import registry

OPERATIONS_FILE = Path(__file__).with_name("operations.yaml")


@cache
def operations() -> dict[str, Any]:
    return yaml.safe_load(OPERATIONS_FILE.read_text())


def owners_for_group(group: str | None) -> list[str]:
    return list(operations()["owners"].get(group or "", []))


def with_owners(
    assets: Iterable[dg.AssetsDefinition | dg.AssetSpec],
) -> list[dg.AssetsDefinition | dg.AssetSpec]:
    """Every asset gets the owners of its group (operations.yaml), added to any it has."""

    def own(spec: dg.AssetSpec) -> dg.AssetSpec:
        owners = [o for o in owners_for_group(spec.group_name) if o not in spec.owners]
        return spec.merge_attributes(owners=owners) if owners else spec

    return dg.map_asset_specs(own, list(assets))


def overdue_after_days(name: str) -> int:
    """How long a source (or a layout of its return) may go unrefreshed: its registry file's
    limit, else operations.yaml's default."""
    entry = registry.sources().get(registry.return_of(name))
    stated = entry.overdue_after_days if entry else None
    return stated if stated is not None else int(operations()["freshness"]["default_after_days"])


def same_return(name: str) -> list[str]:
    """The source and the other layouts delivering the same return, sorted."""
    of = registry.return_of(name)
    entry = registry.sources().get(of)
    return sorted({of, *(entry.layouts if entry else ())})


def max_dropped_share() -> float:
    """The share of its records a re-delivery may drop before it is held (supersede.py)."""
    return float(operations()["supersede"]["max_dropped_share"])


def code_version(files: Iterable[Path]) -> str:
    """A short hash of the files that decide what an asset holds: it changes when they do."""
    digest = hashlib.sha256()
    for path in sorted(set(files)):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def is_person_grain(columns: Sequence[str]) -> bool:
    patterns = operations()["previews"]["person_grain_columns"]
    return any(fnmatch.fnmatchcase(c, p) for c in columns for p in patterns)


def table_preview(con: duckdb.DuckDBPyConnection, relation: str) -> dg.MetadataValue | None:
    """The first rows of an aggregate table as Markdown; None for a table at a person's
    grain, which is never previewed (see operations.yaml)."""
    frame = con.execute(f"select * from {relation} limit {operations()['previews']['rows']}").df()
    if is_person_grain(list(frame.columns)):
        return None
    return dg.MetadataValue.md(frame.to_markdown(index=False))
