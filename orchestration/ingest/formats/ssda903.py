"""SSDA903 (children looked after) CSV tables, every collection year.

A return is a set of CSV files, one per table, with no table name or year inside: the table
is recognised by its columns, the collection year by the year folder or file name it was
delivered under (or else by the year most of its event dates fall in), and the authority by
ingestion (see loader.Ingestor.resolve_area).
"""

from collections.abc import Iterator
from functools import cache
from pathlib import Path

from orchestration.ingest.content_rules import ColumnRule, check_batch
from orchestration.ingest.delimited import (
    DelimitedFile,
    column_summary,
    header_key,
    match_header,
    not_a_header,
    parse_date_sql,
    read_batches,
)
from orchestration.ingest.delivered import DeliveredFile
from orchestration.ingest.formats import ssda903_dolo
from orchestration.ingest.model import Batch, Delivery, FileRejected, RawTable
from orchestration.ingest.periods import collection_year_sql, year_in_path
from orchestration.sources.ssda903_schema import RAW_NAMES, latest_year, specification

SOURCE = "ssda903"
IDENTIFIERS = {
    "child": "la_child_id",
    "upn": "upn",
    "dob": "date_of_birth",
    "mc_dob": "date_of_birth",
    "home_post": "postcode_district",
    "pl_post": "postcode_district",
}
# Dates that place a table's rows in a collection year (the year ending 31 March).
EVENT_DATES = {
    "Episodes": ("DECOM", "DEC"),
    "Reviews": ("REVIEW",),
    "Missing": ("MIS_START", "MIS_END"),
    "AD1": ("DATE_INT", "DATE_MATCH"),
    "PlacedAdoption": ("DATE_PLACED", "DATE_PLACED_CEASED"),
    "SocialWorker": ("SW_DECOM", "SW_DEC"),
    "DoLo": ("DOLO_START", "DOLO_END"),
}
FIX = (
    "Export the table from the case management system with the DfE SSDA903 column names "
    "(see data/reference/dfe_schemas/ssda903) and re-deliver it."
)


@cache
def table_columns() -> dict[str, list[str]]:
    """Each 903 table and its columns, from the latest year's specification: tables are
    only ever added (SocialWorker in 2024, DoLo in 2027), so it has every table."""
    return {name: list(columns) for name, columns in specification(latest_year()).items()}


def content_rules(year: int, table: str) -> list[ColumnRule]:
    rules = []
    for column, definition in specification(year)[table].items():
        kind = (
            "date" if "date" in definition else "integer" if "numeric" in definition else "string"
        )
        codes = definition.get("category")
        rules.append(
            ColumnRule(
                column.lower(),
                kind,
                frozenset(str(item["code"]) for item in codes) if codes else None,
                definition.get("canbeblank") in (False, "no"),
            )
        )
    return rules


def raw_table_name(table: str) -> str:
    return f"ssda903_{RAW_NAMES[table]}"


def recognise_table(header: list[str]) -> str | None:
    delivered = {header_key(name) for name in header}
    matches = [
        table
        for table, columns in table_columns().items()
        if {header_key(c) for c in columns} <= delivered
    ]
    # Tables whose columns contain another's (Missing has DOB and CHILD...) : take the widest.
    return max(matches, key=lambda table: len(table_columns()[table]), default=None)


def unrecognised_table(file_name: str, header: list[str]) -> str:
    """Why a file is no 903 table. The header may be a row of data (an export without its
    header row), so cells are counted, never quoted; only the DfE column names are."""
    delivered = {header_key(name) for name in header}

    def lacking(table: str) -> list[str]:
        return [c for c in table_columns()[table] if header_key(c) not in delivered]

    known = {header_key(c) for columns in table_columns().values() for c in columns}
    named = sum(1 for name in header if header_key(name) in known)
    if not named:
        example = ", ".join(table_columns()["Header"])
        return not_a_header(
            file_name,
            len(header),
            "an SSDA903 table",
            f"the DfE column names, for example the Header table's {example}",
        )
    closest = min(table_columns(), key=lambda table: len(lacking(table)))
    return (
        f"{file_name} is not an SSDA903 table: {named} of the {len(header)} cells of its "
        f"header name SSDA903 columns, but no table's full set (the closest, {closest}, "
        f"lacks {', '.join(lacking(closest))})"
    )


def not_collected(file_name: str, table: str, year: int) -> tuple[str, str]:
    """Reason and fix for a table the year's specification does not have (SocialWorker
    before 2024, DoLo before 2027): read by that year's rules, none of its columns would be
    defined."""
    first = next(y for y in range(2017, latest_year() + 1) if table in specification(y))
    return (
        f"{file_name} is the SSDA903 {table} table, but the {year} specification has no "
        f"{table} table (the DfE collects it from {first}, the {first - 1}-{first % 100:02d} "
        "return)",
        f"Check the file's collection year: if its dates are wrong, correct them; if it belongs "
        f"to a later return, deliver it in that year's folder (for example "
        f"data/landing/ssda903/938/{first}/); otherwise remove it from landing.",
    )


def _what(table: str) -> str:
    return f"the SSDA903 {table} table"


class Ssda903Format:
    """The DfE SSDA903 return, one CSV (or XLSX) per table."""

    source = SOURCE
    family = "social_care"
    description = (
        "SSDA903 children looked after tables (data/landing/ssda903/), recognised by their "
        "columns, identifiers pseudonymised, with lineage."
    )

    # One table of one authority's year: the largest authority's Episodes table is under a
    # MB (about 3,000 children looked after in a year, a few episodes each); 256 MiB holds
    # several times England's whole table (~30 MB) as one file.
    max_file_bytes = 256 * 2**20

    def __init__(self) -> None:
        self.tables = tuple(
            RawTable(
                raw_table_name(table),
                tuple(column.lower() for column in columns),
                {c: kind for c, kind in IDENTIFIERS.items() if c.upper() in columns},
            )
            for table, columns in table_columns().items()
        )

    def detect(self, delivered: DeliveredFile) -> Delivery:
        path = delivered.path
        with delivered.delimited() as file:
            table = recognise_table(file.header)
            if table is None:
                raise FileRejected(unrecognised_table(path.name, file.header), FIX)
            year = self._year(path, file, table)
        if table not in specification(year):
            raise FileRejected(*not_collected(path.name, table, year))
        # 903 files do not name their authority: the loader takes it from the folder.
        return Delivery(SOURCE, None, str(year), part=RAW_NAMES[table])

    def _year(self, path: Path, file: DelimitedFile, table: str) -> int:
        # A year the delivery names wins: dates cannot say which return a table belongs to
        # as surely as the folder the authority put it in.
        year = year_in_path(path)
        if year is not None:
            return year
        columns = table_columns()[table]
        mapping, _ = match_header(file.header, columns, [], path.name, FIX, _what(table))
        dates = [parse_date_sql(mapping[c]) for c in EVENT_DATES.get(table, ())]
        if dates:
            # The year holding most rows (by each row's latest event), the latest on a tie:
            # a few rows dated outside the return's year (an episode ending on 1 April, a
            # review keyed into the wrong year) must not move the whole table to that year.
            row_year = collection_year_sql(f"greatest({', '.join(dates)})")
            (modal,) = column_summary(
                file,
                f"select (select row_year from (select {row_year} as row_year from ({{file}}))"
                " where row_year is not null group by row_year"
                " order by count(*) desc, row_year desc limit 1)",
            )
            if modal is not None:
                return int(modal)
        raise FileRejected(
            f"{path.name} ({table}) holds no event dates and its path names no collection year",
            "Deliver each year's tables in a folder named after the collection year, for "
            "example data/landing/ssda903/938/2021/header.csv.",
        )

    def read(self, delivered: DeliveredFile, delivery: Delivery, file_key: str) -> Iterator[Batch]:
        path = delivered.path
        with delivered.delimited() as file:
            table = recognise_table(file.header)
            columns = table_columns()[table]
            mapping, findings = match_header(
                file.header, columns, columns, path.name, FIX, _what(table)
            )
            findings = file.findings + findings
            output = {column: column.lower() for column in columns}
            year = int(delivery.collection_period)
            rules = content_rules(year, table)
            dolo = ssda903_dolo.DoloRules(year) if table == ssda903_dolo.TABLE else None
            if dolo is not None:  # blank and bad dates there are DfE rules 700 and 701
                rules = [r for r in rules if r.column not in ssda903_dolo.CHECKED_BY_RULES]
            for frame, rejections in read_batches(file, mapping, output):
                findings += check_batch(frame, rules, f"the DfE SSDA903 {table} specification")
                if dolo is not None:
                    dolo.add(frame)
                yield Batch({raw_table_name(table): frame}, frame.num_rows, rejections, findings)
                findings = []
            if dolo is not None:  # rules across a child's orders need the whole table
                yield Batch({}, 0, [], dolo.findings())
