"""The asset graph as operators browse it: every asset described, owned, grouped by stage and
tagged by partner; code versions; retries on ingestion; schedules and sensors in place."""

import csv
from datetime import date, timedelta

import dagster as dg
import duckdb

from orchestration.definitions import defs
from orchestration.ingest.formats import all_formats
from orchestration.operations import is_person_grain, operations, table_preview
from orchestration.settings import DBT_PROJECT_DIR

GRAPH = defs.resolve_asset_graph()
BANK_HOLIDAYS = DBT_PROJECT_DIR / "seeds" / "bank_holidays_england.csv"
STAGES = {
    "ingest", "reference", "staging", "intermediate", "marts", "quality", "partnership",
    "outputs",
}  # fmt: skip


def nodes():
    return [GRAPH.get(key) for key in GRAPH.get_all_asset_keys()]


def test_every_asset_is_described_owned_and_in_a_stage_group():
    for node in nodes():
        assert node.description, node.key
        assert node.group_name in STAGES, node.key
        assert list(node.owners) == operations()["owners"][node.group_name], node.key


def test_partner_tags_follow_the_data_from_raw_tables_to_marts():
    def partner(*path):
        return GRAPH.get(dg.AssetKey(list(path))).tags.get("partner")

    assert partner("raw", "cin_child") == "social_care"
    assert partner("staging", "stg_police__incidents") == "police"
    assert partner("marts", "fct_cp_plans") == "social_care"
    assert partner("marts", "fct_referrals") == "linked"  # locality and partner contacts
    assert partner("marts", "fct_hospital_admissions") == "health"
    assert partner("marts", "fct_indicator_monthly") == "linked"
    # Every source's raw tables and staging models carry their partner; the platform's own
    # records (the file manifest, unrecognised files) belong to none.
    for node in nodes():
        if (
            "source" in node.tags
            or node.key.path[-1].startswith("stg_")
            and not node.key.path[-1].startswith("stg_ingest__")
        ):
            assert node.tags.get("partner"), node.key


def test_code_versions_change_with_the_code_they_stand_for():
    versions = {
        node.key.to_user_string(): node.code_version
        for node in nodes()
        if node.group_name in {"ingest", "staging", "intermediate", "marts"}
        and node.is_materializable
    }
    assert all(versions.values()), [key for key, version in versions.items() if not version]
    # One ingestion step per source: its tables share the version, the sources do not.
    assert versions["raw/cin_child"] == versions["raw/cin_details"]
    assert versions["raw/cin_child"] != versions["raw/ae_attendances"]
    assert versions["raw/ae_attendances"] != versions["raw/police_incidents"]


def test_ingestion_steps_retry_and_nothing_else_does():
    for fmt in all_formats():
        policy = defs.get_assets_def(dg.AssetKey(["raw", fmt.tables[0].name])).op.retry_policy
        assert policy is not None and policy.max_retries == 3, fmt.source
    dbt = defs.get_assets_def(dg.AssetKey(["marts", "fct_referrals"]))
    assert dbt.op.retry_policy is None


def fifth_working_day(year: int, month: int, holidays: set[date]) -> date:
    day = date(year, month, 1)
    working = 0
    while True:
        if day.weekday() < 5 and day not in holidays:
            working += 1
            if working == 5:
                return day
        day += timedelta(days=1)


def test_the_monthly_refresh_runs_after_every_months_delivery_window():
    schedules = {schedule.name: schedule for schedule in defs.schedules}
    refresh = schedules["monthly_refresh"]
    assert refresh.job_name == "refresh_all"
    assert refresh.execution_timezone == "Europe/London"
    minute, hour, day_of_month, month, weekday = refresh.cron_schedule.split()
    assert (minute, hour, month, weekday) == ("0", "6", "*", "*")
    with BANK_HOLIDAYS.open() as handle:
        holidays = {date.fromisoformat(row["holiday_date"]) for row in csv.DictReader(handle)}
    years = sorted({holiday.year for holiday in holidays})
    latest = max(
        fifth_working_day(year, month, holidays).day for year in years for month in range(1, 13)
    )
    # Partners deliver by the fifth working day: the refresh comes the day after the latest.
    assert int(day_of_month) == latest + 1


def test_freshness_is_checked_daily_by_a_job_of_date_judged_checks_only():
    schedules = {schedule.name: schedule for schedule in defs.schedules}
    assert schedules["freshness_schedule"].job_name == "check_freshness"
    assert schedules["freshness_schedule"].cron_schedule == "0 7 * * *"
    job = defs.resolve_job_def("check_freshness")
    checks = job.asset_layer.asset_graph.asset_check_keys
    # The checks judged against today: the partners' extracts and the plan's reviews.
    assert {key.name for key in checks} == {"freshness", "reviews_not_overdue"}
    freshness = [key for key in checks if key.name == "freshness"]
    assert len(freshness) == len(all_formats())
    assert {sensor.name for sensor in defs.sensors} == {"landing_sensor", "run_failure_alert"}


def test_previews_only_for_marts_not_at_a_persons_grain():
    con = duckdb.connect()
    con.execute(
        "create table indicators as select 'referrals' as indicator_id, 12 as numerator"
        " union all select 'cla_starts', 3"
    )
    con.execute("create table referrals as select 'ab12' as la_child_id_pseudonym, 1 as age")
    preview = table_preview(con, "indicators")
    assert "referrals" in preview.value and "cla_starts" in preview.value
    assert table_preview(con, "referrals") is None
    assert is_person_grain(["child_key", "area_code"])
    assert is_person_grain(["incident_ref", "incident_date"])
    assert not is_person_grain(["area_code", "month", "indicator_id", "value"])
