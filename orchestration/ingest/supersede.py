"""A re-delivery replaces the loaded file of the same return, reconciled record by record, and
is held for a person to confirm when it would drop too many of the replaced file's records.

The framework calls replace_earlier in the transaction that records a new file in the
manifest, once the file's rows are in the raw tables, so the two deliveries are compared
where they already are. A delivery is the same return as a loaded one when source, area,
collection period and part agree; the formats make the period robust to stray dates
(periods.py), so a supersede never crosses collection years or months.

Every supersede writes one row per replaced file and raw table to raw.supersede_reconciliation:
records in each file and records only in the replaced one, counted by the table's natural
record key and never listing the keys. A re-delivery that would drop more than
operations.yaml's supersede.max_dropped_share of a table's records is held: not loaded, the
earlier file stays, and the manifest says how to confirm it (CONFIRMED_FOLDER).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    from orchestration.ingest.model import Delivery, RawTable

# A held re-delivery moved into a folder of this name (anywhere under its source folder) is
# confirmed by a person: it replaces the earlier delivery however much it drops.
CONFIRMED_FOLDER = "confirmed"

# Files named by sha256 and path, in the manifest and logs and in the raw tables' lineage: the
# same bytes may be two deliveries (a table that did not change between terms), each its rows.
FILES_IN = "(file_sha256, file_path) in (select unnest(?), unnest(?))"
ROWS_OF_FILES = "(_file_sha256, _source_file) in (select unnest(?), unnest(?))"

RECONCILIATION_DDL = """
create table if not exists raw.supersede_reconciliation (
    decided_at timestamp, source varchar, area varchar, collection_period varchar, part varchar,
    replaced_file_sha256 varchar, new_file_sha256 varchar, new_file_path varchar,
    raw_table varchar, record_key varchar, rows_in_replaced bigint, rows_in_new bigint,
    rows_only_in_replaced bigint, decision varchar
)"""

# Each raw table's natural record key: the columns its staging model deduplicates on
# (dbt_project/models/staging/*/), identifiers already pseudonymised with the same key. A
# table not listed is compared on its delivered columns, leaving out the keys ingestion
# generates (the CIN census *_key columns, unique to a file).
RECORD_KEYS: dict[str, tuple[str, ...]] = {
    "cin_child": ("la_child_id",),
    "ssda903_header": ("child",),
    "ssda903_episodes": ("child", "decom"),
    "ssda903_reviews": ("child", "review"),
    "ssda903_uasc": ("child",),
    "ssda903_ad1": ("child",),
    "ssda903_oc2": ("child",),
    "ssda903_oc3": ("child",),
    "ssda903_placed_adoption": ("child", "date_placed"),
    "ssda903_missing": ("child", "mis_start"),
    "ssda903_social_worker": ("child", "sw_id", "sw_decom"),
    "ssda903_dolo": ("child", "dolo_start"),
    "ae_attendances": ("attendance_id",),
    "camhs_referrals": ("referral_id",),
    "hospital_admissions": ("spell_id",),
    "police_incidents": ("incident_ref", "child_forename", "child_surname", "child_dob"),
    "school_census": ("academic_year", "term", "urn", "upn"),
    "school_attendance_daily": ("urn", "date"),
    "population": ("mid_year_date", "sex", "age"),
}


@dataclass(frozen=True)
class Reconciled:
    """One raw table of a replaced file against the new file."""

    replaced_sha: str
    table: str
    key: tuple[str, ...]
    rows_in_replaced: int
    rows_in_new: int
    rows_only_in_replaced: int

    @property
    def dropped_share(self) -> float:
        return self.rows_only_in_replaced / self.rows_in_replaced if self.rows_in_replaced else 0


@dataclass(frozen=True)
class Hold:
    """Why a re-delivery is not loaded, and how a person confirms it."""

    reason: str
    fix: str


def record_key(table: RawTable) -> tuple[str, ...]:
    # The SSD objects' keys are their specification's primary keys, read when first needed:
    # the formats import this module (through periods.py), so it cannot import them first.
    from orchestration.ingest.formats.ssd_spec import record_keys as ssd_record_keys

    key = RECORD_KEYS.get(table.name) or ssd_record_keys().get(table.name)
    return key or tuple(c for c in table.columns if not c.endswith("_key"))


def is_confirmed(relative: str) -> bool:
    return CONFIRMED_FOLDER in PurePosixPath(relative).parts[:-1]


def reconcile(
    con: duckdb.DuckDBPyConnection,
    table: RawTable,
    replaced: tuple[str, str],
    new: tuple[str, str],
) -> Reconciled:
    """replaced and new: each file's sha256 and path, which together are its rows (the same
    bytes may be another period's delivery too)."""
    key = record_key(table)
    file_rows = f"from raw.{table.name} where _file_sha256 = ? and _source_file = ?"
    columns = ", ".join(f'"{c}"' for c in key)
    # A blank key part matches a blank one: two rows of a police incident with no child
    # identified are the same record in both files.
    same = " and ".join(f'r."{c}" is not distinct from n."{c}"' for c in key)
    in_replaced, in_new, only_in_replaced = con.execute(
        f"""
        with replaced as (select {columns} {file_rows}),
        incoming as (select distinct {columns} {file_rows})
        select
            (select count(*) from replaced),
            (select count(*) {file_rows}),
            (select count(*) from replaced r anti join incoming n on {same})
        """,
        [*replaced, *new, *new],
    ).fetchone()
    return Reconciled(replaced[0], table.name, key, in_replaced, in_new, only_in_replaced)


def replace_earlier(
    con: duckdb.DuckDBPyConnection,
    tables: Iterable[RawTable],
    delivery: Delivery,
    sha: str,
    relative: str,
) -> Hold | None:
    """Supersede the loaded delivery of the same return, or hold the new file (its rows are
    removed again) and say why. Runs inside the caller's transaction."""
    # Imported here: operations.py brings in Dagster, which ingestion itself does without
    # (a file is ingested in bounded memory, tests/pipeline/test_bounded_memory.py).
    from orchestration.operations import max_dropped_share

    tables = tuple(tables)
    names = [table.name for table in tables]
    con.execute(RECONCILIATION_DDL)
    earlier = con.execute(
        "select file_sha256, file_path from raw.file_manifest where source = ? and area = ?"
        " and collection_period = ? and part = ? and status = 'loaded'",
        [delivery.source, delivery.area, delivery.collection_period, delivery.part],
    ).fetchall()
    counts = [
        reconciled
        for old in earlier
        for table in tables
        if (reconciled := reconcile(con, table, old, (sha, relative))).rows_in_replaced
        or reconciled.rows_in_new
    ]
    worst = max(counts, key=lambda reconciled: reconciled.dropped_share, default=None)
    limit = max_dropped_share()
    too_many = worst is not None and worst.dropped_share > limit
    decision = "superseded"
    if too_many:
        decision = "confirmed" if is_confirmed(relative) else "held"
    if decision == "held":
        # A held file is decided again at each run until it is confirmed or removed: only
        # the latest decision is kept.
        con.execute(
            "delete from raw.supersede_reconciliation where decision = 'held'"
            " and new_file_sha256 = ?",
            [sha],
        )
        con.execute(
            "delete from raw.file_manifest where status = 'held' and file_sha256 = ?", [sha]
        )
        remove_file_rows(con, names, delivery.source, [(sha, relative)])
        _record(con, delivery, sha, relative, counts, decision)
        return _hold(worst, dict(earlier)[worst.replaced_sha], relative, delivery.source, limit)
    _record(con, delivery, sha, relative, counts, decision)
    if earlier:
        remove_file_rows(con, names, delivery.source, earlier, keep_logs=True)
        con.execute(
            "update raw.file_manifest set status = 'superseded', superseded_by = ?"
            f" where {FILES_IN} and status = 'loaded'",
            [sha, *files_parameters(earlier)],
        )
    if is_confirmed(relative):  # the manifest keeps that it was held, and how it came in
        con.execute(
            "update raw.file_manifest set status = 'confirmed', fix = ?"
            " where file_sha256 = ? and status = 'held'",
            [f"Confirmed by a person: loaded from {relative}.", sha],
        )
    else:  # held before, but what it would have replaced has gone since
        con.execute(
            "delete from raw.file_manifest where status = 'held' and file_sha256 = ?", [sha]
        )
    return None


def remove_file_rows(
    con: duckdb.DuckDBPyConnection,
    table_names: Iterable[str],
    source: str,
    files: list[tuple[str, str]],
    keep_logs: bool = False,
) -> None:
    """Remove files' rows (files: each one's sha256 and path) from their source's raw tables,
    and their rejected rows and findings unless keep_logs (a replaced file keeps them, as
    history of what it held)."""
    for name in table_names:
        con.execute(f"delete from raw.{name} where {ROWS_OF_FILES}", files_parameters(files))
    if not keep_logs:
        for log in ("rejected_rows", "schema_findings"):
            con.execute(
                f"delete from raw.{log} where source = ? and {FILES_IN}",
                [source, *files_parameters(files)],
            )


def files_parameters(files: list[tuple[str, str]]) -> list[list[str]]:
    """The parameters of FILES_IN and ROWS_OF_FILES: the files' sha256s, then their paths."""
    return [[sha for sha, _ in files], [path for _, path in files]]


def _record(
    con: duckdb.DuckDBPyConnection,
    delivery: Delivery,
    sha: str,
    relative: str,
    counts: list[Reconciled],
    decision: str,
) -> None:
    if not counts:  # nothing replaced: nothing to reconcile
        return
    now = datetime.now(UTC).replace(tzinfo=None)
    con.executemany(
        "insert into raw.supersede_reconciliation values"
        " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [
                now,
                delivery.source,
                delivery.area,
                delivery.collection_period,
                delivery.part,
                c.replaced_sha,
                sha,
                relative,
                c.table,
                "+".join(c.key),
                c.rows_in_replaced,
                c.rows_in_new,
                c.rows_only_in_replaced,
                decision,
            ]
            for c in counts
        ],
    )


def _hold(worst: Reconciled, replaced_path: str, relative: str, source: str, limit: float) -> Hold:
    path = PurePosixPath(relative)
    confirmed = path.parent / CONFIRMED_FOLDER / path.name
    return Hold(
        f"Held, not loaded: it would replace {replaced_path} and drop "
        f"{worst.rows_only_in_replaced} of its {worst.rows_in_replaced} records of "
        f"raw.{worst.table} ({worst.dropped_share:.0%}), more than the {limit:.0%} a "
        f"re-delivery may drop unconfirmed (raw.supersede_reconciliation has the counts); the "
        f"earlier file stays loaded",
        f"If {path.name} is the complete, corrected delivery, confirm it: move it to "
        f"data/landing/{confirmed} (a folder named {CONFIRMED_FOLDER} anywhere under "
        f"data/landing/{source}/) and run refresh_all. Otherwise ask the partner for the "
        f"complete extract, and remove this file.",
    )
