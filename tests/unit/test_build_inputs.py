"""What a build was built from: the delivered files and the platform's code."""

import duckdb

from orchestration.resources import WarehouseResource
from orchestration.transform import build_inputs as inputs


def test_nothing_ingested_yet_means_no_fingerprint(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    assert inputs.build_inputs(WarehouseResource(path=str(warehouse))) is None
    duckdb.connect(str(warehouse)).close()
    assert inputs.build_inputs(WarehouseResource(path=str(warehouse))) is None


def test_the_fingerprint_follows_every_delivered_file_and_its_status(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    resource = WarehouseResource(path=str(warehouse))
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema raw")
        con.execute(
            "create table raw.file_manifest"
            " (file_path varchar, file_sha256 varchar, status varchar)"
        )
        con.execute("insert into raw.file_manifest values ('a.csv', 'aa', 'loaded')")
    first = inputs.build_inputs(resource)
    assert first is not None and first == inputs.build_inputs(resource)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("update raw.file_manifest set status = 'superseded'")
    superseded = inputs.build_inputs(resource)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("insert into raw.file_manifest values ('b.csv', 'bb', 'loaded')")
    assert len({first, superseded, inputs.build_inputs(resource)}) == 3


def test_the_code_version_covers_models_parsers_and_reference_files_not_build_output():
    files = {
        path.relative_to(inputs.settings.PROJECT_ROOT).as_posix() for path in inputs._code_files()
    }
    assert "dbt_project/models/marts/core/dim_month.sql" in files
    assert "orchestration/ingest/loader.py" in files
    assert "dbt_project/seeds/indicators.csv" in files
    assert "data/reference/published_statistics/la_annual_volumes.csv" in files
    assert not any(part in {"target", "__pycache__"} for f in files for part in f.split("/"))
