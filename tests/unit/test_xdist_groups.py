"""`make test` runs two pytest-xdist workers and relies on tests/conftest.py's groups to build
each shared fixture (a built county, a generated run) on one worker only. pytest 9.2 silently
broke the grouping (pytest-xdist issue 1386), doubling the suite's heaviest set-up; this runs
a small project the same way and counts the builds."""

import subprocess
import sys
from pathlib import Path

ROOT_CONFTEST = """
from tests.conftest import pytest_collection_modifyitems  # noqa: F401  the suite's grouping
"""
# In a folder's conftest, as the suite's shared fixtures are (tests/outputs/conftest.py).
CONFTEST = """
import os
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def shared_build():
    with open(Path(__file__).parent / "builds.log", "a") as log:
        log.write(os.environ.get("PYTEST_XDIST_WORKER", "none") + "\\n")
    return 1
"""
MODULE = """
def test_one(shared_build):
    assert shared_build == 1


def test_two(shared_build):
    assert shared_build == 1
"""


def test_a_session_fixture_is_built_on_one_worker(tmp_path: Path):
    project = tmp_path / "grouped"
    (project / "shared").mkdir(parents=True)
    (project / "conftest.py").write_text(ROOT_CONFTEST)
    (project / "shared" / "conftest.py").write_text(CONFTEST)
    for name in ("a", "b", "c", "d"):
        (project / "shared" / f"test_{name}.py").write_text(MODULE)
    root = Path(__file__).resolve().parents[2]
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2"]
        + ["--dist", "loadgroup", "--rootdir", str(project), "-c", "/dev/null", str(project)],
        cwd=project,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stdout[-2000:]
    assert "8 passed" in completed.stdout
    builds = (project / "shared" / "builds.log").read_text().split()
    assert len(builds) == 1, f"the session fixture was built on {builds}"
