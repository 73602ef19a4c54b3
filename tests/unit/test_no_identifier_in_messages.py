"""Error messages never quote row content. Identifiers are planted wherever an error could
quote them (headerless files of every format, a header with a data cell in it, broken or odd
XML, ragged rows, bad values in every identifier column), ingested, and then searched for, in
their delivered and normalised forms, in the manifest, the findings, the rejected rows, every
raw table, the logs and, for one run through Dagster, its run storage and compute logs."""

import logging
import sqlite3
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.ingest.assets import INGEST_ASSETS
from orchestration.ingest.formats import all_formats
from orchestration.ingest.formats.unrecognised import UnrecognisedFormat
from orchestration.ingest.loader import Ingestor
from orchestration.privacy.keys import mark_synthetic
from orchestration.privacy.pseudonymise import DEMO_KEY, Pseudonymiser
from orchestration.resources import build_resources
from tests.unit.hostile_deliveries import (
    IDENTIFIER_NEEDLES,
    MESSAGE_NEEDLES,
    leaks,
    plant_everything,
)

# --- where a value could surface ----------------------------------------------------------


def warehouse_text(con: duckdb.DuckDBPyConnection, schema: str = "raw") -> dict[str, str]:
    tables = con.execute(
        "select table_name from information_schema.tables where table_schema = ?", [schema]
    ).fetchall()
    return {
        name: "\n".join(
            str(row) for row in con.execute(f'select * from {schema}."{name}"').fetchall()
        )
        for (name,) in tables
    }


def message_tables() -> tuple[str, ...]:
    return ("file_manifest", "rejected_rows", "schema_findings")


def dagster_home_text(home: Path) -> dict[str, str]:
    """Every file under DAGSTER_HOME: SQLite databases dumped as SQL (a value split over
    pages would hide from a byte search), everything else as text."""
    texts = {}
    for path in sorted(p for p in home.rglob("*") if p.is_file()):
        if path.suffix == ".db":
            with sqlite3.connect(path) as db:
                texts[str(path)] = "\n".join(db.iterdump())
        else:
            texts[str(path)] = path.read_bytes().decode("utf-8", errors="replace")
    return texts


def assert_nothing_disclosed(texts: dict[str, str], con: duckdb.DuckDBPyConnection) -> int:
    """Fails showing every line where a planted value surfaced; returns the places searched."""
    places = {f"raw.{name}": text for name, text in warehouse_text(con).items()}
    found = {}
    for place, text in {**places, **texts}.items():
        in_messages = place not in places or place.removeprefix("raw.") in message_tables()
        needles = MESSAGE_NEEDLES if in_messages else IDENTIFIER_NEEDLES
        lines = [line[:300] for line in text.splitlines() if leaks(line, needles)]
        if lines:
            found[place] = lines[:20]
    assert not found, "\n".join(
        f"{place}:\n  " + "\n  ".join(lines) for place, lines in found.items()
    )
    return len(places) + len(texts)


def test_no_planted_identifier_reaches_a_message_a_log_or_a_raw_table(tmp_path, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    files = plant_everything(tmp_path)
    con = duckdb.connect()
    pseudonymiser = Pseudonymiser(DEMO_KEY, "DEMO (synthetic data only)")
    outcomes = []
    formats = all_formats()
    for fmt in formats:
        outcomes += (
            Ingestor(fmt, con, pseudonymiser, tmp_path).ingest(tmp_path / fmt.source).outcomes
        )
    unrecognised = UnrecognisedFormat([fmt.source for fmt in formats])
    outcomes += (
        Ingestor(unrecognised, con, pseudonymiser, tmp_path)
        .ingest(tmp_path, skip_folders=unrecognised.sources)
        .outcomes
    )
    assert len(outcomes) == files
    failed = [o for o in outcomes if o.status == "failed"]
    loaded = [o for o in outcomes if o.status == "loaded"]
    # Every file that must be refused was, with a message that still says what to do.
    assert all("Fix:" in o.error for o in failed)
    assert {o.file_path.rsplit("/", 1)[-1] for o in loaded} >= {
        "bad_values.csv",
        "bad_values_header.csv",
        "bad_values_episodes.csv",
        "odd_but_well_formed.xml",
    }
    assert con.execute("select count(*) from raw.rejected_rows").fetchone()[0] >= 3 * 7
    assert con.execute("select count(*) from raw.schema_findings").fetchone()[0] >= 20
    captured = capfd.readouterr()
    texts = {
        "outcome errors": "\n".join(o.error or "" for o in outcomes),
        "logs": caplog.text,
        "stdout": captured.out,
        "stderr": captured.err,
    }
    assert_nothing_disclosed(texts, con)


def test_no_planted_identifier_reaches_dagster_run_storage_or_compute_logs(
    tmp_path, monkeypatch, caplog, capfd
):
    caplog.set_level(logging.DEBUG)
    data, home = tmp_path / "data", tmp_path / "dagster_home"
    home.mkdir()
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    plant_everything(data / "landing")
    mark_synthetic(data / "landing")
    with dg.instance_for_test(temp_dir=str(home)) as instance:
        result = dg.materialize(
            INGEST_ASSETS,
            resources=build_resources(data_dir=data),
            instance=instance,
            raise_on_error=False,
        )
        failures = [e for e in result.get_asset_check_evaluations() if not e.passed]
        assert failures, "the hostile files must fail the files_parsed checks"
    captured = capfd.readouterr()
    texts = dagster_home_text(home)
    assert any(path.endswith(".db") for path in texts), texts.keys()
    texts.update({"logs": caplog.text, "stdout": captured.out, "stderr": captured.err})
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        assert (
            con.execute(
                "select count(*) from raw.file_manifest where status = 'failed'"
            ).fetchone()[0]
            > 30
        )
        assert_nothing_disclosed(texts, con)
