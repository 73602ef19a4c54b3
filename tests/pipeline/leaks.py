"""Where a raw identifier could leak, for the end-to-end test: a sample of the identifiers
the partners delivered, the warehouse's birth-date columns, and every text value it holds."""

import csv
import re
from pathlib import Path

import duckdb

from orchestration.sources.registry import contract_sources


def identifiers_in_landing(landing: Path) -> set[str]:
    """A sample of every kind of identifier the partners delivered, as delivered."""
    text = next((landing / "cin_census").glob("*.xml")).read_text()
    found = set()
    for tag in ("LAchildID", "UPN", "PersonBirthDate"):
        found |= set(re.findall(f"<{tag}>([^<]+)</{tag}>", text)[:50])
    for contract in contract_sources():
        columns = [column.name for column in contract.columns if column.identifier]
        for path in sorted((landing / contract.name).glob("*.csv"))[:2]:
            with path.open(encoding="utf-8") as handle:
                for row in list(csv.DictReader(handle))[:30]:
                    # Short names could occur inside other words by chance.
                    found |= {row[c] for c in columns if len(row[c] or "") >= 6}
    # A date of birth is only an identifier beside the child; the same date occurs as an
    # event date by chance, so dates are checked column by column instead (below).
    return {value for value in found if not re.fullmatch(r"[\d/-]{8,10}", value)}


def birth_date_columns_hold_only_pseudonyms(warehouse: Path) -> list[str]:
    offenders = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns"
            " where (column_name like '%birth_date%' or column_name like '%dob%')"
            " and column_name not like '%month%' and data_type = 'VARCHAR'"
        ).fetchall()
        for schema, table, column in columns:
            (clear,) = con.execute(
                f'select count(*) from "{schema}"."{table}"'
                f" where not regexp_full_match(\"{column}\", '[0-9a-f]{{32}}')"
            ).fetchone()
            if clear:
                offenders.append(f"{schema}.{table}.{column}")
    return offenders


def every_text_value(warehouse: Path) -> str:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables"
        ).fetchall()
        return "\n".join(
            str(con.execute(f'select * from "{schema}"."{name}"').fetchall())
            for schema, name in tables
        )
