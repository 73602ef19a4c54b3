"""A delivered file as the formats see it, and the protocol every format implements.

A file is hashed once, when ingestion meets it (a new text file is surveyed in the same
pass: encoding, line breaks, lines); after that a format's detect and read work on the same
DeliveredFile, which keeps what reading it learned: a workbook's sheet converted to CSV, the
text's survey and header, and the rows DuckDB's reader refused. So a new CSV is read in full
three times: hashed and surveyed, summarised by detect (which also finds the ragged rows),
and loaded; a workbook is converted once, however many times the formats look at it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Protocol

from orchestration.ingest.delimited import DelimitedFile, open_delimited
from orchestration.ingest.model import Batch, Delivery, RawTable
from orchestration.ingest.text_files import TextSurvey


class DeliveredFile:
    """One delivered file: where it is, its content's sha256 and size, and what has been
    read of it. close() removes what reading it left in scratch folders."""

    def __init__(
        self, path: Path, sha256: str, size: int, survey: TextSurvey | None = None
    ) -> None:
        self.path = path
        self.sha256 = sha256
        self.size = size
        self.survey = survey
        self._scratch = ExitStack()
        self._delimited: DelimitedFile | None = None

    @property
    def name(self) -> str:
        return self.path.name

    @contextmanager
    def delimited(self) -> Iterator[DelimitedFile]:
        """The file ready for DuckDB's CSV reader, made on first use: an XLSX converted, the
        text surveyed (or converted to UTF-8) and its header read. Leaving the block keeps
        it for the next reader of the file."""
        if self._delimited is None:
            opened = open_delimited(self.path, self.survey)
            self._delimited = self._scratch.enter_context(opened)
        yield self._delimited

    def close(self) -> None:
        self._scratch.close()
        self._delimited = None

    def __enter__(self) -> DeliveredFile:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class SourceFormat(Protocol):
    source: str
    family: str
    description: str
    tables: tuple[RawTable, ...]
    # A larger file is refused unread: the one place a source's size limit is kept.
    max_file_bytes: int

    def detect(self, delivered: DeliveredFile) -> Delivery:
        """Read just enough of the file to say what it is; raise FileRejected if it is not.
        What reading it learned stays on delivered, for read."""

    def read(self, delivered: DeliveredFile, delivery: Delivery, file_key: str) -> Iterator[Batch]:
        """Yield the file's rows in bounded batches; raise FileRejected on broken structure.

        file_key is unique to the file's content; generated record keys start with it."""
