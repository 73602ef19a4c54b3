"""Freshness checks: the end of the latest period each area's loaded files cover, against the
days operations.yaml allows, evaluated on a real raw.file_manifest."""

from datetime import UTC, date, datetime

import dagster as dg
import duckdb
import pytest

from orchestration.ingest.formats import all_formats
from orchestration.ingest.freshness import assess, build_freshness_check, period_end
from orchestration.ingest.ledger import MANIFEST_DDL
from orchestration.resources import WarehouseResource


def test_periods_end_on_the_last_day_they_cover():
    assert period_end("2021") == date(2021, 3, 31)  # DfE collection year to 31 March
    assert period_end("2020-04..2020-04") == date(2020, 4, 30)
    assert period_end("2019-11..2020-02") == date(2020, 2, 29)
    with pytest.raises(ValueError, match="2021-Q1"):
        period_end("2021-Q1")


def test_a_monthly_extract_is_overdue_after_40_days():
    periods = [("938", "2021-02..2021-02"), ("938", "2021-03..2021-03")]
    on_time = assess("ae_attendances", periods, today=date(2021, 5, 10))
    late = assess("ae_attendances", periods, today=date(2021, 5, 11))
    assert on_time.days_since_period_end == 40 and on_time.is_fresh
    assert late.days_since_period_end == 41 and not late.is_fresh


def test_an_annual_return_has_until_16_months_after_its_year_ends():
    assert assess("cin_census", [("938", "2021")], date(2022, 8, 3)).is_fresh  # 490 days
    assert not assess("cin_census", [("938", "2021")], date(2022, 8, 4)).is_fresh


def test_the_stalest_area_decides_and_no_file_is_not_fresh():
    periods = [("938", "2021-03..2021-03"), ("936", "2021-01..2021-01")]
    freshness = assess("police_incidents", periods, today=date(2021, 4, 15))
    assert freshness.stalest_area == "936"
    assert freshness.days_since_period_end == 74 and not freshness.is_fresh
    assert not assess("police_incidents", [], today=date(2021, 4, 15)).is_fresh


def manifest_warehouse(path, rows):
    with duckdb.connect(str(path)) as con:
        con.execute("create schema raw")
        con.execute(MANIFEST_DDL)
        con.executemany(
            "insert into raw.file_manifest (source, area, collection_period, status)"
            " values (?, ?, ?, ?)",
            rows,
        )


def run_check(source: str, warehouse: WarehouseResource) -> dg.AssetCheckResult:
    [fmt] = [f for f in all_formats() if f.source == source]
    return build_freshness_check(fmt)(warehouse=warehouse)


def test_the_asset_check_reads_loaded_files_only_and_fails_when_overdue(tmp_path):
    today = datetime.now(UTC).date()
    this_month = today.strftime("%Y-%m")
    warehouse = tmp_path / "warehouse.duckdb"
    manifest_warehouse(
        warehouse,
        [
            ("ae_attendances", "938", "2021-03..2021-03", "loaded"),
            ("ae_attendances", "938", f"{this_month}..{this_month}", "failed"),
            ("camhs_referrals", "938", f"{this_month}..{this_month}", "loaded"),
        ],
    )
    resource = WarehouseResource(path=str(warehouse))

    overdue = run_check("ae_attendances", resource)
    assert not overdue.passed and overdue.severity == dg.AssetCheckSeverity.ERROR
    assert overdue.metadata["latest_period_end"].value == "2021-03-31"
    assert overdue.metadata["days_since_period_end"].value == (today - date(2021, 3, 31)).days

    assert run_check("camhs_referrals", resource).passed
    never = run_check("police_incidents", resource)
    assert not never.passed and never.metadata["latest_period_end"].value == "no file loaded"


def test_the_check_fails_without_a_warehouse_rather_than_erroring(tmp_path):
    result = run_check("ssda903", WarehouseResource(path=str(tmp_path / "none.duckdb")))
    assert not result.passed
    assert not (tmp_path / "none.duckdb").exists()


def test_either_layout_of_the_school_census_keeps_both_fresh(tmp_path):
    term = datetime.now(UTC).date().strftime("%Y-%m")
    warehouse = tmp_path / "warehouse.duckdb"
    manifest_warehouse(warehouse, [("school_census", "938", f"{term}..{term}", "loaded")])
    resource = WarehouseResource(path=str(warehouse))
    export = run_check("school_census_export", resource)
    assert export.passed and export.metadata["overdue_after_days"].value == 150
    assert run_check("school_census", resource).passed
    assert not run_check("police_incidents", resource).passed  # no other source borrows it
