"""`csc-intel run`: the refresh (the job refresh_all), or one source's assets and everything
that depends on them, in this process and recorded in the Dagster instance like any run.

The terminal gets a line per stage and a closing summary; Dagster's events, dbt's node lines
and any warning go to a log file under the data folder (logs/run-<time>.log)."""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
import re
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import dagster as dg

from orchestration import settings
from orchestration.cli.progress import Progress
from orchestration.cli.summary import shown, summary_lines

JOB = "refresh_all"
# Finds this command's run among the instance's runs.
INVOCATION_TAG = "csc_intel/invocation"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
POLL_SECONDS = 0.5


def refresh_all() -> dg.JobDefinition:
    """The refresh job, resolved; module level so that Dagster can reconstruct it."""
    from orchestration.definitions import defs

    return defs.resolve_job_def(JOB)


def source_assets(source: str) -> list[dg.AssetKey]:
    from orchestration.definitions import defs
    from orchestration.ingest.formats import all_formats

    sources = [fmt.source for fmt in all_formats()]
    if source not in sources:
        raise ValueError(f"No source {source!r}: the sources are {', '.join(sources)}.")
    selection = dg.AssetSelection.tag("source", source).downstream()
    return sorted(selection.resolve(defs.resolve_asset_graph()))


class LineLog(io.TextIOBase):
    """A text stream into the log file that hands each complete line to on_line (outside its
    lock, so on_line may log)."""

    def __init__(self, handle: io.TextIOBase, on_line: Callable[[str], None]) -> None:
        self._handle, self._on_line = handle, on_line
        self._partial = ""
        self._lock = threading.Lock()

    def write(self, text: str) -> int:
        with self._lock:
            clean = ANSI.sub("", text)
            self._handle.write(clean)
            *lines, self._partial = (self._partial + clean).split("\n")
        for line in lines:
            self._on_line(line)
        return len(text)

    def flush(self) -> None:
        with self._lock:
            self._handle.flush()


@contextlib.contextmanager
def logging_to(path: Path, on_line: Callable[[str], None]) -> Iterator[None]:
    """Everything printed or logged in this process, and Python's warnings, into path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    with path.open("a", encoding="utf-8") as handle:
        stream = LineLog(handle, on_line)
        root.handlers = [logging.StreamHandler(stream)]
        root.setLevel(logging.INFO)
        logging.captureWarnings(True)
        try:
            with contextlib.redirect_stdout(stream), contextlib.redirect_stderr(stream):
                yield
        finally:
            logging.captureWarnings(False)
            root.handlers, root.level = saved


class Follower(threading.Thread):
    """Reads the run's new events from the instance as they are stored."""

    def __init__(self, instance: dg.DagsterInstance, token: str, on_entry: Callable) -> None:
        super().__init__(name="csc-intel-run-events", daemon=True)
        self.instance, self.token, self.on_entry = instance, token, on_entry
        self.run_id: str | None = None
        self._cursor: str | None = None
        self._done = threading.Event()

    def run(self) -> None:
        while True:
            done = self._done.is_set()
            try:
                self._poll()
            except Exception:  # a busy event store: the next poll reads on from the cursor
                logging.getLogger(__name__).debug("Reading the run's events", exc_info=True)
            if done:
                return
            self._done.wait(POLL_SECONDS)

    def _poll(self) -> None:
        if self.run_id is None:
            found = self.instance.get_run_records(
                filters=dg.RunsFilter(tags={INVOCATION_TAG: self.token}), limit=1
            )
            if not found:
                return
            self.run_id = found[0].dagster_run.run_id
        while True:
            page = self.instance.get_records_for_run(self.run_id, cursor=self._cursor)
            for record in page.records:
                self.on_entry(record.event_log_entry)
            self._cursor = page.cursor
            if not page.has_more:
                return

    def finish(self) -> None:
        """Reads the last events, then stops."""
        self._done.set()
        self.join()


def execute(args: argparse.Namespace, progress: Progress) -> dg.JobExecutionResult | None:
    # Imported here, inside the log's redirection: loading the definitions may warn.
    from dagster._utils.interrupts import capture_interrupts  # no public path: as the CLI

    from orchestration.cli.instance import dagster_instance, run_going
    from orchestration.transform.build_inputs import REBUILD_TAG

    instance = dagster_instance()
    going = run_going(instance)
    if going is not None:
        progress.say(
            f"Run {going.run_id[:8]} ({going.job_name}) is going: the warehouse has one "
            "writer. Wait for it (csc-intel status) or stop it, then run again."
        )
        return None
    selection = source_assets(args.source) if args.source else None
    token = uuid.uuid4().hex[:12]
    tags = {INVOCATION_TAG: token, "trigger": "csc-intel run"}
    if args.rebuild:
        tags[REBUILD_TAG] = "always"
    follower = Follower(instance, token, progress.on_entry)
    follower.start()
    try:
        with capture_interrupts():
            return dg.execute_job(
                dg.reconstructable(refresh_all), instance, tags=tags, asset_selection=selection
            )
    finally:
        follower.finish()


def main(args: argparse.Namespace) -> int:
    terminal = sys.stdout

    def say(line: str) -> None:
        terminal.write(line + "\n")
        terminal.flush()
        logging.getLogger("csc_intel.run").info(line)

    log = settings.data_dir() / "logs" / f"run-{datetime.now():%Y%m%d-%H%M%S}.log"
    what = f"{args.source} and what depends on it" if args.source else "everything"
    progress = Progress(say)
    with logging_to(log, progress.dbt_output):
        say(f"csc-intel run: {JOB}, {what}. Log: {shown(log)}")
        try:
            result = execute(args, progress)
        except ValueError as error:
            say(f"csc-intel run: error: {error}")
            return 2
        if result is None:
            return 3
        outputs = settings.data_dir() / "outputs"
        terminal_lines, log_lines = summary_lines(
            progress, JOB, result.run_id, outputs, settings.warehouse_path(), log
        )
        for line in log_lines:
            logging.getLogger("csc_intel.run").info(line)
    for line in terminal_lines:
        terminal.write(line + "\n")
    terminal.flush()
    return 0 if result.success else 1
