"""Test-wide set-up: telemetry off, the public demo key, and a fresh dbt manifest (dagster-dbt
reads it when orchestration.definitions is imported).

The demo key is accepted only on a landing folder the generator marked as synthetic: a test
that builds its landing folder by hand marks it with orchestration.privacy.keys.mark_synthetic."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The tests' dbt builds name their warehouse relatively (tests/warehouse.py), so the parse
# below serves every one of them; Dagster's runs use their own absolute path either way.
TEST_WAREHOUSE_NAME = "warehouse.duckdb"
# A copy of the session's parse: Dagster's builds replace the one in dbt_project/target with
# their own (orchestration/transform/assets.py), whose profile names their warehouse.
PARSE_STATE = PROJECT_ROOT / "dbt_project" / "target" / "tests" / "partial_parse.msgpack"
DFE_SAMPLE = PROJECT_ROOT / "data" / "reference" / "format_samples" / "BAR_cin_2022.xml"


def pytest_configure(config: pytest.Config) -> None:
    os.environ["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    os.environ["DO_NOT_TRACK"] = "1"
    os.environ["GX_ANALYTICS_ENABLED"] = "false"
    os.environ["CSC_INTEL_DEMO_KEY"] = "1"
    os.environ.pop("CSC_INTEL_PSEUDONYMISATION_KEY", None)
    os.environ.pop("CSC_INTEL_PSEUDONYMISATION_KEY_FILE", None)
    if hasattr(config, "workerinput"):
        return  # an xdist worker: the controller parsed before it started the workers
    project = str(PROJECT_ROOT / "dbt_project")
    subprocess.run(
        [
            str(Path(sys.executable).parent / "dbt"),
            "parse",
            "--quiet",
            "--project-dir",
            project,
            "--profiles-dir",
            project,
        ],
        cwd=PROJECT_ROOT,
        env={**os.environ, "CSC_INTEL_WAREHOUSE": TEST_WAREHOUSE_NAME},
        check=True,
    )
    PARSE_STATE.parent.mkdir(exist_ok=True)
    shutil.copy2(PROJECT_ROOT / "dbt_project" / "target" / PARSE_STATE.name, PARSE_STATE)


# First: xdist's own hook reads the xdist_group marks into each test's node id in the
# worker, and a conftest's hook would otherwise run after it (the later registered first).
# pytest 9.2 ignores that node id change (pytest-xdist issue 1386, open): there the groups
# take only with pytest below 9.2 or an xdist that fixes it.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With pytest-xdist (`make test` runs two workers, `--dist loadgroup`), the tests that
    share a session fixture (one built county, one generated run) go to one worker, so it is
    built once; the others go by module, which builds each module fixture once too."""
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        group = shared_fixture_home(item) or item.nodeid.split("::")[0]
        item.add_marker(pytest.mark.xdist_group(group))


def shared_fixture_home(item: pytest.Item) -> str | None:
    """The folder whose conftest defines the session fixture a test uses, if any (pytest's
    own session fixtures, such as tmp_path_factory, have no folder and do not count)."""
    fixture_info = getattr(item, "_fixtureinfo", None)
    if fixture_info is None:
        return None
    homes = {
        definition.baseid
        for definitions in fixture_info.name2fixturedefs.values()
        for definition in definitions
        if definition.scope == "session" and definition.baseid
    }
    return min(homes) if homes else None


def pytest_make_parametrize_id(config: pytest.Config, val: object, argname: str) -> str | None:
    """Bytes parameters (archives, workbooks, bombs made in the test module) are named by their
    size: their bytes can hold the time they were made (a zip entry's date, a gzip header), and
    pytest-xdist refuses a run whose workers collected different test ids."""
    return f"{argname}_{len(val)}_bytes" if isinstance(val, bytes) else None


@pytest.fixture
def con():
    """An in-memory warehouse for tests that ingest a few hand-made files."""
    connection = duckdb.connect()
    yield connection
    connection.close()
