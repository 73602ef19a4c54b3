"""The clean synthetic county the SSD ingest tests (test_ssd_cin.py, test_ssd_cla.py,
test_ssd_cla_placement.py) share: generated and ingested once per session."""

from collections.abc import Iterator
from dataclasses import dataclass

import duckdb
import pytest

from orchestration.ingest.formats.ssda903 import Ssda903Format
from orchestration.ingest.model import FileOutcome
from synthetic import GenerationSummary
from tests.ingest.ssd_extracts import ingest
from tests.synthetic.synth_helpers import generate_clean

# Two collection years: an SSD extract made on 1 April 2020 and one on 1 April 2021, each
# beside the SSDA903 return of its year.
CLEAN_COUNTY = {"seed": 5, "children": 6_000, "start": "2019-04", "end": "2021-03"}


@dataclass(frozen=True)
class IngestedCounty:
    run: GenerationSummary
    con: duckdb.DuckDBPyConnection  # read only
    ssd_outcomes: list[FileOutcome]  # of the SSD's files, as the ingest reported them


@pytest.fixture(scope="session")
def clean_county(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IngestedCounty]:
    """The county's SSD extracts ingested, then its SSDA903 returns, into one warehouse that
    the tests only read: a test that would change it builds a county of its own."""
    run = generate_clean(tmp_path_factory.mktemp("clean_county"), **CLEAN_COUNTY)
    warehouse = str(run.out_dir.parent / "warehouse.duckdb")
    with duckdb.connect(warehouse) as con:
        ssd_outcomes = ingest(con, run.out_dir).outcomes
        ingest(con, run.out_dir, Ssda903Format())
    with duckdb.connect(warehouse, read_only=True) as con:
        yield IngestedCounty(run, con, ssd_outcomes)
