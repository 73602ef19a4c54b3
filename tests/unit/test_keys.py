"""Which key may protect which landing folder and warehouse: the public demo key only on
generated data, and never a key other than the one the warehouse was loaded under."""

import dagster as dg
import duckdb
import pytest

from orchestration.ingest.assets import INGEST_ASSETS
from orchestration.privacy.keys import (
    DEMO_FINGERPRINT,
    DEMO_KEY,
    SYNTHETIC_MARKER,
    key_fingerprint,
    mark_synthetic,
    record_fingerprint_for_labelled_files,
)
from orchestration.privacy.pseudonymise import Pseudonymiser, main
from orchestration.resources import PseudonymiserResource, build_resources

KEY_A = "first key, long enough to be accepted"
KEY_B = "second key, long enough to be accepted"
POLICE_HEADER = (
    "FORCE_CODE,LA_CODE,INCIDENT_REF,INCIDENT_DATE,INCIDENT_TYPE,CHILDREN_PRESENT,"
    "NOTIFIED_TO_CSC,CHILD_FORENAME,CHILD_SURNAME,CHILD_DOB,CHILD_POSTCODE,RECORDED_AT"
)


def deliver_police(landing, month: str) -> None:
    folder = landing / "police_incidents"
    folder.mkdir(parents=True, exist_ok=True)
    row = f"37,938,INC{month},2020-{month}-03,missing_child,1,Y,Tom,Jones,2009-11-30,QX1 2CD,"
    (folder / f"police_2020-{month}.csv").write_text(f"{POLICE_HEADER}\n{row}\n")


def run_police_ingest(data_dir) -> dg.ExecuteInProcessResult:
    [police] = [
        a
        for a in INGEST_ASSETS
        if getattr(a, "op", None) and a.op.name == "ingest_police_incidents"
    ]
    return dg.materialize([police], resources=build_resources(data_dir), raise_on_error=False)


def failure_message(result: dg.ExecuteInProcessResult) -> str:
    [failure] = [event for event in result.all_events if event.is_step_failure]
    return failure.step_failure_data.error.message


def test_the_demo_key_is_refused_on_a_folder_the_generator_did_not_mark(tmp_path):
    with duckdb.connect() as con, pytest.raises(dg.Failure) as refused:
        PseudonymiserResource().get(tmp_path, con)
    assert refused.value.allow_retries is False
    message = str(refused.value)
    assert "demo key" in message and "synthetic data only" in message
    assert "token_urlsafe(32)" in message and "CSC_INTEL_PSEUDONYMISATION_KEY_FILE" in message
    assert "chmod 600" in message


def test_the_demo_key_is_refused_however_it_is_configured(tmp_path, monkeypatch):
    monkeypatch.setenv("CSC_INTEL_PSEUDONYMISATION_KEY", DEMO_KEY.decode())
    with duckdb.connect() as con, pytest.raises(dg.Failure, match="demo key"):
        PseudonymiserResource().get(tmp_path, con)


def test_the_demo_key_is_accepted_on_a_marked_folder_only_by_a_real_marker(tmp_path):
    real, linked = tmp_path / "real", tmp_path / "linked"
    marker = mark_synthetic(real)
    linked.mkdir()
    (linked / SYNTHETIC_MARKER).symlink_to(marker)
    with duckdb.connect() as con:
        assert PseudonymiserResource().get(real, con).fingerprint == DEMO_FINGERPRINT
        with pytest.raises(dg.Failure, match="demo key"):
            PseudonymiserResource().get(linked, con)


def test_a_real_key_is_accepted_on_any_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("CSC_INTEL_PSEUDONYMISATION_KEY", KEY_A)
    mark_synthetic(tmp_path / "synthetic")
    with duckdb.connect() as con:
        for folder in (tmp_path, tmp_path / "synthetic"):
            assert PseudonymiserResource().get(folder, con).key_label.startswith("env:")


def test_the_fingerprint_is_stable_differs_by_key_and_never_shows_the_key():
    fingerprint = Pseudonymiser(KEY_A.encode(), "a").fingerprint
    assert fingerprint == Pseudonymiser(KEY_A.encode(), "another label").fingerprint
    assert fingerprint == key_fingerprint(KEY_A.encode())
    assert fingerprint != Pseudonymiser(KEY_B.encode(), "a").fingerprint
    assert len(fingerprint) == 16 and int(fingerprint, 16) >= 0
    assert KEY_A not in fingerprint and KEY_A.encode().hex()[:16] != fingerprint


def test_the_manifest_records_the_fingerprint_and_a_new_key_stops_the_run(tmp_path, monkeypatch):
    monkeypatch.setenv("CSC_INTEL_PSEUDONYMISATION_KEY", KEY_A)
    deliver_police(tmp_path / "landing", "04")
    assert run_police_ingest(tmp_path).success

    monkeypatch.setenv("CSC_INTEL_PSEUDONYMISATION_KEY", KEY_B)
    deliver_police(tmp_path / "landing", "05")
    result = run_police_ingest(tmp_path)
    assert not result.success
    message = failure_message(result)
    warehouse = str(tmp_path / "warehouse.duckdb")
    assert key_fingerprint(KEY_B.encode()) in message and key_fingerprint(KEY_A.encode()) in message
    assert "restore the previous key" in message and f"delete {warehouse}" in message
    assert "refresh_all" in message and KEY_A not in message and KEY_B not in message
    with duckdb.connect(warehouse, read_only=True) as con:
        assert con.execute(
            "select file_path, pseudonymisation_key from raw.file_manifest"
        ).fetchall() == [("police_incidents/police_2020-04.csv", key_fingerprint(KEY_A.encode()))]
        assert con.execute("select incident_ref from raw.police_incidents").fetchall() == [
            ("INC04",)
        ]
    # A configuration failure: retrying (20 s, 60 s, 140 s) cannot help.
    assert sum(1 for event in result.all_events if event.event_type_value == "STEP_RESTARTED") == 0


def legacy_warehouse(path, label: str) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    con.execute("create schema raw")
    con.execute(
        "create table raw.file_manifest (file_path varchar, status varchar,"
        " pseudonymisation_key varchar)"
    )
    con.execute("insert into raw.file_manifest values ('a.csv', 'loaded', ?)", [label])
    return con


def test_a_warehouse_labelled_with_the_demo_key_continues_under_the_demo_key(tmp_path):
    mark_synthetic(tmp_path)
    with legacy_warehouse(tmp_path / "w.duckdb", "DEMO (synthetic data only)") as con:
        assert PseudonymiserResource().get(tmp_path, con).fingerprint == DEMO_FINGERPRINT


def test_a_warehouse_labelled_by_key_source_says_how_to_record_the_fingerprint(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("CSC_INTEL_PSEUDONYMISATION_KEY", KEY_A)
    monkeypatch.setenv("CSC_INTEL_WAREHOUSE", str(tmp_path / "w.duckdb"))
    with legacy_warehouse(tmp_path / "w.duckdb", "env:CSC_INTEL_PSEUDONYMISATION_KEY") as con:
        with pytest.raises(dg.Failure, match="--record-for-earlier-files") as refused:
            PseudonymiserResource().get(tmp_path, con)
        assert "re-key" in str(refused.value)
        assert record_fingerprint_for_labelled_files(con, key_fingerprint(KEY_B.encode())) == 1
        with pytest.raises(dg.Failure, match="restore the previous key"):
            PseudonymiserResource().get(tmp_path, con)
        con.execute("update raw.file_manifest set pseudonymisation_key = 'env:X'")
    assert main(["--record-for-earlier-files"]) == 0
    assert key_fingerprint(KEY_A.encode()) in capsys.readouterr().out
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        assert PseudonymiserResource().get(tmp_path, con).key_label.startswith("env:")
