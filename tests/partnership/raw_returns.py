"""Partnership returns as the reader leaves them, written by hand for tests of the marts:
raw.partnership_<sheet> with the sheet's stored columns typed as the contract says (date ->
DATE, count -> BIGINT, others VARCHAR) and the lineage columns, read from returns.yaml."""

from datetime import date, datetime

import duckdb
import pandas as pd

from orchestration.outputs.questions import REGISTER_COLUMNS
from orchestration.partnership.ingest import LINEAGE, SQL_TYPES
from orchestration.partnership.spec import RETURN_SHEETS, load_returns, raw_table_name


def sheet_columns(sheet: str) -> dict[str, str]:
    stored = load_returns().sheets[sheet].stored_columns
    return {column.name: SQL_TYPES.get(column.type, "VARCHAR") for column in stored} | LINEAGE


def write_returns(
    con: duckdb.DuckDBPyConnection,
    sheets: dict[str, list[dict]],
    partner: str = "social_care",
    returned_on: date = date(2021, 6, 1),
) -> None:
    """Every sheet's raw table (created empty if absent), and one partner's return's rows:
    each row gives its sheet's columns; the lineage is filled in."""
    con.execute("create schema if not exists raw")
    for sheet in RETURN_SHEETS:
        columns = sheet_columns(sheet)
        body = ", ".join(f'"{name}" {kind}' for name, kind in columns.items())
        con.execute(f"create table if not exists raw.{raw_table_name(sheet)} ({body})")
        for line, row in enumerate(sheets.get(sheet, []), start=2):
            values = {name: None for name in columns} | row | {
                "partner": row.get("partner", partner),
                "returned_on": row.get("returned_on", returned_on),
                "_source_file": f"{partner}_{returned_on:%Y%m%d}.xlsx",
                "_file_sha256": "0" * 64,
                "_record_line": line,
                "_loaded_at": datetime(2021, 6, 2, 9, 0),
            }  # fmt: skip
            unknown = set(values) - set(columns)
            assert not unknown, f"{sheet}: no columns {unknown}"
            marks = ", ".join("?" for _ in columns)
            con.execute(
                f"insert into raw.{raw_table_name(sheet)} values ({marks})",
                [values[name] for name in columns],
            )


def register(*questions: dict) -> pd.DataFrame:
    """A questions register (the published file's columns) holding the given questions; each
    gives at least question_id, the rest defaulting to a headline of referrals."""
    defaults = {
        "area_code": "938", "indicator_id": "referrals", "breakdown_dimension": "all",
        "breakdown_value": "all", "direction": "below", "role": "headline", "priority": 1,
        "confidence": "high", "first_month": "2020-04", "last_month": "2020-06",
        "question": "Why did referrals fall?",
    }  # fmt: skip
    rows = [defaults | question for question in questions]
    return pd.DataFrame(rows).reindex(columns=REGISTER_COLUMNS)
