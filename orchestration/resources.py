"""Resources injected into every asset: the warehouse, the dbt CLI, the pseudonymiser and
the data folders. Defaults come from the environment (see settings.py)."""

import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource

from orchestration import settings
from orchestration.privacy.keys import KeyRefused, require_same_key
from orchestration.privacy.pseudonymise import MissingKeyError, Pseudonymiser, load_pseudonymiser

# Marks the steps that write the warehouse, so an executor running steps in parallel can hold
# them to one at a time (tag_concurrency_limits; see the README's operator guide).
WAREHOUSE_WRITER_TAGS = {"csc_intel/warehouse": "write"}


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse. Connections are opened per use and closed at once, because DuckDB
    allows one writer process and the dbt subprocess needs the file between our steps."""

    path: str

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(self.path, read_only=read_only)
        try:
            yield con
        finally:
            con.close()


class DataPathsResource(dg.ConfigurableResource):
    """Where partners drop extracts and where outputs and alerts are written."""

    data_dir: str

    @property
    def landing_dir(self) -> Path:
        return Path(self.data_dir) / "landing"

    @property
    def outputs_dir(self) -> Path:
        return Path(self.data_dir) / "outputs"

    @property
    def alerts_file(self) -> Path:
        return Path(self.data_dir) / "alerts" / "alerts.jsonl"


class PseudonymiserResource(dg.ConfigurableResource):
    """Reads the key when a run needs it, never at import, so a missing key fails the run that
    would have used it with a message saying how to set one."""

    def get(self, landing_dir: Path, con: duckdb.DuckDBPyConnection) -> Pseudonymiser:
        """The pseudonymiser for the extracts in landing_dir, loading into the warehouse con:
        the public demo key only on a folder the generator marked as synthetic, and only the
        key the warehouse's loaded files were protected with."""
        try:
            pseudonymiser = load_pseudonymiser(landing_dir)
            require_same_key(con, pseudonymiser.fingerprint, pseudonymiser.key_label)
        except (MissingKeyError, KeyRefused, ValueError) as error:
            # A configuration error: the ingestion steps' retries cannot help.
            raise dg.Failure(str(error), allow_retries=False) from error
        return pseudonymiser


def dbt_executable() -> str:
    """The dbt of this interpreter's venv, so Dagster never picks up another dbt on PATH."""
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else (shutil.which("dbt") or "dbt")


def build_resources(data_dir: Path | None = None, warehouse: Path | None = None) -> dict:
    data = data_dir or settings.data_dir()
    warehouse_file = warehouse or (
        data / "warehouse.duckdb" if data_dir else settings.warehouse_path()
    )
    return {
        "warehouse": WarehouseResource(path=str(warehouse_file)),
        "paths": DataPathsResource(data_dir=str(data)),
        "pseudonymiser": PseudonymiserResource(),
        "dbt": DbtCliResource(
            project_dir=str(settings.DBT_PROJECT_DIR),
            profiles_dir=str(settings.DBT_PROJECT_DIR),
            dbt_executable=dbt_executable(),
        ),
    }
