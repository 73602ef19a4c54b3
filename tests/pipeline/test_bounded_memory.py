"""A CIN census return of 100,000 children streams through ingestion in bounded memory."""

import json
import subprocess
import sys
import textwrap

import pytest

from orchestration.privacy.keys import mark_synthetic
from tests.cin_builder import Child, Episode, cin_return

pytestmark = pytest.mark.slow

MEASURE = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    import duckdb
    from orchestration.ingest.formats.cin_census import CinCensusFormat
    from orchestration.ingest.loader import Ingestor
    from orchestration.privacy.pseudonymise import load_pseudonymiser

    landing = Path(sys.argv[1])
    con = duckdb.connect(str(landing.parent / "warehouse.duckdb"))
    # DuckDB caches the pages it writes up to its memory limit (80% of RAM by default), so
    # its share of the peak follows the machine and the timing; pinned, the peak measures
    # what ingestion itself holds.
    con.execute("set memory_limit = '128MB'")
    report = Ingestor(CinCensusFormat(), con, load_pseudonymiser(landing), landing).ingest(
        landing / "cin_census"
    )
    # VmHWM, not ru_maxrss: Linux carries the parent's peak (pytest's, which grows over the
    # suite) into a forked child's ru_maxrss across exec; VmHWM is this program's own.
    status = Path("/proc/self/status").read_text()
    peak_mb = int(status.split("VmHWM:")[1].split()[0]) / 1024
    print(json.dumps({"children": report.rows_loaded, "peak_mb": peak_mb}))
    """
)


def write_large_return(folder, children: int) -> None:
    """Stream a return of many children, built from one realistic child with new ids."""
    template = cin_return(
        2021,
        [
            Child(
                "LA{id}",
                upn="A938000{id:06d}",
                episodes=[
                    Episode("2020-05-01", closure_date="2020-09-01", closure_reason="RC7"),
                    Episode("2020-11-10", source="6"),
                ],
            )
        ],
    )
    head, rest = template.split("<Child>", 1)
    child, tail = rest.rsplit("</Child>", 1)
    child = "<Child>" + child.replace("{", "{{").replace("}", "}}") + "</Child>\n"
    child = child.replace("LA{{id}}", "LA{id}").replace("A938000{{id:06d}}", "A938000{id:06d}")
    (folder / "cin_census").mkdir(parents=True)
    with (folder / "cin_census" / "cin_2021.xml").open("w") as handle:
        handle.write(head)
        for index in range(children):
            handle.write(child.format(id=index))
        handle.write(tail)


def peak_memory(tmp_path, children: int) -> dict:
    landing = tmp_path / f"landing_{children}"
    write_large_return(landing, children)
    mark_synthetic(landing)
    completed = subprocess.run(
        [sys.executable, "-c", MEASURE, str(landing)], capture_output=True, text=True, check=True
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_memory_does_not_grow_with_the_number_of_children(tmp_path):
    small = peak_memory(tmp_path, 10_000)
    large = peak_memory(tmp_path, 100_000)
    assert (small["children"], large["children"]) == (10_000, 100_000)
    # Ten times the children, almost the same peak: the file is streamed in batches.
    assert large["peak_mb"] - small["peak_mb"] < 100, (small, large)
    assert large["peak_mb"] < 500, large
