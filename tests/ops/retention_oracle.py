"""Each raw row's retention date worked out in Python from the delivered values, without the
SQL under test: the answer key of tests/ops/test_retention.py."""

import calendar
from datetime import date, datetime

from orchestration.retention.policy import TableRule


def parse_delivered(value: str | None) -> date | None:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime((value or "").strip(), pattern).date()
        except ValueError:
            continue
    return None


def anchor(rule: TableRule, value: str | None) -> date | None:
    """The date a row's period runs from, worked out here without the SQL under test."""
    if rule.basis == "date":
        return parse_delivered(value)
    if rule.basis == "collection_year":
        return date(int(value), 3, 31) if value and value.isdigit() else None
    if not value:
        return None
    year, month = (int(part) for part in value.split("-"))
    return date(year, month, calendar.monthrange(year, month)[1])


def expected_dates(con, rule: TableRule) -> list[date | None]:
    """Each row's date under the rule; for a linked table the latest its child's rows give."""
    if rule.from_table is None:
        rows = con.execute(f"select {rule.column} from raw.{rule.table}").fetchall()
        return [anchor(rule, value) for (value,) in rows]
    keys = ", ".join(rule.join_on)
    linked: dict[tuple, list[date | None]] = {}
    for *key, value in con.sql(
        f"select {keys}, {rule.column} from raw.{rule.from_table}"
    ).fetchall():
        linked.setdefault(tuple(key), []).append(anchor(rule, value))
    latest = {key: max(filter(None, days), default=None) for key, days in linked.items()}
    return [latest.get(row) for row in con.sql(f"select {keys} from raw.{rule.table}").fetchall()]
