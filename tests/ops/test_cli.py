"""The operator's commands against a small county, run as an operator would (the installed
`csc-intel`, in temporary folders): run's terminal is a line per stage and a summary naming
every check that did not pass by its severity, status counts what raw.file_manifest holds,
check finds a malformed row without writing anything, and each command explains itself."""

import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from bench.measuring import environment
from orchestration.run_checks import failed_checks, run_evaluations
from synthetic import generate
from tests.ops.dagster_ui import instance_at

pytestmark = pytest.mark.slow
CSC_INTEL = Path(sys.executable).parent / "csc-intel"
SOURCES = ("cin_census", "ssda903", "ae_attendances", "police_incidents", "school_census")


def csc_intel(data: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(CSC_INTEL), *args],
        env=environment(data),
        cwd=data,
        capture_output=True,
        text=True,
        timeout=1200,
    )


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    data = tmp_path_factory.mktemp("county")
    # Big enough for every monthly extract to have rows (an empty one fails, as it should).
    generate(data / "landing", seed=3, children=5_000, start="2020-04", end="2021-03")
    return data, csc_intel(data, "run")


def test_run_shows_stages_and_a_summary_not_dagster_or_dbt_lines(county):
    data, run = county
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert len(lines) < 60 and run.stderr == ""
    for stage in ("ingest cin_census", "ingest ssda903", "retention", "dbt build", "checks"):
        assert any(line.strip().startswith(stage) for line in lines), stage
    assert re.search(r"ingest cin_census +1 file loaded; [\d,]+ records", run.stdout)
    assert re.search(
        r"refresh_all succeeded in .* \(run \w{8}\): \d+ steps ran, 0 failed", run.stdout
    )
    assert "Outputs in " in run.stdout and "briefing.html" in run.stdout
    assert "Warnings the run logged" not in run.stdout  # the project causes none
    assert "DEBUG" not in run.stdout and not re.search(r"\d+ of \d+ (START|PASS|OK)", run.stdout)
    # Everything else is in the log the summary names.
    log = Path(re.search(r"Log: (\S+\.log)", run.stdout)[1])
    text = (log if log.is_absolute() else data / log).read_text()
    assert "STEP_SUCCESS" in text and re.search(r"\d+ of \d+ PASS", text)


def test_the_summary_names_every_failed_check_with_its_severity(county):
    data, run = county
    with instance_at(data / "dagster_home") as inst:
        [record] = inst.get_run_records(limit=1)
        failed = failed_checks(run_evaluations(inst, record.dagster_run.run_id))
        tags = record.dagster_run.tags
    severities = {check.severity for check in failed}
    # Synthetic data ends in the past, so freshness fails (ERROR); the injected recording
    # defects fail content checks (WARN).
    assert severities == {"ERROR", "WARN"}
    for check in failed:
        assert re.search(rf"^  {check.severity} +{check.name} on ", run.stdout, re.M), check
    assert re.search(r"^  ERROR +freshness on raw/", run.stdout, re.M)
    counts = {s: sum(1 for c in failed if c.severity == s) for s in severities}
    assert f"Checks: {len(failed)} of " in run.stdout
    # The run itself says so, for the UI.
    assert tags["csc_intel/checks_failed_error"] == str(counts["ERROR"])
    assert tags["csc_intel/checks_failed_warn"] == str(counts["WARN"])
    assert tags["trigger"] == "csc-intel run"


def test_status_lists_each_source_with_what_the_manifest_holds(county):
    data, _ = county
    status = csc_intel(data, "status")
    assert status.returncode == 0, status.stderr
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        loaded = dict(
            (source, (files, rows))
            for source, files, rows in con.execute(
                "select source, count(*), sum(rows_loaded) from raw.file_manifest"
                " where status = 'loaded' group by source"
            ).fetchall()
        )
    for source in SOURCES:
        files, rows = loaded[source]
        assert re.search(
            rf"^{source} +{files} +{rows:,} +\d{{4}}-\d\d-\d\d +OVERDUE", status.stdout, re.M
        )
    assert re.search(r"Last run: refresh_all \w{8} succeeded", status.stdout)
    assert re.search(r"^  ERROR +freshness on raw/", status.stdout, re.M)


def test_status_does_not_read_a_warehouse_another_process_writes(county):
    data, _ = county
    with duckdb.connect(str(data / "warehouse.duckdb")):  # a writer holds it
        status = csc_intel(data, "status")
    assert status.returncode == 0, status.stderr
    assert "held by another process" in status.stdout and "Last run:" in status.stdout


def test_open_prints_the_outputs(county):
    data, _ = county
    opened = csc_intel(data, "open")
    assert opened.returncode == 0
    assert opened.stdout.splitlines()[1].strip().startswith("outputs/briefing.html  (")
    assert "analyst_marts.duckdb" in opened.stdout and "exports/" in opened.stdout


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
    }


def test_check_reports_a_malformed_row_and_writes_nothing(county, tmp_path):
    data, _ = county
    partner = tmp_path / "partner" / "ae_attendances"
    partner.mkdir(parents=True)
    delivered = sorted((data / "landing" / "ae_attendances").glob("*.csv"))[0]
    lines = delivered.read_text().splitlines()
    planted = lines[4].split(",")[2]  # the attendance id of line 5, which must not be quoted
    lines[4] += ",one,too,many"
    (partner / "ae_2020_05.csv").write_text("\n".join(lines) + "\n")
    (partner / "notes.zip").write_bytes(b"PK\x03\x04rest")
    empty = tmp_path / "empty_data"
    empty.mkdir()
    before = snapshot(tmp_path)
    checked = csc_intel(empty, "check", str(partner.parent))
    assert checked.returncode == 2, checked.stdout + checked.stderr
    assert re.search(
        r"ae_attendances/ae_2020_05.csv: ae_attendances \(authority \d{3}, period .*\): "
        rf"{len(lines) - 2:,} rows would load, 1 rejected",
        checked.stdout,
    )
    assert "rejected line 5 (row): too many columns" in checked.stdout
    refused = "ae_attendances/notes.zip: WOULD FAIL: ae_attendances/notes.zip is a compressed"
    assert refused in checked.stdout
    assert planted not in checked.stdout
    assert snapshot(tmp_path) == before  # no warehouse, no log, nothing in the folder


def test_every_command_explains_itself():
    for command, words in {
        "run": "refresh_all",
        "status": "raw.file_manifest",
        "open": "briefing",
        "check": "without loading",
        "generate": "synthetic",
    }.items():
        shown = subprocess.run(
            [str(CSC_INTEL), command, "--help"], capture_output=True, text=True, check=True
        )
        assert words in shown.stdout, command
    top = subprocess.run([str(CSC_INTEL), "--help"], capture_output=True, text=True, check=True)
    assert all(name in top.stdout for name in ("generate", "run", "status", "open", "check"))
    assert "csc-intel.toml" in top.stdout


def test_generate_summary_reports_each_stage_and_a_total(tmp_path):
    shown = subprocess.run(
        [str(CSC_INTEL), "generate", "--out", str(tmp_path / "landing"), "--children", "300"]
        + ["--start", "2020-04", "--end", "2020-06", "--summary"],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = shown.stdout.splitlines()
    assert lines[0].startswith("csc-intel generate: 2020-04 to 2020-06 into ")
    assert any(re.fullmatch(r"  LA 938: \d+ partner extracts written", line) for line in lines)
    files = sum(1 for path in (tmp_path / "landing").rglob("*") if path.is_file())
    assert re.match(rf".*landing: {files} files in \d+ sources and the answer key", lines[-1])
    assert len(lines) < 8
