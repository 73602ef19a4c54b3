"""A delivery moved into its source's _withdrawn/ folder is unloaded at the next ingestion,
stays out while it is there (a copy of the same bytes included) and comes back only when
it is taken out again; the build inputs change, so the next run rebuilds."""

import shutil

import duckdb
import pytest

from orchestration.resources import WarehouseResource
from orchestration.transform.build_inputs import build_inputs
from synthetic import generate
from tests.warehouse import ingest_landing

POLICE = "police_incidents/police_incidents_938_2020-03.csv"


@pytest.fixture
def root(tmp_path):
    generate(tmp_path / "landing", seed=5, children=1500, start="2020-01", end="2020-06")
    ingest_landing(tmp_path)
    return tmp_path


def rows_of(root, table: str, relative: str) -> int:
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(
            f"select count(*) from raw.{table} where _source_file = ?", [relative]
        ).fetchone()[0]


def manifest(root, relative: str) -> tuple:
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(
            "select status, withdrawn_at is not null, fix from raw.file_manifest"
            " where file_path = ?",
            [relative],
        ).fetchone()


def withdraw(root, relative: str) -> None:
    source, name = relative.split("/", 1)
    target = root / "landing" / source / "_withdrawn" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    (root / "landing" / relative).rename(target)


def test_a_withdrawn_delivery_is_unloaded_and_the_build_inputs_change(root):
    before = build_inputs(WarehouseResource(path=str(root / "warehouse.duckdb")))
    assert rows_of(root, "police_incidents", POLICE) > 0
    withdraw(root, POLICE)
    ingest_landing(root)
    assert rows_of(root, "police_incidents", POLICE) == 0
    status, dated, fix = manifest(root, POLICE)
    assert (status, dated) == ("withdrawn", True) and "_withdrawn/" in fix
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as con:
        for log in ("rejected_rows", "schema_findings"):
            assert con.execute(
                f"select count(*) from raw.{log} where file_path = ?", [POLICE]
            ).fetchone() == (0,)
    assert build_inputs(WarehouseResource(path=str(root / "warehouse.duckdb"))) != before
    # Another run changes nothing more.
    after = build_inputs(WarehouseResource(path=str(root / "warehouse.duckdb")))
    ingest_landing(root)
    assert build_inputs(WarehouseResource(path=str(root / "warehouse.duckdb"))) == after


def test_the_same_bytes_are_not_loaded_again_until_taken_out_of_withdrawn(root):
    withdraw(root, POLICE)
    ingest_landing(root)
    copy = "police_incidents/police_incidents_938_2020-03_resent.csv"
    shutil.copy(
        root / "landing" / "police_incidents" / "_withdrawn" / POLICE.split("/")[1],
        root / "landing" / copy,
    )
    ingest_landing(root)
    assert rows_of(root, "police_incidents", copy) == 0
    assert manifest(root, copy)[:2] == ("withdrawn", True)
    # Re-delivery: the file taken out of _withdrawn/ loads again.
    (root / "landing" / "police_incidents" / "_withdrawn" / POLICE.split("/")[1]).unlink()
    ingest_landing(root)
    assert rows_of(root, "police_incidents", copy) > 0


def test_withdrawing_a_redelivery_does_not_restore_what_it_replaced(root):
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as con:
        replaced = con.execute(
            "select file_path from raw.file_manifest where status = 'superseded'"
            " and source = 'ae_attendances'"
        ).fetchall()
    assert replaced, "the generator re-delivers an A&E month"
    redelivery = next(
        path.relative_to(root / "landing").as_posix()
        for path in (root / "landing" / "ae_attendances").glob("*_redelivery.csv")
    )
    withdraw(root, redelivery)
    ingest_landing(root)
    assert manifest(root, redelivery)[0] == "withdrawn"
    for (path,) in replaced:
        assert manifest(root, path)[0] == "superseded"
        assert rows_of(root, "ae_attendances", path) == 0
