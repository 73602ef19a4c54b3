"""Whatever goes wrong reading one delivered file is that file's failure, never its source's.

The formats refuse what they know to be wrong with FileRejected. Anything else a format raises
while detecting or reading a file (a case nobody foresaw, a library's own error) becomes a
rejection of that file here, so it is recorded in raw.file_manifest and the other files of its
source still load. Only the exception's class and the place in the platform's code that
raised it are kept: its message may quote the file's content.

Two kinds of error are not the file's fault and are left to fail the step: transient ones
(the warehouse locked or briefly unwritable, a share gone, memory short), which the step's
retry policy runs again, and errors writing the warehouse, which the framework raises outside
these guards. A deterministic error reaching the step is not retried (retry_only_transient):
it would fail the same way three more times.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg
import duckdb

from orchestration.ingest.model import Batch, Delivery, FileRejected

if TYPE_CHECKING:
    from orchestration.ingest.delivered import DeliveredFile, SourceFormat

PACKAGE_ROOT = Path(__file__).resolve().parents[2]
# DB-API's OperationalError is DuckDB's class for errors of the database's operation (a lock
# held by another process, disk, memory, a transaction conflict), not of the query or data.
TRANSIENT = (OSError, MemoryError, duckdb.OperationalError)
PLATFORM_FIX = (
    "Nothing in the file explains this error: send the file to the platform team (it stays in "
    "landing; no other file waits for it), who will make the reader refuse or read it."
)


def is_transient(error: BaseException) -> bool:
    """Whether running the same step again may succeed."""
    return isinstance(error, TRANSIENT)


def raised_at(error: BaseException) -> str:
    """The deepest place in the platform's own code the error passed through, for example
    orchestration/ingest/delimited.py:120: where to look, without the error's message."""
    ours = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if Path(frame.filename).resolve().is_relative_to(PACKAGE_ROOT / "orchestration")
    ]
    if not ours:
        return "outside the platform's code"
    where = Path(ours[-1].filename).resolve().relative_to(PACKAGE_ROOT).as_posix()
    return f"{where}:{ours[-1].lineno}"


def unexpected(path: Path, error: Exception) -> FileRejected:
    return FileRejected(
        f"{path.name} could not be read: the reader stopped on an unexpected "
        f"{type(error).__name__} (at {raised_at(error)}; its message is withheld, as it may "
        "quote the file)",
        PLATFORM_FIX,
    )


def detect(fmt: SourceFormat, delivered: DeliveredFile) -> Delivery:
    """The format's detect, under reading()."""
    with reading(delivered.path):
        return fmt.detect(delivered)


@contextmanager
def reading(path: Path) -> Iterator[None]:
    """Around a format's work on one file: unexpected errors reject the file."""
    try:
        yield
    except FileRejected:
        raise
    except Exception as error:
        if is_transient(error):
            raise
        raise unexpected(path, error) from None


def read(
    fmt: SourceFormat, delivered: DeliveredFile, delivery: Delivery, file_key: str
) -> Iterator[Batch]:
    """The format's batches, each read under reading(); what the caller does with a batch
    between two of them (writing the warehouse) is outside the guard."""
    path = delivered.path
    with reading(path):
        reader = iter(fmt.read(delivered, delivery, file_key))
    try:
        while True:
            with reading(path):
                batch = next(reader, None)
            if batch is None:
                return
            yield batch
    finally:
        # Closes the format's reader (its temporary files, its scratch connection) at once if
        # the caller stopped early, rather than whenever it is collected.
        close = getattr(reader, "close", None)
        if close is not None:
            close()


@contextmanager
def retry_only_transient(step: str) -> Iterator[None]:
    """Around a step with a retry policy: a deterministic error fails the step at once, with
    its class and place but not its message (which may quote data), instead of being retried."""
    try:
        yield
    except (dg.Failure, dg.DagsterError):
        raise
    except Exception as error:
        if is_transient(error):
            raise
        raise dg.Failure(
            f"{step} stopped on {type(error).__name__} at {raised_at(error)} (message withheld, "
            "as it may quote delivered data). Not retried: it would fail the same way again. "
            "Fix: send the run's id to the platform team; files loaded before the error are kept.",
            allow_retries=False,
        ) from None
