"""`csc-intel check PATH`: what ingestion would make of a folder or a file, without loading
it. The same code decides (the landing walk's refusals, each format's detect and read, the
framework's area and half-rejected rules); nothing is pseudonymised or written, and no row's
content is printed: a rejection or a finding names its line, column and reason only."""

from __future__ import annotations

import argparse
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb

from orchestration import settings
from orchestration.ingest import landing, ledger, loader, robust
from orchestration.ingest.delivered import DeliveredFile, SourceFormat
from orchestration.ingest.formats import all_formats
from orchestration.ingest.model import Delivery, FileOutcome, FileRejected, Rejection

REJECTIONS_SHOWN = 10
FINDING_LINES_SHOWN = 3


@dataclass
class FileCheck:
    name: str
    source: str = ""
    about: str = ""  # part, authority and period
    rows: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    findings: dict[tuple[str, str], list[int | None]] = field(default_factory=dict)
    failure: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def exit_status(self) -> int:
        return 2 if self.failure else 1 if self.rejections else 0


def source_folder(path: Path, formats: dict[str, SourceFormat]) -> Path | None:
    """The nearest folder above path named after a source: landing's source folder."""
    return next((folder for folder in path.parents if folder.name in formats), None)


def recognise(
    delivered: DeliveredFile, formats: dict[str, SourceFormat]
) -> tuple[SourceFormat, Delivery]:
    """The format and delivery for a file: its source folder's, else the one format whose
    detect accepts its content."""
    path = delivered.path
    folder = source_folder(path, formats)
    if folder is not None:
        return formats[folder.name], robust.detect(formats[folder.name], delivered)
    accepted = []
    for fmt in formats.values():
        try:
            accepted.append((fmt, robust.detect(fmt, delivered)))
        except FileRejected:
            continue
    if not accepted:
        raise FileRejected(
            f"{path.name} is not a file of any source (its content matches no contract, "
            "CIN census or SSDA903 table)",
            "Put it in the folder of its source (e.g. landing/ae_attendances/) and check again "
            "to see why that source refuses it.",
        )
    return accepted[0]


def resolve_area(
    fmt: SourceFormat, delivery: Delivery, path: Path, root: Path, check: FileCheck
) -> Delivery:
    """The authority as ingestion resolves it, from the folders below landing (the source
    folder's parent) or the checked folder; a file that does not say takes the one
    authority configured, as a single-authority warehouse would give it."""
    folder = source_folder(path, {fmt.source: fmt})
    root = folder.parent if folder is not None else root
    with duckdb.connect() as scratch:  # in memory: the warehouse is never opened
        ledger.ensure_raw_tables(scratch, ())
        ingestor = loader.Ingestor(fmt, scratch, None, root)
        try:
            return ingestor.resolve_area(delivery, path)
        except FileRejected:
            if len(settings.authorities()) != 1:
                raise
            check.notes.append("no authority in its folder or name: taken as the one configured")
            return replace(delivery, area=settings.authorities()[0])


def check_file(
    entry: landing.LandingFile, root: Path, formats: dict[str, SourceFormat]
) -> FileCheck:
    path = entry.path
    check = FileCheck(path.relative_to(root).as_posix())
    try:
        if entry.refusal is not None:
            raise FileRejected(entry.refusal.reason, entry.refusal.fix)
        with DeliveredFile(path, landing.file_sha256(path), entry.size) as delivered:
            check_delivered(delivered, root, formats, check)
    except FileRejected as rejected:
        check.failure = str(rejected)
    return check


def check_delivered(
    delivered: DeliveredFile, root: Path, formats: dict[str, SourceFormat], check: FileCheck
) -> None:
    """What ingestion would make of a readable file, into check; raises FileRejected."""
    path = delivered.path
    fmt, delivery = recognise(delivered, formats)
    check.source = fmt.source
    if delivered.size is not None and delivered.size > fmt.max_file_bytes:
        raise FileRejected(
            f"{path.name} is larger than the {fmt.max_file_bytes / 2**20:,.0f} MB "
            f"{fmt.source} accepts",
            "Split the extract by period and check the parts.",
        )
    delivery = resolve_area(fmt, delivery, path, root, check)
    part = f"{delivery.part}, " if delivery.part else ""
    check.about = f"{part}authority {delivery.area}, period {delivery.collection_period}"
    configured = settings.authorities()
    if configured and not set(str(delivery.area).split("+")) <= set(configured):
        check.notes.append(f"authority {delivery.area} is not one of {', '.join(configured)}")
    read_rows(fmt, delivery, delivered, check)


def read_rows(
    fmt: SourceFormat, delivery: Delivery, delivered: DeliveredFile, check: FileCheck
) -> None:
    findings: dict[tuple[str, str], list[int | None]] = defaultdict(list)
    for batch in robust.read(fmt, delivered, delivery, delivered.sha256[:16]):
        check.rows += batch.records
        check.rejections += batch.rejections
        for finding in batch.findings:
            findings[(finding.rule, finding.element)].append(finding.line)
    check.findings = dict(findings)
    outcome = FileOutcome(check.name, "checked", check.rows, len(check.rejections))
    loader.refuse_mostly_bad(delivered.name, outcome)  # ingestion's own rule, not a copy


def report_lines(check: FileCheck) -> list[str]:
    if check.failure:
        source = f" ({check.source})" if check.source else ""
        return [f"{check.name}{source}: WOULD FAIL: {check.failure}"]
    counts = f"{check.rows:,} rows would load, {len(check.rejections):,} rejected"
    lines = [f"{check.name}: {check.source} ({check.about}): {counts}"]
    lines += [f"  note: {note}" for note in check.notes]
    for rejection in check.rejections[:REJECTIONS_SHOWN]:
        lines.append(f"  rejected line {rejection.line} ({rejection.element}): {rejection.reason}")
    if len(check.rejections) > REJECTIONS_SHOWN:
        lines.append(f"  ... and {len(check.rejections) - REJECTIONS_SHOWN} more rejected rows")
    lines += [f"  fix: {fix}" for fix in sorted({r.fix for r in check.rejections})[:3]]
    for (rule, element), found in sorted(check.findings.items()):
        first = ", ".join(str(line) for line in found[:FINDING_LINES_SHOWN] if line is not None)
        at = f" (first lines {first})" if first else ""
        lines.append(f"  finding {rule} in {element}: {len(found):,} rows{at}; loads anyway")
    return lines


def files_under(path: Path) -> tuple[Path, list[landing.LandingFile]]:
    """The root the names are shown from, and the files as the landing walk finds them."""
    if path.is_dir() and not path.is_symlink():
        return path, landing.delivered_files(path, path)
    root = path.parent
    others = {sibling.name for sibling in root.iterdir() if sibling.name != path.name}
    return root, landing.delivered_files(root, root, skip_folders=others)


def main(args: argparse.Namespace) -> int:
    path = args.path.absolute()
    if not path.exists() and not path.is_symlink():
        print(f"csc-intel check: error: {args.path} does not exist")
        return 2
    root, entries = files_under(path)
    if not entries:
        print(f"{args.path}: no file to check (names starting with . or _ are never read)")
        return 2
    formats = {fmt.source: fmt for fmt in all_formats()}
    checks = [check_file(entry, root, formats) for entry in entries]
    for check in checks:
        print("\n".join(report_lines(check)))
    failing = sum(1 for check in checks if check.failure)
    rejected = sum(len(check.rejections) for check in checks)
    print(
        f"{len(checks)} files checked: {len(checks) - failing} would load, {failing} would "
        f"fail; {rejected:,} rows would be rejected. Nothing was loaded or written."
    )
    return max(check.exit_status for check in checks)
