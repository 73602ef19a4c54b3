"""The partner extract contracts and the SSDA903 schemas, as the generator needs them.

Both are read by the platform's one reader of each (orchestration/sources: the source
registry, data/reference/sources/*.yaml, and the SSDA903 specification of each year): the
generator never restates a column, an order or a code, so a change to a contract or schema
changes the files it writes as it changes what ingestion checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from orchestration.sources.registry import source
from orchestration.sources.ssda903_schema import specification


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
def contract(name: str) -> Contract:
    entry = source(name)
    return Contract(
        entry.name,
        tuple(column.name for column in entry.columns),
        {column.name: tuple(column.codes) for column in entry.columns if column.codes},
        str(entry.spec["event_date"]),
        entry.spec.get("recorded_at"),
    )


# SSDA903 tables, keyed by DfE's table name folded to lower case -> the file name the
# generator writes.
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


@cache
def ssda903_schema(year: int) -> Ssda903Schema:
    """The SSDA903 column map of a collection year, tables by lower-case name."""
    return Ssda903Schema(year, {table.lower(): c for table, c in specification(year).items()})
