"""Time `synthetic.generate` for 1, 2 and 4 authorities, one subprocess per run.

    .venv/bin/python bench/bench_generator.py [--children 250000] [--authorities 1 2 4]

Prints the machine (cores, memory), versions, and per run: wall seconds, CPU seconds
(user + system of the child), peak memory (ru_maxrss of the child) and rows written per
second (CSV data rows plus CIN census children). Further authorities are smaller than the
first (synthetic.generate.EXTRA_AUTHORITIES), so the children column gives the total.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CHILD = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from synthetic import generate
from synthetic.generate import EXTRA_AUTHORITIES
start = time.perf_counter()
summary = generate(Path({out!r}), seed=42, children={children}, authorities={n})
wall = time.perf_counter() - start
rows = sum(w.records for w in summary.written)
total = {children} + sum(round({children} * s) for _, s in EXTRA_AUTHORITIES[: {n} - 1])
print(json.dumps({{"wall": wall, "rows": rows, "files": len(summary.written), "children": total}}))
"""


def machine() -> str:
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f"{pages / 2**30:.1f} GiB"
    except (ValueError, OSError):
        memory = "unknown"
    import lxml.etree
    import numpy
    import pandas

    return (
        f"machine: {platform.machine()} {platform.system()}, {os.cpu_count()} cores, {memory}; "
        f"Python {platform.python_version()}, numpy {numpy.__version__}, "
        f"pandas {pandas.__version__}, lxml {'.'.join(map(str, lxml.etree.LXML_VERSION))}"
    )


def run_once(children: int, authorities: int) -> dict:
    with tempfile.TemporaryDirectory() as out:
        code = _CHILD.format(root=str(ROOT), out=out, children=children, n=authorities)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_wall"] = elapsed
    result["cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # ru_maxrss of RUSAGE_CHILDREN is the largest child so far (KiB on Linux); runs go
    # smallest first so each figure is this run's peak.
    result["peak_mib"] = after.ru_maxrss / 1024
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=250_000)
    parser.add_argument("--authorities", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args(argv)
    print(machine())
    print(
        f"{'LAs':>3} {'children':>9} {'wall s':>7} {'cpu s':>7} {'peak MiB':>9} "
        f"{'rows':>10} {'rows/s':>9} {'s per 100k children':>20}"
    )
    for n in sorted(args.authorities):
        r = run_once(args.children, n)
        print(
            f"{n:>3} {r['children']:>9,} {r['wall']:>7.1f} {r['cpu']:>7.1f} "
            f"{r['peak_mib']:>9.0f} {r['rows']:>10,} {r['rows'] / r['wall']:>9,.0f} "
            f"{r['wall'] / r['children'] * 100_000:>20.1f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
