"""Landing is a boundary: the files a partner delivered, found without ever leaving it.

The walk uses lstat only and never follows a link, so nothing outside data/landing/ is read
through it. What may not be read is returned as refused, with the reason and the fix, before
anything opens it: links (to a file or a folder), devices, FIFOs (opening one blocks until a
writer comes), sockets, files larger than their source accepts and archives no format reads.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path, PurePath

# Zip-based workbooks are the only archives a format reads (converted by ingest/xlsx.py,
# which checks them first); any other compressed file would be decompressed blind (DuckDB
# opens a .gz itself), so it is refused.
WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm"})
ARCHIVE_SUFFIXES = frozenset(
    {".zip", ".gz", ".tgz", ".bz2", ".xz", ".zst", ".7z", ".rar", ".tar", ".lz", ".lzma", ".z"}
)
# Archives renamed to something else (police.csv that is a zip) are known by their start.
ARCHIVE_MAGIC = (
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"\x1f\x8b",
    b"7z\xbc\xaf\x27\x1c",
    b"\xfd7zXZ\x00",
    b"\x28\xb5\x2f\xfd",
    b"Rar!\x1a\x07",
    b"BZh91AY&SY",
)
MAGIC_BYTES = max(len(magic) for magic in ARCHIVE_MAGIC)
# Landing folders a later stage reads rather than a source's ingestion: no file in them is
# unrecognised. The partnership returns (orchestration/partnership/ingest.py).
STAGE_FOLDERS = frozenset({"partnership"})

SPECIAL_KINDS = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


@dataclass(frozen=True)
class Refusal:
    reason: str
    fix: str


@dataclass(frozen=True)
class LandingFile:
    """An entry under landing: a regular file to read, or one refused unread (refusal set).
    size is None where it would describe something else than a delivered file's content."""

    path: Path
    size: int | None
    mtime_ns: int
    refusal: Refusal | None = None


def _link(path: Path, relative: str) -> Refusal:
    return Refusal(
        f"{relative} is a symbolic link: landing reads only files delivered into it, never "
        "what a link points to",
        f"Copy the file itself into data/landing/ (not a link to it) or remove {path.name}.",
    )


def _classify(
    path: Path, relative: str, info: os.stat_result, max_bytes: int | None
) -> Refusal | None:
    if stat.S_ISLNK(info.st_mode):
        return _link(path, relative)
    if not stat.S_ISREG(info.st_mode):
        kind = SPECIAL_KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file")
        return Refusal(
            f"{relative} is {kind}, not a delivered file: it was not opened",
            f"Remove {path.name} from data/landing/ and deliver the extract as a regular file.",
        )
    if max_bytes is not None and info.st_size > max_bytes:
        return Refusal(
            f"{relative} is {info.st_size / 2**20:,.1f} MB, more than the "
            f"{max_bytes / 2**20:,.1f} MB its source accepts: it was not read",
            "Split the extract by period and re-deliver the parts; "
            "if files this large are expected, raise the source's limit (max_file_mb in its "
            "contract, or the format's max_file_bytes).",
        )
    suffix = path.suffix.lower()
    if suffix in ARCHIVE_SUFFIXES or (suffix not in WORKBOOK_SUFFIXES and _starts_as_archive(path)):
        return Refusal(
            f"{relative} is a compressed archive (zip, gzip, 7z...), which no source reads",
            "Extract the files from the archive and deliver them themselves (CSV, XLSX or XML); "
            "a workbook must be named .xlsx.",
        )
    return None


def _starts_as_archive(path: Path) -> bool:
    # O_NOFOLLOW and O_NONBLOCK: if the file was swapped for a link or a FIFO since lstat,
    # the open fails or returns at once instead of following it or blocking.
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return False
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return False
        start = handle.read(MAGIC_BYTES)
    return start.startswith(ARCHIVE_MAGIC)


def _is_ignored(name: str) -> bool:
    """Hidden files and folders starting with '_' (the generator's answer key) are not
    deliveries: they are skipped without being looked at, links included."""
    return name.startswith((".", "_"))


def delivered_files(
    landing_root: Path,
    folder: Path,
    skip_folders: Collection[str] = (),
    max_bytes: int | None = None,
) -> list[LandingFile]:
    """Every entry a partner delivered under folder (landing_root or a folder in it), oldest
    first so that a re-delivery made later replaces the earlier file; the top-level folders
    named in skip_folders are left out."""
    root = landing_root.resolve()
    relative_parts = folder.relative_to(landing_root).parts
    if ".." in relative_parts:
        relative = "/".join(relative_parts)
        return [LandingFile(folder, None, 0, _outside(relative))]
    entries: list[LandingFile] = []
    # The folder itself and every folder between it and the landing root must be real
    # folders inside landing: a source folder that is a link is refused like any link.
    for depth in range(1, len(relative_parts) + 1):
        step = landing_root.joinpath(*relative_parts[:depth])
        try:
            info = step.lstat()
        except FileNotFoundError:
            return []
        if stat.S_ISLNK(info.st_mode):
            relative = "/".join(relative_parts[:depth])
            return [LandingFile(step, None, info.st_mtime_ns, _link(step, relative))]
    if not folder.is_dir():
        return []
    _walk(root, folder, landing_root, max_bytes, skip_folders, entries)
    return sorted(entries, key=lambda entry: (entry.mtime_ns, entry.path.name))


def _walk(
    root: Path,
    folder: Path,
    landing_root: Path,
    max_bytes: int | None,
    skip: Collection[str],
    entries: list[LandingFile],
) -> None:
    try:
        with os.scandir(folder) as scan:
            children = sorted(scan, key=lambda entry: entry.name)
    except OSError as error:  # an unreadable folder is reported, not silently skipped
        relative = folder.relative_to(landing_root).as_posix()
        entries.append(LandingFile(folder, None, 0, _unlistable(relative, error)))
        return
    for child in children:
        if _is_ignored(child.name) or child.name in skip:
            continue
        path = Path(child.path)
        relative = path.relative_to(landing_root).as_posix()
        try:
            info = child.stat(follow_symlinks=False)
        except FileNotFoundError:  # removed while the folder was being walked
            continue
        if stat.S_ISDIR(info.st_mode):
            # Not a link (lstat), yet still checked: a path that resolves elsewhere (a bind
            # mount, a rename during the walk) is outside the boundary all the same.
            if not path.resolve().is_relative_to(root):
                entries.append(LandingFile(path, None, info.st_mtime_ns, _outside(relative)))
                continue
            _walk(root, path, landing_root, max_bytes, (), entries)
            continue
        refusal = _classify(path, relative, info, max_bytes)
        size = info.st_size if stat.S_ISREG(info.st_mode) else None
        entries.append(LandingFile(path, size, info.st_mtime_ns, refusal))


def _unlistable(relative: str, error: OSError) -> Refusal:
    return Refusal(
        f"{relative} cannot be listed ({error.strerror}): nothing in it was read",
        "Give the platform's account read access to the folder, or remove it from landing.",
    )


def _outside(relative: str) -> Refusal:
    return Refusal(
        f"{relative} resolves outside data/landing/: it was not read",
        "Deliver the files into data/landing/ itself, not through a mount or link to elsewhere.",
    )


def file_sha256(path: Path, also: Callable[[bytes], None] | None = None) -> str:
    """The content's sha256; also, if given, is fed the same bytes, so one read serves both."""
    digest = hashlib.sha256()
    # A file swapped for a link or a FIFO after the walk is neither followed nor waited on:
    # the run fails, and its retry walks landing again and refuses what is there now.
    with os.fdopen(os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK), "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError(f"{path.name} is no longer a regular file")
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
            if also is not None:
                also(chunk)
    return digest.hexdigest()


def area_in_path(relative: PurePath) -> str | None:
    """The authority a path under landing names, for files whose content does not (SSDA903):
    a three-digit LA code as a folder or a token of the file name (ssda903_938_2021_Header.csv)."""
    tokens = [*relative.parts[:-1], *re.split(r"[_\-. ]", relative.stem)]
    return next((token for token in tokens if re.fullmatch(r"\d{3}", token)), None)
