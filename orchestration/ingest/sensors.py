"""The landing sensor: a run when a partner drops a new or changed file in data/landing/.

The cursor remembers each file's size, modification time and sha256, so a file is hashed
again only when it may have changed, and a run is requested once per new content: copying
the same file again, or touching it, starts nothing. The sensor walks landing as ingestion
does (ingest/landing.py): links and special files are never followed nor opened, and files
too large for their source are not hashed; each such refusal starts one run, which records
it in raw.file_manifest. Two moves are news although no content is new: a file moved into its
source's `_withdrawn/` folder (the run unloads it) and a held re-delivery moved into a
`confirmed/` folder (the run loads it)."""

import hashlib
import json
from functools import cache

import dagster as dg

from orchestration.ingest.formats import all_formats
from orchestration.ingest.formats.unrecognised import UnrecognisedFormat
from orchestration.ingest.landing import LandingFile, delivered_files, file_sha256
from orchestration.ingest.supersede import is_confirmed
from orchestration.ingest.withdrawal import withdrawn_entries
from orchestration.resources import DataPathsResource


@cache
def source_limits() -> dict[str, int]:
    """Each source folder and the largest file its format accepts."""
    return {fmt.source: fmt.max_file_bytes for fmt in all_formats()}


def landing_entries(paths: DataPathsResource) -> list[LandingFile]:
    """The entries the ingestion assets will see: each source folder with its limit, then
    the files outside every source folder."""
    root = paths.landing_dir
    limits = source_limits()
    entries = [
        entry
        for source, limit in limits.items()
        for entry in delivered_files(root, root / source, max_bytes=limit)
    ]
    return entries + delivered_files(root, root, limits, UnrecognisedFormat.max_file_bytes)


def scan_landing(paths: DataPathsResource, previous: dict[str, list]) -> dict[str, list]:
    """Relative path -> [size, mtime_ns, sha256] for every delivered file; a refused entry
    has its reason in place of the sha256, as it is never read, a confirmed file its sha256
    marked as confirmed, and a withdrawn file its place and size."""
    current = {}
    for entry in landing_entries(paths):
        relative = entry.path.relative_to(paths.landing_dir).as_posix()
        known = previous.get(relative)
        if entry.refusal is not None:
            current[relative] = [entry.size, entry.mtime_ns, f"refused: {entry.refusal.reason}"]
        elif known and known[0] == entry.size and known[1] == entry.mtime_ns:
            current[relative] = known
        else:
            sha = file_sha256(entry.path)
            # The same content confirmed by a person is news to ingestion: it replaces a
            # delivery the held file could not.
            current[relative] = [
                entry.size,
                entry.mtime_ns,
                f"confirmed: {sha}" if is_confirmed(relative) else sha,
            ]
    root = paths.landing_dir
    withdrawn = [
        entry
        for source, limit in source_limits().items()
        for entry in withdrawn_entries(root, root / source, limit)
    ]
    for entry in withdrawn:  # never read: its place and size say enough that it is news
        relative = entry.path.relative_to(paths.landing_dir).as_posix()
        current[relative] = [entry.size, entry.mtime_ns, f"withdrawn: {relative} {entry.size}"]
    return current


def new_contents(previous: dict[str, list], current: dict[str, list]) -> list[str]:
    seen = {entry[2] for entry in previous.values()}
    return sorted({entry[2] for entry in current.values()} - seen)


@dg.sensor(
    # Named, not imported: the job selects every asset, so it is defined above the stages
    # (orchestration/automation.py) and the stages never import it.
    job_name="refresh_all",
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
