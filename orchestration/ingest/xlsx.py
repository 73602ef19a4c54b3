"""XLSX workbooks read within limits: the first sheet converted to CSV, streaming, after the
zip directory says the workbook is what it claims to be.

An XLSX is a zip archive, so a file of a few hundred KB can expand to gigabytes (a zip bomb),
declare a sheet of 16,384 x 1,048,576 cells that the reader fills in, or carry shared strings
that take gigabytes of memory. Before openpyxl opens a workbook, its zip directory is read
(sizes as declared: Python's zipfile never inflates a member past its declared size) and the
workbook is refused when it expands too far, too steeply, has too many members or nests
archives; the conversion is then capped in columns, cells and time. A workbook too large
for these limits is an extract for CSV, which is streamed whatever its size.
"""

from __future__ import annotations

import csv
import re
import struct
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TextIO
from xml.parsers import expat

from orchestration.ingest.landing import ARCHIVE_SUFFIXES, WORKBOOK_SUFFIXES
from orchestration.ingest.model import FileRejected

if TYPE_CHECKING:
    from openpyxl import Workbook

MIB = 2**20
# The sheets together: about 5.5 million cells at the ~47 bytes of XML each that openpyxl
# writes (a sheet of 450,000 rows by 12 columns), converted in about 70 s on a 2-core machine
# (80,000 cells a second).
MAX_EXPANDED_BYTES = 256 * MIB
# Parts openpyxl holds whole in memory (shared strings, styles, the workbook): real ones are
# a few MB, and their Python objects take several times their XML.
MAX_WHOLE_PART_BYTES = 32 * MIB
WORKSHEETS = "xl/worksheets/"
# Sheet XML deflates about 5 to 20 times (11 for a school census sheet); a member expanding
# more than 100 times, and to more than a MB, is built to expand rather than to hold data.
MAX_RATIO = 100
RATIO_FLOOR_BYTES = MIB
# A workbook has a dozen members, or a few per sheet; the directory of a thousand is ~100 KB.
MAX_MEMBERS = 1_000
MAX_DIRECTORY_BYTES = MIB
EMBEDDED = "xl/embeddings/"
# No delivered table is wider than a few dozen columns; Excel's own limit is 1,048,576 rows.
MAX_COLUMNS = 1_000
MAX_ROWS = 1_048_576
# Empty cells the reader fills in cost time but no XML: capped apart from the bytes.
MAX_CELLS = 20_000_000
# openpyxl holds a row's elements until the row ends, and elements outside rows (merged
# cells, hyperlinks, unknown ones) until the sheet ends: ~250 bytes each in memory. A row has
# a few elements per cell (value, formula, rich text runs); a sheet a few thousand others.
MAX_ROW_ELEMENTS = 16 * MAX_COLUMNS
MAX_OTHER_ELEMENTS = 200_000
# The largest workbook the byte limit lets through takes ~70 s: room for a slower machine.
MAX_SECONDS = 180

FIX_AS_CSV = "Save the sheet as UTF-8 CSV and deliver that instead (CSV is read streaming)."
END_OF_DIRECTORY = b"PK\x05\x06"
END_RECORD_BYTES = 22
MAX_COMMENT_BYTES = 65_535
ZIP64_LOCATOR = b"PK\x06\x07"
ZIP64_LOCATOR_BYTES = 20
ZIP64_MEMBERS = 0xFFFF  # what the end record says when the zip64 record holds the count


def _not_a_workbook(path: Path, detail: str) -> FileRejected:
    return FileRejected(
        f"{path.name} cannot be opened as an XLSX workbook ({detail})",
        "Save the extract again as .xlsx (or as UTF-8 CSV) and re-deliver it.",
    )


def _directory_extent(path: Path) -> tuple[int, int]:
    """Members and bytes of the zip directory, from its end record: read before zipfile
    parses the directory, which it would do whole whatever its size."""
    with path.open("rb") as handle:
        size = handle.seek(0, 2)
        handle.seek(max(0, size - END_RECORD_BYTES - MAX_COMMENT_BYTES))
        tail = handle.read()
    at = tail.rfind(END_OF_DIRECTORY)
    if at < 0 or len(tail) - at < END_RECORD_BYTES:
        raise _not_a_workbook(path, "no zip directory")
    members, directory_bytes = struct.unpack("<HI", tail[at + 10 : at + 16])
    if tail[max(0, at - ZIP64_LOCATOR_BYTES) : at].startswith(ZIP64_LOCATOR):
        # zipfile would take the counts from the zip64 record instead; no workbook needs one.
        return ZIP64_MEMBERS, directory_bytes
    return members, directory_bytes


def check_workbook(path: Path, deadline: float) -> None:
    """Raise FileRejected unless the workbook's zip directory, and then the elements of its
    sheets, are within the limits."""
    members, directory_bytes = _directory_extent(path)
    if members > MAX_MEMBERS or directory_bytes > MAX_DIRECTORY_BYTES:
        raise FileRejected(
            f"{path.name} holds {members:,} archive members ({directory_bytes:,} bytes of zip "
            f"directory), more than the {MAX_MEMBERS:,} a workbook may have",
            FIX_AS_CSV,
        )
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_members(path, infos)
            for info in infos:
                if info.filename.startswith(WORKSHEETS) and info.filename.endswith(".xml"):
                    _count_elements(path, archive, info, deadline)
    except (zipfile.BadZipFile, OSError, ValueError, struct.error, expat.ExpatError) as error:
        raise _not_a_workbook(path, type(error).__name__) from None


# Standard workbook parts may be named in a message; any other member name comes from the
# delivered file and could be anything (a child's name), so it is named by position.
NAMEABLE_PART = re.compile(
    r"(xl/(worksheets/sheet\d{1,4}|sharedStrings|styles|workbook)\.xml|\[Content_Types\]\.xml)"
)


def _part(number: int, name: str) -> str:
    return name if NAMEABLE_PART.fullmatch(name) else f"archive member {number}"


def _check_members(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    for number, info in enumerate(infos, start=1):
        name = info.filename
        if name.startswith(EMBEDDED) or Path(name).suffix.lower() in (
            ARCHIVE_SUFFIXES | WORKBOOK_SUFFIXES
        ):
            raise FileRejected(
                f"{path.name} has an embedded file or archive ({_part(number, name)})",
                "Remove embedded objects from the workbook and re-deliver it. " + FIX_AS_CSV,
            )
        steep = info.file_size > MAX_RATIO * max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR_BYTES and steep:
            raise FileRejected(
                f"{path.name} is a compression bomb: {_part(number, name)} expands "
                f"{info.compress_size:,} "
                f"bytes to {info.file_size:,}, more than {MAX_RATIO} times",
                "Do not deliver this file: real sheets never compress this far. " + FIX_AS_CSV,
            )
        if not name.startswith(WORKSHEETS) and info.file_size > MAX_WHOLE_PART_BYTES:
            raise FileRejected(
                f"{path.name} has a {info.file_size / MIB:,.0f} MB {_part(number, name)}, more "
                "than the "
                f"{MAX_WHOLE_PART_BYTES // MIB} MB a workbook part may take in memory",
                FIX_AS_CSV,
            )
    expanded = sum(info.file_size for info in infos)
    if expanded > MAX_EXPANDED_BYTES:
        raise FileRejected(
            f"{path.name} expands to {expanded / MIB:,.0f} MB, more than the "
            f"{MAX_EXPANDED_BYTES // MIB} MB a workbook may",
            FIX_AS_CSV,
        )


def _count_elements(
    path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, deadline: float
) -> None:
    """Stream a sheet's XML through expat, counting what openpyxl would hold at once, before
    openpyxl reads it (a single row of 9 million cells took it 6.8 GB)."""
    count = {"rows": 0, "cells": 0, "in_row": 0, "other": 0}
    in_row = False

    def start(name: str, attributes: dict) -> None:
        nonlocal in_row
        local = name.rpartition(" ")[2]
        if local == "row":
            in_row, count["in_row"] = True, 0
            count["rows"] += 1
            if count["rows"] > MAX_ROWS:
                raise _too_large(path, f"has more than {MAX_ROWS:,} rows")
            if time.monotonic() > deadline:
                raise _too_large(path, f"took more than {MAX_SECONDS} s to read")
        elif in_row:
            count["in_row"] += 1
            if local == "c":
                count["cells"] += 1
            if count["in_row"] > MAX_ROW_ELEMENTS or count["cells"] > MAX_CELLS:
                raise _too_large(path, f"has more cells than it may in row {count['rows']:,}")
        else:
            count["other"] += 1
            if count["other"] > MAX_OTHER_ELEMENTS:
                raise _too_large(path, f"has more than {MAX_OTHER_ELEMENTS:,} non-cell elements")

    def end(name: str) -> None:
        nonlocal in_row
        in_row = in_row and name.rpartition(" ")[2] != "row"

    def refuse_dtd(*_: object) -> None:  # no workbook declares entities; a bomb might
        raise _not_a_workbook(path, "a document type declaration")

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.StartDoctypeDeclHandler = refuse_dtd
    with archive.open(info) as member:
        for chunk in iter(lambda: member.read(1 << 20), b""):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)


@contextmanager
def opened_workbook(
    path: Path, not_a_workbook: Callable[[str], FileRejected]
) -> Iterator[Workbook]:
    """The workbook at path, open read-only while the block reads it and closed after. Any
    error but a FileRejected, opening it or reading it, is refused as not_a_workbook(the
    error's kind): openpyxl raises many kinds for a damaged workbook, and a damaged sheet
    fails while it is read, not when the workbook is opened."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:
        raise not_a_workbook(type(error).__name__) from None
    try:
        yield workbook
    except FileRejected:
        raise
    except Exception as error:
        raise not_a_workbook(type(error).__name__) from None
    finally:
        workbook.close()


def xlsx_to_csv(path: Path, target: Path) -> None:
    """Write the first sheet of the workbook at path as CSV to target, within the limits."""
    deadline = time.monotonic() + MAX_SECONDS
    check_workbook(path, deadline)
    with opened_workbook(path, partial(_not_a_workbook, path)) as workbook:
        sheet = workbook.worksheets[0]
        declared = (sheet.max_row or 0, sheet.max_column or 0)
        if declared[1] > MAX_COLUMNS or declared[0] * declared[1] > MAX_CELLS:
            raise _too_large(path, f"declares {declared[0]:,} rows by {declared[1]:,} columns")
        with target.open("w", newline="", encoding="utf-8") as handle:
            _write_rows(path, sheet.iter_rows(values_only=True), handle, deadline)


def _write_rows(path: Path, rows: Iterable[tuple], handle: TextIO, deadline: float) -> None:
    writer = csv.writer(handle)
    cells = 0
    for number, row in enumerate(rows, start=1):
        cells += len(row)
        if len(row) > MAX_COLUMNS:
            raise _too_large(path, f"has {len(row):,} columns in row {number:,}")
        # Counted again here with the empty rows and cells the reader fills in.
        if number > MAX_ROWS or cells > MAX_CELLS:
            raise _too_large(path, f"has more than {MAX_ROWS:,} rows or {MAX_CELLS:,} cells")
        if time.monotonic() > deadline:
            raise _too_large(path, f"took more than {MAX_SECONDS} s to read ({number:,} rows)")
        writer.writerow(["" if value is None else cell_text(value) for value in row])


def _too_large(path: Path, detail: str) -> FileRejected:
    return FileRejected(
        f"{path.name} is too large to read as a workbook: its first sheet {detail} (limits: "
        f"{MAX_COLUMNS:,} columns, {MAX_CELLS:,} cells, {MAX_SECONDS} s)",
        FIX_AS_CSV,
    )


def cell_text(value: object) -> str:
    if hasattr(value, "strftime"):
        text = value.strftime("%Y-%m-%d %H:%M:%S")
        return text.removesuffix(" 00:00:00")
    return str(value)
