"""The closing summary of `csc-intel run`: what ran, what was skipped, the checks that did
not pass by severity and name, and where the outputs, the warehouse and the log are."""

from __future__ import annotations

import os
from collections.abc import Sequence
from itertools import groupby
from pathlib import Path

from orchestration.cli.progress import Progress, duration
from orchestration.run_checks import FailedCheck, by_severity, failed_checks

# Beyond this many lines of failed checks the terminal says how many more the log holds.
MAX_CHECK_LINES = 25
MAX_WARNING_LINES = 5
ASSETS_NAMED = 3


def shown(path: Path) -> str:
    """A path as the operator would type it: relative to the current folder when inside."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def check_lines(failed: Sequence[FailedCheck]) -> list[str]:
    """One line per failed check name and severity, with the assets it failed on."""
    lines = []
    for severity, checks in by_severity(failed).items():
        for name, same in groupby(checks, key=lambda check: check.name):
            assets = [check.asset for check in same]
            named = ", ".join(assets[:ASSETS_NAMED])
            more = f" and {len(assets) - ASSETS_NAMED} more" if len(assets) > ASSETS_NAMED else ""
            lines.append(f"  {severity:<5}  {name} on {named}{more}")
    return lines


def summary_lines(
    progress: Progress, job: str, run_id: str, outputs: Path, warehouse: Path, log: Path
) -> tuple[list[str], list[str]]:
    """The summary for the terminal, and the same with every failed check for the log."""
    steps = progress.steps.values()
    ran = [s for s in steps if s.status in ("succeeded", "failed")]
    failed_steps = [s.label for s in steps if s.status == "failed"]
    skipped = [s.label for s in steps if s.status == "skipped"]
    abandoned = [s.label for s in steps if s.status == "not run"]
    status = progress.run_status or "stopped"
    head = [
        f"{job} {status} in {duration(progress.run_seconds)} (run {run_id[:8]}): "
        f"{len(ran)} steps ran, {len(failed_steps)} failed, {len(skipped)} skipped."
    ]
    if failed_steps:
        head.append("Failed: " + ", ".join(failed_steps) + " (the error is on its line above).")
    if skipped:
        named = sorted({label for label in skipped if " " in label})  # ingest x, output y
        checks = len(skipped) - len(named)
        parts = [*named, f"{checks} check step{'s' * (checks != 1)}" if checks else ""]
        head.append(f"Skipped: {', '.join(filter(None, parts))}.")
    if abandoned:
        head.append(f"Not run, as a step they need failed: {len(abandoned)} steps.")
    failed = failed_checks(progress.evaluations)
    evaluated = len({(e.asset_key, e.check_name) for e in progress.evaluations})
    checks = check_lines(failed)
    if failed:
        counts = ", ".join(f"{len(c)} {s}" for s, c in by_severity(failed).items())
        head.append(f"Checks: {len(failed)} of {evaluated} did not pass ({counts}):")
    else:
        head.append(f"Checks: all {evaluated} passed.")
    written = sorted(
        {Path(str(m.get("path") or m.get("folder"))).name for s in steps for m in s.materialized}
        & {p.name for p in outputs.glob("*")}
    )
    written = [name + (os.sep if (outputs / name).is_dir() else "") for name in written]
    warnings = [f"  {warning}" for warning in progress.warnings]
    if warnings:
        warnings.insert(0, f"Warnings the run logged ({len(warnings)}):")
    if len(warnings) > MAX_WARNING_LINES + 1:
        more = len(warnings) - 1 - MAX_WARNING_LINES
        warnings[MAX_WARNING_LINES + 1 :] = [f"  ... and {more} more in the log"]
    tail = [
        *warnings,
        f"Outputs in {shown(outputs)}{os.sep}: {', '.join(written)}"
        if written
        else f"Outputs not rebuilt by this run; the last ones are in {shown(outputs)}{os.sep}",
        f"Warehouse: {shown(warehouse)}. Log: {shown(log)}. Deliveries and freshness: "
        "csc-intel status.",
    ]
    terminal = checks[:MAX_CHECK_LINES]
    if len(checks) > MAX_CHECK_LINES:
        terminal.append(f"  ... and {len(checks) - MAX_CHECK_LINES} more in the log")
    return head + terminal + tail, head + checks + tail
