"""Withdrawing a delivery: the file moved into data/landing/<source>/_withdrawn/.

Removing a file from landing unloads nothing (the warehouse keeps what was delivered, so a
tidied landing folder never changes the figures). A partner who asks for a delivery to be
taken back has it moved into its source's `_withdrawn/` folder, which ingestion never reads
as deliveries. The next run of the source then, for every file there:
- deletes the rows of that content from the source's raw tables, its rejected rows and its
  findings, and marks each manifest row of that content `withdrawn` with `withdrawn_at`;
- loads no copy of the same bytes found elsewhere in landing while the file stays in
  `_withdrawn/`: the copy gets a `withdrawn` manifest row of its own, saying so, and does
  not block the run. Re-delivery is deliberate: take the file out of `_withdrawn/` and put
  it back in the source folder;
- does not restore the delivery the withdrawn file had replaced: that one stays
  `superseded` (an old file left in landing must never undo a correction), so the period
  has no rows of that return until the partner delivers it again.
The manifest's statuses are part of the build inputs, so the run rebuilds every model.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from orchestration.ingest import ledger
from orchestration.ingest.landing import LandingFile, delivered_files, file_sha256
from orchestration.ingest.supersede import remove_file_rows

if TYPE_CHECKING:
    from orchestration.ingest.delivered import SourceFormat

WITHDRAWN_FOLDER = "_withdrawn"
# Contents in these states are in the warehouse (or were, and stay replaced); a withdrawal
# applies to every manifest row of the content, whatever its path.
WITHDRAWABLE = ("loaded", "superseded", "duplicate")
REDELIVER = "To load it again, take it out of _withdrawn/ and deliver it to the source folder."


def withdrawn_entries(landing_root: Path, folder: Path, max_bytes: int) -> list[LandingFile]:
    """The entries under folder/_withdrawn/, walked as landing is (links never followed)."""
    return delivered_files(landing_root, folder / WITHDRAWN_FOLDER, max_bytes=max_bytes)


def _withdrawn_contents(landing_root: Path, folder: Path, max_bytes: int) -> dict[str, int]:
    """sha256 -> size of every readable file under folder/_withdrawn/."""
    return {
        file_sha256(entry.path): entry.size
        for entry in withdrawn_entries(landing_root, folder, max_bytes)
        if entry.refusal is None and entry.size is not None
    }


def _withdraw(
    con: duckdb.DuckDBPyConnection, source: str, tables: Iterable[str], sha: str
) -> list[str]:
    """Unload one content and mark it withdrawn; the paths of its newly withdrawn rows."""
    paths = [
        row[0]
        for row in con.execute(
            "select file_path from raw.file_manifest where source = ? and file_sha256 = ?"
            " and status in (select unnest(?))",
            [source, sha, list(WITHDRAWABLE)],
        ).fetchall()
    ]
    if not paths:
        return []
    con.execute("begin transaction")
    remove_file_rows(con, tables, source, [(sha, path) for path in paths])
    con.execute(
        "update raw.file_manifest set status = 'withdrawn', withdrawn_at = ?, fix = ?"
        " where source = ? and file_sha256 = ? and status in (select unnest(?))",
        [ledger.now(), REDELIVER, source, sha, list(WITHDRAWABLE)],
    )
    con.execute("commit")
    return paths


def _record_copy(
    con: duckdb.DuckDBPyConnection, source: str, relative: str, sha: str, size: int
) -> None:
    """A copy of withdrawn content in landing: recorded once, so the manifest says why it
    was not loaded."""
    now = ledger.now()
    ledger.record_once(
        con,
        file_path=relative,
        file_sha256=sha,
        size_bytes=size,
        source=source,
        status="withdrawn",
        error="Identical to a withdrawn delivery kept in _withdrawn/: not loaded",
        fix=REDELIVER,
        seen_at=now,
        withdrawn_at=now,
    )


def apply_withdrawals(
    con: duckdb.DuckDBPyConnection,
    fmt: SourceFormat,
    landing_root: Path,
    folder: Path,
    entries: Iterable[LandingFile],
) -> Iterator[LandingFile]:
    """Withdraw what sits in folder/_withdrawn/, then yield the entries of fmt to ingest:
    every one except copies of withdrawn content, which are recorded as withdrawn instead."""
    source = fmt.source
    withdrawn = _withdrawn_contents(landing_root, folder, fmt.max_file_bytes)
    for sha in withdrawn:
        _withdraw(con, source, [table.name for table in fmt.tables], sha)
    sizes = set(withdrawn.values())
    for entry in entries:
        # Only a file of a withdrawn file's size can be a copy: no other is hashed twice.
        if entry.refusal is None and entry.size in sizes:
            sha = file_sha256(entry.path)
            if sha in withdrawn:
                relative = entry.path.relative_to(landing_root).as_posix()
                _record_copy(con, source, relative, sha, entry.size)
                continue
        yield entry
