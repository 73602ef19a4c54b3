"""The retention policy (policy.yaml beside this module): which raw tables lose which rows,
after how many years, and why. A policy that names an unknown table or column, or counts
years that are not a positive whole number, is refused when it is read, with what to fix."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from orchestration.ingest.formats import all_formats
from orchestration.ingest.model import LINEAGE_COLUMNS

POLICY_FILE = Path(__file__).with_name("policy.yaml")
BASES = ("date", "birth_month", "collection_year")


class PolicyError(ValueError):
    """The policy file cannot be applied; the message says what to fix."""


@dataclass(frozen=True)
class TableRule:
    """One rule as it applies to one raw table."""

    rule_id: str
    source: str
    table: str
    column: str
    basis: str
    years: int
    from_table: str | None = None
    join_on: tuple[str, ...] = ()

    @property
    def date_column(self) -> str:
        """Where the period runs from, as the audit names it."""
        return f"{self.from_table}.{self.column}" if self.from_table else self.column


@dataclass(frozen=True)
class Policy:
    rules: tuple[TableRule, ...]
    reasons: dict[str, str]
    not_child_level: dict[str, str]


@cache
def raw_table_columns() -> dict[str, frozenset[str]]:
    """Every raw table the ingestion fills, with the columns it has (lineage included)."""
    return {
        table.name: frozenset(table.all_columns) | frozenset(LINEAGE_COLUMNS)
        for fmt in all_formats()
        for table in fmt.tables
    }


def _require(condition: bool, where: str, problem: str) -> None:
    if not condition:
        raise PolicyError(f"{where}: {problem}. Fix it in orchestration/retention/policy.yaml.")


def _require_columns(where: str, table: str, columns: list[str]) -> None:
    known = raw_table_columns()
    _require(table in known, where, f"raw.{table} is not a table the ingestion fills")
    for column in columns:
        _require(column in known[table], where, f"raw.{table} has no column {column!r}")


def _table_rules(where: str, rule: Any) -> list[TableRule]:
    _require(isinstance(rule, dict), where, "a rule is a mapping of id, source, tables, ...")
    rule_id = rule.get("id")
    _require(isinstance(rule_id, str) and bool(rule_id), where, "every rule needs an id")
    where = f"rule {rule_id}"
    years = rule.get("years")
    _require(
        isinstance(years, int) and not isinstance(years, bool) and years > 0,
        where,
        f"years must be a positive whole number, not {years!r}",
    )
    _require(bool(rule.get("source")), where, "name the source (its landing folder or family)")
    _require(rule.get("basis") in BASES, where, f"basis must be one of {', '.join(BASES)}")
    _require(bool(str(rule.get("reason") or "").strip()), where, "say why: reason is empty")
    tables = rule.get("tables")
    _require(isinstance(tables, dict) and bool(tables), where, "tables must map table: column")
    from_table, join_on = rule.get("from_table"), list(rule.get("join_on") or [])
    _require(bool(from_table) == bool(join_on), where, "from_table and join_on go together")
    table_rules = []
    for table, column in tables.items():
        if from_table:
            _require_columns(where, table, join_on)
            _require_columns(where, from_table, [column, *join_on])
        else:
            _require_columns(where, table, [column])
        table_rules.append(
            TableRule(
                rule_id=rule_id,
                source=str(rule["source"]),
                table=table,
                column=column,
                basis=rule["basis"],
                years=years,
                from_table=from_table,
                join_on=tuple(join_on),
            )
        )
    return table_rules


def read_policy(path: Path = POLICY_FILE) -> Policy:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise PolicyError(f"{path.name} is not valid YAML ({error})") from None
    rules: list[TableRule] = []
    reasons: dict[str, str] = {}
    for index, rule in enumerate(document.get("rules") or [], start=1):
        table_rules = _table_rules(f"rule {index}", rule)
        _require(rule["id"] not in reasons, f"rule {rule['id']}", "the id is used twice")
        reasons[rule["id"]] = " ".join(str(rule["reason"]).split())
        rules += table_rules
    tables = [rule.table for rule in rules]
    twice = sorted({table for table in tables if tables.count(table) > 1})
    _require(not twice, "rules", f"raw.{', raw.'.join(twice)} fall under more than one rule")
    exempt = {str(k): str(v) for k, v in (document.get("not_child_level") or {}).items()}
    for table in exempt:
        _require_columns("not_child_level", table, [])
        _require(table not in tables, "not_child_level", f"raw.{table} also has a rule")
    return Policy(tuple(rules), reasons, exempt)


@cache
def policy() -> Policy:
    return read_policy()


def uncovered_tables(current: Policy) -> list[str]:
    """Raw tables under no rule and not declared free of children's records: a new source
    must say how long its rows are kept."""
    covered = {rule.table for rule in current.rules} | set(current.not_child_level)
    return sorted(set(raw_table_columns()) - covered)
