"""`csc-intel status`: the deliveries per source (raw.file_manifest), their freshness, the
run going and the last finished run with its checks that did not pass. Read-only: the
warehouse is opened read-only for a moment, and not at all while a run is going (DuckDB has
one writer, and a writer blocks every other process's reads)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import duckdb

from orchestration import settings
from orchestration.cli.instance import dagster_instance, last_finished_run, run_going
from orchestration.cli.progress import duration
from orchestration.cli.summary import check_lines, shown
from orchestration.ingest.formats import all_formats
from orchestration.ingest.freshness import assess, loaded_periods
from orchestration.ingest.ledger import has_raw_table
from orchestration.privacy.pseudonymise import MissingKeyError, Pseudonymiser, configured_key
from orchestration.run_checks import failed_checks, run_evaluations

DELIVERIES = """
select source, status, count(*) as files, coalesce(sum(rows_loaded), 0) as rows
from raw.file_manifest group by all order by all"""


def configuration_lines() -> list[str]:
    try:
        key, label = configured_key()
        key_line = f"{label} (fingerprint {Pseudonymiser(key, label).fingerprint})"
    except (MissingKeyError, ValueError) as error:
        key_line = f"none: {error}"
    return [
        f"Data folder {shown(settings.data_dir())}, warehouse {shown(settings.warehouse_path())}",
        f"Authorities: {', '.join(settings.authorities()) or 'not configured'}; "
        f"pseudonymisation key: {key_line}",
    ]


def delivery_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Per source: files by status, records loaded, the latest period and its freshness."""
    if not has_raw_table(con, "file_manifest"):
        return ["Deliveries: nothing ingested yet (no raw.file_manifest)."]
    counts: dict[str, dict[str, tuple[int, int]]] = {}
    for source, status, files, rows in con.execute(DELIVERIES).fetchall():
        counts.setdefault(source, {})[status] = (files, rows)
    today = datetime.now(UTC).date()
    lines = [f"{'source':<26} {'files':>6} {'records':>12}  latest period ends  freshness"]
    sources = [fmt.source for fmt in all_formats()]
    for source in [*sources, *sorted(set(counts) - set(sources))]:
        by_status = counts.get(source, {})
        files, rows = by_status.get("loaded", (0, 0))
        others = ", ".join(
            f"{n} {status}" for status, (n, _) in sorted(by_status.items()) if status != "loaded"
        )
        extra = f"  [{others}]" if others else ""
        if source not in sources:
            # The partnership's returns: dated the day they came back, with no extract's
            # cadence; the overdue review is their own check (partnership/checks.py).
            lines.append(f"{source:<26} {files:>6} {rows:>12,}  {'-':<18}  -{extra}")
            continue
        freshness = assess(source, loaded_periods(con, source), today)
        if freshness.stalest_area is None:
            latest, fresh = "-", "nothing loaded"
        else:
            latest = freshness.latest_by_area[freshness.stalest_area].isoformat()
            days = freshness.days_since_period_end
            limit = freshness.overdue_after_days
            fresh = f"{'fresh' if freshness.is_fresh else 'OVERDUE'} ({days} days, limit {limit})"
        lines.append(f"{source:<26} {files:>6} {rows:>12,}  {latest:<18}  {fresh}{extra}")
    return lines


def warehouse_lines(going: dg.DagsterRun | None) -> list[str]:
    warehouse = settings.warehouse_path()
    if going is not None:
        return [
            f"Deliveries: not read while run {going.run_id[:8]} writes the warehouse (DuckDB "
            "allows no reader beside a writer); ask again when it has finished."
        ]
    if not warehouse.exists():
        return [f"Deliveries: no warehouse at {shown(warehouse)} yet: run `csc-intel run`."]
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return delivery_lines(con)
    except duckdb.IOException as error:
        if "lock" not in str(error).lower():
            raise
        return [
            "Deliveries: the warehouse is held by another process (a run, or a tool with it "
            "open for writing); ask again when it has finished."
        ]


def run_line(run: dg.DagsterRun, record: dg.RunRecord | None) -> str:
    started = record.start_time if record else None
    ended = record.end_time if record else None
    when = datetime.fromtimestamp(started).strftime("%Y-%m-%d %H:%M") if started else "?"
    took = f" in {duration(ended - started)}" if started and ended else ""
    trigger = run.tags.get("trigger") or run.tags.get("dagster/sensor_name") or "manual"
    status = {"SUCCESS": "succeeded", "FAILURE": "failed"}.get(
        run.status.value, run.status.value.lower()
    )
    return f"{run.job_name} {run.run_id[:8]} {status}, started {when}{took} ({trigger})"


def run_lines(instance: dg.DagsterInstance, going: dg.DagsterRun | None) -> list[str]:
    lines = []
    if going is not None:
        lines.append("Going: " + run_line(going, _record(instance, going)))
    last = last_finished_run(instance)
    if last is None:
        return [*lines, "Last run: none in this Dagster instance."]
    lines.append("Last run: " + run_line(last, _record(instance, last)))
    failed = failed_checks(run_evaluations(instance, last.run_id))
    if failed:
        lines.append(f"Its checks that did not pass ({len(failed)}):")
        lines += check_lines(failed)
    else:
        lines.append("Its checks all passed.")
    return lines


def _record(instance: dg.DagsterInstance, run: dg.DagsterRun) -> dg.RunRecord | None:
    records = instance.get_run_records(filters=dg.RunsFilter(run_ids=[run.run_id]), limit=1)
    return records[0] if records else None


def main(args: argparse.Namespace) -> int:
    instance = dagster_instance()
    going = run_going(instance)
    lines = [
        *configuration_lines(),
        "",
        *warehouse_lines(going),
        "",
        *run_lines(instance, going),
        f"Outputs: {shown(Path(settings.data_dir()) / 'outputs')} (csc-intel open)",
    ]
    print("\n".join(lines))
    return 0
