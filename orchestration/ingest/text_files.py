"""A delivered text file made readable by DuckDB's CSV reader, streamed in bounded chunks.

DuckDB reads UTF-8 or Latin-1 with one kind of line break. Partners' systems also write
UTF-16 or UTF-32 (with a byte-order mark) and files whose lines end in a mix of CRLF, LF
and CR (concatenated exports, hand edits): those are converted, in one pass, to a temporary
UTF-8 file with LF line breaks. Every kind of break becomes one LF, so line numbers stay
those of the delivered file. A NUL character is refused: it is binary content (or UTF-16
without a byte-order mark), which no extract holds.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from orchestration.ingest.model import FileRejected, Finding

CHUNK_BYTES = 1 << 20
# Blank lines are kept by number (see ReadableText); a file of little else is no extract.
MAX_BLANK_LINES = 100_000
# Longest first: the UTF-32-LE mark starts with the UTF-16-LE one.
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
NOT_UTF8 = Finding(None, "file", "encoding", "Not UTF-8: read as Windows-1252/Latin-1.")
SAVE_AS_TEXT = (
    "Save the extract again as CSV (UTF-8, or UTF-16 with its byte-order mark) and re-deliver it."
)


def _mark_invalid(error: UnicodeDecodeError) -> tuple[str, int]:
    # Bytes that are not valid in the file's encoding become a NUL, which is refused with its
    # line and column like any other: the bytes themselves are never quoted.
    return "\x00", error.end


codecs.register_error("csc_intel_nul", _mark_invalid)


@dataclass(frozen=True)
class ReadableText:
    """What DuckDB reads (the delivered file itself or its UTF-8 conversion), and its lines:
    DuckDB skips blank lines, so they are known by number to keep line numbers right."""

    path: Path
    encoding: str  # as DuckDB's read_csv names it: utf-8 or latin-1
    findings: list[Finding]
    lines: int  # lines that are not blank, the header's included
    blank_lines: frozenset[int]


def readable_text(
    path: Path, scratch: Path, name: str, survey: TextSurvey | None = None
) -> ReadableText:
    """The file as DuckDB can read it; a conversion is written into the folder scratch.
    name is the delivered file's, for messages (path may be a workbook's converted sheet);
    survey, if given, has already read path's bytes (while they were hashed)."""
    with path.open("rb") as handle:
        start = handle.read(4)
    bom, codec, label = next(
        (mark for mark in BYTE_ORDER_MARKS if start.startswith(mark[0])), (b"", "", "")
    )
    if label in ("UTF-16", "UTF-32"):
        target, lines = _convert(path, codec, len(bom), scratch, name, label)
        return ReadableText(target, "utf-8", [], lines.count, frozenset(lines.blank))
    survey = survey or _survey(path, name)
    if survey.problem is not None:
        raise survey.problem
    encoding = "utf-8" if survey.utf8 else "latin-1"
    findings = [] if survey.utf8 else [NOT_UTF8]
    lines = survey.lines
    if survey.mixed_breaks:
        label = "UTF-8" if survey.utf8 else "Latin-1"
        path, lines = _convert(path, encoding, len(bom), scratch, name, label)
        encoding = "utf-8"
    return ReadableText(path, encoding, findings, lines.count, frozenset(lines.blank))


class _Lines:
    """Where a file read in chunks (line breaks already LF) is: line, column, blank lines."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.line, self.column = 1, 0  # column: characters so far in the current line
        self.blank: list[int] = []

    @property
    def count(self) -> int:
        return self.line - (1 if self.column == 0 else 0) - len(self.blank)

    def of(self, text: str | bytes, index: int) -> tuple[int, int]:
        """Line and column of text[index]."""
        lf = "\n" if isinstance(text, str) else b"\n"
        last = text.rfind(lf, 0, index)
        column = (self.column + index + 1) if last < 0 else index - last
        return self.line + text.count(lf, 0, index), column

    def feed(self, text: str | bytes) -> None:
        lf = "\n" if isinstance(text, str) else b"\n"
        # A blank line is an LF at the start of a line: the chunk's first character after a
        # line ended, or an LF right after another. Those are found with one search each and
        # numbered by counting LFs from the previous one, so a chunk is read a few times in
        # all, never once per line.
        starts = [0] if text.startswith(lf) and self.column == 0 else []
        at = text.find(lf + lf)
        while at >= 0:
            starts.append(at + 1)
            at = text.find(lf + lf, at + 1)
        line, counted = self.line, 0
        for start in starts:
            line, counted = line + text.count(lf, counted, start), start
            self.blank.append(line)
        if len(self.blank) > MAX_BLANK_LINES:
            raise FileRejected(
                f"{self.name} has more than {MAX_BLANK_LINES:,} blank lines: not an extract",
                SAVE_AS_TEXT,
            )
        self.line, self.column = self.of(text, len(text))
        self.column -= 1


class TextSurvey:
    """What one pass over an 8-bit file finds, fed its bytes chunk by chunk: its line breaks
    and lines, and whether it is UTF-8. A file that is no text is not refused while it is fed
    (the pass may be hashing it too): the refusal waits in problem."""

    def __init__(self, name: str) -> None:
        self.lines = _Lines(name)
        self.crlf = self.cr = self.lf = 0
        self.utf8 = True
        self.problem: FileRejected | None = None
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._ended_in_cr = False

    @property
    def mixed_breaks(self) -> bool:
        return self.cr > self.crlf or bool(self.crlf and self.lf > self.crlf)

    def feed(self, chunk: bytes) -> None:
        if self.problem is None:
            try:
                self._count(chunk)
            except FileRejected as refused:
                self.problem = refused

    def _count(self, chunk: bytes) -> None:
        if self.utf8:
            try:
                self._decoder.decode(chunk)
            except UnicodeDecodeError:
                self.utf8 = False
        if self._ended_in_cr and chunk.startswith(b"\n"):  # a CRLF split between two chunks
            self.crlf, self.lf, chunk = self.crlf + 1, self.lf + 1, chunk[1:]
        self.crlf += chunk.count(b"\r\n")
        self.cr += chunk.count(b"\r")
        self.lf += chunk.count(b"\n")
        self._ended_in_cr = chunk.endswith(b"\r")
        unified = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        nul = unified.find(b"\x00")
        if nul >= 0:
            raise _binary(self.lines.name, *self.lines.of(unified, nul), "UTF-8 or Latin-1")
        self.lines.feed(unified)

    def finish(self) -> TextSurvey:
        """After the last chunk: a UTF-8 sequence cut at the end makes the file not UTF-8."""
        if self.utf8:
            try:
                self._decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                self.utf8 = False
        return self


def _survey(path: Path, name: str) -> TextSurvey:
    survey = TextSurvey(name)
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK_BYTES), b""):
            survey.feed(chunk)
            if survey.problem is not None:  # refused: the rest need not be read
                break
    return survey.finish()


def _convert(
    path: Path, codec: str, skip: int, scratch: Path, name: str, label: str
) -> tuple[Path, _Lines]:
    """Decode, normalise line breaks to LF and write UTF-8, one chunk at a time."""
    target = scratch / "text.csv"
    decoder = codecs.getincrementaldecoder(codec)(errors="csc_intel_nul")
    lines, pending = _Lines(name), ""
    with path.open("rb") as source, target.open("w", encoding="utf-8", newline="") as out:
        source.seek(skip)
        while True:
            chunk = source.read(CHUNK_BYTES)
            text = pending + decoder.decode(chunk, final=not chunk)
            # A CR at the end may be the first half of a CRLF: decided with the next chunk.
            pending = "\r" if chunk and text.endswith("\r") else ""
            text = text[: len(text) - len(pending)].replace("\r\n", "\n").replace("\r", "\n")
            nul = text.find("\x00")
            if nul >= 0:
                raise _binary(name, *lines.of(text, nul), label)
            lines.feed(text)
            out.write(text)
            if not chunk:
                return target, lines


def _binary(name: str, line: int, column: int, encoding: str) -> FileRejected:
    return FileRejected(
        f"{name} is not a text extract: line {line}, column {column} holds a NUL character or "
        f"bytes that are not valid {encoding} (binary content, a file cut short, or UTF-16 "
        "without its byte-order mark)",
        SAVE_AS_TEXT,
        line,
    )
