"""The landing sensor: a run when a partner drops a new or changed file in data/landing/.

The cursor remembers each file's size, modification time and sha256, so a file is hashed
again only when it may have changed, and a run is requested once per new content: copying
the same file again, or touching it, starts nothing."""

import hashlib
import json

import dagster as dg

from orchestration.automation import refresh_all_job
from orchestration.ingest.framework import delivered_files, file_sha256
from orchestration.resources import DataPathsResource


def scan_landing(paths: DataPathsResource, previous: dict[str, list]) -> dict[str, list]:
    """Relative path -> [size, mtime_ns, sha256] for every delivered file."""
    current = {}
    for path in delivered_files(paths.landing_dir):
        relative = path.relative_to(paths.landing_dir).as_posix()
        stat = path.stat()
        known = previous.get(relative)
        if known and known[0] == stat.st_size and known[1] == stat.st_mtime_ns:
            current[relative] = known
        else:
            current[relative] = [stat.st_size, stat.st_mtime_ns, file_sha256(path)]
    return current


def new_contents(previous: dict[str, list], current: dict[str, list]) -> list[str]:
    seen = {entry[2] for entry in previous.values()}
    return sorted({entry[2] for entry in current.values()} - seen)


@dg.sensor(
    job=refresh_all_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Requests a refresh when new or changed files appear in data/landing/.",
)
def landing_sensor(context: dg.SensorEvaluationContext, paths: DataPathsResource):
    previous = json.loads(context.cursor) if context.cursor else {}
    current = scan_landing(paths, previous)
    context.update_cursor(json.dumps(current, sort_keys=True))
    arrived = new_contents(previous, current)
    if not arrived:
        return dg.SkipReason("No new or changed file in data/landing/.")
    return dg.RunRequest(
        run_key=hashlib.sha256("".join(arrived).encode()).hexdigest(),
        tags={"trigger": "landing_sensor", "new_files": str(len(arrived))},
    )
