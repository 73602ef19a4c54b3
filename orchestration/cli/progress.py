"""What `csc-intel run` shows while a run goes: a line per stage with its counts and time,
read from the run's events. Ingestion has a line per source, the dbt build one per quarter
of its nodes and one when done, consecutive check steps one together, each output one."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import dagster as dg

from orchestration.run_checks import by_severity, failed_checks

DBT_STEP = "csc_dbt_models"
# dbt's node lines: "564 of 754 START test ...", "562 of 754 WARN 20 relationships_...".
DBT_NODE = re.compile(r"\b(\d+) of (\d+) (OK|PASS|WARN|ERROR|FAIL|SKIP|NO-OP)\b")
DBT_QUARTERS = (0.25, 0.5, 0.75)
# What Dagster logs for a step it abandons because a step it needs failed.
ABANDONED = re.compile(r"^Dependencies for step \S+ (failed|were not executed).*Not executing\.$")
Event = dg.DagsterEventType


@dataclass
class Step:
    key: str
    started: float | None = None
    seconds: float = 0.0
    status: str = "running"  # succeeded, failed, skipped, not run
    error: str = ""
    materialized: list[dict[str, Any]] = field(default_factory=list)
    evaluations: list[dg.AssetCheckEvaluation] = field(default_factory=list)

    @property
    def label(self) -> str:
        if self.key.startswith("ingest_"):
            return "ingest " + self.key.removeprefix("ingest_")
        if self.key.startswith("outputs__"):
            return "output " + self.key.removeprefix("outputs__")
        names = {DBT_STEP: "dbt build", "raw__retention_audit": "retention"}
        return names.get(self.key, self.key.replace("__", "/"))

    @property
    def only_checks(self) -> bool:
        return not self.materialized and bool(self.evaluations) and self.key != DBT_STEP


def duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}m {rest:02d}s"


def checks_outcome(evaluations: list[dg.AssetCheckEvaluation]) -> str:
    failed = by_severity(failed_checks(evaluations))
    count = sum(map(len, failed.values()))
    passed = len({(e.asset_key, e.check_name) for e in evaluations}) - count
    if not count:
        return f"{passed} passed"
    severities = ", ".join(f"{len(c)} {s}" for s, c in failed.items())
    return f"{passed} passed, {count} failed ({severities})"


def error_line(error: Any) -> str:
    """The first line of the error's innermost cause (a SerializableErrorInfo): the error
    the step's code raised, not Dagster's wrapper around it."""
    while error.cause is not None:
        error = error.cause
    lines = [line.strip() for line in error.message.strip().splitlines() if line.strip()]
    # "1 blocking asset check failed with ERROR severity:" says which on the next line.
    shown = lines[:2] if lines and lines[0].endswith(":") else lines[:1]
    return " ".join(shown)[:200]


def _counted(metadata: dict[str, Any], key: str, noun: str) -> str:
    count = int(metadata.get(key) or 0)
    return f"{count:,} {noun}" if count else ""


def files(count: int) -> str:
    return f"{count:,} file" + ("" if count == 1 else "s")


def step_detail(step: Step) -> str:
    """The counts a step's line shows."""
    if step.status == "failed":
        return f"FAILED: {step.error}"
    metadata = step.materialized[0] if step.materialized else {}
    if step.key.startswith("ingest_"):
        delivered = [
            files(int(metadata.get("files_loaded") or 0)) + " loaded",
            _counted(metadata, "files_unchanged", "unchanged"),
            _counted(metadata, "files_held", "held"),
            _counted(metadata, "files_failed", "FAILED"),
        ]
        rows = [
            _counted(metadata, "records_loaded", "records"),
            _counted(metadata, "records_rejected", "rejected"),
        ]
        return "; ".join(", ".join(p for p in part if p) for part in (delivered, rows) if any(part))
    if step.key == "raw__unrecognised_files":
        stray = int(metadata.get("files_failed") or 0)
        return f"{files(stray)} outside every source folder" if stray else "none"
    if step.key == "raw__retention_audit":
        return f"{int(metadata.get('rows_deleted') or 0):,} rows past their retention deleted"
    if step.key == DBT_STEP:
        if not step.materialized:
            return "nothing new since the last build: skipped with what reads the marts"
        tests = len(step.evaluations)
        return f"{len(step.materialized)} models and seeds, {tests} tests: " + (
            checks_outcome(step.evaluations) if tests else "none"
        )
    path = metadata.get("path") or metadata.get("folder")
    if path:
        return str(path)
    return f"{len(step.materialized)} assets"


class Progress:
    """Fed the run's event log entries (by a follower thread) and dbt's output lines (by the
    run's thread); writes the stage lines with `say`."""

    def __init__(self, say: Callable[[str], None]) -> None:
        self.say = say
        self.steps: dict[str, Step] = {}
        self.run_status = ""
        self.run_seconds = 0.0
        self._run_started: float | None = None
        self._pending: list[Step] = []  # check steps not yet reported
        self.warnings: list[str] = []  # what the run's code logged as a warning or error
        self._dbt = {"total": 0, "done": 0, "quarter": 0}
        self._dbt_started = 0.0
        self._lock = threading.RLock()  # say() may log a line back in

    def step(self, key: str) -> Step:
        return self.steps.setdefault(key, Step(key))

    def line(self, label: str, detail: str, seconds: float) -> None:
        self.say(f"  {label:<32} {detail}  ({duration(seconds)})")

    def on_entry(self, entry: Any) -> None:
        """entry: an EventLogEntry of the run."""
        event = entry.dagster_event
        if event is None:
            with self._lock:
                self._logged(entry)
            return
        with self._lock:
            self._handle(event, entry.timestamp)

    def _logged(self, entry: Any) -> None:
        """A message the run logged: an abandoned step, or a warning or error to show."""
        message = entry.user_message.strip()
        if entry.step_key and ABANDONED.match(message):
            self.step(entry.step_key).status = "not run"
        elif entry.level >= logging.WARNING:
            first = (message.splitlines() or [""])[0][:200]
            self.warnings.append(f"{entry.step_key or 'run'}: {first}")

    def _handle(self, event: dg.DagsterEvent, at: float) -> None:
        kind = event.event_type
        if kind == Event.RUN_START:
            self._run_started = at
            return
        if kind in (Event.RUN_SUCCESS, Event.RUN_FAILURE, Event.RUN_CANCELED):
            self._flush_checks()
            self.run_status = {Event.RUN_SUCCESS: "succeeded", Event.RUN_FAILURE: "failed"}.get(
                kind, "was canceled"
            )
            self.run_seconds = at - (self._run_started or at)
            return
        if event.step_key is None:
            return
        step = self.step(event.step_key)
        if kind == Event.STEP_START:
            step.started = at
        elif kind == Event.ASSET_MATERIALIZATION:
            metadata = event.step_materialization_data.materialization.metadata
            step.materialized.append({k: getattr(v, "value", v) for k, v in metadata.items()})
        elif kind == Event.ASSET_CHECK_EVALUATION:
            step.evaluations.append(event.asset_check_evaluation_data)
        elif kind == Event.STEP_SKIPPED:
            step.status = "skipped"
        elif kind in (Event.STEP_SUCCESS, Event.STEP_FAILURE):
            step.seconds = at - (step.started or at)
            step.status = "succeeded" if kind == Event.STEP_SUCCESS else "failed"
            if kind == Event.STEP_FAILURE:
                error = event.step_failure_data.error
                step.error = error_line(error) if error else "no error recorded"
            self._finished(step)

    def _finished(self, step: Step) -> None:
        if step.only_checks and step.status == "succeeded":
            self._pending.append(step)
            return
        self._flush_checks()
        self.line(step.label, step_detail(step), step.seconds)

    def _flush_checks(self) -> None:
        if not self._pending:
            return
        evaluations = [e for step in self._pending for e in step.evaluations]
        seconds = sum(step.seconds for step in self._pending)
        steps = len(self._pending)
        label = f"checks ({steps} step{'s' * (steps != 1)})"
        self._pending = []
        self.line(label, checks_outcome(evaluations), seconds)

    def dbt_output(self, line: str) -> None:
        """One line dbt printed: a node's result moves the build's progress on."""
        match = DBT_NODE.search(line)
        if not match:
            return
        with self._lock:
            done, total = int(match[1]), int(match[2])
            dbt = self._dbt
            if not self._dbt_started:
                self._dbt_started = time.time()
            dbt["total"], dbt["done"] = total, max(dbt["done"], done)
            while dbt["quarter"] < len(DBT_QUARTERS) and dbt["done"] >= (
                DBT_QUARTERS[dbt["quarter"]] * total
            ):
                dbt["quarter"] += 1
                started = self.step(DBT_STEP).started or self._dbt_started
                detail = f"{dbt['done']} of {total} models, seeds and tests"
                self.line("dbt build", detail, time.time() - started)

    @property
    def evaluations(self) -> list[dg.AssetCheckEvaluation]:
        return [e for step in self.steps.values() for e in step.evaluations]
