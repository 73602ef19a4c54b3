"""Freshness: one asset check per partner source, failing when the source's latest loaded
extract is overdue (the source's registry file, data/reference/sources/, says after how many
days; orchestration/operations.yaml has the default).

Freshness is judged on the data, not on when a run happened: the end of the latest period
the loaded files cover, per area, from raw.file_manifest. The stalest area decides, so one
authority's missing extract is not hidden by its neighbours'."""

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.ingest.assets import raw_table_key
from orchestration.ingest.delivered import SourceFormat
from orchestration.ingest.formats import all_formats
from orchestration.ingest.ledger import has_raw_table
from orchestration.operations import overdue_after_days, same_return
from orchestration.resources import WarehouseResource

FRESHNESS_CHECK = "freshness"


def period_end(collection_period: str) -> date:
    """'2021' is a DfE collection year (ending 31 March 2021); 'YYYY-MM..YYYY-MM' are the
    months a file's events cover."""
    if re.fullmatch(r"\d{4}", collection_period):
        return date(int(collection_period), 3, 31)
    match = re.fullmatch(r"\d{4}-\d{2}\.\.(\d{4})-(\d{2})", collection_period)
    if not match:
        raise ValueError(f"Unrecognised collection period {collection_period!r}")
    year, month = int(match[1]), int(match[2])
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Freshness:
    source: str
    overdue_after_days: int
    latest_by_area: dict[str, date]
    today: date

    @property
    def stalest_area(self) -> str | None:
        return min(self.latest_by_area, key=self.latest_by_area.get, default=None)

    @property
    def days_since_period_end(self) -> int | None:
        area = self.stalest_area
        return (self.today - self.latest_by_area[area]).days if area else None

    @property
    def is_fresh(self) -> bool:
        days = self.days_since_period_end
        return days is not None and days <= self.overdue_after_days


def assess(source: str, periods: list[tuple[str, str]], today: date) -> Freshness:
    """periods: (area, collection_period) of the source's loaded files."""
    latest: dict[str, date] = {}
    for area, period in periods:
        end = period_end(period)
        latest[area] = max(end, latest.get(area, end))
    return Freshness(source, overdue_after_days(source), latest, today)


def loaded_periods(con: duckdb.DuckDBPyConnection, source: str) -> list[tuple[str, str]]:
    if not has_raw_table(con, "file_manifest"):
        return []
    # A file of either layout of a return keeps the return fresh (the registry's layouts).
    return con.execute(
        "select coalesce(area, 'unknown'), collection_period from raw.file_manifest"
        " where source in (select unnest(?)) and status = 'loaded'"
        " and collection_period is not null",
        [same_return(source)],
    ).fetchall()


def result_metadata(freshness: Freshness) -> dict:
    days = freshness.days_since_period_end
    areas = "\n".join(
        f"| {area} | {end.isoformat()} | {(freshness.today - end).days} |"
        for area, end in sorted(freshness.latest_by_area.items())
    )
    return {
        "overdue_after_days": freshness.overdue_after_days,
        "days_since_period_end": days if days is not None else "no file loaded",
        "latest_period_end": (
            freshness.latest_by_area[freshness.stalest_area].isoformat()
            if freshness.stalest_area
            else "no file loaded"
        ),
        "stalest_area": freshness.stalest_area or "none",
        "areas": dg.MetadataValue.md(
            "| area | latest period ends | days since |\n|---|---|---|\n" + areas
            if areas
            else "no file loaded"
        ),
    }


def build_freshness_check(fmt: SourceFormat) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=raw_table_key(fmt.tables[0].name),
        name=FRESHNESS_CHECK,
        description=f"{fmt.source}: the latest loaded extract of every area covers a period "
        f"that ended at most {overdue_after_days(fmt.source)} days ago "
        "(data/reference/sources/, or the default of orchestration/operations.yaml).",
    )
    def _freshness(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        periods = []
        if Path(warehouse.path).exists():
            with warehouse.connect(read_only=True) as con:
                periods = loaded_periods(con, fmt.source)
        freshness = assess(fmt.source, periods, datetime.now(UTC).date())
        return dg.AssetCheckResult(
            passed=freshness.is_fresh,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata=result_metadata(freshness),
        )

    return _freshness


def freshness_checks() -> list[dg.AssetChecksDefinition]:
    return [build_freshness_check(fmt) for fmt in all_formats()]


FRESHNESS_CHECKS = freshness_checks()
