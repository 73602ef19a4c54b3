"""The one ingestion loop every delivered format plugs into.

A format knows how to recognise its files (detect) and turn them into rows (read). Everything
else happens here, once: hashing the file, skipping what is already loaded, pseudonymising
identifier columns, adding lineage, loading in one transaction, replacing an earlier delivery
for the same collection period, and keeping every rejected file and row with its reason (in
the ledger, ledger.py).
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection
from dataclasses import replace
from pathlib import Path

import duckdb
import pyarrow as pa

from orchestration.ingest import ledger, robust
from orchestration.ingest.delivered import DeliveredFile, SourceFormat
from orchestration.ingest.landing import (
    WORKBOOK_SUFFIXES,
    LandingFile,
    area_in_path,
    delivered_files,
    file_sha256,
)
from orchestration.ingest.model import (
    Batch,
    Delivery,
    FileOutcome,
    FileRejected,
    Finding,
    IngestReport,
    RawTable,
)
from orchestration.ingest.supersede import replace_earlier
from orchestration.ingest.text_files import TextSurvey
from orchestration.ingest.withdrawal import apply_withdrawals
from orchestration.privacy.clear_parts import protect
from orchestration.privacy.pseudonymise import Pseudonymiser

# Above this share of unreadable rows a file is more likely cut or mis-exported than
# partly wrong: it is rejected whole rather than half-loaded.
MAX_REJECTED_SHARE = 0.5


def refuse_mostly_bad(name: str, outcome: FileOutcome) -> None:
    total = outcome.rows_loaded + outcome.rows_rejected
    if total and outcome.rows_rejected / total > MAX_REJECTED_SHARE:
        raise FileRejected(
            f"{outcome.rows_rejected} of {total} rows of {name} could not be read, more "
            f"than the {MAX_REJECTED_SHARE:.0%} a file may lose",
            "The file looks cut or mis-exported (wrong delimiter or quoting): re-export it.",
        )


def _arrow_table(table: RawTable, columns: dict[str, list]) -> pa.Table:
    lines = columns.get("_record_line") or []
    arrays = {
        name: pa.array(columns.get(name) or [None] * len(lines), type=pa.string())
        for name in table.columns
    }
    arrays["_record_line"] = pa.array(lines, type=pa.int64())
    return pa.table(arrays)


class Ingestor:
    """Loads every delivered file of one format into raw tables, idempotently."""

    def __init__(
        self,
        fmt: SourceFormat,
        con: duckdb.DuckDBPyConnection,
        pseudonymiser: Pseudonymiser,
        landing_root: Path,
    ) -> None:
        self.fmt = fmt
        self.con = con
        self.pseudonymiser = pseudonymiser
        self.landing_root = landing_root
        self.tables = {table.name: table for table in fmt.tables}

    def ingest(self, folder: Path, skip_folders: Collection[str] = ()) -> IngestReport:
        ledger.ensure_raw_tables(self.con, self.fmt.tables)
        self._discard_unfinished()
        report = IngestReport(source=self.fmt.source)
        limit = self.fmt.max_file_bytes
        entries = delivered_files(self.landing_root, folder, skip_folders, limit)
        for entry in apply_withdrawals(self.con, self.fmt, self.landing_root, folder, entries):
            report.outcomes.append(self._ingest_file(entry))
        return report

    def _ingest_file(self, entry: LandingFile) -> FileOutcome:
        path = entry.path
        relative = path.relative_to(self.landing_root).as_posix()
        if entry.refusal is not None:  # refused unread, so there is no sha256 to record
            rejected = FileRejected(entry.refusal.reason, entry.refusal.fix)
            ledger.record_failure(self.con, self.fmt.source, (relative, None, entry.size), rejected)
            return FileOutcome(relative, "failed", error=str(rejected))
        survey = self._survey_while_hashing(entry, relative)
        sha = file_sha256(path, survey and survey.feed)
        known = ledger.known_at(self.con, sha, relative)
        if known is not None:  # met here before: only hashed again
            return FileOutcome(relative, known)
        where = (relative, sha, entry.size)
        with DeliveredFile(path, sha, entry.size, survey and survey.finish()) as delivered:
            try:  # robust: an unexpected error reading the file fails that file alone
                delivery = self.resolve_area(robust.detect(self.fmt, delivered), path)
                # A content already delivered for this return, even if a later delivery has
                # replaced it since, is not loaded again: otherwise an old file left in
                # landing would undo its correction. The same bytes for another period (a
                # table that did not change between terms) are that period's delivery.
                original = ledger.delivered_as(self.con, sha, delivery)
                if original is not None:
                    ledger.record_duplicate(self.con, self.fmt.source, where, original)
                    return FileOutcome(relative, "duplicate")
                return self._load(delivered, relative, delivery)
            except FileRejected as rejected:
                ledger.record_failure(self.con, self.fmt.source, where, rejected)
                return FileOutcome(relative, "failed", error=str(rejected))

    def _survey_while_hashing(self, entry: LandingFile, relative: str) -> TextSurvey | None:
        """A survey of the text (encoding, line breaks, lines) fed by the hashing pass, for a
        file that may be new and may be text: a new CSV is then read once before detection
        instead of twice. A file seen before at this path and size, most likely unchanged, is
        only hashed; so are XML returns and workbooks, whose text is not their bytes."""
        suffix = entry.path.suffix.lower()
        if suffix in WORKBOOK_SUFFIXES or suffix == ".xml" or not self.fmt.tables:
            return None
        if ledger.seen_at_size(self.con, relative, entry.size):
            return None
        return TextSurvey(entry.path.name)

    def resolve_area(self, delivery: Delivery, path: Path) -> Delivery:
        """For files that do not name their authority: a three-digit LA code as a folder or
        a token of the file name (ssda903_938_2021_Header.csv), or in a single-authority
        warehouse the one authority it knows."""
        if delivery.area is not None:
            return delivery
        area = area_in_path(path.relative_to(self.landing_root))
        if area is None:
            area = ledger.only_loaded_area(self.con)
        if area is None:
            raise FileRejected(
                f"{path.name} does not say which authority it comes from",
                f"Deliver it under a folder named with the authority's three-digit LA code, "
                f"for example data/landing/{self.fmt.source}/938/{path.name}.",
            )
        return replace(delivery, area=area)

    def _load(self, delivered: DeliveredFile, relative: str, delivery: Delivery) -> FileOutcome:
        now, sha = ledger.now(), delivered.sha256
        lineage = {
            "_source_file": relative,
            "_file_sha256": sha,
            "_area": delivery.area,
            "_collection_period": delivery.collection_period,
            "_loaded_at": now,
        }
        outcome = FileOutcome(relative, "loaded")
        try:
            # Each batch commits on its own so that memory stays bounded whatever the size of
            # the file; its rows only count once the manifest says the file is loaded, and
            # are removed if it never does (see _discard_unfinished).
            for batch in robust.read(self.fmt, delivered, delivery, sha[:16]):
                self.con.execute("begin transaction")
                self._insert_batch(batch, lineage)
                where = (relative, sha, now)
                ledger.record_problems(
                    self.con, self.fmt.source, where, batch.rejections, batch.findings
                )
                self.con.execute("commit")
                outcome.rows_loaded += batch.records
                outcome.rows_rejected += len(batch.rejections)
                outcome.findings += len(batch.findings)
            refuse_mostly_bad(delivered.name, outcome)
            self.con.execute("begin transaction")
            # Replace the loaded delivery of the same return, reconciled; or hold this one.
            hold = replace_earlier(self.con, self.fmt.tables, delivery, sha, relative)
            if hold is not None:  # its rows are out again; the earlier delivery stays loaded
                outcome = FileOutcome(relative, "held", error=hold.reason)
            ledger.record_manifest(
                self.con,
                file_path=relative,
                file_sha256=sha,
                size_bytes=delivered.size,
                source=delivery.source,
                area=delivery.area,
                collection_period=delivery.collection_period,
                part=delivery.part,
                status=outcome.status,
                rows_loaded=outcome.rows_loaded,
                rows_rejected=outcome.rows_rejected,
                findings=outcome.findings,
                error=outcome.error,
                fix=hold and hold.fix,
                pseudonymisation_key=self.pseudonymiser.fingerprint,
                seen_at=now,
            )
            self.con.execute("commit")
        except BaseException:
            self._rollback_quietly()
            self._discard_unfinished()
            raise
        return outcome

    def _rollback_quietly(self) -> None:
        with contextlib.suppress(duckdb.TransactionException):  # no transaction was open
            self.con.execute("rollback")

    def _discard_unfinished(self) -> None:
        """Remove rows of files that are not (or no longer being) recorded as delivered: a
        file that failed half-way, or a run that was killed in the middle of a file."""
        ledger.discard_unfinished(self.con, self.fmt.source, self.fmt.tables)

    def _insert_batch(self, batch: Batch, lineage: dict) -> None:
        for table_name, columns in batch.rows.items():
            table = self.tables[table_name]
            frame = columns if isinstance(columns, pa.Table) else _arrow_table(table, columns)
            if frame.num_rows == 0:
                continue
            # Clear parts derived, then every identifier replaced by its pseudonym; a
            # postcode with no district to keep is dropped and counted among the findings.
            frame, dropped = protect(frame, table.identifiers, self.pseudonymiser)
            batch.findings += [Finding(*found) for found in dropped]
            self.con.register("incoming_batch", frame)
            constants = ", ".join(f"? as {name}" for name in lineage)
            self.con.execute(
                f"insert into raw.{table_name} by name select *, {constants} from incoming_batch",
                list(lineage.values()),
            )
            self.con.unregister("incoming_batch")
