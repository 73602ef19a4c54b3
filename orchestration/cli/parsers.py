"""The operator's commands as argparse sub-commands, with their help. Each names the module
that carries it out, imported only when it runs: `csc-intel generate` and `--help` stay
quick, without loading Dagster."""

from __future__ import annotations

import argparse
from pathlib import Path

RUN = """Run refresh_all: ingest every new or changed file in landing, apply the retention
policy, build the dbt models and tests, run the checks and write the outputs. The terminal
shows a line per stage and a summary (steps run and skipped, the checks that did not pass by
severity, where the outputs are); Dagster's events and dbt's node lines go to
<data folder>/logs/run-<time>.log. The run is recorded in the Dagster instance (DAGSTER_HOME,
default .dagster/) like one launched from the UI, so `make ui` shows it. Exit status: 0 the
run succeeded (checks may still have failed: see the summary), 1 it failed, 2 a usage or
configuration error, 3 another run is going."""

STATUS = """What the platform holds and how fresh it is: per source, the files in
raw.file_manifest by status, the records loaded, the latest period and whether it is
overdue; then the run going, if any, and the last finished run with its checks that did
not pass. Read-only and safe while a run goes: DuckDB has one writer and no reader beside
it, so while a run is going the warehouse is not opened (the command says so) and the run
history still shows."""

OPEN = """The paths of the outputs (the briefing, the questions register, the exports, the
analyst copy), the warehouse, the logs and the alerts; with --briefing, open the briefing
with the system's opener (xdg-open, open) when there is one."""

CHECK = """Check a landing folder or a file against the source contracts without loading it:
nothing is written to the warehouse or to the folder. For each file: the source it is
recognised as (by its folder under landing/, else by its content), its authority and period,
the rows it would load, the rows it would reject and why (line and reason, never a value),
and the content findings that would load with it. For a partner to test a file before
sending it. Exit status: 0 every file would load whole, 1 some rows would be rejected, 2 a
file would fail or is not recognised. Unlike ingestion it cannot say whether a file
duplicates or replaces one already loaded: that needs the warehouse."""


def add_operator_commands(commands: argparse._SubParsersAction) -> None:
    run = commands.add_parser("run", help="refresh the warehouse and the outputs", description=RUN)
    run.add_argument(
        "--source",
        metavar="SOURCE",
        help="only this source's assets and what depends on them (a folder name under "
        "landing/, e.g. cin_census or ae_attendances)",
    )
    run.add_argument(
        "--rebuild",
        action="store_true",
        help="build even when nothing is new since the last build",
    )
    run.set_defaults(module="orchestration.cli.run")

    status = commands.add_parser("status", help="deliveries, freshness, runs", description=STATUS)
    status.set_defaults(module="orchestration.cli.status")

    opened = commands.add_parser("open", help="where the outputs are", description=OPEN)
    opened.add_argument(
        "--briefing", action="store_true", help="open the briefing with the system's opener"
    )
    opened.set_defaults(module="orchestration.cli.outputs")

    check = commands.add_parser("check", help="test files without loading them", description=CHECK)
    check.add_argument("path", type=Path, metavar="PATH", help="a landing folder or one file")
    check.set_defaults(module="orchestration.cli.check")
