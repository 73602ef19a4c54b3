"""The partnership return's shape, read from returns.yaml (its one home) and checked: the
sheets, their columns and rules, and the code lists, a list named by a seed being read from
dbt_project/seeds/<seed>.csv so that the template and the reader offer exactly the codes the
models know."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from orchestration.settings import DBT_PROJECT_DIR

RETURNS_FILE = Path(__file__).with_name("returns.yaml")
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
TYPES = frozenset(
    {"text", "code", "question_id", "indicator_id", "date", "count", "case_reference"}
)
LISTED_TYPES = frozenset({"code", "indicator_id"})
COLUMN_FIELDS = frozenset({"type", "list", "required", "free_text", "prefilled", "help"})
SHEET_FIELDS = frozenset(
    {"instructions", "key", "columns", "checks", "single_row", "rows_from_register"}
)
SEED_LIST_FIELDS = frozenset({"seed", "column", "exclude"})
# What the about sheet must say for a return to be read at all (reader.py).
ABOUT_COLUMNS = ("partner", "returned_on")


class SpecError(ValueError):
    """returns.yaml does not describe a return the platform can write and read."""


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    type: str
    list: str | None = None
    required: bool = False
    free_text: bool = False
    prefilled: bool = False
    help: str = ""


@dataclass(frozen=True)
class SheetSpec:
    name: str
    instructions: str
    key: list[str]
    columns: dict[str, ColumnSpec]
    checks: list[str]
    single_row: bool = False
    rows_from_register: bool = False

    @property
    def stored_columns(self) -> list[ColumnSpec]:
        """The columns read back and stored (the prefilled ones are the template's own)."""
        return [column for column in self.columns.values() if not column.prefilled]


@dataclass(frozen=True)
class ReturnsSpec:
    about_sheet: str
    sheets: dict[str, SheetSpec]
    lists: dict[str, list[str]]

    @property
    def return_sheets(self) -> tuple[str, ...]:
        return tuple(name for name in self.sheets if name != self.about_sheet)


def raw_table_name(sheet: str) -> str:
    return f"partnership_{sheet}"


@cache
def load_returns(path: Path = RETURNS_FILE) -> ReturnsSpec:
    """The return's shape; SpecError names what in the file is wrong."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict) or not isinstance(document.get("sheets"), dict):
        raise SpecError(f"{path.name} must hold a mapping with `sheets`")
    lists = {name: _resolve_list(name, entry) for name, entry in document.get("lists", {}).items()}
    sheets = {name: _sheet(name, entry, lists) for name, entry in document["sheets"].items()}
    about = document.get("about_sheet")
    _check_about(about, sheets)
    return ReturnsSpec(about, sheets, lists)


def _resolve_list(name: str, entry: object) -> list[str]:
    if isinstance(entry, list) and entry and all(isinstance(code, str) for code in entry):
        return list(entry)
    if not isinstance(entry, dict) or not {"seed", "column"} <= set(entry) <= SEED_LIST_FIELDS:
        raise SpecError(
            f"list {name}: give the codes ([a, b]) or a seed ({{seed: <file>, column: <name>, "
            "exclude: [...]}})"
        )
    seed = SEEDS_DIR / f"{entry['seed']}.csv"
    if not seed.is_file():
        raise SpecError(f"list {name}: no seed {seed.name} in dbt_project/seeds/")
    with seed.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if not rows or entry["column"] not in rows[0]:
        raise SpecError(f"list {name}: seed {seed.name} has no column {entry['column']}")
    excluded = set(entry.get("exclude", []))
    codes = [row[entry["column"]] for row in rows if row[entry["column"]] not in excluded]
    return list(dict.fromkeys(codes))  # distinct, in the seed's order


def _sheet(name: str, entry: object, lists: dict[str, list[str]]) -> SheetSpec:
    if not isinstance(entry, dict) or not isinstance(entry.get("columns"), dict):
        raise SpecError(f"sheet {name}: needs `columns`")
    unknown = set(entry) - SHEET_FIELDS
    if unknown:
        raise SpecError(f"sheet {name}: unknown setting(s) {', '.join(sorted(unknown))}")
    columns = {
        column: _column(f"sheet {name}, column {column}", column, spec, lists)
        for column, spec in entry["columns"].items()
    }
    key = list(entry.get("key", []))
    missing = [column for column in key if column not in columns]
    if missing:
        raise SpecError(f"sheet {name}: key column(s) {', '.join(missing)} not in its columns")
    checks = entry.get("checks", [])
    if not isinstance(checks, list) or not all(isinstance(check, str) for check in checks):
        raise SpecError(f"sheet {name}: `checks` must be a list of rule names")
    return SheetSpec(
        name=name,
        instructions=" ".join(str(entry.get("instructions", "")).split()),
        key=key,
        columns=columns,
        checks=list(checks),
        single_row=bool(entry.get("single_row", False)),
        rows_from_register=bool(entry.get("rows_from_register", False)),
    )


def _column(where: str, name: str, entry: object, lists: dict[str, list[str]]) -> ColumnSpec:
    if not isinstance(entry, dict):
        raise SpecError(f"{where}: give its settings as a mapping ({{type: ...}})")
    unknown = set(entry) - COLUMN_FIELDS
    if unknown:
        raise SpecError(f"{where}: unknown setting(s) {', '.join(sorted(unknown))}")
    kind = entry.get("type")
    if kind not in TYPES:
        raise SpecError(f"{where}: unknown type {kind!r}; the types are {', '.join(sorted(TYPES))}")
    listed = entry.get("list")
    if kind in LISTED_TYPES and listed not in lists:
        raise SpecError(f"{where}: a {kind} column needs `list:` naming one of the lists")
    if kind not in LISTED_TYPES and listed is not None:
        raise SpecError(f"{where}: only code and indicator_id columns take a list")
    return ColumnSpec(
        name=name,
        type=kind,
        list=listed,
        required=bool(entry.get("required", False)),
        free_text=bool(entry.get("free_text", False)),
        prefilled=bool(entry.get("prefilled", False)),
        help=str(entry.get("help", "")),
    )


def _check_about(about: object, sheets: dict[str, SheetSpec]) -> None:
    if about not in sheets or not sheets[about].single_row:
        raise SpecError("about_sheet must name a sheet with single_row: true")
    missing = [column for column in ABOUT_COLUMNS if column not in sheets[about].columns]
    if missing:
        raise SpecError(f"the about sheet needs the column(s) {', '.join(missing)}")


RETURN_SHEETS: tuple[str, ...] = load_returns().return_sheets
