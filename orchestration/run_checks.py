"""The asset checks of a run that did not pass, by severity.

A run succeeds while non-blocking checks fail (a WARN dbt test on delivered values, an
overdue extract), so its page would show green with nothing saying so. The jobs' executor
(alerts.py) therefore records them on the run when its steps are done: a tag per severity
(`csc_intel/checks_failed_warn`, `csc_intel/checks_failed_error`, shown in the run list and
on the run page) and a closing event naming each check. `csc-intel run` and `csc-intel
status` read the same evaluations back from the run's event log."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import dagster as dg

# The engine event's payload has no public import path.
from dagster._core.events import EngineEventData

SEVERITIES = ("ERROR", "WARN")
TAG_PREFIX = "csc_intel/checks_failed_"


@dataclass(frozen=True, order=True)
class FailedCheck:
    severity: str  # ERROR or WARN
    name: str
    asset: str  # the asset key as the UI writes it, e.g. raw/ae_attendances


def failed_checks(evaluations: Iterable[dg.AssetCheckEvaluation]) -> list[FailedCheck]:
    """The checks whose last evaluation in the run did not pass (a retried step evaluates
    its checks again), sorted by severity, name and asset."""
    last = {(e.asset_key, e.check_name): e for e in evaluations}
    return sorted(
        FailedCheck(e.severity.value, e.check_name, e.asset_key.to_user_string())
        for e in last.values()
        if not e.passed
    )


def by_severity(failed: Sequence[FailedCheck]) -> dict[str, list[FailedCheck]]:
    return {
        severity: [check for check in failed if check.severity == severity]
        for severity in SEVERITIES
        if any(check.severity == severity for check in failed)
    }


def run_tags(failed: Sequence[FailedCheck]) -> dict[str, str]:
    """One tag per severity that has failed checks, valued by their count."""
    return {
        TAG_PREFIX + severity.lower(): str(len(checks))
        for severity, checks in by_severity(failed).items()
    }


def closing_message(failed: Sequence[FailedCheck], evaluated: int) -> str:
    if not failed:
        return f"All {evaluated} checks of the run passed."
    counts = ", ".join(f"{len(c)} {s}" for s, c in by_severity(failed).items())
    return f"{len(failed)} of {evaluated} checks did not pass ({counts}): see this event's table."


def failed_table(failed: Sequence[FailedCheck]) -> str:
    rows = [f"| {c.severity} | `{c.name}` | `{c.asset}` |" for c in failed]
    return "\n".join(["| severity | check | asset |", "|---|---|---|", *rows])


def record_on_run(plan_context: Any, evaluations: Sequence[dg.AssetCheckEvaluation]) -> Any:
    """Tags the run with its failed checks' counts and returns the closing engine event
    (plan_context: the executor's plan context). Called by the executor in the run's own
    process, so every run of the jobs records it, whoever launched it."""
    failed = failed_checks(evaluations)
    tags = run_tags(failed)
    if tags:
        plan_context.instance.add_run_tags(plan_context.run_id, tags)
    metadata: dict[str, Any] = {
        "checks_evaluated": len({(e.asset_key, e.check_name) for e in evaluations}),
        **{f"checks_failed_{s.lower()}": len(c) for s, c in by_severity(failed).items()},
    }
    if failed:
        metadata["failed_checks"] = dg.MetadataValue.md(failed_table(failed))
    message = closing_message(failed, metadata["checks_evaluated"])
    return dg.DagsterEvent.engine_event(plan_context, message, EngineEventData(metadata=metadata))


def run_evaluations(instance: dg.DagsterInstance, run_id: str) -> list[dg.AssetCheckEvaluation]:
    """Every check evaluation of the run, from its event log, in order."""
    evaluations, cursor = [], None
    while True:
        page = instance.get_records_for_run(
            run_id, cursor=cursor, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
        )
        evaluations += [
            record.event_log_entry.dagster_event.asset_check_evaluation_data
            for record in page.records
        ]
        if not page.has_more:
            return evaluations
        cursor = page.cursor
