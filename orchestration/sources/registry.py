"""The source registry (data/reference/sources/<source>.yaml): one file per source the
platform receives, holding what every stage needs to know of it. For a contract source (the
project's own extracts) that is its columns, types, identifiers and code lists; for a DfE
return or the SSD, a pointer to the schema its format reads. Every source states its partner,
its label, whether a record is a contact with the service, how long it may go unrefreshed,
the other layouts of the same return, and what the data-quality layer watches.

This module is the one reader: ingestion's contract formats, freshness, the generator and
the generated files (orchestration/sources/generated.py) all read a source here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from orchestration.settings import REFERENCE_DIR

SOURCES_DIR = REFERENCE_DIR / "sources"
# The partners, in the order lists of them are shown (drop-downs, the partner_sources seed);
# a source naming another partner is listed after these.
PARTNERS = ("social_care", "health", "police", "education", "population")
# How a source that also holds a return's records shares the indicators with the return
# (a source's `feeds`): the one rule there is, the return's records first.
FEED_RULES = ("returns_first",)


@dataclass(frozen=True)
class Column:
    """A contract column: codes maps each allowed code to its attributes (a label at least)."""

    name: str
    type: str
    required: bool
    description: str
    identifier: str | None
    codes: dict[str, dict[str, str]]
    seed: str | None

    def code_labels(self) -> dict[str, str]:
        """Each code's label, first letter capitalised as the briefing shows it."""
        labels = {code: attrs["label"] for code, attrs in self.codes.items()}
        return {code: label[:1].upper() + label[1:] for code, label in labels.items()}


@dataclass(frozen=True)
class Source:
    name: str
    path: Path
    partner: str
    label: str
    is_service_contact: bool
    overdue_after_days: int | None
    layouts: dict[str, str]  # another format delivering the same return -> its label
    spec: dict[str, Any]
    columns: tuple[Column, ...]

    @property
    def is_contract(self) -> bool:
        """The project's own extract, described column by column here (not a DfE schema)."""
        return bool(self.columns)

    @property
    def relative_path(self) -> str:
        return f"data/reference/sources/{self.path.name}"

    def column(self, name: str) -> Column:
        (found,) = [column for column in self.columns if column.name == name]
        return found

    def quality_tables(self) -> list[dict[str, Any]]:
        return list(self.spec.get("quality", []))

    def feeds(self) -> dict[str, dict[str, str]]:
        """The returns whose records this source also holds: return -> its rule and the
        table whose extracts say which months the source covers."""
        return {str(name): dict(feed) for name, feed in self.spec.get("feeds", {}).items()}


def _check_feeds(path: Path, spec: dict[str, Any]) -> None:
    for name, feed in spec.get("feeds", {}).items():
        if feed.get("rule") not in FEED_RULES or not feed.get("covered_by"):
            raise ValueError(
                f"{path}: feeds.{name} needs a rule ({', '.join(FEED_RULES)}) and covered_by "
                f"(the table whose extracts cover the months), not {feed!r}"
            )


def _codes(raw: dict[Any, Any] | None) -> dict[str, dict[str, str]]:
    """A code list as written: `code: label`, or `code: {label: ..., <attribute>: ...}`."""
    codes = {}
    for code, value in (raw or {}).items():
        attrs = value if isinstance(value, dict) else {"label": value}
        codes[str(code)] = {key: _text(item) for key, item in attrs.items()}
    return codes


def _text(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _column(raw: dict[str, Any]) -> Column:
    return Column(
        name=str(raw["name"]),
        type=str(raw["type"]),
        required=bool(raw.get("required")),
        description=str(raw.get("description", "")),
        identifier=raw.get("identifier"),
        codes=_codes(raw.get("codes")),
        seed=raw.get("seed"),
    )


def load_source(path: Path) -> Source:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    name = str(spec["source"])
    if name != path.stem:
        raise ValueError(f"{path}: source {name!r} must be the file's name ({path.stem}.yaml)")
    overdue = spec.get("overdue_after_days")
    _check_feeds(path, spec)
    return Source(
        name=name,
        path=path,
        partner=str(spec["partner"]),
        label=str(spec["label"]),
        is_service_contact=bool(spec["is_service_contact"]),
        overdue_after_days=int(overdue) if overdue is not None else None,
        layouts={str(name): str(label) for name, label in spec.get("layouts", {}).items()},
        spec=spec,
        columns=tuple(_column(column) for column in spec.get("columns", [])),
    )


@cache
def _sources(directory: Path) -> dict[str, Source]:
    return {path.stem: load_source(path) for path in sorted(directory.glob("*.yaml"))}


def sources(directory: Path = SOURCES_DIR) -> dict[str, Source]:
    """Every registered source by name, in name order."""
    return _sources(directory)


def source(name: str, directory: Path = SOURCES_DIR) -> Source:
    return sources(directory)[name]


def by_partner(directory: Path = SOURCES_DIR) -> list[Source]:
    """Every source, grouped by partner in PARTNERS order, by name within a partner."""

    def rank(entry: Source) -> tuple[int, str]:
        known = entry.partner in PARTNERS
        return (PARTNERS.index(entry.partner) if known else len(PARTNERS), entry.name)

    return sorted(sources(directory).values(), key=rank)


def contract_sources(directory: Path = SOURCES_DIR) -> list[Source]:
    return [entry for entry in sources(directory).values() if entry.is_contract]


def label_of(name: str, directory: Path = SOURCES_DIR) -> str | None:
    """A source's or a layout's label; None for a name the registry does not know."""
    for entry in sources(directory).values():
        if name == entry.name:
            return entry.label
        if name in entry.layouts:
            return entry.layouts[name]
    return None


def return_of(name: str, directory: Path = SOURCES_DIR) -> str:
    """The source a format's name belongs to: itself, or the source it is a layout of
    (school_census_export -> school_census)."""
    for entry in sources(directory).values():
        if name in entry.layouts:
            return entry.name
    return name
